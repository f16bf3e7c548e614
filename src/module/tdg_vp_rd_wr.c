/* SPDX-License-Identifier: MIT */
/*
 * TDG.VP.RD and TDG.VP.WR (abi §1.3, §8.1, §8.3): the guest's access to
 * its own vCPU's metadata (TDVPS and TD VMCS). RCX must be 0, RDX = field
 * ID, and for a write R8 = value, R9 = mask. Outputs: R8 = the value (the
 * old one for a write); a read also returns the next guest-readable field
 * ID in RDX. Neither leaf takes a version (the dispatcher refuses one).
 *
 * The field table and element rules are TDH.VP.RD/WR's (metadata_td.c)
 * with the guest's masks, as the module's tdg_vp_rd_wr runs
 * md_read_element/md_write_element with MD_GUEST_RD/MD_GUEST_WR.
 */
#include "metadata_td.h"
#include "td_run.h"

static uint64_t vp_rd_wr(struct tdx_vcpu *gv, uint64_t *gpr, bool read)
{
	/* tdg_vp_rd_wr: RDX = -1 (a read only) and R8 = 0 before any check.
	 * A read always answers with the next ID, as a version-1 host read
	 * does, so it is presented to the shared code as version 1. */
	struct md_args a = md_leaf_args(gpr, read ? 1 : 0, read);
	struct vcpu_ref *v = gv->v;
	struct md_target t = {
		.ctx = MD_CTX_VP, .m = gv->m, .tdr = v->td.tdr, .tdcs = v->td.tdcs,
		.tdvpr = v->tdvpr, .vmcs = td_vmcs_of(gv->m, v), .guest = true,
	};

	/* tdg_vp_rd_wr: RCX is reserved in 1.5 (no L2 VM index). */
	if (gpr[RCX] != 0)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	/* tdg_vp_rd_wr: the null ID (a read only), md_check_as_single_element_id,
	 * then md_read_element/md_write_element (lookup, guest masks) and, for
	 * a read, md_get_next_element_in_context. */
	return md_leaf_access(&t, gpr, &a);
}

uint64_t tdg_vp_rd(struct tdx_vcpu *gv, uint64_t *gpr)
{
	return vp_rd_wr(gv, gpr, true);
}

uint64_t tdg_vp_wr(struct tdx_vcpu *gv, uint64_t *gpr)
{
	return vp_rd_wr(gv, gpr, false);
}
