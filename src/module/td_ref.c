/* SPDX-License-Identifier: MIT */
/*
 * Reaching a TD through its TDR, the common TD-state gate (abi §5.3,
 * check_state_map_tdcs_and_lock) and the op-state table behind it.
 */
#include "td.h"

#define OPS(...) op_bits((const unsigned[]){ __VA_ARGS__, ~0u })
#define ALL_OPS ((1u << TDX_NUM_OP_STATES) - 1)

static unsigned op_bits(const unsigned *s)
{
	unsigned bits = 0;

	for (; *s != ~0u; s++)
		bits |= 1u << *s;
	return bits;
}

enum {
	UNINIT = OP_STATE_UNINITIALIZED, INIT = OP_STATE_INITIALIZED,
	RUN = OP_STATE_RUNNABLE, LX = OP_STATE_LIVE_EXPORT,
	PX = OP_STATE_PAUSED_EXPORT, POSTX = OP_STATE_POST_EXPORT,
	MI = OP_STATE_MEMORY_IMPORT, SI = OP_STATE_STATE_IMPORT,
	POSTI = OP_STATE_POST_IMPORT, LI = OP_STATE_LIVE_IMPORT,
	FI = OP_STATE_FAILED_IMPORT,
};

/* seamcall_state_lookup (abi §5.3). */
static unsigned allowed_ops(unsigned leaf)
{
	switch (leaf) {
	case TDH_VP_ENTER:          return OPS(RUN, LX, LI);
	case TDH_MNG_ADDCX:         return OPS(UNINIT);
	case TDH_MEM_PAGE_ADD:      return OPS(INIT);
	case TDH_MEM_SEPT_ADD:      return OPS(INIT, RUN, LX, MI, SI, POSTI, LI);
	case TDH_VP_ADDCX:
	case TDH_VP_CREATE:         return OPS(INIT, SI);
	case TDH_MEM_PAGE_AUG:      return OPS(INIT, RUN, LX, LI);
	case TDH_MEM_RANGE_BLOCK:
	case TDH_MEM_PAGE_DEMOTE:
	case TDH_MEM_PAGE_PROMOTE:
	case TDH_MEM_RANGE_UNBLOCK:
	case TDH_MEM_PAGE_RELOCATE: return OPS(INIT, RUN, LX, PX, POSTX, POSTI, LI);
	case TDH_MNG_RD:
	case TDH_MEM_RD:
	case TDH_MEM_SEPT_RD:
	case TDH_VP_RD:
	case TDH_MEM_SEPT_REMOVE:   return ALL_OPS & ~OPS(UNINIT);
	case TDH_MNG_WR:
	case TDH_MEM_WR:
	case TDH_VP_WR:             return OPS(INIT, RUN, LX, MI, SI, POSTI, LI, FI);
	case TDH_MR_EXTEND:
	case TDH_MR_FINALIZE:
	case TDH_VP_INIT:           return OPS(INIT);
	case TDH_VP_FLUSH:          return ALL_OPS;
	case TDH_MNG_INIT:          return OPS(UNINIT);
	case TDH_MEM_PAGE_REMOVE:   return OPS(INIT, RUN, LX, PX, POSTX, POSTI, LI, FI);
	case TDH_MEM_TRACK:         return ALL_OPS & ~OPS(UNINIT, FI);
	default:                    return 0;
	}
}

bool op_state_allows(unsigned leaf, unsigned op_state)
{
	return op_state < TDX_NUM_OP_STATES && (allowed_ops(leaf) >> op_state & 1);
}

/* tlb_tracking_required (abi §5.2). */
bool op_state_tracking_required(unsigned op_state)
{
	return op_state == RUN || op_state == LX || op_state == LI;
}

uint64_t td_tdcx_pa(const struct tdx_module *m, const struct tdr *tdr,
		    unsigned i)
{
	return tdr->tdcx_pa[i] & ~m->hkid_mask;
}

void *tdcs_page(struct tdx_module *m, const struct tdr *tdr, unsigned i)
{
	return td_map(m, tdr->tdcx_pa[i], tdr->hkid);
}

