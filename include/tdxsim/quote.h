/* SPDX-License-Identifier: MIT */
/*
 * tdxsim: a simulated TD quote, what the GetQuote TDVMCALL (GHCI leaf
 * 0x10002, linux §6.3) returns to the guest in its shared buffer, and the
 * simulated quoting enclave (QE) that makes it (docs/attestation.md).
 *
 * This is NOT the Intel DCAP quote format: there is no PCK certificate
 * chain and no QE report. It keeps what matters for a test: the QE checks
 * the TDREPORT's MAC with the platform's report key first (as the real QE
 * does with EVERIFYREPORT) and then signs it with an ECDSA P-256
 * attestation key (the key type DCAP quotes use).
 *
 * Format, all little-endian, packed, TDX_QUOTE_SIZE = 1185 bytes:
 *
 *   offset  size  field
 *        0     8  magic "TDXSIMQ1"
 *        8     2  version = 1
 *       10     2  att_key_type = 2 (ECDSA-256 with P-256, as in DCAP)
 *       12     4  tee_type = 0x81 (TDX)
 *       16    16  reserved, zero
 *       32  1024  body: the full TDREPORT_STRUCT (tdxsim/tdreport.h)
 *     1056    65  attestation public key: uncompressed P-256 point
 *                 (0x04 || X || Y, big-endian coordinates)
 *     1121    64  signature: ECDSA-P256 over SHA-256(header || body),
 *                 raw r || s, each 32 bytes big-endian
 */
#ifndef TDXSIM_QUOTE_H
#define TDXSIM_QUOTE_H

#include <stddef.h>
#include <stdint.h>

#include "tdxsim/tdreport.h"

#define TDX_QUOTE_MAGIC            "TDXSIMQ1"  /* tdxsim */
#define TDX_QUOTE_MAGIC_SIZE       8
#define TDX_QUOTE_VERSION          1           /* tdxsim */
#define TDX_QUOTE_ATT_KEY_ECDSA_P256 2         /* DCAP att_key_type: ECDSA-256-with-P-256 */
#define TDX_QUOTE_TEE_TYPE_TDX     0x81        /* DCAP tee_type, abi §5.9 report type */
#define TDX_QUOTE_PUBKEY_SIZE      65          /* SEC1 uncompressed P-256 point */
#define TDX_QUOTE_SIG_SIZE         64          /* r || s */
#define TDX_QUOTE_SEED_SIZE        32

struct tdx_quote_header {
	char magic[TDX_QUOTE_MAGIC_SIZE];
	uint16_t version;
	uint16_t att_key_type;
	uint32_t tee_type;
	uint8_t reserved[16];
} __attribute__((packed));

struct tdx_quote {
	struct tdx_quote_header header;
	struct tdx_report body;
	uint8_t pubkey[TDX_QUOTE_PUBKEY_SIZE];
	uint8_t signature[TDX_QUOTE_SIG_SIZE];
} __attribute__((packed));

#define TDX_QUOTE_HEADER_SIZE      32
#define TDX_QUOTE_SIZE             1185
#define TDX_QUOTE_SIGNED_SIZE      (TDX_QUOTE_HEADER_SIZE + TDX_REPORT_SIZE)
_Static_assert(sizeof(struct tdx_quote_header) == TDX_QUOTE_HEADER_SIZE, "quote header");
_Static_assert(sizeof(struct tdx_quote) == TDX_QUOTE_SIZE, "quote");
_Static_assert(offsetof(struct tdx_quote, pubkey) == 1056, "quote pubkey");
_Static_assert(offsetof(struct tdx_quote, signature) == 1121, "quote signature");

/* tdx_qe_quote results. */
#define TDX_QE_OK                  0
#define TDX_QE_BAD_REPORT          (-1)   /* type, hashes or MAC do not verify */
#define TDX_QE_NO_SPACE            (-2)   /* cap < TDX_QUOTE_SIZE; *len = needed */
#define TDX_QE_CRYPTO              (-3)   /* libcrypto failed */

struct tdx_quoting_key;

/*
 * A quoting key derived deterministically from a 32-byte seed: the P-256
 * private scalar is SHA-256("tdxsim-qe" || counter || seed) for the first
 * counter giving a value in [1, n). NULL on libcrypto failure.
 */
struct tdx_quoting_key *tdx_qe_create(const uint8_t seed[TDX_QUOTE_SEED_SIZE]);
void tdx_qe_destroy(struct tdx_quoting_key *k);
/* The key's uncompressed public point. */
void tdx_qe_public_key(const struct tdx_quoting_key *k,
		       uint8_t pub[TDX_QUOTE_PUBKEY_SIZE]);

/*
 * Makes a quote of r into out[0, cap): first checks r with
 * tdx_report_check under report_key (a report made on another platform,
 * or altered, is refused: TDX_QE_BAD_REPORT, nothing written), then
 * signs. On success *len = TDX_QUOTE_SIZE. ECDSA nonces are random, so
 * two quotes of one report differ in their signature only.
 */
int tdx_qe_quote(struct tdx_quoting_key *k, const struct tdx_report *r,
		 const uint8_t report_key[TDX_REPORT_KEY_SIZE],
		 uint8_t *out, size_t cap, size_t *len);

/*
 * Verifies a quote of exactly len bytes: size, magic, version, key type,
 * TEE type, reserved bytes, the public key (a point on P-256), the
 * signature, then the body's report type and hashes (tdx_report_check
 * without a key). Returns 0 with the body in body_out (when not NULL), or
 * -1 with a one-line reason in why. Any input is safe.
 */
int tdx_quote_verify(const uint8_t *q, size_t len, struct tdx_report *body_out,
		     char *why, size_t whylen);

/* SHA-256 of the 65-byte public key: the attestation key's fingerprint. */
void tdx_quote_key_fingerprint(const uint8_t pub[TDX_QUOTE_PUBKEY_SIZE],
			       uint8_t out[32]);

#endif
