/* SPDX-License-Identifier: MIT */
/*
 * Linux in the loop against src/host/ (docs/linux.md): the same platform
 * booted by the kernel's own code and by src/host/ following 6.12, with
 * the same fault armed, and every difference an assertion.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "linux_compare.h"
#include "host/host.h"

void arm(struct platform *p, const struct fault *f)
{
	if (f && f->nth)
		assert_int_equal(tdxsim_inject_status(p, f->leaf, TDXSIM_INJECT_ANY_LP,
						      f->nth, f->status), 0);
	if (f && f->count)
		assert_int_equal(tdxsim_inject(p, f->kind, f->count), 0);
	if (f && f->no_invariants)
		tdx_inspect_set_invariants(p, false);
	for (unsigned lp = 0; f && lp < 64; lp++)
		if (f->offline_lps >> lp & 1)
			assert_int_equal(platform_lp_set_online(p, lp, false), 0);
}

struct lboot linux_boot_faulted(const struct tdxsim_platform_config *c,
				       const struct fault *f)
{
	struct tdxsim_linux_options o = { 0 };
	struct lboot b = { 0 };
	char err[512];

	b.p = platform_create(c, err, sizeof(err));
	assert_non_null(b.p);
	arm(b.p, f);
	b.l = tdxsim_linux_create(b.p, &o, err, sizeof(err));
	if (!b.l)
		fail_msg("%s", err);
	tdxsim_linux_tdx_init(b.l);
	b.ret = tdxsim_linux_kvm_bringup(b.l);
	return b;
}

struct lboot linux_boot(const struct tdxsim_platform_config *c)
{
	return linux_boot_faulted(c, NULL);
}

void linux_done(struct lboot *b)
{
	tdxsim_linux_destroy(b->l);
	platform_destroy(b->p);
}

/* src/host's SEAMCALLs, and the TDMR_INFO entries it handed the module
 * with TDH.SYS.CONFIG, read from memory as the bridge reads the
 * kernel's. */
struct calls {
	struct platform *p;
	FILE *log;                     /* src/host's, open until it is gone */
	size_t log_len;                /* the stream's: live while it is open */
	size_t n;
	struct tdxsim_linux_seamcall c[1 << 21];   /* 4 TiB: 1,049,113 */
	unsigned n_tdmrs;
	struct tdxsim_linux_tdmr tdmrs[64];
};

static void record_call(void *arg, uint64_t leaf, const struct tdx_module_args *in,
			uint64_t status, int cpu)
{
	struct calls *k = arg;

	if ((leaf & 0xffff) == TDH_SYS_CONFIG)
		k->n_tdmrs = tdxsim_read_tdmr_config(k->p, in->rcx, in->rdx, k->tdmrs, 64);
	if (k->n < sizeof(k->c) / sizeof(k->c[0]))
		k->c[k->n++] = (struct tdxsim_linux_seamcall){ leaf, status, cpu };
}

/* src/host/ following 6.12, through what the kernel runs: tdx_init() and
 * KVM's bring-up (no compatibility check, no KVM metadata reads); its
 * log in *log and its SEAMCALLs in *calls. */
static struct host *host_boot_logged(const struct tdxsim_platform_config *c,
				     const struct fault *f, struct platform **pp,
				     char **log, int *ret, struct calls *calls)
{
	struct host_options ho = { .policy = TDMR_POLICY_LINUX, .kernel = HOST_KERNEL_6_12,
				   .on_seamcall = record_call, .on_seamcall_arg = calls };
	char err[256];
	struct host *h;

	calls->n = 0;
	calls->n_tdmrs = 0;
	ho.log = open_memstream(log, &calls->log_len);
	*pp = platform_create(c, err, sizeof(err));
	assert_non_null(*pp);
	calls->p = *pp;
	arm(*pp, f);
	h = host_create(*pp, &ho, err, sizeof(err));
	assert_non_null(h);
	*ret = host_bringup(h);
	fflush(ho.log);
	calls->log = ho.log;
	return h;
}

/* The same SEAMCALLs, leaf, CPU and status, in the same order. */
static void assert_calls_agree(struct tdxsim_linux *l, const struct calls *hc)
{
	const struct tdxsim_linux_seamcall *kc;
	size_t n = tdxsim_linux_seamcalls(l, &kc);

	for (size_t i = 0; i < n && i < hc->n; i++)
		if (kc[i].fn != hc->c[i].fn || kc[i].cpu != hc->c[i].cpu ||
		    kc[i].status != hc->c[i].status)
			fail_msg("SEAMCALL %zu: kernel 0x%llx on CPU %d -> 0x%llx, src/host 0x%llx on CPU %d -> 0x%llx",
				 i, (unsigned long long)kc[i].fn, kc[i].cpu, (unsigned long long)kc[i].status,
				 (unsigned long long)hc->c[i].fn, hc->c[i].cpu,
				 (unsigned long long)hc->c[i].status);
	assert_int_equal(n, hc->n);
}

