/* SPDX-License-Identifier: MIT */
/* Conformance: the SEAMCALL door (abi §2.4) and the dispatcher (abi §1.1,
 * §3.2): reserved RAX bits, versions, unknown leaves, NOT_READY and
 * SHUTDOWN gating, and register preservation / documented clears. */
#include <string.h>

#include "helpers/machine.h"
#include "tdxsim/inject.h"

static struct platform *mk(enum tdxsim_profile prof)
{
	struct tdxsim_platform_config c;

	small_config(&c, 1, 2, 1, prof);
	return machine_new(&c);
}

static struct platform *mk_ready(struct tdmr_plan *b)
{
	struct platform *p = mk(TDXSIM_PROFILE_1_5);

	bring_to_ready(p, b);
	return p;
}

#define RAX_INVALID tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX)

static void fill(struct tdx_module_args *a)
{
	uint64_t *r = (uint64_t *)a;

	for (unsigned i = 0; i < sizeof(*a) / 8; i++)
		r[i] = 0x1111111111111111ULL * (i + 1) ^ 0xA5A5000000000000ULL;
}

/* Checks every register but those whose offsetof is in skip[]. */
static void check_untouched(const struct tdx_module_args *ref,
			    const struct tdx_module_args *a,
			    const size_t *skip, unsigned n_skip)
{
	const uint64_t *r0 = (const uint64_t *)ref, *r1 = (const uint64_t *)a;

	for (unsigned i = 0; i < sizeof(*a) / 8; i++) {
		bool skipped = false;

		for (unsigned j = 0; j < n_skip; j++)
			skipped |= skip[j] == i * 8;
		if (!skipped && r0[i] != r1[i])
			fail_msg("register at offset %u changed: %llx -> %llx", i * 8,
				 (unsigned long long)r0[i], (unsigned long long)r1[i]);
	}
}

#define OFF(r) offsetof(struct tdx_module_args, r)

/* ---- the door ---------------------------------------------------------- */

static void test_ud_not_vmxon(void **state)
{
	struct platform *p = mk(TDXSIM_PROFILE_1_5);

	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SEAMCALL_UD);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	platform_destroy(p);
}

static void test_ud_unbound(void **state)
{
	struct platform *p = mk(TDXSIM_PROFILE_1_5);
	struct tdx_module_args a;

	vmxon_all(p);
	memset(&a, 0, sizeof(a));
	/* The test thread is on no LP. */
	assert_int_equal(seamcall(TDH_SYS_INIT, &a), TDX_SEAMCALL_UD);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	platform_destroy(p);
}

static void test_vmfailinvalid_no_module(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	small_config(&c, 1, 1, 1, TDXSIM_PROFILE_1_5);
	c.module_loaded = false;
	p = machine_new(&c);
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SEAMCALL_VMFAILINVALID);
	assert_int_equal(sc0(p, 0, TDH_SYS_RD), TDX_SEAMCALL_VMFAILINVALID);
	platform_destroy(p);
}

static void test_vmfailinvalid_seamldr(void **state)
{
	struct platform *p = mk(TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT | (1ULL << 63)), TDX_SEAMCALL_VMFAILINVALID);
	/* Nothing happened in the module. */
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	platform_destroy(p);
}

static void test_gp_no_tdx_keyids(void **state)
{
	struct tdxsim_platform_config c;
	char err[256] = "";
	struct platform *p;

	small_config(&c, 1, 1, 1, TDXSIM_PROFILE_1_5);
	c.tdx_keyids = 0;
	p = platform_create(&c, err, sizeof(err));
	if (!p) {
		/* The platform refuses a BIOS without TDX KeyIDs, so the #GP
		 * path cannot be reached from a test. */
		skip();
		return;
	}
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SEAMCALL_GP);
	platform_destroy(p);
}

/* ---- RAX checks -------------------------------------------------------- */

