/* SPDX-License-Identifier: MIT */
/*
 * Conformance of the TD dispatcher and the implemented TDCALL leaves
 * (abi §1.1, §1.3, §7.3–7.4, §5.9 TDG.MEM.PAGE.ACCEPT), from inside a
 * guest body run with TDH.VP.ENTER directly (helpers/td_guest.h). The
 * body records what each TDCALL gave in `gs`; the test checks it.
 * (RTMR.EXTEND, MR.REPORT and VM.RD/WR are another issue's.)
 */
#include <string.h>

#include "helpers/td_guest.h"
#include "tdxsim/tdcall.h"

#define OPINV_RAX (TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX)
#define OPINV_RCX (TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX)
#define MAX_CALLS 24

static struct {
	unsigned n;
	uint64_t in[MAX_CALLS][16];
	uint64_t out[MAX_CALLS][16];
	uint64_t status[MAX_CALLS];
	uint64_t words[8];
	unsigned done;
} gs;

static void reset_gs(void)
{
	memset(&gs, 0, sizeof(gs));
}

/* One TDCALL with RAX and RCX given and the other GPRs a pattern. */
static uint64_t call(struct tdx_guest *g, uint64_t rax, uint64_t rcx)
{
	unsigned i = gs.n++;
	uint64_t *gpr = gs.out[i];

	for (unsigned r = 0; r < 16; r++)
		gpr[r] = 0xC0DE0000 + r;
	gpr[TDX_GPR_RAX] = rax;
	gpr[TDX_GPR_RCX] = rcx;
	memcpy(gs.in[i], gpr, sizeof(gs.in[i]));
	gs.status[i] = tdx_tdcall(g, gpr);
	return gs.status[i];
}

/* A failed TDCALL changed nothing but RAX. */
static void assert_only_rax(unsigned i, uint64_t want)
{
	if (gs.status[i] != want)
		fail_msg("call %u (rax 0x%llx rcx 0x%llx): 0x%016llx, want 0x%016llx", i,
			 (unsigned long long)gs.in[i][0], (unsigned long long)gs.in[i][1],
			 (unsigned long long)gs.status[i], (unsigned long long)want);
	assert_int_equal(gs.out[i][TDX_GPR_RAX], want);
	assert_memory_equal(&gs.out[i][1], &gs.in[i][1], 15 * 8);
}

