/* SPDX-License-Identifier: MIT */
/*
 * The module's CPUID handling against Intel's (tdx-module tdx_1.5
 * tdh_sys_init.c check_cpuid_configurations, tdh_sys_lp_init.c
 * compare_cpuid_configuration, cpuid_configurations.c): TDH.SYS.INIT
 * checks every lookup leaf of its LP against the verify table in lookup
 * order and names the leaf, its masks and values in RCX..R10; LP.INIT
 * holds each LP to the verify-same bits.
 */
#include <string.h>

#include "helpers/machine.h"

#define NA 0xFFFFFFFFull

/* LP lp reads regs for each leaf/subleaf given; everything else is the model's. */
static struct platform *machine_with(unsigned lp, const struct tdxsim_cpuid_override *r,
				     unsigned n)
{
	struct tdxsim_platform_config c;
	struct tdxsim_lp_override *o = &c.overrides[0];
	struct platform *p;

	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	memset(o, 0, sizeof(*o));
	o->lp = lp;
	o->n_cpuid = n;
	if (n)
		memcpy(o->cpuid, r, n * sizeof(*r));
	c.n_overrides = 1;
	p = machine_new(&c);
	vmxon_all(p);
	return p;
}

/* The model's own value of a leaf, to change one register of it. */
static struct tdxsim_cpuid_override model(uint32_t leaf, uint32_t subleaf)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	uint32_t r[4];

	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	p = machine_new(&c);
	platform_cpuid(p, 0, leaf, subleaf, r);
	platform_destroy(p);
	return (struct tdxsim_cpuid_override){ leaf, subleaf, r[0], r[1], r[2], r[3] };
}

static void expect_sys_init(struct platform *p, uint64_t status, uint64_t rcx,
			    uint64_t rdx, uint64_t r8, uint64_t r9, uint64_t r10)
{
	struct tdx_module_args a;

	memset(&a, 0xA5, sizeof(a));
	a.rcx = 0;
	assert_int_equal(sc_on(p, 0, TDH_SYS_INIT, &a), status);
	assert_int_equal(a.rcx, rcx);
	assert_int_equal(a.rdx, rdx);
	assert_int_equal(a.r8, r8);
	assert_int_equal(a.r9, r9);
	assert_int_equal(a.r10, r10);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	/* LP 1 has the model's CPUID and initialises the module. */
	assert_int_equal(sc0(p, 1, TDH_SYS_INIT), TDX_SUCCESS);
	platform_destroy(p);
}

/* The unmodified model passes the real verify table. */
static void test_model_passes(void **state)
{
	struct platform *p = machine_with(0, NULL, 0);

	(void)state;
	sys_init_all(p);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_DONE);
	platform_destroy(p);
}

/* Leaf 1 without SSE3: the verify mask and value of lookup entry 0. */
static void test_verify_leaf1(void **state)
{
	struct tdxsim_cpuid_override o = model(1, 0);

	(void)state;
	o.ecx &= ~1u;
	expect_sys_init(machine_with(0, &o, 1), TDX_INCORRECT_CPUID_VALUE,
			1 | NA << 32, 0xff00ull << 32, 0x47faa217 | 0x1fa9fbffull << 32,
			0x800ull << 32, 0x47faa217 | 0x1fa9fbffull << 32);
}

/* Two failing leaves: the lower lookup index is named (leaf 0xA is
 * entry 7, leaf 0x80000001 entry 55), whatever the leaf numbers. */
static void test_verify_lookup_order(void **state)
{
	struct tdxsim_cpuid_override o[2] = { model(0x80000001, 0), model(0xA, 0) };

	(void)state;
	o[0].edx &= ~(1u << 29);          /* no long mode */
	o[1].ecx = 0x100;                 /* a reserved fixed-counter bit */
	expect_sys_init(machine_with(0, o, 2), TDX_INCORRECT_CPUID_VALUE,
			0xA | NA << 32, 0xff00, 0x8000ull << 32 | 0xffffff80,
			0x800, 0x8000ull << 32);
}

/* MAXPA other than 52 fails entry 9 (0x80000008). */
static void test_verify_maxpa(void **state)
{
	struct tdxsim_cpuid_override o = model(0x80000008, 0);

	(void)state;
	o.eax = (o.eax & ~0xFFu) | 46;
	expect_sys_init(machine_with(0, &o, 1), TDX_INCORRECT_CPUID_VALUE,
			0x80000008 | NA << 32, 0xff | 0x200ull << 32, 0,
			0x34 | 0x200ull << 32, 0);
}

/* LA57 in leaf 7 needs 57 linear-address bits in 0x80000008. */
static void test_la_bits(void **state)
{
	struct tdxsim_cpuid_override o = model(0x80000008, 0);

	(void)state;
	o.eax = (o.eax & ~0xFF00u) | 48u << 8;
	expect_sys_init(machine_with(0, &o, 1), TDX_INCORRECT_CPUID_VALUE,
			0x80000008 | NA << 32, 0xFF00, 0, 0x3900, 0);
}

/* Architectural perfmon below version 5, or more than 7 fixed counters. */
static void test_perfmon(void **state)
{
	struct tdxsim_cpuid_override o = model(0xA, 0);

	(void)state;
	o.eax = (o.eax & ~0xFFu) | 4;
	expect_sys_init(machine_with(0, &o, 1), TDX_INCORRECT_CPUID_VALUE,
			0xA | NA << 32, 0xF, 0, 5, 0);
	o = model(0xA, 0);
	o.edx = (o.edx & ~0x1Fu) | 8;
	expect_sys_init(machine_with(0, &o, 1), TDX_INCORRECT_CPUID_VALUE,
			0xA | NA << 32, 0, 0x1Full << 32, 0, 7ull << 32);
}

