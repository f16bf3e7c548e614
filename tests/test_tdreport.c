/* SPDX-License-Identifier: MIT */
/* TDREPORT_STRUCT (abi §5.9): layout, hashes, simulated MAC and its
 * checks; the simulated quote and quoting key (tdxsim/quote.h); the
 * per-platform report key. Hashes and MACs are recomputed here with
 * OpenSSL directly, independently of src/module/tdreport.c. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "helpers/machine.h"
#include "platform/platform_internal.h"
#include "tdxsim/quote.h"
#include "tdxsim/tdreport.h"

static const uint8_t key_a[32] = "0123456789abcdef0123456789abcdef";
static const uint8_t key_b[32] = "fedcba9876543210fedcba9876543210";

static void fill(uint8_t *p, size_t n, uint8_t base)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(base + i);
}

static void known_inputs(struct tdx_report_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->attributes = 0x0000000010000001ULL;     /* DEBUG | SEPT_VE_DISABLE */
	in->xfam = 0x00000000000602e7ULL;
	fill(in->mr_td, 48, 0x10);
	fill(in->mr_config_id, 48, 0x20);
	fill(in->mr_owner, 48, 0x30);
	fill(in->mr_owner_config, 48, 0x40);
	for (int i = 0; i < 4; i++)
		fill(in->rtmr[i], 48, (uint8_t)(0x50 + 0x10 * i));
	fill(in->servtd_hash, 48, 0x90);
	fill(in->report_data, 64, 0xA0);
	fill(in->cpusvn, 16, 0xB0);
	fill(in->tee_tcb_svn, 16, 0xC0);
	fill(in->mr_seam, 48, 0xD0);
	fill(in->mr_signer_seam, 48, 0xE0);
	in->seam_attributes = 0x1122334455667788ULL;
}

static void sha384(const void *d, size_t n, uint8_t out[48])
{
	unsigned len;

	assert_true(EVP_Digest(d, n, out, &len, EVP_sha384(), NULL));
	assert_int_equal(len, 48);
}

/* ---- layout ---- */

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct tdx_report), 1024);
	assert_int_equal(offsetof(struct tdx_report, mac), 0);
	assert_int_equal(offsetof(struct tdx_report, tee_tcb_info), 256);
	assert_int_equal(offsetof(struct tdx_report, td_info), 512);
	/* REPORTMACSTRUCT: 4, 12, 16, 48, 48, 64, 32, 32 */
	assert_int_equal(offsetof(struct tdx_report_mac, report_type), 0);
	assert_int_equal(offsetof(struct tdx_report_mac, reserved1), 4);
	assert_int_equal(offsetof(struct tdx_report_mac, cpusvn), 16);
	assert_int_equal(offsetof(struct tdx_report_mac, tee_tcb_info_hash), 32);
	assert_int_equal(offsetof(struct tdx_report_mac, tee_info_hash), 80);
	assert_int_equal(offsetof(struct tdx_report_mac, report_data), 128);
	assert_int_equal(offsetof(struct tdx_report_mac, reserved2), 192);
	assert_int_equal(offsetof(struct tdx_report_mac, mac), 224);
	/* TEE_TCB_INFO: 8, 16, 48, 48, 8, 128 */
	assert_int_equal(offsetof(struct tdx_tee_tcb_info, valid), 0);
	assert_int_equal(offsetof(struct tdx_tee_tcb_info, tee_tcb_svn), 8);
	assert_int_equal(offsetof(struct tdx_tee_tcb_info, mr_seam), 24);
	assert_int_equal(offsetof(struct tdx_tee_tcb_info, mr_signer_seam), 72);
	assert_int_equal(offsetof(struct tdx_tee_tcb_info, attributes), 120);
	assert_int_equal(offsetof(struct tdx_tee_tcb_info, reserved), 128);
	/* TDINFO: 8, 8, 48 x 9, 64 */
	assert_int_equal(offsetof(struct tdx_td_info, attributes), 0);
	assert_int_equal(offsetof(struct tdx_td_info, xfam), 8);
	assert_int_equal(offsetof(struct tdx_td_info, mr_td), 16);
	assert_int_equal(offsetof(struct tdx_td_info, mr_config_id), 64);
	assert_int_equal(offsetof(struct tdx_td_info, mr_owner), 112);
	assert_int_equal(offsetof(struct tdx_td_info, mr_owner_config), 160);
	assert_int_equal(offsetof(struct tdx_td_info, rtmr), 208);
	assert_int_equal(offsetof(struct tdx_td_info, servtd_hash), 400);
	assert_int_equal(offsetof(struct tdx_td_info, reserved), 448);
}