static void run_to_end(struct tdg *x, unsigned lp, unsigned v)
{
	struct tdx_module_args a = { 0 };

	assert_int_equal(tdg_enter(x, lp, v, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.r11, TDX_EXIT_IO);
	assert_int_equal(a.r14, TDX_GUEST_PORT_EXIT);
	assert_int_equal(a.r15, 0);
}

/* ---- the dispatcher (abi §1.1) ---- */

static const uint64_t bad_rax[] = {
	TDG_VP_INFO | (1ULL << 24),          /* reserved 31:24 */
	TDG_VP_INFO | (1ULL << 31),
	TDG_VP_INFO | (1ULL << 32),          /* reserved 63:32 */
	TDG_VP_INFO | (1ULL << 63),
	TDG_VP_INFO | (1ULL << 16),          /* version 1 */
	TDG_VP_VEINFO_GET | (2ULL << 16),
	TDG_MEM_PAGE_ACCEPT | (1ULL << 16),
	TDG_VP_VMCALL | (1ULL << 16),
	TDG_VP_CPUIDVE_SET | (1ULL << 16),   /* takes no version */
	13, 99, 0xFFFF,                      /* unknown leaves */
	99 | (1ULL << 16) | (1ULL << 40),    /* all three at once */
};

static int body_bad_rax(struct tdx_guest *g)
{
	for (unsigned i = 0; i < sizeof(bad_rax) / sizeof(bad_rax[0]); i++)
		call(g, bad_rax[i], 0x1000);
	return 0;
}

static void test_dispatcher_rax(void **state)
{
	struct tdg x;

	(void)state;
	reset_gs();
	tdg_body = body_bad_rax;
	tdg_simple(&x);
	run_to_end(&x, 0, 0);   /* no call left the TD */
	assert_int_equal(gs.n, sizeof(bad_rax) / sizeof(bad_rax[0]));
	for (unsigned i = 0; i < gs.n; i++)
		assert_only_rax(i, OPINV_RAX);
	tdg_teardown(&x);
}

/* ---- TDG.VP.VMCALL control (abi §7.3) ---- */

#define SEL(r) (1ULL << (r))
static const uint64_t bad_ctl[] = {
	SEL(TDX_GPR_RAX), SEL(TDX_GPR_RCX), SEL(TDX_GPR_RSP),
	SEL(TDX_GPR_RBP),                    /* NO_RBP_MOD is set */
	1ULL << 32, 1ULL << 63,              /* reserved 63:32 */
	SEL(TDX_GPR_RDX) | SEL(TDX_GPR_RAX), /* one bad bit among good ones */
	SEL(TDX_GPR_R12) | (1ULL << 40),
};

static int body_bad_ctl(struct tdx_guest *g)
{
	for (unsigned i = 0; i < sizeof(bad_ctl) / sizeof(bad_ctl[0]); i++)
		call(g, TDG_VP_VMCALL, bad_ctl[i]);
	return 0;
}

static void test_vmcall_bad_control(void **state)
{
	struct tdg x;

	(void)state;
	reset_gs();
	tdg_body = body_bad_ctl;
	tdg_simple(&x);   /* tdm defaults: CONFIG_FLAGS.NO_RBP_MOD */
	run_to_end(&x, 0, 0);
	assert_int_equal(gs.n, sizeof(bad_ctl) / sizeof(bad_ctl[0]));
	for (unsigned i = 0; i < gs.n; i++)
		assert_only_rax(i, OPINV_RCX);
	tdg_teardown(&x);
}

static int body_rbp(struct tdx_guest *g)
{
	call(g, TDG_VP_VMCALL, SEL(TDX_GPR_RBP) | SEL(TDX_GPR_R12));
	return 0;
}

/* Without NO_RBP_MOD, RBP may be selected: the TD exits. (The VMM's RBP
 * is not in struct tdx_module_args, so its value is not checked.) */
static void test_vmcall_rbp_without_no_rbp_mod(void **state)
{
	struct tdg x;
	struct td_params p;
	struct tdx_module_args a = { 0 };

	(void)state;
	reset_gs();
	tdg_body = body_rbp;
	tdm_default_params(&p);
	p.config_flags = 0;
	tdg_boot(&x);
	tdg_build(&x, &p, 1, true, true);
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.rcx, SEL(TDX_GPR_RBP) | SEL(TDX_GPR_R12));
	assert_int_equal(a.r12, 0xC0DE0000 + TDX_GPR_R12);
	a.r12 = 0x777;
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.r14, TDX_GUEST_PORT_EXIT);
	assert_int_equal(gs.status[0], TDX_SUCCESS);
	assert_int_equal(gs.out[0][TDX_GPR_R12], 0x777);
	tdg_teardown(&x);
}

/* ---- TDG.VP.INFO, TDG.VP.VEINFO.GET (abi §7.4) ---- */

static uint64_t vpinfo[2][16], info_status[2], veinfo_none[2][16], veinfo_status[2];

static int body_info(struct tdx_guest *g)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VP_INFO };
	unsigned v;

	for (unsigned r = 1; r < 16; r++)
		gpr[r] = 0xFEED;
	info_status[0] = tdx_tdcall(g, gpr);
	v = (unsigned)gpr[TDX_GPR_R9] & 1;
	memcpy(vpinfo[v], gpr, sizeof(gpr));
	info_status[v] = info_status[0];
	for (unsigned r = 0; r < 16; r++)
		veinfo_none[v][r] = 0xBEEF + r;
	veinfo_none[v][TDX_GPR_RAX] = TDG_VP_VEINFO_GET;
	veinfo_status[v] = tdx_tdcall(g, veinfo_none[v]);
	return 0;
}

