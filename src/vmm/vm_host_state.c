/* SPDX-License-Identifier: MIT */
/*
 * KVM's side of a TD exit (linux §6.5): what it saves of the host's state
 * before TDH.VP.ENTER, what it writes back afterwards, and the TD features
 * it refuses because it would have to restore MSRs it does not.
 *
 * The module's side is abi §7.5 (src/module/td_exit_host.c): it restores
 * SPEC_CTRL, DS_AREA and TSX_CTRL itself and resets the rest to INIT.
 */
#include <errno.h>
#include <stdio.h>

#include "tdxsim/abi.h"
#include "tdxsim/platform.h"
#include "vmm_internal.h"

static const struct {
	enum tdxsim_reg reg;
	unsigned dr;
	enum vm_restore_item item;
} debug_regs[] = {
	{ TDXSIM_REG_DR0, 0, VM_RESTORE_DR0 },
	{ TDXSIM_REG_DR1, 1, VM_RESTORE_DR1 },
	{ TDXSIM_REG_DR2, 2, VM_RESTORE_DR2 },
	{ TDXSIM_REG_DR3, 3, VM_RESTORE_DR3 },
	{ TDXSIM_REG_DR6, 6, VM_RESTORE_DR6 },
	{ TDXSIM_REG_DR7, 7, VM_RESTORE_DR7 },
};

static uint64_t rd(struct platform *p, unsigned lp, uint32_t msr)
{
	uint64_t v = 0;

	platform_rdmsr(p, lp, msr, &v);
	return v;
}

static uint64_t rdreg(struct platform *p, unsigned lp, enum tdxsim_reg r)
{
	uint64_t v = 0;

	platform_read_reg(p, lp, r, &v);
	return v;
}

uint64_t vm_td_exit_xcr0(uint64_t xfam)
{
	return (xfam & ~TDX_XFAM_SUPERVISOR_MASK) | TDX_XFAM_SSE | TDX_XFAM_X87;
}

uint64_t vm_td_exit_xss(uint64_t xfam)
{
	return xfam & TDX_XFAM_SUPERVISOR_MASK;
}

void vm_host_save(struct platform *p, unsigned lp, struct vm_host_state *s)
{
	*s = (struct vm_host_state){ 0 };
	s->debugctl = rd(p, lp, MSR_IA32_DEBUGCTL);
	s->star = rd(p, lp, MSR_IA32_STAR);
	s->lstar = rd(p, lp, MSR_IA32_LSTAR);
	s->fmask = rd(p, lp, MSR_IA32_FMASK);
	s->tsc_aux = rd(p, lp, MSR_IA32_TSC_AUX);
	s->kernel_gs_base = rd(p, lp, MSR_IA32_KERNEL_GS_BASE);
	s->xss = rd(p, lp, MSR_IA32_XSS);
	s->xfd = rd(p, lp, MSR_IA32_XFD);
	s->xcr0 = rdreg(p, lp, TDXSIM_REG_XCR0);
	s->pkru = rdreg(p, lp, TDXSIM_REG_PKRU);
	for (size_t i = 0; i < sizeof(debug_regs) / sizeof(debug_regs[0]); i++)
		s->dr[debug_regs[i].dr] = rdreg(p, lp, debug_regs[i].reg);
}

/* Linux's DR_GLOBAL_ENABLE_MASK (arch/x86/include/uapi/asm/debugreg.h):
 * G0-G3, the enables its hw_breakpoint code sets. */
#define DR7_GLOBAL_ENABLE_MASK 0xAAULL

/* Linux's hw_breakpoint_active(): a global enable bit set in DR7. */
static bool host_breakpoints_active(const struct vm_host_state *s)
{
	return s->dr[7] & DR7_GLOBAL_ENABLE_MASK;
}

#define DO(item) (!(skip_mask & VM_RESTORE_BIT(item)))

void vm_host_restore_exit(struct platform *p, unsigned lp,
			  const struct vm_host_state *s, uint64_t td_xfam,
			  unsigned skip_mask)
{
	/* linux §6.5: the module keeps only BTF, FREEZE_PERFMON_ON_PMI and
	 * FREEZE_IN_SMM; KVM rewrites DEBUGCTL when the host has other bits. */
	if (DO(VM_RESTORE_DEBUGCTL) &&
	    (s->debugctl & ~TDX_DEBUGCTL_PRESERVED_MASK))
		platform_wrmsr(p, lp, MSR_IA32_DEBUGCTL, s->debugctl);

	/* linux §6.5: XCR0 restored if the host's differs from the TD's
	 * (XFAM user bits | SSE | x87, what the module left); XSS likewise. */
	if (DO(VM_RESTORE_XCR0) && s->xcr0 != vm_td_exit_xcr0(td_xfam))
		platform_write_reg(p, lp, TDXSIM_REG_XCR0, s->xcr0);
	if (DO(VM_RESTORE_XSS) && s->xss != vm_td_exit_xss(td_xfam))
		platform_wrmsr(p, lp, MSR_IA32_XSS, s->xss);

	/* linux §6.5: PKRU restored if the host's is not 0 (the module reset
	 * it to INIT 0 when XFAM has PKRU; otherwise it did not touch it). */
	if (DO(VM_RESTORE_PKRU) && s->pkru != 0 && (td_xfam & TDX_XFAM_PKRU))
		platform_write_reg(p, lp, TDXSIM_REG_PKRU, s->pkru);

	/* linux §6.5: DR0-3/6/7 come back at INIT (KVM_DEBUGREG_AUTO_SWITCH);
	 * vcpu_enter_guest's hw_breakpoint_restore() writes the host's values
	 * back only while the host has breakpoints armed. With none armed the
	 * host does not care what DR0-3 hold, and DR7 is at INIT anyway. */
	if (!host_breakpoints_active(s))
		return;
	for (size_t i = 0; i < sizeof(debug_regs) / sizeof(debug_regs[0]); i++)
		if (DO(debug_regs[i].item))
			platform_write_reg(p, lp, debug_regs[i].reg,
					   s->dr[debug_regs[i].dr]);
}

