/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.INIT (abi §3.3): global initialisation. Checks the platform as
 * MCHECK left it (the native CPUID against the module's verify table,
 * TME activation, KeyID partitioning), captures the values every LP must
 * match at LP.INIT, and derives the HKID layout.
 */
#include <string.h>

#include "module.h"
#include "platform/platform_internal.h"

/* MSRs LP.INIT compares, in the module's order (tdh_sys_lp_init.c), as far
 * as the platform models them. */
static const uint32_t checked_msrs[] = {
	MSR_IA32_ARCH_CAPABILITIES,
	MSR_IA32_VMX_BASIC, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
	MSR_IA32_VMX_TRUE_PROCBASED_CTLS, MSR_IA32_VMX_PROCBASED_CTLS2,
	MSR_IA32_VMX_TRUE_EXIT_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS,
	MSR_IA32_VMX_MISC, MSR_IA32_VMX_EPT_VPID_CAP,
	MSR_IA32_VMX_CR0_FIXED0, MSR_IA32_VMX_CR0_FIXED1,
	MSR_IA32_VMX_CR4_FIXED0, MSR_IA32_VMX_CR4_FIXED1,
	MSR_IA32_TME_ACTIVATE, MSR_IA32_MKTME_KEYID_PARTITIONING,
};

static void capture_msrs(struct tdx_module *m, unsigned lp)
{
	struct platform *p = m->plat;

	m->n_msrs = 0;
	for (unsigned i = 0; i < sizeof(checked_msrs) / sizeof(checked_msrs[0]); i++) {
		uint64_t v;

		if (!platform_rdmsr(p, lp, checked_msrs[i], &v))
			continue;
		m->msr_index[m->n_msrs] = checked_msrs[i];
		m->msr_value[m->n_msrs++] = v;
	}
}

/* MCHECK's per-package FMS table (socket_cpuid_table), which the module
 * reads rather than the calling LP's CPUID. */
static void capture_pkg_fms(struct tdx_module *m)
{
	const struct tdxsim_platform_config *cfg = platform_config(m->plat);
	uint32_t r[4];

	for (unsigned pkg = 0; pkg < m->num_of_pkgs && pkg < TDX_MAX_PKGS; pkg++) {
		platform_cpuid(m->plat, pkg * cfg->lps_per_package, 1, 0, r);
		m->pkg_fms[pkg] = r[0];
	}
}

/* check_key_management_config: TME locked, partitioning within MAX_HKIDS. */
static uint64_t check_keys(struct tdx_module *m, unsigned lp)
{
	uint64_t tme, part;
	unsigned bits;

	if (!platform_rdmsr(m->plat, lp, MSR_IA32_TME_ACTIVATE, &tme) || !(tme & 1))
		return tdx_status_with_operand(TDX_INCORRECT_MSR_VALUE,
					       MSR_IA32_TME_ACTIVATE);
	if (!platform_rdmsr(m->plat, lp, MSR_IA32_MKTME_KEYID_PARTITIONING, &part))
		return tdx_status_with_operand(TDX_INCORRECT_MSR_VALUE,
					       MSR_IA32_MKTME_KEYID_PARTITIONING);
	bits = (tme >> 32) & 0xF;
	m->hkid_start_bit = MODULE_MAX_PA - bits;
	m->hkid_mask = bits ? (((1ULL << bits) - 1) << m->hkid_start_bit) : 0;
	m->private_hkid_min = (uint32_t)part + 1;
	m->private_hkid_max = (uint32_t)part + (uint32_t)(part >> 32);
	if (m->private_hkid_max >= TDX_MAX_HKIDS)
		return tdx_status_with_operand(TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED,
					       TDX_MAX_HKIDS);
	return TDX_SUCCESS;
}

static void capture_platform(struct tdx_module *m, unsigned lp)
{
	const struct tdxsim_platform_config *cfg = platform_config(m->plat);
	uint64_t base = 0, mask = 0;
	uint32_t r[4];

	platform_rdmsr(m->plat, lp, MSR_IA32_SEAMRR_PHYS_BASE, &base);
	platform_rdmsr(m->plat, lp, MSR_IA32_SEAMRR_PHYS_MASK, &mask);
	m->seamrr_base = base & ~0xFFFULL;
	mask &= ~0xFFFULL & ((1ULL << m->hkid_start_bit) - 1);
	m->seamrr_size = mask ? (~mask & ((1ULL << m->hkid_start_bit) - 1)) + 1 : 0;
	m->n_cmrs = (unsigned)cfg->n_cmrs;
	memcpy(m->cmrs, cfg->cmrs, sizeof(cfg->cmrs[0]) * cfg->n_cmrs);
	platform_rdmsr(m->plat, lp, MSR_IA32_VMX_EPT_VPID_CAP, &base);
	m->ept_pml5 = base & TDX_EPT_VPID_CAP_PML5;
	platform_cpuid(m->plat, lp, 0xD, 0, r);
	m->xfam_supported = r[0] | ((uint64_t)r[3] << 32);
	platform_cpuid(m->plat, lp, 0xD, 1, r);
	m->xfam_supported |= r[2] | ((uint64_t)r[3] << 32);
	/* tdh_sys_init: SEAMOPS capabilities bit 6 (local attestation). */
	m->seamverifyreport = platform_has_seamverifyreport(m->plat);
}

static uint64_t sys_init_checks(struct tdx_module *m, struct seam_ctx *c,
				uint64_t attributes)
{
	unsigned lp = c->lp;
	uint64_t status;

	if (attributes)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (atomic_load(&m->sys_state) != SYSINIT_PENDING)
		return TDX_SYS_INIT_NOT_PENDING;
	/* check_platform_config_and_cpu_enumeration: CPUID, then keys. */
	capture_pkg_fms(m);
	status = cpuid_sample(m, lp, c->gpr);
	if (status == TDX_SUCCESS)
		status = check_keys(m, lp);
	if (status != TDX_SUCCESS)
		return status;
	capture_platform(m, lp);
	capture_msrs(m, lp);
	if (module_fault(m, TDXSIM_INJECT_RDRAND))
		return TDX_RND_NO_ENTROPY;   /* stack-canary RDRAND */
	return TDX_SUCCESS;
}

uint64_t tdh_sys_init(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t attributes = c->gpr[RCX], status;

	c->gpr[RCX] = c->gpr[RDX] = c->gpr[R8] = c->gpr[R9] = c->gpr[R10] = 0;
	if (!module_lock_global(m, LOCK_EX))
		return TDX_SYS_BUSY;
	status = sys_init_checks(m, c, attributes);
	if (status == TDX_SUCCESS) {
		atomic_store(&m->num_of_init_lps, 0);
		atomic_store(&m->num_of_init_pkgs, 0);
		atomic_store(&m->pkg_config_bitmap, 0);
		atomic_store(&m->sys_state, SYSINIT_DONE);
	}
	module_unlock_global(m, LOCK_EX);
	return status;
}
