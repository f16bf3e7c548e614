/* SPDX-License-Identifier: MIT */
/*
 * The TD dispatcher (abi §1.3, §7.3–7.4): TDCALL from the guest, one
 * handler per leaf. The handlers run on the guest's stack as the module
 * runs in SEAM root after the TDCALL exit; a leaf that must leave the TD
 * (TDG.VP.VMCALL) switches to the host and resumes at the next entry.
 */
#include <stdlib.h>

#include "module.h"
#include "td_run.h"
#include "platform/platform_internal.h"
#include "platform/trace.h"
#include "tdxsim/abi_names.h"

static tdcall_fn tdcall_handler(unsigned leaf)
{
	switch (leaf) {
	case TDG_VP_VMCALL:        return tdg_vp_vmcall;
	case TDG_VP_INFO:          return tdg_vp_info;
	case TDG_VP_CPUIDVE_SET:   return tdg_vp_cpuidve_set;
	case TDG_VP_VEINFO_GET:    return tdg_vp_veinfo_get;
	case TDG_MEM_PAGE_ACCEPT:  return tdg_mem_page_accept;
	case TDG_MR_RTMR_EXTEND:   return tdg_mr_rtmr_extend;
	case TDG_MR_REPORT:        return tdg_mr_report;
	case TDG_VM_RD:            return tdg_vm_rd;
	case TDG_VM_WR:            return tdg_vm_wr;
	case TDG_SYS_RD:           return tdg_sys_rd;
	case TDG_SYS_RDALL:        return tdg_sys_rdall;
	case TDG_VP_RD:            return tdg_vp_rd;
	case TDG_VP_WR:            return tdg_vp_wr;
	case TDG_MR_VERIFYREPORT:  return tdg_mr_verifyreport;
	default:                   return NULL;
	}
}

/* The dispatcher's first look after a TDCALL exit, as after any exit in
 * Intel's module: a TD made fatal meanwhile (a #MC on another LP) is
 * left at once with an asynchronous exit that touches no TD memory, and
 * the vCPU never resumes. TDXSIM_INJECT_TD_FATAL stands in for that
 * other LP. */
static void check_td_fatal(struct tdx_vcpu *gv)
{
	struct tdr *tdr = gv->v->td.tdr;

	if (module_fault(gv->m, TDXSIM_INJECT_TD_FATAL))
		tdr->fatal = 1;
	if (!tdr->fatal)
		return;
	gv->exit = (struct td_exit){ .status = TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE,
				     .reason = TDX_EXIT_TDCALL };
	gv->dead = true;
	td_exit_to_host(gv);
	abort();   /* never resumed */
}

uint64_t tdcall(struct tdx_vcpu *gv, uint64_t gpr[TDX_NR_GPRS])
{
	uint64_t rax = gpr[RAX];
	unsigned leaf = (unsigned)(rax & TDX_LEAF_MASK);
	tdcall_fn fn = tdcall_handler(leaf);
	struct trace *tr = TRACE_OF(gv->m->plat);
	uint64_t tok = 0;
	unsigned version = (rax >> TDX_VERSION_SHIFT) & TDX_VERSION_MASK;
	unsigned token = 0;

	/* The instruction boundary before TDCALL: a pending interrupt exits
	 * first and the TDCALL runs after the next entry. */
	td_interrupt_window(gv);
	/* A one-call injection for the next TDCALL; TDG.VP.VMCALL only
	 * leaves the TD, so it is never the one aimed at. */
	if (leaf != TDG_VP_VMCALL)
		token = module_next_begin(gv->m, TDXSIM_INJECT_NEXT_TDCALL, gv->lp, leaf);
	check_td_fatal(gv);
	/* --trace (docs/trace.md): a slice on the LP until the call completes
	 * or the guest leaves the TD (then the exit closes it). */
	if (__builtin_expect(tr != NULL, 0)) {
		const char *name = tdg_leaf_name(leaf);
		bool vmcall = leaf == TDG_VP_VMCALL;
		struct trace_arg a[] = {
			{ "leaf", leaf, TRACE_DEC }, { "rcx", gpr[RCX], TRACE_HEX },
			{ vmcall ? "r10" : "rdx", gpr[vmcall ? R10 : RDX], TRACE_HEX },
			{ vmcall ? "r11" : "r8", gpr[vmcall ? R11 : R8], TRACE_HEX },
		};

		tok = trace_open(tr, gv->lp, TRACE_CAT_TDCALL,
				 name ? name : "TDCALL (unknown leaf)", a, 4);
	}

	/* Only TDG.VM.RD takes a version; it checks which (abi §1.1). In
	 * 1.5.01 TDG.VM.WR and TDG.VP.RD/WR have none (tdx_td_dispatcher.c). */
	if ((rax & TDX_RAX_RESERVED_MASK) || (version && (rax & TDX_LEAF_MASK) != TDG_VM_RD) || !fn)
		gpr[RAX] = STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	else
		gpr[RAX] = fn(gv, gpr);
	if (__builtin_expect(tok != 0, 0)) {
		struct trace_arg st = { "status", gpr[RAX], TRACE_STATUS };

		trace_close(tr, gv->lp, tok, &st, 1);
	}
	if (token)
		module_next_end(gv->m, token);
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
	gpr[R10] = 1;            /* tdg_sys_rd_available: TDG.SYS.RD is here */
	gpr[R11] = 0;
	return TDX_SUCCESS;
}

/* TDG.VP.VEINFO.GET (abi §7.4): reads and clears VE_INFO. */
uint64_t tdg_vp_veinfo_get(struct tdx_vcpu *gv, uint64_t *gpr)
{
	struct tdvps_ve_info *ve = (struct tdvps_ve_info *)(gv->v->tdvpr + TDVPS_VE_INFO_OFFSET);

	/* tdg_vp_veinfo_get: the outputs are 0 before the check. */
	gpr[RCX] = gpr[RDX] = gpr[R8] = gpr[R9] = gpr[R10] = 0;
	if (ve->valid != TDX_VE_INFO_VALID)
		return TDX_NO_VALID_VE_INFO;
	gpr[RCX] = ve->exit_reason;
	gpr[RDX] = ve->exit_qual;
	gpr[R8] = ve->gla;
	gpr[R9] = ve->gpa;
	gpr[R10] = ve->instr_len | ((uint64_t)ve->instr_info << 32);
	ve->valid = 0;
	return TDX_SUCCESS;
}
