/* SPDX-License-Identifier: MIT */
/*
 * The module's RDMSR/WRMSR exit handlers (tdx-module tdx_1.5
 * td_msr_access.c td_rdmsr_exit, td_wrmsr_exit): an MSR outside the
 * bitmap ranges is a #VE; then the MSRs with their own handling; then
 * the lookup table's action (not in the table: #VE; #GP; #VE; #GP or
 * #VE by the TD's CPUID). Only L1 exists in tdxsim (no L2 VMs).
 */
#include "td.h"
#include "td_msr.h"
#include "tdxsim/platform.h"

/* IA32_ARCH_CAPABILITIES bits (SDM vol 4; virt_msr_helpers.c
 * init_virt_ia32_arch_capabilities). */
#define AC_SSB_NO    (1ULL << 4)    /* the TD's config may keep it */
#define AC_TSX_CTRL  (1ULL << 7)    /* only with TSX */
#define AC_RRSBA     (1ULL << 19)   /* the config may force it */
#define AC_BHI_NO    (1ULL << 20)
#define AC_PBRSB_NO  (1ULL << 24)
#define AC_FIXED0    (0x7ULL << 9 | 0x7ULL << 16 | 0x7ULL << 21 | ~0ULL << 25)

/* IA32_DEBUGCTL (SDM vol 4 table 2-2; ia32_debugctl_t). */
#define DC_RESERVED  (0x7ULL << 3 | ~0ULL << 16)
#define DC_TR        (1ULL << 6)
#define DC_BTS       (1ULL << 7)
#define DC_UNCORE_PMI (1ULL << 13)  /* the TD never sees or sets it */

/* IA32_EFER (SDM vol 3 §2.2.1). */
#define EFER_SCE     (1ULL << 0)
#define EFER_LMA     (1ULL << 10)

/* IA32_MISC_ENABLE (SDM vol 4). */
#define ME_PERFMON_AVAILABLE (1ULL << 7)
#define ME_PEBS_UNAVAILABLE  (1ULL << 12)

#define PERF_CAP_PEBS_OUTPUT_PT (1ULL << 16)
#define XAPIC_DISABLED       1ULL   /* IA32_XAPIC_DISABLE_STATUS bit 0 */

/* calc_virt_ia32_vmx_basic, calc_virt_ia32_vmx_misc (virt_msr_helpers.h):
 * INS/OUTS info, TRUE controls, exceptions without error code; LMA
 * stored, HLT and shutdown states, PT in VMX, 4 CR3 targets, VMWRITE of
 * any field, injection with instruction length 0. */
#define VIRT_VMX_BASIC (1ULL << 54 | 1ULL << 55 | 1ULL << 56)
#define VIRT_VMX_MISC  (1ULL << 5 | 1ULL << 6 | 1ULL << 7 | 1ULL << 14 | \
			4ULL << 16 | 1ULL << 29 | 1ULL << 30)

static const struct tdcs_cpuid *cpuid_of(struct tdx_vcpu *gv)
{
	return tdcs_page(gv->m, gv->v->td.tdr, TDCS_PAGE_CPUID);
}

static bool perfmon(struct tdx_vcpu *gv)
{
	return gv->v->td.tdcs->attributes & TDX_TD_ATTR_PERFMON;
}

/* The native value sampled at TDH.SYS.INIT (captured list, index 0). */
static uint64_t sampled_msr(const struct tdx_module *m, uint32_t msr)
{
	for (unsigned i = 0; i < m->n_msrs && i < CAPTURED_MSRS; i++)
		if (m->msr_index[i] == msr)
			return m->msr_value[i];
	return 0;
}

/* init_virt_ia32_arch_capabilities, from TDH.MNG.INIT's inputs. */
static uint64_t virt_arch_capabilities(struct tdx_vcpu *gv)
{
	uint64_t v = sampled_msr(gv->m, MSR_IA32_ARCH_CAPABILITIES) & ~AC_FIXED0;
	uint64_t cfg = gv->v->td.tdcs->ia32_arch_cap_config;

	v &= ~((AC_SSB_NO | AC_BHI_NO | AC_PBRSB_NO) & ~cfg);
	v |= cfg & AC_RRSBA;
	if (!cpuid_of(gv)->flags.tsx)
		v &= ~AC_TSX_CTRL;
	return v;
}

/* MSR_ACTION_GP_OR_VE: the VMM may emulate the MSR only if the TD's
 * CPUID enumerates its feature. */
static enum msr_outcome gp_or_ve(struct tdx_vcpu *gv, uint32_t msr)
{
	const struct tdcs_cpuid *c = cpuid_of(gv);
	bool has;

	if (msr >= TDMSR_DCA_FIRST && msr <= TDMSR_DCA_LAST)
		has = c->flags.dca;
	else if (msr >= TDMSR_TME_FIRST && msr <= TDMSR_TME_LAST)
		has = c->flags.tme;
	else if (msr == MSR_IA32_MKTME_KEYID_PARTITIONING)
		has = c->flags.mktme;
	else
		has = c->flags.tsc_deadline;
	return has ? MSR_VE : MSR_GP;
}

/* rd_wr_msr_generic_case: the table's action. A native (bit 0) MSR
 * never exits, so the fatal case cannot arise here. */
static enum msr_outcome generic_case(struct tdx_vcpu *gv, uint32_t msr, bool write)
{
	const struct msr_range *r = msr_lookup(msr);
	uint8_t action;

