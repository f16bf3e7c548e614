/* SPDX-License-Identifier: MIT */
/*
 * The host state a TD exit leaves on the LP (abi §7.5, after the module's
 * load_vmm_state_before_td_exit / td_vmexit_to_vmm). TDH.VP.ENTER calls
 * td_entry_save_host() on entry and td_exit_host_state() on the way out.
 *
 * Choice (the spec says "if the TD supports XFD"): a TD supports XFD when
 * its XFAM has the AMX components (TDX_XFAM_AMX_MASK), the only XFD-capable
 * state this CPU model has.
 */
#include "tdxsim/abi.h"
#include "tdxsim/platform.h"
#include "module.h"

static uint64_t rd(struct platform *p, unsigned lp, uint32_t msr)
{
	uint64_t v = 0;

	platform_rdmsr(p, lp, msr, &v);
	return v;
}

static void wr(struct platform *p, unsigned lp, uint32_t msr, uint64_t v)
{
	platform_wrmsr(p, lp, msr, v);
}

void td_entry_save_host(struct platform *p, unsigned lp,
			struct td_exit_host_saved *saved)
{
	/* abi §7.5: SPEC_CTRL saved at SEAMCALL entry, DS_AREA at VP.ENTER,
	 * TSX_CTRL so a TD without TSX gets the VMM's value back. */
	saved->spec_ctrl = rd(p, lp, MSR_IA32_SPEC_CTRL);
	saved->ds_area = rd(p, lp, MSR_IA32_DS_AREA);
	saved->tsx_ctrl = rd(p, lp, MSR_IA32_TSX_CTRL);
}

