/* SPDX-License-Identifier: MIT */
/*
 * The CPU model every LP starts from: a Sapphire Rapids-like part with
 * VMX, MKTME/TDX KeyID partitioning and x2APIC topology. Per-LP overrides
 * from the platform description are applied on top.
 */
#include <string.h>

#include "tdxsim/abi.h"
#include "platform_internal.h"

/* VMX capability values of the modelled part (plausible SPR values; only
 * their equality across LPs matters to the module and the host). */
static const struct msr_slot vmx_caps[] = {
	{ MSR_IA32_VMX_BASIC, 0x00d8100000000004ULL | (0x400ULL << 32) },
	{ MSR_IA32_VMX_PINBASED_CTLS, 0x000000ff00000016ULL },
	{ MSR_IA32_VMX_PROCBASED_CTLS, 0xfffbfffe0401e172ULL },
	{ MSR_IA32_VMX_EXIT_CTLS, 0xf7ffffff00036dffULL },
	{ MSR_IA32_VMX_ENTRY_CTLS, 0x0003ffff000011ffULL },
	{ MSR_IA32_VMX_MISC, 0x20007fe5ULL },
	{ MSR_IA32_VMX_CR0_FIXED0, 0x80000021ULL },
	{ MSR_IA32_VMX_CR0_FIXED1, 0xffffffffULL },
	{ MSR_IA32_VMX_CR4_FIXED0, 0x2000ULL },
	{ MSR_IA32_VMX_CR4_FIXED1, 0x3767ffULL },
	{ MSR_IA32_VMX_VMCS_ENUM, 0x2eULL },
	{ MSR_IA32_VMX_PROCBASED_CTLS2, 0x1ffbcfff00000000ULL },
	/* Sapphire Rapids walks 5-level EPT (bit 7). */
	{ MSR_IA32_VMX_EPT_VPID_CAP, 0xf0106f341c1ULL },
	{ MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x000000ff00000016ULL },
	{ MSR_IA32_VMX_TRUE_PROCBASED_CTLS, 0xfffbfffe04006172ULL },
	{ MSR_IA32_VMX_TRUE_EXIT_CTLS, 0xf7ffffff00036dfbULL },
	{ MSR_IA32_VMX_TRUE_ENTRY_CTLS, 0x0003ffff000011fbULL },
	{ MSR_IA32_VMX_VMFUNC, 0x1ULL },
};

#define SEAMRR_SIZE TDXSIM_SEAMRR_SIZE

static void add_msr(struct lp *lp, uint32_t index, uint64_t value)
{
	(void)lp_msr_add(lp, index, value);   /* a full file drops the rest */
}

