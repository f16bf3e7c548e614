/* SPDX-License-Identifier: MIT */
/*
 * TDG.MR.VERIFYREPORT (22): RCX = GPA of a 256-byte REPORTMACSTRUCT,
 * 256-aligned, private. The CPU's SEAMOPS(SEAMVERIFYREPORT) checks that
 * this platform MACed it (platform/seamops.c); the module maps the
 * answer to a status. No output register but RAX.
 *
 * Local attestation: a TD checks a TDREPORT another TD on the same
 * platform made (TDG.MR.REPORT), e.g. one passed to it in shared memory.
 */
#include <stdlib.h>

#include "module.h"
#include "td_run.h"
#include "tdxsim/tdreport.h"
#include "platform/platform_internal.h"

static uint64_t seamverify_status(uint64_t seamops)
{
	switch (seamops) {
	case SEAMOPS_SUCCESS:                 return TDX_SUCCESS;
	case SEAMOPS_INVALID_CPUSVN:          return TDX_INVALID_CPUSVN;
	case SEAMOPS_INVALID_REPORTMACSTRUCT: return TDX_INVALID_REPORTMACSTRUCT;
	default:                              abort();   /* the module's FATAL_ERROR */
	}
}

uint64_t tdg_mr_verifyreport(struct tdx_vcpu *gv, uint64_t *gpr)
{
	struct tdx_report_mac rm;
	uint64_t gpa = gpr[RCX];

	/* tdg_mr_verifyreport: the CPU must have SEAMVERIFYREPORT (captured
	 * at TDH.SYS.INIT as seamverifyreport_available). */
	if (!gv->m->seamverifyreport)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX);
	/* tdg_mr_verifyreport: is_addr_aligned_pwr_of_2(gpa, 256). */
	if (gpa % TDX_REPORT_MAC_STRUCT_SIZE)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	/* check_walk_and_map_guest_side_gpa (PRIVATE_ONLY, read): a shared or
	 * out-of-GPAW GPA is OPERAND_INVALID|RCX; an unmapped one exits to
	 * the host (or is a #VE) and the TDCALL runs again. */
	if (!td_guest_operand(gv, gpa, &rm, sizeof(rm), false, true))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	/* ia32_seamops_seamverify_report, its status mapped. */
	return seamverify_status(platform_seamverifyreport(gv->m->plat, &rm));
}
