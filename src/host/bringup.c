/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "bringup.h"
#include "tdxsim/seamcall.h"

#define GiB (1ULL << 30)
/* Scratch pages for the TDMR_INFO array and entries (low RAM). */
#define TDMR_ARRAY_PA   0x200000ULL
#define TDMR_ENTRIES_PA 0x201000ULL
#define TDMR_STRIDE     512ULL   /* round_up(64 + 16 * 16, 512), linux §3.7 */

struct call {
	struct platform *p;
	struct host_bringup *b;
	uint64_t leaf;
	struct tdx_module_args args;
	uint64_t status;
};

static void log_line(struct host_bringup *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void log_line(struct host_bringup *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->log)
		return;
	fputs("virt/tdx: ", b->log);
	va_start(ap, fmt);
	vfprintf(b->log, fmt, ap);
	va_end(ap);
	fputc('\n', b->log);
}

static int fail(struct host_bringup *b, uint64_t leaf, uint64_t status,
		const struct tdx_module_args *a)
{
	b->failed_leaf = leaf;
	b->failed_status = status;
	snprintf(b->error, sizeof(b->error), "SEAMCALL (0x%016llx) failed: 0x%016llx",
		 (unsigned long long)leaf, (unsigned long long)status);
	log_line(b, "%s", b->error);
	log_line(b, "RCX 0x%016llx RDX 0x%016llx R08 0x%016llx",
		 (unsigned long long)a->rcx, (unsigned long long)a->rdx,
		 (unsigned long long)a->r8);
	log_line(b, "R09 0x%016llx R10 0x%016llx R11 0x%016llx",
		 (unsigned long long)a->r9, (unsigned long long)a->r10,
		 (unsigned long long)a->r11);
	return -EIO;
}

/* sc_retry(): re-issue while the module lacks entropy (linux §1.2). */
static uint64_t sc_retry(struct host_bringup *b, uint64_t leaf,
			 struct tdx_module_args *a)
{
	struct tdx_module_args in = *a;
	uint64_t status;

	for (unsigned i = 0; i < TDX_RDRAND_RETRY_LOOPS; i++) {
		*a = in;
		b->seamcalls++;
		status = seamcall(leaf, a);
		if (status != TDX_RND_NO_ENTROPY)
			break;
	}
	return status;
}

/* VMXON, SYS.INIT (first LP only) and LP.INIT on the LP it runs on. */
static int cpu_enable(void *arg)
{
	struct call *c = arg;
	struct tdx_module_args a = { 0 };
	uint64_t st;

	if (!platform_lp_in_vmx(c->p, (unsigned)platform_current_lp(c->p)) &&
	    platform_vmxon(c->p))
		return -EIO;
	if (c->leaf == TDH_SYS_INIT) {
		st = sc_retry(c->b, TDH_SYS_INIT, &a);
		if (st != TDX_SUCCESS)
			return fail(c->b, TDH_SYS_INIT, st, &a);
	}
	memset(&a, 0, sizeof(a));
	st = sc_retry(c->b, TDH_SYS_LP_INIT, &a);
	return st == TDX_SUCCESS ? 0 : fail(c->b, TDH_SYS_LP_INIT, st, &a);
}

static int on_lp_call(void *arg)
{
	struct call *c = arg;

	c->status = sc_retry(c->b, c->leaf, &c->args);
	return 0;
}

static uint64_t call_on(struct platform *p, struct host_bringup *b, unsigned lp,
			uint64_t leaf, struct tdx_module_args *a)
{
	struct call c = { .p = p, .b = b, .leaf = leaf, .args = *a };

	platform_on_lp(p, lp, on_lp_call, &c);
	*a = c.args;
	return c.status;
}

static int init_cpus(struct platform *p, struct host_bringup *b)
{
	for (unsigned lp = 0; lp < platform_nr_lps(p); lp++) {
		struct call c = { .p = p, .b = b, .leaf = lp ? 0 : TDH_SYS_INIT };
		int ret;

		if (!platform_lp_online(p, lp))
			continue;
		ret = platform_on_lp(p, lp, cpu_enable, &c);
		if (ret)
			return ret;
	}
	return 0;
}

