/* SPDX-License-Identifier: MIT */
/*
 * Conformance of the TD build and teardown leaves (abi §5.4), their
 * page-operand checks (abi §4.4), the SEPT and page leaves used while
 * building (abi §5.7) and the measurement (abi §5.8): every status is
 * checked as the exact 64-bit value, operand ID included.
 *
 * Not covered: TDX_TD_FATAL (abi §5.3 step 1), since nothing in the
 * model sets tdr.fatal yet.
 */
#include <string.h>

#include <openssl/evp.h>

#include "helpers/td_machine.h"
#include "host/page_alloc.h"
#include "tdxsim/inject.h"

#define OP(code, id) tdx_status_with_operand((code), (uint32_t)(id))

static uint64_t pt_of(struct tdm *t, uint64_t pa)
{
	return pamt_entry_pt(tdx_inspect_pamt_word(t->hm.p, 0, pa));
}

/* The first LP of package pkg. */
static unsigned lp_of_pkg(struct tdm *t, unsigned pkg)
{
	unsigned lp = 0;

	while (platform_lp_package(t->hm.p, lp) != pkg)
		lp++;
	return lp;
}

static uint64_t sc1(struct tdm *t, uint64_t leaf, uint64_t rcx)
{
	struct tdx_module_args a = { .rcx = rcx };

	return tdm_sc(t, 0, leaf, &a);
}

/* One past the last private HKID. */
static uint32_t hkid_end(struct tdm *t)
{
	return platform_first_private_keyid(t->hm.p) +
	       platform_config(t->hm.p)->tdx_keyids;
}

/* The lowest private HKID that is FREE in the KOT (the module's global
 * HKID is RESERVED). */
static uint16_t free_hkid(struct tdm *t)
{
	uint16_t h = tdm_first_hkid(t);

	while (tdx_inspect_kot_state(t->hm.p, h) != KOT_STATE_HKID_FREE)
		h++;
	return h;
}

/* A 4K-aligned PA outside every TDMR but below the KeyID bits. */
static uint64_t pa_outside_tdmrs(struct tdm *t)
{
	const struct tdmr_plan *plan = t->hm.h->plan;
	uint64_t end = 0;

	for (unsigned i = 0; i < plan->n_tdmrs; i++) {
		uint64_t e = plan->tdmr[i].info.tdmr_base + plan->tdmr[i].info.tdmr_size;

		if (e > end)
			end = e;
	}
	assert_true(end < (1ULL << platform_keyid_shift(t->hm.p)));
	return end;
}

/* ---- 1. TDH.MNG.CREATE ------------------------------------------------- */

static uint64_t mng_create(struct tdm *t, uint64_t tdr, uint64_t hkid)
{
	struct tdx_module_args a = { .rcx = tdr, .rdx = hkid };

	return tdm_sc(t, 0, TDH_MNG_CREATE, &a);
}

static void create_bad_hkid(void **state)
{
	struct tdm t;
	uint64_t page;
	uint16_t first;

	(void)state;
	tdm_boot(&t);
	page = tdm_page(&t);
	first = tdm_first_hkid(&t);
	assert_true(first > 0);
	assert_int_equal(mng_create(&t, page, first - 1),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(mng_create(&t, page, hkid_end(&t)),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(mng_create(&t, page, (1ULL << 16) | first),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(mng_create(&t, page, (1ULL << 63) | first),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	/* Order: a bad HKID is reported before a bad page. */
	assert_int_equal(mng_create(&t, page + 0x800, first - 1),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(mng_create(&t, pa_outside_tdmrs(&t), hkid_end(&t)),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(pt_of(&t, page), PT_NDA);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, free_hkid(&t)), KOT_STATE_HKID_FREE);
	tdm_free(&t);
}

static void create_bad_page(void **state)
{
	struct tdm t;
	uint64_t page, last;
	uint16_t first;

	(void)state;
	tdm_boot(&t);
	page = tdm_page(&t);
	first = free_hkid(&t);
	last = hkid_end(&t) - 1;
	assert_int_equal(mng_create(&t, pa_outside_tdmrs(&t), first),
			 OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RCX));
	assert_int_equal(mng_create(&t, page + 0x800, first),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(mng_create(&t, page + 8, first),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* A KeyID in the address is an invalid HPA (abi §4.4 step 1). */
	assert_int_equal(mng_create(&t, platform_pa_with_keyid(t.hm.p, page, 1), first),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* The last private HKID is fine. */
	assert_int_equal(mng_create(&t, page, last), TDX_SUCCESS);
	assert_int_equal(pt_of(&t, page), PT_TDR);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, (unsigned)last),
			 KOT_STATE_HKID_ASSIGNED);
	/* A page that is already a TDR. */
	assert_int_equal(mng_create(&t, page, first),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, first), KOT_STATE_HKID_FREE);
	tdm_free(&t);
}

static void create_kot_busy_and_hkid_in_use(void **state)
{
	struct tdm t;
	uint64_t page;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	page = tdm_page(&t);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_KOT_LOCK, 1), 0);
	assert_int_equal(mng_create(&t, page, t.hkid + 1),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT));
	assert_int_equal(pt_of(&t, page), PT_NDA);
	assert_int_equal(mng_create(&t, page, t.hkid), TDX_HKID_NOT_FREE);
	assert_int_equal(pt_of(&t, page), PT_NDA);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_ASSIGNED);
	/* The module's own (RESERVED) HKID is not free either. */
	assert_int_equal(mng_create(&t, page, tdx_inspect_global_hkid(t.hm.p)),
			 TDX_HKID_NOT_FREE);
	/* Order: the page before the KOT; the KOT state before RDRAND. */
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_KOT_LOCK, 1), 0);
	assert_int_equal(mng_create(&t, t.tdr, free_hkid(&t)),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(mng_create(&t, page, free_hkid(&t)),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT));
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_RDRAND, 1), 0);
	assert_int_equal(mng_create(&t, page, t.hkid), TDX_HKID_NOT_FREE);
	assert_int_equal(mng_create(&t, page, free_hkid(&t)), TDX_RND_NO_ENTROPY);
	assert_int_equal(pt_of(&t, page), PT_NDA);
	/* The injections were consumed: the next create works. */
	assert_int_equal(mng_create(&t, page, free_hkid(&t)), TDX_SUCCESS);
	tdm_free(&t);
}

/* The host writes byte b over page pa (shared KeyID). */
static void host_fill(struct tdm *t, uint64_t pa, uint8_t b)
{
	uint8_t buf[4096];

	memset(buf, b, sizeof(buf));
	assert_int_equal(platform_mem_write(t->hm.p, pa, buf, sizeof(buf)), TDXSIM_MEM_OK);
}

/* Whether the host still reads byte b all over page pa. */
static bool host_bytes_kept(struct tdm *t, uint64_t pa, uint8_t b)
{
	uint8_t buf[4096];

	if (platform_mem_read(t->hm.p, pa, buf, sizeof(buf)) != TDXSIM_MEM_OK)
		return false;
	for (unsigned i = 0; i < sizeof(buf); i++)
		if (buf[i] != b)
			return false;
	return true;
}

static void create_no_entropy(void **state)
{
	struct tdm t;
	uint64_t page;
	uint16_t hkid;

	(void)state;
	tdm_boot(&t);
	page = tdm_page(&t);
	hkid = free_hkid(&t);
	host_fill(&t, page, 0x5a);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_RDRAND, 1), 0);
	assert_int_equal(mng_create(&t, page, hkid), TDX_RND_NO_ENTROPY);
	/* tdh_mng_create zeroed the page with the module's KeyID before it
	 * drew the UUID: the host's bytes are gone, the page still NDA. */
	assert_false(host_bytes_kept(&t, page, 0x5a));
	assert_int_equal(pt_of(&t, page), PT_NDA);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, hkid), KOT_STATE_HKID_FREE);
	assert_int_equal(mng_create(&t, page, hkid), TDX_SUCCESS);
	tdm_free(&t);
}

/* ---- 2. TDH.MNG.KEY.CONFIG --------------------------------------------- */

/* MNG.CREATE only, no KEY.CONFIG. */
static void create_only(struct tdm *t)
{
	t->hkid = free_hkid(t);
	t->tdr = tdm_page(t);
	assert_int_equal(mng_create(t, t->tdr, t->hkid), TDX_SUCCESS);
}

static uint64_t key_config(struct tdm *t, unsigned pkg, uint64_t tdr)
{
	struct tdx_module_args a = { .rcx = tdr };

	return tdm_sc(t, lp_of_pkg(t, pkg), TDH_MNG_KEY_CONFIG, &a);
}

