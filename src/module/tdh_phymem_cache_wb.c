/* SPDX-License-Identifier: MIT */
/*
 * TDH.PHYMEM.CACHE.WB (abi §5.4): RCX = 0 start, 1 resume. Writes back
 * this package's caches for every flushed HKID, one sub-block at a time;
 * a pending host interrupt (TDXSIM_INJECT_INTERRUPT) stops it with
 * TDX_INTERRUPTED_RESUMABLE after the current sub-block. An HKID counts
 * as written back on this package only if the pass that finishes began
 * after it was flushed.
 */
#include "td.h"

static bool any_flushed(struct tdx_module *m, uint32_t bit)
{
	bool found = false;

	for (uint32_t h = m->private_hkid_min; h <= m->private_hkid_max; h++) {
		struct kot_entry *k = &m->kot[h];

		/* Every FLUSHED HKID counts, whether or not this package
		 * has already written it back (abi §5.4). */
		if (atomic_load(&k->state) == KOT_STATE_HKID_FLUSHED) {
			atomic_fetch_or(&k->wb_started, bit);
			found = true;
		}
	}
	return found;
}

static void finish(struct tdx_module *m, uint32_t bit)
{
	for (uint32_t h = m->private_hkid_min; h <= m->private_hkid_max; h++) {
		struct kot_entry *k = &m->kot[h];

		if (atomic_fetch_and(&k->wb_started, ~bit) & bit)
			atomic_fetch_and(&k->wbinvd_bitmap, ~bit);
	}
}

static uint64_t run(struct tdx_module *m, struct wbt_entry *w, uint32_t bit,
		    bool resume)
{
	if (resume && !w->saved)
		return TDX_WBCACHE_RESUME_ERROR;
	if (!resume) {
		/* A START drops a saved interruption point before it looks
		 * for flushed HKIDs, so a RESUME after a START that found
		 * none has nothing to resume (tdh_phymem_cache_wb). */
		w->saved = false;
		w->next_block = 0;
		if (!any_flushed(m, bit))
			return TDX_NO_HKID_READY_TO_WBCACHE;
	}
	w->saved = false;
	while (w->next_block < WBCACHE_SUB_BLOCKS) {
		w->next_block++;   /* one WBNOINVDP sub-block */
		if (w->next_block < WBCACHE_SUB_BLOCKS &&
		    module_fault(m, TDXSIM_INJECT_INTERRUPT)) {
			w->saved = true;
			return TDX_INTERRUPTED_RESUMABLE;
		}
	}
	finish(m, bit);
	return TDX_SUCCESS;
}

uint64_t tdh_phymem_cache_wb(struct tdx_module *m, struct seam_ctx *c)
{
	unsigned pkg = m->lp[c->lp].pkg_id;
	struct wbt_entry *w = &m->wbt[pkg];
	uint64_t status;

	if (c->gpr[RCX] > TDH_PHYMEM_CACHEWB_RESUME_CMD)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (module_fault(m, TDXSIM_INJECT_WBT_LOCK) || !mutex_try(&w->mutex))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_WBCACHE);
	if (!module_lock_kot(m, LOCK_SH)) {
		mutex_release(&w->mutex);
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT);
	}
	status = run(m, w, 1u << pkg, c->gpr[RCX] == TDH_PHYMEM_CACHEWB_RESUME_CMD);
	module_unlock_kot(m, LOCK_SH);
	mutex_release(&w->mutex);
	return status;
}
