/* SPDX-License-Identifier: MIT */
/*
 * TDG.VM.RD and TDG.VM.WR (abi §1.3, §8.1): the guest's access to its own
 * TD-scope metadata. RCX = VM index (0: the TD itself; L2 VMs are not
 * modelled), RDX = field ID, and for a write R8 = value, R9 = mask.
 * Outputs: R8 = the value (the old one for a write); a version-1 read
 * also returns the next readable field ID in RDX. The field checks and
 * element rules are TDH.MNG.RD/WR's, with the guest's masks
 * (metadata_td.c). Only TDG.VM.RD accepts version 1 (abi §1.1).
 */
#include "module.h"
#include "metadata_td.h"
#include "td_run.h"

static uint64_t vm_rd_wr(struct tdx_vcpu *gv, uint64_t *gpr, bool read)
{
	unsigned version = (gpr[RAX] >> TDX_VERSION_SHIFT) & TDX_VERSION_MASK;
	struct md_args a = md_leaf_args(gpr, read ? version : 0, read);
	const struct td_ref *td = &gv->v->td;
	struct md_target t = {
		.ctx = MD_CTX_TD, .m = gv->m, .tdr = td->tdr, .tdcs = td->tdcs,
		.guest = true,
	};

	if (read && version > 1)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	if (gpr[RCX] != 0)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	return md_leaf_access(&t, gpr, &a);
}

uint64_t tdg_vm_rd(struct tdx_vcpu *gv, uint64_t *gpr)
{
	return vm_rd_wr(gv, gpr, true);
}

uint64_t tdg_vm_wr(struct tdx_vcpu *gv, uint64_t *gpr)
{
	return vm_rd_wr(gv, gpr, false);
}