static void key_config_errors(void **state)
{
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	create_only(&t);
	/* Wrong page type: a free page, and a page outside the TDMRs. */
	assert_int_equal(key_config(&t, 0, tdm_page(&t)),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(key_config(&t, 0, pa_outside_tdmrs(&t)),
			 OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RCX));
	assert_int_equal(key_config(&t, 0, t.tdr + 0x10),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* PCONFIG failures leave the package unconfigured. */
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_PCONFIG_BUSY, 1), 0);
	assert_int_equal(key_config(&t, 0, t.tdr), OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KET));
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_KEYGEN, 1), 0);
	assert_int_equal(key_config(&t, 0, t.tdr), TDX_KEY_GENERATION_FAILED);
	assert_int_equal(key_config(&t, 0, t.tdr), TDX_SUCCESS);
	/* Twice on one package. */
	assert_int_equal(key_config(&t, 0, t.tdr), TDX_KEY_CONFIGURED);
	/* Not all packages yet: ADDCX still refused. */
	{
		struct tdx_module_args a = { .rcx = tdm_page(&t), .rdx = t.tdr };

		assert_int_equal(tdm_sc(&t, 0, TDH_MNG_ADDCX, &a), TDX_TD_KEYS_NOT_CONFIGURED);
	}
	assert_int_equal(key_config(&t, 1, t.tdr), TDX_SUCCESS);
	/* All packages done: lifecycle is KEYS_CONFIGURED, no longer
	 * HKID_ASSIGNED (checked before the package bit). */
	assert_int_equal(key_config(&t, 0, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	assert_int_equal(key_config(&t, 1, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	tdm_free(&t);
}

static void key_config_after_vpflushdone(void **state)
{
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	create_only(&t);
	assert_int_equal(key_config(&t, 0, t.tdr), TDX_SUCCESS);
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_FLUSHED);
	assert_int_equal(key_config(&t, 1, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	assert_int_equal(key_config(&t, 0, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	tdm_free(&t);
}

/* ---- 3. TDH.MNG.ADDCX -------------------------------------------------- */

static uint64_t addcx(struct tdm *t, uint64_t page, uint64_t tdr)
{
	struct tdx_module_args a = { .rcx = page, .rdx = tdr };

	return tdm_sc(t, 0, TDH_MNG_ADDCX, &a);
}

/* ADDCX of a fresh page, recorded in t->tdcx. */
static uint64_t addcx_new(struct tdm *t)
{
	uint64_t page = tdm_page(t), s = addcx(t, page, t->tdr);

	if (s == TDX_SUCCESS)
		t->tdcx[t->n_tdcx++] = page;
	return s;
}

static void addcx_before_keys(void **state)
{
	struct tdm t;
	uint64_t page;

	(void)state;
	tdm_boot(&t);
	create_only(&t);
	page = tdm_page(&t);
	assert_int_equal(addcx(&t, page, t.tdr), TDX_TD_KEYS_NOT_CONFIGURED);
	assert_int_equal(key_config(&t, 1, t.tdr), TDX_SUCCESS);
	assert_int_equal(addcx(&t, page, t.tdr), TDX_TD_KEYS_NOT_CONFIGURED);
	assert_int_equal(pt_of(&t, page), PT_NDA);
	assert_int_equal(key_config(&t, 0, t.tdr), TDX_SUCCESS);
	assert_int_equal(addcx(&t, page, t.tdr), TDX_SUCCESS);
	assert_int_equal(pt_of(&t, page), PT_TDCX);
	assert_int_equal(pamt_entry_owner_pa(tdx_inspect_pamt_word(t.hm.p, 0, page)), t.tdr);
	tdm_free(&t);
}

static void addcx_page_count(void **state)
{
	struct tdm t;
	struct td_params p;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	/* 6 pages for the TDCS and 3 more (for L2 VMs) while UNINIT. */
	for (unsigned i = 0; i < TDX_MAX_NUM_TDCS_PAGES; i++)
		assert_int_equal(addcx_new(&t), TDX_SUCCESS);
	/* The 10th: the count is checked before the page. */
	assert_int_equal(addcx_new(&t), TDX_TDCX_NUM_INCORRECT);
	assert_int_equal(addcx(&t, t.tdr, t.tdr), TDX_TDCX_NUM_INCORRECT);
	/* A TD with 9 TDCS pages can have 3 L2 VMs. */
	tdm_default_params(&p);
	p.num_l2_vms = 3;
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	tdm_free(&t);
}

static void addcx_after_init(void **state)
{
	struct tdm t;
	uint64_t page;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	page = tdm_page(&t);
	/* The 7th page needs op state UNINIT. */
	assert_int_equal(addcx(&t, page, t.tdr), TDX_OP_STATE_INCORRECT);
	assert_int_equal(pt_of(&t, page), PT_NDA);
	tdm_free(&t);
}

static void addcx_bad_operands(void **state)
{
	struct tdm t;
	uint64_t page, other;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	page = tdm_page(&t);
	/* The TDR operand (RDX). */
	assert_int_equal(addcx(&t, page, tdm_page(&t)),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	assert_int_equal(addcx(&t, page, t.tdr + 0x40),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(addcx(&t, page, pa_outside_tdmrs(&t)),
			 OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RDX));
	tdm_pamt_hold(&t, TDX_PS_4K, t.tdr);
	assert_int_equal(addcx(&t, page, t.tdr), OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RDX));
	tdm_pamt_release(&t, TDX_PS_4K, t.tdr);
	/* The new page (RCX): busy, not free, misaligned, outside. */
	tdm_pamt_hold(&t, TDX_PS_4K, page);
	assert_int_equal(addcx(&t, page, t.tdr), OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	tdm_pamt_release(&t, TDX_PS_4K, page);
	/* The TD's own TDR is locked by this call already. */
	assert_int_equal(addcx(&t, t.tdr, t.tdr), OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	/* Another TD's TDR. */
	other = tdm_page(&t);
	assert_int_equal(mng_create(&t, other, free_hkid(&t)), TDX_SUCCESS);
	assert_int_equal(addcx(&t, other, t.tdr),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(addcx(&t, page + 0x100, t.tdr),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(addcx(&t, pa_outside_tdmrs(&t), t.tdr),
			 OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RCX));
	assert_int_equal(addcx(&t, page, t.tdr), TDX_SUCCESS);
	/* A page that is already a TDCX. */
	assert_int_equal(addcx(&t, page, t.tdr),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	tdm_free(&t);
}

static void addcx_no_entropy_on_6th(void **state)
{
	struct tdm t;
	uint64_t page;
	struct td_params p;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	for (unsigned i = 0; i + 1 < TDX_MIN_NUM_TDCS_PAGES; i++)
		assert_int_equal(addcx_new(&t), TDX_SUCCESS);
	/* Still 5 pages: MNG.INIT sees no TDCS. */
	tdm_default_params(&p);
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_TDCS_NOT_ALLOCATED);
	page = tdm_page(&t);
	host_fill(&t, page, 0x5a);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_RDRAND, 1), 0);
	assert_int_equal(addcx(&t, page, t.tdr), TDX_RND_NO_ENTROPY);
	assert_int_equal(pt_of(&t, page), PT_NDA);
	/* tdh_mng_add_cx filled the page before the entropy check. */
	assert_false(host_bytes_kept(&t, page, 0x5a));
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_TDCS_NOT_ALLOCATED);
	assert_int_equal(addcx(&t, page, t.tdr), TDX_SUCCESS);
	t.tdcx[t.n_tdcx++] = page;
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	tdm_free(&t);
}

/* ---- 4. TDH.MNG.INIT and TD_PARAMS ------------------------------------- */

/* Expects MNG.INIT with p to fail with status and RCX out = rcx. */
static void init_fails(struct tdm *t, const struct td_params *p, uint64_t status,
		       uint64_t rcx)
{
	uint64_t rcx_out = 0xDEAD;

	assert_int_equal(tdm_mng_init(t, p, &rcx_out), status);
	assert_int_equal(rcx_out, rcx);
}

static void init_bad_attributes_xfam(void **state)
{
	struct tdm t;
	struct td_params p;
	const uint64_t attr_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_ATTRIBUTES);
	const uint64_t xfam_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_XFAM);

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	tdm_addcx_all(&t);
	/* ATTRIBUTES: a bit outside FIXED0, MIGRATABLE with DEBUG or PERFMON. */
	tdm_default_params(&p);
	p.attributes = 1ULL << 1;
	init_fails(&t, &p, attr_err, 0);
	p.attributes = 1ULL << 27;
	init_fails(&t, &p, attr_err, 0);
	p.attributes = TDX_TD_ATTR_MIGRATABLE | TDX_TD_ATTR_DEBUG;
	init_fails(&t, &p, attr_err, 0);
	p.attributes = TDX_TD_ATTR_MIGRATABLE | TDX_TD_ATTR_PERFMON;
	init_fails(&t, &p, attr_err, 0);
	/* Order: ATTRIBUTES before XFAM. */
	p.xfam = 0;
	init_fails(&t, &p, attr_err, 0);
	/* XFAM. */
	tdm_default_params(&p);
	p.xfam = TDX_XFAM_FIXED1 & ~1ULL;         /* x87 missing */
	init_fails(&t, &p, xfam_err, 0);
	p.xfam = TDX_XFAM_FIXED1 & ~2ULL;         /* SSE missing */
	init_fails(&t, &p, xfam_err, 0);
	p.xfam = TDX_XFAM_FIXED1 | (1ULL << 3);   /* outside 0x6DBE7 */
	init_fails(&t, &p, xfam_err, 0);
	p.xfam = TDX_XFAM_FIXED1 | (1ULL << 10);
	init_fails(&t, &p, xfam_err, 0);
	p.xfam = TDX_XFAM_FIXED1 | TDX_XFAM_AVX | (1ULL << 5);   /* AVX512 partial */
	init_fails(&t, &p, xfam_err, 0);
	p.xfam = TDX_XFAM_FIXED1 | TDX_XFAM_CET_U;                /* CET_U alone */
	init_fails(&t, &p, xfam_err, 0);
	p.xfam = TDX_XFAM_FIXED1 | TDX_XFAM_CET_S;                /* CET_S alone */
	init_fails(&t, &p, xfam_err, 0);
	p.xfam = TDX_XFAM_FIXED1 | (1ULL << 17);                  /* one AMX bit */
	init_fails(&t, &p, xfam_err, 0);
	p.xfam = TDX_XFAM_FIXED1 | (1ULL << 18);
	init_fails(&t, &p, xfam_err, 0);
	/* Order: XFAM before MAX_VCPUS. */
	p.max_vcpus = 0;
	init_fails(&t, &p, xfam_err, 0);
	/* Nothing was applied: a good TD_PARAMS still works. */
	tdm_default_params(&p);
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	/* MNG.INIT twice. */
	init_fails(&t, &p, TDX_OP_STATE_INCORRECT, 0);
	tdm_free(&t);
}

static void init_bad_counts_flags_eptp_tsc(void **state)
{
	struct tdm t;
	struct td_params p;
	const uint64_t rdx_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	const uint64_t eptp_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_EPTP_CONTROLS);
	const uint64_t tsc_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_TSC_FREQUENCY);
	const uint64_t pwl = TDX_EPTP_PWL_4 << TDX_EPTP_PWL_SHIFT;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	tdm_addcx_all(&t);
	tdm_default_params(&p);
	p.max_vcpus = 0;
	init_fails(&t, &p, OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_MAX_VCPUS), 0);
	tdm_default_params(&p);
	p.num_l2_vms = 4;
	init_fails(&t, &p, OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_NUM_L2_VMS), 0);
	/* One L2 VM needs a 7th TDCS page; only 6 were added. */
	p.num_l2_vms = 1;
	init_fails(&t, &p, TDX_TDCS_NOT_ALLOCATED, 0);
	tdm_default_params(&p);
	p.reserved_0[3] = 1;
	init_fails(&t, &p, rdx_err, 0);
	/* CONFIG_FLAGS beyond bits 0..2. */
	tdm_default_params(&p);
	p.config_flags |= 1ULL << 3;
	init_fails(&t, &p, OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_EXEC_CONTROLS), 0);
	/* EPTP_CONTROLS. */
	tdm_default_params(&p);
	p.eptp_controls = pwl;                                   /* MT = UC(0) */
	init_fails(&t, &p, eptp_err, 0);
	p.eptp_controls = TDX_EPTP_MT_WB | (2ULL << TDX_EPTP_PWL_SHIFT);   /* 3 levels */
	init_fails(&t, &p, eptp_err, 0);
	p.eptp_controls = TDX_EPTP_MT_WB | pwl | TDX_EPTP_AD_BIT;
	init_fails(&t, &p, eptp_err, 0);
	p.eptp_controls = TDX_EPTP_MT_WB | pwl | TDX_EPTP_SSS_BIT;
	init_fails(&t, &p, eptp_err, 0);
	p.eptp_controls = TDX_EPTP_MT_WB | pwl | (1ULL << 8);    /* reserved */
	init_fails(&t, &p, eptp_err, 0);
	p.eptp_controls = TDX_EPTP_MT_WB | pwl | 0x1000;         /* a base */
	init_fails(&t, &p, eptp_err, 0);
	tdm_default_params(&p);
	p.config_flags |= TDX_CONFIG_FLAGS_GPAW;                 /* GPAW with 4 levels */
	init_fails(&t, &p, eptp_err, 0);
	/* TSC frequency outside [4, 400]. */
	tdm_default_params(&p);
	p.tsc_frequency = 3;
	init_fails(&t, &p, tsc_err, 0);
	p.tsc_frequency = 401;
	init_fails(&t, &p, tsc_err, 0);
	p.tsc_frequency = 0;
	init_fails(&t, &p, tsc_err, 0);
	/* Order: EPTP before TSC. */
	p.eptp_controls = pwl;
	init_fails(&t, &p, eptp_err, 0);
	/* Order: TDCS pages before reserved_0, MAX_VCPUS before both. */
	tdm_default_params(&p);
	p.num_l2_vms = 1;
	p.reserved_0[0] = 1;
	init_fails(&t, &p, TDX_TDCS_NOT_ALLOCATED, 0);
	p.max_vcpus = 0;
	init_fails(&t, &p, OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_MAX_VCPUS), 0);
	/* The edges of the TSC range are fine. */
	tdm_default_params(&p);
	p.tsc_frequency = 400;
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	tdm_free(&t);
}

