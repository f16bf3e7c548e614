/* SPDX-License-Identifier: MIT */
/*
 * TD-scope and VP-scope metadata leaves: TDH.MNG.RD/WR and TDH.VP.RD/WR
 * (abi §8.1, §8.3). Values read back are those the TD was built with;
 * every error path is provoked once.
 */
#include <string.h>

#include <openssl/evp.h>

#include "module/cpuid_table.h"
#include "helpers/td_machine.h"

#define V1 (1ULL << TDX_VERSION_SHIFT)
#define RAX_INVALID tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX)
#define POISON 0xDEADBEEFDEADBEEFULL

/* Guest GPR field codes, in operand-ID order (abi §2.3, §8.3). */
enum { G_RAX, G_RCX, G_RDX, G_RBX, G_RSP, G_RBP, G_RSI, G_RDI, G_R8 };

/* A read: the status, R8 and RDX out. R8 and RDX go in as POISON unless
 * the ID is in RDX. */
static uint64_t md_rd(struct tdm *t, unsigned lp, uint64_t leaf, uint64_t handle,
		      uint64_t id, uint64_t *r8, uint64_t *rdx)
{
	struct tdx_module_args a = { .rcx = handle, .rdx = id, .r8 = POISON };
	uint64_t s = tdm_sc(t, lp, leaf, &a);

	if (r8)
		*r8 = a.r8;
	if (rdx)
		*rdx = a.rdx;
	return s;
}

static uint64_t md_wr(struct tdm *t, unsigned lp, uint64_t leaf, uint64_t handle,
		      uint64_t id, uint64_t value, uint64_t mask, uint64_t *old)
{
	struct tdx_module_args a = { .rcx = handle, .rdx = id, .r8 = value, .r9 = mask };
	uint64_t s = tdm_sc(t, lp, leaf, &a);

	assert_int_equal(a.rdx, id);   /* writes never touch RDX */
	assert_int_equal(a.r9, mask);
	if (old)
		*old = a.r8;
	return s;
}

/* TDH.MNG.RD (version 0) that must succeed. */
static uint64_t mng(struct tdm *t, uint64_t id)
{
	uint64_t v = 0, rdx = 0;

	assert_int_equal(md_rd(t, 0, TDH_MNG_RD, t->tdr, id, &v, &rdx), TDX_SUCCESS);
	assert_int_equal(rdx, id);     /* version 0 leaves RDX alone */
	return v;
}

/* TDH.VP.RD (version 0) of vCPU v on LP 0 that must succeed. */
static uint64_t vp(struct tdm *t, unsigned v, uint64_t id)
{
	uint64_t val = 0;

	assert_int_equal(md_rd(t, 0, TDH_VP_RD, t->tdvpr[v], id, &val, NULL), TDX_SUCCESS);
	return val;
}

static uint64_t le64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static void fill(uint8_t *b, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + 7 * i);
}

/* A 48-byte measurement as six little-endian elements (abi §8.3). */
static void assert_hash(struct tdm *t, uint64_t id, const uint8_t *want)
{
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(mng(t, id + i), le64(want + 8 * i));
}

static void debug_params(struct td_params *p)
{
	tdm_default_params(p);
	p->attributes = TDX_TD_ATTR_DEBUG | TDX_TD_ATTR_SEPT_VE_DISABLE;
	p->max_vcpus = 3;
	p->tsc_frequency = 120;
	fill(p->mr_config_id, sizeof(p->mr_config_id), 0x11);
	fill(p->mr_owner, sizeof(p->mr_owner), 0x22);
	fill(p->mr_owner_config, sizeof(p->mr_owner_config), 0x33);
}

static void td_init_with(struct tdm *t, const struct td_params *p)
{
	tdm_create(t);
	tdm_addcx_all(t);
	assert_int_equal(tdm_mng_init(t, p, NULL), TDX_SUCCESS);
}

static void finalize(struct tdm *t)
{
	struct tdx_module_args a = { .rcx = t->tdr };

	assert_int_equal(tdm_sc(t, 0, TDH_MR_FINALIZE, &a), TDX_SUCCESS);
}

static void teardown(struct tdm *t)
{
	tdm_teardown(t, NULL, 0);
	tdm_free(t);
}

/* SHA-384 by OpenSSL, independent of the module's incremental context. */
static void sha384(const void *data, size_t n, uint8_t out[48])
{
	unsigned len = 0;

	assert_int_equal(EVP_Digest(data, n, out, &len, EVP_sha384(), NULL), 1);
	assert_int_equal(len, 48);
}

/* ---- TD scope: values ---- */

static void td_fields_default_td(void **state)
{
	struct tdm t;
	struct td_params p;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_default_params(&p);
	assert_int_equal(mng(&t, MD_TD_TDCS_ATTRIBUTES), p.attributes);
	assert_int_equal(mng(&t, MD_TD_TDCS_XFAM), p.xfam);
	assert_int_equal(mng(&t, MD_TD_TDCS_MAX_VCPUS), p.max_vcpus);
	/* The EPTP holds the S-EPT root, TDCS page 3 (tdh_mng_init). */
	assert_int_equal(mng(&t, MD_TD_TDCS_EPTP), p.eptp_controls | t.tdcx[3]);
	assert_int_equal(mng(&t, MD_TD_TDCS_TSC_FREQUENCY), p.tsc_frequency);
	assert_int_equal(mng(&t, MD_TD_TDCS_CONFIG_FLAGS), p.config_flags);
	assert_int_equal(mng(&t, MD_TD_TDCS_GPAW), 0);
	assert_int_equal(mng(&t, MD_TD_TDCS_TSC_OFFSET), 0);
	assert_int_equal(mng(&t, MD_TD_TDCS_TSC_MULTIPLIER), 1ULL << 48);
	assert_int_equal(mng(&t, MD_TD_TDR_NUM_TDCX), TDX_MIN_NUM_TDCS_PAGES);
	assert_int_equal(mng(&t, MD_TD_TDR_CHLDCNT), TDX_MIN_NUM_TDCS_PAGES);
	assert_int_equal(mng(&t, MD_TD_TDR_LIFECYCLE_STATE), TD_KEYS_CONFIGURED);
	assert_int_equal(mng(&t, MD_TD_TDR_FATAL), 0);
	assert_int_equal(mng(&t, MD_TD_TDR_HKID), t.hkid);
	assert_int_equal(mng(&t, MD_TD_TDCS_OP_STATE), OP_STATE_INITIALIZED);
	assert_int_equal(mng(&t, MD_TD_TDCS_TD_EPOCH), 1);
	assert_int_equal(mng(&t, MD_TD_TDCS_NUM_VCPUS), 0);
	assert_int_equal(mng(&t, MD_TD_TDCS_NUM_ASSOC_VCPUS), 0);
	for (unsigned i = 0; i < TDX_MIN_NUM_TDCS_PAGES; i++)
		assert_int_equal(mng(&t, MD_TD_TDR_TDCX_PA + i),
				 platform_pa_with_keyid(t.hm.p, t.tdcx[i], t.hkid));
	for (unsigned i = TDX_MIN_NUM_TDCS_PAGES; i < TDX_MAX_NUM_TDCS_PAGES; i++)
		assert_int_equal(mng(&t, MD_TD_TDR_TDCX_PA + i), 0);
	teardown(&t);
}

