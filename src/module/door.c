/* SPDX-License-Identifier: MIT */
/*
 * The SEAMCALL instruction and Linux's stub around it: #UD outside VMX
 * operation, #GP when the BIOS has not enabled TDX, VMfailInvalid with no
 * module (or for the P-SEAMLDR, which is not modelled), else the module.
 * All GPRs go in and come back, so untouched registers keep their values.
 */
#include "tdxsim/seamcall.h"
#include "module.h"
#include "platform/platform_internal.h"

#define SEAMCALL_SEAMLDR_BIT (1ULL << 63)

static void load_regs(struct seam_ctx *c, uint64_t rax,
		      const struct tdx_module_args *a)
{
	c->gpr[RAX] = rax;
	c->gpr[RCX] = a->rcx;
	c->gpr[RDX] = a->rdx;
	c->gpr[RBX] = a->rbx;
	c->gpr[RSP] = 0;
	c->gpr[RBP] = 0;
	c->gpr[RSI] = a->rsi;
	c->gpr[RDI] = a->rdi;
	c->gpr[R8] = a->r8;
	c->gpr[R9] = a->r9;
	c->gpr[R10] = a->r10;
	c->gpr[R11] = a->r11;
	c->gpr[R12] = a->r12;
	c->gpr[R13] = a->r13;
	c->gpr[R14] = a->r14;
	c->gpr[R15] = a->r15;
}

static void store_regs(const struct seam_ctx *c, struct tdx_module_args *a)
{
	a->rcx = c->gpr[RCX];
	a->rdx = c->gpr[RDX];
	a->rbx = c->gpr[RBX];
	a->rsi = c->gpr[RSI];
	a->rdi = c->gpr[RDI];
	a->r8 = c->gpr[R8];
	a->r9 = c->gpr[R9];
	a->r10 = c->gpr[R10];
	a->r11 = c->gpr[R11];
	a->r12 = c->gpr[R12];
	a->r13 = c->gpr[R13];
	a->r14 = c->gpr[R14];
	a->r15 = c->gpr[R15];
}

uint64_t seamcall(uint64_t rax, struct tdx_module_args *args)
{
	struct lp *lp = platform_this_lp();
	struct seam_ctx c;

	if (!lp || !lp->vmx_on)
		return TDX_SEAMCALL_UD;
	if (!lp->plat->cfg.tdx_keyids)
		return TDX_SEAMCALL_GP;
	if (!lp->plat->module || (rax & SEAMCALL_SEAMLDR_BIT))
		return TDX_SEAMCALL_VMFAILINVALID;
	load_regs(&c, rax, args);
	c.lp = lp->index;
	module_dispatch(lp->plat->module, &c);
	store_regs(&c, args);
	return c.gpr[RAX];
}
