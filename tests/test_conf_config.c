/* SPDX-License-Identifier: MIT */
/* TDH.SYS.CONFIG conformance (abi §3.3, §4.1, §4.2): operand checks,
 * per-entry validation order, error detail bytes and state effects. */
#include <string.h>

#include "helpers/machine.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define KiB (1ULL << 10)
#define ENTRY_PA(i) (TEST_ARRAY_PA + 0x1000 + 512ULL * (i))
#define ST(code, b0, b1, b2) tdx_status_with_info(code, b0, b1, b2, 0)
#define OPINV(op) tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_##op)
#define L4K 0
#define L2M 1
#define L1G 2

static struct tdmr_plan B;
static struct tdmr_info_entry E[8];
static unsigned N;

/* Baseline: a valid planned TDMR list copied to E[]. */
static struct platform *setup(struct tdxsim_platform_config *c)
{
	struct platform *p = machine_new(c);

	sys_init_all(p);
	plan_and_write(p, &B, TEST_ARRAY_PA);
	N = B.n_tdmrs;
	for (unsigned i = 0; i < N; i++)
		E[i] = B.tdmr[i].info;
	return p;
}

/* One TDMR [0, 4G): rsvd [0,1M) and the PAMTs at the top; CMR [1M, 4G). */
static struct platform *one(void)
{
	struct tdxsim_platform_config c;

	small_config(&c, 1, 2, 4, TDXSIM_PROFILE_1_5);
	return setup(&c);
}

/* RAM [1M, 2G) and [4G, 6G): TDMR [0,2G) and [4G,6G), PAMTs in TDMR 1's
 * reserved areas. */
static struct platform *two(void)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	small_config(&c, 1, 2, 2, TDXSIM_PROFILE_1_5);
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ 4 * GiB, 2 * GiB, TDXSIM_MEM_RAM, 0 };
	p = setup(&c);
	assert_int_equal(N, 2);
	assert_int_equal(E[1].tdmr_base, 4 * GiB);
	return p;
}

/* One TDMR [0,4G) with explicit CMRs [1M, mid) and [mid + gap, 4G). */
static struct platform *one_cmrs(uint64_t mid, uint64_t gap)
{
	struct tdxsim_platform_config c;

	small_config(&c, 1, 2, 4, TDXSIM_PROFILE_1_5);
	c.cmrs_explicit = true;
	c.n_cmrs = 2;
	c.cmrs[0] = (struct tdxsim_cmr){ MiB, mid - MiB };
	c.cmrs[1] = (struct tdxsim_cmr){ mid + gap, 4 * GiB - mid - gap };
	return setup(&c);
}

static uint64_t call(struct platform *p, uint64_t rcx, uint64_t rdx, uint64_t r8)
{
	struct tdx_module_args a;

	memset(&a, 0, sizeof(a));
	a.rcx = rcx;
	a.rdx = rdx;
	a.r8 = r8;
	return sc_on(p, 0, TDH_SYS_CONFIG, &a);
}

static void write_entries(struct platform *p)
{
	for (unsigned i = 0; i < N; i++) {
		uint64_t pa = ENTRY_PA(i);

		assert_int_equal(platform_mem_write(p, pa, &E[i], sizeof(E[i])), TDXSIM_MEM_OK);
		assert_int_equal(platform_mem_write(p, TEST_ARRAY_PA + 8 * i, &pa, 8), TDXSIM_MEM_OK);
	}
}

static void set_ptr(struct platform *p, unsigned i, uint64_t pa)
{
	assert_int_equal(platform_mem_write(p, TEST_ARRAY_PA + 8 * i, &pa, 8), TDXSIM_MEM_OK);
}

static uint64_t run(struct platform *p)
{
	write_entries(p);
	return call(p, TEST_ARRAY_PA, N, platform_first_private_keyid(p));
}

static void expect(struct platform *p, uint64_t st)
{
	assert_int_equal(run(p), st);
	if (st != TDX_SUCCESS)
		assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_DONE);
	platform_destroy(p);
}

static uint64_t hkid_pa(struct platform *p, uint64_t pa, unsigned keyid)
{
	return pa | ((uint64_t)keyid << platform_keyid_shift(p));
}

/* ---- success and state ---- */

static void test_success_one(void **s)
{
	struct platform *p = one();
	unsigned hkid = platform_first_private_keyid(p);

	assert_int_equal(run(p), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYSCONFIG_DONE);
	assert_int_equal(tdx_inspect_kot_state(p, hkid), KOT_STATE_HKID_RESERVED);
	assert_int_equal(tdx_inspect_global_hkid(p), hkid);
	assert_int_equal(tdx_inspect_num_tdmrs(p), 1);
	assert_int_equal(tdx_inspect_tdmr_last_initialized(p, 0), 0);
	/* A second call */
	assert_int_equal(run(p), TDX_SYS_CONFIG_NOT_PENDING);
	platform_destroy(p);
}

