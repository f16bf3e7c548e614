/* SPDX-License-Identifier: MIT */
#include "sept.h"

#define STATE_BITS (SEPT_TDEX | SEPT_TDBW | SEPT_TDB | SEPT_TDP)
#define LOCK_BITS (SEPT_TDEL | SEPT_TDHP)

/* 7-bit encoding: D, TDEX, TDBW, TDB, TDP, IPAT, PS (abi §5.5). */
static unsigned encode(uint64_t e)
{
	return (unsigned)(((e >> 9) & 1) | (((e >> 53) & 0xF) << 1) |
			  (((e >> 6) & 3) << 5));
}

static const struct { unsigned enc; unsigned pub; } states[SEPT_NR_STATES] = {
	[SEPT_FREE]               = { 0x0E, SEPT_STATE_FREE },
	[SEPT_REMOVED]            = { 0x0C, SEPT_STATE_REMOVED },
	[SEPT_NL_MAPPED]          = { 0x00, SEPT_STATE_NL_MAPPED },
	[SEPT_NL_BLOCKED]         = { 0x08, SEPT_STATE_NL_BLOCKED },
	[SEPT_MAPPED]             = { 0x60, SEPT_STATE_MAPPED },
	[SEPT_BLOCKED]            = { 0x68, SEPT_STATE_BLOCKED },
	[SEPT_BLOCKEDW]           = { 0x64, SEPT_STATE_BLOCKEDW },
	[SEPT_EXP_BLOCKEDW]       = { 0x66, SEPT_STATE_EXPORTED_BLOCKEDW },
	[SEPT_EXP_DIRTY]          = { 0x63, SEPT_STATE_EXPORTED_DIRTY },
	[SEPT_EXP_DIRTY_BLOCKEDW] = { 0x67, SEPT_STATE_EXPORTED_DIRTY_BLOCKEDW },
	[SEPT_PENDING]            = { 0x70, SEPT_STATE_PENDING },
	[SEPT_PENDING_BLOCKED]    = { 0x78, SEPT_STATE_PENDING_BLOCKED },
	[SEPT_PENDING_BLOCKEDW]   = { 0x74, SEPT_STATE_PENDING_BLOCKEDW },
	[SEPT_PENDING_EXP_BLOCKEDW] = { 0x76, SEPT_STATE_PENDING_EXPORTED_BLOCKEDW },
	[SEPT_PENDING_EXP_DIRTY]  = { 0x73, SEPT_STATE_PENDING_EXPORTED_DIRTY },
	[SEPT_PENDING_EXP_DIRTY_BLOCKEDW] = { 0x77, SEPT_STATE_PENDING_EXPORTED_DIRTY_BLOCKEDW },
};

int sept_state_of(uint64_t e)
{
	unsigned enc = encode(e);

	for (int s = 0; s < SEPT_NR_STATES; s++)
		if (states[s].enc == enc)
			return s;
	return SEPT_BAD;
}

unsigned sept_public_state(int state)
{
	return state == SEPT_BAD ? 0xFF : states[state].pub;
}

#define B SEPT_BIT
unsigned sept_allowed(unsigned leaf)
{
	switch (leaf) {
	case TDH_MEM_PAGE_ADD:     return B(SEPT_FREE);
	case TDH_MEM_SEPT_ADD:     return B(SEPT_FREE) | B(SEPT_NL_MAPPED);
	case TDH_MEM_PAGE_AUG:     return B(SEPT_FREE) | B(SEPT_REMOVED);
	case TDH_MEM_RANGE_BLOCK:
		return B(SEPT_NL_MAPPED) | B(SEPT_MAPPED) | B(SEPT_BLOCKEDW) |
		       B(SEPT_PENDING) | B(SEPT_PENDING_BLOCKEDW);
	case TDH_MEM_RD:
		return B(SEPT_MAPPED) | B(SEPT_BLOCKEDW) | B(SEPT_EXP_BLOCKEDW) |
		       B(SEPT_EXP_DIRTY) | B(SEPT_EXP_DIRTY_BLOCKEDW);
	case TDH_MEM_WR:           return B(SEPT_MAPPED) | B(SEPT_EXP_DIRTY);
	case TDH_MEM_PAGE_DEMOTE:
		return B(SEPT_MAPPED) | B(SEPT_BLOCKED) | B(SEPT_PENDING) |
		       B(SEPT_PENDING_BLOCKED);
	case TDH_MR_EXTEND:        return B(SEPT_MAPPED);
	case TDH_MEM_PAGE_PROMOTE:
	case TDH_MEM_SEPT_REMOVE:  return B(SEPT_NL_MAPPED) | B(SEPT_NL_BLOCKED);
	case TDH_MEM_SEPT_RD:      return (1u << SEPT_NR_STATES) - 1;
	case TDH_MEM_PAGE_REMOVE:
		return B(SEPT_MAPPED) | B(SEPT_BLOCKED) | B(SEPT_BLOCKEDW) |
		       B(SEPT_PENDING) | B(SEPT_PENDING_BLOCKED) |
		       B(SEPT_PENDING_BLOCKEDW);
	case TDH_MEM_RANGE_UNBLOCK:
		return B(SEPT_NL_BLOCKED) | B(SEPT_BLOCKED) | B(SEPT_PENDING_BLOCKED);
	case TDH_MEM_PAGE_RELOCATE:
		/* Every leaf state, the export ones included. */
		return ((1u << SEPT_NR_STATES) - 1) & ~(B(SEPT_FREE) | B(SEPT_REMOVED) |
							B(SEPT_NL_MAPPED) | B(SEPT_NL_BLOCKED));
	default:                   return 0;
	}
}

