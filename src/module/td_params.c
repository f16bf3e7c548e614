/* SPDX-License-Identifier: MIT */
/*
 * TD_PARAMS checks (abi §5.4, TDH.MNG.INIT). Where the spec names a rule
 * without its platform input, the choice made here:
 *  - 5-level EPT (PWL 4 in the field, 5 levels) is supported when the
 *    platform's MAXPA is at least MIN_PA_FOR_PML5 (49);
 *  - the IA32_TSC_ADJUST consistency check is not modelled: the platform
 *    has no TSC_ADJUST that could change after TDH.SYS.INIT;
 *  - the CPUID configuration is the module's own (td_cpuid_config.c).
 */
#include <string.h>

#include "td_params.h"

#define ERR(opid) STATUS(TDX_OPERAND_INVALID, (opid))

static bool all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static uint64_t check_attributes(uint64_t a)
{
	if ((a & ~TDX_ATTRIBUTES_FIXED0) || (a & TDX_ATTRIBUTES_FIXED1) != TDX_ATTRIBUTES_FIXED1)
		return ERR(TDX_OPERAND_ID_ATTRIBUTES);
	if ((a & TDX_TD_ATTR_MIGRATABLE) &&
	    (a & (TDX_TD_ATTR_DEBUG | TDX_TD_ATTR_PERFMON)))
		return ERR(TDX_OPERAND_ID_ATTRIBUTES);
	return TDX_SUCCESS;
}

static uint64_t check_xfam(const struct tdx_module *m, uint64_t x)
{
	uint64_t avx512 = x & TDX_XFAM_AVX512_MASK, amx = x & TDX_XFAM_AMX_MASK;

	if (x & ~(TDX_XFAM_FIXED0_MASK & m->xfam_supported))
		return ERR(TDX_OPERAND_ID_XFAM);
	if ((x & TDX_XFAM_FIXED1) != TDX_XFAM_FIXED1)
		return ERR(TDX_OPERAND_ID_XFAM);
	if (avx512 && (avx512 != TDX_XFAM_AVX512_MASK || !(x & TDX_XFAM_AVX)))
		return ERR(TDX_OPERAND_ID_XFAM);
	if (!(x & TDX_XFAM_CET_U) != !(x & TDX_XFAM_CET_S))
		return ERR(TDX_OPERAND_ID_XFAM);
	if (amx && amx != TDX_XFAM_AMX_MASK)
		return ERR(TDX_OPERAND_ID_XFAM);
	return TDX_SUCCESS;
}

/* verify_and_set_td_eptp_controls: the CPU's EPT must do 5 levels
 * (IA32_VMX_EPT_VPID_CAP bit 7) and address at least 49 bits. */
static bool pml5_supported(const struct tdx_module *m)
{
	return m->ept_pml5 && platform_config(m->plat)->pa_width >= TDX_MIN_PA_FOR_PML5;
}

static uint64_t check_eptp(const struct tdx_module *m, uint64_t eptp,
			   uint64_t config_flags)
{
	uint64_t pwl = (eptp >> TDX_EPTP_PWL_SHIFT) & TDX_EPTP_PWL_MASK;

	if ((eptp & TDX_EPTP_MT_MASK) != TDX_EPTP_MT_WB)
		return ERR(TDX_OPERAND_ID_EPTP_CONTROLS);
	if (pwl != TDX_EPTP_PWL_4 && !(pwl == TDX_EPTP_PWL_5 && pml5_supported(m)))
		return ERR(TDX_OPERAND_ID_EPTP_CONTROLS);
	if (eptp & (TDX_EPTP_AD_BIT | TDX_EPTP_SSS_BIT | TDX_EPTP_RESERVED_MASK))
		return ERR(TDX_OPERAND_ID_EPTP_CONTROLS);
	if ((config_flags & TDX_CONFIG_FLAGS_GPAW) && pwl != TDX_EPTP_PWL_5)
		return ERR(TDX_OPERAND_ID_EPTP_CONTROLS);
	return TDX_SUCCESS;
}