static void init_bad_reserved_cpuid_archcap(void **state)
{
	struct tdm t;
	struct td_params p;
	const uint64_t rdx_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	const uint64_t cpuid_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_CPUID_CONFIG);
	const uint64_t leaf1 = 0x1ULL | (0xFFFFFFFFULL << 32);

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	tdm_addcx_all(&t);
	tdm_default_params(&p);
	p.reserved_1[0] = 1;
	init_fails(&t, &p, rdx_err, 0);
	tdm_default_params(&p);
	p.reserved_1[37] = 0x80;
	init_fails(&t, &p, rdx_err, 0);
	tdm_default_params(&p);
	p.msr_config_ctls = 2;
	init_fails(&t, &p, rdx_err, 0);
	tdm_default_params(&p);
	p.reserved_2[23] = 1;
	init_fails(&t, &p, rdx_err, 0);
	/* CPUID_CONFIG entry 0 is leaf 0x1, subleaf 0xFFFFFFFF (none):
	 * EAX = 1 is an FMS other than the platform's, which a TD that is
	 * not migratable may not claim; the other bits are neither directly
	 * configurable nor allowed (cpuid_configurations.c). */
	tdm_default_params(&p);
	p.cpuid_config_vals[0].eax = 1;
	init_fails(&t, &p, cpuid_err, leaf1);
	tdm_default_params(&p);
	p.cpuid_config_vals[0].ebx = 1u << 31;
	init_fails(&t, &p, cpuid_err, leaf1);
	tdm_default_params(&p);
	p.cpuid_config_vals[0].ecx = 1u << 5;
	init_fails(&t, &p, cpuid_err, leaf1);
	tdm_default_params(&p);
	p.cpuid_config_vals[0].edx = 1;
	init_fails(&t, &p, cpuid_err, leaf1);
	/* Leaf 4.0 EAX bits 13:10 are the module's (FIXED0), not the host's. */
	tdm_default_params(&p);
	p.cpuid_config_vals[1].eax = 1u << 10;
	init_fails(&t, &p, cpuid_err, 0x4);
	/* HLE and RTM are allowed only together; that error names no leaf. */
	tdm_default_params(&p);
	p.cpuid_config_vals[5].ebx = 1u << 4;
	init_fails(&t, &p, cpuid_err, 0);
	/* Order: reserved_1 before CPUID. */
	p.reserved_1[5] = 1;
	init_fails(&t, &p, rdx_err, 0);
	/* reserved_3 after the CPUID values. */
	tdm_default_params(&p);
	p.reserved_3[0] = 1;
	init_fails(&t, &p, rdx_err, 0);
	p.cpuid_config_vals[0].eax = 1;
	init_fails(&t, &p, cpuid_err, leaf1);
	/* IA32_ARCH_CAPABILITIES_CONFIG bit 0. */
	tdm_default_params(&p);
	p.ia32_arch_capabilities_config = 1;
	init_fails(&t, &p, OP(TDX_OPERAND_INVALID,
			      TDX_OPERAND_ID_IA32_ARCH_CAPABILITIES_CONFIG), 0);
	tdm_default_params(&p);
	/* The native FMS, given explicitly, is what 0 means. */
	p.cpuid_config_vals[0].eax = 0x000806F8;
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	tdm_free(&t);
}

/* The checks Intel's tdh_mng_init makes that the fact sheet left out. */
static void init_intel_checks(void **state)
{
	const uint64_t archcap_err = OP(TDX_OPERAND_INVALID,
					TDX_OPERAND_ID_IA32_ARCH_CAPABILITIES_CONFIG);
	struct tdxsim_platform_config c;
	const uint64_t misc = 1;   /* IA32_MISC_ENABLE: fast strings */
	struct td_params p;
	struct tdm t;

	(void)state;
	/* The common CPU model has no IA32_MISC_ENABLE: LP 0 gets one. */
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	c.n_overrides = 1;
	memset(&c.overrides[0], 0, sizeof(c.overrides[0]));
	c.overrides[0].n_msrs = 1;
	c.overrides[0].msrs[0] = (struct tdxsim_msr_override){ 0x1A0, misc };
	tdm_boot_config(&t, &c);
	tdm_create(&t);
	tdm_addcx_all(&t);
	/* BOOT_NT4 limits CPUID: refused before the TDR is even looked at
	 * (a misaligned TDR is not the error), RCX 0. */
	assert_true(platform_wrmsr(t.hm.p, 0, 0x1A0, misc | (1ULL << 22)));
	tdm_default_params(&p);
	init_fails(&t, &p, TDX_LIMIT_CPUID_MAXVAL_SET, 0);
	{
		struct tdx_module_args a = { .rcx = t.tdr | 1, .rdx = t.shared };

		assert_int_equal(tdm_sc(&t, 0, TDH_MNG_INIT, &a), TDX_LIMIT_CPUID_MAXVAL_SET);
		assert_int_equal(a.rcx, 0);
	}
	assert_true(platform_wrmsr(t.hm.p, 0, 0x1A0, misc));
	/* init_virt_ia32_arch_capabilities: a configuration without its
	 * enable flag in MSR_CONFIG_CTLS. */
	p.ia32_arch_capabilities_config = 1ULL << 4;
	init_fails(&t, &p, archcap_err, 0);
	/* td_immutable_state_cross_check, the very last: migratable with an
	 * L2 VM (whose TDCS pages are added first). */
	for (unsigned i = 0; i < TDX_TDCS_PAGES_PER_L2_VM; i++) {
		struct tdx_module_args a = { .rcx = tdm_page(&t), .rdx = t.tdr };

		assert_int_equal(tdm_sc(&t, 0, TDH_MNG_ADDCX, &a), TDX_SUCCESS);
	}
	tdm_default_params(&p);
	p.attributes = TDX_TD_ATTR_MIGRATABLE;
	p.num_l2_vms = 1;
	p.msr_config_ctls = TDX_MSR_CONFIG_CTLS_ARCH_CAP;
	p.ia32_arch_capabilities_config = 1ULL << 4;
	init_fails(&t, &p, OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX), 0);
	p.ia32_arch_capabilities_config = 1;       /* a bit it does not virtualise */
	init_fails(&t, &p, archcap_err, 0);
	p.ia32_arch_capabilities_config = 1ULL << 4;
	p.num_l2_vms = 0;
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	tdm_free(&t);
}

/* verify_and_set_td_eptp_controls: 5-level EPT needs the CPU's
 * IA32_VMX_EPT_VPID_CAP bit 7, not only a wide enough address. */
static void init_pml5_needs_ept_cap(void **state)
{
	const uint64_t pwl5 = TDX_EPTP_MT_WB | (TDX_EPTP_PWL_5 << TDX_EPTP_PWL_SHIFT);
	struct tdxsim_platform_config c;
	struct td_params p;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	tdm_addcx_all(&t);
	tdm_default_params(&p);
	p.eptp_controls = pwl5;
	p.config_flags |= TDX_CONFIG_FLAGS_GPAW;
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	tdm_free(&t);

	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	c.n_overrides = 4;
	for (unsigned lp = 0; lp < 4; lp++) {
		memset(&c.overrides[lp], 0, sizeof(c.overrides[lp]));
		c.overrides[lp].lp = lp;
		c.overrides[lp].n_msrs = 1;
		c.overrides[lp].msrs[0] = (struct tdxsim_msr_override){
			MSR_IA32_VMX_EPT_VPID_CAP, 0xf0106f34141ULL };
	}
	tdm_boot_config(&t, &c);
	tdm_create(&t);
	tdm_addcx_all(&t);
	init_fails(&t, &p, OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_EPTP_CONTROLS), 0);
	tdm_default_params(&p);
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	tdm_free(&t);
}

