/* SPDX-License-Identifier: MIT */
/*
 * TDH.PHYMEM.PAGE.RECLAIM (abi §5.4): RCX = page PA. Out: RCX = page
 * type, RDX = owner, R8 = size, R9–R11 = 0, set before the TD checks so
 * they describe the page on a lifecycle error too. The S-EPT is not
 * consulted: in TEARDOWN any TD page may go back.
 */
#include "td.h"
#include "td_run.h"

static uint64_t pages_of(unsigned level)
{
	return 1ULL << (9 * level);
}

static uint64_t release_child(struct tdx_module *m, uint64_t owner,
			      unsigned level)
{
	struct td_ref td;
	uint64_t status;

	status = td_lock_tdr(m, owner, TDX_OPERAND_ID_TDR, LOCK_SH, &td);
	if (status != TDX_SUCCESS)
		return status;
	if (td.tdr->lifecycle_state != TD_TEARDOWN)
		status = TDX_LIFECYCLE_STATE_INCORRECT;
	else
		atomic_fetch_sub(&td.tdr->chldcnt, pages_of(level));
	td_release(&td);
	return status;
}

static uint64_t release_tdr(struct tdx_module *m, uint64_t pa)
{
	const struct tdr *tdr = (const struct tdr *)td_map(m, pa, m->global_hkid);

	if (tdr->lifecycle_state != TD_TEARDOWN)
		return TDX_LIFECYCLE_STATE_INCORRECT;
	if (atomic_load(&((struct tdr *)tdr)->chldcnt))
		return TDX_TD_ASSOCIATED_PAGES_EXIST;
	return TDX_SUCCESS;
}

uint64_t tdh_phymem_page_reclaim(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t pa = c->gpr[RCX], status, w0, pt;
	struct locked_page page;

	c->gpr[RCX] = c->gpr[RDX] = 0;
	for (int r = R8; r <= R11; r++)
		c->gpr[r] = 0;
	status = page_lock_any(m, pa, TDX_OPERAND_ID_RCX, LOCK_EX, &page);
	if (status != TDX_SUCCESS)
		return status;
	w0 = page_word(&page);
	pt = pamt_entry_pt(w0);
	if (pt == PT_NDA || pt == PT_RSVD) {
		status = STATUS(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX);
		goto out;
	}
	/* The page's metadata is out before the large-page alignment check
	 * (tdh_phymem_page_reclaim), so that failure reports it too. */
	c->gpr[RCX] = pt;
	c->gpr[RDX] = pamt_entry_owner_pa(w0);
	c->gpr[R8] = page.level;
	if (pa & ((PAGE_4K << (9 * page.level)) - 1)) {
		status = STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
		goto out;
	}
	status = pt == PT_TDR ? release_tdr(m, pa)
			      : release_child(m, pamt_entry_owner_pa(w0), page.level);
	if (status == TDX_SUCCESS) {
		if (pt == PT_TDVPR)
			td_run_drop(m, pa);    /* the vCPU's fiber goes with it */
		page_set_free(&page);
	}
out:
	page_unlock(&page);
	return status;
}
