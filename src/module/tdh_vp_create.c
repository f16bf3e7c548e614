/* SPDX-License-Identifier: MIT */
/* TDH.VP.CREATE (abi §5.4): RCX = new TDVPR page, RDX = TDR. */
#include <string.h>

#include "td.h"

uint64_t tdh_vp_create(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t pa = c->gpr[RCX], status;
	struct locked_page page;
	struct td_ref td;

	status = td_lock_tdr(m, c->gpr[RDX], TDX_OPERAND_ID_RDX, LOCK_SH, &td);
	if (status == TDX_SUCCESS)
		status = td_gate(m, &td, TDH_VP_CREATE, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = page_lock(m, pa, TDX_OPERAND_ID_RCX, PT_NDA, LOCK_EX, &page);
	if (status == TDX_SUCCESS) {
		uint8_t *tdvpr = td_map(m, pa, td.tdr->hkid);
		struct tdvps_mgmt *mg = tdvps_mgmt_of(tdvpr);

		memset(tdvpr, 0, PAGE_4K);
		mg->state = VCPU_UNINITIALIZED;
		mg->num_tdvps_pages = 1;
		atomic_store(&mg->assoc_lpid, -1);
		mg->tdvps_pa[0] = pa | ((uint64_t)td.tdr->hkid << m->hkid_start_bit);
		atomic_fetch_add(&td.tdr->chldcnt, 1);
		page_set(&page, PT_TDVPR, td.tdr_pa);
		page_set_bepoch(&page, 0);
		page_unlock(&page);
	}
	td_release(&td);
	return status;
}