static void test_vp_info_and_veinfo_none(void **state)
{
	struct tdg x;
	struct td_params p;

	(void)state;
	reset_gs();
	memset(vpinfo, 0, sizeof(vpinfo));
	tdg_body = body_info;
	tdm_default_params(&p);
	p.attributes = TDX_TD_ATTR_SEPT_VE_DISABLE;
	p.max_vcpus = 3;
	tdg_boot(&x);
	tdg_build(&x, &p, 2, true, true);
	run_to_end(&x, 1, 1);
	run_to_end(&x, 0, 0);
	for (unsigned v = 0; v < 2; v++) {
		assert_int_equal(info_status[v], TDX_SUCCESS);
		assert_int_equal(vpinfo[v][TDX_GPR_RCX], 48);
		assert_int_equal(vpinfo[v][TDX_GPR_RDX], TDX_TD_ATTR_SEPT_VE_DISABLE);
		assert_int_equal(vpinfo[v][TDX_GPR_R8], 2 | (3ULL << 32));
		assert_int_equal(vpinfo[v][TDX_GPR_R9], v);
		assert_int_equal(vpinfo[v][TDX_GPR_R10], 1);
		assert_int_equal(vpinfo[v][TDX_GPR_R11], 0);
		/* No #VE happened: no valid VE_INFO; the five outputs are 0
		 * (zeroed before the check, tdg_vp_veinfo_get), the rest kept. */
		assert_int_equal(veinfo_status[v], TDX_NO_VALID_VE_INFO);
		for (unsigned r = 1; r < 16; r++)
			assert_int_equal(veinfo_none[v][r],
					 (r == TDX_GPR_RCX || r == TDX_GPR_RDX || r == TDX_GPR_R8 ||
					  r == TDX_GPR_R9 || r == TDX_GPR_R10) ? 0 : 0xBEEF + r);
	}
	tdg_teardown(&x);
}

/* ---- TDG.MEM.PAGE.ACCEPT (abi §5.9) ---- */

#define G_4K    0x200000ULL     /* AUGed 4K, host data in it */
#define G_2M    0x400000ULL     /* AUGed 2M, host data in it */
#define G_PT    0x600000ULL     /* a page table under the 2M entry */
#define G_NONE  0x40000000ULL   /* nothing: no PDPT entry */

static uint64_t shared_bit;

static int body_accept_operands(struct tdx_guest *g)
{
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K | 2);             /* level 2 (1G) */
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K | 7);             /* level 7 */
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K | 0x8);           /* reserved 11:3 */
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K | 0x800);
	call(g, TDG_MEM_PAGE_ACCEPT, G_2M | 0x1000 | 1);    /* 2M, 4K-aligned */
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K | shared_bit);    /* shared GPA */
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K | (1ULL << 52));  /* reserved 63:52 */
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K | (1ULL << 48));  /* beyond GPAW */
	/* Pair: an operand error wins over a page state (already accepted). */
	call(g, TDG_MEM_PAGE_ACCEPT, 0 | 0x8);
	return 0;
}

static void test_accept_operands(void **state)
{
	struct tdg x;

	(void)state;
	reset_gs();
	shared_bit = 1ULL << 47;
	tdg_body = body_accept_operands;
	tdg_simple(&x);
	assert_int_equal(tdg_aug(&x, G_4K, 0, 0xAB, NULL), TDX_SUCCESS);
	run_to_end(&x, 0, 0);
	assert_int_equal(gs.n, 9);
	for (unsigned i = 0; i < gs.n; i++)
		assert_only_rax(i, OPINV_RCX);
	tdg_teardown(&x);
}

