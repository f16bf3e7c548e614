/* SPDX-License-Identifier: MIT */
/*
 * TDG.MR.REPORT (abi §5.9): RCX = GPA of the 1024-byte TDREPORT_STRUCT
 * to write, RDX = GPA of the 64-byte REPORTDATA, R8 = subtype. Both GPAs
 * may be private or shared. Checks in the module's order
 * (tdg_mr_report.c): RCX alignment, RDX alignment, the REPORTDATA GPA,
 * the subtype, the RTMR lock (TDINFO), then the report GPA.
 *
 * The module builds TDINFO; the CPU's SEAMDB_REPORT supplies TEE_TCB_INFO
 * and the MAC, which tdxsim simulates with the platform's report key
 * (docs/attestation.md). The module's measurement MRSEAM is simulated too:
 * SHA-384 of its identity string. MRSIGNERSEAM is zero, as for a module
 * Intel signs; TEE_TCB_SVN is {update version, major version}.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "module.h"
#include "metadata_sys.h"
#include "td_run.h"
#include "tdxsim/tdreport.h"
#include "platform/platform_internal.h"

#define REPORT_ALIGN      TDX_REPORT_SIZE        /* abi §5.9: 1024-aligned */
#define REPORTDATA_ALIGN  TDX_REPORT_DATA_SIZE   /* abi §5.9: 64-aligned */

static void seam_identity(const struct tdx_module *m, struct tdx_report_inputs *in)
{
	char id[96];
	unsigned int n = 0;
	int len = snprintf(id, sizeof(id), "tdxsim TDX module %u.%u.%u build %u",
			   (unsigned)md_sys_version(m, MD_SYS_MAJOR_VERSION),
			   (unsigned)md_sys_version(m, MD_SYS_MINOR_VERSION),
			   (unsigned)md_sys_version(m, MD_SYS_UPDATE_VERSION),
			   (unsigned)md_sys_version(m, MD_SYS_BUILD_NUM));

	if (!EVP_Digest(id, (size_t)len, in->mr_seam, &n, EVP_sha384(), NULL))
		abort();
	in->tee_tcb_svn[0] = (uint8_t)md_sys_version(m, MD_SYS_UPDATE_VERSION);
	in->tee_tcb_svn[1] = (uint8_t)md_sys_version(m, MD_SYS_MAJOR_VERSION);
}

/* TDINFO's inputs, with the RTMRs read under their lock. */
static bool td_info(struct tdcs *tdcs, struct tdx_report_inputs *in)
{
	if (!sharex_try(&tdcs->rtmr_lock, LOCK_SH))
		return false;
	memcpy(in->rtmr, tdcs->rtmr, sizeof(in->rtmr));
	sharex_release(&tdcs->rtmr_lock, LOCK_SH);
	in->attributes = tdcs->attributes;
	in->xfam = tdcs->xfam;
	memcpy(in->mr_td, tdcs->mrtd, sizeof(in->mr_td));
	memcpy(in->mr_config_id, tdcs->mr_config_id, sizeof(in->mr_config_id));
	memcpy(in->mr_owner, tdcs->mr_owner, sizeof(in->mr_owner));
	memcpy(in->mr_owner_config, tdcs->mr_owner_config, sizeof(in->mr_owner_config));
	memcpy(in->servtd_hash, tdcs->servtd_hash, sizeof(in->servtd_hash));
	return true;
}

uint64_t tdg_mr_report(struct tdx_vcpu *gv, uint64_t *gpr)
{
	struct tdx_module *m = gv->m;
	struct tdx_report_inputs in = { 0 };
	struct tdx_report report;
	uint8_t key[TDX_REPORT_KEY_SIZE];

	if (gpr[RCX] % REPORT_ALIGN)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (gpr[RDX] % REPORTDATA_ALIGN)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	if (!td_guest_operand(gv, gpr[RDX], in.report_data, sizeof(in.report_data), false, false))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	if (gpr[R8] != TDX_REPORT_SUBTYPE_TD)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8);
	if (module_fault(m, TDXSIM_INJECT_RTMR_LOCK) || !td_info(gv->v->td.tdcs, &in))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RTMR);
	seam_identity(m, &in);
	platform_cpusvn(m->plat, in.cpusvn);   /* what SEAMVERIFYREPORT checks */
	platform_report_key(m->plat, key);
	tdx_report_build(&in, key, &report);
	OPENSSL_cleanse(key, sizeof(key));
	if (!td_guest_operand(gv, gpr[RCX], &report, sizeof(report), true, false))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	return TDX_SUCCESS;
}
