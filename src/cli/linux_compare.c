/* SPDX-License-Identifier: MIT */
/*
 * tdxsim linux compare: the same platform brought up by the kernel's own
 * TDX host code and by src/host/ following the same kernel version
 * (tdx_init, then KVM's bring-up), and every difference printed: the
 * outcome, the log lines, the TDMR_INFO entries handed to
 * TDH.SYS.CONFIG, the PAMT total, and the SEAMCALLs as runs of one leaf
 * on one CPU with one status. Exit 0 when identical, 1 when not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "host/host.h"
#include "linux_compare.h"
#include "tdxsim/linux.h"
#include "tdxsim/tdxsim.h"

#define MAX_TDMRS 64

/* One side's record; calls as runs of (leaf, CPU, status). */
struct side {
	const char *name;
	int ret;
	char *log;
	size_t n_runs, cap_runs;
	struct tdxsim_linux_seamcall *run;
	size_t *count;
	unsigned n_tdmrs;
	struct tdxsim_linux_tdmr tdmrs[MAX_TDMRS];
	struct platform *p;
};

static void add_call(struct side *s, uint64_t fn, uint64_t status, int cpu)
{
	struct tdxsim_linux_seamcall *last = s->n_runs ? &s->run[s->n_runs - 1] : NULL;

	if (last && last->fn == fn && last->status == status && last->cpu == cpu) {
		s->count[s->n_runs - 1]++;
		return;
	}
	if (s->n_runs == s->cap_runs) {
		s->cap_runs = s->cap_runs ? 2 * s->cap_runs : 64;
		s->run = realloc(s->run, s->cap_runs * sizeof(*s->run));
		s->count = realloc(s->count, s->cap_runs * sizeof(*s->count));
		if (!s->run || !s->count)
			abort();
	}
	s->run[s->n_runs] = (struct tdxsim_linux_seamcall){ fn, status, cpu };
	s->count[s->n_runs++] = 1;
}

static void host_call(void *arg, uint64_t leaf, const struct tdx_module_args *in,
		      uint64_t status, int cpu)
{
	struct side *s = arg;

	if ((leaf & 0xffff) == TDH_SYS_CONFIG)
		s->n_tdmrs = tdxsim_read_tdmr_config(s->p, in->rcx, in->rdx, s->tdmrs, MAX_TDMRS);
	add_call(s, leaf, status, cpu);
}

static int boot_kernel(const struct tdxsim_platform_config *cfg, const char *object,
		       struct side *s, enum host_kernel *version)
{
	struct tdxsim_linux_options o = { .kernel_object = object };
	const struct tdxsim_linux_seamcall *c;
	const struct tdxsim_linux_tdmr *t;
	struct tdxsim_linux *l;
	char err[512];
	size_t n;

	s->p = platform_create(cfg, err, sizeof(err));
	l = s->p ? tdxsim_linux_create(s->p, &o, err, sizeof(err)) : NULL;
	if (!l) {
		fprintf(stderr, "tdxsim linux compare: %s\n", err);
		return -1;
	}
	/* src/host/ knows 6.12 and mainline: a 6.12.x tree is the former. */
	*version = strncmp(tdxsim_linux_release(l), "6.12.", 5) ? HOST_KERNEL_MAINLINE
								 : HOST_KERNEL_6_12;
	tdxsim_linux_tdx_init(l);
	s->ret = tdxsim_linux_kvm_bringup(l);
	s->log = strdup(tdxsim_linux_log(l));
	n = tdxsim_linux_seamcalls(l, &c);
	for (size_t i = 0; i < n; i++)
		add_call(s, c[i].fn, c[i].status, c[i].cpu);
	s->n_tdmrs = tdxsim_linux_tdmrs(l, &t);
	memcpy(s->tdmrs, t, s->n_tdmrs * sizeof(*t));
	printf("kernel: Linux %s\n", tdxsim_linux_release(l));
	tdxsim_linux_destroy(l);
	return 0;
}