static void test_success_two(void **s)
{
	struct platform *p = two();

	assert_int_equal(run(p), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_num_tdmrs(p), 2);
	assert_int_equal(tdx_inspect_tdmr_last_initialized(p, 1), 4 * GiB);
	platform_destroy(p);
}

static void test_success_max_hkid(void **s)
{
	struct platform *p = one();
	const struct tdxsim_platform_config *c = platform_config(p);
	unsigned max = c->mktme_keyids + c->tdx_keyids;

	write_entries(p);
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, max), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_kot_state(p, max), KOT_STATE_HKID_RESERVED);
	assert_int_equal(tdx_inspect_global_hkid(p), max);
	platform_destroy(p);
}

static void test_not_pending_before_sys_init(void **s)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	small_config(&c, 1, 2, 4, TDXSIM_PROFILE_1_5);
	p = machine_new(&c);
	vmxon_all(p);
	plan_and_write(p, &B, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, &B), TDX_SYS_CONFIG_NOT_PENDING);
	platform_destroy(p);
}

static struct platform *partial_lp_init(enum tdxsim_profile prof)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	small_config(&c, 1, 2, 4, prof);
	p = machine_new(&c);
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SUCCESS);
	plan_and_write(p, &B, TEST_ARRAY_PA);
	return p;
}

static void test_strict_needs_all_lps(void **s)
{
	struct platform *p = partial_lp_init(TDXSIM_PROFILE_1_5_01);

	assert_int_equal(do_config(p, &B), TDX_SYS_CONFIG_NOT_PENDING);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_DONE);
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_INIT), TDX_SUCCESS);
	assert_int_equal(do_config(p, &B), TDX_SUCCESS);
	platform_destroy(p);
}

static void test_current_allows_late_lp(void **s)
{
	struct platform *p = partial_lp_init(TDXSIM_PROFILE_1_5);

	assert_int_equal(do_config(p, &B), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYSCONFIG_DONE);
	platform_destroy(p);
}

static void test_global_lock_busy(void **s)
{
	struct platform *p = one();

	write_entries(p);
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_GLOBAL_LOCK, 1), 0);
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, platform_first_private_keyid(p)), TDX_SYS_BUSY);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_DONE);
	assert_int_equal(tdx_inspect_kot_state(p, platform_first_private_keyid(p)),
			 KOT_STATE_HKID_FREE);
	assert_int_equal(run(p), TDX_SUCCESS);
	platform_destroy(p);
}

/* ---- operands ---- */

static void test_rcx(void **s)
{
	struct platform *p = one();
	unsigned hkid = platform_first_private_keyid(p);
	uint64_t seamrr = tdxsim_seamrr_base(platform_config(p));

	write_entries(p);
	assert_int_equal(call(p, TEST_ARRAY_PA + 8, 1, hkid), OPINV(RCX));
	assert_int_equal(call(p, TEST_ARRAY_PA + 256, 1, hkid), OPINV(RCX));
	assert_int_equal(call(p, 1ULL << 52, 1, hkid), OPINV(RCX));
	assert_int_equal(call(p, seamrr, 1, hkid), OPINV(RCX));             /* SEAMRR */
	assert_int_equal(call(p, seamrr + TDXSIM_SEAMRR_SIZE - 0x200, 1, hkid), OPINV(RCX));
	assert_int_equal(call(p, hkid_pa(p, TEST_ARRAY_PA, hkid), 1, hkid), OPINV(RCX));
	/* None of this reserved the HKID */
	assert_int_equal(tdx_inspect_kot_state(p, hkid), KOT_STATE_HKID_FREE);
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid), TDX_SUCCESS);
	platform_destroy(p);
}

static void test_rdx(void **s)
{
	struct platform *p = one();
	unsigned hkid = platform_first_private_keyid(p);

	write_entries(p);
	assert_int_equal(call(p, TEST_ARRAY_PA, 0, hkid), OPINV(RDX));
	assert_int_equal(call(p, TEST_ARRAY_PA, 65, hkid), OPINV(RDX));
	assert_int_equal(call(p, TEST_ARRAY_PA, 1ULL << 32, hkid), OPINV(RDX));
	/* 64 is accepted as a count: entry 1 (PA 0, zeroed) then fails ordering */
	for (unsigned i = 1; i < 64; i++)
		set_ptr(p, i, ENTRY_PA(0));
	assert_int_equal(call(p, TEST_ARRAY_PA, 64, hkid), ST(TDX_NON_ORDERED_TDMR, 1, 0, 0));
	platform_destroy(p);
}

