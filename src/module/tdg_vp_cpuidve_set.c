/* SPDX-License-Identifier: MIT */
/*
 * TDG.VP.CPUIDVE.SET (tdx-module tdx_1.5 tdg_vp_cpuidve_set.c): RCX bit 0
 * makes every CPUID at CPL 0 a #VE, bit 1 every CPUID above CPL 0.
 */
#include "module.h"
#include "td.h"
#include "td_run.h"

#define CPUIDVE_SUPERVISOR 0x1ULL
#define CPUIDVE_USER       0x2ULL

uint64_t tdg_vp_cpuidve_set(struct tdx_vcpu *gv, uint64_t *gpr)
{
	uint64_t ctl = gpr[RCX];

	/* tdg_vp_cpuidve_set: the reserved bits, then both flags. */
	if (ctl & ~(CPUIDVE_SUPERVISOR | CPUIDVE_USER))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	gv->v->mgmt->cpuid_supervisor_ve = ctl & CPUIDVE_SUPERVISOR ? 1 : 0;
	gv->v->mgmt->cpuid_user_ve = ctl & CPUIDVE_USER ? 1 : 0;
	return TDX_SUCCESS;
}
