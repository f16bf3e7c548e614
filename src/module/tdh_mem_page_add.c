/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.PAGE.ADD (abi §5.7, §5.8): RCX = level(0)|GPA, RDX = TDR,
 * R8 = target page, R9 = source (shared). Build time only: the TDR is
 * held exclusively, which serialises the SEPT. RCX/RDX out are zero
 * unless an S-EPT error reports the entry there.
 */
#include "sept.h"
#include "platform/platform_internal.h"

static void copy_page(struct tdx_module *m, uint64_t src, uint64_t dst,
		      uint16_t hkid)
{
	/* Read as the CPU reads through the source's shared KeyID. */
	platform_mem_read(m->plat, src, td_map(m, dst, hkid), PAGE_4K);
}

static uint64_t add_page(struct tdx_module *m, struct seam_ctx *c,
			 struct td_ref *td, uint64_t gpa, uint64_t src,
			 uint64_t dst)
{
	struct locked_page page;
	struct sept_walk w;
	uint64_t status;

	if (!sept_walk(m, td, gpa, TDX_LVL_PT, &w)) {
		sept_set_details(c, &w);
		return STATUS(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX);
	}
	if (sept_state_of(sept_load(&w)) != SEPT_FREE) {
		sept_set_details(c, &w);
		return STATUS(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX);
	}
	if (!hpa_valid_shared(m, src, PAGE_4K, PAGE_4K))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R9);
	status = page_lock(m, dst, TDX_OPERAND_ID_R8, PT_NDA, LOCK_EX, &page);
	if (status != TDX_SUCCESS)
		return status;
	copy_page(m, src, dst, td->tdr->hkid);
	sept_store(&w, sept_make(SEPT_MAPPED, dst));
	mr_extend_header(td->tdcs, TDX_MR_NAME_PAGE_ADD, gpa);
	atomic_fetch_add(&td->tdr->chldcnt, 1);
	page_set(&page, PT_REG, td->tdr_pa);
	page_set_bepoch(&page, 0);
	page_unlock(&page);
	return TDX_SUCCESS;
}

uint64_t tdh_mem_page_add(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t info = c->gpr[RCX], tdr = c->gpr[RDX], status;
	struct td_ref td;

	c->gpr[RCX] = c->gpr[RDX] = 0;
	status = td_lock_tdr(m, tdr, TDX_OPERAND_ID_RDX, LOCK_EX, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MEM_PAGE_ADD, -1);
	if (status == TDX_SUCCESS) {
		if (!page_info_valid(info, 0, 0) ||
		    !gpa_private_valid(td.tdcs, info & TDX_PAGE_INFO_GPA_MASK))
			status = STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
		else
			status = add_page(m, c, &td, info & TDX_PAGE_INFO_GPA_MASK,
					  c->gpr[R9], c->gpr[R8]);
	}
	td_release(&td);
	return status;
}
