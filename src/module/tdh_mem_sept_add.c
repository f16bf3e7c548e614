/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.SEPT.ADD (abi §5.7): RCX = level|GPA of the parent entry,
 * RDX = TDR handle (bit 0 allow_existing), R8 = the new SEPT page;
 * version 1 adds R9-R11, L2 S-EPT pages (no L2 VMs are modelled), and
 * returns R8-R11.
 */
#include "sept.h"

static void init_sept_page(struct tdx_module *m, uint64_t pa, uint16_t hkid)
{
	uint64_t *e = (uint64_t *)td_map(m, pa, hkid);

	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++)
		e[i] = SEPTE_INIT_VALUE;
}

/* The L1 page and, for version 1, the L2 pages of VMs 1-3 (R8..R11):
 * as given with bit 63 dropped (NULL_PA kept), and the "flagged" copy
 * that goes back to the host: bit 63 when an existing entry made the
 * page unneeded, NULL_PA once the page is used. */
struct sept_add {
	unsigned version;
	bool allow;
	uint64_t pa[4], flagged[4];
};

/* process_l1_page: NULL_PA asks only that the entry exist (version 1);
 * a FREE entry takes the new page; an existing one is fine only when the
 * caller allows it. */
static uint64_t check_l1(struct tdx_module *m, struct seam_ctx *c, struct sept_add *a,
			 struct sept_walk *w, struct locked_page *page)
{
	int s = sept_state_of(sept_load(w));

	if (a->pa[0] == TDX_NULL_PA) {
		if (a->version == 0)
			return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8);
		if (s != SEPT_NL_MAPPED)
			goto state_incorrect;
		return TDX_SUCCESS;
	}
	if (s == SEPT_FREE)
		return page_lock(m, a->pa[0], TDX_OPERAND_ID_R8, PT_NDA, LOCK_EX, page);
	if (s == SEPT_NL_MAPPED && a->allow) {
		a->flagged[0] |= TDX_SEPT_ADD_NOT_USED;
		return TDX_SUCCESS;
	}
state_incorrect:
	sept_set_details(c, w);
	return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
}

/* process_l2_pages: tdxsim models no L2 VMs (NUM_L2_VMS is 0), so the
 * first L2 page given names its register. */
static uint64_t check_l2(const struct sept_add *a)
{
	for (unsigned vm = 1; a->version > 0 && vm < 4; vm++)
		if (a->pa[vm] != TDX_NULL_PA)
			return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8 + vm);
	return TDX_SUCCESS;
}

/* With the entry locked: the state checks, then the new page goes in. */
static uint64_t add_at(struct tdx_module *m, struct seam_ctx *c,
		       struct td_ref *td, struct sept_walk *w, struct sept_add *a)
{
	struct locked_page page;
	uint64_t status;
	bool adding;

	if (!(sept_allowed(TDH_MEM_SEPT_ADD) & SEPT_BIT(sept_state_of(sept_load(w))))) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	status = check_l1(m, c, a, w, &page);
	if (status != TDX_SUCCESS)
		return status;
	/* NULL_PA has bit 63 set too: either way no page goes in. */
	adding = !(a->flagged[0] & TDX_SEPT_ADD_NOT_USED);
	status = check_l2(a);
	if (status != TDX_SUCCESS || !adding) {
		if (adding)
			page_unlock(&page);
		return status;
	}
	init_sept_page(m, a->pa[0], td->tdr->hkid);
	page_set(&page, PT_EPT, td->tdr_pa);
	page_set_bepoch(&page, 0);
	page_unlock(&page);
	atomic_fetch_add(&td->tdr->chldcnt, 1);
	sept_store(w, sept_make(SEPT_NL_MAPPED, a->pa[0]));
	a->flagged[0] = TDX_NULL_PA;
	return TDX_SUCCESS;
}

static uint64_t walk_and_add(struct tdx_module *m, struct seam_ctx *c,
			     struct td_ref *td, uint64_t info, struct sept_add *a)
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
		status = add_at(m, c, td, &w, a);
		sept_unlock(&w);
	}
	td_tree_unlock(td->tdcs, LOCK_SH);
	return status;
}

static uint64_t checked_add(struct tdx_module *m, struct seam_ctx *c, uint64_t info,
			    uint64_t handle, struct sept_add *a)
{
	struct td_ref td;
	uint64_t status;

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
		status = walk_and_add(m, c, &td, info, a);
out:
	td_release(&td);
	return status;
}

/*
 * tdh_mem_sept_add: RCX and RDX are zeroed before any check (an error
 * without S-EPT details leaves them 0); versions above 1 are refused
 * here, after that; only version 1 writes R8..R11 back.
 */
uint64_t tdh_mem_sept_add(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t info = c->gpr[RCX], handle = c->gpr[RDX], status;
	struct sept_add a = { .version = c->version,
			      .allow = handle & TDX_SEPT_ADD_ALLOW_EXISTING };

	c->gpr[RCX] = c->gpr[RDX] = 0;
	if (c->version > 1)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	for (unsigned vm = 0; vm < 4; vm++) {
		uint64_t pa = vm == 0 ? c->gpr[R8] : c->version ? c->gpr[R8 + vm] : 0;

		a.pa[vm] = pa == TDX_NULL_PA ? pa : pa & ~TDX_SEPT_ADD_NOT_USED;
		a.flagged[vm] = a.pa[vm];
	}
	status = checked_add(m, c, info, handle, &a);
	for (unsigned vm = 0; c->version > 0 && vm < 4; vm++)
		c->gpr[R8 + vm] = a.flagged[vm];
	return status;
}
