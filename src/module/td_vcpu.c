/* SPDX-License-Identifier: MIT */
#include "td_vcpu.h"

uint64_t vcpu_lock(struct tdx_module *m, uint64_t tdvpr_pa, uint64_t opid,
		   enum lock_mode mode, struct vcpu_ref *v)
{
	uint64_t status;

	v->td.tdr_lock.node[0] = v->td.tdr_lock.node[1] = v->td.tdr_lock.node[2] = NULL;
	v->td.op_locked = false;
	status = page_lock(m, tdvpr_pa, opid, PT_TDVPR, mode, &v->tdvpr_lock);
	if (status != TDX_SUCCESS)
		return status;
	status = td_lock_tdr(m, pamt_entry_owner_pa(page_word(&v->tdvpr_lock)),
			     TDX_OPERAND_ID_TDR, LOCK_SH, &v->td);
	if (status != TDX_SUCCESS) {
		page_unlock(&v->tdvpr_lock);
		return status;
	}
	v->tdvpr = td_map(m, tdvpr_pa, v->td.tdr->hkid);
	v->mgmt = tdvps_mgmt_of(v->tdvpr);
	return TDX_SUCCESS;
}

void vcpu_release(struct vcpu_ref *v)
{
	td_release(&v->td);
	page_unlock(&v->tdvpr_lock);
}

unsigned vcpu_required_pages(const struct tdcs *tdcs)
{
	return TDX_MIN_TDVPS_PAGES + tdcs->num_l2_vms * TDX_TDVPS_PAGES_PER_L2_VM;
}

uint64_t vcpu_associate(struct vcpu_ref *v, unsigned lp)
{
	int32_t prev = -1;

	if (atomic_compare_exchange_strong(&v->mgmt->assoc_lpid, &prev, (int32_t)lp)) {
		atomic_fetch_add(&v->td.tdcs->num_assoc_vcpus, 1);
		return TDX_SUCCESS;
	}
	return prev == (int32_t)lp ? TDX_SUCCESS : TDX_VCPU_ASSOCIATED;
}
