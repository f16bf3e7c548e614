/* SPDX-License-Identifier: MIT */
/*
 * One-call injections (tdxsim_inject_next, src/module/inject_next.c):
 * the nth occurrence inside the next SEAMCALL or TDCALL fails, nothing
 * stays armed past that call, what happened is reported; the "lock"
 * kind walks a leaf's locks in order. Also tdxsim_inject_td_fatal and
 * the TD dispatcher's exit for a TD that turned fatal while its vCPU
 * ran (TDXSIM_INJECT_TD_FATAL).
 */
#include <errno.h>
#include <string.h>

#include "helpers/td_guest.h"
#include "tdxsim/tdcall.h"

#define G_AUG 0x200000ULL
#define BUSY(op) (TDX_OPERAND_BUSY | (op))

static struct platform *plat(struct tdg *x)
{
	return x->t.hm.p;
}

static struct tdxsim_inject_result result(struct tdg *x, enum tdxsim_inject k)
{
	struct tdxsim_inject_result r;

	tdxsim_inject_next_result(plat(x), k, &r);
	return r;
}

/* TDH.MEM.PAGE.AUG of a fresh page at G_AUG (its S-EPT path exists). */
static uint64_t aug(struct tdg *x, uint64_t *page)
{
	struct tdx_module_args a = { .rcx = G_AUG, .rdx = x->t.tdr };

	*page = tdm_page(&x->t);
	a.r8 = *page;
	return tdm_sc(&x->t, 0, TDH_MEM_PAGE_AUG, &a);
}

static uint64_t sys_rd(struct tdg *x)
{
	struct tdx_module_args a = { .rdx = MD_SYS_MAX_TDMRS };

	return tdm_sc(&x->t, 0, TDH_SYS_RD, &a);
}

/* ---- the SEAMCALL scope ---- */

/* The nth PAMT lock of AUG fails, and only in that call. */
static void test_seamcall_nth(void **state)
{
	struct tdg x;
	struct tdxsim_inject_result r;
	uint64_t page;

	(void)state;
	tdg_simple(&x);
	tdm_sept_path(&x.t, G_AUG, 1);
	assert_int_equal(tdxsim_inject_next(plat(&x), TDXSIM_INJECT_PAMT_LOCK, 2, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), 0);
	/* The TDR walk takes its 1G, 2M and 4K entries: the 2nd is the 2M. */
	assert_int_equal(aug(&x, &page), BUSY(TDX_OPERAND_ID_RDX));
	r = result(&x, TDXSIM_INJECT_PAMT_LOCK);
	assert_true(r.taken);
	assert_int_equal(r.leaf, TDH_MEM_PAGE_AUG);
	assert_int_equal(r.seen, 2);
	assert_int_equal(r.fired, 1);
	/* Disarmed with the call: the same AUG now works. */
	assert_int_equal(aug(&x, &page), TDX_SUCCESS);
	x.data[x.n_data++] = page;
	tdg_teardown(&x);
}

/* An injection its call never reached is disarmed all the same. */
static void test_seamcall_unfired_disarmed(void **state)
{
	struct tdg x;
	struct tdxsim_inject_result r;
	uint64_t page;

	(void)state;
	tdg_simple(&x);
	tdm_sept_path(&x.t, G_AUG, 1);
	assert_int_equal(tdxsim_inject_next(plat(&x), TDXSIM_INJECT_PAMT_LOCK, 1, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), 0);
	assert_int_equal(sys_rd(&x), TDX_SUCCESS);   /* takes no PAMT lock */
	r = result(&x, TDXSIM_INJECT_PAMT_LOCK);
	assert_true(r.taken);
	assert_int_equal(r.leaf, TDH_SYS_RD);
	assert_int_equal(r.seen, 0);
	assert_int_equal(r.fired, 0);
	assert_int_equal(aug(&x, &page), TDX_SUCCESS);
	x.data[x.n_data++] = page;
	/* The results stay until the next arming or a clear. */
	assert_true(result(&x, TDXSIM_INJECT_PAMT_LOCK).taken);
	tdxsim_inject_next_clear(plat(&x));
	assert_false(result(&x, TDXSIM_INJECT_PAMT_LOCK).taken);
	tdg_teardown(&x);
}

/* "lock" counts every lock, so nth walks the leaf's locks in order; past
 * the last, nothing fires and the call succeeds. */