/* Steps 3 and 4 of abi §5.4: vCPUs, L2 VMs and their TDCS pages. */
static uint64_t check_counts(const struct td_ref *td, const struct td_params *p)
{
	if (!p->max_vcpus)
		return ERR(TDX_OPERAND_ID_MAX_VCPUS);
	if (p->num_l2_vms > TDX_MAX_L2_VMS)
		return ERR(TDX_OPERAND_ID_NUM_L2_VMS);
	if (td->tdr->num_tdcx < TDX_MIN_NUM_TDCS_PAGES + p->num_l2_vms * TDX_TDCS_PAGES_PER_L2_VM)
		return TDX_TDCS_NOT_ALLOCATED;
	if (!all_zero(p->reserved_0, sizeof(p->reserved_0)))
		return ERR(TDX_OPERAND_ID_RDX);
	return TDX_SUCCESS;
}

uint64_t td_params_check(struct tdx_module *m, const struct td_ref *td,
			 const struct td_params *p, struct tdcs_cpuid *cpuid,
			 uint64_t *rcx_out)
{
	uint64_t status;

	if ((status = check_attributes(p->attributes)) ||
	    (status = check_xfam(m, p->xfam)) ||
	    (status = check_counts(td, p)))
		return status;
	if (p->config_flags & ~TDX_CONFIG_FLAGS_FIXED0)
		return ERR(TDX_OPERAND_ID_EXEC_CONTROLS);
	if ((status = check_eptp(m, p->eptp_controls, p->config_flags)))
		return status;
	if (p->tsc_frequency < TDX_TSC_FREQ_MIN || p->tsc_frequency > TDX_TSC_FREQ_MAX)
		return ERR(TDX_OPERAND_ID_TSC_FREQUENCY);
	if (!all_zero(p->reserved_1, sizeof(p->reserved_1)) ||
	    (p->msr_config_ctls & ~TDX_MSR_CONFIG_CTLS_ARCH_CAP) ||
	    !all_zero(p->reserved_2, sizeof(p->reserved_2)))
		return ERR(TDX_OPERAND_ID_RDX);
	if ((status = td_cpuid_configure(m, p, cpuid, rcx_out)))
		return status;
	if (!all_zero(p->reserved_3, sizeof(p->reserved_3)))
		return ERR(TDX_OPERAND_ID_RDX);
	/* init_virt_ia32_arch_capabilities: a configuration needs its enable
	 * flag, and only the bits the module virtualises. */
	if ((!(p->msr_config_ctls & TDX_MSR_CONFIG_CTLS_ARCH_CAP) &&
	     p->ia32_arch_capabilities_config) ||
	    (p->ia32_arch_capabilities_config & ~TDX_IA32_ARCH_CAPABILITIES_CONFIG_MASK))
		return ERR(TDX_OPERAND_ID_IA32_ARCH_CAPABILITIES_CONFIG);
	/* td_immutable_state_cross_check, the last: a migratable TD has no
	 * L2 VMs. */
	if ((p->attributes & TDX_TD_ATTR_MIGRATABLE) && p->num_l2_vms)
		return ERR(TDX_OPERAND_ID_RDX);
	return TDX_SUCCESS;
}

void td_params_apply(struct tdx_module *m, struct tdcs *t,
		     const struct td_params *p)
{
	uint64_t pwl = (p->eptp_controls >> TDX_EPTP_PWL_SHIFT) & TDX_EPTP_PWL_MASK;

	t->attributes = p->attributes;
	t->xfam = p->xfam;
	t->max_vcpus = p->max_vcpus;
	t->num_l2_vms = p->num_l2_vms;
	t->config_flags = p->config_flags;
	t->gpaw = (p->config_flags & TDX_CONFIG_FLAGS_GPAW) ? 52 : 48;
	t->pwl = (uint8_t)(pwl + 1);
	t->eptp = p->eptp_controls;
	t->tsc_frequency = p->tsc_frequency;
	t->tsc_multiplier = 1ULL << 48;   /* 1.0 in the VMCS's 16.48 format */
	t->tsc_offset = 0;
	t->ia32_arch_cap_config = p->ia32_arch_capabilities_config;
	t->td_ctls = (p->attributes & TDX_TD_ATTR_SEPT_VE_DISABLE) ?
		     TDX_TD_CTLS_PENDING_VE_DISABLE : 0;
	memcpy(t->mr_config_id, p->mr_config_id, TDX_SHA384_SIZE);
	memcpy(t->mr_owner, p->mr_owner, TDX_SHA384_SIZE);
	memcpy(t->mr_owner_config, p->mr_owner_config, TDX_SHA384_SIZE);
	(void)m;
}
