/* SPDX-License-Identifier: MIT */
/*
 * The VMM dispatcher (abi §3.2): RAX checks, the version rule, SHUTDOWN
 * and NOT_READY gating, then one handler per leaf.
 */
#include "module.h"

typedef uint64_t (*leaf_fn)(struct tdx_module *, struct seam_ctx *);

static leaf_fn handler_of(const struct tdx_module *m, unsigned leaf)
{
	switch (leaf) {
	case TDH_SYS_INIT:          return tdh_sys_init;
	case TDH_SYS_LP_INIT:       return tdh_sys_lp_init;
	case TDH_SYS_CONFIG:        return tdh_sys_config;
	case TDH_SYS_KEY_CONFIG:    return tdh_sys_key_config;
	case TDH_SYS_TDMR_INIT:     return tdh_sys_tdmr_init;
	case TDH_SYS_LP_SHUTDOWN:   return tdh_sys_lp_shutdown;
	case TDH_SYS_SHUTDOWN:      return tdh_sys_shutdown;
	case TDH_MNG_KEY_RECLAIMID: return tdh_mng_key_reclaimid;
	case TDH_PHYMEM_PAGE_RDMD:  return tdh_phymem_page_rdmd;
	case TDH_MNG_CREATE:        return tdh_mng_create;
	case TDH_MNG_KEY_CONFIG:    return tdh_mng_key_config;
	case TDH_MNG_ADDCX:         return tdh_mng_addcx;
	case TDH_MNG_INIT:          return tdh_mng_init;
	case TDH_VP_ENTER:          return tdh_vp_enter;
	case TDH_VP_CREATE:         return tdh_vp_create;
	case TDH_VP_ADDCX:          return tdh_vp_addcx;
	case TDH_VP_INIT:           return tdh_vp_init;
	case TDH_VP_FLUSH:          return tdh_vp_flush;
	case TDH_MNG_RD:            return tdh_mng_rd;
	case TDH_MNG_WR:            return tdh_mng_wr;
	case TDH_VP_RD:             return tdh_vp_rd;
	case TDH_VP_WR:             return tdh_vp_wr;
	case TDH_MEM_SEPT_ADD:      return tdh_mem_sept_add;
	case TDH_SYS_INFO:          return tdh_sys_info;
	case TDH_MEM_PAGE_RELOCATE: return tdh_mem_page_relocate;
	case TDH_MEM_PAGE_ADD:      return tdh_mem_page_add;
	case TDH_MEM_PAGE_AUG:      return tdh_mem_page_aug;
	case TDH_MEM_RANGE_BLOCK:   return tdh_mem_range_block;
	case TDH_MEM_RANGE_UNBLOCK: return tdh_mem_range_unblock;
	case TDH_MEM_TRACK:         return tdh_mem_track;
	case TDH_MEM_PAGE_REMOVE:   return tdh_mem_page_remove;
	case TDH_MEM_SEPT_REMOVE:   return tdh_mem_sept_remove;
	case TDH_MEM_SEPT_RD:       return tdh_mem_sept_rd;
	case TDH_MEM_PAGE_PROMOTE:  return tdh_mem_page_promote;
	case TDH_MEM_PAGE_DEMOTE:   return tdh_mem_page_demote;
	case TDH_MEM_RD:            return tdh_mem_rd;
	case TDH_MEM_WR:            return tdh_mem_wr;
	case TDH_MR_EXTEND:         return tdh_mr_extend;
	case TDH_MR_FINALIZE:       return tdh_mr_finalize;
	case TDH_MNG_VPFLUSHDONE:   return tdh_mng_vpflushdone;
	case TDH_PHYMEM_CACHE_WB:   return tdh_phymem_cache_wb;
	case TDH_MNG_KEY_FREEID:    return tdh_mng_key_freeid;
	case TDH_PHYMEM_PAGE_RECLAIM: return tdh_phymem_page_reclaim;
	case TDH_PHYMEM_PAGE_WBINVD: return tdh_phymem_page_wbinvd;
	case TDH_SYS_RD:
		return m->profile == TDXSIM_PROFILE_1_0 ? NULL : tdh_sys_rd;
	case TDH_SYS_RDALL:
		return m->profile == TDXSIM_PROFILE_1_0 ? NULL : tdh_sys_rdall;
	default:
		return NULL;
	}
}

/* abi §1.1; the current profile also versions TDH.VP.INIT, which Linux
 * issues as version 1 (linux §1.3). */