static void test_lock_order_of_aug(void **state)
{
	static const uint64_t want[] = {
		/* the TDR's PAMT walk (1G, 2M, 4K), the op state, the S-EPT
		 * tree, its entry, then the new page's PAMT walk */
		BUSY(TDX_OPERAND_ID_RDX), BUSY(TDX_OPERAND_ID_RDX), BUSY(TDX_OPERAND_ID_RDX),
		BUSY(TDX_OPERAND_ID_OP_STATE), BUSY(TDX_OPERAND_ID_SEPT_TREE),
		BUSY(TDX_OPERAND_ID_RCX),
		BUSY(TDX_OPERAND_ID_R8), BUSY(TDX_OPERAND_ID_R8), BUSY(TDX_OPERAND_ID_R8),
	};
	const unsigned n = sizeof(want) / sizeof(want[0]);
	struct tdg x;
	uint64_t page, s;

	(void)state;
	tdg_simple(&x);
	tdm_sept_path(&x.t, G_AUG, 1);
	for (unsigned i = 0; i <= n; i++) {
		assert_int_equal(tdxsim_inject_next(plat(&x), TDXSIM_INJECT_LOCK, i + 1, 1,
						    TDXSIM_INJECT_NEXT_SEAMCALL), 0);
		s = aug(&x, &page);
		if (i < n && s != want[i])
			fail_msg("lock %u: 0x%016llx, want 0x%016llx", i + 1,
				 (unsigned long long)s, (unsigned long long)want[i]);
		assert_int_equal(result(&x, TDXSIM_INJECT_LOCK).fired, i < n);
	}
	assert_int_equal(s, TDX_SUCCESS);
	assert_int_equal(result(&x, TDXSIM_INJECT_LOCK).seen, n);
	x.data[x.n_data++] = page;
	tdg_teardown(&x);
}

/* A SEAMCALL the door refuses (#UD) never reaches the module: the
 * injection waits for the next one that does. */
static void test_door_refusal_does_not_take(void **state)
{
	struct tdg x;
	struct tdx_module_args a = { 0 };

	(void)state;
	tdg_simple(&x);
	assert_int_equal(tdxsim_inject_next(plat(&x), TDXSIM_INJECT_GLOBAL_LOCK, 1, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), 0);
	assert_int_equal(platform_bind(plat(&x), 0), 0);
	assert_int_equal(platform_vmxoff(plat(&x)), 0);
	assert_int_equal(seamcall(TDH_SYS_INIT, &a), TDX_SEAMCALL_UD);
	assert_int_equal(platform_vmxon(plat(&x)), 0);
	platform_unbind(plat(&x));
	assert_false(result(&x, TDXSIM_INJECT_GLOBAL_LOCK).taken);
	assert_int_equal(sc0(plat(&x), 1, TDH_SYS_INIT), TDX_SYS_BUSY);
	assert_int_equal(result(&x, TDXSIM_INJECT_GLOBAL_LOCK).fired, 1);
	assert_int_equal(sc0(plat(&x), 1, TDH_SYS_INIT), TDX_SYS_INIT_NOT_PENDING);
	tdg_teardown(&x);
}

static void test_arming_errors(void **state)
{
	struct tdg x;
	struct platform *p;

	(void)state;
	tdg_simple(&x);
	p = plat(&x);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_RDRAND, 0, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), -EINVAL);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_RDRAND, 1, 0,
					    TDXSIM_INJECT_NEXT_SEAMCALL), -EINVAL);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_NR, 1, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), -EINVAL);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_RDRAND, 1, 1, 7), -EINVAL);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_RDRAND, 1, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), 0);
	/* Once per kind; one scope for everything armed. */
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_RDRAND, 2, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), -EINVAL);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_KEYGEN, 1, 1,
					    TDXSIM_INJECT_NEXT_TDCALL), -EBUSY);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_KEYGEN, 1, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), 0);
	tdxsim_inject_next_clear(p);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_KEYGEN, 1, 1,
					    TDXSIM_INJECT_NEXT_TDCALL), 0);
	tdxsim_inject_next_clear(p);
	/* "lock" is a one-call kind only. */
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_LOCK, 1), -EINVAL);
	assert_string_equal(tdxsim_inject_name(TDXSIM_INJECT_LOCK), "lock");
	assert_int_equal(tdxsim_inject_parse("td-fatal"), TDXSIM_INJECT_TD_FATAL);
	tdg_teardown(&x);
}