static void test_r8(void **s)
{
	struct platform *p = one();
	const struct tdxsim_platform_config *c = platform_config(p);
	unsigned hkid = platform_first_private_keyid(p);
	unsigned max = c->mktme_keyids + c->tdx_keyids;

	write_entries(p);
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid | (1ULL << 16)), OPINV(R8));
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid | (1ULL << 63)), OPINV(R8));
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid - 1), OPINV(R8));
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, 0), OPINV(R8));
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, max + 1), OPINV(R8));
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, 0xFFFF), OPINV(R8));
	assert_int_equal(tdx_inspect_kot_state(p, hkid), KOT_STATE_HKID_FREE);
	platform_destroy(p);
}

static void test_operand_order(void **s)
{
	struct platform *p = one();
	unsigned hkid = platform_first_private_keyid(p);

	write_entries(p);
	assert_int_equal(call(p, TEST_ARRAY_PA + 8, 0, 0), OPINV(RCX));
	assert_int_equal(call(p, TEST_ARRAY_PA + 8, 65, hkid), OPINV(RCX));
	assert_int_equal(call(p, TEST_ARRAY_PA, 0, 0), OPINV(RDX));
	assert_int_equal(call(p, TEST_ARRAY_PA, 65, 1ULL << 20), OPINV(RDX));
	platform_destroy(p);
}

static void test_not_pending_beats_operands(void **s)
{
	struct platform *p = one();

	assert_int_equal(run(p), TDX_SUCCESS);
	assert_int_equal(call(p, TEST_ARRAY_PA + 8, 0, 0), TDX_SYS_CONFIG_NOT_PENDING);
	platform_destroy(p);
}

static void test_entry_pa(void **s)
{
	struct platform *p = one();
	unsigned hkid = platform_first_private_keyid(p);

	write_entries(p);
	/* the entry copy at +512 is valid so only the pointer is at fault */
	assert_int_equal(platform_mem_write(p, ENTRY_PA(1), &E[0], sizeof(E[0])), TDXSIM_MEM_OK);
	set_ptr(p, 0, ENTRY_PA(0) + 8);
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid), OPINV(RCX));
	set_ptr(p, 0, ENTRY_PA(0) + 256);
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid), OPINV(RCX));
	set_ptr(p, 0, 1ULL << 52);
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid), OPINV(RCX));
	set_ptr(p, 0, tdxsim_seamrr_base(platform_config(p)));     /* SEAMRR */
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid), OPINV(RCX));
	set_ptr(p, 0, hkid_pa(p, ENTRY_PA(0), hkid));
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid), OPINV(RCX));
	/* The global HKID was reserved before the entries were looked at */
	assert_int_equal(tdx_inspect_kot_state(p, hkid), KOT_STATE_HKID_RESERVED);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_DONE);
	set_ptr(p, 0, ENTRY_PA(1));        /* any 512-aligned copy is fine */
	assert_int_equal(call(p, TEST_ARRAY_PA, 1, hkid), TDX_SUCCESS);
	platform_destroy(p);
}

static void test_kot_reserved_on_failure(void **s)
{
	struct platform *p = one();
	unsigned hkid = platform_first_private_keyid(p);

	E[0].tdmr_size = 0;
	assert_int_equal(run(p), ST(TDX_INVALID_TDMR, 0, 0, 0));
	assert_int_equal(tdx_inspect_kot_state(p, hkid), KOT_STATE_HKID_RESERVED);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_DONE);
	E[0] = B.tdmr[0].info;
	assert_int_equal(run(p), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYSCONFIG_DONE);
	platform_destroy(p);
}

/* ---- TDMR range ---- */

static void test_tdmr_overflow(void **s)
{
	struct platform *p = one();

	E[0].tdmr_base = 0xFFFFFFFFC0000000ULL;
	E[0].tdmr_size = 2 * GiB;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
}

static void test_tdmr_overflow_beats_order(void **s)
{
	struct platform *p = two();

	E[1].tdmr_base = GiB;                   /* below TDMR 0's end */
	E[1].tdmr_size = 0xFFFFFFFFC0000000ULL; /* and overflows */
	expect(p, ST(TDX_INVALID_TDMR, 1, 0, 0));
}

static void test_tdmr_non_ordered(void **s)
{
	struct platform *p = two();

	E[1].tdmr_base = 0;
	expect(p, ST(TDX_NON_ORDERED_TDMR, 1, 0, 0));
	p = two();
	E[1].tdmr_base = GiB;                   /* overlaps [0, 2G) */
	expect(p, ST(TDX_NON_ORDERED_TDMR, 1, 0, 0));
	p = two();
	E[1].tdmr_base = 2 * GiB - 4096;        /* also misaligned: ordering first */
	expect(p, ST(TDX_NON_ORDERED_TDMR, 1, 0, 0));
}

