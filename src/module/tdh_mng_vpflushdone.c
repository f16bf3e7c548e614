/* SPDX-License-Identifier: MIT */
/*
 * TDH.MNG.VPFLUSHDONE (abi §5.4): RCX = TDR. After every vCPU is flushed
 * the TD is blocked and its HKID waits for CACHE.WB on every package.
 */
#include "td.h"

static uint64_t check(const struct td_ref *td)
{
	uint32_t life = td->tdr->lifecycle_state;

	if (life != TD_KEYS_CONFIGURED && life != TD_HKID_ASSIGNED)
		return TDX_LIFECYCLE_STATE_INCORRECT;
	if (td->tdcs && td->tdcs->op_state != OP_STATE_UNINITIALIZED &&
	    atomic_load(&td->tdcs->num_assoc_vcpus))
		return TDX_FLUSHVP_NOT_DONE;
	return TDX_SUCCESS;
}

uint64_t tdh_mng_vpflushdone(struct tdx_module *m, struct seam_ctx *c)
{
	struct td_ref td;
	uint64_t status;

	status = td_lock_tdr(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_EX, &td);
	if (status != TDX_SUCCESS)
		return status;
	if (!module_lock_kot(m, LOCK_EX)) {
		td_release(&td);
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT);
	}
	status = check(&td);
	if (status == TDX_SUCCESS) {
		struct kot_entry *k = &m->kot[td.tdr->hkid];

		atomic_store(&k->wbinvd_bitmap, atomic_load(&m->pkg_config_bitmap));
		atomic_store(&k->wb_started, 0);
		td.tdr->lifecycle_state = TD_BLOCKED;
		atomic_store(&k->state, KOT_STATE_HKID_FLUSHED);
	}
	module_unlock_kot(m, LOCK_EX);
	td_release(&td);
	return status;
}
