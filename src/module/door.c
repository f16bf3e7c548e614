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
#include "platform/trace.h"
#include "tdxsim/abi_names.h"

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

/* --trace (docs/trace.md): the call as a slice on its LP, named by leaf. */
static void dispatch_traced(struct trace *t, struct tdx_module *m,
			    struct seam_ctx *c)
{
	unsigned leaf = (unsigned)(c->gpr[RAX] & TDX_LEAF_MASK);
	const char *name = tdx_leaf_name(leaf);
	struct trace_arg a[4] = {
		{ "leaf", leaf, TRACE_DEC },
		{ "rax", c->gpr[RAX], TRACE_HEX },
		{ "rcx", c->gpr[RCX], TRACE_HEX },
	};
	uint64_t t0 = trace_now(t);

	module_dispatch(m, c);
	a[3] = (struct trace_arg){ "status", c->gpr[RAX], TRACE_STATUS };
	trace_slice(t, c->lp, TRACE_CAT_SEAMCALL, name ? name : "SEAMCALL (unknown leaf)",
		    t0, trace_now(t), a, 4);
}

uint64_t seamcall(uint64_t rax, struct tdx_module_args *args)
{
	struct lp *lp = platform_this_lp();
	struct tdx_module *m;
	struct seam_ctx c;
	struct trace *t;
	unsigned token;

	if (!lp || !lp->vmx_on)
		return TDX_SEAMCALL_UD;
	if (!lp->plat->cfg.tdx_keyids)
		return TDX_SEAMCALL_GP;
	if (!lp->plat->module || (rax & SEAMCALL_SEAMLDR_BIT))
		return TDX_SEAMCALL_VMFAILINVALID;
	load_regs(&c, rax, args);
	c.lp = lp->index;
	m = lp->plat->module;
	/* A one-call injection armed for the next SEAMCALL is this one's. */
	token = module_next_begin(m, TDXSIM_INJECT_NEXT_SEAMCALL, c.lp,
				  (unsigned)(rax & TDX_LEAF_MASK));
	t = TRACE_OF(lp->plat);
	if (__builtin_expect(t != NULL, 0))
		dispatch_traced(t, m, &c);
	else
		module_dispatch(m, &c);
	if (token)
		module_next_end(m, token);
	store_regs(&c, args);
	return c.gpr[RAX];
}