/* Every input lands at its spec offset in the raw bytes. */
static void test_build_fields(void **state)
{
	struct tdx_report_inputs in;
	struct tdx_report r;
	const uint8_t *b = (const uint8_t *)&r;
	uint64_t v;
	(void)state;

	known_inputs(&in);
	tdx_report_build(&in, key_a, &r);
	assert_int_equal(b[0], 0x81);
	assert_int_equal(b[1], 0);
	assert_int_equal(b[2], 0);
	assert_int_equal(b[3], 0);
	for (int i = 4; i < 16; i++)
		assert_int_equal(b[i], 0);
	assert_memory_equal(b + 16, in.cpusvn, 16);
	assert_memory_equal(b + 128, in.report_data, 64);
	for (int i = 192; i < 224; i++)
		assert_int_equal(b[i], 0);
	/* TEE_TCB_INFO at 256 */
	for (int i = 256; i < 264; i++)
		assert_int_equal(b[i], 0xFF);
	assert_memory_equal(b + 264, in.tee_tcb_svn, 16);
	assert_memory_equal(b + 280, in.mr_seam, 48);
	assert_memory_equal(b + 328, in.mr_signer_seam, 48);
	memcpy(&v, b + 376, 8);
	assert_true(v == in.seam_attributes);
	for (int i = 384; i < 512; i++)
		assert_int_equal(b[i], 0);
	/* TDINFO at 512 */
	memcpy(&v, b + 512, 8);
	assert_true(v == in.attributes);
	memcpy(&v, b + 520, 8);
	assert_true(v == in.xfam);
	assert_memory_equal(b + 528, in.mr_td, 48);
	assert_memory_equal(b + 576, in.mr_config_id, 48);
	assert_memory_equal(b + 624, in.mr_owner, 48);
	assert_memory_equal(b + 672, in.mr_owner_config, 48);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(b + 720 + 48 * i, in.rtmr[i], 48);
	assert_memory_equal(b + 912, in.servtd_hash, 48);
	for (int i = 960; i < 1024; i++)
		assert_int_equal(b[i], 0);
}

static void test_build_hashes_and_mac(void **state)
{
	struct tdx_report_inputs in;
	struct tdx_report r;
	const uint8_t *b = (const uint8_t *)&r;
	uint8_t h[48], mac[32];
	unsigned len = 0;
	(void)state;

	known_inputs(&in);
	tdx_report_build(&in, key_a, &r);
	sha384(b + 512, 512, h);
	assert_memory_equal(b + 80, h, 48);             /* tee_info_hash */
	sha384(b + 256, 256, h);
	assert_memory_equal(b + 32, h, 48);             /* tee_tcb_info_hash */
	assert_non_null(HMAC(EVP_sha256(), key_a, 32, b, 224, mac, &len));
	assert_int_equal(len, 32);
	assert_memory_equal(b + 224, mac, 32);

	/* Deterministic; the key matters. */
	struct tdx_report r2;

	tdx_report_build(&in, key_a, &r2);
	assert_memory_equal(&r, &r2, sizeof(r));
	tdx_report_build(&in, key_b, &r2);
	assert_memory_equal(&r, &r2, 224);
	assert_memory_not_equal(r.mac.mac, r2.mac.mac, 32);
}

static void expect_reject(const struct tdx_report *r, const uint8_t *key, const char *reason)
{
	char why[256] = "";

	assert_int_equal(tdx_report_check(r, key, why, sizeof(why)), -1);
	if (!strstr(why, reason))
		fail_msg("reason '%s', expected '%s'", why, reason);
}

