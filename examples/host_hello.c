/* SPDX-License-Identifier: MIT */
/*
 * host_hello: the smallest useful tdxsim host program.
 *
 * It builds the built-in default platform (2 packages x 4 LPs, ~64 GiB),
 * does what a kernel does first with TDX - VMXON, TDH.SYS.INIT once,
 * TDH.SYS.LP.INIT on every LP - and then reads a few global metadata
 * fields with TDH.SYS.RD. Exit status 0 on success, 1 on any failure.
 */
#include <stdio.h>

#include "tdxsim/tdxsim.h"

/* A status for printing: its name, or "?" when tdxsim does not know it. */
static const char *sname(uint64_t status)
{
	const char *n = tdx_status_name(status);

	return n ? n : "?";
}

/*
 * Per-LP work, run through platform_on_lp() (the analogue of Linux's
 * smp_call_on_cpu()): inside, the thread is bound to the target LP, so
 * platform_vmxon() and seamcall() act on that LP.
 */
static int lp_init(void *arg)
{
	struct platform *p = arg;
	struct tdx_module_args args = { 0 };
	uint64_t st;

	/* LP 0 is already in VMX operation (-EIO); that is fine. */
	if (platform_current_lp(p) != 0 && platform_vmxon(p) != 0)
		return -1;
	st = seamcall(TDH_SYS_LP_INIT, &args);
	printf("  LP %d: TDH.SYS.LP.INIT -> %s\n", platform_current_lp(p), sname(st));
	return st == TDX_SUCCESS ? 0 : -1;
}

/* TDH.SYS.RD of one field: RDX = field ID in, R8 = value out. */
static int sys_rd(uint64_t field, uint64_t *value)
{
	struct tdx_module_args args = { .rdx = field };
	uint64_t st = seamcall(TDH_SYS_RD, &args);
	const char *name = md_sys_field_name(field);

	printf("  TDH.SYS.RD %-14s -> %s", name ? name : "?", sname(st));
	if (st != TDX_SUCCESS) {
		printf("\n");
		return -1;
	}
	printf(", value %llu\n", (unsigned long long)args.r8);
	*value = args.r8;
	return 0;
}

int main(void)
{
	struct tdxsim_platform_config cfg;
	struct tdx_module_args args = { 0 };
	struct platform *p;
	uint64_t st, major = 0, minor = 0, update = 0, max_tdmrs = 0;
	char err[256];
	int ret = 1;

	/* 1. The machine: start from the default description; platform_create()
	 *    checks it (tdxsim_config_finish) and loads the TDX module. */
	tdxsim_config_default(&cfg);
	p = platform_create(&cfg, err, sizeof(err));
	if (!p) {
		fprintf(stderr, "platform_create: %s\n", err);
		return 1;
	}
	printf("platform '%s': %u packages, %u LPs\n", platform_config(p)->name,
	       platform_nr_packages(p), platform_nr_lps(p));

	/* 2. Run this thread on LP 0 and enter VMX operation there:
	 *    SEAMCALL is #UD outside VMX operation. */
	if (platform_bind(p, 0) != 0 || platform_vmxon(p) != 0) {
		fprintf(stderr, "cannot bind to LP 0 / VMXON\n");
		goto out;
	}

	/* 3. Global initialisation, once, on any LP. */
	st = seamcall(TDH_SYS_INIT, &args);
	printf("TDH.SYS.INIT -> %s\n", sname(st));
	if (st != TDX_SUCCESS)
		goto out;

	/* 4. Per-LP initialisation on every LP; platform_on_lp() gives our
	 *    LP back to us afterwards. */
	printf("TDH.SYS.LP.INIT on all LPs:\n");
	for (unsigned lp = 0; lp < platform_nr_lps(p); lp++)
		if (platform_on_lp(p, lp, lp_init, p) != 0)
			goto out;

	/* 5. Global metadata: the module version and the TDMR limit. */
	printf("metadata:\n");
	if (sys_rd(MD_SYS_MAJOR_VERSION, &major) || sys_rd(MD_SYS_MINOR_VERSION, &minor) ||
	    sys_rd(MD_SYS_UPDATE_VERSION, &update) || sys_rd(MD_SYS_MAX_TDMRS, &max_tdmrs))
		goto out;
	printf("TDX module %llu.%llu.%llu, MAX_TDMRS %llu\n",
	       (unsigned long long)major, (unsigned long long)minor,
	       (unsigned long long)update, (unsigned long long)max_tdmrs);
	ret = 0;
out:
	/* 6. Leave the LP and free the machine. */
	platform_unbind(p);
	platform_destroy(p);
	return ret;
}
