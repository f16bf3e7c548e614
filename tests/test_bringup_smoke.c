/* SPDX-License-Identifier: MIT */
/* The whole global-init sequence on small machines of every profile. */
#include "helpers/machine.h"

static void full_bringup(enum tdxsim_profile prof)
{
	struct tdxsim_platform_config c;
	static struct tdmr_plan b;
	struct platform *p;

	small_config(&c, 2, 2, 4, prof);
	p = machine_new(&c);
	bring_to_ready(p, &b);
	tdmr_init_all(p, &b);
	assert_int_equal(tdx_inspect_num_tdmrs(p), b.n_tdmrs);
	assert_int_equal(tdx_inspect_tdmr_last_initialized(p, 0),
			 b.tdmr[0].info.tdmr_base + b.tdmr[0].info.tdmr_size);
	tdx_inspect_check_all(p);
	platform_destroy(p);
}

static void test_bringup_current(void **state) { full_bringup(TDXSIM_PROFILE_1_5); }
static void test_bringup_strict(void **state) { full_bringup(TDXSIM_PROFILE_1_5_01); }
static void test_bringup_1_0(void **state) { full_bringup(TDXSIM_PROFILE_1_0); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bringup_current),
		cmocka_unit_test(test_bringup_strict),
		cmocka_unit_test(test_bringup_1_0),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