static void test_check(void **state)
{
	struct tdx_report_inputs in;
	struct tdx_report good, r;
	char why[256] = "x";
	(void)state;

	known_inputs(&in);
	tdx_report_build(&in, key_a, &good);
	assert_int_equal(tdx_report_check(&good, key_a, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(tdx_report_check(&good, NULL, why, sizeof(why)), 0);

	expect_reject(&good, key_b, "MAC does not verify");

	/* Every byte of TDINFO is covered. */
	for (size_t i = 0; i < sizeof(r.td_info); i += 37) {
		r = good;
		((uint8_t *)&r.td_info)[i] ^= 0x01;
		expect_reject(&r, key_a, "TEE_INFO_HASH does not match TDINFO");
		expect_reject(&r, NULL, "TEE_INFO_HASH does not match TDINFO");
	}
	for (size_t i = 0; i < sizeof(r.tee_tcb_info); i += 17) {
		r = good;
		((uint8_t *)&r.tee_tcb_info)[i] ^= 0x80;
		expect_reject(&r, key_a, "TEE_TCB_INFO_HASH does not match TEE_TCB_INFO");
	}
	r = good;
	r.mac.report_data[63] ^= 1;
	expect_reject(&r, key_a, "MAC does not verify");
	assert_int_equal(tdx_report_check(&r, NULL, why, sizeof(why)), 0);
	r = good;
	r.mac.cpusvn[0] ^= 1;
	expect_reject(&r, key_a, "MAC does not verify");
	r = good;
	r.mac.reserved2[5] ^= 1;
	expect_reject(&r, key_a, "MAC does not verify");
	for (int i = 0; i < 32; i++) {
		r = good;
		r.mac.mac[i] ^= 0x40;
		expect_reject(&r, key_a, "MAC does not verify");
	}
	r = good;
	r.mac.tee_info_hash[0] ^= 1;
	expect_reject(&r, key_a, "TEE_INFO_HASH");
	r = good;
	r.mac.report_type.type = 0x00;          /* SGX */
	expect_reject(&r, key_a, "report type");
	r = good;
	r.mac.report_type.subtype = 1;
	expect_reject(&r, key_a, "report type");
	r = good;
	r.mac.report_type.version = 2;
	expect_reject(&r, key_a, "report type");
	/* Version 1 (service TDs bound) is a TDX report, with a MAC over it. */
	r = good;
	r.mac.report_type.version = 1;
	tdx_report_compute_mac(&r.mac, key_a, r.mac.mac);
	assert_int_equal(tdx_report_check(&r, key_a, why, sizeof(why)), 0);
}

/* ---- quote ---- */

static const uint8_t seed1[32] = { 1, 2, 3 };
static const uint8_t seed2[32] = { 9, 8, 7 };

static void make_quote(struct tdx_quoting_key *k, uint8_t q[TDX_QUOTE_SIZE],
		       struct tdx_report *r)
{
	struct tdx_report_inputs in;
	size_t len = 0;

	known_inputs(&in);
	tdx_report_build(&in, key_a, r);
	assert_int_equal(tdx_qe_quote(k, r, key_a, q, TDX_QUOTE_SIZE, &len), TDX_QE_OK);
	assert_int_equal(len, TDX_QUOTE_SIZE);
}

static void expect_quote_reject(const uint8_t *q, size_t len, const char *reason)
{
	char why[256] = "";

	assert_int_equal(tdx_quote_verify(q, len, NULL, why, sizeof(why)), -1);
	if (reason && !strstr(why, reason))
		fail_msg("reason '%s', expected '%s'", why, reason);
	assert_true(why[0] != '\0');
}

static int independent_verify(const uint8_t q[TDX_QUOTE_SIZE])
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM *params;
	uint8_t *der = NULL;
	int derlen, ok;

	assert_non_null(bld);
	assert_true(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
						    "prime256v1", 0));
	assert_true(OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
						     q + 1056, 65));
	params = OSSL_PARAM_BLD_to_param(bld);
	assert_non_null(params);
	assert_true(EVP_PKEY_fromdata_init(pc) > 0);
	assert_true(EVP_PKEY_fromdata(pc, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0);
	assert_true(ECDSA_SIG_set0(sig, BN_bin2bn(q + 1121, 32, NULL),
				   BN_bin2bn(q + 1153, 32, NULL)));
	derlen = i2d_ECDSA_SIG(sig, &der);
	assert_true(derlen > 0);
	assert_true(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pkey) > 0);
	ok = EVP_DigestVerify(ctx, der, (size_t)derlen, q, 1056) == 1;
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	ECDSA_SIG_free(sig);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(pc);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return ok;
}

