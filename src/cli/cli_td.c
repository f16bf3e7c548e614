/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_td.h"
#include "host/host.h"
#include "host/page_alloc.h"
#include "platform/trace.h"

void cli_td_opts_init(struct cli_td_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->td.vcpus = 1;
	o->td.memory_bytes = 64ULL << 20;
}

static bool parse_attributes(const char *s, uint64_t *out)
{
	char buf[128], *tok, *save = NULL;

	if (!strncmp(s, "0x", 2))
		return cli_parse_size(s, out);
	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "debug"))
			*out |= TDX_TD_ATTR_DEBUG;
		else if (!strcmp(tok, "sept-ve-disable"))
			*out |= TDX_TD_ATTR_SEPT_VE_DISABLE;
		else
			return false;
	}
	return true;
}

static int bad(const char *cmd, const char *usage, const char *what, const char *val)
{
	fprintf(stderr, "tdxsim %s: bad %s '%s'\n%s", cmd, what, val, usage);
	return 2;
}

int cli_td_option(const char *cmd, const char *usage, int ch, const char *arg,
		  struct cli_td_opts *o)
{
	uint64_t v;

	switch (ch) {
	case 'p': o->platform = arg; return 0;
	case 'P': o->profile = arg; return 0;
	case 'j': o->json = true; return 0;
	case 'c':
		if (!cli_parse_size(arg, &v) || !v || v > 0xFFFF)
			return bad(cmd, usage, "vCPU count", arg);
		o->td.vcpus = (unsigned)v;
		return 0;
	case 'm':
		return cli_parse_size(arg, &o->td.memory_bytes) ? 0 :
		       bad(cmd, usage, "memory size", arg);
	case 'a':
		return parse_attributes(arg, &o->td.attributes) ? 0 :
		       bad(cmd, usage, "attributes", arg);
	case CLI_TD_OPT_TRACE:
		if (!*arg)
			return bad(cmd, usage, "trace file", arg);
		o->trace = arg;
		return 0;
	case CLI_TD_OPT_TRACE_LIMIT:
		return cli_parse_size(arg, &o->trace_limit) && o->trace_limit &&
		       o->trace_limit <= (1ULL << 32) ? 0 :
		       bad(cmd, usage, "trace event limit", arg);
	default:
		return 1;
	}
}

struct step {
	const char *cmd;
	const struct cli_td_opts *o;
	struct host *h;
	struct cli_td_session *s;
	int (*fn)(struct vmm *, void *);
	void *arg;
};

static int on_cpu(void *arg)
{
	struct step *st = arg;
	struct vmm *v = vmm_create(st->h);
	int ret;

	if (!v) {
		snprintf(st->s->err, sizeof(st->s->err), "out of memory");
		return -ENOMEM;
	}
	st->s->free_before = page_alloc_free_bytes(st->h->pages);
	ret = st->fn(v, st->arg);
	st->s->free_after = page_alloc_free_bytes(st->h->pages);
	vmm_destroy(v);
	return ret;
}

/* --trace: the file, written after the host's teardown; ret becomes
 * -EIO when the run was good but the file could not be written. */
static int finish_trace(struct platform *p, struct step *st, int ret)
{
	struct cli_td_session *s = st->s;
	int wr;

	platform_trace_stop(p);
	wr = platform_trace_write(p, s->trace);
	if (fclose(s->trace) && !wr)
		wr = -errno;
	s->trace = NULL;
	s->trace_events = platform_trace_events(p);
	s->trace_dropped = platform_trace_dropped(p);
	if (s->trace_dropped)
		fprintf(stderr, "tdxsim %s: warning: the trace dropped %llu events "
			"(over %llu per LP; raise --trace-limit)\n", st->cmd,
			(unsigned long long)s->trace_dropped,
			(unsigned long long)(st->o->trace_limit ? st->o->trace_limit :
					     TRACE_DEFAULT_MAX_EVENTS));
	if (!wr)
		return ret;
	if (ret) {
		fprintf(stderr, "tdxsim %s: cannot write the trace to '%s': %s\n",
			st->cmd, st->o->trace, strerror(-wr));
		return ret;
	}
	snprintf(s->err, sizeof(s->err), "cannot write the trace to '%s': %s",
		 st->o->trace, strerror(-wr));
	return -EIO;
}

