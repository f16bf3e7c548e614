/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.SHUTDOWN (abi §3.3): stop the module before an update. RCX =
 * requested handoff version; this module's MODULE_HV and MIN_UPDATE_HV
 * are both 0, so only 0 is valid. Every later SEAMCALL but
 * TDH.SYS.LP.SHUTDOWN then answers TDX_SYS_SHUTDOWN.
 *
 * Choice: with another LP inside SEAM the call returns TDX_SYS_BUSY and
 * leaves the state unchanged, so the VMM can retry it.
 */
#include "module.h"

uint64_t tdh_sys_shutdown(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t status = TDX_SUCCESS;

	/* The handoff version is checked before the global lock is taken
	 * (tdh_sys_shutdown). */
	if (c->gpr[RCX] != TDX_MODULE_HV)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (!module_lock_global(m, LOCK_EX))
		return TDX_SYS_BUSY;
	if (module_others_in_seam(m, c->lp))
		status = TDX_SYS_BUSY;
	else
		atomic_store(&m->sys_state, SYS_SHUTDOWN);
	module_unlock_global(m, LOCK_EX);
	return status;
}
