/* SPDX-License-Identifier: MIT */
/* TDH.MR.FINALIZE (abi §5.4, §5.8): RCX = TDR. MRTD is final; RUNNABLE. */
#include <string.h>

#include "td.h"

uint64_t tdh_mr_finalize(struct tdx_module *m, struct seam_ctx *c)
{
	struct td_ref td;
	uint64_t status;

	status = td_lock_tdr(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_EX, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MR_FINALIZE, -1);
	if (status == TDX_SUCCESS && !atomic_load(&td.tdcs->num_vcpus))
		status = TDX_NO_VCPUS;
	if (status == TDX_SUCCESS) {
		mr_final(td.tdcs);
		memset(td.tdcs->servtd_hash, 0, sizeof(td.tdcs->servtd_hash));
		td.tdcs->op_state = OP_STATE_RUNNABLE;
	}
	td_release(&td);
	return status;
}