/* Leaf 0x15 without a TSC ratio. */
static void test_tsc_leaf(void **state)
{
	struct tdxsim_cpuid_override o = model(0x15, 0);

	(void)state;
	o.ebx = 0;
	expect_sys_init(machine_with(0, &o, 1),
			tdx_status_with_operand(TDX_CPUID_LEAF_NOT_SUPPORTED, 0x15), 0, 0, 0, 0, 0);
}

/* Leaf 0x1F: no levels at all; levels out of order; an L3 shared by
 * fewer LPs than the package (WBINVD would not reach the package). */
static void test_topology(void **state)
{
	struct tdxsim_cpuid_override o[2] = { model(0x1F, 0), model(0x1F, 1) };

	(void)state;
	o[0].ecx = 0;
	expect_sys_init(machine_with(0, o, 1),
			tdx_status_with_operand(TDX_CPUID_LEAF_NOT_SUPPORTED, 0), 0, 0, 0, 0, 0);
	o[0] = model(0x1F, 0);
	o[1].ecx = (o[1].ecx & ~0xFF00u) | 1u << 8;   /* SMT again */
	expect_sys_init(machine_with(0, o, 2), TDX_CPUID_LEAF_1F_FORMAT_UNRECOGNIZED,
			0, 0, 0, 0, 0);
	o[0] = model(4, 3);
	o[0].eax &= ~(0xFFFu << 14);                   /* one LP per L3 */
	expect_sys_init(machine_with(0, o, 1), TDX_INVALID_WBINVD_SCOPE, 0, 0, 0, 0, 0);
}

/* IA32_MISC_ENABLE.BOOT_NT4 limits CPUID: refused before any leaf. */
static void test_boot_nt4(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	(void)state;
	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	override_msr(&c, 0, 0x1A0, 1ull << 22);
	p = machine_new(&c);
	vmxon_all(p);
	expect_sys_init(p, TDX_LIMIT_CPUID_MAXVAL_SET, 0, 0, 0, 0, 0);
}

static uint64_t lp_init_on(struct platform *p, unsigned lp, struct tdx_module_args *a)
{
	memset(a, 0xA5, sizeof(*a));
	return sc_on(p, lp, TDH_SYS_LP_INIT, a);
}

/* LP.INIT compares the verify-same bits: leaf 7.0 EBX bit 2 is outside
 * them (SGX), bit 16 (AVX512F) inside; leaf 1's stepping is outside. */
static void test_lp_init_verify_same(void **state)
{
	struct tdxsim_cpuid_override o = model(7, 0);
	struct tdx_module_args a;
	struct platform *p;

	(void)state;
	o.ebx ^= 1u << 2;
	p = machine_with(1, &o, 1);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(lp_init_on(p, 1, &a), TDX_SUCCESS);
	platform_destroy(p);

	o = model(1, 0);
	o.eax -= 1;
	p = machine_with(1, &o, 1);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(lp_init_on(p, 1, &a), TDX_SUCCESS);
	platform_destroy(p);

	o = model(7, 0);
	o.ebx ^= 1u << 16;
	p = machine_with(1, &o, 1);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(lp_init_on(p, 1, &a), TDX_INCONSISTENT_CPUID_FIELD);
	assert_int_equal(a.rcx, 7);
	assert_int_equal(a.rdx, 0xffffffff | 0xfffffffbull << 32);
	assert_int_equal(a.r8, 0xbfc1ff6f | 0xffebffffull << 32);
	assert_false(tdx_inspect_lp_is_init(p, 1));
	platform_destroy(p);
}

/* A leaf beyond an LP's own maxima is not compared: with extended
 * leaves up to 0x80000007, the 0x80000008 difference (lookup entry 9) is
 * passed over and the maximum itself (entry 54) is what differs. */
static void test_lp_init_skips_absent_leaves(void **state)
{
	struct tdxsim_cpuid_override o[2] = { model(0x80000000, 0), model(0x80000008, 0) };
	struct tdx_module_args a;
	struct platform *p;

	(void)state;
	o[1].ebx = 0;                              /* no WBNOINVD: would differ */
	p = machine_with(1, o, 2);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(lp_init_on(p, 1, &a), TDX_INCONSISTENT_CPUID_FIELD);
	assert_int_equal(a.rcx, 0x80000008 | NA << 32);
	platform_destroy(p);
	o[0].eax = 0x80000007;
	p = machine_with(1, o, 2);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(lp_init_on(p, 1, &a), TDX_INCONSISTENT_CPUID_FIELD);
	assert_int_equal(a.rcx, 0x80000000 | NA << 32);
	platform_destroy(p);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_passes),
		cmocka_unit_test(test_verify_leaf1),
		cmocka_unit_test(test_verify_lookup_order),
		cmocka_unit_test(test_verify_maxpa),
		cmocka_unit_test(test_la_bits),
		cmocka_unit_test(test_perfmon),
		cmocka_unit_test(test_tsc_leaf),
		cmocka_unit_test(test_topology),
		cmocka_unit_test(test_boot_nt4),
		cmocka_unit_test(test_lp_init_verify_same),
		cmocka_unit_test(test_lp_init_skips_absent_leaves),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