static void init_bad_params_pa_and_state(void **state)
{
	struct tdm t;
	struct td_params p;
	struct tdx_module_args a = { 0 };

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	tdm_default_params(&p);
	/* Before the TDCS is there. */
	init_fails(&t, &p, TDX_TDCS_NOT_ALLOCATED, 0);
	tdm_addcx_all(&t);
	assert_int_equal(platform_mem_write(t.hm.p, t.shared, &p, sizeof(p)), TDXSIM_MEM_OK);
	/* TD_PARAMS not 1024-aligned, and with a private KeyID. */
	a.rcx = t.tdr;
	a.rdx = t.shared + 512;
	assert_int_equal(tdm_sc(&t, 0, TDH_MNG_INIT, &a),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(a.rcx, 0);
	a.rcx = t.tdr;
	a.rdx = platform_pa_with_keyid(t.hm.p, t.shared, t.hkid);
	assert_int_equal(tdm_sc(&t, 0, TDH_MNG_INIT, &a),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	/* The TDR operand is RCX. */
	a.rcx = tdm_page(&t);
	a.rdx = t.shared;
	assert_int_equal(tdm_sc(&t, 0, TDH_MNG_INIT, &a),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	/* A shared KeyID in the TD_PARAMS address is fine. */
	a.rcx = t.tdr;
	a.rdx = platform_pa_with_keyid(t.hm.p, t.shared, 1);
	assert_int_equal(tdm_sc(&t, 0, TDH_MNG_INIT, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, 0);
	tdm_free(&t);
}

/* ---- 5. TDH.VP.CREATE / ADDCX / INIT / FLUSH ---------------------------- */

static uint64_t vp_create(struct tdm *t, unsigned lp, uint64_t page, uint64_t tdr)
{
	struct tdx_module_args a = { .rcx = page, .rdx = tdr };

	return tdm_sc(t, lp, TDH_VP_CREATE, &a);
}

static uint64_t vp_addcx(struct tdm *t, unsigned lp, uint64_t page, uint64_t tdvpr)
{
	struct tdx_module_args a = { .rcx = page, .rdx = tdvpr };

	return tdm_sc(t, lp, TDH_VP_ADDCX, &a);
}

static uint64_t vp_init(struct tdm *t, unsigned lp, uint64_t tdvpr, uint32_t x2apic)
{
	struct tdx_module_args a = { .rcx = tdvpr, .rdx = 0x1234, .r8 = x2apic };

	return tdm_sc(t, lp, TDH_VP_INIT | (1ULL << TDX_VERSION_SHIFT), &a);
}

static uint64_t vp_flush(struct tdm *t, unsigned lp, uint64_t tdvpr)
{
	struct tdx_module_args a = { .rcx = tdvpr };

	return tdm_sc(t, lp, TDH_VP_FLUSH, &a);
}

/* VP.CREATE of a fresh page; its PA. */
static uint64_t new_tdvpr(struct tdm *t)
{
	uint64_t page = tdm_page(t);

	assert_int_equal(vp_create(t, 0, page, t->tdr), TDX_SUCCESS);
	assert_int_equal(pt_of(t, page), PT_TDVPR);
	return page;
}

static void vp_page_counts_and_states(void **state)
{
	struct tdm t;
	uint64_t tdvpr, big;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdvpr = new_tdvpr(&t);
	/* VP.INIT needs 6 TDVPS pages: the TDVPR and 5 TDCX. */
	assert_int_equal(vp_init(&t, 0, tdvpr, 0), TDX_TDCX_NUM_INCORRECT);
	for (unsigned i = 0; i + 1 < TDX_MIN_TDVPS_PAGES; i++) {
		uint64_t page = tdm_page(&t);

		if (i)
			assert_int_equal(vp_init(&t, 0, tdvpr, 0), TDX_TDCX_NUM_INCORRECT);
		assert_int_equal(vp_addcx(&t, 0, page, tdvpr), TDX_SUCCESS);
		assert_int_equal(pt_of(&t, page), PT_TDCX);
	}
	assert_int_equal(vp_init(&t, 0, tdvpr, 0), TDX_SUCCESS);
	assert_int_equal(vp_init(&t, 0, tdvpr, 0), TDX_VCPU_STATE_INCORRECT);
	assert_int_equal(vp_init(&t, 1, tdvpr, 0), TDX_VCPU_STATE_INCORRECT);
	assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), tdvpr), TDX_VCPU_STATE_INCORRECT);
	/* A second vCPU takes up to 15 TDVPS pages, not 16. */
	big = new_tdvpr(&t);
	for (unsigned i = 0; i + 1 < TDX_MAX_TDVPS_PAGES; i++)
		assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), big), TDX_SUCCESS);
	assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), big), TDX_TDCX_NUM_INCORRECT);
	/* Count before page: a bad page does not matter. */
	assert_int_equal(vp_addcx(&t, 0, t.tdr, big), TDX_TDCX_NUM_INCORRECT);
	assert_int_equal(vp_init(&t, 0, big, 1), TDX_SUCCESS);
	tdm_free(&t);
}

static void vp_bad_operands(void **state)
{
	struct tdm t;
	uint64_t tdvpr, page;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	tdm_addcx_all(&t);
	/* VP.CREATE needs op state INIT. */
	page = tdm_page(&t);
	assert_int_equal(vp_create(&t, 0, page, t.tdr), TDX_OP_STATE_INCORRECT);
	assert_int_equal(pt_of(&t, page), PT_NDA);
	{
		struct td_params p;

		tdm_default_params(&p);
		assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	}
	assert_int_equal(vp_create(&t, 0, page, tdm_page(&t)),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	assert_int_equal(vp_create(&t, 0, t.tdcx[0], t.tdr),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(vp_create(&t, 0, page + 0x200, t.tdr),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* Op state lock busy. */
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	assert_int_equal(vp_create(&t, 0, page, t.tdr),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE));
	assert_int_equal(pt_of(&t, page), PT_NDA);
	tdvpr = new_tdvpr(&t);
	/* VP.ADDCX: RDX must be a TDVPR. */
	assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), t.tdr),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), tdm_page(&t)),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	assert_int_equal(vp_addcx(&t, 0, t.tdcx[1], tdvpr),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), tdvpr),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE));
	/* VP.INIT and VP.FLUSH: RCX must be a TDVPR. */
	assert_int_equal(vp_init(&t, 0, t.tdr, 0),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(vp_flush(&t, 0, t.tdcx[0]),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	/* VP.FLUSH of a vCPU without its pages. */
	assert_int_equal(vp_flush(&t, 0, tdvpr), TDX_TDCX_NUM_INCORRECT);
	for (unsigned i = 0; i + 1 < TDX_MIN_TDVPS_PAGES; i++)
		assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), tdvpr), TDX_SUCCESS);
	/* Never associated. */
	assert_int_equal(vp_flush(&t, 0, tdvpr), TDX_VCPU_NOT_ASSOCIATED);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	assert_int_equal(vp_init(&t, 0, tdvpr, 0), OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE));
	assert_int_equal(vp_init(&t, 0, tdvpr, 0), TDX_SUCCESS);
	tdm_free(&t);
}

static void vp_max_vcpus(void **state)
{
	struct tdm t;
	uint64_t extra;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);   /* max_vcpus 4 */
	for (unsigned i = 0; i < 4; i++)
		tdm_vcpu(&t, i);
	extra = new_tdvpr(&t);
	for (unsigned i = 0; i + 1 < TDX_MIN_TDVPS_PAGES; i++)
		assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), extra), TDX_SUCCESS);
	assert_int_equal(vp_init(&t, 0, extra, 4), TDX_MAX_VCPUS_EXCEEDED);
	/* Undone: the vCPU stays UNINITIALIZED and the count stays at 4. */
	assert_int_equal(vp_init(&t, 1, extra, 4), TDX_MAX_VCPUS_EXCEEDED);
	assert_int_equal(vp_flush(&t, 0, extra), TDX_VCPU_NOT_ASSOCIATED);
	assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), extra), TDX_SUCCESS);
	tdm_free(&t);
}

static void vp_flush_association(void **state)
{
	struct tdm t;
	unsigned v, other = 0;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	v = tdm_vcpu(&t, 1);   /* associated with LP 1 */
	while (other < platform_nr_lps(t.hm.p)) {
		if (other != 1)
			assert_int_equal(vp_flush(&t, other, t.tdvpr[v]), TDX_VCPU_NOT_ASSOCIATED);
		other++;
	}
	/* VPFLUSHDONE sees the associated vCPU. */
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_FLUSHVP_NOT_DONE);
	assert_int_equal(vp_flush(&t, 1, t.tdvpr[v]), TDX_SUCCESS);
	assert_int_equal(vp_flush(&t, 1, t.tdvpr[v]), TDX_VCPU_NOT_ASSOCIATED);
	assert_int_equal(vp_flush(&t, 0, t.tdvpr[v]), TDX_VCPU_NOT_ASSOCIATED);
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_SUCCESS);
	/* After VPFLUSHDONE the lifecycle is BLOCKED. */
	assert_int_equal(vp_flush(&t, 1, t.tdvpr[v]), TDX_TD_KEYS_NOT_CONFIGURED);
	assert_int_equal(vp_create(&t, 0, tdm_page(&t), t.tdr), TDX_TD_KEYS_NOT_CONFIGURED);
	tdm_free(&t);
}

/* ---- 6. TDH.MEM.SEPT.ADD ----------------------------------------------- */

#define GPA0 0x40000000ULL   /* 1 GiB: PML4 index 0, PDPT index 1 */

static uint64_t sept_add(struct tdm *t, uint64_t info, uint64_t handle, uint64_t page,
			 struct tdx_module_args *out)
{
	struct tdx_module_args a = { .rcx = info, .rdx = handle, .r8 = page };
	uint64_t s = tdm_sc(t, 0, TDH_MEM_SEPT_ADD, &a);

	if (out)
		*out = a;
	return s;
}

static uint64_t sept_info(unsigned level, uint64_t state)
{
	return level | (state << SEPT_INFO_STATE_SHIFT);
}

