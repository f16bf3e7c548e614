/* SPDX-License-Identifier: MIT */
/* TDH.MNG.KEY.FREEID (abi §5.4): RCX = TDR. Frees the HKID; TEARDOWN. */
#include "td.h"

uint64_t tdh_mng_key_freeid(struct tdx_module *m, struct seam_ctx *c)
{
	struct td_ref td;
	uint64_t status;
	struct kot_entry *k;

	status = td_lock_tdr(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_EX, &td);
	if (status != TDX_SUCCESS)
		return status;
	if (td.tdr->lifecycle_state != TD_BLOCKED) {
		td_release(&td);
		return TDX_LIFECYCLE_STATE_INCORRECT;
	}
	if (!module_lock_kot(m, LOCK_EX)) {
		td_release(&td);
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT);
	}
	k = &m->kot[td.tdr->hkid];
	if (atomic_load(&k->wbinvd_bitmap)) {
		status = TDX_WBCACHE_NOT_COMPLETE;
	} else {
		atomic_store(&k->state, KOT_STATE_HKID_FREE);
		td.tdr->lifecycle_state = TD_TEARDOWN;
	}
	module_unlock_kot(m, LOCK_EX);
	td_release(&td);
	return status;
}
