/* SPDX-License-Identifier: MIT */
/*
 * TDH.MNG.RD (abi §8.1, §8.3): RCX = TDR, RDX = TD-scope field ID. R8 out
 * = the element; version 1 also puts the next readable element's ID (or
 * -1) in RDX, and a null ID asks for the first.
 */
#include "metadata_td.h"

uint64_t tdh_mng_rd(struct tdx_module *m, struct seam_ctx *c)
{
	struct md_args a = md_leaf_args(c->gpr, c->version, true);
	struct md_target t;
	struct td_ref td;
	uint64_t status;

	/* After md_leaf_args' presets (RDX = -1, R8 = 0). */
	if (c->version > 1)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	status = md_open_td(m, c, TDH_MNG_RD, &td, &t);
	if (status != TDX_SUCCESS)
		return status;
	status = md_leaf_access(&t, c->gpr, &a);
	td_release(&td);
	return status;
}