static void test_tdmr_adjacent_ok_order(void **s)
{
	/* TDMR 1 starting exactly at TDMR 0's end is ordered; it then fails
	 * later (its available part is outside the CMRs) */
	struct platform *p = two();

	E[1].tdmr_base = 2 * GiB;
	E[1].tdmr_size = 2 * GiB;
	memset(E[1].rsvd_areas, 0, sizeof(E[1].rsvd_areas));
	E[1].rsvd_areas[0] = E[0].rsvd_areas[0];  /* nothing in 2..4G is CMR */
	expect(p, ST(TDX_TDMR_OUTSIDE_CMRS, 1, 0, 0));
}

static void test_tdmr_alignment(void **s)
{
	struct platform *p = one();

	E[0].tdmr_size = 4 * GiB - 4096;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
	p = one();
	E[0].tdmr_size = 3 * GiB + 512 * MiB;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
	p = one();
	E[0].tdmr_base = 2 * MiB;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
	p = one();
	E[0].tdmr_size = 0;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
}

static void test_tdmr_max_pa_and_hkid(void **s)
{
	struct platform *p = one();

	E[0].tdmr_base = (1ULL << 52) - GiB;   /* last byte beyond 2^52 */
	E[0].tdmr_size = 2 * GiB;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
	p = one();
	E[0].tdmr_base = 1ULL << 52;
	E[0].tdmr_size = GiB;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
	p = one();
	E[0].tdmr_base = hkid_pa(p, 0, 1);     /* HKID bits in base */
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
	p = one();
	E[0].tdmr_base = hkid_pa(p, 0, 1) - GiB; /* last byte has HKID bits */
	E[0].tdmr_size = 2 * GiB;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
}

static void test_tdmr_beats_reserved(void **s)
{
	struct platform *p = one();

	E[0].tdmr_size = 4 * GiB - 4096;
	E[0].rsvd_areas[0].size = 0x800;
	expect(p, ST(TDX_INVALID_TDMR, 0, 0, 0));
}

/* ---- reserved areas ---- */

static void test_rsvd_null_then_entry(void **s)
{
	struct platform *p = one();

	/* r0 null, r1 valid: a null entry may only be followed by nulls.
	 * The null entry (j = 0) is the one reported (intel tdx-module
	 * check_tdmr_reserved_areas). */
	E[0].rsvd_areas[0].size = 0;
	expect(p, ST(TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 0, 0));
}

static void test_rsvd_null_then_entry_later(void **s)
{
	struct platform *p = one();

	/* r0, r1 valid; r2 null; r3 valid -> the null entry j = 2 */
	E[0].rsvd_areas[3] = (struct tdmr_reserved_area){ 0x100000000ULL, 0x1000 };
	expect(p, ST(TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 2, 0));
}

static void test_rsvd_two_nulls_then_entry(void **s)
{
	struct platform *p = one();

	/* r0 valid; r1, r2 null; r3 valid -> the null entry right before
	 * the used one, j = 2, not the first null (check_tdmr_reserved_areas
	 * looks one entry ahead). */
	E[0].rsvd_areas[1].size = 0;
	E[0].rsvd_areas[3] = (struct tdmr_reserved_area){ 0x100000000ULL, 0x1000 };
	expect(p, ST(TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 2, 0));
}

static void test_rsvd_trailing_nulls_ok(void **s)
{
	struct platform *p = one();

	assert_int_equal(E[0].rsvd_areas[15].size, 0);
	expect(p, TDX_SUCCESS);
}

static void test_rsvd_overflow(void **s)
{
	struct platform *p = one();

	E[0].rsvd_areas[2] = (struct tdmr_reserved_area){ 0xFFFFFFFFFFFFF000ULL, 0x2000 };
	expect(p, ST(TDX_INVALID_RESERVED_IN_TDMR, 0, 2, 0));
}

static void test_rsvd_order(void **s)
{
	struct platform *p = one();
	struct tdmr_reserved_area t = E[0].rsvd_areas[0];

	E[0].rsvd_areas[0] = E[0].rsvd_areas[1];
	E[0].rsvd_areas[1] = t;
	expect(p, ST(TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 1, 0));
	p = one();
	E[0].rsvd_areas[1].offset = 0x80000;   /* overlaps r0 [0, 1M) */
	expect(p, ST(TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 1, 0));
	p = one();
	E[0].rsvd_areas[1].offset = 0x800;     /* overlap beats misalignment */
	expect(p, ST(TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 1, 0));
}

static void test_rsvd_adjacent_ok(void **s)
{
	struct platform *p = one();

	/* r1 starting exactly at r0's end: not an overlap */
	E[0].rsvd_areas[2] = E[0].rsvd_areas[1];
	E[0].rsvd_areas[1] = (struct tdmr_reserved_area){ MiB, 0x1000 };
	expect(p, TDX_SUCCESS);
}