static void sept_add_bad_inputs(void **state)
{
	struct tdm t;
	uint64_t page;
	struct tdx_module_args a;
	const uint64_t rcx_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	page = tdm_page(&t);
	/* Level must be in [1, 3] for a 4-level EPT. */
	assert_int_equal(sept_add(&t, GPA0 | 0, t.tdr, page, NULL), rcx_err);
	assert_int_equal(sept_add(&t, 0 | 4, t.tdr, page, NULL), rcx_err);
	assert_int_equal(sept_add(&t, 0 | 7, t.tdr, page, NULL), rcx_err);
	/* Reserved bits of RCX, a GPA not aligned to the level, the shared
	 * bit (GPAW 48: bit 47). */
	assert_int_equal(sept_add(&t, 0x8 | 3, t.tdr, page, NULL), rcx_err);
	assert_int_equal(sept_add(&t, (1ULL << 52) | 3, t.tdr, page, NULL), rcx_err);
	assert_int_equal(sept_add(&t, (GPA0 + 0x1000) | 1, t.tdr, page, NULL), rcx_err);
	assert_int_equal(sept_add(&t, (1ULL << 47) | 3, t.tdr, page, NULL), rcx_err);
	/* Reserved handle bits 11:1 and 63:52. */
	assert_int_equal(sept_add(&t, 3, t.tdr | 2, page, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(sept_add(&t, 3, t.tdr | 0x800, page, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(sept_add(&t, 3, t.tdr | (1ULL << 52), page, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	/* The handle's TDR is a TDR. */
	assert_int_equal(sept_add(&t, 3, t.tdcx[0], page, NULL),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	/* R8 = NULL_PA in version 0. */
	assert_int_equal(sept_add(&t, 3, t.tdr, TDX_NULL_PA, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	/* The new page must be free. */
	assert_int_equal(sept_add(&t, 3, t.tdr, t.tdcx[2], NULL),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	assert_int_equal(sept_add(&t, 3, t.tdr, page + 0x80, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	assert_int_equal(sept_add(&t, 3, t.tdr, pa_outside_tdmrs(&t), NULL),
			 OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_R8));
	assert_int_equal(pt_of(&t, page), PT_NDA);
	/* Bit 63 of a non-NULL page is ignored. */
	assert_int_equal(sept_add(&t, 3, t.tdr, page | TDX_SEPT_ADD_NOT_USED, &a), TDX_SUCCESS);
	assert_int_equal(pt_of(&t, page), PT_EPT);
	assert_int_equal(pamt_entry_owner_pa(tdx_inspect_pamt_word(t.hm.p, 0, page)), t.tdr);
	tdm_free(&t);
}

static void sept_add_walk_and_existing(void **state)
{
	struct tdm t;
	uint64_t pdpt, pd, spare;
	struct tdx_module_args a;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	spare = tdm_page(&t);
	/* No PDPT yet: the walk stops at the FREE PML4 entry (level 3). */
	assert_int_equal(sept_add(&t, GPA0 | 1, t.tdr, spare, &a),
			 OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, SEPT_SVE);
	assert_int_equal(a.rdx, sept_info(3, 0));
	assert_int_equal(a.r8, spare);
	assert_int_equal(sept_add(&t, GPA0 | 2, t.tdr, spare, &a),
			 OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rdx, sept_info(3, 0));
	pdpt = tdm_page(&t);
	assert_int_equal(sept_add(&t, 3, t.tdr, pdpt, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, pdpt);
	/* Now the walk for level 1 stops at the FREE PDPT entry (level 2). */
	assert_int_equal(sept_add(&t, GPA0 | 1, t.tdr, spare, &a),
			 OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, SEPT_SVE);
	assert_int_equal(a.rdx, sept_info(2, 0));
	/* The PML4 entry exists: without allow_existing that is an error
	 * reporting NL_MAPPED (0x84) at level 3. */
	assert_int_equal(sept_add(&t, 3, t.tdr, spare, &a),
			 OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0x7);   /* RWX; PS clear (abi §5.6) */
	assert_int_equal(a.rdx, sept_info(3, 0x84));
	/* With allow_existing: success, page not used, still free; version
	 * 0 writes no register back, so R8 is as given and RCX/RDX 0. */
	assert_int_equal(sept_add(&t, 3, t.tdr | TDX_SEPT_ADD_ALLOW_EXISTING, spare, &a),
			 TDX_SUCCESS);
	assert_int_equal(a.r8, spare);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(pt_of(&t, spare), PT_NDA);
	/* Even a non-free page is not looked at then. */
	assert_int_equal(sept_add(&t, 3, t.tdr | TDX_SEPT_ADD_ALLOW_EXISTING, t.tdr, &a),
			 TDX_SUCCESS);
	assert_int_equal(a.r8, t.tdr);
	/* PD under the PDPT entry of GPA0, and a page table. */
	pd = tdm_page(&t);
	assert_int_equal(sept_add(&t, GPA0 | 2, t.tdr, pd, NULL), TDX_SUCCESS);
	assert_int_equal(sept_add(&t, GPA0 | 1, t.tdr, spare, &a), TDX_SUCCESS);
	assert_int_equal(pt_of(&t, spare), PT_EPT);
	assert_int_equal(sept_add(&t, GPA0 | 1, t.tdr, tdm_page(&t), &a),
			 OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rdx, sept_info(1, 0x84));
	/* Level 4 exceeds this TD's 4-level EPT. */
	assert_int_equal(sept_add(&t, 4, t.tdr, tdm_page(&t), NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	tdm_free(&t);
}

static void sept_add_busy_and_state(void **state)
{
	struct tdm t;
	uint64_t page;
	struct tdx_module_args a;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	tdm_addcx_all(&t);
	page = tdm_page(&t);
	/* UNINIT: SEPT.ADD is not allowed. */
	assert_int_equal(sept_add(&t, 3, t.tdr, page, NULL), TDX_OP_STATE_INCORRECT);
	{
		struct td_params p;

		tdm_default_params(&p);
		assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	}
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_SEPT_TREE_LOCK, 1), 0);
	assert_int_equal(sept_add(&t, 3, t.tdr, page, NULL),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE));
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_SEPT_ENTRY_LOCK, 1), 0);
	assert_int_equal(sept_add(&t, 3, t.tdr, page, &a),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	assert_int_equal(sept_add(&t, 3, t.tdr, page, NULL),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE));
	tdm_pamt_hold(&t, TDX_PS_4K, page);
	assert_int_equal(sept_add(&t, 3, t.tdr, page, NULL),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_R8));
	tdm_pamt_release(&t, TDX_PS_4K, page);
	assert_int_equal(pt_of(&t, page), PT_NDA);
	assert_int_equal(sept_add(&t, 3, t.tdr, page, NULL), TDX_SUCCESS);
	/* After MR.FINALIZE (RUNNABLE) SEPT.ADD is still allowed. */
	tdm_vcpu(&t, 0);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_SUCCESS);
	assert_int_equal(sept_add(&t, GPA0 | 2, t.tdr, tdm_page(&t), NULL), TDX_SUCCESS);
	tdm_free(&t);
}

/* ---- 7. TDH.MEM.PAGE.ADD ----------------------------------------------- */

static uint64_t page_add(struct tdm *t, uint64_t info, uint64_t tdr, uint64_t target,
			 uint64_t source, struct tdx_module_args *out)
{
	struct tdx_module_args a = { .rcx = info, .rdx = tdr, .r8 = target, .r9 = source };
	uint64_t s = tdm_sc(t, 0, TDH_MEM_PAGE_ADD, &a);

	if (out)
		*out = a;
	return s;
}

static void fill_shared(struct tdm *t, uint8_t fill)
{
	uint8_t buf[4096];

	memset(buf, fill, sizeof(buf));
	assert_int_equal(platform_mem_write(t->hm.p, t->shared, buf, sizeof(buf)),
			 TDXSIM_MEM_OK);
}

static void page_add_errors(void **state)
{
	struct tdm t;
	uint64_t target, hpa, entry;
	struct tdx_module_args a;
	const uint64_t gpa = GPA0 + 0x5000;
	const uint64_t rcx_err = OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_vcpu(&t, 0);
	fill_shared(&t, 0x5A);
	target = tdm_page(&t);
	/* RCX: level must be 0; no reserved bits; private GPA below GPAW. */
	assert_int_equal(page_add(&t, GPA0 | 1, t.tdr, target, t.shared, &a), rcx_err);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(page_add(&t, gpa | 0x10, t.tdr, target, t.shared, NULL), rcx_err);
	assert_int_equal(page_add(&t, gpa | (1ULL << 47), t.tdr, target, t.shared, NULL),
			 rcx_err);
	assert_int_equal(page_add(&t, gpa | (1ULL << 48), t.tdr, target, t.shared, NULL),
			 rcx_err);
	/* RDX: the TDR. */
	assert_int_equal(page_add(&t, gpa, target, target, t.shared, NULL),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	/* No page table for the GPA: the walk stops at the PML4 entry. */
	assert_int_equal(page_add(&t, gpa, t.tdr, target, t.shared, &a),
			 OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, SEPT_SVE);
	assert_int_equal(a.rdx, sept_info(3, 0));
	tdm_sept_path(&t, gpa, 2);
	assert_int_equal(page_add(&t, gpa, t.tdr, target, t.shared, &a),
			 OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rdx, sept_info(1, 0));
	tdm_sept_path(&t, gpa, 1);
	/* R9: the source must be a 4K-aligned shared HPA (R9 checked
	 * before R8). */
	assert_int_equal(page_add(&t, gpa, t.tdr, t.tdr,
				  platform_pa_with_keyid(t.hm.p, t.shared, tdm_first_hkid(&t)),
				  NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R9));
	assert_int_equal(page_add(&t, gpa, t.tdr, target,
				  platform_pa_with_keyid(t.hm.p, t.shared, t.hkid), NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R9));
	assert_int_equal(page_add(&t, gpa, t.tdr, target, t.shared + 0x800, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R9));
	/* R8: the target must be a free page. */
	assert_int_equal(page_add(&t, gpa, t.tdr, t.tdcx[0], t.shared, NULL),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	assert_int_equal(page_add(&t, gpa, t.tdr, t.tdvpr[0], t.shared, NULL),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	assert_int_equal(page_add(&t, gpa, t.tdr, t.sept[0], t.shared, NULL),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	assert_int_equal(page_add(&t, gpa, t.tdr, target + 0x40, t.shared, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	tdm_pamt_hold(&t, TDX_PS_4K, target);
	assert_int_equal(page_add(&t, gpa, t.tdr, target, t.shared, NULL),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_R8));
	tdm_pamt_release(&t, TDX_PS_4K, target);
	assert_int_equal(pt_of(&t, target), PT_NDA);
	/* A shared KeyID in the source is fine. */
	assert_int_equal(page_add(&t, gpa, t.tdr, target,
				  platform_pa_with_keyid(t.hm.p, t.shared, 1), &a),
			 TDX_SUCCESS);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(pt_of(&t, target), PT_REG);
	assert_int_equal(pamt_entry_owner_pa(tdx_inspect_pamt_word(t.hm.p, 0, target)), t.tdr);
	/* Twice at one GPA: the entry is MAPPED (public state 4). */
	hpa = tdm_page(&t);
	assert_int_equal(page_add(&t, gpa, t.tdr, hpa, t.shared, &a),
			 OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	entry = target | SEPT_RWX | (TDX_EPTP_MT_WB << 3) | (1ULL << 6) | (1ULL << 7) | SEPT_SVE;
	assert_int_equal(a.rcx, entry);
	assert_int_equal(a.rdx, sept_info(0, 4));
	assert_int_equal(pt_of(&t, hpa), PT_NDA);
	/* The walk is checked before the source and target. */
	assert_int_equal(page_add(&t, gpa, t.tdr, t.tdr, t.shared + 1, &a),
			 OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	/* After MR.FINALIZE PAGE.ADD is over. */
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_SUCCESS);
	assert_int_equal(page_add(&t, gpa + 0x1000, t.tdr, hpa, t.shared, &a),
			 TDX_OP_STATE_INCORRECT);
	assert_int_equal(pt_of(&t, hpa), PT_NDA);
	tdm_free(&t);
}

static void page_add_contents(void **state)
{
	struct tdm t;
	uint64_t hpa;
	uint8_t buf[4096];

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_sept_path(&t, GPA0, 1);
	assert_int_equal(tdm_page_add(&t, GPA0, 0xC3, &hpa), TDX_SUCCESS);
	/* The host reads zeros through a shared KeyID; the lines are TD's. */
	assert_int_equal(platform_mem_read(t.hm.p, hpa, buf, sizeof(buf)), TDXSIM_MEM_OK);
	for (unsigned i = 0; i < sizeof(buf); i += 64) {
		assert_int_equal(buf[i], 0);
		assert_true(platform_line_td_owned(t.hm.p, hpa + i));
	}
	for (unsigned i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	/* Through the TD's KeyID the copy is there. */
	assert_int_equal(platform_mem_read(t.hm.p, platform_pa_with_keyid(t.hm.p, hpa, t.hkid),
					   buf, sizeof(buf)), TDXSIM_MEM_OK);
	for (unsigned i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xC3);
	/* The source is untouched. */
	assert_int_equal(platform_mem_read(t.hm.p, t.shared, buf, sizeof(buf)), TDXSIM_MEM_OK);
	assert_int_equal(buf[100], 0xC3);
	assert_false(platform_line_td_owned(t.hm.p, t.shared));
	tdm_free(&t);
}

/* ---- 8. TDH.MR.EXTEND and TDH.MR.FINALIZE ------------------------------ */

static uint64_t mr_extend(struct tdm *t, uint64_t gpa, uint64_t tdr,
			  struct tdx_module_args *out)
{
	struct tdx_module_args a = { .rcx = gpa, .rdx = tdr };
	uint64_t s = tdm_sc(t, 0, TDH_MR_EXTEND, &a);

	if (out)
		*out = a;
	return s;
}

static void mr_extend_errors(void **state)
{
	struct tdm t;
	struct tdx_module_args a;
	const uint64_t gpa = GPA0 + 0x3000;
	const uint64_t not_present = OP(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX);

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	/* Nothing mapped: the walk stops at the PML4 entry. */
	assert_int_equal(mr_extend(&t, gpa, t.tdr, &a), not_present);
	assert_int_equal(a.rcx, SEPT_SVE);
	assert_int_equal(a.rdx, sept_info(3, 0));
	tdm_sept_path(&t, gpa, 1);
	/* A FREE 4K entry. */
	assert_int_equal(mr_extend(&t, gpa, t.tdr, &a), not_present);
	assert_int_equal(a.rcx, SEPT_SVE);
	assert_int_equal(a.rdx, sept_info(0, 0));
	assert_int_equal(tdm_page_add(&t, gpa, 0x11, NULL), TDX_SUCCESS);
	/* Alignment: 256 bytes; private GPA. */
	assert_int_equal(mr_extend(&t, gpa + 0x80, t.tdr, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(mr_extend(&t, gpa + 1, t.tdr, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(mr_extend(&t, gpa | (1ULL << 47), t.tdr, NULL),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(mr_extend(&t, gpa, t.tdcx[0], NULL),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	assert_int_equal(mr_extend(&t, gpa + 0xF00, t.tdr, NULL), TDX_SUCCESS);
	/* The neighbouring 4K entry is still FREE. */
	assert_int_equal(mr_extend(&t, gpa + 0x1000, t.tdr, &a), not_present);
	assert_int_equal(a.rdx, sept_info(0, 0));
	/* MR.FINALIZE needs a vCPU; a created but uninitialised one does
	 * not count. */
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_NO_VCPUS);
	new_tdvpr(&t);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_NO_VCPUS);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdcx[0]),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	tdm_vcpu(&t, 0);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_SUCCESS);
	/* RUNNABLE: the build leaves are over. */
	assert_int_equal(mr_extend(&t, gpa, t.tdr, NULL), TDX_OP_STATE_INCORRECT);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_OP_STATE_INCORRECT);
	assert_int_equal(vp_create(&t, 0, tdm_page(&t), t.tdr), TDX_OP_STATE_INCORRECT);
	tdm_free(&t);
}

static void mr_finalize_before_init(void **state)
{
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_TDCS_NOT_ALLOCATED);
	assert_int_equal(mr_extend(&t, GPA0, t.tdr, NULL), TDX_TDCS_NOT_ALLOCATED);
	tdm_addcx_all(&t);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_OP_STATE_INCORRECT);
	assert_int_equal(mr_extend(&t, GPA0, t.tdr, NULL), TDX_OP_STATE_INCORRECT);
	tdm_free(&t);
}

/* ---- 9. Known-answer MRTD (abi §5.8) ----------------------------------- */

/* One 128-byte block: name zero-padded to 16 bytes, GPA little-endian
 * at 16..23, zeros after. */
static void kat_block(EVP_MD_CTX *ctx, const char *name, uint64_t gpa)
{
	uint8_t b[128];

	memset(b, 0, sizeof(b));
	memcpy(b, name, strlen(name));
	for (unsigned i = 0; i < 8; i++)
		b[16 + i] = (uint8_t)(gpa >> (8 * i));
	assert_int_equal(EVP_DigestUpdate(ctx, b, sizeof(b)), 1);
}

static void mrtd_of(struct tdm *t, uint8_t out[48])
{
	memset(out, 0xEE, 48);
	assert_true(tdx_inspect_td_mrtd(t->hm.p, t->tdr, out));
}

static void mrtd_known_answer(void **state)
{
	struct tdm t;
	const uint64_t gpa[2] = { 0x200000, 0x7FF000 };   /* ascending, different PTs */
	uint8_t data[2][4096], mrtd[48], expect[48];
	unsigned len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	(void)state;
	assert_non_null(ctx);
	for (unsigned p = 0; p < 2; p++)
		for (unsigned i = 0; i < 4096; i++)
			data[p][i] = (uint8_t)(i * 7 + p * 101 + (i >> 8));
	tdm_boot(&t);
	tdm_td_init(&t);
	/* Before MR.FINALIZE MRTD reads as zeros. */
	mrtd_of(&t, mrtd);
	for (unsigned i = 0; i < 48; i++)
		assert_int_equal(mrtd[i], 0);
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha384(), NULL), 1);
	for (unsigned p = 0; p < 2; p++) {
		struct tdx_module_args a = { .rcx = gpa[p], .rdx = t.tdr, .r8 = tdm_page(&t),
					     .r9 = t.shared };

		tdm_sept_path(&t, gpa[p], 1);
		assert_int_equal(platform_mem_write(t.hm.p, t.shared, data[p], 4096),
				 TDXSIM_MEM_OK);
		assert_int_equal(tdm_sc(&t, 0, TDH_MEM_PAGE_ADD, &a), TDX_SUCCESS);
		kat_block(ctx, "MEM.PAGE.ADD", gpa[p]);
		/* The source changes afterwards; the TD copy does not. */
		assert_int_equal(platform_mem_zero(t.hm.p, t.shared, 4096), TDXSIM_MEM_OK);
		for (unsigned k = 0; k < 16; k++) {
			assert_int_equal(mr_extend(&t, gpa[p] + k * 256, t.tdr, NULL), TDX_SUCCESS);
			kat_block(ctx, "MR.EXTEND", gpa[p] + k * 256);
			assert_int_equal(EVP_DigestUpdate(ctx, data[p] + k * 256, 256), 1);
		}
	}
	assert_int_equal(EVP_DigestFinal_ex(ctx, expect, &len), 1);
	assert_int_equal(len, 48);
	tdm_vcpu(&t, 0);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_SUCCESS);
	mrtd_of(&t, mrtd);
	assert_memory_equal(mrtd, expect, 48);
	EVP_MD_CTX_free(ctx);
	tdm_free(&t);
}

static void mrtd_empty_td(void **state)
{
	struct tdm t;
	uint8_t mrtd[48], expect[48];
	unsigned len = 0;

	(void)state;
	assert_int_equal(EVP_Digest("", 0, expect, &len, EVP_sha384(), NULL), 1);
	assert_int_equal(len, 48);
	tdm_boot(&t);
	tdm_runnable(&t);
	mrtd_of(&t, mrtd);
	assert_memory_equal(mrtd, expect, 48);
	/* Not a TDR: no MRTD. */
	assert_false(tdx_inspect_td_mrtd(t.hm.p, t.tdcx[0], mrtd));
	tdm_free(&t);
}

/* ---- 10. Teardown ------------------------------------------------------ */

static uint64_t cache_wb(struct tdm *t, unsigned pkg, uint64_t cmd)
{
	struct tdx_module_args a = { .rcx = cmd };

	return tdm_sc(t, lp_of_pkg(t, pkg), TDH_PHYMEM_CACHE_WB, &a);
}

static void cache_wb_errors(void **state)
{
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	assert_int_equal(cache_wb(&t, 0, 2), OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(cache_wb(&t, 0, ~0ULL), OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* Nothing flushed. */
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD),
			 TDX_NO_HKID_READY_TO_WBCACHE);
	assert_int_equal(cache_wb(&t, 1, TDH_PHYMEM_CACHEWB_START_CMD),
			 TDX_NO_HKID_READY_TO_WBCACHE);
	/* No saved point to resume from. */
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_RESUME_CMD),
			 TDX_WBCACHE_RESUME_ERROR);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_WBT_LOCK, 1), 0);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_WBCACHE));
	/* The KOT is taken shared after the WBT mutex. */
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_KOT_LOCK, 1), 0);
	assert_int_equal(cache_wb(&t, 1, TDH_PHYMEM_CACHEWB_START_CMD),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT));
	/* WBINVD: outside the TDMRs, misaligned. */
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_WBINVD, pa_outside_tdmrs(&t)),
			 OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RCX));
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_WBINVD, t.shared + 0x40),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* RCX is checked before the WBT mutex. */
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_WBT_LOCK, 1), 0);
	assert_int_equal(cache_wb(&t, 0, 2), OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_WBCACHE));
	tdm_free(&t);
}