static void test_no_module(void **state)
{
	struct tdxsim_platform_config c;
	struct tdxsim_inject_result r = { .taken = true };
	struct platform *p;

	(void)state;
	small_config(&c, 1, 1, 1, TDXSIM_PROFILE_1_5);
	c.module_loaded = false;
	p = machine_new(&c);
	assert_int_equal(tdxsim_inject_next(p, TDXSIM_INJECT_RDRAND, 1, 1,
					    TDXSIM_INJECT_NEXT_SEAMCALL), -ENODEV);
	assert_int_equal(tdxsim_inject_td_fatal(p, 0x100000), -ENODEV);
	tdxsim_inject_next_result(p, TDXSIM_INJECT_RDRAND, &r);
	assert_false(r.taken);
	tdxsim_inject_next_clear(p);
	platform_destroy(p);
}

/* ---- the TDCALL scope ---- */

static uint64_t body_status[4];

/* HLT hands the vCPU back to the test, which arms before re-entering;
 * the TDCALLs after it are the ones aimed at. */
static int body_pause_then_calls(struct tdx_guest *g)
{
	for (unsigned i = 0; i < 2; i++) {
		uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VM_RD, [TDX_GPR_RDX] = MD_TD_TDCS_NUM_VCPUS };

		tdx_hlt(g, false);
		body_status[i] = tdx_tdcall(g, gpr);
	}
	return 0;
}

static uint64_t enter(struct tdg *x, struct tdx_module_args *a)
{
	memset(a, 0, sizeof(*a));
	return tdg_enter(x, 0, 0, a);
}

/* Armed before the first entry, a TDCALL injection is taken by the
 * firmware's TDG.VP.INFO, not by the VP.ENTER SEAMCALL around it, and is
 * gone afterwards: the body's TDCALLs run clean. */
