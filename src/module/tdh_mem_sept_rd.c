/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.SEPT.RD (abi §5.6, §5.7): RCX = level|GPA, RDX = TDR (bit 0:
 * the L2 attributes flag). Out:
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

/*
 * tdh_mem_sept_rd: RDX bit 0 asks for the L2 attributes too, which only a
 * debug TD may, checked after the TD's own state; with no L2 VMs
 * modelled they read as 0 in R8.
 */
uint64_t tdh_mem_sept_rd(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t info = c->gpr[RCX], rdx = c->gpr[RDX], status;
	bool l2 = rdx & TDX_SEPT_RD_L2_ATTRIBUTES;
	struct td_ref td;

	c->gpr[RCX] = c->gpr[RDX] = 0;
	status = td_lock_tdr(m, rdx & ~TDX_SEPT_RD_L2_ATTRIBUTES, TDX_OPERAND_ID_RDX,
			     LOCK_SH, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &td, TDH_MEM_SEPT_RD, LOCK_SH);
	if (status == TDX_SUCCESS && l2 && !(td.tdcs->attributes & TDX_TD_ATTR_DEBUG))
		status = STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	if (status == TDX_SUCCESS)
		status = sept_rd(m, c, &td, info);
	if (status == TDX_SUCCESS && l2)
		c->gpr[R8] = 0;
	td_release(&td);
	return status;
}