static void td_fields_custom_td(void **state)
{
	struct tdm t;
	struct td_params p;
	uint64_t uuid = 0;

	(void)state;
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	assert_int_equal(mng(&t, MD_TD_TDCS_ATTRIBUTES), p.attributes);
	assert_int_equal(mng(&t, MD_TD_TDCS_MAX_VCPUS), 3);
	assert_int_equal(mng(&t, MD_TD_TDCS_TSC_FREQUENCY), 120);
	/* SEPT_VE_DISABLE sets TD_CTLS.PENDING_VE_DISABLE; debug-only. */
	assert_int_equal(mng(&t, MD_TD_TDCS_TD_CTLS), 1);
	assert_hash(&t, MD_TD_TDCS_MRCONFIGID, p.mr_config_id);
	assert_hash(&t, MD_TD_TDCS_MROWNER, p.mr_owner);
	assert_hash(&t, MD_TD_TDCS_MROWNERCONFIG, p.mr_owner_config);
	for (unsigned i = 0; i < TDX_NUM_RTMRS * 6; i++)
		assert_int_equal(mng(&t, MD_TD_TDCS_RTMR + i), 0);
	for (unsigned i = 0; i < 4; i++)
		uuid |= mng(&t, MD_TD_TDR_TD_UUID + i);
	assert_true(uuid != 0);   /* random, 256 bits */
	teardown(&t);
}

static void op_state_and_mrtd_across_finalize(void **state)
{
	static const uint8_t empty_sha384[48] = {
		0x38, 0xb0, 0x60, 0xa7, 0x51, 0xac, 0x96, 0x38, 0x4c, 0xd9, 0x32, 0x7e,
		0xb1, 0xb1, 0xe3, 0x6a, 0x21, 0xfd, 0xb7, 0x11, 0x14, 0xbe, 0x07, 0x43,
		0x4c, 0x0c, 0xc7, 0xbf, 0x63, 0xf6, 0xe1, 0xda, 0x27, 0x4e, 0xde, 0xbf,
		0xe7, 0x6f, 0x65, 0xfb, 0xd5, 0x1a, 0xd2, 0xf1, 0x48, 0x98, 0xb9, 0x5b,
	};
	uint8_t zero[48] = { 0 }, digest[48];
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	assert_hash(&t, MD_TD_TDCS_MRTD, zero);
	tdm_vcpu(&t, 0);
	assert_int_equal(mng(&t, MD_TD_TDCS_NUM_VCPUS), 1);
	assert_int_equal(mng(&t, MD_TD_TDCS_NUM_ASSOC_VCPUS), 1);
	assert_int_equal(mng(&t, MD_TD_TDR_CHLDCNT), TDX_MIN_NUM_TDCS_PAGES + TDX_MIN_TDVPS_PAGES);
	finalize(&t);
	assert_int_equal(mng(&t, MD_TD_TDCS_OP_STATE), OP_STATE_RUNNABLE);
	/* No PAGE.ADD or MR.EXTEND: the digest of nothing (abi §5.8). */
	sha384("", 0, digest);
	assert_memory_equal(digest, empty_sha384, 48);
	assert_hash(&t, MD_TD_TDCS_MRTD, digest);
	teardown(&t);
}

static void mrtd_after_page_add(void **state)
{
	const uint64_t gpa = 0x200000;
	uint8_t block[TDX_MR_BLOCK_SIZE] = { 0 }, digest[48];
	uint64_t hpa;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_sept_path(&t, gpa, 1);
	assert_int_equal(tdm_page_add(&t, gpa, 0x5A, &hpa), TDX_SUCCESS);
	tdm_vcpu(&t, 0);
	finalize(&t);
	/* One 128-byte block: name, then the GPA little-endian (abi §5.8). */
	memcpy(block, "MEM.PAGE.ADD", 12);
	for (unsigned i = 0; i < 8; i++)
		block[16 + i] = (uint8_t)(gpa >> (8 * i));
	sha384(block, sizeof(block), digest);
	assert_hash(&t, MD_TD_TDCS_MRTD, digest);
	tdm_teardown(&t, &hpa, 1);
	tdm_free(&t);
}

static uint64_t cpuid_elem(struct tdm *t, uint32_t leaf, uint32_t subleaf, unsigned e)
{
	return mng(t, MD_TD_TDCS_CPUID_VALUES | md_cpuid_field_code(leaf, subleaf, e));
}

/* TDCS CPUID_VALUES (read_and_set_cpuid_configurations): every lookup
 * leaf, {EBX:EAX} then {EDX:ECX}; directly configurable bits as given,
 * allowed bits only when given, FIXED bits the module's own. */
static void cpuid_values(void **state)
{
	const uint32_t NA = 0xFFFFFFFFu;
	uint32_t native[4];
	uint64_t v, rdx;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	platform_cpuid(t.hm.p, 0, 7, 0, native);
	/* The model has these 7.0 EBX bits: FSGSBASE (passed through),
	 * TSC_ADJUST (FIXED0), and the allowed HLE, BMI1, BMI2, ERMS, RTM. */
	assert_int_equal(native[1] & 0xB1B, 0xB1B);
	tdm_default_params(&p);
	p.cpuid_config_vals[1].eax = 0x4121;          /* leaf 4.0: direct bits */
	p.cpuid_config_vals[1].ebx = 0x01c00000;
	p.cpuid_config_vals[5].ebx = 1u << 3 | 1u << 4 | 1u << 8 | 1u << 11;
	td_init_with(&t, &p);
	/* Leaf 4.0: EAX as given; EBX's line size (not configurable) native. */
	assert_int_equal(cpuid_elem(&t, 4, 0, 0), 0x4121 | 0x01c0003fULL << 32);
	/* 7.0 EBX: given allowed bits kept, ERMS (allowed, not given) gone,
	 * TSC_ADJUST gone, FSGSBASE kept. */
	assert_int_equal((cpuid_elem(&t, 7, 0, 0) >> 32) & 0xB1B, 0x919);
	/* Leaf 0: the virtual maximum; 0x21: "IntelTDX    "; 0x15: EBX is
	 * the TD's TSC frequency over a 25 MHz crystal, EAX 1. */
	assert_int_equal(cpuid_elem(&t, 0, NA, 0) & 0xFFFFFFFF, 0x23);
	assert_int_equal(cpuid_elem(&t, 0x21, 0, 0), 0x65746e49ULL << 32);
	assert_int_equal(cpuid_elem(&t, 0x21, 0, 1), 0x20202020 | 0x5844546cULL << 32);
	assert_int_equal(cpuid_elem(&t, 0x15, NA, 0), 1 | (uint64_t)p.tsc_frequency << 32);
	/* Linear-address bits follow the TD's LA57 (an allowed bit of 7.0
	 * ECX, not given here): 48; MAXPA is the platform's. */
	assert_int_equal(cpuid_elem(&t, 7, 0, 1) >> 16 & 1, 0);
	assert_int_equal(cpuid_elem(&t, 0x80000008, NA, 0) & 0xFFFF, 48u << 8 | 52);
	/* A faulting leaf (6) cannot be read; leaf 2 has no entry at all. */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_CPUID_VALUES |
			       md_cpuid_field_code(6, NA, 0), &v, NULL),
			 TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_CPUID_VALUES |
			       md_cpuid_field_code(2, NA, 0), &v, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_CPUID_VALUES |
			       (1ULL << 20) | md_cpuid_field_code(1, NA, 0), &v, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	/* Version 1 walks in lookup order: leaf 1 is followed by 4.0 ... */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | V1, t.tdr, MD_TD_TDCS_CPUID_VALUES |
			       md_cpuid_field_code(1, NA, 1), &v, &rdx), TDX_SUCCESS);
	assert_int_equal(rdx, MD_TD_TDCS_CPUID_VALUES | md_cpuid_field_code(4, 0, 0));
	/* ... and the last entry, leaf 5, ends the TD context. */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | V1, t.tdr, MD_TD_TDCS_CPUID_VALUES |
			       md_cpuid_field_code(5, NA, 1), &v, &rdx), TDX_SUCCESS);
	assert_int_equal(rdx, MD_FIELD_ID_NONE);
	teardown(&t);
}

