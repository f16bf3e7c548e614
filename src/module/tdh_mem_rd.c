/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.RD (abi §5.7): RCX = GPA (8-byte aligned), RDX = TDR; out
 * R8 = the 8 bytes of TD memory there. Also the body of TDH.MEM.WR,
 * which takes the new value in R8 and returns the old one there. Debug
 * TDs only: for any other TD this would open its private memory to the
 * host.
 */
#include <string.h>

#include "sept.h"
#include "platform/platform_internal.h"

static uint64_t access_leaf(struct tdx_module *m, struct seam_ctx *c,
			    const struct td_ref *td, const struct sept_walk *w,
			    uint64_t gpa, const uint64_t *store)
{
	uint64_t hpa = sept_leaf_hpa(sept_load(w), w->level) +
		       (gpa & (level_size(w->level) - 1));
	uint64_t keyed = hpa | ((uint64_t)td->tdr->hkid << m->hkid_start_bit);
	uint64_t frame = hpa & ~(PAGE_4K - 1), off = hpa & (PAGE_4K - 1);
	unsigned leaf = store ? TDH_MEM_WR : TDH_MEM_RD;

	if (!sept_leaf_allows(leaf, sept_state_of(sept_load(w)))) {
		sept_set_details(c, w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	memcpy(&c->gpr[R8], platform_keyhole_read(m->plat, keyed & ~(PAGE_4K - 1)) + off,
	       sizeof(uint64_t));
	if (store)
		memcpy(td_map(m, frame, td->tdr->hkid) + off, store, sizeof(*store));
	return TDX_SUCCESS;
}

/* check_and_walk_private_gpa_to_leaf under the tree lock: a walk that
 * ends anywhere but a present leaf means nothing is mapped there. */
static uint64_t walk_and_access(struct tdx_module *m, struct seam_ctx *c,
				const struct td_ref *td, uint64_t gpa,
				const uint64_t *store)
{
	struct sept_walk w;
	uint64_t e, status;
	int s;

	if (!gpa_private_valid(td->tdcs, gpa))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	sept_walk(m, td, gpa, TDX_LVL_PT, &w);
	e = sept_load(&w);
	s = sept_state_of(e);
	if (s < 0 || !sept_is_leaf_state(s) || !(e & SEPT_RWX)) {
		sept_set_details(c, &w);
		return STATUS(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX);
	}
	if (!sept_lock_host(m, &w)) {
		sept_set_details(c, &w);
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX);
	}
	status = access_leaf(m, c, td, &w, gpa, store);
	sept_unlock(&w);
	return status;
}

static uint64_t rd_wr(struct tdx_module *m, struct seam_ctx *c,
		      struct td_ref *td, uint64_t gpa, const uint64_t *store)
{
	uint64_t status;

	if (!(td->tdcs->attributes & TDX_TD_ATTR_DEBUG))
		return TDX_TD_NON_DEBUG;
	if (gpa & 7)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (!td_tree_lock(m, td->tdcs, LOCK_SH))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE);
	status = walk_and_access(m, c, td, gpa, store);
	td_tree_unlock(td->tdcs, LOCK_SH);
	return status;
}

uint64_t tdh_mem_rd_wr(struct tdx_module *m, struct seam_ctx *c, bool write)
{
	uint64_t gpa = c->gpr[RCX], tdr = c->gpr[RDX], data = c->gpr[R8], status;
	unsigned leaf = write ? TDH_MEM_WR : TDH_MEM_RD;
	struct td_ref td;

	c->gpr[RCX] = c->gpr[RDX] = c->gpr[R8] = 0;
	status = td_lock_tdr(m, tdr, TDX_OPERAND_ID_RDX, LOCK_SH, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, leaf, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = rd_wr(m, c, &td, gpa, write ? &data : NULL);
	td_release(&td);
	return status;
}

uint64_t tdh_mem_rd(struct tdx_module *m, struct seam_ctx *c)
{
	return tdh_mem_rd_wr(m, c, false);
}
