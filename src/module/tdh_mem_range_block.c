/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.RANGE.BLOCK (abi §5.7): RCX = level|GPA, RDX = TDR. Clears the
 * entry's access so the guest faults, then stamps the blocked page (or
 * the child S-EPT page of a non-leaf) with the TD epoch, from which
 * TRACK later decides that no TLB can still hold the old translation.
 */
#include "sept.h"

static int blocked_state(int s)
{
	switch (s) {
	case SEPT_NL_MAPPED:        return SEPT_NL_BLOCKED;
	case SEPT_MAPPED:
	case SEPT_BLOCKEDW:         return SEPT_BLOCKED;
	default:                    return SEPT_PENDING_BLOCKED;
	}
}

static uint64_t block_at(struct tdx_module *m, struct seam_ctx *c,
			 struct td_ref *td, struct sept_walk *w)
{
	uint64_t e = sept_load(w), hpa;
	int s = sept_state_of(e);
	bool leaf;

	if (!sept_leaf_allows(TDH_MEM_RANGE_BLOCK, s)) {
		sept_set_details(c, w);
		return STATUS(sept_is_blocked_state(s) ? TDX_GPA_RANGE_ALREADY_BLOCKED
						       : TDX_EPT_ENTRY_STATE_INCORRECT,
			      TDX_OPERAND_ID_RCX);
	}
	leaf = sept_is_leaf_state(s);
	hpa = leaf ? sept_leaf_hpa(e, w->level) : sept_hpa(e);
	sept_store(w, sept_make(blocked_state(s), hpa));
	/* Sampled after blocking: a vCPU entering later sees the block. */
	page_implicit_set_bepoch(m, hpa, leaf ? w->level : TDX_PS_4K,
				 atomic_load(&td->tdcs->td_epoch));
	return TDX_SUCCESS;
}

static uint64_t block(struct tdx_module *m, struct seam_ctx *c,
			struct td_ref *td, uint64_t info)
{
	return sept_on_entry(m, c, td, info, TDX_LVL_PT, sept_root_level(td->tdcs),
			     LOCK_EX, block_at);
}

uint64_t tdh_mem_range_block(struct tdx_module *m, struct seam_ctx *c)
{
	return td_sept_leaf(m, c, TDH_MEM_RANGE_BLOCK, block);
}
