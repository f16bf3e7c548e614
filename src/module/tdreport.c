/* SPDX-License-Identifier: MIT */
/*
 * TDREPORT_STRUCT (abi §5.9): building and checking, as pure functions.
 *
 * On hardware the module builds TDINFO and hashes it, and the CPU
 * instruction SEAMOPS(SEAMDB_REPORT) produces the REPORTMACSTRUCT,
 * TEE_TCB_INFO and the MAC with a key only the CPU knows. tdxsim
 * simulates that MAC with HMAC-SHA256 under a per-platform 32-byte secret
 * over the REPORTMACSTRUCT's first 224 bytes (everything before mac); see
 * include/tdxsim/tdreport.h and docs/attestation.md.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tdxsim/tdreport.h"

static void sha384(const void *data, size_t len, uint8_t out[TDX_REPORT_HASH_SIZE])
{
	unsigned int n = 0;

	if (!EVP_Digest(data, len, out, &n, EVP_sha384(), NULL) || n != TDX_REPORT_HASH_SIZE)
		memset(out, 0, TDX_REPORT_HASH_SIZE);   /* never on a working libcrypto */
}

void tdx_report_compute_mac(const struct tdx_report_mac *m,
			    const uint8_t key[TDX_REPORT_KEY_SIZE],
			    uint8_t mac[TDX_REPORT_MAC_SIZE])
{
	unsigned int n = 0;

	if (!HMAC(EVP_sha256(), key, TDX_REPORT_KEY_SIZE, (const uint8_t *)m,
		  TDX_REPORT_MACED_SIZE, mac, &n) || n != TDX_REPORT_MAC_SIZE)
		memset(mac, 0, TDX_REPORT_MAC_SIZE);
}

void tdx_report_build(const struct tdx_report_inputs *in,
		      const uint8_t key[TDX_REPORT_KEY_SIZE],
		      struct tdx_report *out)
{
	struct tdx_td_info *ti = &out->td_info;
	struct tdx_tee_tcb_info *tcb = &out->tee_tcb_info;
	struct tdx_report_mac *m = &out->mac;

	memset(out, 0, sizeof(*out));

	/* TDINFO: the module's part. */
	ti->attributes = in->attributes;
	ti->xfam = in->xfam;
	memcpy(ti->mr_td, in->mr_td, sizeof(ti->mr_td));
	memcpy(ti->mr_config_id, in->mr_config_id, sizeof(ti->mr_config_id));
	memcpy(ti->mr_owner, in->mr_owner, sizeof(ti->mr_owner));
	memcpy(ti->mr_owner_config, in->mr_owner_config, sizeof(ti->mr_owner_config));
	memcpy(ti->rtmr, in->rtmr, sizeof(ti->rtmr));
	memcpy(ti->servtd_hash, in->servtd_hash, sizeof(ti->servtd_hash));

	/* TEE_TCB_INFO: the CPU's part. Every field is present, so every
	 * valid byte is 0xFF (a tdxsim choice; tdreport.h). */
	memset(tcb->valid, TDX_TEE_TCB_INFO_VALID_ALL, sizeof(tcb->valid));
	memcpy(tcb->tee_tcb_svn, in->tee_tcb_svn, sizeof(tcb->tee_tcb_svn));
	memcpy(tcb->mr_seam, in->mr_seam, sizeof(tcb->mr_seam));
	memcpy(tcb->mr_signer_seam, in->mr_signer_seam, sizeof(tcb->mr_signer_seam));
	tcb->attributes = in->seam_attributes;

	/* REPORTMACSTRUCT. */
	m->report_type.type = TDX_REPORT_TYPE_TDX;
	m->report_type.subtype = TDX_REPORT_SUBTYPE_TD;
	m->report_type.version = TDX_REPORT_VERSION;
	memcpy(m->cpusvn, in->cpusvn, sizeof(m->cpusvn));
	sha384(tcb, sizeof(*tcb), m->tee_tcb_info_hash);
	sha384(ti, sizeof(*ti), m->tee_info_hash);
	memcpy(m->report_data, in->report_data, sizeof(m->report_data));
	tdx_report_compute_mac(m, key, m->mac);
}

int tdx_report_check(const struct tdx_report *r,
		     const uint8_t key[TDX_REPORT_KEY_SIZE],
		     char *why, size_t whylen)
{
	const struct tdx_report_type *t = &r->mac.report_type;
	uint8_t h[TDX_REPORT_HASH_SIZE], mac[TDX_REPORT_MAC_SIZE];

	if (t->type != TDX_REPORT_TYPE_TDX || t->subtype != TDX_REPORT_SUBTYPE_TD ||
	    (t->version != TDX_REPORT_VERSION && t->version != TDX_REPORT_VERSION_SERVTD)) {
		snprintf(why, whylen,
			 "report type %#04x subtype %u version %u is not TDX (0x81/0/0 or 0x81/0/1)",
			 t->type, t->subtype, t->version);
		return -1;
	}
	sha384(&r->td_info, sizeof(r->td_info), h);
	if (CRYPTO_memcmp(h, r->mac.tee_info_hash, sizeof(h))) {
		snprintf(why, whylen, "TEE_INFO_HASH does not match TDINFO");
		return -1;
	}
	sha384(&r->tee_tcb_info, sizeof(r->tee_tcb_info), h);
	if (CRYPTO_memcmp(h, r->mac.tee_tcb_info_hash, sizeof(h))) {
		snprintf(why, whylen, "TEE_TCB_INFO_HASH does not match TEE_TCB_INFO");
		return -1;
	}
	if (key) {
		tdx_report_compute_mac(&r->mac, key, mac);
		if (CRYPTO_memcmp(mac, r->mac.mac, sizeof(mac))) {
			snprintf(why, whylen, "MAC does not verify");
			return -1;
		}
	}
	if (whylen)
		why[0] = '\0';
	return 0;
}