/* ---- TD scope: field IDs ---- */

static void field_id_bits_ignored(void **state)
{
	const uint64_t size_bits = MD_ELEMENT_SIZE_MASK << MD_ELEMENT_SIZE_SHIFT;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	/* Element size, inc_size, write_mask_valid, context and bit 63 are
	 * not compared; the table's element width applies (abi §8.1). */
	assert_int_equal(mng(&t, MD_TD_TDCS_ATTRIBUTES & ~size_bits), p.attributes);
	assert_int_equal(mng(&t, MD_TD_TDCS_ATTRIBUTES | (1ULL << MD_INC_SIZE_BIT) |
			     (1ULL << MD_WRITE_MASK_VALID_BIT)), p.attributes);
	assert_int_equal(mng(&t, (MD_TD_TDCS_ATTRIBUTES & ~(MD_CONTEXT_MASK << MD_CONTEXT_SHIFT)) |
			     (MD_CTX_VP << MD_CONTEXT_SHIFT)), p.attributes);
	assert_int_equal(mng(&t, MD_TD_TDCS_ATTRIBUTES | (1ULL << MD_NON_ARCH_BIT)), p.attributes);
	assert_int_equal(mng(&t, MD_TD_TDR_HKID & ~(1ULL << MD_NON_ARCH_BIT)), t.hkid);
	/* Linux builds exec-control IDs as class 17 << 56 | code (linux §4.3). */
	assert_int_equal(mng(&t, (17ULL << 56) | 10), 0);
	assert_int_equal(mng(&t, (17ULL << 56) | 11), 1ULL << 48);
	teardown(&t);
}

static void assert_bad_id(struct tdm *t, uint64_t id)
{
	uint64_t v = 0, rdx = 0;

	assert_int_equal(md_rd(t, 0, TDH_MNG_RD, t->tdr, id, &v, &rdx),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(v, 0);
	assert_int_equal(rdx, id);
	assert_int_equal(md_rd(t, 0, TDH_MNG_RD | V1, t->tdr, id, &v, &rdx),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(v, 0);
	assert_int_equal(rdx, MD_FIELD_ID_NONE);
	assert_int_equal(md_wr(t, 0, TDH_MNG_WR, t->tdr, id, 1, ~0ULL, &v),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(v, 0);
}

static void field_id_errors(void **state)
{
	static const uint64_t reserved[] = {
		1ULL << 24, 1ULL << 31, 1ULL << 47, 1ULL << 49, 1ULL << 55, 1ULL << 62,
		1ULL << MD_LAST_ELEMENT_SHIFT, 1ULL << MD_LAST_FIELD_SHIFT,
	};
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		assert_bad_id(&t, MD_TD_TDCS_ATTRIBUTES | reserved[i]);
	assert_bad_id(&t, MD_TD_TDCS_MRTD + 6);          /* past the array */
	assert_bad_id(&t, MD_TD_TDR_TDCX_PA + TDX_MAX_NUM_TDCS_PAGES);
	assert_bad_id(&t, MD_TD_TDR_HKID - 1);           /* class 1, code 0 */
	assert_bad_id(&t, 0x3FULL << MD_CLASS_SHIFT);    /* no such class */
	assert_bad_id(&t, MD_VP_RAX);                    /* a VP field */
	teardown(&t);
}

/* ---- TD scope: writes ---- */

static void writes_td_scope(void **state)
{
	const uint64_t hp = MD_TD_TDCS_HP_LOCK_TIMEOUT;
	uint64_t old = 0, v = 0;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	/* HP_LOCK_TIMEOUT is exchanged in microseconds; default 1 s (abi §6.2). */
	assert_int_equal(mng(&t, hp), 1000000);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, hp, 10000, ~0ULL, &old), TDX_SUCCESS);
	assert_int_equal(old, 1000000);
	assert_int_equal(mng(&t, hp), 10000);
	assert_int_equal(md_wr(&t, 1, TDH_MNG_WR, t.tdr, hp, 100000000, ~0ULL, &old), TDX_SUCCESS);
	assert_int_equal(old, 10000);
	assert_int_equal(mng(&t, hp), 100000000);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, hp, 9999, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(old, 0);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, hp, 100000001, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, hp, 20000, 0xFFFFFFFF, &old),
			 TDX_METADATA_WR_MASK_NOT_VALID);
	assert_int_equal(mng(&t, hp), 100000000);
	/* Read-only fields, and a zero mask. */
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, MD_TD_TDCS_ATTRIBUTES, 1, 1, &old),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, MD_TD_TDCS_MRTD, 1, ~0ULL, &old),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, hp, 20000, 0, &old),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	/* NOTIFY_ENABLES is a debug TD's only (module masks). */
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, MD_TD_TDCS_NOTIFY_ENABLES, 1, 1, &old),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_NOTIFY_ENABLES, &v, NULL),
			 TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(v, 0);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_RTMR, &v, NULL),
			 TDX_METADATA_FIELD_NOT_READABLE);
	/* Still writable once RUNNABLE (abi §5.3). */
	tdm_vcpu(&t, 0);
	finalize(&t);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, hp, 50000, ~0ULL, &old), TDX_SUCCESS);
	assert_int_equal(mng(&t, hp), 50000);
	teardown(&t);
}

static void notify_enables_debug_td(void **state)
{
	const uint64_t ne = MD_TD_TDCS_NOTIFY_ENABLES;
	uint64_t old = 0;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	assert_int_equal(mng(&t, ne), 0);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, ne, 1, 1, &old), TDX_SUCCESS);
	assert_int_equal(old, 0);
	assert_int_equal(mng(&t, ne), 1);
	/* Bit 1 is in the mask but not writable: it may not change. */
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, ne, 2, 3, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, ne, 0, 3, &old), TDX_SUCCESS);
	assert_int_equal(old, 1);
	assert_int_equal(mng(&t, ne), 0);
	teardown(&t);
}

/* ---- version 1 ---- */

/* The CPUID_VALUES element after a faulting leaf's element 1: the walk
 * names faulting leaves, which then cannot be read (md_get_next_item
 * filters by the field's masks only), so a host steps over them itself,
 * here with the module's lookup order. */