void cpu_model_init_lp(struct platform *p, struct lp *lp)
{
	const struct tdxsim_platform_config *c = &p->cfg;
	uint64_t physmask = (1ULL << p->keyid_shift) - 1;

	lp->n_msrs = 0;
	memset(lp->msr_hash, 0, sizeof(lp->msr_hash));
	memset(lp->msr_fixed, 0, sizeof(lp->msr_fixed));
	add_msr(lp, MSR_IA32_FEATURE_CONTROL, 0x5);  /* lock | VMX outside SMX */
	add_msr(lp, MSR_IA32_MKTME_KEYID_PARTITIONING,
		(uint64_t)c->mktme_keyids | ((uint64_t)c->tdx_keyids << 32));
	add_msr(lp, MSR_IA32_TME_ACTIVATE,
		0x3ULL | ((uint64_t)c->keyid_bits << 32));
	add_msr(lp, MSR_IA32_SEAMRR_PHYS_BASE, tdxsim_seamrr_base(c));
	add_msr(lp, MSR_IA32_SEAMRR_PHYS_MASK,
		(~(SEAMRR_SIZE - 1) & physmask) | (1ULL << 11) | (1ULL << 10));
	for (unsigned i = 0; i < sizeof(vmx_caps) / sizeof(vmx_caps[0]); i++)
		add_msr(lp, vmx_caps[i].index, vmx_caps[i].value);
	add_msr(lp, MSR_IA32_ARCH_CAPABILITIES, 0x0c0ab0ebULL);
	add_msr(lp, MSR_IA32_SPEC_CTRL, 0);
	add_msr(lp, MSR_IA32_DEBUGCTL, 0);
	add_msr(lp, MSR_IA32_PAT, 0x0007040600070406ULL);
	add_msr(lp, MSR_IA32_EFER, 0xd01);
	add_msr(lp, MSR_IA32_STAR, 0x0023001000000000ULL);
	add_msr(lp, MSR_IA32_LSTAR, 0xffffffff81a00080ULL);
	add_msr(lp, MSR_IA32_FMASK, 0x47700);
	add_msr(lp, MSR_IA32_KERNEL_GS_BASE, 0);
	add_msr(lp, MSR_IA32_TSC_AUX, lp->index);
	/* Host-state MSRs a TD exit touches (abi §7.5), at their RESET values
	 * (SDM vol 4 and vol 3 §9.1.1) unless noted. */
	add_msr(lp, MSR_IA32_DS_AREA, 0);
	add_msr(lp, MSR_IA32_XSS, 0);
	add_msr(lp, MSR_IA32_UARCH_MISC_CTL, 0);
	add_msr(lp, MSR_IA32_XFD, 0);
	add_msr(lp, MSR_IA32_XFD_ERR, 0);
	add_msr(lp, MSR_IA32_UMWAIT_CONTROL, 0);
	add_msr(lp, MSR_IA32_TSX_CTRL, 0);  /* ARCH_CAPABILITIES.TSX_CTRL (bit 7) is set */
	/* SDM vol 3 §20.2.2: the general-purpose counters' enable bits of
	 * IA32_PERF_GLOBAL_CTRL are set at reset, the fixed ones clear. */
	add_msr(lp, MSR_IA32_PERF_GLOBAL_CTRL,
		(1ULL << MSR_IA32_NUM_GP_CTRS) - 1);
	add_msr(lp, MSR_IA32_PERF_GLOBAL_STATUS, 0);
	add_msr(lp, MSR_IA32_FIXED_CTR_CTRL, 0);
	for (unsigned i = 0; i < MSR_IA32_NUM_FIXED_CTRS; i++)
		add_msr(lp, (uint32_t)(MSR_IA32_FIXED_CTR0 + i), 0);
	for (unsigned i = 0; i < MSR_IA32_NUM_GP_CTRS; i++) {
		add_msr(lp, (uint32_t)(MSR_IA32_A_PMC0 + i), 0);
		add_msr(lp, (uint32_t)(MSR_IA32_PERFEVTSEL0 + i), 0);
	}
	add_msr(lp, MSR_OFFCORE_RSP0, 0);
	add_msr(lp, MSR_OFFCORE_RSP1, 0);
	add_msr(lp, MSR_PERF_METRICS, 0);
	add_msr(lp, MSR_IA32_PEBS_ENABLE, 0);
	add_msr(lp, MSR_IA32_RTIT_CTL, 0);
	add_msr(lp, MSR_IA32_LBR_CTL, 0);
	/* SDM vol 4: IA32_LBR_DEPTH resets to the largest supported depth. */
	add_msr(lp, MSR_IA32_LBR_DEPTH, 32);
	lp_regs_reset(&lp->regs);
	if (lp->override)
		for (unsigned i = 0; i < lp->override->n_msrs; i++)
			add_msr(lp, lp->override->msrs[i].msr,
				lp->override->msrs[i].value);
}

void cpu_model_cpuid(const struct platform *p, const struct lp *lp,
		     uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	memset(regs, 0, 4 * sizeof(uint32_t));
	if (lp->override) {
		for (unsigned i = 0; i < lp->override->n_cpuid; i++) {
			const struct tdxsim_cpuid_override *o = &lp->override->cpuid[i];

			if (o->leaf == leaf && o->subleaf == subleaf) {
				regs[0] = o->eax;
				regs[1] = o->ebx;
				regs[2] = o->ecx;
				regs[3] = o->edx;
				return;
			}
		}
	}
	cpu_model_base_cpuid(p, lp, leaf, subleaf, regs);
}
