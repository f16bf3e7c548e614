/* SPDX-License-Identifier: MIT */
/*
 * TDH.VP.WR (abi §8.1, §8.3): RCX = TDVPR, RDX = VP-scope field ID, R8 =
 * value, R9 = write mask; R8 out = the old value. The vCPU becomes
 * associated with this LP (abi §6.3).
 */
#include "metadata_td.h"

uint64_t tdh_vp_wr(struct tdx_module *m, struct seam_ctx *c)
{
	struct md_args a = md_leaf_args(c->gpr, c->version, false);
	struct md_target t;
	struct vcpu_ref v;
	uint64_t status;

	status = md_open_vp(m, c, TDH_VP_WR, &v, &t);
	if (status != TDX_SUCCESS)
		return status;
	status = md_leaf_access(&t, c->gpr, &a);
	vcpu_release(&v);
	return status;
}