static int boot_and_run(const struct tdxsim_platform_config *cfg,
			struct cli_td_session *s, struct step *st)
{
	struct host_options ho = { .policy = TDMR_POLICY_LINUX };
	size_t loglen = 0;
	struct platform *p;
	char err[512];
	int ret;

	ho.log = open_memstream(&s->log, &loglen);
	p = platform_create(cfg, err, sizeof(err));
	if (p) {
		platform_report_key(p, s->report_key);
		s->have_report_key = true;
	}
	/* Before the host exists, so TDX bring-up is on the timeline. */
	if (p && s->trace && platform_trace_start(p, st->o->trace_limit)) {
		snprintf(err, sizeof(err), "cannot start the trace: out of memory");
		platform_destroy(p);
		p = NULL;
	}
	st->h = p ? host_create(p, &ho, err, sizeof(err)) : NULL;
	if (!st->h) {
		fprintf(stderr, "tdxsim %s: %s\n", st->cmd, err);
		platform_destroy(p);
		fclose(ho.log);
		return 2;
	}
	s->booted = !(ret = host_boot(st->h));
	if (!s->booted) {
		snprintf(s->err, sizeof(s->err), "TDX did not come up (%d); kernel log:", ret);
		if (st->h->sc_failed)
			cli_seamcall_failure(s->failure, sizeof(s->failure),
					     st->h->sc_failed_leaf, st->h->sc_failed_status);
		ret = -EIO;
	} else {
		ret = platform_on_lp(p, 0, on_cpu, st);
	}
	s->seamcalls = host_seamcalls(st->h);
	fclose(ho.log);
	host_destroy(st->h);
	if (s->trace)
		ret = finish_trace(p, st, ret);
	platform_destroy(p);
	return ret;
}

int cli_td_session(const char *cmd, const struct cli_td_opts *o,
		   struct cli_td_session *s, int (*fn)(struct vmm *, void *),
		   void *arg)
{
	struct tdxsim_platform_config *cfg = malloc(sizeof(*cfg));
	struct step st = { .cmd = cmd, .o = o, .s = s, .fn = fn, .arg = arg };
	int ret;

	memset(s, 0, sizeof(*s));
	ret = cfg ? cli_load_platform(cmd, o->platform, o->profile, cfg) : 2;
	/* An unwritable trace file is an error before anything runs. */
	if (!ret && o->trace && !(s->trace = fopen(o->trace, "w"))) {
		fprintf(stderr, "tdxsim %s: cannot write the trace to '%s': %s\n",
			cmd, o->trace, strerror(errno));
		ret = 2;
	}
	if (!ret)
		ret = boot_and_run(cfg, s, &st);
	if (s->trace) {
		fclose(s->trace);      /* the platform never came up */
		s->trace = NULL;
	}
	free(cfg);
	return ret;
}

void cli_td_session_end(struct cli_td_session *s)
{
	free(s->log);
	s->log = NULL;
}

void cli_td_session_report(const char *cmd, const struct cli_td_session *s)
{
	fprintf(stderr, "tdxsim %s: %s\n", cmd, s->err);
	if (!s->booted && s->log)
		fputs(s->log, stderr);
	if (!s->booted && s->failure[0])
		fprintf(stderr, "tdxsim %s: %s\n", cmd, s->failure);
}

int cli_read_measurement(struct vm *vm, uint64_t field, uint8_t out[48])
{
	for (unsigned i = 0; i < 6; i++) {
		uint64_t v;

		if (vm_read_field(vm, field + i, &v))
			return -EIO;
		memcpy(out + 8 * i, &v, 8);
	}
	return 0;
}

void cli_hex_bytes(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}