bool sept_leaf_allows(unsigned leaf, int state)
{
	return state >= 0 && (sept_allowed(leaf) & SEPT_BIT(state));
}

bool sept_is_blocked_state(int s)
{
	return s == SEPT_NL_BLOCKED || s == SEPT_BLOCKED || s == SEPT_PENDING_BLOCKED;
}

/* tlb_tracking_required is 0 only for these four (abi §5.5). */
bool sept_state_tracking_required(int s)
{
	return s != SEPT_FREE && s != SEPT_REMOVED && s != SEPT_EXP_BLOCKEDW &&
	       s != SEPT_PENDING_EXP_BLOCKEDW;
}

bool sept_is_leaf_state(int s)
{
	return s >= SEPT_MAPPED;
}

bool sept_guest_readable(int s)
{
	return s == SEPT_MAPPED || s == SEPT_BLOCKEDW || s == SEPT_EXP_BLOCKEDW ||
	       s == SEPT_EXP_DIRTY || s == SEPT_EXP_DIRTY_BLOCKEDW;
}
#undef B

uint64_t sept_make(int state, uint64_t hpa)
{
	const uint64_t leaf = SEPT_MT_WB | SEPT_IPAT | SEPT_PS | SEPT_SVE;

	hpa &= SEPT_HPA_MASK;
	switch (state) {
	case SEPT_REMOVED:         return SEPT_SVE | SEPT_TDBW | SEPT_TDB;
	case SEPT_NL_MAPPED:       return hpa | SEPT_RWX | SEPT_SVE;
	case SEPT_NL_BLOCKED:      return hpa | SEPT_SVE | SEPT_TDB;
	case SEPT_MAPPED:          return hpa | leaf | SEPT_RWX;
	case SEPT_BLOCKED:         return hpa | leaf | SEPT_TDB;
	case SEPT_PENDING:         return hpa | leaf | SEPT_TDP;
	case SEPT_PENDING_BLOCKED: return hpa | leaf | SEPT_TDP | SEPT_TDB;
	default:                   return SEPTE_INIT_VALUE;
	}
}

uint64_t sept_hpa(uint64_t e)
{
	return e & SEPT_HPA_MASK;
}

unsigned sept_root_level(const struct tdcs *tdcs)
{
	return tdcs->pwl == 5 ? TDX_LVL_PML5 : TDX_LVL_PML4;
}

uint64_t level_size(unsigned level)
{
	return 1ULL << (12 + 9 * level);
}

bool page_info_valid(uint64_t info, unsigned min_level, unsigned max_level)
{
	unsigned level = info & TDX_PAGE_INFO_LEVEL_MASK;

	return !(info & TDX_PAGE_INFO_RESERVED_MASK) && level >= min_level &&
	       level <= max_level &&
	       !((info & TDX_PAGE_INFO_GPA_MASK) & (level_size(level) - 1));
}

/* Below 2^GPAW with the shared bit (GPAW - 1) clear. */
bool gpa_private_valid(const struct tdcs *tdcs, uint64_t gpa)
{
	return gpa < (1ULL << tdcs->gpaw) && !(gpa & (1ULL << (tdcs->gpaw - 1)));
}

static _Atomic uint64_t *entry_in(struct tdx_module *m, uint64_t page_pa,
				  uint16_t hkid, uint64_t gpa, unsigned level)
{
	uint64_t *page = (uint64_t *)td_map(m, page_pa, hkid);
	unsigned idx = (gpa >> (12 + 9 * level)) & 511;

	return (_Atomic uint64_t *)&page[idx];
}

bool sept_walk(struct tdx_module *m, const struct td_ref *td, uint64_t gpa,
	       unsigned level, struct sept_walk *w)
{
	unsigned l = sept_root_level(td->tdcs);
	uint64_t page = td_tdcx_pa(m, td->tdr, TDCS_PAGE_SEPT_ROOT);

	w->locked = false;
	for (;;) {
		uint64_t e;

		w->entry = entry_in(m, page, td->tdr->hkid, gpa, l);
		w->level = l;
		if (l == level)
			return true;
		e = atomic_load(w->entry);
		if (!(e & SEPT_RWX) || (e & SEPT_PS))
			return false;
		page = sept_hpa(e);
		l--;
	}
}

