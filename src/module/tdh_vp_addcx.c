/* SPDX-License-Identifier: MIT */
/* TDH.VP.ADDCX (abi §5.4): RCX = new TDCX page, RDX = TDVPR. */
#include <string.h>

#include "td_vcpu.h"

static uint64_t check_vcpu(const struct vcpu_ref *v)
{
	if (v->mgmt->state != VCPU_UNINITIALIZED)
		return TDX_VCPU_STATE_INCORRECT;
	if (v->mgmt->num_tdvps_pages >= TDX_MAX_TDVPS_PAGES)
		return TDX_TDCX_NUM_INCORRECT;
	return TDX_SUCCESS;
}

uint64_t tdh_vp_addcx(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t pa = c->gpr[RCX], status;
	struct locked_page page;
	struct vcpu_ref v;

	status = vcpu_lock(m, c->gpr[RDX], TDX_OPERAND_ID_RDX, LOCK_EX, &v);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &v.td, TDH_VP_ADDCX, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = check_vcpu(&v);
	if (status == TDX_SUCCESS)
		status = page_lock(m, pa, TDX_OPERAND_ID_RCX, PT_NDA, LOCK_EX, &page);
	if (status == TDX_SUCCESS) {
		uint16_t hkid = v.td.tdr->hkid;

		td_page_clear(m, pa, hkid);
		v.mgmt->tdvps_pa[v.mgmt->num_tdvps_pages++] =
			pa | ((uint64_t)hkid << m->hkid_start_bit);
		atomic_fetch_add(&v.td.tdr->chldcnt, 1);
		page_set(&page, PT_TDCX, v.td.tdr_pa);
		page_set_bepoch(&page, 0);
		page_unlock(&page);
	}
	vcpu_release(&v);
	return status;
}