	if (!r)
		return MSR_VE;
	action = write ? r->wr_action : r->rd_action;
	if (action == MSRA_GP)
		return MSR_GP;
	if (action == MSRA_GP_OR_VE)
		return gp_or_ve(gv, msr);
	return MSR_VE;
}

/* rdmsr_l1_only_special_msrs: the TD's virtual VMX capabilities. */
static bool virt_vmx(struct tdx_vcpu *gv, uint32_t msr, uint64_t *value)
{
	if (msr == MSR_IA32_VMX_BASIC) {
		*value = VIRT_VMX_BASIC;
		return true;
	}
	if (msr == MSR_IA32_VMX_MISC) {
		*value = VIRT_VMX_MISC;
		return true;
	}
	/* Kept: the controls, EPT/VPID, CR fixed and VMFUNC values Intel
	 * derives from its L2 VMCS tables are the CPU's own here. */
	if ((msr >= MSR_IA32_VMX_CR0_FIXED0 && msr <= MSR_IA32_VMX_CR4_FIXED1) ||
	    (msr >= MSR_IA32_VMX_PROCBASED_CTLS2 && msr <= TDMSR_VMX_PROCBASED_CTLS3)) {
		*value = 0;
		platform_rdmsr(gv->m->plat, gv->lp, msr, value);
		return true;
	}
	return false;
}

static uint64_t rd_misc_enable(struct tdx_vcpu *gv)
{
	uint64_t v = 0;

	/* Exits only without PERFMON (else the bitmap passes it through). */
	platform_rdmsr(gv->m->plat, gv->lp, TDMSR_MISC_ENABLE, &v);
	return (v & ~ME_PERFMON_AVAILABLE) | ME_PEBS_UNAVAILABLE;
}

static uint64_t rd_perf_capabilities(struct tdx_vcpu *gv)
{
	/* PERFMON with PT passes it through; PERFMON alone hides PEBS
	 * output to PT; no PERFMON reads 0. */
	if (!perfmon(gv))
		return 0;
	return msr_platform_perf_cap(gv->m) & ~PERF_CAP_PEBS_OUTPUT_PT;
}

enum msr_outcome msr_rd_exit(struct tdx_vcpu *gv, uint32_t msr, uint64_t *value)
{
	if (!msr_in_bitmap(msr))
		return MSR_VE;
	switch (msr) {
	case MSR_IA32_DEBUGCTL:
		*value = msr_native_read(gv, msr) & ~DC_UNCORE_PMI;
		return MSR_DONE;
	case TDMSR_MISC_ENABLE:
		*value = rd_misc_enable(gv);
		return MSR_DONE;
	case TDMSR_PERF_CAPABILITIES:
		*value = rd_perf_capabilities(gv);
		return MSR_DONE;
	case MSR_IA32_ARCH_CAPABILITIES:
		*value = virt_arch_capabilities(gv);
		return MSR_DONE;
	case TDMSR_XAPIC_DISABLE_STATUS:
		*value = XAPIC_DISABLED;
		return MSR_DONE;
	default:
		if (virt_vmx(gv, msr, value))
			return MSR_DONE;
		return generic_case(gv, msr, false);
	}
}

/* wrmsr_ia32_xss: only components the CPU supports in XSS and the TD's
 * XFAM enables. */
static enum msr_outcome wr_xss(struct tdx_vcpu *gv, uint64_t value)
{
	if (value & ~((uint64_t)gv->m->cpu.xss_mask & gv->v->td.tdcs->xfam))
		return MSR_GP;
	msr_native_write(gv, MSR_IA32_XSS, value);
	return MSR_DONE;
}

/* wrmsr_ia32_debugctl: reserved bits #GP; TR without BTS (branch trace
 * messages, for debug TDs) is for the VMM; bit 13 keeps its value.
 * Kept: tdxsim has no RFLAGS.TF, so no pending single-step to adjust. */
static enum msr_outcome wr_debugctl(struct tdx_vcpu *gv, uint64_t value)
{
	uint64_t old = msr_native_read(gv, MSR_IA32_DEBUGCTL);

	if (value & DC_RESERVED)
		return MSR_GP;
	if ((value & DC_TR) && !(value & DC_BTS))
		return MSR_VE;
	msr_native_write(gv, MSR_IA32_DEBUGCTL, (value & ~DC_UNCORE_PMI) | (old & DC_UNCORE_PMI));
	return MSR_DONE;
}

/* wrmsr_ia32_efer: LMA is read-only, only SCE may change (L1);
 * anything else is the VMM's. */
static enum msr_outcome wr_efer(struct tdx_vcpu *gv, uint64_t value)
{
	uint64_t old = msr_native_read(gv, MSR_IA32_EFER);

	value = (value & ~EFER_LMA) | (old & EFER_LMA);
	if ((value & ~EFER_SCE) != (old & ~EFER_SCE))
		return MSR_VE;
	msr_native_write(gv, MSR_IA32_EFER, value);
	return MSR_DONE;
}

enum msr_outcome msr_wr_exit(struct tdx_vcpu *gv, uint32_t msr, uint64_t value)
{
	if (!msr_in_bitmap(msr))
		return MSR_VE;
	switch (msr) {
	case MSR_IA32_XSS:
		return wr_xss(gv, value);
	case MSR_IA32_DEBUGCTL:
		return wr_debugctl(gv, value);
	case MSR_IA32_EFER:
		return wr_efer(gv, value);
	default:
		return generic_case(gv, msr, true);
	}
}
