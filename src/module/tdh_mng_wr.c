/* SPDX-License-Identifier: MIT */
/*
 * TDH.MNG.WR (abi §8.1, §8.3): RCX = TDR, RDX = TD-scope field ID, R8 =
 * value, R9 = write mask. R8 out = the element's old value.
 */
#include "metadata_td.h"

uint64_t tdh_mng_wr(struct tdx_module *m, struct seam_ctx *c)
{
	struct md_args a = md_leaf_args(c->gpr, c->version, false);
	struct md_target t;
	struct td_ref td;
	uint64_t status;

	status = md_open_td(m, c, TDH_MNG_WR, &td, &t);
	if (status != TDX_SUCCESS)
		return status;
	status = md_leaf_access(&t, c->gpr, &a);
	td_release(&td);
	return status;
}
