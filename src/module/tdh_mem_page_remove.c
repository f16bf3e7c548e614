/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.PAGE.REMOVE (abi §5.7): RCX = level(0..2)|GPA, RDX = TDR.
 * Takes a leaf page away from the TD; out RCX = its HPA. While the TD
 * may run, the page must first be blocked and tracked so no vCPU can
 * still reach it through a cached translation.
 */
#include "sept.h"

static uint64_t remove_at(struct tdx_module *m, struct seam_ctx *c,
			  struct td_ref *td, struct sept_walk *w)
{
	uint64_t e = sept_load(w), hpa = sept_leaf_hpa(e, w->level), status;
	int s = sept_state_of(e);
	struct locked_page page;

	if (s < 0 || !sept_is_leaf_state(s) ||
	    !sept_leaf_allows(TDH_MEM_PAGE_REMOVE, s)) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	status = page_lock_implicit(m, hpa, w->level, TDX_OPERAND_ID_RCX, LOCK_EX, &page);
	if (status != TDX_SUCCESS)
		return status;
	status = sept_check_tracked(c, td, w, page_bepoch(&page));
	if (status == TDX_SUCCESS) {
		sept_store(w, sept_make(SEPT_FREE, 0));
		atomic_fetch_sub(&td->tdr->chldcnt, 1ULL << (9 * w->level));
		page_set_free(&page);
		c->gpr[RCX] = hpa;
		c->touched_pa = hpa;
		c->touched_len = level_size(w->level);
	}
	page_unlock(&page);
	return status;
}

static uint64_t remove_page(struct tdx_module *m, struct seam_ctx *c,
			struct td_ref *td, uint64_t info)
{
	return sept_on_entry(m, c, td, info, TDX_LVL_PT, TDX_LVL_PDPT,
			     LOCK_SH, remove_at);
}

uint64_t tdh_mem_page_remove(struct tdx_module *m, struct seam_ctx *c)
{
	return td_sept_leaf(m, c, TDH_MEM_PAGE_REMOVE, remove_page);
}
