/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.SEPT.ADD (abi §5.7): RCX = level|GPA of the parent entry,
 * RDX = TDR handle (bit 0 allow_existing), R8 = the new SEPT page.
 */
#include "sept.h"

static void init_sept_page(struct tdx_module *m, uint64_t pa, uint16_t hkid)
{
	uint64_t *e = (uint64_t *)td_map(m, pa, hkid);

	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++)
		e[i] = SEPTE_INIT_VALUE;
}

/* With the entry locked: FREE gets the new page; an existing non-leaf
 * is fine only when the caller allows it. */
static uint64_t add_at(struct tdx_module *m, struct seam_ctx *c,
		       struct td_ref *td, struct sept_walk *w, bool allow)
{
	uint64_t new_pa = c->gpr[R8] & ~TDX_SEPT_ADD_NOT_USED, status;
	int s = sept_state_of(sept_load(w));
	struct locked_page page;

	if (!(sept_allowed(TDH_MEM_SEPT_ADD) & SEPT_BIT(s)) ||
	    (s == SEPT_NL_MAPPED && !allow)) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	/* Step 3 of abi §5.7: only after the walk and the state checks. */
	if (c->version == 0 && c->gpr[R8] == TDX_NULL_PA)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8);
	if (s == SEPT_NL_MAPPED) {
		c->gpr[R8] |= TDX_SEPT_ADD_NOT_USED;
		return TDX_SUCCESS;
	}
	status = page_lock(m, new_pa, TDX_OPERAND_ID_R8, PT_NDA, LOCK_EX, &page);
	if (status != TDX_SUCCESS)
		return status;
	init_sept_page(m, new_pa, td->tdr->hkid);
	page_set(&page, PT_EPT, td->tdr_pa);
	page_set_bepoch(&page, 0);
	page_unlock(&page);
	atomic_fetch_add(&td->tdr->chldcnt, 1);
	sept_store(w, sept_make(SEPT_NL_MAPPED, new_pa));
	return TDX_SUCCESS;
}

static uint64_t walk_and_add(struct tdx_module *m, struct seam_ctx *c,
			     struct td_ref *td, uint64_t info, bool allow)
{
	unsigned level = info & TDX_PAGE_INFO_LEVEL_MASK;
	uint64_t gpa = info & TDX_PAGE_INFO_GPA_MASK, status;
	struct sept_walk w;

	if (!td_tree_lock(m, td->tdcs, LOCK_SH))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE);
	if (!sept_walk(m, td, gpa, level, &w)) {
		sept_set_details(c, &w);
		status = STATUS(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX);
	} else if (!sept_lock_host(m, &w)) {
		sept_set_details(c, &w);
		status = STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX);
	} else {
		status = add_at(m, c, td, &w, allow);
		sept_unlock(&w);
	}
	td_tree_unlock(td->tdcs, LOCK_SH);
	return status;
}

uint64_t tdh_mem_sept_add(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t info = c->gpr[RCX], handle = c->gpr[RDX], status;
	struct td_ref td;

	if (handle & TDX_TD_HANDLE_RESERVED_MASK)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	status = td_lock_tdr(m, handle & TDX_TD_HANDLE_TDR_MASK, TDX_OPERAND_ID_RDX,
			     LOCK_SH, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MEM_SEPT_ADD, LOCK_SH);
	if (status != TDX_SUCCESS)
		goto out;
	if (!page_info_valid(info, 1, sept_root_level(td.tdcs)) ||
	    !gpa_private_valid(td.tdcs, info & TDX_PAGE_INFO_GPA_MASK))
		status = STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	else
		status = walk_and_add(m, c, &td, info, handle & TDX_SEPT_ADD_ALLOW_EXISTING);
out:
	td_release(&td);
	return status;
}