static bool leaf_takes_version(const struct tdx_module *m, unsigned leaf)
{
	switch (leaf) {
	case TDH_MEM_PAGE_PROMOTE:
	case TDH_MEM_SEPT_ADD:
	case TDH_MEM_SEPT_REMOVE:
	case TDH_MNG_RD:
	case TDH_VP_RD:
		return true;
	case TDH_VP_INIT:
		return m->profile == TDXSIM_PROFILE_1_5;
	default:
		return false;
	}
}

/* Leaves allowed before SYS_READY (abi §3.2 step 3). */
static bool allowed_before_ready(const struct tdx_module *m, unsigned leaf)
{
	switch (leaf) {
	case TDH_SYS_RD:
	case TDH_SYS_RDALL:
		/* A 1.0 module has no such leaves: it answers SYS_NOT_READY
		 * before READY (canonical/tdx #331, linux §2.5). */
		return m->profile != TDXSIM_PROFILE_1_0;
	case TDH_SYS_INFO:
	case TDH_SYS_INIT:
	case TDH_SYS_LP_INIT:
	case TDH_SYS_CONFIG:
	case TDH_SYS_KEY_CONFIG:
	case TDH_SYS_LP_SHUTDOWN:
	case TDH_SYS_UPDATE:
		return true;
	default:
		return false;
	}
}

/*
 * With late LP.INIT (current profile) a READY module can see an LP that
 * never ran LP.INIT, so once READY every leaf but the init ones requires
 * it. Before READY the leaves' own state checks decide, as in 1.5.01. The
 * metadata readers check it themselves, with the same status.
 */
static bool needs_lp_init(const struct tdx_module *m, unsigned leaf, int state)
{
	if (m->profile != TDXSIM_PROFILE_1_5 || state != SYS_READY)
		return false;
	switch (leaf) {
	case TDH_SYS_INIT:
	case TDH_SYS_LP_INIT:
	case TDH_SYS_LP_SHUTDOWN:
	case TDH_SYS_RD:
	case TDH_SYS_RDALL:
	case TDH_SYS_INFO:
		return false;
	default:
		return true;
	}
}

static uint64_t gate(struct tdx_module *m, struct seam_ctx *c, leaf_fn *fn)
{
	uint64_t rax = c->gpr[RAX];
	unsigned leaf = rax & TDX_LEAF_MASK;
	int state;

	c->version = (rax >> TDX_VERSION_SHIFT) & TDX_VERSION_MASK;
	if (rax & TDX_RAX_RESERVED_MASK)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	/* The versioned leaves refuse versions they lack themselves, after
	 * the state checks and their own register presets (e.g.
	 * tdh_mem_sept_add); VP.INIT's version is this model's. */
	if ((c->version && !leaf_takes_version(m, leaf)) ||
	    (leaf == TDH_VP_INIT && c->version > 1))
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	state = atomic_load_explicit(&m->sys_state, memory_order_acquire);
	if (state == SYS_SHUTDOWN && leaf != TDH_SYS_LP_SHUTDOWN)
		return TDX_SYS_SHUTDOWN;
	if (state != SYS_READY && !allowed_before_ready(m, leaf))
		return TDX_SYS_NOT_READY;
	*fn = handler_of(m, leaf);
	if (!*fn)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	if (needs_lp_init(m, leaf, state) && !m->lp[c->lp].lp_is_init)
		return TDX_SYS_LP_INIT_NOT_DONE;
	return TDX_SUCCESS;
}

uint64_t module_dispatch(struct tdx_module *m, struct seam_ctx *c)
{
	leaf_fn fn = NULL;
	uint64_t status;

	c->touched_pa = c->touched_len = c->touched2_pa = 0;
	atomic_store_explicit(&m->lp[c->lp].lp_is_busy, true, memory_order_relaxed);
	status = gate(m, c, &fn);
	/* The armed count is read here so that the common case stays one
	 * relaxed load, without a call. */
	if (status == TDX_SUCCESS &&
	    (!atomic_load_explicit(&m->sinj.n_armed, memory_order_relaxed) ||
	     !module_status_injected(m, c->gpr[RAX] & TDX_LEAF_MASK, c->lp, &status)))
		status = fn(m, c);
	c->gpr[RAX] = status;
	atomic_store_explicit(&m->lp[c->lp].lp_is_busy, false, memory_order_release);
#ifdef TDXSIM_INVARIANTS
	if (!atomic_load_explicit(&m->invariants_off, memory_order_relaxed))
		module_check_invariants(m, c);
#endif
	return status;
}