static void test_rax_reserved_bits(void **state)
{
	static const unsigned bits[] = { 24, 27, 31, 32, 40, 48, 62 };
	struct platform *p = mk(TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		assert_int_equal(sc0(p, 0, TDH_SYS_INIT | (1ULL << bits[i])), RAX_INVALID);
		assert_int_equal(sc0(p, 0, 42 | (1ULL << bits[i])), RAX_INVALID);
	}
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	sys_init_all(p);
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		assert_int_equal(sc0(p, 0, TDH_SYS_RD | (1ULL << bits[i])), RAX_INVALID);
	platform_destroy(p);
}

static void test_version_on_unversioned_leaf(void **state)
{
	struct platform *p = mk(TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT | (1ULL << 16)), RAX_INVALID);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT | (0xFFULL << 16)), RAX_INVALID);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	sys_init_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_RD | (1ULL << 16)), RAX_INVALID);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT | (1ULL << 16)), RAX_INVALID);
	/* A versioned leaf refuses versions above 1 itself, after the
	 * dispatcher's state checks: before READY that is SYS_NOT_READY
	 * (tests/test_conf_versions.c has the rest). */
	assert_int_equal(sc0(p, 0, TDH_MNG_RD | (2ULL << 16)), TDX_SYS_NOT_READY);
	platform_destroy(p);
}

static void test_unknown_leaf_before_ready(void **state)
{
	struct platform *p = mk(TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	assert_int_equal(sc0(p, 0, 42), TDX_SYS_NOT_READY);
	assert_int_equal(sc0(p, 0, 60), TDX_SYS_NOT_READY);
	sys_init_all(p);
	assert_int_equal(sc0(p, 0, 42), TDX_SYS_NOT_READY);
	assert_int_equal(sc0(p, 0, 60), TDX_SYS_NOT_READY);
	platform_destroy(p);
}

static void test_unknown_leaf_after_ready(void **state)
{
	static struct tdmr_plan b;
	static const uint64_t leaves[] = { 42, 46, 47, 50, 51, 54, 60, 63, 0xFFFF };
	struct platform *p = mk_ready(&b);

	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		assert_int_equal(sc0(p, 0, leaves[i]), RAX_INVALID);
	platform_destroy(p);
}

static void test_non_sys_leaves_not_ready(void **state)
{
	static const uint64_t leaves[] = {
		TDH_PHYMEM_PAGE_RDMD, TDH_SYS_TDMR_INIT, TDH_MNG_CREATE,
		TDH_VP_ENTER, TDH_MNG_KEY_RECLAIMID, TDH_MEM_PAGE_ADD,
	};
	static struct tdmr_plan b;
	struct platform *p = mk(TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		assert_int_equal(sc0(p, 0, leaves[i]), TDX_SYS_NOT_READY);
	sys_init_all(p);
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		assert_int_equal(sc0(p, 0, leaves[i]), TDX_SYS_NOT_READY);
	plan_and_write(p, &b, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, &b), TDX_SUCCESS);
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		assert_int_equal(sc0(p, 1, leaves[i]), TDX_SYS_NOT_READY);
	platform_destroy(p);
}

/* ---- SHUTDOWN ------------------------------------------------------------ */

static void test_shutdown_gating(void **state)
{
	static const uint64_t leaves[] = {
		TDH_SYS_INIT, TDH_SYS_LP_INIT, TDH_SYS_CONFIG, TDH_SYS_KEY_CONFIG,
		TDH_SYS_TDMR_INIT, TDH_SYS_RD, TDH_SYS_RDALL, TDH_PHYMEM_PAGE_RDMD,
		TDH_MNG_CREATE, TDH_SYS_SHUTDOWN, 42, 60,
	};
	static struct tdmr_plan b;
	struct platform *p = mk_ready(&b);
	struct tdx_module_args a;

	memset(&a, 0, sizeof(a));
	a.rcx = 1;
	assert_int_equal(sc_on(p, 0, TDH_SYS_SHUTDOWN, &a),
			 tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	memset(&a, 0, sizeof(a));
	a.rcx = ~0ULL;
	assert_int_equal(sc_on(p, 0, TDH_SYS_SHUTDOWN, &a),
			 tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(tdx_inspect_sys_state(p), SYS_READY);
	/* RCX is checked before the global lock (tdh_sys_shutdown): with
	 * the lock held elsewhere a bad RCX is still OPERAND_INVALID, and a
	 * good one meets the lock. */
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_GLOBAL_LOCK, 1), 0);
	memset(&a, 0, sizeof(a));
	a.rcx = 1;
	assert_int_equal(sc_on(p, 0, TDH_SYS_SHUTDOWN, &a),
			 tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(sc0(p, 0, TDH_SYS_SHUTDOWN), TDX_SYS_BUSY);
	assert_int_equal(tdx_inspect_sys_state(p), SYS_READY);

	assert_int_equal(sc0(p, 0, TDH_SYS_SHUTDOWN), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYS_SHUTDOWN);
	for (unsigned lp = 0; lp < 2; lp++)
		for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
			assert_int_equal(sc0(p, lp, leaves[i]), TDX_SYS_SHUTDOWN);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_SHUTDOWN), TDX_SUCCESS);
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_SHUTDOWN), TDX_SUCCESS);
	/* Step 1 (RAX checks) comes before the SHUTDOWN gate (abi §3.2). */
	assert_int_equal(sc0(p, 0, TDH_SYS_RD | (1ULL << 32)), RAX_INVALID);
	assert_int_equal(sc0(p, 0, TDH_SYS_RD | (1ULL << 16)), RAX_INVALID);
	platform_destroy(p);
}

