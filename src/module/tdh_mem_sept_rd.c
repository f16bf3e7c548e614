/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.SEPT.RD (abi §5.6, §5.7): RCX = level|GPA, RDX = TDR. Out:
 * RCX = the architectural entry, RDX = level and public state, the same
 * details the other leaves give on an S-EPT error.
 */
#include "sept.h"

static uint64_t details(struct tdx_module *m, struct seam_ctx *c,
		       struct td_ref *td, struct sept_walk *w)
{
	sept_set_details(c, w);
	return TDX_SUCCESS;
}

static uint64_t sept_rd(struct tdx_module *m, struct seam_ctx *c,
			struct td_ref *td, uint64_t info)
{
	return sept_on_entry(m, c, td, info, TDX_LVL_PT, sept_root_level(td->tdcs),
			     LOCK_SH, details);
}

uint64_t tdh_mem_sept_rd(struct tdx_module *m, struct seam_ctx *c)
{
	return td_sept_leaf(m, c, TDH_MEM_SEPT_RD, sept_rd);
}