/* A START that finds no flushed HKID drops the package's saved
 * interruption point (tdh_phymem_cache_wb resets it before it looks), so
 * a RESUME after it has nothing to resume. */
static void cache_wb_start_drops_saved_point(void **state)
{
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_SUCCESS);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD), TDX_SUCCESS);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_INTERRUPT, 1), 0);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD),
			 TDX_INTERRUPTED_RESUMABLE);
	assert_int_equal(cache_wb(&t, 1, TDH_PHYMEM_CACHEWB_START_CMD), TDX_SUCCESS);
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_SUCCESS);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD),
			 TDX_NO_HKID_READY_TO_WBCACHE);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_RESUME_CMD),
			 TDX_WBCACHE_RESUME_ERROR);
	tdm_free(&t);
}

static void teardown_order(void **state)
{
	struct tdm t;
	uint64_t free0, reg[2], ctl[64], page;
	unsigned nctl, v;
	struct tdx_module_args a;

	(void)state;
	tdm_boot(&t);
	free0 = page_alloc_free_bytes(t.hm.h->pages);
	tdm_td_init(&t);
	v = tdm_vcpu(&t, 1);
	tdm_vcpu(&t, 2);
	tdm_sept_path(&t, GPA0, 1);
	assert_int_equal(tdm_page_add(&t, GPA0, 0x77, &reg[0]), TDX_SUCCESS);
	assert_int_equal(tdm_page_add(&t, GPA0 + 0x1000, 0x78, &reg[1]), TDX_SUCCESS);
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_SUCCESS);

	/* Before VPFLUSHDONE: FREEID and RECLAIM see the wrong lifecycle. */
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	memset(&a, 0, sizeof(a));
	a.rcx = t.tdcx[0];
	assert_int_equal(tdm_sc(&t, 0, TDH_PHYMEM_PAGE_RECLAIM, &a),
			 TDX_LIFECYCLE_STATE_INCORRECT);
	assert_int_equal(a.rcx, PT_TDCX);
	assert_int_equal(a.rdx, t.tdr);
	assert_int_equal(a.r8, 0);
	memset(&a, 0, sizeof(a));
	a.rcx = reg[0];
	assert_int_equal(tdm_sc(&t, 0, TDH_PHYMEM_PAGE_RECLAIM, &a),
			 TDX_LIFECYCLE_STATE_INCORRECT);
	assert_int_equal(a.rcx, PT_REG);
	assert_int_equal(a.rdx, t.tdr);
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	/* A TD page is not NDA: no WBINVD. */
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_WBINVD, reg[0]),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_WBINVD,
			     platform_pa_with_keyid(t.hm.p, t.tdcx[1], t.hkid)),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));

	/* VPFLUSHDONE with vCPUs still associated (LPs 1 and 2). */
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_FLUSHVP_NOT_DONE);
	assert_int_equal(vp_flush(&t, 1, t.tdvpr[v]), TDX_SUCCESS);
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_FLUSHVP_NOT_DONE);
	assert_int_equal(vp_flush(&t, 2, t.tdvpr[v + 1]), TDX_SUCCESS);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_KOT_LOCK, 1), 0);
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT));
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_ASSIGNED);
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdcx[0]),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_FLUSHED);
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	/* BLOCKED: the TD-scope leaves see no keys. */
	page = tdm_page(&t);
	assert_int_equal(sept_add(&t, (GPA0 + (2ULL << 20)) | 1, t.tdr, page, NULL),
			 TDX_TD_KEYS_NOT_CONFIGURED);
	assert_int_equal(pt_of(&t, page), PT_NDA);
	assert_int_equal(page_alloc_free(t.hm.h->pages, page, 4096), 0);

	/* FREEID before CACHE.WB on every package. */
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_WBCACHE_NOT_COMPLETE);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_RESUME_CMD),
			 TDX_WBCACHE_RESUME_ERROR);
	/* Package 0, interrupted twice and resumed. */
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_INTERRUPT, 2), 0);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD),
			 TDX_INTERRUPTED_RESUMABLE);
	/* The saved point is package 0's: package 1 has none. */
	assert_int_equal(cache_wb(&t, 1, TDH_PHYMEM_CACHEWB_RESUME_CMD),
			 TDX_WBCACHE_RESUME_ERROR);
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_WBCACHE_NOT_COMPLETE);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_RESUME_CMD),
			 TDX_INTERRUPTED_RESUMABLE);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_RESUME_CMD), TDX_SUCCESS);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_RESUME_CMD),
			 TDX_WBCACHE_RESUME_ERROR);
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_WBCACHE_NOT_COMPLETE);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_WBT_LOCK, 1), 0);
	assert_int_equal(cache_wb(&t, 1, TDH_PHYMEM_CACHEWB_START_CMD),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_WBCACHE));
	assert_int_equal(cache_wb(&t, 1, TDH_PHYMEM_CACHEWB_START_CMD), TDX_SUCCESS);
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_KOT_LOCK, 1), 0);
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT));
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_FREE);
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	/* The HKID is still FLUSHED nowhere: nothing to write back. */
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD),
			 TDX_NO_HKID_READY_TO_WBCACHE);

	/* TEARDOWN: reclaim. The TDR goes last. */
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM, t.tdr), TDX_TD_ASSOCIATED_PAGES_EXIST);
	page = tdm_page(&t);
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM, page),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM, page + 0x10),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM, pa_outside_tdmrs(&t)),
			 OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RCX));
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM,
			     platform_pa_with_keyid(t.hm.p, reg[0], t.hkid)),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* A free page can be WBINVDed, with or without the old KeyID. */
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_WBINVD, page), TDX_SUCCESS);
	assert_int_equal(page_alloc_free(t.hm.h->pages, page, 4096), 0);
	memset(&a, 0, sizeof(a));
	a.rcx = reg[0];
	assert_int_equal(tdm_sc(&t, 0, TDH_PHYMEM_PAGE_RECLAIM, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, PT_REG);
	assert_int_equal(a.rdx, t.tdr);
	assert_int_equal(a.r8, 0);
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_WBINVD,
			     platform_pa_with_keyid(t.hm.p, reg[0], t.hkid)), TDX_SUCCESS);
	assert_int_equal(page_alloc_free(t.hm.h->pages, reg[0], 4096), 0);
	assert_int_equal(pt_of(&t, reg[0]), PT_NDA);
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM, reg[0]),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(tdm_reclaim(&t, reg[1]), TDX_SUCCESS);
	nctl = tdm_control_pages(&t, ctl, 64);
	for (unsigned i = 0; i < nctl; i++) {
		assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM, t.tdr),
				 TDX_TD_ASSOCIATED_PAGES_EXIST);
		assert_int_equal(tdm_reclaim(&t, ctl[i]), TDX_SUCCESS);
		assert_int_equal(pt_of(&t, ctl[i]), PT_NDA);
	}
	memset(&a, 0, sizeof(a));
	a.rcx = t.tdr;
	assert_int_equal(tdm_sc(&t, 0, TDH_PHYMEM_PAGE_RECLAIM, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, PT_TDR);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(page_alloc_free(t.hm.h->pages, t.tdr, 4096), 0);
	for (unsigned i = 0; i < nctl; i++)
		assert_int_equal(pt_of(&t, ctl[i]), PT_NDA);
	assert_int_equal(pt_of(&t, reg[1]), PT_NDA);
	assert_int_equal(pt_of(&t, t.tdr), PT_NDA);
	assert_int_equal(page_alloc_free_bytes(t.hm.h->pages), free0);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_FREE);
	tdx_inspect_check_all(t.hm.p);
	/* The HKID can be used again. */
	assert_int_equal(mng_create(&t, t.tdr, t.hkid), TDX_SUCCESS);
	tdm_free(&t);
}

