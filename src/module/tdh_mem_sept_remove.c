/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.SEPT.REMOVE (abi §5.7): RCX = level(1..PWL)|GPA of the parent
 * entry, RDX = TDR. Frees an empty S-EPT page; out RCX = its HPA.
 * Version 1 also reports "no L2 S-EPT page" (NULL_PA) in R9–R11: this
 * model has no L2 VMs.
 */
#include "sept.h"

static bool sept_page_free(struct tdx_module *m, uint64_t pa, uint16_t hkid)
{
	const uint64_t *e = (const uint64_t *)td_map(m, pa, hkid);

	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++)
		if (sept_state_of(e[i]) != SEPT_FREE)
			return false;
	return true;
}

static uint64_t check_and_free(struct tdx_module *m, struct seam_ctx *c,
			       struct td_ref *td, struct sept_walk *w,
			       struct locked_page *page)
{
	uint64_t status = sept_check_tracked(c, td, w, page_bepoch(page));

	if (status != TDX_SUCCESS)
		return status;
	if (!sept_page_free(m, page->pa, td->tdr->hkid)) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_PAGE_NOT_FREE, TDX_OPERAND_ID_RCX);
	}
	sept_store(w, SEPTE_INIT_VALUE);
	atomic_fetch_sub(&td->tdr->chldcnt, 1);
	page_set_free(page);
	c->gpr[RCX] = page->pa;
	c->touched_pa = page->pa;
	c->touched_len = PAGE_4K;
	return TDX_SUCCESS;
}

static uint64_t remove_at(struct tdx_module *m, struct seam_ctx *c,
			  struct td_ref *td, struct sept_walk *w)
{
	uint64_t e = sept_load(w), status;
	struct locked_page page;

	if (!sept_leaf_allows(TDH_MEM_SEPT_REMOVE, sept_state_of(e))) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	status = page_lock_implicit(m, sept_hpa(e), TDX_PS_4K, TDX_OPERAND_ID_RCX,
				    LOCK_EX, &page);
	if (status != TDX_SUCCESS)
		return status;
	status = check_and_free(m, c, td, w, &page);
	page_unlock(&page);
	return status;
}

static uint64_t sept_remove(struct tdx_module *m, struct seam_ctx *c,
			struct td_ref *td, uint64_t info)
{
	return sept_on_entry(m, c, td, info, TDX_LVL_PD, sept_root_level(td->tdcs),
			     LOCK_EX, remove_at);
}

uint64_t tdh_mem_sept_remove(struct tdx_module *m, struct seam_ctx *c)
{
	/* Version 1 reports no L2 S-EPT pages, whatever happens next; a
	 * later version is refused with those presets made. */
	if (c->version > 0)
		c->gpr[R9] = c->gpr[R10] = c->gpr[R11] = TDX_NULL_PA;
	if (c->version > 1) {
		c->gpr[RCX] = c->gpr[RDX] = 0;
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	}
	return td_sept_leaf(m, c, TDH_MEM_SEPT_REMOVE, sept_remove);
}