void td_exit_host_state(struct platform *p, unsigned lp, uint64_t attributes,
			uint64_t xfam, const struct td_exit_host_saved *saved,
			const struct td_guest_msrs *g)
{
	bool waitpkg = g && g->waitpkg, tsx = g && g->tsx;

	/* abi §7.5: restored to the VMM's value: IA32_SPEC_CTRL, IA32_DS_AREA;
	 * IA32_TSX_CTRL if the TD has no TSX, else reset to 0. */
	wr(p, lp, MSR_IA32_SPEC_CTRL, saved->spec_ctrl);
	wr(p, lp, MSR_IA32_DS_AREA, saved->ds_area);
	wr(p, lp, MSR_IA32_TSX_CTRL, tsx ? 0 : saved->tsx_ctrl);

	/* abi §7.5: IA32_DEBUGCTL keeps only BTF (1), FREEZE_PERFMON_ON_PMI (12)
	 * and FREEZE_WHILE_SMM (14); every other bit, LBR included, is cleared. */
	wr(p, lp, MSR_IA32_DEBUGCTL,
	   rd(p, lp, MSR_IA32_DEBUGCTL) & TDX_DEBUGCTL_PRESERVED_MASK);

	/* abi §7.5: CR2 → 0; DR0-DR3 → 0, DR6 → 0xFFFF0FF0, DR7 → 0x400. */
	platform_write_reg(p, lp, TDXSIM_REG_CR2, 0);
	platform_write_reg(p, lp, TDXSIM_REG_DR0, 0);
	platform_write_reg(p, lp, TDXSIM_REG_DR1, 0);
	platform_write_reg(p, lp, TDXSIM_REG_DR2, 0);
	platform_write_reg(p, lp, TDXSIM_REG_DR3, 0);
	platform_write_reg(p, lp, TDXSIM_REG_DR6, X86_DR6_INIT);
	platform_write_reg(p, lp, TDXSIM_REG_DR7, X86_DR7_INIT);

	/* abi §7.5: TSC_AUX, STAR, LSTAR, KERNEL_GS_BASE → 0; FMASK → 0x20200. */
	wr(p, lp, MSR_IA32_TSC_AUX, 0);
	wr(p, lp, MSR_IA32_STAR, 0);
	wr(p, lp, MSR_IA32_LSTAR, 0);
	wr(p, lp, MSR_IA32_KERNEL_GS_BASE, 0);
	wr(p, lp, MSR_IA32_FMASK, TDX_EXIT_FMASK_VALUE);

	/* abi §7.5: IA32_UARCH_MISC_CTL → 0. */
	wr(p, lp, MSR_IA32_UARCH_MISC_CTL, 0);

	/* abi §7.5: IA32_XFD and IA32_XFD_ERR → 0 if the TD supports XFD
	 * (here: XFAM has AMX, see the top of this file). */
	if (xfam & TDX_XFAM_AMX_MASK) {
		wr(p, lp, MSR_IA32_XFD, 0);
		wr(p, lp, MSR_IA32_XFD_ERR, 0);
	}

	/* abi §7.5: with ATTRIBUTES.PERFMON the fixed counters, IA32_A_PMCx,
	 * OFFCORE_RSP0/1 and PERF_METRICS → 0, PERF_GLOBAL_STATUS cleared,
	 * PERF_GLOBAL_CTRL → 0. PERFEVTSELx, FIXED_CTR_CTRL and PEBS_ENABLE
	 * keep the guest's values. */
	if (attributes & TDX_TD_ATTR_PERFMON) {
		for (unsigned i = 0; i < MSR_IA32_NUM_FIXED_CTRS; i++)
			wr(p, lp, (uint32_t)(MSR_IA32_FIXED_CTR0 + i), 0);
		for (unsigned i = 0; i < MSR_IA32_NUM_GP_CTRS; i++)
			wr(p, lp, (uint32_t)(MSR_IA32_A_PMC0 + i), 0);
		wr(p, lp, MSR_OFFCORE_RSP0, 0);
		wr(p, lp, MSR_OFFCORE_RSP1, 0);
		wr(p, lp, MSR_PERF_METRICS, 0);
		wr(p, lp, MSR_IA32_PERF_GLOBAL_STATUS, 0);
		wr(p, lp, MSR_IA32_PERF_GLOBAL_CTRL, 0);
	}

	/* abi §7.5: IA32_RTIT_CTL → 0 if XFAM.PT; IA32_LBR_CTL → 0 if XFAM.LBR. */
	if (xfam & TDX_XFAM_PT)
		wr(p, lp, MSR_IA32_RTIT_CTL, 0);
	if (xfam & TDX_XFAM_LBR)
		wr(p, lp, MSR_IA32_LBR_CTL, 0);

	/* abi §7.5: XCR0 = the TD's XFAM user bits | SSE (x87, bit 0, is
	 * architecturally always set in XCR0, SDM vol 1 §13.3); IA32_XSS = the
	 * XFAM supervisor bits. The host's XCR0/XSS are not restored. */
	platform_write_reg(p, lp, TDXSIM_REG_XCR0,
			   (xfam & ~TDX_XFAM_SUPERVISOR_MASK) |
			   TDX_XFAM_SSE | TDX_XFAM_X87);
	wr(p, lp, MSR_IA32_XSS, xfam & TDX_XFAM_SUPERVISOR_MASK);

	/* abi §7.5: all XFAM-covered extended state is reset to INIT; of it
	 * the LP models PKRU (INIT 0) and XMM0-15 (zeroed; TDVMCALL-selected
	 * XMMs carrying guest values are the caller's business). */
	if (xfam & TDX_XFAM_PKRU)
		platform_write_reg(p, lp, TDXSIM_REG_PKRU, 0);
	platform_zero_xmms(p, lp);

	/* abi §7.5: IA32_UMWAIT_CONTROL is written with the guest's value at
	 * entry when WAITPKG is enabled and never restored, so the guest's
	 * value remains. IA32_LBR_DEPTH is not touched at all. */
	if (waitpkg)
		wr(p, lp, MSR_IA32_UMWAIT_CONTROL, g->umwait_control);
}