static uint64_t after_faulting(uint64_t id)
{
	uint32_t code = (uint32_t)(id & MD_FIELD_CODE_MASK), leaf, subleaf;
	int i;

	leaf = (code >> MD_CPUID_LEAF_SHIFT & MD_CPUID_LEAF_MASK) |
	       (uint32_t)(code >> MD_CPUID_LEAF_BIT31_BIT & 1) << 31;
	subleaf = code >> MD_CPUID_SUBLEAF_NA_BIT & 1 ? 0xFFFFFFFFu :
		  (uint32_t)(code >> MD_CPUID_SUBLEAF_SHIFT & MD_CPUID_SUBLEAF_MASK);
	i = cpuid_lookup_index(leaf, subleaf) + 1;
	assert_true(i > 0 && i < CPUID_NUM_LOOKUP);
	return (id & ~MD_FIELD_CODE_MASK) |
	       md_cpuid_field_code(cpuid_lookup[i].leaf, cpuid_lookup[i].subleaf, 0);
}

/* Walks the context from the null ID; returns how many elements. */
static unsigned walk(struct tdm *t, uint64_t leaf, uint64_t handle, uint64_t first)
{
	uint64_t id, v, next;
	unsigned n = 0;

	assert_int_equal(md_rd(t, 0, leaf | V1, handle, MD_FIELD_ID_NONE, &v, &id),
			 TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	assert_int_equal(v, 0);
	assert_int_equal(id, first);
	while (id != MD_FIELD_ID_NONE) {
		uint64_t st = md_rd(t, 0, leaf | V1, handle, id, &v, &next);

		assert_true(n++ < 2000);
		if (st == TDX_METADATA_FIELD_NOT_READABLE &&
		    md_class(id) == md_class(MD_TD_TDCS_CPUID_VALUES)) {
			next = after_faulting(id);
		} else {
			assert_int_equal(st, TDX_SUCCESS);
		}
		id = next;
	}
	return n;
}

static void version1_next_ids(void **state)
{
	uint64_t v, rdx;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | V1, t.tdr, MD_TD_TDCS_ATTRIBUTES, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_TD_TDCS_XFAM);
	/* Within a field the caller's other bits stay; the next field is the table's. */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | V1, t.tdr,
			       MD_TD_TDCS_MRTD | (1ULL << MD_NON_ARCH_BIT), &v, &rdx), TDX_SUCCESS);
	assert_int_equal(rdx, (MD_TD_TDCS_MRTD + 1) | (1ULL << MD_NON_ARCH_BIT));
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | V1, t.tdr, MD_TD_TDCS_MRTD + 5, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_TD_TDCS_MRCONFIGID);
	/* A production TD skips what the host may not read (NOTIFY_ENABLES). */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | V1, t.tdr, MD_TD_TDCS_TSC_FREQUENCY, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_TD_TDCS_NUM_CPUID_VALUES);   /* VIRTUAL_TSC skipped */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | V1, t.tdr, MD_TD_TDCS_NUM_CPUID_VALUES, &v,
			       &rdx), TDX_SUCCESS);
	assert_int_equal(rdx, MD_TD_TDCS_HP_LOCK_TIMEOUT);
	/* Version 0 has no null-ID query. */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_FIELD_ID_NONE, &v, &rdx),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	/* Only MNG.RD and VP.RD take a version (abi §1.1). */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_WR | V1, t.tdr, MD_TD_TDCS_HP_LOCK_TIMEOUT, &v, &rdx),
			 RAX_INVALID);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | (2ULL << TDX_VERSION_SHIFT), t.tdr,
			       MD_TD_TDCS_XFAM, &v, &rdx), RAX_INVALID);
	/* TDR 21 + TDCS management/exec 19 + epoch 1 + REFCOUNT 2 + 4 hashes
	 * + CPUID 2 x 64, less element 1 of the 8 faulting leaves stepped
	 * over. SEAMDB_NONCE and VIRTUAL_TSC are nobody's to read. */
	assert_int_equal(walk(&t, TDH_MNG_RD, t.tdr, MD_TD_TDR_FATAL), 187);
	teardown(&t);
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	/* A debug TD adds NOTIFY_ENABLES, TD_CTLS, the 24 RTMR elements, the
	 * 64 CPUID_VALID bytes and the 512 SEPT root entries. */
	assert_int_equal(walk(&t, TDH_MNG_RD, t.tdr, MD_TD_TDR_FATAL), 789);
	teardown(&t);
}

/* TD-scope fields of the 1.5 table that tdxsim holds or computes
 * (tdr_tdcs_fields_lookup.c masks): each reads what the TD's state says,
 * and those no host may access are NOT_READABLE / NOT_WRITABLE rather
 * than FIELD_ID_INCORRECT. */
static void td_more_fields_production(void **state)
{
	const uint64_t ctls = MD_TD_TDCS_VM_CTLS;
	uint64_t v = POISON, old = POISON;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	assert_true(mng(&t, MD_TD_TDR_PKG_CONFIG_BITMAP) & 1);   /* KEY.CONFIG on package 0 */
	assert_int_equal(mng(&t, MD_TD_TDR_SEAMDB_INDEX), 0);
	{
		struct tdx_module_args a = { .rdx = MD_SYS_MODULE_HV };

		assert_int_equal(tdm_sc(&t, 0, TDH_SYS_RD, &a), TDX_SUCCESS);
		assert_int_equal(mng(&t, MD_TD_TDR_HANDOFF_VERSION), a.r8);
	}
	assert_int_equal(mng(&t, MD_TD_TDCS_NUM_CPUID_VALUES), CPUID_NUM_LOOKUP);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDR_SEAMDB_NONCE + i, &v,
				       NULL), TDX_METADATA_FIELD_NOT_READABLE);
		assert_int_equal(v, 0);
		assert_int_equal(mng(&t, ctls + i), 0);
	}
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDR_SEAMDB_NONCE + 4, &v, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_VIRTUAL_TSC, &v, NULL),
			 TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, MD_TD_TDCS_VIRTUAL_TSC, 1, ~0ULL, &old),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, MD_TD_TDCS_NUM_CPUID_VALUES, 1, ~0ULL,
			       &old), TDX_METADATA_FIELD_NOT_WRITABLE);
	/* VM_CTLS: bit 0 of each of the four is the host's. */
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, ctls + 3, 1, ~0ULL, &old), TDX_SUCCESS);
	assert_int_equal(old, 0);
	assert_int_equal(mng(&t, ctls + 3), 1);
	assert_int_equal(mng(&t, ctls + 2), 0);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, ctls, 2, 2, &old),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, ctls, 3, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	/* REFCOUNT: the two epoch counters TDH.MEM.TRACK waits on. */
	assert_int_equal(mng(&t, MD_TD_TDCS_REFCOUNT), 0);
	tdm_set_epoch_refcount(&t, 1, 3);
	assert_int_equal(mng(&t, MD_TD_TDCS_REFCOUNT + 1), 3);
	tdm_set_epoch_refcount(&t, 1, 0);
	/* Debug-only fields are NOT_READABLE in production. */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_CPUID_VALID, &v, NULL),
			 TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_SEPT_ROOT, &v, NULL),
			 TDX_METADATA_FIELD_NOT_READABLE);
	teardown(&t);
}

/* A debug host also reads CPUID_VALID (one byte per lookup entry, 1 where
 * CPUID_VALUES is readable) and the SEPT root page's entries. */
