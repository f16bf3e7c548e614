/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.LP.INIT (abi §3.3): per-LP initialisation. The LP must match
 * what SYS.INIT captured (CPUID, with the package ID taken from leaf
 * 0x1F on the way, then MSRs, in the module's order).
 */
#include "module.h"
#include "platform/platform_internal.h"

/* The strict 1.5.01 (and 1.0) order allows LP.INIT only between SYS.INIT
 * and SYS.CONFIG; the current profile also after, for late CPUs. */
static bool lp_init_pending(const struct tdx_module *m)
{
	int s = atomic_load(&m->sys_state);

	if (m->profile == TDXSIM_PROFILE_1_5)
		return s == SYSINIT_DONE || s == SYSCONFIG_DONE || s == SYS_READY;
	return s == SYSINIT_DONE;
}

/* Captured MSRs [from, to): index 0 is IA32_ARCH_CAPABILITIES, which the
 * module compares before CPUID; the rest come after the package check. */
static uint64_t check_msrs(struct tdx_module *m, unsigned lp, unsigned from,
			   unsigned to)
{
	for (unsigned i = from; i < to && i < m->n_msrs; i++) {
		uint64_t v;

		if (!platform_rdmsr(m->plat, lp, m->msr_index[i], &v) ||
		    v != m->msr_value[i])
			return tdx_status_with_operand(TDX_INCONSISTENT_MSR,
						       m->msr_index[i]);
	}
	return TDX_SUCCESS;
}

static uint64_t lp_init_checks(struct tdx_module *m, struct seam_ctx *c,
			       unsigned *pkg)
{
	uint64_t status;

	if (!lp_init_pending(m))
		return TDX_SYS_LP_INIT_NOT_PENDING;
	if (m->lp[c->lp].lp_is_init)
		return TDX_SYS_LP_INIT_DONE;
	if (module_fault(m, TDXSIM_INJECT_RDRAND))
		return TDX_RND_NO_ENTROPY;   /* LFSR seed */
	status = check_msrs(m, c->lp, 0, 1);
	if (status == TDX_SUCCESS)   /* the package comes out of leaf 0x1F */
		status = cpuid_compare(m, c->lp, c->gpr, pkg);
	if (status != TDX_SUCCESS)
		return status;
	return check_msrs(m, c->lp, 1, m->n_msrs);
}

uint64_t tdh_sys_lp_init(struct tdx_module *m, struct seam_ctx *c)
{
	unsigned pkg = 0;
	uint64_t status;

	c->gpr[RCX] = c->gpr[RDX] = c->gpr[R8] = 0;
	if (!module_lock_global(m, LOCK_SH))
		return TDX_SYS_BUSY;
	status = lp_init_checks(m, c, &pkg);
	if (status == TDX_SUCCESS) {
		m->lp[c->lp].pkg_id = pkg;
		m->lp[c->lp].lp_is_init = true;
		atomic_fetch_add(&m->num_of_init_lps, 1);
	}
	module_unlock_global(m, LOCK_SH);
	return status;
}

uint64_t tdh_sys_lp_shutdown(struct tdx_module *m, struct seam_ctx *c)
{
	return TDX_SUCCESS;   /* deprecated; abi §3.3 */
}

uint64_t tdh_mng_key_reclaimid(struct tdx_module *m, struct seam_ctx *c)
{
	return TDX_SUCCESS;   /* no-op in 1.5; abi §1.2 */
}