static void teardown_helper_returns_everything(void **state)
{
	struct tdm t;
	uint64_t free0, reg[3];

	(void)state;
	tdm_boot(&t);
	free0 = page_alloc_free_bytes(t.hm.h->pages);
	tdm_td_init(&t);
	tdm_vcpu(&t, 0);
	tdm_vcpu(&t, lp_of_pkg(&t, 1));
	for (unsigned i = 0; i < 3; i++) {
		uint64_t gpa = GPA0 + i * (1ULL << 21);

		tdm_sept_path(&t, gpa, 1);
		assert_int_equal(tdm_page_add(&t, gpa, (uint8_t)i, &reg[i]), TDX_SUCCESS);
	}
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_SUCCESS);
	tdm_teardown(&t, reg, 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(pt_of(&t, reg[i]), PT_NDA);
	assert_int_equal(pt_of(&t, t.tdr), PT_NDA);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_FREE);
	assert_int_equal(page_alloc_free_bytes(t.hm.h->pages), free0);
	tdx_inspect_check_all(t.hm.p);
	tdm_free(&t);
}

/* A TD torn down right after MNG.CREATE + KEY.CONFIG (no TDCS). */
static void teardown_without_tdcs(void **state)
{
	struct tdm t;
	uint64_t free0;

	(void)state;
	tdm_boot(&t);
	free0 = page_alloc_free_bytes(t.hm.h->pages);
	create_only(&t);
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr), TDX_SUCCESS);
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_WBCACHE_NOT_COMPLETE);
	assert_int_equal(cache_wb(&t, 0, TDH_PHYMEM_CACHEWB_START_CMD), TDX_SUCCESS);
	assert_int_equal(cache_wb(&t, 1, TDH_PHYMEM_CACHEWB_START_CMD), TDX_SUCCESS);
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_SUCCESS);
	assert_int_equal(tdm_reclaim(&t, t.tdr), TDX_SUCCESS);
	assert_int_equal(page_alloc_free_bytes(t.hm.h->pages), free0);
	tdm_free(&t);
}

/* ---- 11. Isolation: pages a PAGE.ADD target may not be ----------------- */

/* Every PAMT byte range of the host's plan: [base, base + size). */
static unsigned pamt_ranges(struct tdm *t, uint64_t (*r)[2], unsigned max)
{
	const struct tdmr_plan *plan = t->hm.h->plan;
	unsigned n = 0;

	for (unsigned i = 0; i < plan->n_tdmrs; i++) {
		const struct tdmr_info_entry *e = &plan->tdmr[i].info;
		const uint64_t b[3][2] = { { e->pamt_4k_base, e->pamt_4k_size },
					   { e->pamt_2m_base, e->pamt_2m_size },
					   { e->pamt_1g_base, e->pamt_1g_size } };

		for (unsigned k = 0; k < 3 && n < max; k++) {
			if (!b[k][1])
				continue;
			r[n][0] = b[k][0];
			r[n][1] = b[k][1];
			n++;
		}
	}
	return n;
}

