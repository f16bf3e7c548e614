/* SPDX-License-Identifier: MIT */
/*
 * TDH.MR.EXTEND (abi §5.8): RCX = GPA (256-aligned), RDX = TDR. Hashes a
 * header block and the 256 bytes of TD memory at the GPA into MRTD.
 */
#include "sept.h"
#include "platform/platform_internal.h"

static uint64_t extend(struct tdx_module *m, struct seam_ctx *c,
		       struct td_ref *td, uint64_t gpa)
{
	struct sept_walk w;
	uint64_t e, hpa;
	const uint8_t *page;
	int s;

	/* A walk that stops early at a leaf has found a large page. */
	sept_walk(m, td, gpa, TDX_LVL_PT, &w);
	e = sept_load(&w);
	s = sept_state_of(e);
	/* check_and_walk_private_gpa_to_leaf: a leaf without access rights
	 * (PENDING, BLOCKED, ...) fails the walk like a missing one. */
	if (s < 0 || !sept_is_leaf_state(s) || !(e & SEPT_RWX)) {
		sept_set_details(c, &w);
		return STATUS(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX);
	}
	if (s != SEPT_MAPPED)
		return TDX_EPT_ENTRY_NOT_PRESENT;
	hpa = sept_hpa(e) + (gpa & (level_size(w.level) - 1));
	page = platform_keyhole_read(m->plat, hpa | ((uint64_t)td->tdr->hkid << m->hkid_start_bit));
	mr_extend_chunk(td->tdcs, gpa, page + (hpa & (PAGE_4K - 1)));
	return TDX_SUCCESS;
}

uint64_t tdh_mr_extend(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t gpa = c->gpr[RCX], tdr = c->gpr[RDX], status;
	struct td_ref td;

	/* tdh_mr_extend: RCX and RDX are 0 unless S-EPT details fill them. */
	c->gpr[RCX] = c->gpr[RDX] = 0;
	status = td_lock_tdr(m, tdr, TDX_OPERAND_ID_RDX, LOCK_EX, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MR_EXTEND, -1);
	if (status == TDX_SUCCESS) {
		if ((gpa & (TDX_MR_EXTEND_CHUNK - 1)) || !gpa_private_valid(td.tdcs, gpa))
			status = STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
		else
			status = extend(m, c, &td, gpa);
	}
	td_release(&td);
	return status;
}