static void test_rsvd_alignment(void **s)
{
	struct platform *p = one();

	E[0].rsvd_areas[0].size = MiB + 0x800;
	expect(p, ST(TDX_INVALID_RESERVED_IN_TDMR, 0, 0, 0));
	p = one();
	E[0].rsvd_areas[1].offset += 0x10;
	expect(p, ST(TDX_INVALID_RESERVED_IN_TDMR, 0, 1, 0));
}

static void test_rsvd_outside_tdmr(void **s)
{
	struct platform *p = one();

	E[0].rsvd_areas[2] = (struct tdmr_reserved_area){ 4 * GiB, 0x1000 };
	expect(p, ST(TDX_INVALID_RESERVED_IN_TDMR, 0, 2, 0));
	p = one();
	E[0].rsvd_areas[1].size += 0x1000;     /* ends 4K past the TDMR */
	expect(p, ST(TDX_INVALID_RESERVED_IN_TDMR, 0, 1, 0));
}

static void test_rsvd_beats_pamt(void **s)
{
	struct platform *p = one();

	E[0].rsvd_areas[0].size = MiB + 0x800;
	E[0].pamt_1g_size = 0;
	expect(p, ST(TDX_INVALID_RESERVED_IN_TDMR, 0, 0, 0));
}

/* ---- PAMT addresses and sizes ---- */

static void test_pamt_overflow(void **s)
{
	struct platform *p = one();

	E[0].pamt_4k_base = 0xFFFFFFFFFF000000ULL;
	E[0].pamt_4k_size = 0x2000000;
	expect(p, ST(TDX_INVALID_PAMT, 0, L4K, 0));
}

static void test_pamt_alignment(void **s)
{
	struct platform *p = one();

	E[0].pamt_2m_base += 0x800;
	expect(p, ST(TDX_INVALID_PAMT, 0, L2M, 0));
	p = one();
	E[0].pamt_1g_size = 0x1800;
	expect(p, ST(TDX_INVALID_PAMT, 0, L1G, 0));
	p = one();
	E[0].pamt_4k_base += 0x10;
	expect(p, ST(TDX_INVALID_PAMT, 0, L4K, 0));
}

static void test_pamt_zero(void **s)
{
	struct platform *p = one();

	E[0].pamt_4k_size = 0;
	expect(p, ST(TDX_INVALID_PAMT, 0, L4K, 0));
	p = one();
	E[0].pamt_1g_size = 0;
	expect(p, ST(TDX_INVALID_PAMT, 0, L1G, 0));
}

static void test_pamt_max_pa_hkid(void **s)
{
	struct platform *p = one();

	E[0].pamt_1g_base = 1ULL << 52;
	expect(p, ST(TDX_INVALID_PAMT, 0, L1G, 0));
	p = one();
	E[0].pamt_2m_base = (1ULL << 52) - 0x1000;  /* end beyond 2^52 */
	expect(p, ST(TDX_INVALID_PAMT, 0, L2M, 0));
	p = one();
	E[0].pamt_1g_base = hkid_pa(p, E[0].pamt_1g_base, 1);
	expect(p, ST(TDX_INVALID_PAMT, 0, L1G, 0));
	p = one();
	E[0].pamt_4k_base = hkid_pa(p, 0, 1) - 0x1000;  /* end has HKID bits */
	expect(p, ST(TDX_INVALID_PAMT, 0, L4K, 0));
}

static void test_pamt_size(void **s)
{
	struct platform *p = one();

	/* 4 GiB TDMR: 4K needs 16 MiB, 2M needs 32 KiB, 1G needs 64 B */
	assert_int_equal(E[0].pamt_4k_size, 16 * MiB);
	E[0].pamt_4k_size = 16 * MiB - 0x1000;
	expect(p, ST(TDX_INVALID_PAMT, 0, L4K, 0));
	p = one();
	E[0].pamt_2m_size = 32 * KiB - 0x1000;
	expect(p, ST(TDX_INVALID_PAMT, 0, L2M, 0));
	p = one();
	E[0].pamt_2m_size = 32 * KiB;   /* exactly enough */
	E[0].pamt_1g_size = 0x1000;
	expect(p, TDX_SUCCESS);
}

static void test_pamt_level_order(void **s)
{
	struct platform *p = one();

	E[0].pamt_1g_size = 0;
	E[0].pamt_4k_size = 0;
	expect(p, ST(TDX_INVALID_PAMT, 0, L1G, 0));
	p = one();
	E[0].pamt_2m_base += 8;
	E[0].pamt_4k_size = 0;
	expect(p, ST(TDX_INVALID_PAMT, 0, L2M, 0));
	p = one();
	E[0].pamt_1g_base = 1ULL << 52;
	E[0].pamt_2m_size = 0;
	expect(p, ST(TDX_INVALID_PAMT, 0, L1G, 0));
}

/* ---- PAMT overlap ---- */