static int body_accept_outcomes(struct tdx_guest *g)
{
	/* 4K: accepted and zeroed, then ALREADY_ACCEPTED at level 0. */
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K);                             /* 0 */
	tdx_read(g, G_4K, &gs.words[0], 8);
	tdx_read(g, G_4K + 4088, &gs.words[1], 8);
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K);                             /* 1 */
	/* The image (PAGE.ADD, MAPPED): already accepted. */
	call(g, TDG_MEM_PAGE_ACCEPT, 0);                                /* 2 */
	/* 2M: a page table below the 2M entry: size mismatch. */
	call(g, TDG_MEM_PAGE_ACCEPT, G_PT | 1);                         /* 3 */
	/* 2M accepted and zeroed; then at 4K inside it: the walk stops at
	 * the 2M leaf, ALREADY_ACCEPTED with level 1; at 2M: level 1. */
	call(g, TDG_MEM_PAGE_ACCEPT, G_2M | 1);                         /* 4 */
	tdx_read(g, G_2M, &gs.words[2], 8);
	tdx_read(g, G_2M + (1ULL << 21) - 8, &gs.words[3], 8);
	call(g, TDG_MEM_PAGE_ACCEPT, G_2M + 0x5000);                    /* 5 */
	call(g, TDG_MEM_PAGE_ACCEPT, G_2M | 1);                         /* 6 */
	/* Unmapped: an EPT-violation exit; the host maps; accepted. */
	call(g, TDG_MEM_PAGE_ACCEPT, G_NONE);                           /* 7 */
	tdx_read(g, G_NONE + 8, &gs.words[4], 8);
	gs.done = 1;
	return 0;
}

static void test_accept_outcomes(void **state)
{
	struct tdg x;
	struct tdx_module_args a = { 0 };
	uint64_t info;

	(void)state;
	reset_gs();
	tdg_body = body_accept_outcomes;
	tdg_simple(&x);
	assert_int_equal(tdg_aug(&x, G_4K, 0, 0xAB, NULL), TDX_SUCCESS);
	assert_int_equal(tdg_aug(&x, G_2M, 1, 0xCD, NULL), TDX_SUCCESS);
	assert_int_equal(tdg_aug(&x, G_PT, 0, 0xEF, NULL), TDX_SUCCESS);
	/* Everything up to the unmapped GPA runs without an exit. */
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(gs.n, 8);
	assert_int_equal(a.r8, G_NONE);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_WRITE);   /* entry RWX 0 */
	assert_int_equal(a.rdx & 0xF, TDX_EEQ_ACCEPT);
	info = a.rdx >> TDX_EEQ_INFO_SHIFT;
	assert_int_equal(info & 7, 0);                 /* requested level */
	assert_int_equal((info >> 3) & 7, 2);          /* stopped at the PDPT entry */
	assert_int_equal((info >> 6) & 0xFF, 0);       /* FREE */
	assert_int_equal(info >> 14 & 1, 0);           /* not a leaf */
	assert_int_equal(tdg_aug(&x, G_NONE, 0, 0x99, NULL), TDX_SUCCESS);
	run_to_end(&x, 0, 0);
	assert_int_equal(gs.done, 1);

	assert_int_equal(gs.status[0], TDX_SUCCESS);
	assert_int_equal(gs.words[0], 0);              /* host's 0xAB gone */
	assert_int_equal(gs.words[1], 0);
	assert_int_equal(gs.status[1], TDX_PAGE_ALREADY_ACCEPTED | 0);
	assert_int_equal(gs.status[2], TDX_PAGE_ALREADY_ACCEPTED | 0);
	assert_int_equal(gs.status[3], TDX_PAGE_SIZE_MISMATCH | 1);
	assert_int_equal(gs.status[4], TDX_SUCCESS);
	assert_int_equal(gs.words[2], 0);              /* host's 0xCD gone */
	assert_int_equal(gs.words[3], 0);
	assert_int_equal(gs.status[5], TDX_PAGE_ALREADY_ACCEPTED | 1);
	assert_int_equal(gs.status[6], TDX_PAGE_ALREADY_ACCEPTED | 1);
	assert_int_equal(gs.status[7], TDX_SUCCESS);
	assert_int_equal(gs.words[4], 0);
	tdg_teardown(&x);
}

/* A report written to, and RTMR data read from, pages not yet there. */
static int body_operand_qual(struct tdx_guest *g)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_MR_REPORT, [TDX_GPR_RCX] = G_NONE,
			     [TDX_GPR_RDX] = 0 };   /* REPORTDATA: the image page */

	gs.status[0] = tdx_tdcall(g, gpr);
	memset(gpr, 0, sizeof(gpr));
	gpr[TDX_GPR_RAX] = TDG_MR_RTMR_EXTEND;
	gpr[TDX_GPR_RCX] = G_NONE + 0x1000;
	gpr[TDX_GPR_RDX] = 2;
	gs.status[1] = tdx_tdcall(g, gpr);
	gs.done = 1;
	return 0;
}

