/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.PAGE.RELOCATE: RCX = level(0)|GPA, RDX = TDR, R8 = a free 4 KiB
 * page. Moves a TD's 4 KiB page to the new one (its contents, unless it
 * is still pending acceptance, which zeroes it anyway) and unblocks the
 * entry; out RCX = the old page, which is free again. While the TD may
 * run the entry must be blocked and tracked first, as for PAGE.REMOVE.
 */
#include "sept.h"
#include "platform/platform_internal.h"

static bool pending(int s)
{
	return s == SEPT_PENDING || s == SEPT_PENDING_BLOCKED || s == SEPT_PENDING_BLOCKEDW ||
	       s == SEPT_PENDING_EXP_BLOCKEDW || s == SEPT_PENDING_EXP_DIRTY ||
	       s == SEPT_PENDING_EXP_DIRTY_BLOCKEDW;
}

/* sept_unblock: the blocked states go back to what they blocked. */
static int unblocked(int s)
{
	return s == SEPT_BLOCKED ? SEPT_MAPPED : s == SEPT_PENDING_BLOCKED ? SEPT_PENDING : s;
}

static void move(struct tdx_module *m, const struct td_ref *td, int s,
		 uint64_t src, uint64_t dst)
{
	uint16_t hkid = td->tdr->hkid;

	if (!pending(s))
		platform_mem_read(m->plat, src | ((uint64_t)hkid << m->hkid_start_bit),
				  td_map(m, dst, hkid), PAGE_4K);
}

/* The checks after the entry lock, in tdh_mem_page_relocate's order:
 * the state, the same page, the old page's PAMT, the TLB tracking, the
 * new page. */
static uint64_t relocate_at(struct tdx_module *m, struct seam_ctx *c,
			    struct td_ref *td, struct sept_walk *w)
{
	uint64_t e = sept_load(w), src = sept_leaf_hpa(e, w->level), dst = c->gpr[R8];
	int s = sept_state_of(e);
	struct locked_page old, new;
	uint64_t status;

	if (s < 0 || !sept_is_leaf_state(s) || !sept_leaf_allows(TDH_MEM_PAGE_RELOCATE, s)) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	if (src == dst)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8);
	status = page_lock_implicit(m, src, TDX_LVL_PT, TDX_OPERAND_ID_RCX, LOCK_EX, &old);
	if (status != TDX_SUCCESS)
		return status;
	status = sept_check_tracked(c, td, w, page_bepoch(&old));
	if (status == TDX_SUCCESS)
		status = page_lock(m, dst, TDX_OPERAND_ID_R8, PT_NDA, LOCK_EX, &new);
	if (status == TDX_SUCCESS) {
		move(m, td, s, src, dst);
		page_set_free(&old);
		page_set(&new, PT_REG, td->tdr_pa);
		page_set_bepoch(&new, 0);
		sept_store(w, sept_make(unblocked(s), dst));
		page_unlock(&new);
		c->gpr[RCX] = src;
		c->touched_pa = dst;
		c->touched_len = PAGE_4K;
		c->touched2_pa = src;
	}
	page_unlock(&old);
	return status;
}

static uint64_t relocate(struct tdx_module *m, struct seam_ctx *c,
			 struct td_ref *td, uint64_t info)
{
	return sept_on_entry(m, c, td, info, TDX_LVL_PT, TDX_LVL_PT, LOCK_SH, relocate_at);
}

uint64_t tdh_mem_page_relocate(struct tdx_module *m, struct seam_ctx *c)
{
	return td_sept_leaf(m, c, TDH_MEM_PAGE_RELOCATE, relocate);
}