static void test_quote_round_trip(void **state)
{
	struct tdx_quoting_key *k = tdx_qe_create(seed1);
	uint8_t q[TDX_QUOTE_SIZE], pub[65];
	struct tdx_report r, body;
	char why[256] = "x";
	uint16_t u16;
	uint32_t u32;
	(void)state;

	assert_non_null(k);
	make_quote(k, q, &r);
	assert_memory_equal(q, "TDXSIMQ1", 8);
	memcpy(&u16, q + 8, 2);
	assert_int_equal(u16, 1);
	memcpy(&u16, q + 10, 2);
	assert_int_equal(u16, 2);
	memcpy(&u32, q + 12, 4);
	assert_int_equal(u32, 0x81);
	assert_memory_equal(q + 32, &r, 1024);
	tdx_qe_public_key(k, pub);
	assert_int_equal(pub[0], 0x04);
	assert_memory_equal(q + 1056, pub, 65);

	memset(&body, 0, sizeof(body));
	assert_int_equal(tdx_quote_verify(q, sizeof(q), &body, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_memory_equal(&body, &r, sizeof(r));

	/* Independent check: ECDSA-P256/SHA-256 over the first 1056 bytes,
	 * verified here with OpenSSL from the raw key and raw r || s. */
	assert_int_equal(independent_verify(q), 1);
	q[40] ^= 1;
	assert_int_equal(independent_verify(q), 0);
	expect_quote_reject(q, sizeof(q), "signature does not verify");
	q[40] ^= 1;

	/* Too small a buffer. */
	{
		uint8_t small[100];
		size_t len = 0;

		assert_int_equal(tdx_qe_quote(k, &r, key_a, small, sizeof(small), &len),
				 TDX_QE_NO_SPACE);
		assert_int_equal(len, TDX_QUOTE_SIZE);
	}
	tdx_qe_destroy(k);
}

static void test_quote_key_deterministic(void **state)
{
	struct tdx_quoting_key *a = tdx_qe_create(seed1), *b = tdx_qe_create(seed1),
			       *c = tdx_qe_create(seed2);
	uint8_t pa[65], pb[65], pc[65], qa[TDX_QUOTE_SIZE], qc[TDX_QUOTE_SIZE];
	struct tdx_report r;
	(void)state;

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	tdx_qe_public_key(a, pa);
	tdx_qe_public_key(b, pb);
	tdx_qe_public_key(c, pc);
	assert_memory_equal(pa, pb, 65);
	assert_memory_not_equal(pa, pc, 65);
	/* A quote by b verifies like one by a; c's key in a's quote does not. */
	make_quote(b, qa, &r);
	assert_int_equal(tdx_quote_verify(qa, sizeof(qa), NULL, NULL, 0), 0);
	make_quote(c, qc, &r);
	memcpy(qa + 1056, pc, 65);
	expect_quote_reject(qa, sizeof(qa), "signature does not verify");
	tdx_qe_destroy(a);
	tdx_qe_destroy(b);
	tdx_qe_destroy(c);
}

static void test_quote_rejects(void **state)
{
	struct tdx_quoting_key *k = tdx_qe_create(seed1);
	uint8_t good[TDX_QUOTE_SIZE], q[TDX_QUOTE_SIZE + 8];
	struct tdx_report r;
	(void)state;

	make_quote(k, good, &r);

	/* Signature: r and s, every byte. */
	for (size_t i = 1121; i < TDX_QUOTE_SIZE; i += 3) {
		memcpy(q, good, sizeof(good));
		q[i] ^= 0x01;
		expect_quote_reject(q, TDX_QUOTE_SIZE, "signature does not verify");
	}
	/* Zero signature. */
	memcpy(q, good, sizeof(good));
	memset(q + 1121, 0, 64);
	expect_quote_reject(q, TDX_QUOTE_SIZE, "signature does not verify");
	/* Body: TDINFO, report data, MAC. */
	const size_t body_bytes[] = { 32 + 128, 32 + 224, 32 + 600, 32 + 1023 };
	for (size_t i = 0; i < sizeof(body_bytes) / sizeof(body_bytes[0]); i++) {
		memcpy(q, good, sizeof(good));
		q[body_bytes[i]] ^= 0x20;
		expect_quote_reject(q, TDX_QUOTE_SIZE, "signature does not verify");
	}
	/* Public key: not on the curve, or compressed form. */
	memcpy(q, good, sizeof(good));
	q[1056 + 64] ^= 1;
	expect_quote_reject(q, TDX_QUOTE_SIZE, "P-256 point");
	memcpy(q, good, sizeof(good));
	q[1056] = 0x02;
	expect_quote_reject(q, TDX_QUOTE_SIZE, "P-256 point");
	/* Header fields. */
	memcpy(q, good, sizeof(good));
	q[0] = 'X';
	expect_quote_reject(q, TDX_QUOTE_SIZE, "magic");
	memcpy(q, good, sizeof(good));
	q[8] = 2;
	expect_quote_reject(q, TDX_QUOTE_SIZE, "version");
	memcpy(q, good, sizeof(good));
	q[10] = 3;
	expect_quote_reject(q, TDX_QUOTE_SIZE, "key type");
	memcpy(q, good, sizeof(good));
	q[12] = 0;
	expect_quote_reject(q, TDX_QUOTE_SIZE, "TEE type");
	memcpy(q, good, sizeof(good));
	q[20] = 1;
	expect_quote_reject(q, TDX_QUOTE_SIZE, "reserved");
	/* Trailing bytes. */
	memcpy(q, good, sizeof(good));
	expect_quote_reject(q, sizeof(q), "after the quote");
	/* Every truncation, each in its own exactly-sized heap buffer so that
	 * ASan sees any read past the end. */
	for (size_t len = 0; len < TDX_QUOTE_SIZE; len++) {
		uint8_t *t = malloc(len ? len : 1);

		assert_non_null(t);
		memcpy(t, good, len);
		expect_quote_reject(t, len, len < 8 ? "magic" : "truncated");
		free(t);
	}
	tdx_qe_destroy(k);
}

/* s = n - s: the signature's malleable twin, which ECDSA alone accepts. */
static void flip_s(uint8_t q[TDX_QUOTE_SIZE])
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *s = BN_bin2bn(q + 1153, 32, NULL);

	assert_non_null(g);
	assert_non_null(s);
	assert_true(BN_sub(s, EC_GROUP_get0_order(g), s));
	assert_int_equal(BN_bn2binpad(s, q + 1153, 32), 32);
	BN_free(s);
	EC_GROUP_free(g);
}

/* Quotes carry s <= n/2 only: every quote the QE makes has it (ECDSA's
 * random nonce gives a high s half the time, so 64 quotes all but surely
 * meet one), and the twin (r, n - s), which plain ECDSA verifies, is
 * refused. */
static void test_quote_low_s(void **state)
{
	struct tdx_quoting_key *k = tdx_qe_create(seed1);
	uint8_t q[TDX_QUOTE_SIZE];
	struct tdx_report r;

	(void)state;
	for (unsigned i = 0; i < 64; i++) {
		make_quote(k, q, &r);
		assert_true(q[1153] < 0x80);    /* n/2 = 0x7fffffff80000000... */
		assert_int_equal(tdx_quote_verify(q, sizeof(q), NULL, NULL, 0), 0);
		flip_s(q);
		assert_true(independent_verify(q));
		expect_quote_reject(q, sizeof(q), "high s");
	}
	tdx_qe_destroy(k);
}

/* The QE signs only reports whose MAC verifies under the platform key. */
static void test_qe_refuses_bad_report(void **state)
{
	struct tdx_quoting_key *k = tdx_qe_create(seed1);
	struct tdx_report_inputs in;
	struct tdx_report r;
	uint8_t q[TDX_QUOTE_SIZE];
	size_t len = 0;
	(void)state;

	known_inputs(&in);
	tdx_report_build(&in, key_b, &r);            /* another platform's */
	memset(q, 0xEE, sizeof(q));
	assert_int_equal(tdx_qe_quote(k, &r, key_a, q, sizeof(q), &len), TDX_QE_BAD_REPORT);
	for (size_t i = 0; i < sizeof(q); i++)
		assert_int_equal(q[i], 0xEE);
	tdx_report_build(&in, key_a, &r);
	r.mac.report_data[0] ^= 1;                   /* altered after MACing */
	assert_int_equal(tdx_qe_quote(k, &r, key_a, q, sizeof(q), &len), TDX_QE_BAD_REPORT);
	r.mac.report_data[0] ^= 1;
	assert_int_equal(tdx_qe_quote(k, &r, key_a, q, sizeof(q), &len), TDX_QE_OK);
	tdx_qe_destroy(k);
}

/* ---- the platform's report key ---- */

static void test_platform_report_key(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p1, *p2;
	uint8_t k1[32], k2[32], zero[32] = { 0 };
	(void)state;

	tdxsim_config_default(&c);
	c.module_loaded = false;
	p1 = machine_new(&c);
	p2 = machine_new(&c);
	platform_report_key(p1, k1);
	platform_report_key(p2, k2);
	assert_memory_not_equal(k1, zero, 32);
	assert_memory_not_equal(k1, k2, 32);         /* random per platform */
	platform_set_report_key(p1, key_a);
	platform_report_key(p1, k1);
	assert_memory_equal(k1, key_a, 32);
	platform_destroy(p1);
	platform_destroy(p2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_build_fields),
		cmocka_unit_test(test_build_hashes_and_mac),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_quote_round_trip),
		cmocka_unit_test(test_quote_key_deterministic),
		cmocka_unit_test(test_quote_rejects),
		cmocka_unit_test(test_quote_low_s),
		cmocka_unit_test(test_qe_refuses_bad_report),
		cmocka_unit_test(test_platform_report_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
