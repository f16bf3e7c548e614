/* SPDX-License-Identifier: MIT */
/*
 * TDH.MNG.INIT (abi §5.4): RCX = TDR, RDX = TD_PARAMS (shared, 1024-
 * aligned). RCX is cleared on the way out; a CPUID error puts the
 * offending leaf/subleaf there.
 */
#include <string.h>

#include "td_msr.h"
#include "td_params.h"

static void init_tdcs(struct tdx_module *m, struct tdcs *t,
		      const struct td_params *p)
{
	td_params_apply(m, t, p);
	atomic_store(&t->td_epoch, 1);
	atomic_store(&t->refcount[0], 0);
	atomic_store(&t->refcount[1], 0);
	t->hp_lock_timeout = TDX_HP_LOCK_TIMEOUT_DEFAULT_S *
			     (uint64_t)p->tsc_frequency * TDX_TSC_FREQ_UNIT_HZ;
	mr_init(t);
	memset(t->rtmr, 0, sizeof(t->rtmr));
	memset(t->mrtd, 0, sizeof(t->mrtd));
	t->op_state = OP_STATE_INITIALIZED;
}

uint64_t tdh_mng_init(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t tdr = c->gpr[RCX], params_pa = c->gpr[RDX], rcx_out = 0, status;
	struct tdcs_cpuid cpuid;
	struct td_params p;
	struct td_ref td;

	/* tdh_mng_init: RCX is 0 unless a CPUID error names a leaf, and a
	 * limited CPUID is refused before the TDR is looked at. */
	c->gpr[RCX] = 0;
	if (lp_boot_nt4(m, c->lp))
		return TDX_LIMIT_CPUID_MAXVAL_SET;
	status = td_lock_tdr(m, tdr, TDX_OPERAND_ID_RCX, LOCK_EX, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MNG_INIT, -1);
	if (status != TDX_SUCCESS)
		goto out;
	if (!hpa_valid_shared(m, params_pa, TDX_TD_PARAMS_SIZE, TDX_TD_PARAMS_ALIGNMENT)) {
		status = STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
		goto out;
	}
	/* Read as the CPU would through a shared KeyID. */
	platform_mem_read(m->plat, params_pa, &p, sizeof(p));
	status = td_params_check(m, &td, &p, &cpuid, &rcx_out);
	c->gpr[RCX] = rcx_out;
	if (status == TDX_SUCCESS) {
		init_tdcs(m, td.tdcs, &p);
		*(struct tdcs_cpuid *)tdcs_page(m, td.tdr, TDCS_PAGE_CPUID) = cpuid;
		/* set_msr_bitmaps: after the CPUID flags it reads. */
		msr_bitmaps_init(m, td.tdcs, &cpuid,
				 tdcs_page(m, td.tdr, TDCS_PAGE_MSR_BITMAPS));
		/* The TD's EPTP points at its S-EPT root (TDCS page 3). */
		td.tdcs->eptp |= td_tdcx_pa(m, td.tdr, TDCS_PAGE_SEPT_ROOT);
	}
out:
	td_release(&td);
	return status;
}
