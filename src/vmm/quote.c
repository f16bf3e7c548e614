/* SPDX-License-Identifier: MIT */
/*
 * The simulated quoting enclave: it checks a TDREPORT's MAC with the
 * platform report key and signs header || report with an ECDSA P-256
 * attestation key derived from a seed. The format is in tdxsim/quote.h;
 * why it is simulated, in docs/attestation.md.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "tdxsim/quote.h"

struct tdx_quoting_key {
	EVP_PKEY *pkey;
	uint8_t pub[TDX_QUOTE_PUBKEY_SIZE];
};

#define P256_NAME "prime256v1"

/* An EVP_PKEY for P-256 from a public point and, when d is not NULL, the
 * private scalar. */
static EVP_PKEY *p256_pkey(const uint8_t pub[TDX_QUOTE_PUBKEY_SIZE], const BIGNUM *d)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pc = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, P256_NAME, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub,
					      TDX_QUOTE_PUBKEY_SIZE) ||
	    (d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    !(pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) ||
	    EVP_PKEY_fromdata_init(pc) <= 0 ||
	    EVP_PKEY_fromdata(pc, &pkey, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
			      params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(pc);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

struct tdx_quoting_key *tdx_qe_create(const uint8_t seed[TDX_QUOTE_SEED_SIZE])
{
	static const char label[] = "tdxsim-qe";
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	struct tdx_quoting_key *k = calloc(1, sizeof(*k));
	uint8_t buf[sizeof(label) - 1 + 1 + TDX_QUOTE_SEED_SIZE], h[32];
	EC_POINT *pt = NULL;
	BIGNUM *d = BN_new();
	unsigned n;
	bool ok = false;

	if (!g || !k || !d)
		goto out;
	memcpy(buf, label, sizeof(label) - 1);
	memcpy(buf + sizeof(label) - 1 + 1, seed, TDX_QUOTE_SEED_SIZE);
	/* Rejection sampling: the first digest in [1, n) is the scalar. */
	for (unsigned ctr = 0; ctr < 256; ctr++) {
		buf[sizeof(label) - 1] = (uint8_t)ctr;
		if (!EVP_Digest(buf, sizeof(buf), h, &n, EVP_sha256(), NULL) ||
		    !BN_bin2bn(h, sizeof(h), d))
			goto out;
		if (!BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(g)) < 0) {
			ok = true;
			break;
		}
	}
	if (!ok)
		goto out;
	ok = false;
	if (!(pt = EC_POINT_new(g)) || !EC_POINT_mul(g, pt, d, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, k->pub,
			       sizeof(k->pub), NULL) != sizeof(k->pub) ||
	    !(k->pkey = p256_pkey(k->pub, d)))
		goto out;
	ok = true;
out:
	OPENSSL_cleanse(h, sizeof(h));
	BN_clear_free(d);
	EC_POINT_free(pt);
	EC_GROUP_free(g);
	if (!ok) {
		tdx_qe_destroy(k);
		k = NULL;
	}
	return k;
}

void tdx_qe_destroy(struct tdx_quoting_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

void tdx_qe_public_key(const struct tdx_quoting_key *k, uint8_t pub[TDX_QUOTE_PUBKEY_SIZE])
{
	memcpy(pub, k->pub, TDX_QUOTE_PUBKEY_SIZE);
}

void tdx_quote_key_fingerprint(const uint8_t pub[TDX_QUOTE_PUBKEY_SIZE], uint8_t out[32])
{
	unsigned n;

	if (!EVP_Digest(pub, TDX_QUOTE_PUBKEY_SIZE, out, &n, EVP_sha256(), NULL))
		memset(out, 0, 32);
}

/*
 * ECDSA is malleable: if (r, s) verifies, so does (r, n - s), a second
 * valid signature of the same quote that anyone can make. Quotes carry
 * only the low form, s <= n/2 (as Bitcoin's BIP 62 and many verifiers
 * require): the signer writes it and the verifier refuses the other.
 * 1 when s is high, 0 when low, -1 on a libcrypto failure.
 */
static int s_is_high(const BIGNUM *s)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *half = g ? BN_dup(EC_GROUP_get0_order(g)) : NULL;
	int high = -1;

	if (half && BN_rshift1(half, half))
		high = BN_cmp(s, half) > 0;
	BN_free(half);
	EC_GROUP_free(g);
	return high;
}

/* s in its low form, 32 bytes big-endian. */
static bool low_s_bytes(const BIGNUM *s, uint8_t out[32])
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *t = BN_new();
	int high = s_is_high(s);
	bool ok = g && t && high >= 0 &&
		  (high ? BN_sub(t, EC_GROUP_get0_order(g), s) : BN_copy(t, s) != NULL) &&
		  BN_bn2binpad(t, out, 32) == 32;

	BN_free(t);
	EC_GROUP_free(g);
	return ok;
}