/* ---- registers ----------------------------------------------------------- */

static void test_sys_rd_preserves_other_regs(void **state)
{
	static const size_t written[] = { OFF(rdx), OFF(r8) };
	struct platform *p = mk(TDXSIM_PROFILE_1_5);
	struct tdx_module_args a, ref;

	sys_init_all(p);
	fill(&a);
	a.rdx = MD_SYS_MAX_TDMRS;
	ref = a;
	assert_int_equal(sc_on(p, 0, TDH_SYS_RD, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, 64);
	check_untouched(&ref, &a, written, 2);
	platform_destroy(p);
}

static void test_key_config_preserves_all_regs(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = mk(TDXSIM_PROFILE_1_5);
	struct tdx_module_args a, ref;

	sys_init_all(p);
	plan_and_write(p, &b, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, &b), TDX_SUCCESS);
	fill(&a);
	ref = a;
	assert_int_equal(sc_on(p, 0, TDH_SYS_KEY_CONFIG, &a), TDX_SUCCESS);
	check_untouched(&ref, &a, NULL, 0);
	fill(&a);
	assert_int_equal(sc_on(p, 1, TDH_SYS_KEY_CONFIG, &a), TDX_SYS_KEY_CONFIG_NOT_PENDING);
	check_untouched(&ref, &a, NULL, 0);
	/* Gate failures leave every register alone too. */
	fill(&a);
	assert_int_equal(sc_on(p, 0, 42 | (1ULL << 40), &a), RAX_INVALID);
	check_untouched(&ref, &a, NULL, 0);
	platform_destroy(p);
}

