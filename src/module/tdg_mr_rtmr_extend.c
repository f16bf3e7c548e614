/* SPDX-License-Identifier: MIT */
/*
 * TDG.MR.RTMR.EXTEND (abi §5.8): RCX = GPA of 48 bytes of extension data,
 * RDX = RTMR index. RTMR[i] = SHA-384(RTMR[i] || data). The checks run in
 * the module's order (tdg_mr_rtmr_extend.c): GPA alignment, the data's
 * private GPA (a fault there is a TD exit or #VE and the TDCALL runs
 * again), the index, then the RTMR lock.
 */
#include <string.h>

#include <openssl/evp.h>

#include "module.h"
#include "td_run.h"

#define RTMR_EXTEND_ALIGN 64     /* abi §5.8: 64-byte aligned */

static void extend(uint8_t rtmr[TDX_SHA384_SIZE], const uint8_t data[TDX_SHA384_SIZE])
{
	uint8_t cat[2 * TDX_SHA384_SIZE];
	unsigned int n = 0;

	memcpy(cat, rtmr, TDX_SHA384_SIZE);
	memcpy(cat + TDX_SHA384_SIZE, data, TDX_SHA384_SIZE);
	if (!EVP_Digest(cat, sizeof(cat), rtmr, &n, EVP_sha384(), NULL) || n != TDX_SHA384_SIZE)
		abort();   /* the module's fatal error on a SHA failure */
}

uint64_t tdg_mr_rtmr_extend(struct tdx_vcpu *gv, uint64_t *gpr)
{
	struct tdcs *tdcs = gv->v->td.tdcs;
	uint8_t data[TDX_SHA384_SIZE];
	uint64_t gpa = gpr[RCX], index = gpr[RDX];

	if (gpa % RTMR_EXTEND_ALIGN)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (!td_guest_operand(gv, gpa, data, sizeof(data), false, true))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (index >= TDX_NUM_RTMRS)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	if (module_fault(gv->m, TDXSIM_INJECT_RTMR_LOCK) || !sharex_try(&tdcs->rtmr_lock, LOCK_EX))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RTMR);
	extend(tdcs->rtmr[index], data);
	sharex_release(&tdcs->rtmr_lock, LOCK_EX);
	return TDX_SUCCESS;
}