/* DER ECDSA signature -> raw r || s, s in its low form. */
static bool der_to_raw(const uint8_t *der, size_t len, uint8_t raw[TDX_QUOTE_SIG_SIZE])
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	const BIGNUM *r, *s;
	bool ok;

	if (!sig)
		return false;
	ECDSA_SIG_get0(sig, &r, &s);
	ok = BN_bn2binpad(r, raw, 32) == 32 && low_s_bytes(s, raw + 32);
	ECDSA_SIG_free(sig);
	return ok;
}

/* The raw signature's s is in the high form (or cannot be read). */
static bool raw_s_high(const uint8_t raw[TDX_QUOTE_SIG_SIZE])
{
	BIGNUM *s = BN_bin2bn(raw + 32, 32, NULL);
	bool high = !s || s_is_high(s) != 0;

	BN_free(s);
	return high;
}

/* raw r || s -> DER, in a buffer the caller frees with OPENSSL_free. */
static int raw_to_der(const uint8_t raw[TDX_QUOTE_SIG_SIZE], uint8_t **der)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32, NULL);
	int len = -1;

	*der = NULL;
	if (sig && r && s && ECDSA_SIG_set0(sig, r, s)) {
		r = s = NULL;          /* owned by sig now */
		len = i2d_ECDSA_SIG(sig, der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return len;
}

int tdx_qe_quote(struct tdx_quoting_key *k, const struct tdx_report *r,
		 const uint8_t report_key[TDX_REPORT_KEY_SIZE],
		 uint8_t *out, size_t cap, size_t *len)
{
	struct tdx_quote q;
	uint8_t der[80];
	size_t derlen = sizeof(der);
	EVP_MD_CTX *ctx;
	char why[128];
	int rc = TDX_QE_CRYPTO;

	/* The real QE checks the report with EVERIFYREPORT first. */
	if (tdx_report_check(r, report_key, why, sizeof(why)) != 0)
		return TDX_QE_BAD_REPORT;
	*len = TDX_QUOTE_SIZE;
	if (cap < TDX_QUOTE_SIZE)
		return TDX_QE_NO_SPACE;

	memset(&q, 0, sizeof(q));
	memcpy(q.header.magic, TDX_QUOTE_MAGIC, TDX_QUOTE_MAGIC_SIZE);
	q.header.version = TDX_QUOTE_VERSION;                 /* host is little-endian */
	q.header.att_key_type = TDX_QUOTE_ATT_KEY_ECDSA_P256;
	q.header.tee_type = TDX_QUOTE_TEE_TYPE_TDX;
	q.body = *r;
	memcpy(q.pubkey, k->pub, sizeof(q.pubkey));

	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k->pkey) > 0 &&
	    EVP_DigestSign(ctx, der, &derlen, (const uint8_t *)&q, TDX_QUOTE_SIGNED_SIZE) > 0 &&
	    der_to_raw(der, derlen, q.signature)) {
		memcpy(out, &q, sizeof(q));
		rc = TDX_QE_OK;
	}
	EVP_MD_CTX_free(ctx);
	return rc;
}