void vm_host_restore_user(struct platform *p, unsigned lp,
			  const struct vm_host_state *s, uint64_t td_xfam,
			  unsigned skip_mask)
{
	/* linux §6.5: the user-return MSRs the module clobbers (STAR, LSTAR,
	 * SFMASK, TSC_AUX): KVM marks them as holding the module's values
	 * before every entry, and its user-return notifier writes the host's
	 * back when the thread returns to userspace. */
	if (DO(VM_RESTORE_STAR))
		platform_wrmsr(p, lp, MSR_IA32_STAR, s->star);
	if (DO(VM_RESTORE_LSTAR))
		platform_wrmsr(p, lp, MSR_IA32_LSTAR, s->lstar);
	if (DO(VM_RESTORE_FMASK))
		platform_wrmsr(p, lp, MSR_IA32_FMASK, s->fmask);
	if (DO(VM_RESTORE_TSC_AUX))
		platform_wrmsr(p, lp, MSR_IA32_TSC_AUX, s->tsc_aux);

	/* linux §6.5: KERNEL_GS_BASE saved with the guest state load, restored
	 * on vcpu_put (tdx_prepare_switch_to_host). */
	if (DO(VM_RESTORE_KERNEL_GS_BASE))
		platform_wrmsr(p, lp, MSR_IA32_KERNEL_GS_BASE, s->kernel_gs_base);

	/* linux §6.5: IA32_XFD comes back through the normal FPU put at the
	 * end of KVM_RUN (the module zeroes it when the TD has XFD, i.e. AMX
	 * here). */
	if (DO(VM_RESTORE_XFD) && (td_xfam & TDX_XFAM_AMX_MASK))
		platform_wrmsr(p, lp, MSR_IA32_XFD, s->xfd);
}

#undef DO

void vm_host_restore(struct platform *p, unsigned lp,
		     const struct vm_host_state *s, uint64_t td_xfam,
		     unsigned skip_mask)
{
	vm_host_restore_exit(p, lp, s, td_xfam, skip_mask);
	vm_host_restore_user(p, lp, s, td_xfam, skip_mask);
}

int vm_host_check_td_features(uint64_t attributes, uint64_t xfam,
			      const uint32_t cpuid_leaf7_ebx_ecx[2],
			      char *err, size_t errlen)
{
	static const struct {
		int kind;                 /* 0 attributes, 1 xfam, 2 ebx, 3 ecx */
		uint64_t bit;
		const char *what;
		const char *msrs;
	} refused[] = {
		{ 0, TDX_TD_ATTR_PERFMON, "PERFMON (ATTRIBUTES bit 63)",
		  "the PMU MSRs" },
		{ 1, TDX_XFAM_LBR, "LBR (XFAM bit 15)", "IA32_LBR_CTL" },
		{ 1, TDX_XFAM_PT, "Intel PT (XFAM bit 8)", "IA32_RTIT_CTL" },
		{ 1, TDX_XFAM_ULI, "user interrupts ULI (XFAM bit 14)",
		  "the UINTR MSRs" },
		{ 1, TDX_XFAM_CET_U | TDX_XFAM_CET_S, "CET (XFAM bits 11-12)",
		  "the CET MSRs" },
		{ 2, CPUID7_EBX_HLE, "TSX HLE (CPUID.7.0:EBX bit 4)",
		  "IA32_TSX_CTRL" },
		{ 2, CPUID7_EBX_RTM, "TSX RTM (CPUID.7.0:EBX bit 11)",
		  "IA32_TSX_CTRL" },
		{ 3, CPUID7_ECX_WAITPKG, "WAITPKG (CPUID.7.0:ECX bit 5)",
		  "IA32_UMWAIT_CONTROL" },
	};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		uint64_t have;

		switch (refused[i].kind) {
		case 0: have = attributes; break;
		case 1: have = xfam; break;
		case 2: have = cpuid_leaf7_ebx_ecx ? cpuid_leaf7_ebx_ecx[0] : 0; break;
		default: have = cpuid_leaf7_ebx_ecx ? cpuid_leaf7_ebx_ecx[1] : 0; break;
		}
		if (have & refused[i].bit) {
			if (err && errlen)
				snprintf(err, errlen,
					 "TD feature %s is not supported: KVM "
					 "does not restore %s after a TD exit",
					 refused[i].what, refused[i].msrs);
			return -EINVAL;
		}
	}
	return 0;
}
