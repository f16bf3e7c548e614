/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.PAGE.AUG (abi §5.7): RCX = level(0 or 1)|GPA, RDX = TDR,
 * R8 = the page (4K, or a free 2M range). The page joins the TD PENDING
 * and unread: the guest's ACCEPT zeroes it, so AUG does not touch it.
 * RCX/RDX out are zero unless an S-EPT error reports the entry there.
 */
#include "sept.h"

static uint64_t lock_target(struct tdx_module *m, uint64_t hpa, unsigned level,
			    struct locked_page *page)
{
	if (level == TDX_LVL_PD)
		return page_lock_free_2m(m, hpa, TDX_OPERAND_ID_R8, page);
	return page_lock(m, hpa, TDX_OPERAND_ID_R8, PT_NDA, LOCK_EX, page);
}

static uint64_t aug_at(struct tdx_module *m, struct seam_ctx *c,
		       struct td_ref *td, struct sept_walk *w, uint64_t hpa)
{
	struct locked_page page;
	uint64_t status;

	if (!sept_leaf_allows(TDH_MEM_PAGE_AUG, sept_state_of(sept_load(w)))) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	status = lock_target(m, hpa, w->level, &page);
	if (status != TDX_SUCCESS)
		return status;
	sept_store(w, sept_make(SEPT_PENDING, hpa));
	atomic_fetch_add(&td->tdr->chldcnt, 1ULL << (9 * w->level));
	page_set(&page, PT_REG, td->tdr_pa);
	page_set_bepoch(&page, 0);
	page_unlock(&page);
	c->touched_pa = hpa;
	c->touched_len = level_size(w->level);
	return TDX_SUCCESS;
}

/* td_sept_leaf() clears only RCX and RDX, so R8 is still the input. */
static uint64_t aug_entry(struct tdx_module *m, struct seam_ctx *c,
			  struct td_ref *td, struct sept_walk *w)
{
	return aug_at(m, c, td, w, c->gpr[R8]);
}

static uint64_t aug_body(struct tdx_module *m, struct seam_ctx *c,
			 struct td_ref *td, uint64_t info)
{
	return sept_on_entry(m, c, td, info, TDX_LVL_PT, TDX_LVL_PD, LOCK_SH, aug_entry);
}

uint64_t tdh_mem_page_aug(struct tdx_module *m, struct seam_ctx *c)
{
	return td_sept_leaf(m, c, TDH_MEM_PAGE_AUG, aug_body);
}