static void test_pamt_overlap_within(void **s)
{
	/* Intel tdx-module check_all_pamt_overlap reports the lower level:
	 * 4K/2M -> (i, 4K, i), 4K/1G -> (i, 4K, i), 2M/1G -> (i, 2M, i). */
	struct platform *p = one();

	E[0].pamt_1g_base = E[0].pamt_2m_base;          /* 2M vs 1G */
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L2M, 0));
	p = one();
	E[0].pamt_4k_base += 0x1000;                    /* 4K runs into 2M */
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L4K, 0));
	p = one();
	E[0].pamt_1g_base = E[0].pamt_4k_base + MiB;    /* 1G inside 4K */
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L4K, 0));
}

static void test_pamt_overlap_available(void **s)
{
	struct platform *p = one();

	E[0].pamt_4k_base = 256 * MiB;                  /* in available RAM */
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L4K, 0));
	p = one();
	E[0].pamt_1g_base = 256 * MiB;
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L1G, 0));
	p = one();
	E[0].pamt_2m_base = MiB - 0x1000;               /* straddles r0's end */
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L2M, 0));
}

static void test_pamt_overlap_available_level_order(void **s)
{
	/* Intel check_pamt_overlaps_available_areas checks 4K, 2M, 1G */
	struct platform *p = one();

	E[0].pamt_1g_base = 256 * MiB;
	E[0].pamt_4k_base = 512 * MiB;
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L4K, 0));
}

static void test_pamt_within_beats_available(void **s)
{
	struct platform *p = one();

	uint64_t st;

	E[0].pamt_1g_base = 256 * MiB;                  /* in available RAM */
	E[0].pamt_4k_base += 0x1000;                    /* 4K runs into 2M */
	st = run(p);
	/* the within-TDMR overlap wins; its level byte is checked in
	 * test_pamt_overlap_within, here only that it is not the 1G
	 * available-area hit */
	assert_int_equal(st & ~0xFF00ULL, ST(TDX_PAMT_OVERLAP, 0, 0, 0));
	assert_int_not_equal(st, ST(TDX_PAMT_OVERLAP, 0, L1G, 0));
	platform_destroy(p);
}

static void test_pamt_overlap_earlier_tdmr(void **s)
{
	struct platform *p = two();

	E[1].pamt_1g_base = E[0].pamt_4k_base;          /* inside T1's reserved r1 */
	expect(p, ST(TDX_PAMT_OVERLAP, 1, L1G, 0));
	p = two();
	E[1].pamt_2m_base = E[0].pamt_1g_base;
	expect(p, ST(TDX_PAMT_OVERLAP, 1, L2M, 0));
}

static void test_pamt_overlap_earlier_tdmr_level_order(void **s)
{
	/* TDMR 1's 4K and 1G PAMTs both overlap TDMR 0's PAMTs: for each
	 * earlier TDMR, check_all_pamt_overlap tries 4K, 2M, 1G, so 4K is
	 * named. */
	struct platform *p = two();

	E[1].pamt_1g_base = E[0].pamt_4k_base;
	E[1].pamt_4k_base = E[0].pamt_2m_base;
	expect(p, ST(TDX_PAMT_OVERLAP, 1, L4K, 0));
}

static void test_pamt_available_interleaving(void **s)
{
	/* TDMR 1's 2M PAMT in TDMR 0's RAM, and TDMR 0's PAMTs in TDMR 1's
	 * RAM: for TDMR 0, check_pamt_overlaps_available_areas first tries
	 * all three of TDMR 1's PAMTs against it, so (1, 2M, 0) is named
	 * before (0, 4K, 1). */
	struct platform *p = two();

	E[1].pamt_2m_base = 256 * MiB;
	E[1].rsvd_areas[1].size = 0;
	expect(p, ST(TDX_PAMT_OVERLAP, 1, L2M, 0));
}

static void test_pamt_in_earlier_tdmr_available(void **s)
{
	struct platform *p = two();

	E[1].pamt_4k_base = 256 * MiB;                  /* TDMR 0's RAM */
	expect(p, ST(TDX_PAMT_OVERLAP, 1, L4K, 0));
}

static void test_earlier_pamt_in_tdmr_available(void **s)
{
	/* TDMR 0's PAMTs in TDMR 1's available part: reported as (0, lvl, 1) */
	struct platform *p = two();

	E[1].rsvd_areas[1].size -= 0x1000;              /* expose T0's 1G PAMT only */
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L1G, 1));
	/* all three exposed: Intel's check_pamt_overlaps_available_areas
	 * goes 4K, 2M, 1G */
	p = two();
	E[1].rsvd_areas[1].size = 0;
	expect(p, ST(TDX_PAMT_OVERLAP, 0, L4K, 1));
}

