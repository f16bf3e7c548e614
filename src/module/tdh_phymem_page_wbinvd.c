/* SPDX-License-Identifier: MIT */
/*
 * TDH.PHYMEM.PAGE.WBINVD (abi §5.4): RCX = PA with the KeyID it was used
 * with. The page must be free (NDA); its lines are written back and
 * invalidated for that KeyID. The platform models no cache contents, so
 * the flush itself has nothing to change.
 */
#include "td.h"

uint64_t tdh_phymem_page_wbinvd(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t pa = c->gpr[RCX] & ~m->hkid_mask, status;
	struct locked_page page;

	status = page_lock_any(m, pa, TDX_OPERAND_ID_RCX, LOCK_SH, &page);
	if (status != TDX_SUCCESS)
		return status;
	if (page.level != TDX_PS_4K || pamt_entry_pt(page_word(&page)) != PT_NDA)
		status = STATUS(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX);
	page_unlock(&page);
	return status;
}
