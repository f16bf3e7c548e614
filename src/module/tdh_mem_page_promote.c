/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.PAGE.PROMOTE (abi §5.7, §4.3): RCX = level(1 or 2)|GPA of the
 * non-leaf entry, RDX = TDR. Merges the 512 leaves below it into one
 * large leaf and frees the S-EPT page that held them: out RCX = that
 * page. A pending host interrupt stops it before any change, with RCX
 * and RDX as they came in, so the VMM simply retries.
 */
#include "sept.h"

#define LOCK_BITS (SEPT_TDEL | SEPT_TDHP)

static void unlock_children(uint64_t *e, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		atomic_fetch_and((_Atomic uint64_t *)&e[i], ~SEPT_TDEL);
}

/* is_sept_page_valid_for_merge: every child locked, the first MAPPED or
 * PENDING and aligned to the large size, each next one the same entry
 * one small page further. *locked counts the children to unlock. */
static uint64_t children_mergeable(struct tdx_module *m, uint64_t *e,
				   unsigned level, unsigned *locked)
{
	uint64_t first = 0, step = level_size(level - 1);

	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++) {
		struct sept_walk cw = { .entry = (_Atomic uint64_t *)&e[i],
					.level = level - 1 };
		uint64_t v;

		if (!sept_lock_host(m, &cw))
			return TDX_OPERAND_BUSY;
		*locked = i + 1;
		v = sept_load(&cw) & ~LOCK_BITS;
		if (i == 0) {
			int s = sept_state_of(v);

			if ((s != SEPT_MAPPED && s != SEPT_PENDING) ||
			    (sept_hpa(v) & (level_size(level) - 1)))
				return TDX_EPT_INVALID_PROMOTE_CONDITIONS;
			first = v;
		} else if (v != first + i * step) {
			return TDX_EPT_INVALID_PROMOTE_CONDITIONS;
		}
	}
	return TDX_SUCCESS;
}

static uint64_t merge(struct tdx_module *m, struct seam_ctx *c,
		      struct td_ref *td, struct sept_walk *w,
		      struct locked_page *sept_page, const uint64_t in[2])
{
	uint64_t *e = (uint64_t *)td_map(m, sept_page->pa, td->tdr->hkid), status;
	unsigned locked = 0;

	status = children_mergeable(m, e, w->level, &locked);
	if (status != TDX_SUCCESS) {
		sept_set_details(c, w);
		status = STATUS(status, TDX_OPERAND_ID_RCX);
	} else if (module_fault(m, TDXSIM_INJECT_INTERRUPT)) {
		c->gpr[RCX] = in[0];
		c->gpr[RDX] = in[1];
		status = TDX_INTERRUPTED_RESTARTABLE;
	} else if ((status = page_promote(m, sept_hpa(e[0]), w->level)) != TDX_SUCCESS) {
		status = STATUS(status, TDX_OPERAND_ID_RCX);
	} else {
		sept_store(w, e[0]);
		atomic_fetch_sub(&td->tdr->chldcnt, 1);
		page_set_free(sept_page);
		c->gpr[RCX] = sept_page->pa;
		c->touched_pa = sept_hpa(e[0]);
		c->touched_len = level_size(w->level);
	}
	unlock_children(e, locked);
	return status;
}

static uint64_t promote_at(struct tdx_module *m, struct seam_ctx *c,
			   struct td_ref *td, struct sept_walk *w,
			   const uint64_t in[2])
{
	uint64_t e = sept_load(w), status;
	struct locked_page page;

	if (!sept_leaf_allows(TDH_MEM_PAGE_PROMOTE, sept_state_of(e))) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	status = page_lock_implicit(m, sept_hpa(e), TDX_PS_4K, TDX_OPERAND_ID_RCX,
				    LOCK_EX, &page);
	if (status != TDX_SUCCESS)
		return status;
	status = sept_check_tracked(c, td, w, page_bepoch(&page));
	if (status == TDX_SUCCESS)
		status = merge(m, c, td, w, &page, in);
	page_unlock(&page);
	return status;
}

static uint64_t promote(struct tdx_module *m, struct seam_ctx *c,
			struct td_ref *td, const uint64_t in[2])
{
	struct sept_walk w;
	uint64_t status;

	if (!page_info_private(td->tdcs, in[0], TDX_LVL_PD, TDX_LVL_PDPT))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	status = sept_enter(m, c, td, in[0] & TDX_PAGE_INFO_GPA_MASK,
			    in[0] & TDX_PAGE_INFO_LEVEL_MASK, LOCK_SH, &w);
	if (status != TDX_SUCCESS)
		return status;
	status = promote_at(m, c, td, &w, in);
	sept_leave(td, &w, LOCK_SH);
	return status;
}

uint64_t tdh_mem_page_promote(struct tdx_module *m, struct seam_ctx *c)
{
	const uint64_t in[2] = { c->gpr[RCX], c->gpr[RDX] };
	uint64_t status;
	struct td_ref td;

	c->gpr[RCX] = c->gpr[RDX] = 0;
	if (c->version > 0)
		c->gpr[R9] = c->gpr[R10] = c->gpr[R11] = TDX_NULL_PA;
	if (c->version > 1)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	status = td_lock_tdr(m, in[1], TDX_OPERAND_ID_RDX, LOCK_SH, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MEM_PAGE_PROMOTE, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = promote(m, c, &td, in);
	td_release(&td);
	return status;
}
