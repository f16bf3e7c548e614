/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.SEPT.RD (abi §5.6, §5.7): RCX = level|GPA, RDX = TDR. Out:
 * RCX = the architectural entry, RDX = level and public state, the same
 * details the other leaves give on an S-EPT error.
 */
#include "sept.h"

static uint64_t sept_rd(struct tdx_module *m, struct seam_ctx *c,
			struct td_ref *td, uint64_t info)
{
	struct sept_walk w;
	uint64_t status;

	if (!page_info_private(td->tdcs, info, TDX_LVL_PT, sept_root_level(td->tdcs)))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	status = sept_enter(m, c, td, info & TDX_PAGE_INFO_GPA_MASK,
			    info & TDX_PAGE_INFO_LEVEL_MASK, LOCK_SH, &w);
	if (status != TDX_SUCCESS)
		return status;
	sept_set_details(c, &w);
	sept_leave(td, &w, LOCK_SH);
	return TDX_SUCCESS;
}

uint64_t tdh_mem_sept_rd(struct tdx_module *m, struct seam_ctx *c)
{
	return td_sept_leaf(m, c, TDH_MEM_SEPT_RD, sept_rd);
}
