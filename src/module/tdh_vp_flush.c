/* SPDX-License-Identifier: MIT */
/*
 * TDH.VP.FLUSH (abi §5.4): RCX = TDVPR. Dissociates the vCPU from this
 * LP. TDX_VCPU_NOT_ASSOCIATED also for a vCPU never associated.
 */
#include "td_vcpu.h"

uint64_t tdh_vp_flush(struct tdx_module *m, struct seam_ctx *c)
{
	struct vcpu_ref v;
	uint64_t status;

	status = vcpu_lock(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_EX, &v);
	if (status != TDX_SUCCESS)
		return status;
	if (v.td.tdr->lifecycle_state != TD_KEYS_CONFIGURED)
		status = TDX_TD_KEYS_NOT_CONFIGURED;
	else if (!v.td.tdcs || v.mgmt->num_tdvps_pages < vcpu_required_pages(v.td.tdcs))
		status = TDX_TDCX_NUM_INCORRECT;
	else if (atomic_load(&v.mgmt->assoc_lpid) != (int32_t)c->lp)
		status = TDX_VCPU_NOT_ASSOCIATED;
	if (status == TDX_SUCCESS) {
		atomic_store(&v.mgmt->assoc_lpid, -1);
		atomic_fetch_sub(&v.td.tdcs->num_assoc_vcpus, 1);
	}
	vcpu_release(&v);
	return status;
}
