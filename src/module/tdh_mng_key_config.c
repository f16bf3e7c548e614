/* SPDX-License-Identifier: MIT */
/*
 * TDH.MNG.KEY.CONFIG (abi §5.4): RCX = TDR. Programs the TD's key on this
 * LP's package; the TD's keys are configured once every package has it.
 */
#include "td.h"

uint64_t tdh_mng_key_config(struct tdx_module *m, struct seam_ctx *c)
{
	struct td_ref td;
	uint64_t status;
	uint32_t bit = 1u << m->lp[c->lp].pkg_id;

	status = td_lock_tdr(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_EX, &td);
	if (status != TDX_SUCCESS)
		return status;
	if (td.tdr->fatal)
		status = TDX_TD_FATAL;
	else if (td.tdr->lifecycle_state != TD_HKID_ASSIGNED)
		status = TDX_LIFECYCLE_STATE_INCORRECT;
	else if (atomic_load(&td.tdr->pkg_config_bitmap) & bit)
		status = TDX_KEY_CONFIGURED;
	else if (module_fault(m, TDXSIM_INJECT_PCONFIG_BUSY))
		status = STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KET);
	else if (module_fault(m, TDXSIM_INJECT_KEYGEN))
		status = TDX_KEY_GENERATION_FAILED;
	if (status == TDX_SUCCESS &&
	    (atomic_fetch_or(&td.tdr->pkg_config_bitmap, bit) | bit) ==
	    atomic_load(&m->pkg_config_bitmap))
		td.tdr->lifecycle_state = TD_KEYS_CONFIGURED;
	td_release(&td);
	return status;
}
