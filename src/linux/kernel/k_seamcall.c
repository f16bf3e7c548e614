// SPDX-License-Identifier: MIT
/*
 * The kernel's SEAMCALL stubs (arch/x86/virt/vmx/tdx/seamcall.S) over
 * tdxsim's door. The door behaves like the instruction plus the stub's
 * fault conversions (#UD, #GP, VMfailInvalid to TDX_SW_ERROR codes); each
 * stub then hands back what its assembly does: __seamcall no output
 * registers, __seamcall_ret RCX, RDX and R8-R11, __seamcall_saved_ret
 * every register of the block.
 */
#include <linux/types.h>
#include <asm/tdx.h>

_Static_assert(sizeof(struct tdx_module_args) == 13 * sizeof(u64),
	       "struct tdx_module_args is the 13 registers the bridge carries");

static u64 call(u64 fn, struct tdx_module_args *args, int kind, unsigned nr_out)
{
	unsigned long long r[13];
	u64 *a = (u64 *)args;
	u64 ret;

	for (unsigned i = 0; i < 13; i++)
		r[i] = a[i];
	ret = klx_seamcall(fn, r, kind);
	for (unsigned i = 0; i < nr_out; i++)
		a[i] = r[i];
	return ret;
}

u64 __seamcall(u64 fn, struct tdx_module_args *args)
{
	return call(fn, args, 0, 0);
}

/* RCX, RDX, R8, R9, R10, R11: the block's first six members. */
u64 __seamcall_ret(u64 fn, struct tdx_module_args *args)
{
	return call(fn, args, 1, 6);
}

u64 __seamcall_saved_ret(u64 fn, struct tdx_module_args *args)
{
	return call(fn, args, 2, 13);
}
