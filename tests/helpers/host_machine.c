/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "host_machine.h"

void hm_new(struct hm *m, const struct tdxsim_platform_config *c,
	    enum memhp_policy memhp)
{
	struct host_options o;
	char err[256] = "";

	memset(m, 0, sizeof(*m));
	memset(&o, 0, sizeof(o));
	m->p = machine_new(c);
	m->log = open_memstream(&m->buf, &m->len);
	assert_non_null(m->log);
	o.log = m->log;
	o.policy = TDMR_POLICY_LINUX;
	o.memhp = memhp;
	m->h = host_create(m->p, &o, err, sizeof(err));
	if (!m->h)
		fail_msg("host_create: %s", err);
}

void hm_free(struct hm *m)
{
	host_destroy(m->h);
	platform_destroy(m->p);
	fclose(m->log);
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

const char *hm_log(struct hm *m)
{
	fflush(m->log);
	return m->buf ? m->buf : "";
}

/* The next line of the log at *pos, copied to out; false at the end. */
static bool next_line(const char *log, size_t *pos, char *out, size_t outlen)
{
	const char *s = log + *pos, *nl;
	size_t n;

	if (!*s)
		return false;
	nl = strchr(s, '\n');
	n = nl ? (size_t)(nl - s) : strlen(s);
	*pos += n + (nl ? 1 : 0);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

unsigned hm_count(struct hm *m, const char *line)
{
	const char *log = hm_log(m);
	char l[1024];
	size_t pos = 0;
	unsigned n = 0;

	while (next_line(log, &pos, l, sizeof(l)))
		n += !strcmp(l, line);
	return n;
}

void hm_assert_line(struct hm *m, const char *line)
{
	if (!hm_count(m, line))
		fail_msg("log lacks the line\n  \"%s\"\nlog:\n%s", line, hm_log(m));
}

void hm_assert_no_line(struct hm *m, const char *line)
{
	if (hm_count(m, line))
		fail_msg("log has the line\n  \"%s\"\nlog:\n%s", line, hm_log(m));
}

void hm_assert_in_order(struct hm *m, const char *const *lines, size_t n)
{
	const char *log = hm_log(m);
	char l[1024];
	size_t pos = 0, k = 0;

	while (k < n && next_line(log, &pos, l, sizeof(l)))
		if (!strcmp(l, lines[k]))
			k++;
	if (k < n)
		fail_msg("log lacks (in this order) the line\n  \"%s\"\nlog:\n%s",
			 lines[k], log);
}

void hm_assert_log_is(struct hm *m, const char *const *lines, size_t n)
{
	const char *log = hm_log(m);
	char l[1024];
	size_t pos = 0, k = 0;

	while (next_line(log, &pos, l, sizeof(l))) {
		if (k == n || strcmp(l, lines[k]))
			fail_msg("log line %zu is\n  \"%s\"\nexpected\n  \"%s\"\nlog:\n%s",
				 k + 1, l, k < n ? lines[k] : "(end of log)", log);
		k++;
	}
	if (k < n)
		fail_msg("log ends before the line\n  \"%s\"\nlog:\n%s", lines[k], log);
}

void hm_assert_nothing_like(struct hm *m, const char *text)
{
	const char *log = hm_log(m);

	if (strstr(log, text))
		fail_msg("log mentions \"%s\":\n%s", text, log);
}

int hm_on_lp(struct hm *m, unsigned lp, int (*fn)(void *), void *arg)
{
	return platform_on_lp(m->p, lp, fn, arg);
}

int hm_tdx_enable_on(struct hm *m, unsigned lp)
{
	return platform_on_lp(m->p, lp, host_tdx_enable_locked, m->h);
}

static int init_here(void *arg)
{
	return host_tdx_init(arg);
}

int hm_tdx_init(struct hm *m)
{
	return platform_on_lp(m->p, 0, init_here, m->h);
}

bool hm_in_list(const struct tdx_memlist *l, uint64_t s, uint64_t e)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->b[i].start <= s && e <= l->b[i].end)
			return true;
	return false;
}

void hm_assert_nothing_allocated(struct hm *m)
{
	assert_int_equal(page_alloc_free_bytes(m->h->pages),
			 page_alloc_total_bytes(m->h->pages));
}

void hm_boot_small(struct hm *m, enum tdxsim_profile prof,
		   enum memhp_policy memhp)
{
	struct tdxsim_platform_config c;

	small_config(&c, 2, 2, 4, prof);
	hm_new(m, &c, memhp);
	assert_int_equal(host_boot(m->h), 0);
}
