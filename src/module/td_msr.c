/* SPDX-License-Identifier: MIT */
/*
 * The guest's RDMSR and WRMSR instructions. The CPU first: both are
 * privileged (#GP(0) above CPL 0). Then the TD's MSR bitmaps (TDCS page
 * 2): a clear bit is a native access; a set bit, or an MSR outside the
 * bitmaps, exits to the module (VM exit reasons 31/32), whose handler
 * emulates, injects #GP(0), or raises a #VE (td_generic_ve_exit:
 * qualification 0, instruction length 2) for the guest to ask the VMM.
 */
#include "td.h"
#include "td_msr.h"

#define MSR_INSTR_LEN 2u   /* 0F 32, 0F 30 */

static const uint8_t *bitmaps_of(struct tdx_vcpu *gv)
{
	return tdcs_page(gv->m, gv->v->td.tdr, TDCS_PAGE_MSR_BITMAPS);
}

/* The #VE whose handler emulates the instruction in gpr, then steps
 * over it. */
static void msr_ve(struct tdx_vcpu *gv, uint64_t *gpr, bool write)
{
	td_instruction_ve(gv, gpr, (uint32_t)(write ? TDX_EXIT_MSR_WRITE : TDX_EXIT_MSR_READ),
			  MSR_INSTR_LEN);
}

static enum msr_outcome native_read(struct tdx_vcpu *gv, uint32_t msr, uint64_t *v)
{
	if (msr_native_faults(msr, false))
		return MSR_GP;
	*v = msr_native_read(gv, msr);
	return MSR_DONE;
}

static enum msr_outcome native_write(struct tdx_vcpu *gv, uint32_t msr, uint64_t v)
{
	if (msr_native_faults(msr, true))
		return MSR_GP;
	msr_native_write(gv, msr, v);
	return MSR_DONE;
}

bool tdx_cpu_rdmsr(struct tdx_vcpu *gv, uint64_t gpr[TDX_NR_GPRS], unsigned cpl)
{
	uint32_t msr = (uint32_t)gpr[TDX_GPR_RCX];
	enum msr_outcome out = MSR_DONE;
	uint64_t v = 0;

	td_interrupt_window(gv);
	if (cpl != 0)
		return false;
	if (!msr_bitmap_exits(bitmaps_of(gv), msr, false))
		out = native_read(gv, msr, &v);
	else
		out = msr_rd_exit(gv, msr, &v);
	if (out == MSR_GP)
		return false;
	if (out == MSR_VE) {
		msr_ve(gv, gpr, false);
	} else {
		gpr[TDX_GPR_RAX] = v & 0xFFFFFFFFu;
		gpr[TDX_GPR_RDX] = v >> 32;
	}
	gv->rip++;
	return true;
}

bool tdx_cpu_wrmsr(struct tdx_vcpu *gv, uint64_t gpr[TDX_NR_GPRS], unsigned cpl)
{
	uint32_t msr = (uint32_t)gpr[TDX_GPR_RCX];
	uint64_t v = (gpr[TDX_GPR_RDX] << 32) | (uint32_t)gpr[TDX_GPR_RAX];
	enum msr_outcome out = MSR_DONE;

	td_interrupt_window(gv);
	if (cpl != 0)
		return false;
	if (!msr_bitmap_exits(bitmaps_of(gv), msr, true))
		out = native_write(gv, msr, v);
	else
		out = msr_wr_exit(gv, msr, v);
	if (out == MSR_GP)
		return false;
	if (out == MSR_VE)
		msr_ve(gv, gpr, true);
	gv->rip++;
	return true;
}