static void test_tdcall_scope(void **state)
{
	struct tdg x;
	struct tdx_module_args a;
	struct tdxsim_inject_result r;

	(void)state;
	memset(body_status, 0xEE, sizeof(body_status));
	tdg_body = body_pause_then_calls;
	tdg_simple(&x);
	assert_int_equal(tdxsim_inject_next(plat(&x), TDXSIM_INJECT_PAMT_LOCK, 1, 1,
					    TDXSIM_INJECT_NEXT_TDCALL), 0);
	assert_int_equal(enter(&x, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.r11, TDX_EXIT_HLT);
	r = result(&x, TDXSIM_INJECT_PAMT_LOCK);
	assert_true(r.taken);
	assert_int_equal(r.leaf, TDG_VP_INFO);
	assert_int_equal(r.seen, 0);
	assert_int_equal(r.fired, 0);
	assert_int_equal(enter(&x, &a), TDX_EXIT_TDCALL);
	assert_int_equal(enter(&x, &a), TDX_EXIT_TDCALL);
	assert_int_equal(body_status[0], TDX_SUCCESS);
	assert_int_equal(body_status[1], TDX_SUCCESS);
	tdg_teardown(&x);
}

/* A TD made fatal as the TDCALL traps in: the vCPU leaves at once with
 * NON_RECOVERABLE_TD_NON_ACCESSIBLE and the TDCALL never runs. */
static void test_tdcall_on_fatal_td(void **state)
{
	struct tdg x;
	struct tdx_module_args a;
	struct tdxsim_inject_result r;

	(void)state;
	memset(body_status, 0xEE, sizeof(body_status));
	tdg_body = body_pause_then_calls;
	tdg_simple(&x);
	assert_int_equal(enter(&x, &a), TDX_EXIT_TDCALL);   /* the pause */
	assert_int_equal(tdxsim_inject_next(plat(&x), TDXSIM_INJECT_TD_FATAL, 1, 1,
					    TDXSIM_INJECT_NEXT_TDCALL), 0);
	assert_int_equal(enter(&x, &a), TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE | TDX_EXIT_TDCALL);
	assert_int_equal(body_status[0], 0xEEEEEEEEEEEEEEEEULL);   /* never returned */
	r = result(&x, TDXSIM_INJECT_TD_FATAL);
	assert_true(r.taken);
	assert_int_equal(r.leaf, TDG_VM_RD);
	assert_int_equal(r.fired, 1);
	assert_true(tdg_td_fatal(&x));
	assert_int_equal(enter(&x, &a), TDX_TD_FATAL);
	tdg_teardown(&x);
}

/* The guest itself plays the other LP: it makes its TD fatal, then
 * touches a page that is not there. */
static struct tdg *fatal_x;
static uint64_t fatal_read;

static int body_fatal_then_fault(struct tdx_guest *g)
{
	if (tdxsim_inject_td_fatal(plat(fatal_x), fatal_x->t.tdr))
		return 3;
	tdx_read(g, 0x40000000ULL, &fatal_read, 8);
	fatal_read = 0xBAD;                    /* never gets here */
	return 0;
}

/* Any exit of a TD made fatal meanwhile, not only a TDCALL, leaves with
 * NON_RECOVERABLE_TD_NON_ACCESSIBLE and the exit's own reason and
 * qualification (the dispatcher's first look); no GPA, no entry again. */
static void test_ept_exit_of_fatal_td(void **state)
{
	struct tdg x;
	struct tdx_module_args a;

	(void)state;
	fatal_x = &x;
	fatal_read = 0;
	tdg_body = body_fatal_then_fault;
	tdg_simple(&x);
	memset(&a, 0, sizeof(a));
	a.rcx = x.t.tdvpr[0];
	assert_int_equal(tdg_enter(&x, 0, 0, &a),
			 TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_READ);
	assert_int_equal(a.r8, 0);
	assert_int_equal(fatal_read, 0);
	assert_true(tdg_td_fatal(&x));
	assert_int_equal(enter(&x, &a), TDX_TD_FATAL);
	tdg_teardown(&x);
}

/* ---- tdxsim_inject_td_fatal ---- */

static void test_td_fatal_api(void **state)
{
	struct tdg x;
	struct tdx_module_args a;

	(void)state;
	tdg_simple(&x);
	assert_false(tdg_td_fatal(&x));
	/* Not a TDR: a TDCS page, a TDVPR, a free page, a KeyID, misalignment. */
	assert_int_equal(tdxsim_inject_td_fatal(plat(&x), x.t.tdcx[0]), -EINVAL);
	assert_int_equal(tdxsim_inject_td_fatal(plat(&x), x.t.tdvpr[0]), -EINVAL);
	assert_int_equal(tdxsim_inject_td_fatal(plat(&x), x.t.shared), -EINVAL);
	assert_int_equal(tdxsim_inject_td_fatal(plat(&x), x.t.tdr + 8), -EINVAL);
	assert_int_equal(tdxsim_inject_td_fatal(plat(&x),
			 platform_pa_with_keyid(plat(&x), x.t.tdr, 1)), -EINVAL);
	assert_false(tdg_td_fatal(&x));
	/* An armed injection is not used up by it. */
	assert_int_equal(tdxsim_inject(plat(&x), TDXSIM_INJECT_PAMT_LOCK, 1), 0);
	assert_int_equal(tdxsim_inject_td_fatal(plat(&x), x.t.tdr), 0);
	assert_true(tdg_td_fatal(&x));
	a = (struct tdx_module_args){ .rcx = x.t.tdr, .rdx = MD_TD_TDCS_NUM_VCPUS };
	assert_int_equal(tdm_sc(&x.t, 0, TDH_MNG_RD, &a), BUSY(TDX_OPERAND_ID_RCX));
	assert_int_equal(tdm_sc(&x.t, 0, TDH_MNG_RD, &a), TDX_TD_FATAL);
	assert_int_equal(enter(&x, &a), TDX_TD_FATAL);
	tdg_teardown(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seamcall_nth),
		cmocka_unit_test(test_seamcall_unfired_disarmed),
		cmocka_unit_test(test_lock_order_of_aug),
		cmocka_unit_test(test_door_refusal_does_not_take),
		cmocka_unit_test(test_arming_errors),
		cmocka_unit_test(test_no_module),
		cmocka_unit_test(test_tdcall_scope),
		cmocka_unit_test(test_tdcall_on_fatal_td),
		cmocka_unit_test(test_td_fatal_api),
		cmocka_unit_test(test_ept_exit_of_fatal_td),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