static void td_more_fields_debug(void **state)
{
	const uint64_t gpa = 5ULL << 39;   /* root entry 5 of a 4-level SEPT */
	uint64_t v = POISON, e;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	for (unsigned i = 0; i < CPUID_NUM_LOOKUP; i++) {
		uint32_t code = md_cpuid_field_code(cpuid_lookup[i].leaf, cpuid_lookup[i].subleaf, 0);
		uint64_t st = md_rd(&t, 0, TDH_MNG_RD, t.tdr,
				    (MD_TD_TDCS_CPUID_VALUES & ~MD_FIELD_CODE_MASK) | code, &v, NULL);

		assert_int_equal(mng(&t, MD_TD_TDCS_CPUID_VALID + i), st == TDX_SUCCESS);
	}
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDCS_CPUID_VALID + CPUID_NUM_LOOKUP,
			       &v, NULL), TDX_METADATA_FIELD_ID_INCORRECT);
	e = mng(&t, MD_TD_TDCS_SEPT_ROOT + 5);
	tdm_sept_path(&t, gpa, 3);
	assert_int_not_equal(mng(&t, MD_TD_TDCS_SEPT_ROOT + 5), e);
	assert_int_equal(mng(&t, MD_TD_TDCS_SEPT_ROOT + 5) & TDX_PAGE_INFO_GPA_MASK,
			 t.sept[t.n_sept - 1]);
	assert_int_equal(mng(&t, MD_TD_TDCS_SEPT_ROOT + 4), e);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, MD_TD_TDCS_SEPT_ROOT, 0, ~0ULL, &v),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	teardown(&t);
}

/* ---- TD scope: state and operand errors ---- */

/* MNG.CREATE and KEY.CONFIG on the first package only. */
static unsigned create_one_package(struct tdm *t)
{
	struct tdx_module_args a = { 0 };
	unsigned lp = 0;

	t->hkid = tdm_first_hkid(t);
	while (tdx_inspect_kot_state(t->hm.p, t->hkid) != KOT_STATE_HKID_FREE)
		t->hkid++;
	t->tdr = tdm_page(t);
	a.rcx = t->tdr;
	a.rdx = t->hkid;
	assert_int_equal(tdm_sc(t, 0, TDH_MNG_CREATE, &a), TDX_SUCCESS);
	memset(&a, 0, sizeof(a));
	a.rcx = t->tdr;
	assert_int_equal(tdm_sc(t, 0, TDH_MNG_KEY_CONFIG, &a), TDX_SUCCESS);
	while (platform_lp_package(t->hm.p, lp) == platform_lp_package(t->hm.p, 0))
		lp++;
	return lp;
}

static void td_state_errors(void **state)
{
	struct tdx_module_args a = { 0 };
	uint64_t v = 0, rdx = 0;
	unsigned other;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	other = create_one_package(&t);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD | V1, t.tdr, MD_TD_TDR_HKID, &v, &rdx),
			 TDX_TD_KEYS_NOT_CONFIGURED);
	assert_int_equal(v, 0);
	assert_int_equal(rdx, MD_FIELD_ID_NONE);
	a.rcx = t.tdr;
	assert_int_equal(tdm_sc(&t, other, TDH_MNG_KEY_CONFIG, &a), TDX_SUCCESS);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDR_HKID, &v, NULL),
			 TDX_TDCS_NOT_ALLOCATED);
	tdm_addcx_all(&t);
	/* Before MNG.INIT: op state UNINITIALIZED (abi §5.3). */
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDR_HKID, &v, NULL),
			 TDX_OP_STATE_INCORRECT);
	assert_int_equal(v, 0);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, MD_TD_TDCS_HP_LOCK_TIMEOUT, 20000,
			       ~0ULL, &v), TDX_OP_STATE_INCORRECT);
	assert_int_equal(v, 0);
	teardown(&t);
}

static void td_operand_errors(void **state)
{
	const uint64_t id = MD_TD_TDCS_XFAM;
	const uint64_t busy_op = tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE);
	const uint64_t busy_rcx = tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX);
	const uint64_t bad_page = tdx_status_with_operand(TDX_PAGE_METADATA_INCORRECT,
							  TDX_OPERAND_ID_RCX);
	uint64_t v = 0;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_vcpu(&t, 0);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdvpr[0], id, &v, NULL), bad_page);
	assert_int_equal(v, 0);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdcx[0], id, &v, NULL), bad_page);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdcx[1], id, 0, 1, &v), bad_page);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr + 8, id, &v, NULL),
			 tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD,
			       platform_pa_with_keyid(t.hm.p, t.tdr, t.hkid), id, &v, NULL),
			 tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_PAMT_LOCK, 1), 0);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, id, &v, NULL), busy_rcx);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, id, &v, NULL), busy_op);
	assert_int_equal(v, 0);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	assert_int_equal(md_wr(&t, 0, TDH_MNG_WR, t.tdr, MD_TD_TDCS_HP_LOCK_TIMEOUT, 20000,
			       ~0ULL, &v), busy_op);
	/* Nothing was left locked. */
	assert_int_equal(mng(&t, id), TDX_XFAM_FIXED1);
	teardown(&t);
}

/* ---- VP scope ---- */

static void vp_gprs_after_init(void **state)
{
	uint32_t cpuid1[4];
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	tdm_vcpu(&t, 0);
	tdm_vcpu(&t, 0);
	platform_cpuid(t.hm.p, 0, 1, 0, cpuid1);
	for (unsigned v = 0; v < 2; v++) {
		/* abi §5.4: RCX = R8 = the VP.INIT RDX, RSI = index, RBX = GPAW. */
		assert_int_equal(vp(&t, v, MD_VP_GPR(G_RCX)), 0x1234);
		assert_int_equal(vp(&t, v, MD_VP_GPR(G_R8)), 0x1234);
		assert_int_equal(vp(&t, v, MD_VP_GPR(G_RSI)), v);
		assert_int_equal(vp(&t, v, MD_VP_GPR(G_RBX)), 48);
		assert_int_equal(vp(&t, v, MD_VP_GPR(G_RDX)), cpuid1[0]);
		assert_int_equal(vp(&t, v, MD_VP_RAX), 0);
		assert_int_equal(vp(&t, v, MD_VP_R15), 0);
		assert_int_equal(vp(&t, v, MD_VP_DR6), 0xFFFF0FF0);
		assert_int_equal(vp(&t, v, MD_VP_DR0 + 3), 0);
		assert_int_equal(vp(&t, v, MD_VP_VCPU_STATE), VCPU_READY);
		assert_int_equal(vp(&t, v, MD_VP_VCPU_INDEX), v);
		assert_int_equal(vp(&t, v, MD_VP_NUM_TDVPS_PAGES), TDX_MIN_TDVPS_PAGES);
		assert_int_equal(vp(&t, v, MD_VP_ASSOC_LPID), 0);
		assert_int_equal(vp(&t, v, MD_VP_VE_INFO_VALID), 0);
		assert_int_equal(vp(&t, v, MD_VP_VE_INFO_EXIT_REASON), 0);
		assert_int_equal(vp(&t, v, MD_VP_PIN_BASED_CTLS), 0x29);
	}
	teardown(&t);
}