static int boot_host(const struct tdxsim_platform_config *cfg, enum host_kernel version,
		     struct side *s)
{
	struct host_options ho = { .policy = TDMR_POLICY_LINUX, .kernel = version,
				   .on_seamcall = host_call, .on_seamcall_arg = s };
	size_t len;
	char err[512];
	struct host *h;

	ho.log = open_memstream(&s->log, &len);
	s->p = platform_create(cfg, err, sizeof(err));
	h = s->p ? host_create(s->p, &ho, err, sizeof(err)) : NULL;
	if (!h) {
		fprintf(stderr, "tdxsim linux compare: %s\n", err);
		fclose(ho.log);
		return -1;
	}
	s->ret = host_bringup(h);
	host_destroy(h);
	fclose(ho.log);
	return 0;
}

/* The lines of a log, in place ('\n' becomes '\0'). */
static size_t split_lines(char *text, char **line, size_t max)
{
	size_t n = 0;

	for (char *p = text; *p && n < max; n++) {
		char *nl = strchr(p, '\n');

		line[n] = p;
		if (!nl)
			p += strlen(p);
		else
			*nl = '\0', p = nl + 1;
	}
	return n;
}

/* A line diff by longest common subsequence: each line only one side
 * printed is a difference ("-" kernel only, "+" src/host only). */
static unsigned diff_logs(char *ka, char *ha)
{
	enum { MAX = 512 };
	static char *k[MAX], *h[MAX];
	static unsigned short lcs[MAX + 1][MAX + 1];
	size_t nk = split_lines(ka, k, MAX), nh = split_lines(ha, h, MAX), i = 0, j = 0;
	unsigned n = 0;

	for (size_t x = nk + 1; x--; )
		for (size_t y = nh + 1; y--; )
			lcs[x][y] = x == nk || y == nh ? 0 :
				    !strcmp(k[x], h[y]) ? lcs[x + 1][y + 1] + 1 :
				    lcs[x + 1][y] > lcs[x][y + 1] ? lcs[x + 1][y] : lcs[x][y + 1];
	while (i < nk || j < nh) {
		if (i < nk && j < nh && !strcmp(k[i], h[j])) {
			i++, j++;
		} else if (j == nh || (i < nk && lcs[i + 1][j] >= lcs[i][j + 1])) {
			printf("log - kernel only:   %s\n", k[i++]);
			n++;
		} else {
			printf("log + src/host only: %s\n", h[j++]);
			n++;
		}
	}
	return n;
}

static unsigned diff_tdmr(unsigned i, const struct tdxsim_linux_tdmr *k,
			  const struct tdxsim_linux_tdmr *h)
{
	static const char *const names[] = { "base", "size", "pamt_1g_base", "pamt_1g_size",
		"pamt_2m_base", "pamt_2m_size", "pamt_4k_base", "pamt_4k_size" };
	const uint64_t *kv = &k->info.tdmr_base, *hv = &h->info.tdmr_base;
	unsigned n = 0;

	for (unsigned f = 0; f < 8; f++)
		if (kv[f] != hv[f]) {
			printf("TDMR %u %s: kernel 0x%llx, src/host 0x%llx\n", i, names[f],
			       (unsigned long long)kv[f], (unsigned long long)hv[f]);
			n++;
		}
	for (unsigned r = 0; r < TDX_MAX_RESERVED_AREAS; r++) {
		const struct tdmr_reserved_area *x = &k->info.rsvd_areas[r], *y = &h->info.rsvd_areas[r];

		if (x->offset != y->offset || x->size != y->size) {
			printf("TDMR %u reserved area %u: kernel [0x%llx, +0x%llx), src/host [0x%llx, +0x%llx)\n",
			       i, r, (unsigned long long)x->offset, (unsigned long long)x->size,
			       (unsigned long long)y->offset, (unsigned long long)y->size);
			n++;
		}
	}
	return n;
}