struct tdvps_mgmt *tdvps_mgmt_of(uint8_t *tdvpr)
{
	return (struct tdvps_mgmt *)(tdvpr + TDVPS_MGMT_OFFSET);
}

struct tdvps_guest *tdvps_guest_of(uint8_t *tdvpr)
{
	return (struct tdvps_guest *)(tdvpr + TDVPS_GPR_OFFSET);
}

uint64_t td_lock_tdr(struct tdx_module *m, uint64_t tdr_pa, uint64_t opid,
		     enum lock_mode mode, struct td_ref *td)
{
	uint64_t status;

	*td = (struct td_ref){ .tdr_pa = tdr_pa };
	status = page_lock(m, tdr_pa, opid, PT_TDR, mode, &td->tdr_lock);
	if (status != TDX_SUCCESS)
		return status;
	td->tdr = (struct tdr *)td_map(m, tdr_pa, m->global_hkid);
	if (td->tdr->num_tdcx >= TDX_MIN_NUM_TDCS_PAGES)
		td->tdcs = tdcs_page(m, td->tdr, TDCS_PAGE_MGMT);
	return TDX_SUCCESS;
}

uint64_t td_gate(struct tdx_module *m, struct td_ref *td, unsigned leaf,
		 int op_mode)
{
	if (td->tdr->fatal)
		return TDX_TD_FATAL;
	if (td->tdr->lifecycle_state != TD_KEYS_CONFIGURED)
		return TDX_TD_KEYS_NOT_CONFIGURED;
	if (!td->tdcs)
		return TDX_TDCS_NOT_ALLOCATED;
	if (op_mode >= 0) {
		if (module_fault(m, TDXSIM_INJECT_OP_STATE_LOCK) ||
		    !hp_lock_host_try(&td->tdcs->op_state_lock, (enum lock_mode)op_mode))
			return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE);
		td->op_locked = true;
		td->op_mode = (enum lock_mode)op_mode;
	}
	if (!op_state_allows(leaf, td->tdcs->op_state))
		return TDX_OP_STATE_INCORRECT;
	return TDX_SUCCESS;
}

void td_release_op(struct td_ref *td)
{
	if (td->op_locked)
		hp_lock_release(&td->tdcs->op_state_lock, td->op_mode);
	td->op_locked = false;
}

void td_release(struct td_ref *td)
{
	td_release_op(td);
	if (td->tdr_lock.node[td->tdr_lock.level])
		page_unlock(&td->tdr_lock);
}

/* is_tlb_tracked (abi §5.7). */
bool td_tlb_tracked(const struct tdcs *tdcs, uint64_t bepoch)
{
	uint64_t epoch = atomic_load(&tdcs->td_epoch);

	if (bepoch & PAMT_BEPOCH_MIG_FLAG)
		return false;
	if (bepoch + 1 < epoch)
		return true;
	return bepoch + 1 == epoch &&
	       atomic_load(&((struct tdcs *)tdcs)->refcount[bepoch & 1]) == 0;
}

bool td_tree_lock(struct tdx_module *m, struct tdcs *tdcs, enum lock_mode mode)
{
	if (module_fault(m, TDXSIM_INJECT_SEPT_TREE_LOCK))
		return false;
	return sharex_try(&tdcs->secure_ept_lock, mode);
}

void td_tree_unlock(struct tdcs *tdcs, enum lock_mode mode)
{
	sharex_release(&tdcs->secure_ept_lock, mode);
}

/* The S-EPT leaves' common entry: RCX = page info and RDX = TDR come in
 * and are zeroed on the way out unless the body reports S-EPT details;
 * the TDR and the op state are held shared around the body. */
uint64_t td_sept_leaf(struct tdx_module *m, struct seam_ctx *c, unsigned leaf,
		      td_sept_body body)
{
	uint64_t info = c->gpr[RCX], tdr = c->gpr[RDX], status;
	struct td_ref td;

	c->gpr[RCX] = c->gpr[RDX] = 0;
	status = td_lock_tdr(m, tdr, TDX_OPERAND_ID_RDX, LOCK_SH, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, leaf, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = body(m, c, &td, info);
	td_release(&td);
	return status;
}