static void assert_tdmrs_agree(struct tdxsim_linux *l, const struct calls *hc)
{
	const struct tdxsim_linux_tdmr *t;
	unsigned n = tdxsim_linux_tdmrs(l, &t);

	assert_int_equal(n, hc->n_tdmrs);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(t[i].n_rsvd, hc->tdmrs[i].n_rsvd);
		assert_memory_equal(&t[i].info, &hc->tdmrs[i].info, sizeof(t[i].info));
	}
}

/* After a failed init no PAMT line is left TD-owned: the kernel reset
 * what the module may have written (checked where the PAMTs are small
 * enough to walk line by line). */
static void assert_pamts_reset(struct platform *p, struct tdxsim_linux *l)
{
	const struct tdxsim_linux_tdmr *t;
	unsigned n = tdxsim_linux_tdmrs(l, &t);

	if (tdxsim_linux_pamt_bytes(l) > (64ULL << 20))
		return;
	for (unsigned i = 0; i < n; i++) {
		uint64_t base = t[i].info.pamt_4k_base;
		uint64_t end = base + t[i].info.pamt_4k_size + t[i].info.pamt_2m_size +
			       t[i].info.pamt_1g_size;

		for (uint64_t pa = base; pa < end; pa += 64)
			if (platform_line_td_owned(p, pa))
				fail_msg("PAMT line 0x%llx still TD-owned after the unwind",
					 (unsigned long long)pa);
	}
}

/*
 * Both hosts on one platform description, with the same fault armed:
 * the same outcome, the same TDMR_INFO entries handed to TDH.SYS.CONFIG,
 * the same log and the same SEAMCALLs (leaf, CPU, status, in order).
 * After a failure the kernel holds no allocation and, where the failure
 * was inside tdx_enable(), a second tdx_enable() is -EINVAL on both with
 * no SEAMCALL. Returns the outcome.
 */
int compare_faulted(const struct tdxsim_platform_config *c, const struct fault *f,
			   uint64_t want_pamt_kb)
{
	static struct calls hc;
	struct lboot b = linux_boot_faulted(c, f);
	struct platform *hp;
	char *hlog = NULL;
	int hret, ret;
	struct host *h = host_boot_logged(c, f, &hp, &hlog, &hret, &hc);
	struct tdxsim_linux_counts k;

	assert_int_equal(b.ret, hret);
	if (want_pamt_kb)
		assert_int_equal(tdxsim_linux_pamt_bytes(b.l) >> 10, want_pamt_kb);
	assert_tdmrs_agree(b.l, &hc);
	if (!b.ret)
		assert_int_equal(tdxsim_linux_pamt_bytes(b.l), h->plan->pamt_bytes);
	assert_string_equal(tdxsim_linux_log(b.l), hlog);
	assert_calls_agree(b.l, &hc);
	tdxsim_linux_counts(b.l, &k);
	assert_int_equal(k.warns, 0);
	assert_int_equal(k.lockdep, 0);
	if (b.ret) {
		assert_int_equal(k.live_allocs, 0);
		assert_pamts_reset(b.p, b.l);
		if (host_tdx_module_status(h) == TDX_MODULE_ERROR) {
			size_t n = hc.n;

			assert_int_equal(tdxsim_linux_tdx_enable(b.l), -EINVAL);
			assert_int_equal(platform_on_lp(hp, 0, host_tdx_enable_locked, h), -EINVAL);
			assert_int_equal(hc.n, n);
			assert_calls_agree(b.l, &hc);
		}
	}
	ret = b.ret;
	host_destroy(h);
	fclose(hc.log);
	platform_destroy(hp);
	free(hlog);
	linux_done(&b);
	return ret;
}

void compare_with_host(const struct tdxsim_platform_config *c, uint64_t want_pamt_kb)
{
	assert_int_equal(compare_faulted(c, NULL, want_pamt_kb), 0);
}

int compare_memory_online(const struct tdxsim_platform_config *c,
			  const struct tdxsim_mem_range *r, unsigned n)
{
	static struct calls hc;
	struct lboot b = linux_boot(c);
	struct platform *hp;
	char *hlog = NULL;
	int hret, refused = 0;
	struct host *h = host_boot_logged(c, NULL, &hp, &hlog, &hret, &hc);

	assert_int_equal(b.ret, 0);
	assert_int_equal(hret, 0);
	for (unsigned i = 0; i < n; i++) {
		int k = tdxsim_linux_memory_online(b.l, r[i].base, r[i].size, (int)r[i].node);

		assert_int_equal(k, host_memory_online(h, r[i].base, r[i].size, r[i].node));
		refused += k == -EPERM;
	}
	host_destroy(h);
	fclose(hc.log);
	platform_destroy(hp);
	free(hlog);
	linux_done(&b);
	return refused;
}