static int fail(char *why, size_t whylen, const char *fmt, size_t a, size_t b)
{
	snprintf(why, whylen, fmt, a, b);
	return -1;
}

int tdx_quote_verify(const uint8_t *q, size_t len, struct tdx_report *body_out,
		     char *why, size_t whylen)
{
	struct tdx_quote quote;
	static const uint8_t zero[16];
	EC_GROUP *g = NULL;
	EC_POINT *pt = NULL;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *ctx = NULL;
	uint8_t *der = NULL;
	char reason[160];
	int derlen, ok, rc = -1;

	if (len < TDX_QUOTE_MAGIC_SIZE || memcmp(q, TDX_QUOTE_MAGIC, TDX_QUOTE_MAGIC_SIZE))
		return fail(why, whylen, "not a tdxsim quote (no \"TDXSIMQ1\" magic)", 0, 0);
	if (len < TDX_QUOTE_SIZE)
		return fail(why, whylen, "truncated quote: %zu bytes, a quote has %zu",
			    len, TDX_QUOTE_SIZE);
	if (len > TDX_QUOTE_SIZE)
		return fail(why, whylen, "%zu bytes after the quote's %zu",
			    len - TDX_QUOTE_SIZE, TDX_QUOTE_SIZE);
	memcpy(&quote, q, sizeof(quote));
	if (quote.header.version != TDX_QUOTE_VERSION)
		return fail(why, whylen, "quote version %zu, expected %zu",
			    quote.header.version, TDX_QUOTE_VERSION);
	if (quote.header.att_key_type != TDX_QUOTE_ATT_KEY_ECDSA_P256)
		return fail(why, whylen, "attestation key type %zu, expected %zu (ECDSA P-256)",
			    quote.header.att_key_type, TDX_QUOTE_ATT_KEY_ECDSA_P256);
	if (quote.header.tee_type != TDX_QUOTE_TEE_TYPE_TDX)
		return fail(why, whylen, "TEE type %#zx, expected %#zx (TDX)",
			    quote.header.tee_type, TDX_QUOTE_TEE_TYPE_TDX);
	if (memcmp(quote.header.reserved, zero, sizeof(zero)))
		return fail(why, whylen, "reserved header bytes are not zero", 0, 0);

	g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	pt = g ? EC_POINT_new(g) : NULL;
	if (!pt) {
		snprintf(why, whylen, "libcrypto failure");
		goto out;
	}
	if (quote.pubkey[0] != 0x04 ||
	    !EC_POINT_oct2point(g, pt, quote.pubkey, sizeof(quote.pubkey), NULL) ||
	    !(pkey = p256_pkey(quote.pubkey, NULL))) {
		snprintf(why, whylen, "attestation key is not an uncompressed P-256 point");
		goto out;
	}
	derlen = raw_to_der(quote.signature, &der);
	ctx = EVP_MD_CTX_new();
	ok = derlen > 0 && ctx &&
	     EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pkey) > 0 &&
	     EVP_DigestVerify(ctx, der, (size_t)derlen, q, TDX_QUOTE_SIGNED_SIZE) == 1;
	if (!ok) {
		snprintf(why, whylen, "signature does not verify with the quote's attestation key");
		goto out;
	}
	if (raw_s_high(quote.signature)) {
		snprintf(why, whylen, "signature has a high s (above n/2): the malleable twin "
			 "of a low-s signature, the only form a quote carries");
		goto out;
	}
	if (tdx_report_check(&quote.body, NULL, reason, sizeof(reason)) != 0) {
		snprintf(why, whylen, "quote body: %s", reason);
		goto out;
	}
	if (body_out)
		*body_out = quote.body;
	if (whylen)
		why[0] = '\0';
	rc = 0;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	EC_POINT_free(pt);
	EC_GROUP_free(g);
	return rc;
}
