/* SPDX-License-Identifier: MIT */
/*
 * TDG.MEM.PAGE.ACCEPT (abi §5.9): RCX = level (0 or 1) | GPA. The walk
 * takes no tree lock. A walk that cannot reach the entry, or an entry
 * that is not pending, leaves the TD with an EPT violation (EEQ type
 * ACCEPT); the guest's TDCALL is re-executed at the next entry, as the
 * CPU re-executes the faulting instruction. Acceptance zeroes the page
 * and makes it MAPPED. A 2M accept runs to completion here: no guest
 * interrupt can be pending in this model, so accept_counter is not kept.
 */
#include "module.h"
#include "sept.h"
#include "td_run.h"

#define EEQ_ACCEPT_REQ_LEVEL_SHIFT 0    /* abi §5.9, info bits 2:0 */
#define EEQ_ACCEPT_ERR_LEVEL_SHIFT 3    /* abi §5.9, bits 5:3 */
#define EEQ_ACCEPT_ERR_STATE_SHIFT 6    /* abi §5.9, bits 13:6 */
#define EEQ_ACCEPT_IS_LEAF         (1ULL << 14) /* abi §5.9 */

static void accept_exit(struct tdx_vcpu *gv, uint64_t gpa, unsigned level,
			const struct sept_walk *w, int s)
{
	uint64_t info = ((uint64_t)level << EEQ_ACCEPT_REQ_LEVEL_SHIFT) |
			((uint64_t)w->level << EEQ_ACCEPT_ERR_LEVEL_SHIFT) |
			((uint64_t)sept_public_state(s) << EEQ_ACCEPT_ERR_STATE_SHIFT);

	if (s >= 0 && sept_is_leaf_state(s))
		info |= EEQ_ACCEPT_IS_LEAF;
	gv->exit = (struct td_exit){
		.status = TDX_SUCCESS, .reason = TDX_EXIT_EPT_VIOLATION,
		.qual = TDX_EPT_QUAL_WRITE | (sept_load(w) & SEPT_RWX) << 3,
		.ext_qual = TDX_EEQ_ACCEPT | info << TDX_EEQ_INFO_SHIFT,
		.gpa = gpa,
	};
	td_exit_to_host(gv);
}

/* One attempt; *again when a TD exit happened and the TDCALL restarts. */
static uint64_t accept(struct tdx_vcpu *gv, uint64_t gpa, unsigned level,
		       bool *again)
{
	struct tdx_module *m = gv->m;
	struct td_ref *td = &gv->v->td;
	struct sept_walk w;
	uint64_t e, hpa;
	int s;

	*again = false;
	if (!sept_walk(m, td, gpa, level, &w)) {
		s = sept_state_of(sept_load(&w));
		if (s >= 0 && sept_is_leaf_state(s) && sept_guest_readable(s))
			return TDX_PAGE_ALREADY_ACCEPTED | w.level;
		accept_exit(gv, gpa, level, &w, s);
		*again = true;
		return TDX_SUCCESS;
	}
	/* Step 3; the entry-lock injection makes it testable. */
	if (module_fault(m, TDXSIM_INJECT_SEPT_ENTRY_LOCK) || !sept_lock_guest(&w))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX);
	e = sept_load(&w);
	s = sept_state_of(e);
	if (s >= 0 && !sept_is_leaf_state(s) && s != SEPT_FREE && s != SEPT_REMOVED) {
		sept_unlock(&w);
		return TDX_PAGE_SIZE_MISMATCH | level;
	}
	if (s >= 0 && sept_guest_readable(s)) {
		sept_unlock(&w);
		return TDX_PAGE_ALREADY_ACCEPTED | level;
	}
	if (s != SEPT_PENDING) {   /* export states are not modelled */
		sept_unlock(&w);
		accept_exit(gv, gpa, level, &w, s);
		*again = true;
		return TDX_SUCCESS;
	}
	hpa = sept_leaf_hpa(e, level);
	for (uint64_t off = 0; off < level_size(level); off += PAGE_4K)
		td_page_clear(m, hpa + off, td->tdr->hkid);
	sept_store(&w, sept_make(SEPT_MAPPED, hpa));
	sept_unlock(&w);
	return TDX_SUCCESS;
}

uint64_t tdg_mem_page_accept(struct tdx_vcpu *gv, uint64_t *gpr)
{
	uint64_t info = gpr[RCX], status;
	bool again;

	if (!page_info_private(gv->v->td.tdcs, info, TDX_LVL_PT, TDX_LVL_PD))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	do
		status = accept(gv, info & TDX_PAGE_INFO_GPA_MASK,
				(unsigned)(info & TDX_PAGE_INFO_LEVEL_MASK), &again);
	while (again);
	return status;
}