static void test_sys_init_clears(void **state)
{
	static const size_t cleared[] = { OFF(rcx), OFF(rdx), OFF(r8), OFF(r9), OFF(r10) };
	struct platform *p = mk(TDXSIM_PROFILE_1_5);
	struct tdx_module_args a, ref;

	vmxon_all(p);
	fill(&a);
	a.rcx = 0;
	ref = a;
	assert_int_equal(sc_on(p, 0, TDH_SYS_INIT, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r8, 0);
	assert_int_equal(a.r9, 0);
	assert_int_equal(a.r10, 0);
	check_untouched(&ref, &a, cleared, 5);
	/* Also on error (second call). */
	fill(&a);
	a.rcx = 0;
	assert_int_equal(sc_on(p, 0, TDH_SYS_INIT, &a), TDX_SYS_INIT_NOT_PENDING);
	assert_int_equal(a.rcx | a.rdx | a.r8 | a.r9 | a.r10, 0);
	check_untouched(&ref, &a, cleared, 5);
	platform_destroy(p);
}

static void test_lp_init_clears(void **state)
{
	static const size_t cleared[] = { OFF(rcx), OFF(rdx), OFF(r8) };
	struct platform *p = mk(TDXSIM_PROFILE_1_5);
	struct tdx_module_args a, ref;

	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	fill(&a);
	ref = a;
	assert_int_equal(sc_on(p, 0, TDH_SYS_LP_INIT, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx | a.rdx | a.r8, 0);
	check_untouched(&ref, &a, cleared, 3);
	fill(&a);
	assert_int_equal(sc_on(p, 0, TDH_SYS_LP_INIT, &a), TDX_SYS_LP_INIT_DONE);
	assert_int_equal(a.rcx | a.rdx | a.r8, 0);
	check_untouched(&ref, &a, cleared, 3);
	platform_destroy(p);
}

static void test_tdmr_init_clears_rdx(void **state)
{
	static const size_t cleared[] = { OFF(rdx) };
	static struct tdmr_plan b;
	struct platform *p = mk_ready(&b);
	struct tdx_module_args a, ref;

	fill(&a);
	a.rcx = 3ULL << 30;   /* not a TDMR base: error */
	ref = a;
	assert_int_equal(sc_on(p, 0, TDH_SYS_TDMR_INIT, &a),
			 tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rdx, 0);
	check_untouched(&ref, &a, cleared, 1);
	platform_destroy(p);
}

static void test_rdmd_clears_on_error(void **state)
{
	static const size_t cleared[] = { OFF(rcx), OFF(rdx), OFF(r8), OFF(r9), OFF(r10), OFF(r11) };
	static struct tdmr_plan b;
	struct platform *p = mk_ready(&b);
	struct tdx_module_args a, ref;

	fill(&a);
	a.rcx = 0x100800;   /* unaligned */
	ref = a;
	assert_int_equal(sc_on(p, 0, TDH_PHYMEM_PAGE_RDMD, &a),
			 tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx | a.rdx | a.r8 | a.r9 | a.r10 | a.r11, 0);
	check_untouched(&ref, &a, cleared, 6);
	fill(&a);
	a.rcx = 0x100000;   /* TDMR not initialised yet */
	assert_int_equal(sc_on(p, 0, TDH_PHYMEM_PAGE_RDMD, &a),
			 tdx_status_with_operand(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx | a.rdx | a.r8 | a.r9 | a.r10 | a.r11, 0);
	check_untouched(&ref, &a, cleared, 6);
	platform_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ud_not_vmxon),
		cmocka_unit_test(test_ud_unbound),
		cmocka_unit_test(test_vmfailinvalid_no_module),
		cmocka_unit_test(test_vmfailinvalid_seamldr),
		cmocka_unit_test(test_gp_no_tdx_keyids),
		cmocka_unit_test(test_rax_reserved_bits),
		cmocka_unit_test(test_version_on_unversioned_leaf),
		cmocka_unit_test(test_unknown_leaf_before_ready),
		cmocka_unit_test(test_unknown_leaf_after_ready),
		cmocka_unit_test(test_non_sys_leaves_not_ready),
		cmocka_unit_test(test_shutdown_gating),
		cmocka_unit_test(test_sys_rd_preserves_other_regs),
		cmocka_unit_test(test_key_config_preserves_all_regs),
		cmocka_unit_test(test_sys_init_clears),
		cmocka_unit_test(test_lp_init_clears),
		cmocka_unit_test(test_tdmr_init_clears_rdx),
		cmocka_unit_test(test_rdmd_clears_on_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
