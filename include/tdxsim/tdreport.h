/* SPDX-License-Identifier: MIT */
/*
 * tdxsim: the TDREPORT_STRUCT a TD gets from TDG.MR.REPORT, and the
 * functions that build and check it (docs/attestation.md).
 *
 * Layout: abi §5.9 (tdg_mr_report.c, include/tdx_api_defs.h). All
 * multi-byte integers are little-endian, all structs packed.
 *
 * The MAC: on hardware the REPORTMACSTRUCT, TEE_TCB_INFO and MAC come
 * from the CPU instruction SEAMOPS(SEAMDB_REPORT) with a CPU-internal key
 * ("an HMAC-SHA256 style MAC", abi §5.9), which software can only
 * simulate. tdxsim uses HMAC-SHA256 keyed with a 32-byte per-platform
 * secret (platform_report_key()) over the REPORTMACSTRUCT's first 224
 * bytes, i.e. everything before the mac field. A report therefore
 * verifies on the platform that made it and nowhere else, as on hardware.
 *
 * Pure functions over plain inputs: no platform, TD or LP state.
 */
#ifndef TDXSIM_TDREPORT_H
#define TDXSIM_TDREPORT_H

#include <stddef.h>
#include <stdint.h>

#define TDX_REPORT_TYPE_TDX          0x81  /* abi §5.9: report_type.type */
#define TDX_REPORT_SUBTYPE_TD        0     /* abi §5.9: subtype 0 */
#define TDX_REPORT_VERSION           0     /* abi §5.9: 0, 1 with bound service TDs */
#define TDX_REPORT_VERSION_SERVTD    1     /* abi §5.9 */

#define TDX_REPORT_SIZE              1024  /* abi §5.9: TDREPORT_STRUCT */
#define TDX_REPORT_MAC_STRUCT_SIZE   256   /* abi §5.9: REPORTMACSTRUCT */
#define TDX_TEE_TCB_INFO_SIZE        256   /* abi §5.9 */
#define TDX_TD_INFO_SIZE             512   /* abi §5.9 */
#define TDX_REPORT_DATA_SIZE         64    /* abi §5.9 */
#define TDX_REPORT_MAC_SIZE          32    /* abi §5.9: HMAC-SHA256 style */
/* Bytes the MAC covers: the REPORTMACSTRUCT up to the mac field (tdxsim). */
#define TDX_REPORT_MACED_SIZE        (TDX_REPORT_MAC_STRUCT_SIZE - TDX_REPORT_MAC_SIZE)
#define TDX_REPORT_KEY_SIZE          32    /* tdxsim: HMAC-SHA256 key */
#define TDX_REPORT_HASH_SIZE         48    /* abi §5.9: every measurement */

/* tdxsim: TEE_TCB_INFO.valid marks which fields are present; tdxsim
 * fills every field and sets all eight bytes to 0xFF. */
#define TDX_TEE_TCB_INFO_VALID_ALL   0xFF

struct tdx_report_type {
	uint8_t type;                  /* 0x81: TDX */
	uint8_t subtype;               /* 0 */
	uint8_t version;               /* 0 (1: service TDs bound) */
	uint8_t reserved;
} __attribute__((packed));

/* REPORTMACSTRUCT, abi §5.9. */
struct tdx_report_mac {
	struct tdx_report_type report_type;
	uint8_t reserved1[12];
	uint8_t cpusvn[16];
	uint8_t tee_tcb_info_hash[48]; /* SHA-384 of TEE_TCB_INFO */
	uint8_t tee_info_hash[48];     /* SHA-384 of the 512-byte TDINFO */
	uint8_t report_data[64];
	uint8_t reserved2[32];
	uint8_t mac[32];
} __attribute__((packed));

/* TEE_TCB_INFO, abi §5.9. */
struct tdx_tee_tcb_info {
	uint8_t valid[8];
	uint8_t tee_tcb_svn[16];
	uint8_t mr_seam[48];
	uint8_t mr_signer_seam[48];
	uint64_t attributes;
	uint8_t reserved[128];
} __attribute__((packed));

/* TDINFO, abi §5.9. */
struct tdx_td_info {
	uint64_t attributes;
	uint64_t xfam;
	uint8_t mr_td[48];
	uint8_t mr_config_id[48];
	uint8_t mr_owner[48];
	uint8_t mr_owner_config[48];
	uint8_t rtmr[4][48];
	uint8_t servtd_hash[48];
	uint8_t reserved[64];
} __attribute__((packed));

/* TDREPORT_STRUCT, abi §5.9: 256 + 256 + 512 bytes, no further padding. */
struct tdx_report {
	struct tdx_report_mac mac;
	struct tdx_tee_tcb_info tee_tcb_info;
	struct tdx_td_info td_info;
} __attribute__((packed));

_Static_assert(sizeof(struct tdx_report_type) == 4, "abi §5.9 report_type");
_Static_assert(sizeof(struct tdx_report_mac) == TDX_REPORT_MAC_STRUCT_SIZE, "abi §5.9");
_Static_assert(sizeof(struct tdx_tee_tcb_info) == TDX_TEE_TCB_INFO_SIZE, "abi §5.9");
_Static_assert(sizeof(struct tdx_td_info) == TDX_TD_INFO_SIZE, "abi §5.9");
_Static_assert(sizeof(struct tdx_report) == TDX_REPORT_SIZE, "abi §5.9");
_Static_assert(offsetof(struct tdx_report_mac, mac) == TDX_REPORT_MACED_SIZE, "mac last");

/* What the module and the CPU put in a report (plain values). */
struct tdx_report_inputs {
	/* TDINFO, from the TD's TDCS */
	uint64_t attributes, xfam;
	uint8_t mr_td[48], mr_config_id[48], mr_owner[48], mr_owner_config[48];
	uint8_t rtmr[4][48], servtd_hash[48];
	/* from the guest */
	uint8_t report_data[64];
	/* from the CPU and the module (TEE_TCB_INFO) */
	uint8_t cpusvn[16], tee_tcb_svn[16], mr_seam[48], mr_signer_seam[48];
	uint64_t seam_attributes;
};

/*
 * Fills out completely: TDINFO; tee_info_hash = SHA-384(TDINFO);
 * TEE_TCB_INFO with valid = all 0xFF; tee_tcb_info_hash =
 * SHA-384(TEE_TCB_INFO); type 0x81/0/0; cpusvn; report_data; and
 * mac = HMAC-SHA256(key, first 224 bytes of the REPORTMACSTRUCT).
 * Reserved bytes are zero.
 */
void tdx_report_build(const struct tdx_report_inputs *in,
		      const uint8_t key[TDX_REPORT_KEY_SIZE],
		      struct tdx_report *out);

/*
 * Checks type (0x81, subtype 0, version 0 or 1), both hashes and, when
 * key is not NULL, the MAC. Returns 0, or -1 with a one-line reason in
 * why ("MAC does not verify", "TEE_INFO_HASH does not match TDINFO",
 * "TEE_TCB_INFO_HASH does not match TEE_TCB_INFO", "report type ...").
 */
int tdx_report_check(const struct tdx_report *r,
		     const uint8_t key[TDX_REPORT_KEY_SIZE],
		     char *why, size_t whylen);

/* mac = HMAC-SHA256(key, first 224 bytes of m): what build stores. */
void tdx_report_compute_mac(const struct tdx_report_mac *m,
			    const uint8_t key[TDX_REPORT_KEY_SIZE],
			    uint8_t mac[TDX_REPORT_MAC_SIZE]);

#endif