bool sept_lock_host(struct tdx_module *m, struct sept_walk *w)
{
	uint64_t old;

	if (module_fault(m, TDXSIM_INJECT_SEPT_ENTRY_LOCK)) {
		atomic_fetch_or(w->entry, SEPT_TDHP);
		return false;
	}
	old = atomic_fetch_or(w->entry, SEPT_TDEL);
	if (old & SEPT_TDEL) {
		atomic_fetch_or(w->entry, SEPT_TDHP);
		return false;
	}
	atomic_fetch_and(w->entry, ~SEPT_TDHP);
	w->locked = true;
	return true;
}

bool sept_lock_guest(struct sept_walk *w)
{
	uint64_t old = atomic_fetch_or(w->entry, SEPT_TDEL);

	if (old & SEPT_TDEL)
		return false;
	if (old & SEPT_TDHP) {
		atomic_fetch_and(w->entry, ~SEPT_TDEL);
		return false;
	}
	w->locked = true;
	return true;
}

void sept_unlock(struct sept_walk *w)
{
	if (w->locked)
		atomic_fetch_and(w->entry, ~SEPT_TDEL);
	w->locked = false;
}

uint64_t sept_load(const struct sept_walk *w)
{
	return atomic_load(w->entry);
}

void sept_store(struct sept_walk *w, uint64_t value)
{
	uint64_t v = atomic_load(w->entry);

	while (!atomic_compare_exchange_weak(w->entry, &v,
					     (value & ~LOCK_BITS) | (v & LOCK_BITS)))
		;
}

void sept_set_details(struct seam_ctx *c, const struct sept_walk *w)
{
	uint64_t e = sept_load(w);
	int s = sept_state_of(e);

	if (s == SEPT_FREE)
		c->gpr[RCX] = SEPT_SVE;
	else if (s >= 0 && sept_is_leaf_state(s))
		c->gpr[RCX] = e & SEPT_ARCH_LEAF_MASK;
	else
		c->gpr[RCX] = e & SEPT_ARCH_NL_MASK;
	c->gpr[RDX] = (w->level & SEPT_INFO_LEVEL_MASK) |
		      ((uint64_t)sept_public_state(s) << SEPT_INFO_STATE_SHIFT);
}

uint64_t sept_leaf_hpa(uint64_t e, unsigned level)
{
	return sept_hpa(e) & ~(level_size(level) - 1);
}

bool page_info_private(const struct tdcs *tdcs, uint64_t info,
		       unsigned min_level, unsigned max_level)
{
	return page_info_valid(info, min_level, max_level) &&
	       gpa_private_valid(tdcs, info & TDX_PAGE_INFO_GPA_MASK);
}

uint64_t sept_enter(struct tdx_module *m, struct seam_ctx *c,
		    const struct td_ref *td, uint64_t gpa, unsigned level,
		    enum lock_mode tree, struct sept_walk *w)
{
	uint64_t status = TDX_SUCCESS;

	if (!td_tree_lock(m, td->tdcs, tree))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE);
	if (!sept_walk(m, td, gpa, level, w))
		status = STATUS(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX);
	else if (!sept_lock_host(m, w))
		status = STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX);
	if (status != TDX_SUCCESS) {
		sept_set_details(c, w);
		td_tree_unlock(td->tdcs, tree);
	}
	return status;
}

void sept_leave(const struct td_ref *td, struct sept_walk *w,
		enum lock_mode tree)
{
	sept_unlock(w);
	td_tree_unlock(td->tdcs, tree);
}

uint64_t sept_on_entry(struct tdx_module *m, struct seam_ctx *c,
		       struct td_ref *td, uint64_t info, unsigned min_level,
		       unsigned max_level, enum lock_mode tree, sept_entry_fn fn)
{
	struct sept_walk w;
	uint64_t status;

	if (!page_info_private(td->tdcs, info, min_level, max_level))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	status = sept_enter(m, c, td, info & TDX_PAGE_INFO_GPA_MASK,
			    info & TDX_PAGE_INFO_LEVEL_MASK, tree, &w);
	if (status != TDX_SUCCESS)
		return status;
	status = fn(m, c, td, &w);
	sept_leave(td, &w, tree);
	return status;
}

uint64_t sept_check_tracked(struct seam_ctx *c, const struct td_ref *td,
			    const struct sept_walk *w, uint64_t bepoch)
{
	int s = sept_state_of(sept_load(w));

	if (!sept_state_tracking_required(s) ||
	    !op_state_tracking_required(td->tdcs->op_state))
		return TDX_SUCCESS;
	if (!sept_is_blocked_state(s)) {
		sept_set_details(c, w);
		return STATUS(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX);
	}
	if (!td_tlb_tracked(td->tdcs, bepoch))
		return STATUS(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_RCX);
	return TDX_SUCCESS;
}