static void test_pamt_in_reserved_ok(void **s)
{
	struct platform *p = one();

	/* 4K PAMT moved to [1G, 1G+16M) with a reserved area around it */
	E[0].pamt_4k_base = GiB;
	E[0].rsvd_areas[2] = E[0].rsvd_areas[1];
	E[0].rsvd_areas[1] = (struct tdmr_reserved_area){ GiB, 16 * MiB };
	expect(p, TDX_SUCCESS);
}

/* ---- CMRs ---- */

static void test_pamt_outside_cmrs(void **s)
{
	struct platform *p = one();

	E[0].pamt_1g_base = 0x1000;                     /* in r0 [0,1M), no CMR */
	expect(p, ST(TDX_PAMT_OUTSIDE_CMRS, 0, L1G, 0));
	p = one();
	E[0].pamt_2m_base = 0x10000;
	expect(p, ST(TDX_PAMT_OUTSIDE_CMRS, 0, L2M, 0));
	p = one();
	E[0].pamt_4k_base = 8 * GiB;                    /* outside TDMRs and CMRs */
	expect(p, ST(TDX_PAMT_OUTSIDE_CMRS, 0, L4K, 0));
	p = one();
	E[0].pamt_4k_base = 8 * GiB;
	E[0].pamt_1g_base = 0x1000;
	expect(p, ST(TDX_PAMT_OUTSIDE_CMRS, 0, L1G, 0));
}

static void test_pamt_straddles_cmr_end(void **s)
{
	struct platform *p = one();

	E[0].pamt_2m_base = MiB - 0x1000;              /* [1M-4K, 1M+28K) */
	E[0].rsvd_areas[0].size = 2 * MiB;             /* keep it reserved */
	expect(p, ST(TDX_PAMT_OUTSIDE_CMRS, 0, L2M, 0));
}

static void test_overlap_beats_outside_cmrs(void **s)
{
	struct platform *p = two();

	E[1].pamt_1g_base = 0x1000;                     /* outside CMRs (in T0's r0) */
	E[1].pamt_2m_base = E[0].pamt_4k_base;          /* overlaps T0's PAMT */
	expect(p, ST(TDX_PAMT_OVERLAP, 1, L2M, 0));
}

static void test_tdmr_outside_cmrs_gap(void **s)
{
	struct platform *p = one_cmrs(2 * GiB, MiB);

	expect(p, ST(TDX_TDMR_OUTSIDE_CMRS, 0, 0, 0));
}

static void test_adjacent_cmrs_merge(void **s)
{
	struct platform *p = one_cmrs(2 * GiB, 0);

	expect(p, TDX_SUCCESS);
}

static void test_pamt_across_adjacent_cmrs(void **s)
{
	struct platform *p = one_cmrs(4 * GiB - 8 * MiB, 0);

	/* the 4K PAMT [4G-16M-36K, 4G-36K) spans the CMR boundary at 4G-8M */
	expect(p, TDX_SUCCESS);
}

static void test_reserved_covers_cmr_gap(void **s)
{
	/* The gap [2G, 2G+1M) is reserved: a reserved area outside every
	 * CMR is not checked. */
	struct platform *p = one_cmrs(2 * GiB, MiB);

	E[0].rsvd_areas[2] = E[0].rsvd_areas[1];
	E[0].rsvd_areas[1] = (struct tdmr_reserved_area){ 2 * GiB, MiB };
	expect(p, TDX_SUCCESS);
}

static void test_reserved_outside_cmr_ok(void **s)
{
	struct platform *p = one();

	/* r0 [0,1M) is in no CMR (CMR starts at 1M) */
	assert_int_equal(platform_config(p)->cmrs[0].base, MiB);
	assert_int_equal(E[0].rsvd_areas[0].offset, 0);
	expect(p, TDX_SUCCESS);
}

static void test_pamt_outside_beats_tdmr_outside(void **s)
{
	struct platform *p = one_cmrs(2 * GiB, MiB);

	E[0].pamt_1g_base = 0x1000;
	expect(p, ST(TDX_PAMT_OUTSIDE_CMRS, 0, L1G, 0));
}

static void test_tdmr_outside_cmrs_no_reserved(void **s)
{
	struct platform *p = one();

	/* dropping r0 exposes [0, 1M) which is in no CMR */
	E[0].rsvd_areas[0] = E[0].rsvd_areas[1];
	E[0].rsvd_areas[1] = (struct tdmr_reserved_area){ 0, 0 };
	expect(p, ST(TDX_TDMR_OUTSIDE_CMRS, 0, 0, 0));
}

/* ---- across TDMRs ---- */

static void test_tdmr0_error_first(void **s)
{
	struct platform *p = two();

	E[0].rsvd_areas[0].size = 0x800;
	E[1].tdmr_size = 0;
	expect(p, ST(TDX_INVALID_RESERVED_IN_TDMR, 0, 0, 0));
}

