/* SPDX-License-Identifier: MIT */
/*
 * The TD dispatcher (abi §1.3, §7.3–7.4): TDCALL from the guest, one
 * handler per leaf. The handlers run on the guest's stack as the module
 * runs in SEAM root after the TDCALL exit; a leaf that must leave the TD
 * (TDG.VP.VMCALL) switches to the host and resumes at the next entry.
 */
#include "module.h"
#include "td_run.h"

static tdcall_fn tdcall_handler(unsigned leaf)
{
	switch (leaf) {
	case TDG_VP_VMCALL:        return tdg_vp_vmcall;
	case TDG_VP_INFO:          return tdg_vp_info;
	case TDG_VP_VEINFO_GET:    return tdg_vp_veinfo_get;
	case TDG_MEM_PAGE_ACCEPT:  return tdg_mem_page_accept;
	default:                   return NULL;
	}
}

uint64_t tdcall(struct tdx_vcpu *gv, uint64_t gpr[TDX_NR_GPRS])
{
	uint64_t rax = gpr[RAX];
	tdcall_fn fn = tdcall_handler(rax & TDX_LEAF_MASK);

	if ((rax & TDX_RAX_RESERVED_MASK) || ((rax >> TDX_VERSION_SHIFT) & TDX_VERSION_MASK) || !fn)
		gpr[RAX] = STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	else
		gpr[RAX] = fn(gv, gpr);
	gv->rip++;
	return gpr[RAX];
}

static struct tdvps_guest *guest_regs(struct tdx_vcpu *gv)
{
	return tdvps_guest_of(gv->v->tdvpr);
}

/* TDG.VP.VMCALL (abi §7.3): the selected GPRs go to the VMM and come back
 * from it at the next TDH.VP.ENTER. */
uint64_t tdg_vp_vmcall(struct tdx_vcpu *gv, uint64_t *gpr)
{
	uint64_t ctl = gpr[RCX], forbidden = TDX_VMCALL_GPR_FORBIDDEN;
	struct tdvps_guest *g;

	if (gv->v->td.tdcs->config_flags & TDX_CONFIG_FLAGS_NO_RBP_MOD)
		forbidden |= TDX_VMCALL_GPR_RBP;
	if ((ctl & TDX_VMCALL_RESERVED_MASK) || (ctl & forbidden))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	g = guest_regs(gv);
	for (unsigned i = 0; i < TDX_NR_GPRS; i++)
		g->gpr[i] = gpr[i];
	gv->exit = (struct td_exit){ .status = TDX_SUCCESS, .reason = TDX_EXIT_TDCALL,
				     .vmcall = true, .vmcall_ctl = ctl };
	gv->v->mgmt->last_td_exit = LAST_EXIT_TDVMCALL;
	td_exit_to_host(gv);
	/* VP.ENTER loaded the VMM's values into the selected registers. */
	g = guest_regs(gv);
	for (unsigned i = RDX; i < TDX_NR_GPRS; i++)
		if (ctl >> i & 1)
			gpr[i] = g->gpr[i];
	gpr[RCX] = ctl;
	return TDX_SUCCESS;
}

/* TDG.VP.INFO (abi §7.4). */
uint64_t tdg_vp_info(struct tdx_vcpu *gv, uint64_t *gpr)
{
	const struct tdcs *tdcs = gv->v->td.tdcs;

	gpr[RCX] = (tdcs->config_flags & TDX_CONFIG_FLAGS_GPAW) ? 52 : 48;
	gpr[RDX] = tdcs->attributes;
	gpr[R8] = atomic_load(&((struct tdcs *)tdcs)->num_vcpus) |
		  ((uint64_t)tdcs->max_vcpus << 32);
	gpr[R9] = gv->v->mgmt->vcpu_index;
	gpr[R10] = 1;            /* tdg_sys_rd_available */
	gpr[R11] = 0;
	return TDX_SUCCESS;
}

/* TDG.VP.VEINFO.GET (abi §7.4): reads and clears VE_INFO. */
uint64_t tdg_vp_veinfo_get(struct tdx_vcpu *gv, uint64_t *gpr)
{
	struct tdvps_ve_info *ve = (struct tdvps_ve_info *)(gv->v->tdvpr + TDVPS_VE_INFO_OFFSET);

	if (ve->valid != TDX_VE_INFO_VALID)
		return TDX_NO_VALID_VE_INFO;
	gpr[RCX] = ve->exit_reason;
	gpr[RDX] = ve->exit_qual;
	gpr[R8] = ve->gla;
	gpr[R9] = ve->gpa;
	gpr[R10] = 0;            /* instruction length and info */
	ve->valid = 0;
	return TDX_SUCCESS;
}