static uint64_t pamt_bytes(const struct side *s)
{
	uint64_t b = 0;

	for (unsigned i = 0; i < s->n_tdmrs; i++)
		b += s->tdmrs[i].info.pamt_4k_size + s->tdmrs[i].info.pamt_2m_size +
		     s->tdmrs[i].info.pamt_1g_size;
	return b;
}

static void print_run(const char *who, const struct side *s, size_t i)
{
	if (i >= s->n_runs) {
		printf("  %-9s (none)\n", who);
		return;
	}
	printf("  %-9s %s x%zu on CPU %d -> 0x%llx\n", who,
	       tdx_leaf_name(s->run[i].fn & 0xffff) ?: "?", s->count[i], s->run[i].cpu,
	       (unsigned long long)s->run[i].status);
}

static unsigned diff_calls(const struct side *k, const struct side *h)
{
	unsigned n = 0;

	for (size_t i = 0; i < k->n_runs || i < h->n_runs; i++) {
		if (i < k->n_runs && i < h->n_runs && k->run[i].fn == h->run[i].fn &&
		    k->run[i].cpu == h->run[i].cpu && k->run[i].status == h->run[i].status &&
		    k->count[i] == h->count[i])
			continue;
		printf("SEAMCALL run %zu:\n", i);
		print_run("kernel:", k, i);
		print_run("src/host:", h, i);
		if (++n == 10) {
			printf("(further SEAMCALL differences not shown)\n");
			break;
		}
	}
	return n;
}

int linux_compare(const struct tdxsim_platform_config *cfg, const char *object,
		  const char *version_name)
{
	static struct side k = { .name = "kernel" }, h = { .name = "src/host" };
	enum host_kernel version;
	unsigned diffs = 0;
	size_t calls = 0;

	if (boot_kernel(cfg, object, &k, &version))
		return 2;
	if (version_name && !host_kernel_parse(version_name, &version)) {
		fprintf(stderr, "tdxsim linux compare: unknown kernel version '%s' (mainline or 6.12)\n",
			version_name);
		return 2;
	}
	if (boot_host(cfg, version, &h))
		return 2;
	if (k.ret != h.ret) {
		printf("outcome: kernel %d, src/host %d\n", k.ret, h.ret);
		diffs++;
	}
	printf("src/host/ follows %s\n", host_kernel_name(version));
	diffs += diff_logs(k.log, h.log);
	if (k.n_tdmrs != h.n_tdmrs) {
		printf("TDMRs: kernel %u, src/host %u\n", k.n_tdmrs, h.n_tdmrs);
		diffs++;
	}
	for (unsigned i = 0; i < k.n_tdmrs && i < h.n_tdmrs; i++)
		diffs += diff_tdmr(i, &k.tdmrs[i], &h.tdmrs[i]);
	if (pamt_bytes(&k) != pamt_bytes(&h)) {
		printf("PAMT: kernel %llu KB, src/host %llu KB\n",
		       (unsigned long long)(pamt_bytes(&k) >> 10),
		       (unsigned long long)(pamt_bytes(&h) >> 10));
		diffs++;
	}
	diffs += diff_calls(&k, &h);
	for (size_t i = 0; i < k.n_runs; i++)
		calls += k.count[i];
	printf("\nsummary: %s; outcome %d; %u TDMRs, %llu KB PAMT; %zu SEAMCALLs in %zu runs; "
	       "%u difference%s\n", diffs ? "src/host/ DIFFERS from the kernel" : "identical",
	       k.ret, k.n_tdmrs, (unsigned long long)(pamt_bytes(&k) >> 10), calls, k.n_runs,
	       diffs, diffs == 1 ? "" : "s");
	free(k.log);
	free(h.log);
	free(k.run);
	free(k.count);
	free(h.run);
	free(h.count);
	platform_destroy(k.p);
	platform_destroy(h.p);
	return diffs ? 1 : 0;
}