static void test_tdmr1_errors(void **s)
{
	struct platform *p = two();

	E[1].tdmr_size = GiB + 4096;
	expect(p, ST(TDX_INVALID_TDMR, 1, 0, 0));
	p = two();
	E[1].pamt_2m_size = 0;
	expect(p, ST(TDX_INVALID_PAMT, 1, L2M, 0));
	p = two();
	E[1].rsvd_areas[1].offset = 0x800;
	expect(p, ST(TDX_NON_ORDERED_RESERVED_IN_TDMR, 1, 1, 0));
	p = two();
	E[1].tdmr_base = 6 * GiB;                       /* [6G, 8G) is no CMR */
	expect(p, ST(TDX_TDMR_OUTSIDE_CMRS, 1, 0, 0));
}

static void test_tdmr0_pamt_in_tdmr1_reserved_ok(void **s)
{
	struct platform *p = two();

	/* T0's PAMTs live in T1's reserved area r1 in the plan */
	assert_true(E[0].pamt_4k_base >= E[1].tdmr_base + E[1].rsvd_areas[1].offset);
	expect(p, TDX_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success_one),
		cmocka_unit_test(test_success_two),
		cmocka_unit_test(test_success_max_hkid),
		cmocka_unit_test(test_not_pending_before_sys_init),
		cmocka_unit_test(test_strict_needs_all_lps),
		cmocka_unit_test(test_current_allows_late_lp),
		cmocka_unit_test(test_global_lock_busy),
		cmocka_unit_test(test_rcx),
		cmocka_unit_test(test_rdx),
		cmocka_unit_test(test_r8),
		cmocka_unit_test(test_operand_order),
		cmocka_unit_test(test_not_pending_beats_operands),
		cmocka_unit_test(test_entry_pa),
		cmocka_unit_test(test_kot_reserved_on_failure),
		cmocka_unit_test(test_tdmr_overflow),
		cmocka_unit_test(test_tdmr_overflow_beats_order),
		cmocka_unit_test(test_tdmr_non_ordered),
		cmocka_unit_test(test_tdmr_adjacent_ok_order),
		cmocka_unit_test(test_tdmr_alignment),
		cmocka_unit_test(test_tdmr_max_pa_and_hkid),
		cmocka_unit_test(test_tdmr_beats_reserved),
		cmocka_unit_test(test_rsvd_null_then_entry),
		cmocka_unit_test(test_rsvd_null_then_entry_later),
		cmocka_unit_test(test_rsvd_two_nulls_then_entry),
		cmocka_unit_test(test_rsvd_trailing_nulls_ok),
		cmocka_unit_test(test_rsvd_overflow),
		cmocka_unit_test(test_rsvd_order),
		cmocka_unit_test(test_rsvd_adjacent_ok),
		cmocka_unit_test(test_rsvd_alignment),
		cmocka_unit_test(test_rsvd_outside_tdmr),
		cmocka_unit_test(test_rsvd_beats_pamt),
		cmocka_unit_test(test_pamt_overflow),
		cmocka_unit_test(test_pamt_alignment),
		cmocka_unit_test(test_pamt_zero),
		cmocka_unit_test(test_pamt_max_pa_hkid),
		cmocka_unit_test(test_pamt_size),
		cmocka_unit_test(test_pamt_level_order),
		cmocka_unit_test(test_pamt_overlap_within),
		cmocka_unit_test(test_pamt_overlap_available),
		cmocka_unit_test(test_pamt_overlap_available_level_order),
		cmocka_unit_test(test_pamt_within_beats_available),
		cmocka_unit_test(test_pamt_overlap_earlier_tdmr),
		cmocka_unit_test(test_pamt_overlap_earlier_tdmr_level_order),
		cmocka_unit_test(test_pamt_available_interleaving),
		cmocka_unit_test(test_pamt_in_earlier_tdmr_available),
		cmocka_unit_test(test_earlier_pamt_in_tdmr_available),
		cmocka_unit_test(test_pamt_in_reserved_ok),
		cmocka_unit_test(test_pamt_outside_cmrs),
		cmocka_unit_test(test_pamt_straddles_cmr_end),
		cmocka_unit_test(test_overlap_beats_outside_cmrs),
		cmocka_unit_test(test_tdmr_outside_cmrs_gap),
		cmocka_unit_test(test_adjacent_cmrs_merge),
		cmocka_unit_test(test_pamt_across_adjacent_cmrs),
		cmocka_unit_test(test_reserved_covers_cmr_gap),
		cmocka_unit_test(test_reserved_outside_cmr_ok),
		cmocka_unit_test(test_pamt_outside_beats_tdmr_outside),
		cmocka_unit_test(test_tdmr_outside_cmrs_no_reserved),
		cmocka_unit_test(test_tdmr0_error_first),
		cmocka_unit_test(test_tdmr1_errors),
		cmocka_unit_test(test_tdmr0_pamt_in_tdmr1_reserved_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