static void vp_production_masks(void **state)
{
	static const uint64_t hidden[] = {
		MD_VP_RAX, MD_VP_GPR(G_RCX), MD_VP_R15, MD_VP_DR6, MD_VP_DR0,
		MD_VP_VCPU_STATE, MD_VP_VE_INFO_VALID, MD_VP_VE_INFO_EXIT_REASON,
	};
	uint64_t v = 0;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);
	for (unsigned i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], hidden[i], &v, NULL),
				 TDX_METADATA_FIELD_NOT_READABLE);
		assert_int_equal(v, 0);
		assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], hidden[i], 0, ~0ULL, &v),
				 TDX_METADATA_FIELD_NOT_WRITABLE);
	}
	assert_int_equal(vp(&t, 0, MD_VP_VCPU_INDEX), 0);
	assert_int_equal(vp(&t, 0, MD_VP_PIN_BASED_CTLS), 0);   /* only bit 7 shows */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_VCPU_INDEX, 1, ~0ULL, &v),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	teardown(&t);
}

static void vp_writes_debug_td(void **state)
{
	uint64_t old = 0, v = 0;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	tdm_vcpu(&t, 0);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_RAX, 0x55, 0xFF, &old),
			 TDX_SUCCESS);
	assert_int_equal(old, 0);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_RAX, 0xAA00, 0xFF00, &old),
			 TDX_SUCCESS);
	assert_int_equal(old, 0x55);
	assert_int_equal(vp(&t, 0, MD_VP_RAX), 0xAA55);
	/* RSP has a placeholder only. */
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], MD_VP_GPR(G_RSP), &v, NULL),
			 TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_GPR(G_RSP), 1, ~0ULL, &v),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	/* DR6: bits 31:0 writable; the upper half must stay. */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_DR6, 1ULL << 32, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(old, 0);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_DR6, 0xFFFF0FF1, 0xFFFFFFFF,
			       &old), TDX_SUCCESS);
	assert_int_equal(old, 0xFFFF0FF0);
	assert_int_equal(vp(&t, 0, MD_VP_DR6), 0xFFFF0FF1);
	/* No DR4/DR5, and nothing past R15. */
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], MD_VP_DR0 + 4, &v, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], MD_VP_R15 + 1, &v, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], 0x3FULL << MD_CLASS_SHIFT, &v, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	/* The leaf forces the context: a TD-context ID of class 17, code 0,
	 * names DR0 here (abi §8.1). */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_DR0, 0x77, ~0ULL, &old),
			 TDX_SUCCESS);
	assert_int_equal(vp(&t, 0, MD_TD_TDCS_ATTRIBUTES), 0x77);
	teardown(&t);
}

/* KVM's TD-VMCS writes after TDH.VP.INIT (linux §4.4). */
static void vp_posted_interrupt_fields(void **state)
{
	const uint64_t nv = MD_VP_POSTED_INTR_NV, pid = MD_VP_POSTED_INTR_DESC_ADDR;
	const uint64_t pin = MD_VP_PIN_BASED_CTLS, pi = VMCS_PIN_BASED_POSTED_INTR;
	uint64_t old = 0, desc;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);
	desc = t.shared + 0x40;
	assert_int_equal(vp(&t, 0, nv), 0xFFFF);
	assert_int_equal(vp(&t, 0, pid), TDX_NULL_PA);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], pin, pi, pi, &old),
			 tdx_status_with_operand(TDX_TD_VMCS_FIELD_NOT_INITIALIZED,
						 VMCS_POSTED_INTR_NV));
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], nv, 256, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], nv, 0xF2, ~0ULL, &old), TDX_SUCCESS);
	assert_int_equal(old, 0xFFFF);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], pin, pi, pi, &old),
			 tdx_status_with_operand(TDX_TD_VMCS_FIELD_NOT_INITIALIZED,
						 VMCS_POSTED_INTR_DESC_ADDR));
	/* 64-byte aligned, and a shared (host) address. */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], pid, desc + 8, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], pid,
			       platform_pa_with_keyid(t.hm.p, desc, t.hkid), ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], pid, desc, ~0ULL, &old), TDX_SUCCESS);
	assert_int_equal(old, TDX_NULL_PA);
	assert_int_equal(vp(&t, 0, pid), desc);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], pin, pi, pi, &old), TDX_SUCCESS);
	assert_int_equal(old, 0);
	assert_int_equal(vp(&t, 0, pin), pi);
	assert_int_equal(vp(&t, 0, nv), 0xF2);
	/* Other pin-based bits are the module's. */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], pin, 1, 1, &old),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	/* PEND_NMI (linux §4.4) is the host's to set. */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_PEND_NMI, 1, ~0ULL, &old),
			 TDX_SUCCESS);
	assert_int_equal(old, 0);
	assert_int_equal(vp(&t, 0, MD_VP_PEND_NMI), 1);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_PEND_NMI, 0x100, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	teardown(&t);
}

/* SHARED_EPTP (td_vmcs_fields_lookup.c, 1.5): the host writes only the
 * root's address bits 51:12, and a production host reads only those. It
 * starts as NULL_PA; bits outside the mask (memory type, page-walk length,
 * A/D, 63:52) must stay 0, as the module clears them from NULL_PA before
 * its forbidden-bits check. The root must be a shared 4 KiB page. */
static void vp_shared_eptp_write_rules(void **state)
{
	const uint64_t f = MD_VP_SHARED_EPTP, addr = VMCS_SHARED_EPTP_ADDR_MASK;
	const uint64_t wb_pwl4 = 6 | (3 << 3);   /* SDM: WB, 4 levels */
	uint64_t old = 0, root, v = POISON;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);
	root = t.shared;
	assert_int_equal(vp(&t, 0, f), addr);          /* NULL_PA, masked */
	/* Memory type and page-walk length are the TD's, not the host's. */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f, root | wb_pwl4, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f, root | (1ULL << 6), ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);       /* A/D enable */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f, root | (1ULL << 63), ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);       /* reserved 63:52 */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f, wb_pwl4, 0xFFF, &old),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	/* A root with the TD's private HKID is not a shared page. */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f,
			       platform_pa_with_keyid(t.hm.p, root, t.hkid), ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	/* Nor is one inside SEAMRR (shared_hpa_check). */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f,
			       tdxsim_seamrr_base(platform_config(t.hm.p)), ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(vp(&t, 0, f), addr);          /* nothing written */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f, root, ~0ULL, &old), TDX_SUCCESS);
	assert_int_equal(old, addr);
	assert_int_equal(vp(&t, 0, f), root);
	/* Low bits equal to the stored ones are no change, so allowed. */
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f, root + 0x1000, addr, &old),
			 TDX_SUCCESS);
	assert_int_equal(old, root);
	teardown(&t);

	/* A debug host reads all 64 bits, and still writes only 51:12. */
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	tdm_vcpu(&t, 0);
	assert_int_equal(vp(&t, 0, f), TDX_NULL_PA);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f, 0x10000 | wb_pwl4, ~0ULL, &old),
			 TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], f, 0x10000, ~0ULL, &v), TDX_SUCCESS);
	assert_int_equal(v, TDX_NULL_PA);
	assert_int_equal(vp(&t, 0, f), 0x10000);
	teardown(&t);
}

/* VP-scope fields of the 1.5 tables that tdxsim holds or computes: the
 * TD VMCS's EPTP (the TD's, HKID bits clear) and HKID, the TDVPS page
 * PAs (with HKID, as VP.CREATE/ADDCX record them), VCPU_STATE_DETAILS
 * (no virtual interrupt is ever pending in tdxsim), and for a debug host
 * the rest of VE_INFO, XCR0 and LAST_TD_EXIT. */
