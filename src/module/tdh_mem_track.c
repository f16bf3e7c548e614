/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.TRACK (abi §5.7): RCX = TDR. Starts a new TD epoch. Only two
 * epochs are counted (refcount by parity), so the new one reuses the
 * previous epoch's counter, which must therefore have drained.
 */
#include "td.h"

static uint64_t next_epoch(struct tdx_module *m, struct tdcs *tdcs)
{
	uint64_t epoch, status = TDX_SUCCESS;

	if (module_fault(m, TDXSIM_INJECT_EPOCH_LOCK) ||
	    !sharex_try(&tdcs->epoch_lock, LOCK_EX))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_TD_EPOCH);
	epoch = atomic_load(&tdcs->td_epoch);
	if (atomic_load(&tdcs->refcount[1 - (epoch & 1)]))
		status = TDX_PREVIOUS_TLB_EPOCH_BUSY;
	else
		atomic_store(&tdcs->td_epoch, epoch + 1);
	sharex_release(&tdcs->epoch_lock, LOCK_EX);
	return status;
}

uint64_t tdh_mem_track(struct tdx_module *m, struct seam_ctx *c)
{
	struct td_ref td;
	uint64_t status;

	status = td_lock_tdr(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_SH, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MEM_TRACK, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = next_epoch(m, td.tdcs);
	td_release(&td);
	return status;
}
