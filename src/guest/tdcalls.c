/* SPDX-License-Identifier: MIT */
/*
 * The measurement and metadata TDCALLs, with their memory operands in
 * the vCPU's scratch page (guest.h), and GetQuote.
 */
#include <string.h>

#include "guest_internal.h"

#define SCRATCH_REPORT      0x000   /* 1024-aligned (abi §5.9) */
#define SCRATCH_REPORTDATA  0x400   /* 64-aligned */
#define SCRATCH_RTMR_DATA   0x440   /* 64-aligned (abi §5.8) */

static uint64_t scratch(const struct tdx_guest *g)
{
	return TDX_GUEST_SCRATCH_GPA + (uint64_t)g->vcpu_index * 4096;
}

uint64_t tdx_rtmr_extend(struct tdx_guest *g, unsigned index, const uint8_t data[48])
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_MR_RTMR_EXTEND,
			     [TDX_GPR_RCX] = scratch(g) + SCRATCH_RTMR_DATA,
			     [TDX_GPR_RDX] = index };

	tdx_write(g, gpr[TDX_GPR_RCX], data, 48);
	return tdx_tdcall(g, gpr);
}

uint64_t tdx_get_report(struct tdx_guest *g, const uint8_t report_data[64],
			uint8_t report[1024])
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_MR_REPORT,
			     [TDX_GPR_RCX] = scratch(g) + SCRATCH_REPORT,
			     [TDX_GPR_RDX] = scratch(g) + SCRATCH_REPORTDATA };
	uint64_t st;

	tdx_write(g, gpr[TDX_GPR_RDX], report_data, 64);
	st = tdx_tdcall(g, gpr);
	if (st == TDX_SUCCESS)
		tdx_read(g, scratch(g) + SCRATCH_REPORT, report, 1024);
	return st;
}

uint64_t tdx_vm_read(struct tdx_guest *g, uint64_t field, uint64_t *value)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VM_RD, [TDX_GPR_RDX] = field };
	uint64_t st = tdx_tdcall(g, gpr);

	*value = gpr[TDX_GPR_R8];
	return st;
}

uint64_t tdx_vm_write(struct tdx_guest *g, uint64_t field, uint64_t value,
		      uint64_t mask, uint64_t *old)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VM_WR, [TDX_GPR_RDX] = field,
			     [TDX_GPR_R8] = value, [TDX_GPR_R9] = mask };
	uint64_t st = tdx_tdcall(g, gpr);

	if (old)
		*old = gpr[TDX_GPR_R8];
	return st;
}

uint64_t tdx_get_quote(struct tdx_guest *g, uint64_t shared_gpa, uint64_t size)
{
	uint64_t out[5];

	return tdx_ghci(g, TDVMCALL_GET_QUOTE, shared_gpa, size, 0, 0, out);
}