static void vp_more_fields(void **state)
{
	uint64_t v = POISON, old = POISON, keyid, n;
	const uint64_t dbg_only[] = {
		MD_VP_VE_INFO_EXIT_QUAL, MD_VP_VE_INFO_GLA, MD_VP_VE_INFO_GPA,
		MD_VP_VE_INFO_EPTP_INDEX, MD_VP_VE_INFO_INSTR_LEN, MD_VP_VE_INFO_INSTR_INFO,
		MD_VP_XCR0, MD_VP_LAST_TD_EXIT,
	};
	const uint64_t ro[] = { MD_VP_VMCS_EPTP, MD_VP_VMCS_TD_HKID, MD_VP_VCPU_STATE_DETAILS,
				MD_VP_TDVPS_PAGE_PA };
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);
	keyid = platform_pa_with_keyid(t.hm.p, 0, t.hkid);
	assert_int_not_equal(keyid, 0);
	assert_int_equal(vp(&t, 0, MD_VP_VMCS_EPTP), mng(&t, MD_TD_TDCS_EPTP) & ~keyid);
	assert_int_equal(vp(&t, 0, MD_VP_VMCS_TD_HKID), t.hkid);
	assert_int_equal(vp(&t, 0, MD_VP_VCPU_STATE_DETAILS), 0);
	n = vp(&t, 0, MD_VP_NUM_TDVPS_PAGES);
	assert_int_equal(vp(&t, 0, MD_VP_TDVPS_PAGE_PA), t.tdvpr[0] | keyid);
	for (unsigned i = 1; i < TDX_MAX_TDVPS_PAGES; i++)
		assert_int_equal(vp(&t, 0, MD_VP_TDVPS_PAGE_PA + i) != 0, i < n);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], MD_VP_TDVPS_PAGE_PA + TDX_MAX_TDVPS_PAGES,
			       &v, NULL), TDX_METADATA_FIELD_ID_INCORRECT);
	for (unsigned i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], ro[i], 0, ~0ULL, &old),
				 TDX_METADATA_FIELD_NOT_WRITABLE);
	for (unsigned i = 0; i < sizeof(dbg_only) / sizeof(dbg_only[0]); i++)
		assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], dbg_only[i], &v, NULL),
				 TDX_METADATA_FIELD_NOT_READABLE);
	teardown(&t);

	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	tdm_vcpu(&t, 0);
	assert_int_equal(vp(&t, 0, MD_VP_XCR0), 1);             /* x87 only, from VP.INIT */
	assert_int_equal(vp(&t, 0, MD_VP_LAST_TD_EXIT), LAST_EXIT_ASYNC_FAULT);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(vp(&t, 0, dbg_only[i]), 0);     /* no #VE yet */
	for (unsigned i = 0; i < sizeof(dbg_only) / sizeof(dbg_only[0]); i++)
		assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], dbg_only[i], 0, ~0ULL, &old),
				 TDX_METADATA_FIELD_NOT_WRITABLE);
	teardown(&t);
}

/* The guest's CPUID #VE controls (1.5.01 tables): a production host
 * reads the two flags, a debug host also the per-leaf bytes; neither
 * writes them (the guest does, with TDG.VP.WR: test_tdcall_vp_rd_wr). */
static void vp_cpuid_ve_controls(void **state)
{
	const uint64_t ctl = MD_VP_CPUID_CONTROL;
	uint64_t v = POISON;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);
	assert_int_equal(vp(&t, 0, MD_VP_CPUID_SUPERVISOR_VE), 0);
	assert_int_equal(vp(&t, 0, MD_VP_CPUID_USER_VE), 0);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_CPUID_USER_VE, 1, ~0ULL, &v),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], ctl, &v, NULL),
			 TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(v, 0);
	teardown(&t);
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	tdm_vcpu(&t, 0);
	assert_int_equal(vp(&t, 0, ctl), 0);
	assert_int_equal(vp(&t, 0, ctl + TDX_NUM_CPUID_CONTROL - 1), 0);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], ctl + TDX_NUM_CPUID_CONTROL, &v,
			       NULL), TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], ctl, 1, 1, &v),
			 TDX_METADATA_FIELD_NOT_WRITABLE);
	teardown(&t);
}

static void vp_version1(void **state)
{
	uint64_t v, rdx;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);
	/* The TD VMCS fields go in encoding order, as in the module's table. */
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_SHARED_EPTP, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_PIN_BASED_CTLS);
	assert_int_equal(rdx, 0x0024000200004000ULL);   /* td_vmcs_fields_lookup.c: INC_SIZE set */
	/* An ID without INC_SIZE (as KVM builds them) names the same field. */
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], 0x0020000200004000ULL, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_VMCS_TD_HKID);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_PIN_BASED_CTLS, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_VMCS_TD_HKID);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_VMCS_TD_HKID, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_VCPU_STATE_DETAILS);   /* production: guest state skipped */
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_VCPU_STATE_DETAILS, &v,
			       &rdx), TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_VCPU_INDEX);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_RAX, &v, &rdx),
			 TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(rdx, MD_FIELD_ID_NONE);
	/* 6 VMCS fields, VCPU_STATE_DETAILS, then VCPU_INDEX,
	 * NUM_TDVPS_PAGES, ASSOC_LPID, VCPU_EPOCH, CPUID_SUPERVISOR_VE,
	 * CPUID_USER_VE, PEND_NMI and the 15 TDVPS_PAGE_PA. */
	assert_int_equal(walk(&t, TDH_VP_RD, t.tdvpr[0], MD_VP_POSTED_INTR_NV), 29);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_VCPU_EPOCH, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_CPUID_SUPERVISOR_VE);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_PEND_NMI, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_TDVPS_PAGE_PA);   /* LAST_TD_EXIT skipped */
	/* CPUID_CONTROL, the table's last field, is a debug host's only. */
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_TDVPS_PAGE_PA + 14, &v,
			       &rdx), TDX_SUCCESS);
	assert_int_equal(rdx, MD_FIELD_ID_NONE);
	assert_int_equal(md_rd(&t, 0, TDH_VP_WR | V1, t.tdvpr[0], MD_VP_PEND_NMI, &v, &rdx),
			 RAX_INVALID);
	teardown(&t);
	tdm_boot(&t);
	debug_params(&p);
	td_init_with(&t, &p);
	tdm_vcpu(&t, 0);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_GPR(G_RBX), &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_GPR(G_RBP));     /* RSP is never readable */
	/* The 29 + VE_INFO 8, GPRs 15, DR0..3, DR6, XCR0, VCPU_STATE,
	 * LAST_TD_EXIT, CPUID_CONTROL 128. */
	assert_int_equal(walk(&t, TDH_VP_RD, t.tdvpr[0], MD_VP_POSTED_INTR_NV), 60 + 128);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_PEND_NMI, &v, &rdx),
			 TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_LAST_TD_EXIT);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_TDVPS_PAGE_PA + 14, &v,
			       &rdx), TDX_SUCCESS);
	assert_int_equal(rdx, MD_VP_CPUID_CONTROL);
	teardown(&t);
}