/* check_walk_and_map_guest_side_gpa: the EPT-violation exit for a
 * TDCALL's memory operand asks for the rights the module maps it with,
 * read and write for TDG.MR.REPORT's output, read for RTMR.EXTEND's
 * input (and no rights found: bits 5:3 clear). */
static void test_operand_exit_qualification(void **state)
{
	struct tdg x;
	struct tdx_module_args a = { 0 };

	(void)state;
	reset_gs();
	tdg_body = body_operand_qual;
	tdg_simple(&x);
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.r8, G_NONE);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_READ | TDX_EPT_QUAL_WRITE);
	assert_int_equal(tdg_aug(&x, G_NONE, 0, 0, NULL), TDX_SUCCESS);
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.r8, G_NONE + 0x1000);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_READ);
	assert_int_equal(tdg_aug(&x, G_NONE + 0x1000, 0, 0, NULL), TDX_SUCCESS);
	run_to_end(&x, 0, 0);
	assert_int_equal(gs.done, 1);
	assert_int_equal(gs.status[0], TDX_SUCCESS);
	assert_int_equal(gs.status[1], TDX_SUCCESS);
	tdg_teardown(&x);
}

static int body_accept_4k_in_pending_2m(struct tdx_guest *g)
{
	call(g, TDG_MEM_PAGE_ACCEPT, G_2M + 0x3000);
	return 0;
}

/* A 4K accept inside a PENDING 2M page: the walk ends at a
 * non-accessible leaf of a larger size → EPT-violation exit (EEQ ACCEPT,
 * error level 1, state PENDING, leaf), retried at every entry. */
static void test_accept_4k_in_pending_2m(void **state)
{
	struct tdg x;
	struct tdx_module_args a = { 0 };
	uint64_t info;

	(void)state;
	reset_gs();
	tdg_body = body_accept_4k_in_pending_2m;
	tdg_simple(&x);
	assert_int_equal(tdg_aug(&x, G_2M, 1, 0, NULL), TDX_SUCCESS);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
		assert_int_equal(a.r8, G_2M + 0x3000);
		assert_int_equal(a.rdx & 0xF, TDX_EEQ_ACCEPT);
		info = a.rdx >> TDX_EEQ_INFO_SHIFT;
		assert_int_equal(info & 7, 0);
		assert_int_equal((info >> 3) & 7, 1);
		assert_int_equal((info >> 6) & 0xFF, 2);   /* PENDING (public) */
		assert_int_equal(info >> 14 & 1, 1);
	}
	assert_int_equal(gs.n, 1);
	tdg_teardown(&x);
}

static int body_accept_busy(struct tdx_guest *g)
{
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K);
	call(g, TDG_MEM_PAGE_ACCEPT, G_4K);
	return 0;
}

/* The entry lock held by the host: OPERAND_BUSY|RCX, then it works. */
static void test_accept_entry_busy(void **state)
{
	struct tdg x;

	(void)state;
	reset_gs();
	tdg_body = body_accept_busy;
	tdg_simple(&x);
	assert_int_equal(tdg_aug(&x, G_4K, 0, 0, NULL), TDX_SUCCESS);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_SEPT_ENTRY_LOCK, 1), 0);
	run_to_end(&x, 0, 0);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_SEPT_ENTRY_LOCK, 0), 0);
	assert_only_rax(0, TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX);
	assert_int_equal(gs.status[1], TDX_SUCCESS);
	tdg_teardown(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatcher_rax),
		cmocka_unit_test(test_vmcall_bad_control),
		cmocka_unit_test(test_vmcall_rbp_without_no_rbp_mod),
		cmocka_unit_test(test_vp_info_and_veinfo_none),
		cmocka_unit_test(test_accept_operands),
		cmocka_unit_test(test_accept_outcomes),
		cmocka_unit_test(test_accept_4k_in_pending_2m),
		cmocka_unit_test(test_operand_exit_qualification),
		cmocka_unit_test(test_accept_entry_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
