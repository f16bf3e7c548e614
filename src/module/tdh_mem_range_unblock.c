/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.RANGE.UNBLOCK (abi §5.7): RCX = level|GPA, RDX = TDR. Undoes
 * BLOCK, but only once the block is TLB-tracked while the TD may run:
 * otherwise a stale translation from before the block could outlive a
 * later change the block was meant to cover.
 */
#include "sept.h"

static int unblocked_state(int s)
{
	switch (s) {
	case SEPT_NL_BLOCKED:       return SEPT_NL_MAPPED;
	case SEPT_BLOCKED:          return SEPT_MAPPED;
	default:                    return SEPT_PENDING;
	}
}

static uint64_t unblock_at(struct tdx_module *m, struct seam_ctx *c,
			   struct td_ref *td, struct sept_walk *w)
{
	uint64_t e = sept_load(w), hpa;
	int s = sept_state_of(e);
	bool leaf;

	if (!sept_leaf_allows(TDH_MEM_RANGE_UNBLOCK, s)) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	leaf = sept_is_leaf_state(s);
	hpa = leaf ? sept_leaf_hpa(e, w->level) : sept_hpa(e);
	if (sept_state_tracking_required(s) &&
	    op_state_tracking_required(td->tdcs->op_state) &&
	    !td_tlb_tracked(td->tdcs, page_implicit_bepoch(m, hpa, leaf ? w->level
								      : TDX_PS_4K)))
		return STATUS(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_SEPT_TREE);
	sept_store(w, sept_make(unblocked_state(s), hpa));
	return TDX_SUCCESS;
}

static uint64_t unblock(struct tdx_module *m, struct seam_ctx *c,
			struct td_ref *td, uint64_t info)
{
	return sept_on_entry(m, c, td, info, TDX_LVL_PT, sept_root_level(td->tdcs),
			     LOCK_EX, unblock_at);
}

uint64_t tdh_mem_range_unblock(struct tdx_module *m, struct seam_ctx *c)
{
	return td_sept_leaf(m, c, TDH_MEM_RANGE_UNBLOCK, unblock);
}