static void vp_association(void **state)
{
	struct tdx_module_args a = { 0 };
	uint64_t v = 0, rdx = 0;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);   /* vCPU 0 associated with LP 0 by VP.INIT */
	assert_int_equal(md_rd(&t, 1, TDH_VP_RD | V1, t.tdvpr[0], MD_VP_VCPU_INDEX, &v, &rdx),
			 TDX_VCPU_ASSOCIATED);
	assert_int_equal(v, 0);
	assert_int_equal(rdx, MD_FIELD_ID_NONE);
	assert_int_equal(md_wr(&t, 3, TDH_VP_WR, t.tdvpr[0], MD_VP_PEND_NMI, 1, 1, &v),
			 TDX_VCPU_ASSOCIATED);
	a.rcx = t.tdvpr[0];
	assert_int_equal(tdm_sc(&t, 0, TDH_VP_FLUSH, &a), TDX_SUCCESS);
	assert_int_equal(mng(&t, MD_TD_TDCS_NUM_ASSOC_VCPUS), 0);
	/* A read on LP 1 now takes the vCPU (abi §6.3). */
	assert_int_equal(md_rd(&t, 1, TDH_VP_RD, t.tdvpr[0], MD_VP_ASSOC_LPID, &v, NULL),
			 TDX_SUCCESS);
	assert_int_equal(v, 1);
	assert_int_equal(mng(&t, MD_TD_TDCS_NUM_ASSOC_VCPUS), 1);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], MD_VP_ASSOC_LPID, &v, NULL),
			 TDX_VCPU_ASSOCIATED);
	assert_int_equal(md_rd(&t, 1, TDH_VP_RD, t.tdvpr[0], MD_VP_ASSOC_LPID, &v, NULL),
			 TDX_SUCCESS);
	assert_int_equal(mng(&t, MD_TD_TDCS_NUM_ASSOC_VCPUS), 1);   /* counted once */
	memset(&a, 0, sizeof(a));
	a.rcx = t.tdvpr[0];
	assert_int_equal(tdm_sc(&t, 0, TDH_VP_FLUSH, &a), TDX_VCPU_NOT_ASSOCIATED);
	a.rcx = t.tdvpr[0];
	assert_int_equal(tdm_sc(&t, 1, TDH_VP_FLUSH, &a), TDX_SUCCESS);
	/* A write associates too. */
	assert_int_equal(md_wr(&t, 2, TDH_VP_WR, t.tdvpr[0], MD_VP_PEND_NMI, 1, 1, &v),
			 TDX_SUCCESS);
	assert_int_equal(md_rd(&t, 2, TDH_VP_RD, t.tdvpr[0], MD_VP_ASSOC_LPID, &v, NULL),
			 TDX_SUCCESS);
	assert_int_equal(v, 2);
	teardown(&t);
}

static void vp_state_and_operand_errors(void **state)
{
	const uint64_t id = MD_VP_VCPU_INDEX;
	const uint64_t bad_page = tdx_status_with_operand(TDX_PAGE_METADATA_INCORRECT,
							  TDX_OPERAND_ID_RCX);
	uint64_t v = 0, tdvpr, pages[8];
	unsigned n = 0;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	/* A vCPU without its TDVPX pages, then without VP.INIT. */
	tdvpr = pages[n++] = tdm_page(&t);
	{
		struct tdx_module_args a = { .rcx = tdvpr, .rdx = t.tdr };

		assert_int_equal(tdm_sc(&t, 0, TDH_VP_CREATE, &a), TDX_SUCCESS);
	}
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, tdvpr, id, &v, NULL), TDX_TDCX_NUM_INCORRECT);
	for (unsigned i = 0; i + 1 < TDX_MIN_TDVPS_PAGES; i++) {
		struct tdx_module_args b = { .rcx = tdm_page(&t), .rdx = tdvpr };

		pages[n++] = b.rcx;
		assert_int_equal(tdm_sc(&t, 0, TDH_VP_ADDCX, &b), TDX_SUCCESS);
	}
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, tdvpr, id, &v, NULL), TDX_VCPU_STATE_INCORRECT);
	assert_int_equal(v, 0);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, tdvpr, MD_VP_PEND_NMI, 1, 1, &v),
			 TDX_VCPU_STATE_INCORRECT);
	tdm_vcpu(&t, 0);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdr, id, &v, NULL), bad_page);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpx[0][0], id, &v, NULL), bad_page);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.shared, MD_VP_PEND_NMI, 1, 1, &v), bad_page);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_PAMT_LOCK, 1), 0);
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], id, &v, NULL),
			 tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	assert_int_equal(md_wr(&t, 0, TDH_VP_WR, t.tdvpr[0], MD_VP_PEND_NMI, 1, 1, &v),
			 tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE));
	assert_int_equal(vp(&t, 0, id), 0);
	tdm_teardown(&t, pages, n);
	tdm_free(&t);
}

static void vp_blocked_td(void **state)
{
	struct tdx_module_args a = { 0 };
	uint64_t v = 0;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);
	a.rcx = t.tdvpr[0];
	assert_int_equal(tdm_sc(&t, 0, TDH_VP_FLUSH, &a), TDX_SUCCESS);
	memset(&a, 0, sizeof(a));
	a.rcx = t.tdr;
	assert_int_equal(tdm_sc(&t, 0, TDH_MNG_VPFLUSHDONE, &a), TDX_SUCCESS);
	/* TD_BLOCKED: every normal leaf fails the gate (abi §5.3). */
	assert_int_equal(md_rd(&t, 0, TDH_VP_RD, t.tdvpr[0], MD_VP_VCPU_INDEX, &v, NULL),
			 TDX_TD_KEYS_NOT_CONFIGURED);
	assert_int_equal(md_rd(&t, 0, TDH_MNG_RD, t.tdr, MD_TD_TDR_LIFECYCLE_STATE, &v, NULL),
			 TDX_TD_KEYS_NOT_CONFIGURED);
	assert_int_equal(v, 0);
	tdm_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(td_fields_default_td),
		cmocka_unit_test(td_fields_custom_td),
		cmocka_unit_test(op_state_and_mrtd_across_finalize),
		cmocka_unit_test(mrtd_after_page_add),
		cmocka_unit_test(cpuid_values),
		cmocka_unit_test(field_id_bits_ignored),
		cmocka_unit_test(field_id_errors),
		cmocka_unit_test(writes_td_scope),
		cmocka_unit_test(notify_enables_debug_td),
		cmocka_unit_test(version1_next_ids),
		cmocka_unit_test(td_more_fields_production),
		cmocka_unit_test(td_more_fields_debug),
		cmocka_unit_test(td_state_errors),
		cmocka_unit_test(td_operand_errors),
		cmocka_unit_test(vp_gprs_after_init),
		cmocka_unit_test(vp_production_masks),
		cmocka_unit_test(vp_writes_debug_td),
		cmocka_unit_test(vp_posted_interrupt_fields),
		cmocka_unit_test(vp_shared_eptp_write_rules),
		cmocka_unit_test(vp_more_fields),
		cmocka_unit_test(vp_cpuid_ve_controls),
		cmocka_unit_test(vp_version1),
		cmocka_unit_test(vp_association),
		cmocka_unit_test(vp_state_and_operand_errors),
		cmocka_unit_test(vp_blocked_td),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