static int config(struct platform *p, struct host_bringup *b)
{
	struct tdx_module_args a = { 0 };
	uint64_t st;

	for (unsigned i = 0; i < b->n_tdmrs; i++) {
		uint64_t pa = TDMR_ENTRIES_PA + i * TDMR_STRIDE;

		platform_mem_write(p, pa, &b->tdmr[i].info, sizeof(b->tdmr[i].info));
		platform_mem_write(p, TDMR_ARRAY_PA + 8 * i, &pa, 8);
	}
	a.rcx = TDMR_ARRAY_PA;
	a.rdx = b->n_tdmrs;
	a.r8 = platform_first_private_keyid(p);   /* the global KeyID */
	st = call_on(p, b, 0, TDH_SYS_CONFIG, &a);
	return st == TDX_SUCCESS ? 0 : fail(b, TDH_SYS_CONFIG, st, &a);
}

/* One LP per package, one package at a time, after WBINVD everywhere. */
static int key_config(struct platform *p, struct host_bringup *b)
{
	bool done[TDXSIM_MAX_PACKAGES] = { false };

	platform_wbinvd(p);
	for (unsigned lp = 0; lp < platform_nr_lps(p); lp++) {
		unsigned pkg = platform_lp_package(p, lp);
		struct tdx_module_args a = { 0 };
		uint64_t st;

		if (done[pkg] || !platform_lp_online(p, lp))
			continue;
		st = call_on(p, b, lp, TDH_SYS_KEY_CONFIG, &a);
		if (st != TDX_SUCCESS)
			return fail(b, TDH_SYS_KEY_CONFIG, st, &a);
		done[pkg] = true;
	}
	return 0;
}

static int tdmr_init(struct platform *p, struct host_bringup *b)
{
	for (unsigned i = 0; i < b->n_tdmrs; i++) {
		const struct tdmr_info_entry *e = &b->tdmr[i].info;
		struct tdx_module_args a = { .rdx = 0 };

		do {
			uint64_t st;

			a.rcx = e->tdmr_base;
			b->tdmr_init_calls++;
			st = call_on(p, b, 0, TDH_SYS_TDMR_INIT, &a);
			if (st != TDX_SUCCESS)
				return fail(b, TDH_SYS_TDMR_INIT, st, &a);
		} while (a.rdx < e->tdmr_base + e->tdmr_size);
	}
	return 0;
}

static void log_platform(struct platform *p, struct host_bringup *b)
{
	const struct tdxsim_platform_config *c = platform_config(p);
	uint32_t first = platform_first_private_keyid(p);

	log_line(b, "BIOS enabled: private KeyID range [%u, %u)", first,
		 first + c->tdx_keyids);
	for (size_t i = 0; i < c->n_cmrs; i++)
		log_line(b, "CMR: [0x%llx, 0x%llx)", (unsigned long long)c->cmrs[i].base,
			 (unsigned long long)(c->cmrs[i].base + c->cmrs[i].size));
}

int host_bringup(struct platform *p, struct host_bringup *b)
{
	int ret;

	log_platform(p, b);
	if (platform_config(p)->tdx_keyids < 2) {
		snprintf(b->error, sizeof(b->error),
			 "initialization failed: too few private KeyIDs available.");
		log_line(b, "%s", b->error);
		return -ENODEV;
	}
	ret = init_cpus(p, b);
	if (!ret)
		ret = host_plan_tdmrs(platform_config(p), b);
	if (ret == -ENOSPC || ret == -ENOMEM)
		log_line(b, "%s", b->error);
	if (!ret)
		ret = config(p, b);
	if (!ret)
		ret = key_config(p, b);
	if (!ret)
		ret = tdmr_init(p, b);
	if (ret) {
		log_line(b, "module initialization failed (%d)", ret);
		return ret;
	}
	log_line(b, "%llu KB allocated for PAMT", (unsigned long long)(b->pamt_bytes >> 10));
	log_line(b, "module initialized");
	return 0;
}