static void isolation_page_add_targets(void **state)
{
	struct tdm a, *t = &a;
	struct tdm b;
	uint64_t reg_b, gpa = GPA0, pamt[3 * HOST_MAX_TDMRS][2];
	unsigned npamt;
	const uint64_t meta_r8 = OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8);

	(void)state;
	tdm_boot(t);
	tdm_td_init(t);
	tdm_vcpu(t, 0);
	tdm_sept_path(t, gpa, 1);
	/* TD B on the same machine and shared page (b is a copy of a with
	 * its own TD fields; only a is freed at the end). */
	b = a;
	b.n_tdcx = b.n_vcpus = b.n_sept = 0;
	tdm_td_init(&b);
	tdm_vcpu(&b, 1);
	tdm_sept_path(&b, gpa, 1);
	assert_int_equal(tdm_page_add(&b, gpa, 0x99, &reg_b), TDX_SUCCESS);
	assert_int_not_equal(b.hkid, a.hkid);

	{
		const uint64_t foreign[] = { reg_b, b.tdr, b.tdcx[0], b.tdcx[3], b.tdvpr[0],
					     b.tdvpx[0][0], b.sept[0] };

		for (unsigned i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
			uint64_t pt = pt_of(t, foreign[i]);

			assert_int_equal(page_add(t, gpa, t->tdr, foreign[i], t->shared, NULL),
					 meta_r8);
			assert_int_equal(pt_of(t, foreign[i]), pt);
			assert_int_equal(pamt_entry_owner_pa(tdx_inspect_pamt_word(t->hm.p, 0,
										foreign[i])),
					 foreign[i] == b.tdr ? 0 : b.tdr);
			/* Nor as a SEPT page or a control page of TD A. */
			assert_int_equal(sept_add(t, (GPA0 + (1ULL << 21)) | 1, t->tdr,
						  foreign[i], NULL),
					 meta_r8);
			assert_int_equal(vp_create(t, 0, foreign[i], t->tdr),
					 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
			assert_int_equal(mng_create(t, foreign[i], free_hkid(t)),
					 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
		}
	}
	/* TD A's own pages. */
	assert_int_equal(page_add(t, gpa, t->tdr, t->tdcx[4], t->shared, NULL), meta_r8);
	assert_int_equal(page_add(t, gpa, t->tdr, t->sept[0], t->shared, NULL), meta_r8);
	assert_int_equal(page_add(t, gpa, t->tdr, t->tdvpr[0], t->shared, NULL), meta_r8);
	/* Its own TDR is held by the leaf itself. */
	assert_int_equal(page_add(t, gpa, t->tdr, t->tdr, t->shared, NULL),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_R8));
	/* PAMT pages: inside a TDMR, reserved (PT_RSVD). */
	npamt = pamt_ranges(t, pamt, 3 * HOST_MAX_TDMRS);
	assert_true(npamt > 0);
	for (unsigned i = 0; i < npamt; i++) {
		const uint64_t pas[] = { pamt[i][0], pamt[i][0] + ((pamt[i][1] / 2) & ~0xFFFULL),
					 pamt[i][0] + pamt[i][1] - 4096 };

		for (unsigned k = 0; k < 3; k++) {
			assert_int_equal(pt_of(t, pas[k]), PT_RSVD);
			assert_int_equal(page_add(t, gpa, t->tdr, pas[k], t->shared, NULL),
					 meta_r8);
			assert_int_equal(sc1(t, TDH_PHYMEM_PAGE_RECLAIM, pas[k]),
					 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
		}
	}
	/* Outside every TDMR. */
	assert_int_equal(page_add(t, gpa, t->tdr, pa_outside_tdmrs(t), t->shared, NULL),
			 OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_R8));
	/* B's TDCX is no TDR for A's leaves either. */
	assert_int_equal(page_add(t, gpa, b.tdcx[0], tdm_page(t), t->shared, NULL),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	/* After all that, the GPA is still free for a good page, and B's
	 * page still holds B's data. */
	assert_int_equal(tdm_page_add(t, gpa, 0x42, NULL), TDX_SUCCESS);
	{
		uint8_t buf[64];

		assert_int_equal(platform_mem_read(t->hm.p,
						   platform_pa_with_keyid(t->hm.p, reg_b, b.hkid),
						   buf, sizeof(buf)), TDXSIM_MEM_OK);
		for (unsigned i = 0; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 0x99);
	}
	tdx_inspect_check_all(t->hm.p);
	tdm_free(t);
}

/* ---- Check order across leaves, and L2 page counts --------------------- */

static void order_extras(void **state)
{
	struct tdm t;
	struct td_params p;
	struct tdx_module_args a;
	uint64_t page;

	(void)state;
	tdm_boot(&t);
	/* §4.4 step 1: an HPA at or above 2^52. */
	assert_int_equal(mng_create(&t, tdm_page(&t) | (1ULL << 52), free_hkid(&t)),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	create_only(&t);
	/* MNG.INIT before the keys are configured (gate step 2). */
	tdm_default_params(&p);
	init_fails(&t, &p, TDX_TD_KEYS_NOT_CONFIGURED, 0);
	/* KEY.FREEID checks the lifecycle before taking the KOT. */
	assert_int_equal(tdxsim_inject(t.hm.p, TDXSIM_INJECT_KOT_LOCK, 1), 0);
	assert_int_equal(sc1(&t, TDH_MNG_KEY_FREEID, t.tdr), TDX_LIFECYCLE_STATE_INCORRECT);
	/* ... which is still armed for VPFLUSHDONE, which takes the KOT
	 * before it looks at the lifecycle. */
	assert_int_equal(sc1(&t, TDH_MNG_VPFLUSHDONE, t.tdr),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT));
	assert_int_equal(key_config(&t, 0, t.tdr), TDX_SUCCESS);
	assert_int_equal(key_config(&t, 1, t.tdr), TDX_SUCCESS);
	for (unsigned i = 0; i < TDX_MIN_NUM_TDCS_PAGES + 1; i++)
		assert_int_equal(addcx_new(&t), TDX_SUCCESS);
	/* One L2 VM: 7 TDCS pages are enough. */
	p.num_l2_vms = 1;
	assert_int_equal(tdm_mng_init(&t, &p, NULL), TDX_SUCCESS);
	/* The op state is checked before the TD_PARAMS address. */
	memset(&a, 0, sizeof(a));
	a.rcx = t.tdr;
	a.rdx = t.shared + 8;
	assert_int_equal(tdm_sc(&t, 0, TDH_MNG_INIT, &a), TDX_OP_STATE_INCORRECT);
	/* ADDCX after INIT: the new page is checked before the op state. */
	assert_int_equal(addcx(&t, t.tdcx[0], t.tdr),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RCX));
	/* With one L2 VM a vCPU needs 6 + 3 TDVPS pages. */
	page = new_tdvpr(&t);
	for (unsigned i = 0; i + 1 < TDX_MIN_TDVPS_PAGES; i++)
		assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), page), TDX_SUCCESS);
	for (unsigned i = 0; i < TDX_TDVPS_PAGES_PER_L2_VM; i++) {
		assert_int_equal(vp_init(&t, 0, page, 0), TDX_TDCX_NUM_INCORRECT);
		assert_int_equal(vp_flush(&t, 0, page), TDX_TDCX_NUM_INCORRECT);
		assert_int_equal(vp_addcx(&t, 0, tdm_page(&t), page), TDX_SUCCESS);
	}
	assert_int_equal(vp_flush(&t, 0, page), TDX_VCPU_NOT_ASSOCIATED);
	assert_int_equal(vp_init(&t, 0, page, 0), TDX_SUCCESS);
	/* SEPT.ADD version 0: R8 = NULL_PA is refused before the existing
	 * entry is (process_l1_page), with no S-EPT details. */
	assert_int_equal(sept_add(&t, 3, t.tdr, tdm_page(&t), NULL), TDX_SUCCESS);
	assert_int_equal(sept_add(&t, 3, t.tdr, TDX_NULL_PA, &a),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	/* VP.INIT after MR.FINALIZE. */
	assert_int_equal(sc1(&t, TDH_MR_FINALIZE, t.tdr), TDX_SUCCESS);
	assert_int_equal(vp_init(&t, 0, page, 0), TDX_OP_STATE_INCORRECT);
	/* RECLAIM reports the page before the lifecycle check, R9-R11 0. */
	memset(&a, 0, sizeof(a));
	a.rcx = page;
	a.r9 = a.r10 = a.r11 = 0x5555;
	assert_int_equal(tdm_sc(&t, 0, TDH_PHYMEM_PAGE_RECLAIM, &a),
			 TDX_LIFECYCLE_STATE_INCORRECT);
	assert_int_equal(a.rcx, PT_TDVPR);
	assert_int_equal(a.rdx, t.tdr);
	assert_int_equal(a.r8, 0);
	assert_int_equal(a.r9, 0);
	assert_int_equal(a.r10, 0);
	assert_int_equal(a.r11, 0);
	tdm_free(&t);
}

/* ---- A busy page operand leaves the PAMT as it was ---------------------- */

/* The 1G and 2M PAMT words above pa. */
static void upper_words(struct tdm *t, uint64_t pa, uint64_t w[2])
{
	w[0] = tdx_inspect_pamt_word(t->hm.p, TDX_PS_2M, pa & ~((1ULL << 21) - 1));
	w[1] = tdx_inspect_pamt_word(t->hm.p, TDX_PS_1G, pa & ~((1ULL << 30) - 1));
}

static void busy_page_keeps_pamt(void **state)
{
	struct tdm t;
	uint64_t page, before[2], after[2];

	(void)state;
	tdm_boot(&t);
	tdm_create(&t);
	page = tdm_page(&t);
	upper_words(&t, page, before);
	/* The 4K entry is held by another LP: the leaf walk has taken the
	 * 1G and 2M entries shared and must drop them as such. */
	tdm_pamt_hold(&t, TDX_PS_4K, page);
	assert_int_equal(addcx(&t, page, t.tdr), OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	assert_int_equal(sc1(&t, TDH_PHYMEM_PAGE_RECLAIM, page),
			 OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	tdm_pamt_release(&t, TDX_PS_4K, page);
	upper_words(&t, page, after);
	assert_int_equal(after[0], before[0]);
	assert_int_equal(after[1], before[1]);
	/* The same with the leaf's own TDR as the page: it is held by the
	 * leaf itself. */
	upper_words(&t, t.tdr, before);
	assert_int_equal(addcx(&t, t.tdr, t.tdr), OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	upper_words(&t, t.tdr, after);
	assert_int_equal(after[0], before[0]);
	assert_int_equal(after[1], before[1]);
	/* And the pages around are still usable. */
	assert_int_equal(addcx(&t, page, t.tdr), TDX_SUCCESS);
	tdx_inspect_check_all(t.hm.p);
	tdm_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_bad_hkid),
		cmocka_unit_test(create_bad_page),
		cmocka_unit_test(create_kot_busy_and_hkid_in_use),
		cmocka_unit_test(create_no_entropy),
		cmocka_unit_test(key_config_errors),
		cmocka_unit_test(key_config_after_vpflushdone),
		cmocka_unit_test(addcx_before_keys),
		cmocka_unit_test(addcx_page_count),
		cmocka_unit_test(addcx_after_init),
		cmocka_unit_test(addcx_bad_operands),
		cmocka_unit_test(addcx_no_entropy_on_6th),
		cmocka_unit_test(init_bad_attributes_xfam),
		cmocka_unit_test(init_bad_counts_flags_eptp_tsc),
		cmocka_unit_test(init_bad_reserved_cpuid_archcap),
		cmocka_unit_test(init_intel_checks),
		cmocka_unit_test(init_pml5_needs_ept_cap),
		cmocka_unit_test(init_bad_params_pa_and_state),
		cmocka_unit_test(vp_page_counts_and_states),
		cmocka_unit_test(vp_bad_operands),
		cmocka_unit_test(vp_max_vcpus),
		cmocka_unit_test(vp_flush_association),
		cmocka_unit_test(sept_add_bad_inputs),
		cmocka_unit_test(sept_add_walk_and_existing),
		cmocka_unit_test(sept_add_busy_and_state),
		cmocka_unit_test(page_add_errors),
		cmocka_unit_test(page_add_contents),
		cmocka_unit_test(mr_extend_errors),
		cmocka_unit_test(mr_finalize_before_init),
		cmocka_unit_test(mrtd_known_answer),
		cmocka_unit_test(mrtd_empty_td),
		cmocka_unit_test(cache_wb_errors),
		cmocka_unit_test(cache_wb_start_drops_saved_point),
		cmocka_unit_test(teardown_order),
		cmocka_unit_test(teardown_helper_returns_everything),
		cmocka_unit_test(teardown_without_tdcs),
		cmocka_unit_test(isolation_page_add_targets),
		cmocka_unit_test(order_extras),
		cmocka_unit_test(busy_page_keeps_pamt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
