/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.PAGE.DEMOTE (abi §5.7, §4.3): RCX = level(1 or 2)|GPA of a
 * large leaf, RDX = TD handle (TDR, flag bit 0), R8 = a free page that
 * becomes the S-EPT page of the 512 smaller leaves. The small leaves
 * come out unblocked: the block only had to cover the split itself. A
 * pending host interrupt stops it before any change, with RCX and RDX
 * as they came in.
 */
#include "sept.h"

static int small_state(int s)
{
	return (s == SEPT_MAPPED || s == SEPT_BLOCKED) ? SEPT_MAPPED : SEPT_PENDING;
}

static void fill_split(struct tdx_module *m, const struct td_ref *td,
		       uint64_t sept_pa, uint64_t hpa, unsigned level, int s)
{
	uint64_t *e = (uint64_t *)td_map(m, sept_pa, td->tdr->hkid);

	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++)
		e[i] = sept_make(small_state(s), hpa + i * level_size(level - 1));
}

/* With the new page locked: split the S-EPT, then the PAMT, then point
 * the entry at the new page. */
static uint64_t split(struct tdx_module *m, struct seam_ctx *c,
		      struct td_ref *td, struct sept_walk *w,
		      struct locked_page *page, const uint64_t in[2])
{
	uint64_t e = sept_load(w), hpa = sept_leaf_hpa(e, w->level), status;

	fill_split(m, td, page->pa, hpa, w->level, sept_state_of(e));
	if (module_fault(m, TDXSIM_INJECT_INTERRUPT)) {
		c->gpr[RCX] = in[0];
		c->gpr[RDX] = in[1];
		return TDX_INTERRUPTED_RESTARTABLE;
	}
	status = page_demote(m, hpa, w->level);
	if (status != TDX_SUCCESS)
		return STATUS(status, TDX_OPERAND_ID_RCX);
	sept_store(w, sept_make(SEPT_NL_MAPPED, page->pa));
	page_set(page, PT_EPT, td->tdr_pa);
	atomic_fetch_add(&td->tdr->chldcnt, 1);
	c->touched_pa = hpa;
	c->touched_len = level_size(w->level);
	return TDX_SUCCESS;
}

static uint64_t demote_at(struct tdx_module *m, struct seam_ctx *c,
			  struct td_ref *td, struct sept_walk *w,
			  const uint64_t in[2], uint64_t new_pa)
{
	uint64_t e = sept_load(w), hpa = sept_leaf_hpa(e, w->level), status;
	struct locked_page page;

	if (!sept_leaf_allows(TDH_MEM_PAGE_DEMOTE, sept_state_of(e))) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	status = sept_check_tracked(c, td, w, page_implicit_bepoch(m, hpa, w->level));
	if (status != TDX_SUCCESS)
		return status;
	status = page_lock(m, new_pa, TDX_OPERAND_ID_R8, PT_NDA, LOCK_EX, &page);
	if (status != TDX_SUCCESS)
		return status;
	status = split(m, c, td, w, &page, in);
	page_unlock(&page);
	return status;
}

static uint64_t demote(struct tdx_module *m, struct seam_ctx *c,
		       struct td_ref *td, const uint64_t in[2], uint64_t new_pa)
{
	struct sept_walk w;
	uint64_t status;

	if (!page_info_private(td->tdcs, in[0], TDX_LVL_PD, TDX_LVL_PDPT))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	status = sept_enter(m, c, td, in[0] & TDX_PAGE_INFO_GPA_MASK,
			    in[0] & TDX_PAGE_INFO_LEVEL_MASK, LOCK_SH, &w);
	if (status != TDX_SUCCESS)
		return status;
	status = demote_at(m, c, td, &w, in, new_pa);
	sept_leave(td, &w, LOCK_SH);
	return status;
}

uint64_t tdh_mem_page_demote(struct tdx_module *m, struct seam_ctx *c)
{
	const uint64_t in[2] = { c->gpr[RCX], c->gpr[RDX] };
	uint64_t status;
	struct td_ref td;

	c->gpr[RCX] = c->gpr[RDX] = 0;
	if (in[1] & TDX_TD_HANDLE_RESERVED_MASK)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	status = td_lock_tdr(m, in[1] & TDX_TD_HANDLE_TDR_MASK, TDX_OPERAND_ID_RDX,
			     LOCK_SH, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MEM_PAGE_DEMOTE, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = demote(m, c, &td, in, c->gpr[R8]);
	td_release(&td);
	return status;
}
