/* SPDX-License-Identifier: MIT */
/*
 * TDH.VP.RD (abi §8.1, §8.3): RCX = TDVPR, RDX = VP-scope field ID. R8
 * out = the element; version 1 also returns the next ID in RDX. The
 * vCPU becomes associated with this LP (abi §6.3).
 */
#include "metadata_td.h"

uint64_t tdh_vp_rd(struct tdx_module *m, struct seam_ctx *c)
{
	struct md_args a = md_leaf_args(c->gpr, c->version, true);
	struct md_target t;
	struct vcpu_ref v;
	uint64_t status;

	/* After md_leaf_args' presets (RDX = -1, R8 = 0). */
	if (c->version > 1)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	status = md_open_vp(m, c, TDH_VP_RD, &v, &t);
	if (status != TDX_SUCCESS)
		return status;
	status = md_leaf_access(&t, c->gpr, &a);
	vcpu_release(&v);
	return status;
}
