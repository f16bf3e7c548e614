/* SPDX-License-Identifier: MIT */
/*
 * Conformance of TDH.VP.ENTER and the TD exits (abi §6.4, §7.1–7.3, §5.9
 * "guest access to a PENDING page"), driven directly with SEAMCALLs so
 * the test decides what the host maps between entries (helpers/td_guest.h).
 * The guest runs this file's body functions; they report through the
 * static `gs` below.
 *
 * Also the VMM's handling of a pending-page EPT violation under
 * SEPT_VE_DISABLE (KVM's tdx_is_sept_violation_unexpected_pending).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helpers/td_guest.h"
#include "guest/guest_internal.h"
#include "host/page_alloc.h"
#include "vmm/vmm.h"

#define GPA_A 0x200000ULL
#define GPA_B 0x400000ULL
#define PATTERN(i) (0x5A5A000000000000ULL | ((uint64_t)(i) << 8) | 0x11)

/* What the guest saw. */
static struct {
	uint64_t gpa[4];
	unsigned n_gpa;
	bool write;
	uint64_t val[4];
	unsigned done;           /* accesses completed */
	unsigned ves;            /* #VEs the test's handler took */
	uint64_t ve_regs[16];    /* VEINFO.GET outputs in that handler */
	uint64_t ve_status, ve_second;
	uint64_t vmcall_ctl;
	uint64_t before[16], after[16];
	uint64_t status;
} gs;

/* ---- guest bodies ---- */

static int body_access(struct tdx_guest *g)
{
	for (unsigned i = 0; i < gs.n_gpa; i++) {
		if (gs.write)
			tdx_write(g, gs.gpa[i], &gs.val[i], 8);
		else
			tdx_read(g, gs.gpa[i], &gs.val[i], 8);
		gs.done++;
	}
	return 0;
}

/* A #VE handler of the test's own: records VE_INFO, reads it a second
 * time (now invalid), accepts the page. */
static void test_ve_handler(void *arg)
{
	struct tdx_guest *g = arg;
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VP_VEINFO_GET };

	gs.ves++;
	gs.ve_status = tdx_tdcall(g, gpr);
	memcpy(gs.ve_regs, gpr, sizeof(gpr));
	memset(gpr, 0, sizeof(gpr));
	gpr[TDX_GPR_RAX] = TDG_VP_VEINFO_GET;
	gs.ve_second = tdx_tdcall(g, gpr);
	tdx_accept(g, gs.ve_regs[TDX_GPR_R9] & ~0xFFFULL, 0);
}

static int body_access_own_ve(struct tdx_guest *g)
{
	tdx_cpu_set_ve_handler(g->cpu, test_ve_handler, g);
	return body_access(g);
}

static int body_vmcall(struct tdx_guest *g)
{
	uint64_t gpr[16];

	for (unsigned i = 0; i < 16; i++)
		gpr[i] = 0xA000 + i;
	gpr[TDX_GPR_RAX] = TDG_VP_VMCALL;
	gpr[TDX_GPR_RCX] = gs.vmcall_ctl;
	memcpy(gs.before, gpr, sizeof(gpr));
	gs.status = tdx_tdcall(g, gpr);
	memcpy(gs.after, gpr, sizeof(gpr));
	return 0;
}

/* ---- host side helpers ---- */

static void fill(struct tdx_module_args *a)
{
	uint64_t *r = (uint64_t *)a;

	for (unsigned i = 0; i < sizeof(*a) / 8; i++)
		r[i] = PATTERN(i);
}

/* A pre-entry failure: exactly want, every GPR as it went in. */
static void enter_fails(struct tdg *x, unsigned lp, uint64_t rcx, uint64_t want)
{
	struct tdx_module_args a, before;
	uint64_t s;

	fill(&a);
	a.rcx = rcx;
	before = a;
	s = tdm_sc(&x->t, lp, TDH_VP_ENTER, &a);
	if (s != want)
		fail_msg("VP.ENTER rcx 0x%llx on LP %u: 0x%016llx, want 0x%016llx",
			 (unsigned long long)rcx, lp, (unsigned long long)s,
			 (unsigned long long)want);
	assert_memory_equal(&a, &before, sizeof(a));
}

/* A TD exit: the status, and the registers §7.2 zeroes are zero. */
static uint64_t enter_exit(struct tdg *x, unsigned lp, unsigned v,
			   struct tdx_module_args *a)
{
	fill(a);
	return tdg_enter(x, lp, v, a);
}

static void assert_zeroed_others(const struct tdx_module_args *a)
{
	assert_int_equal(a->rbx, 0);
	assert_int_equal(a->rsi, 0);
	assert_int_equal(a->rdi, 0);
	assert_int_equal(a->r10, 0);
	assert_int_equal(a->r11, 0);
	assert_int_equal(a->r12, 0);
	assert_int_equal(a->r13, 0);
	assert_int_equal(a->r14, 0);
	assert_int_equal(a->r15, 0);
}

/* The program's end: the firmware's TDVMCALL IO to the exit port. */
static void assert_program_end(struct tdg *x, unsigned lp, unsigned v, int code)
{
	struct tdx_module_args a;

	assert_int_equal(enter_exit(x, lp, v, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.r11, TDX_EXIT_IO);
	assert_int_equal(a.r14, TDX_GUEST_PORT_EXIT);
	assert_int_equal(a.r15, (uint64_t)code);
}

static void reset_gs(void)
{
	memset(&gs, 0, sizeof(gs));
}

static void flush_extra(struct tdg *x, uint64_t tdvpr)
{
	for (unsigned lp = 0; lp < platform_nr_lps(x->t.hm.p); lp++) {
		struct tdx_module_args a = { .rcx = tdvpr };
		uint64_t s = tdm_sc(&x->t, lp, TDH_VP_FLUSH, &a);

		/* A vCPU short of TDVPS pages was never associated. */
		if (s != TDX_SUCCESS && s != TDX_VCPU_NOT_ASSOCIATED && s != TDX_TDCX_NUM_INCORRECT)
			fail_msg("VP.FLUSH on LP %u: 0x%016llx", lp, (unsigned long long)s);
	}
}

/* ---- §7.1 input checks ---- */

#define MSR_MISC_ENABLE 0x1A0U
#define BOOT_NT4 (1ULL << 22)

/* Step 1: BOOT_NT4 comes before everything, even a non-TDVPR RCX and a
 * vCPU associated with another LP. The common CPU model has no
 * IA32_MISC_ENABLE, so LP 1 gets one. */
static void test_enter_boot_nt4(void **state)
{
	struct tdg x;

	(void)state;
	reset_gs();
	tdg_body = body_access;
	tdg_boot_msr(&x, 1, MSR_MISC_ENABLE, 0);
	tdg_build(&x, NULL, 2, true, true);
	assert_true(platform_wrmsr(x.t.hm.p, 1, MSR_MISC_ENABLE, BOOT_NT4 | 1));
	enter_fails(&x, 1, x.t.tdvpr[1], TDX_LIMIT_CPUID_MAXVAL_SET);
	enter_fails(&x, 1, x.t.tdr, TDX_LIMIT_CPUID_MAXVAL_SET);
	enter_fails(&x, 1, x.t.tdvpr[1] | (1ULL << 63), TDX_LIMIT_CPUID_MAXVAL_SET);
	enter_fails(&x, 1, x.t.tdvpr[0], TDX_LIMIT_CPUID_MAXVAL_SET);
	/* Other bits of the MSR do not matter. */
	assert_true(platform_wrmsr(x.t.hm.p, 1, MSR_MISC_ENABLE, 1));
	enter_fails(&x, 1, x.t.tdvpr[0], TDX_VCPU_ASSOCIATED);
	assert_program_end(&x, 1, 1, 0);
	/* LP 0 never had it. */
	assert_program_end(&x, 0, 0, 0);
	tdg_teardown(&x);
}

/* Step 2: the TDVPR operand (abi §4.4 with operand RCX). */
static void test_enter_rcx_operand(void **state)
{
	struct tdg x;
	uint64_t hkid_bits;

	(void)state;
	reset_gs();
	tdg_body = body_access;
	tdg_simple(&x);
	hkid_bits = (uint64_t)x.t.hkid << platform_keyid_shift(x.t.hm.p);
	/* Not a TDVPR: the TDR, a TDCX page, a TDVPX page, a free page. */
	enter_fails(&x, 0, x.t.tdr, TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 0, x.t.tdcx[0], TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 0, x.t.tdvpx[0][0], TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 0, x.t.shared, TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX);
	/* HKID bits in the address: not a valid private HPA. */
	enter_fails(&x, 0, x.t.tdvpr[0] | hkid_bits, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	/* Outside every TDMR. */
	enter_fails(&x, 0, 1ULL << 40, TDX_OPERAND_ADDR_RANGE_ERROR | TDX_OPERAND_ID_RCX);
	/* The TDVPR's PAMT entry held by another LP. */
	tdm_pamt_hold(&x.t, TDX_PS_4K, x.t.tdvpr[0]);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX);
	tdm_pamt_release(&x.t, TDX_PS_4K, x.t.tdvpr[0]);
	/* Pairs: RCX's reserved bits win over a bad page (tdh_vp_enter
	 * checks them before any lock). */
	enter_fails(&x, 0, x.t.tdr | (1ULL << 63), TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 0, x.t.tdr | 0x8, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	assert_program_end(&x, 0, 0, 0);
	tdg_teardown(&x);
}

/* Step 2: the TD's state through the common gate (abi §5.3). */
static void test_enter_td_state(void **state)
{
	struct tdg x;
	struct tdx_module_args a;

	(void)state;
	reset_gs();
	tdg_body = body_access;
	tdg_boot(&x);
	tdg_build(&x, NULL, 1, true, false);
	/* Before MR.FINALIZE the op state is INITIALIZED. */
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OP_STATE_INCORRECT);
	/* Pairs: reserved flags win over the op state; the op state wins
	 * over the epoch lock (step 5); the op-state lock comes first. */
	enter_fails(&x, 0, x.t.tdvpr[0] | 1, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_EPOCH_LOCK, 1), 0);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OP_STATE_INCORRECT);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_EPOCH_LOCK, 0), 0);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OPERAND_BUSY | TDX_OPERAND_ID_OP_STATE);
	tdg_finalize(&x);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	enter_fails(&x, 0, x.t.tdvpr[0] | 1, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OPERAND_BUSY | TDX_OPERAND_ID_OP_STATE);
	assert_program_end(&x, 0, 0, 0);
	/* After VPFLUSHDONE the TD is TD_BLOCKED: keys not configured. */
	flush_extra(&x, x.t.tdvpr[0]);
	a = (struct tdx_module_args){ .rcx = x.t.tdr };
	assert_int_equal(tdm_sc(&x.t, 0, TDH_MNG_VPFLUSHDONE, &a), TDX_SUCCESS);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_TD_KEYS_NOT_CONFIGURED);
	enter_fails(&x, 0, x.t.tdvpr[0] | (1ULL << 63), TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	tdm_free(&x.t);
}

/* A vCPU made before finalize: VP.CREATE and n TDVPX pages on LP lp,
 * VP.INIT only with init. Its pages go to x->data for teardown. */
static uint64_t extra_vcpu(struct tdg *x, unsigned lp, unsigned n_tdvpx, bool init)
{
	struct tdx_module_args a = { .rcx = tdm_page(&x->t), .rdx = x->t.tdr };
	uint64_t tdvpr;

	assert_int_equal(tdm_sc(&x->t, lp, TDH_VP_CREATE, &a), TDX_SUCCESS);
	tdvpr = a.rcx;
	for (unsigned i = 0; i < n_tdvpx; i++) {
		struct tdx_module_args b = { .rcx = tdm_page(&x->t), .rdx = tdvpr };

		assert_int_equal(tdm_sc(&x->t, lp, TDH_VP_ADDCX, &b), TDX_SUCCESS);
		x->data[x->n_data++] = b.rcx;
	}
	if (init) {
		a = (struct tdx_module_args){ .rcx = tdvpr, .rdx = 0x1234, .r8 = 7 };
		assert_int_equal(tdm_sc(&x->t, lp, TDH_VP_INIT | (1ULL << TDX_VERSION_SHIFT), &a),
				 TDX_SUCCESS);
	}
	x->data[x->n_data++] = tdvpr;
	return tdvpr;
}

/* Steps 3–5: the vCPU, its LP, the flags, the epoch. */
static void test_enter_vcpu_checks(void **state)
{
	static const uint64_t bad_flags[] = {
		1, 0x800, 1ULL << 54, 1ULL << 63,
		TDX_VP_ENTER_HOST_RECOVERABILITY_HINT,   /* last exit not ASYNC_TRAP */
		TDX_VP_ENTER_RESUME_L1,                  /* no L2 VM */
	};
	struct tdg x;
	uint64_t short_vcpu, uninit_vcpu;

	(void)state;
	reset_gs();
	tdg_body = body_access;
	tdg_boot(&x);
	tdg_build(&x, NULL, 1, true, false);
	short_vcpu = extra_vcpu(&x, 1, 2, false);
	uninit_vcpu = extra_vcpu(&x, 1, TDX_MIN_TDVPS_PAGES - 1, false);
	tdg_finalize(&x);

	/* TDVPS pages missing; that vCPU is also not initialised: the page
	 * count is checked first. */
	enter_fails(&x, 1, short_vcpu, TDX_TDCX_NUM_INCORRECT);
	/* Not initialised (state != READY), before the LP. */
	enter_fails(&x, 1, uninit_vcpu, TDX_VCPU_STATE_INCORRECT);
	enter_fails(&x, 2, uninit_vcpu, TDX_VCPU_STATE_INCORRECT);
	/* Associated with LP 0 (VP.INIT there): LP 1 is refused, before the
	 * flags that need the vCPU (the recoverability hint). */
	enter_fails(&x, 1, x.t.tdvpr[0], TDX_VCPU_ASSOCIATED);
	enter_fails(&x, 1, x.t.tdvpr[0] | TDX_VP_ENTER_HOST_RECOVERABILITY_HINT,
		    TDX_VCPU_ASSOCIATED);
	/* Reserved bits come first, and such a call touches nothing: the
	 * vCPU stays LP 0's. */
	enter_fails(&x, 1, short_vcpu | 1, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 1, x.t.tdvpr[0] | (1ULL << 63), TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 1, x.t.tdvpr[0], TDX_VCPU_ASSOCIATED);
	/* Reserved and invalid flags, each alone. */
	for (unsigned i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++)
		enter_fails(&x, 0, x.t.tdvpr[0] | bad_flags[i],
			    TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	/* The epoch lock: alone, and after the flags in a pair. */
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_EPOCH_LOCK, 1), 0);
	enter_fails(&x, 0, x.t.tdvpr[0] | 1, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OPERAND_BUSY | TDX_OPERAND_ID_TD_EPOCH);
	assert_int_equal(tdg_epoch_refcount(&x, 0) + tdg_epoch_refcount(&x, 1), 0);
	/* Nothing of the failures stuck: the vCPU runs. */
	assert_int_equal(tdg_vcpu_state(&x, 0), VCPU_READY);
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(tdg_epoch_refcount(&x, 0) + tdg_epoch_refcount(&x, 1), 0);
	flush_extra(&x, short_vcpu);
	flush_extra(&x, uninit_vcpu);
	tdg_teardown(&x);
}

/* ---- §7.2 exit registers ---- */

static void test_exit_registers_ept_violation(void **state)
{
	struct tdg x;
	struct tdx_module_args a;

	(void)state;
	reset_gs();
	gs.gpa[0] = GPA_A + 0x123;
	gs.gpa[1] = GPA_B + 0xFF8;
	gs.n_gpa = 2;
	tdg_body = body_access;
	tdg_simple(&x);
	/* A read of an unmapped private GPA. */
	assert_int_equal(enter_exit(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_READ);
	assert_int_equal(a.rdx, TDX_EEQ_NONE);
	assert_int_equal(a.r8, GPA_A);          /* 4K-aligned */
	assert_int_equal(a.r9, 0);
	assert_zeroed_others(&a);
	assert_int_equal(tdg_vcpu_state(&x, 0), VCPU_READY);
	assert_int_equal(tdg_epoch_refcount(&x, 0) + tdg_epoch_refcount(&x, 1), 0);
	assert_int_equal(gs.done, 0);
	assert_int_equal(tdg_aug(&x, GPA_A, 0, 0xEE, NULL), TDX_SUCCESS);
	/* The #VE accepts A (no exit); B's exit names B. */
	assert_int_equal(enter_exit(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.r8, GPA_B);
	assert_int_equal(gs.done, 1);
	assert_int_equal(gs.val[0], 0);         /* accepted pages read as zero */
	assert_int_equal(tdg_aug(&x, GPA_B, 0, 0xEE, NULL), TDX_SUCCESS);
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(gs.done, 2);
	tdg_teardown(&x);
}

static void test_exit_registers_write(void **state)
{
	struct tdg x;
	struct tdx_module_args a;

	(void)state;
	reset_gs();
	gs.gpa[0] = GPA_A + 8;
	gs.val[0] = 0x1122334455667788ULL;
	gs.n_gpa = 1;
	gs.write = true;
	tdg_body = body_access;
	tdg_simple(&x);
	assert_int_equal(enter_exit(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_WRITE);
	assert_int_equal(a.r8, GPA_A);
	assert_zeroed_others(&a);
	assert_int_equal(tdg_aug(&x, GPA_A, 0, 0, NULL), TDX_SUCCESS);
	assert_program_end(&x, 0, 0, 0);
	tdg_teardown(&x);
}

/* TDG.VP.VMCALL both ways (abi §7.3). */
static void test_vmcall_register_passing(void **state)
{
	/* RDX, RBX, RSI, R8, R10, R12, R14, plus XMM0 (passed as nothing). */
	const uint64_t ctl = (1u << 2) | (1u << 3) | (1u << 6) | (1u << 8) | (1u << 10) |
			     (1u << 12) | (1u << 14) | (1ULL << 16);
	struct tdg x;
	struct tdx_module_args a;
	uint64_t *r;
	/* struct tdx_module_args order: rcx rdx r8..r15 rbx rdi rsi */
	static const unsigned gpr_of[13] = { 1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 3, 7, 6 };

	(void)state;
	reset_gs();
	gs.vmcall_ctl = ctl;
	tdg_body = body_vmcall;
	tdg_simple(&x);
	assert_int_equal(enter_exit(&x, 0, 0, &a), TDX_EXIT_TDCALL);   /* no class */
	assert_int_equal(a.rcx, ctl & 0xFFFFFFFFULL);
	r = (uint64_t *)&a;
	for (unsigned i = 1; i < 13; i++) {
		unsigned g = gpr_of[i];

		if (ctl >> g & 1)
			assert_int_equal(r[i], 0xA000 + g);
		else
			assert_int_equal(r[i], 0);
	}
	assert_int_equal(tdg_vcpu_state(&x, 0), VCPU_READY);
	/* The VMM's answer: every register set, only the selected go in. */
	for (unsigned i = 0; i < 13; i++)
		r[i] = 0xB000 + gpr_of[i];
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_EXIT_TDCALL);   /* the program's end */
	assert_int_equal(a.r14, TDX_GUEST_PORT_EXIT);
	assert_int_equal(gs.status, TDX_SUCCESS);
	assert_int_equal(gs.after[TDX_GPR_RAX], TDX_SUCCESS);
	assert_int_equal(gs.after[TDX_GPR_RCX], ctl);
	for (unsigned g = TDX_GPR_RDX; g < 16; g++) {
		if (g == TDX_GPR_RSP)
			continue;
		if (ctl >> g & 1)
			assert_int_equal(gs.after[g], 0xB000 + g);
		else
			assert_int_equal(gs.after[g], gs.before[g]);
	}
	tdg_teardown(&x);
}

/* ---- triple fault and #MC ---- */

static void test_triple_fault_disables_vcpu(void **state)
{
	struct tdg x;
	struct tdx_module_args a;

	(void)state;
	reset_gs();
	tdg_boot(&x);
	tdg_build(&x, NULL, 2, false, true);   /* garbage image */
	assert_int_equal(enter_exit(&x, 0, 0, &a), TDX_NON_RECOVERABLE_VCPU | TDX_EXIT_TRIPLE_FAULT);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r8, 0);
	assert_int_equal(a.r9, 0);
	assert_zeroed_others(&a);
	assert_int_equal(tdg_vcpu_state(&x, 0), VCPU_DISABLED);
	assert_false(tdg_td_fatal(&x));
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_VCPU_STATE_INCORRECT);
	enter_fails(&x, 0, x.t.tdvpr[0] | 1, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	enter_fails(&x, 1, x.t.tdvpr[0], TDX_VCPU_STATE_INCORRECT);
	/* The TD lives on: the other vCPU enters (and faults on its own). */
	assert_int_equal(tdg_vcpu_state(&x, 1), VCPU_READY);
	assert_int_equal(enter_exit(&x, 1, 1, &a), TDX_NON_RECOVERABLE_VCPU | TDX_EXIT_TRIPLE_FAULT);
	a = (struct tdx_module_args){ .rcx = x.t.tdr, .rdx = MD_TD_TDCS_CONFIG_FLAGS };
	assert_int_equal(tdm_sc(&x.t, 0, TDH_MNG_RD, &a), TDX_SUCCESS);
	tdg_teardown(&x);
}

static void test_machine_check_td_fatal(void **state)
{
	struct tdg x;
	struct tdx_module_args a;
	uint64_t junk = 0x4141414141414141ULL;

	(void)state;
	reset_gs();
	tdg_body = body_access;
	tdg_boot(&x);
	tdg_build(&x, NULL, 2, true, true);
	/* A host store into the image page poisons the line. */
	assert_int_equal(platform_mem_write(x.t.hm.p, x.data[0], &junk, 8), TDXSIM_MEM_OK);
	assert_int_equal(enter_exit(&x, 0, 0, &a),
			 TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE | TDX_EXIT_EXCEPTION_NMI);
	assert_int_equal(a.r9, TDX_INTR_INFO_VALID | TDX_INTR_TYPE_HW_EXCEPTION | TDX_VECTOR_MC);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r8, 0);
	assert_zeroed_others(&a);
	assert_true(tdg_td_fatal(&x));
	/* Every later entry, of any vCPU, is TD_FATAL, which is checked
	 * before the op-state lock, the vCPU's state and the flags that
	 * need the vCPU (RCX's reserved bits come before everything). */
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_TD_FATAL);
	enter_fails(&x, 1, x.t.tdvpr[1], TDX_TD_FATAL);
	enter_fails(&x, 1, x.t.tdvpr[1] | TDX_VP_ENTER_RESUME_L1, TDX_TD_FATAL);
	enter_fails(&x, 1, x.t.tdvpr[0], TDX_TD_FATAL);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 1), 0);
	enter_fails(&x, 1, x.t.tdvpr[1], TDX_TD_FATAL);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_OP_STATE_LOCK, 0), 0);
	a = (struct tdx_module_args){ .rcx = x.t.tdr, .rdx = MD_TD_TDCS_CONFIG_FLAGS };
	assert_int_equal(tdm_sc(&x.t, 0, TDH_MNG_RD, &a), TDX_TD_FATAL);
	tdg_teardown(&x);
}

/* ---- §5.9: guest access to a PENDING page ---- */

/* A TD whose guest body touches GPA_A + 0x40, a page the host AUGed
 * (with its data in it) and nobody accepted. */
static void pending_td(struct tdg *x, int (*body)(struct tdx_guest *), uint64_t attributes,
		       uint64_t config_flags)
{
	struct td_params p;

	reset_gs();
	gs.gpa[0] = GPA_A + 0x40;
	gs.n_gpa = 1;
	tdg_body = body;
	tdm_default_params(&p);
	p.attributes = attributes;
	p.config_flags |= config_flags;
	tdg_boot(x);
	tdg_build(x, &p, 1, true, true);
	assert_int_equal(tdg_aug(x, GPA_A, 0, 0xAB, NULL), TDX_SUCCESS);
}

static void test_pending_sept_ve_disable_exits(void **state)
{
	struct tdg x;
	struct tdx_module_args a;

	(void)state;
	pending_td(&x, body_access_own_ve, TDX_TD_ATTR_SEPT_VE_DISABLE, 0);
	for (unsigned i = 0; i < 2; i++) {
		/* Each entry retries the read and exits again: no #VE. */
		assert_int_equal(enter_exit(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
		assert_int_equal(a.rdx & 0xF, TDX_EEQ_PENDING_EPT_VIOLATION);
		assert_int_equal(a.rcx, TDX_EPT_QUAL_READ);
		assert_int_equal(a.r8, GPA_A);
		assert_zeroed_others(&a);
	}
	assert_int_equal(gs.ves, 0);
	assert_int_equal(gs.done, 0);
	tdg_teardown(&x);
}

static void test_pending_without_attribute_is_ve(void **state)
{
	struct tdg x;

	(void)state;
	pending_td(&x, body_access_own_ve, 0, 0);
	/* No exit until the program's end: the #VE handler accepted. */
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(gs.ves, 1);
	assert_int_equal(gs.ve_status, TDX_SUCCESS);
	assert_int_equal(gs.ve_regs[TDX_GPR_RCX], TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(gs.ve_regs[TDX_GPR_RDX], TDX_EPT_QUAL_READ);
	assert_int_equal(gs.ve_regs[TDX_GPR_R8], GPA_A + 0x40);   /* GLA */
	assert_int_equal(gs.ve_regs[TDX_GPR_R9], GPA_A + 0x40);   /* GPA */
	assert_int_equal(gs.ve_regs[TDX_GPR_R10], 0);
	/* VEINFO.GET cleared the valid flag. */
	assert_int_equal(gs.ve_second, TDX_NO_VALID_VE_INFO);
	assert_int_equal(gs.done, 1);
	assert_int_equal(gs.val[0], 0);   /* the host's 0xAB bytes are gone */
	tdg_teardown(&x);
}

/* The guest turns pending-page #VEs off as Linux's disable_sept_ve()
 * does: TDG.VM.WR of TD_CTLS.PENDING_VE_DISABLE, which the module takes
 * only from a TD built with FLEXIBLE_PENDING_VE (rewriting the same value
 * is always fine); the decision then follows TD_CTLS. */
static uint64_t td_ctls_wr[2], td_ctls_old[2];

static int body_disable_sept_ve(struct tdx_guest *g)
{
	for (unsigned i = 0; i < 2; i++) {
		uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VM_WR, [TDX_GPR_RDX] = MD_TD_TDCS_TD_CTLS,
				     [TDX_GPR_R8] = i == 0, [TDX_GPR_R9] = 1 };

		td_ctls_wr[i] = tdx_tdcall(g, gpr);
		td_ctls_old[i] = gpr[TDX_GPR_R8];
	}
	return body_access_own_ve(g);
}

static void test_guest_disables_pending_ve(void **state)
{
	struct tdg x;

	(void)state;
	pending_td(&x, body_disable_sept_ve, 0, TDX_CONFIG_FLAGS_FLEXIBLE_PENDING_VE);
	/* Set, then cleared again (both allowed): the access after ran with
	 * it clear, so it was a #VE, accepted by the handler. */
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(td_ctls_wr[0], TDX_SUCCESS);
	assert_int_equal(td_ctls_old[0], 0);
	assert_int_equal(td_ctls_wr[1], TDX_SUCCESS);
	assert_int_equal(td_ctls_old[1], 1);
	assert_int_equal(gs.ves, 1);
	tdg_teardown(&x);

	/* ...and without FLEXIBLE_PENDING_VE the guest cannot set it. */
	pending_td(&x, body_disable_sept_ve, 0, 0);
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(td_ctls_wr[0], TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(td_ctls_wr[1], TDX_SUCCESS);     /* 0 stays 0 */
	assert_int_equal(td_ctls_old[1], 0);
	assert_int_equal(gs.ves, 1);
	tdg_teardown(&x);
}

static int body_set_td_ctls_then_access(struct tdx_guest *g)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VM_WR, [TDX_GPR_RDX] = MD_TD_TDCS_TD_CTLS,
			     [TDX_GPR_R8] = 1, [TDX_GPR_R9] = 1 };

	td_ctls_wr[0] = tdx_tdcall(g, gpr);
	return body_access_own_ve(g);
}

static void test_guest_td_ctls_decides_pending(void **state)
{
	struct tdg x;
	struct tdx_module_args a;

	(void)state;
	pending_td(&x, body_set_td_ctls_then_access, 0, TDX_CONFIG_FLAGS_FLEXIBLE_PENDING_VE);
	/* No SEPT_VE_DISABLE attribute, yet TD_CTLS says exit: an EPT
	 * violation TD exit of type PENDING, no #VE. */
	assert_int_equal(enter_exit(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(td_ctls_wr[0], TDX_SUCCESS);
	assert_int_equal(a.rdx & 0xF, TDX_EEQ_PENDING_EPT_VIOLATION);
	assert_int_equal(a.r8, GPA_A);
	assert_int_equal(gs.ves, 0);
	tdg_teardown(&x);
}

/* A #VE raised by a TDCALL's memory operand reports the TDCALL's
 * instruction length, 4, in VEINFO.GET's R10 (tdx_inject_ve copies the
 * VMCS's); the TDCALL then runs again and succeeds. */
static int body_rtmr_on_pending(struct tdx_guest *g)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_MR_RTMR_EXTEND, [TDX_GPR_RCX] = GPA_A,
			     [TDX_GPR_RDX] = 3 };

	tdx_cpu_set_ve_handler(g->cpu, test_ve_handler, g);
	gs.status = tdx_tdcall(g, gpr);
	gs.done++;
	return 0;
}

static void test_tdcall_operand_ve_length(void **state)
{
	struct tdg x;

	(void)state;
	pending_td(&x, body_rtmr_on_pending, 0, 0);
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(gs.status, TDX_SUCCESS);
	assert_int_equal(gs.ves, 1);
	assert_int_equal(gs.ve_regs[TDX_GPR_R9], GPA_A);
	assert_int_equal(gs.ve_regs[TDX_GPR_R10], TDX_TDCALL_INSTR_LEN);
	tdg_teardown(&x);
}

/* ---- §6.4 zero-step mitigation ---- */

static void expect_real_exit(struct tdg *x, uint64_t gpa)
{
	struct tdx_module_args a;

	assert_int_equal(enter_exit(x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_READ);   /* the guest reads */
	assert_int_equal(a.r8, gpa);
}

/* The filter's emulated exit: write qualification, no guest entry. */
static void expect_emulated_exit(struct tdg *x, uint64_t gpa)
{
	struct tdx_module_args a;

	assert_int_equal(enter_exit(x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_WRITE);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r8, gpa);
	assert_int_equal(a.r9, 0);
	assert_zeroed_others(&a);
	assert_int_equal(tdg_epoch_refcount(x, 0) + tdg_epoch_refcount(x, 1), 0);
}

static void zero_step_td(struct tdg *x, unsigned n)
{
	gs.gpa[0] = GPA_A;
	gs.gpa[1] = GPA_B;
	gs.n_gpa = n;
	tdg_body = body_access;
	tdg_simple(x);
	tdm_sept_path(&x->t, GPA_A, 1);
	tdm_sept_path(&x->t, GPA_B, 1);
}

/* td_exit_epf_stepping_log: six violations without progress are only
 * counted; the seventh puts the GPA on the list. */
static void test_zero_step_seven_violations(void **state)
{
	struct tdg x;

	(void)state;
	reset_gs();
	zero_step_td(&x, 1);
	for (unsigned i = 1; i <= TDX_STEPPING_EPF_THRESHOLD + 1; i++) {
		assert_int_equal(tdg_epf_list_len(&x, 0), 0);
		expect_real_exit(&x, GPA_A);
	}
	assert_int_equal(tdg_epf_list_len(&x, 0), 1);
	/* Still unmapped: an emulated exit, again and again. */
	expect_emulated_exit(&x, GPA_A);
	expect_emulated_exit(&x, GPA_A);
	/* The tree lock held: BUSY|SEPT_TREE, epoch count reverted. */
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_SEPT_TREE_LOCK, 1), 0);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT_TREE);
	assert_int_equal(tdg_epoch_refcount(&x, 0) + tdg_epoch_refcount(&x, 1), 0);
	/* Pair: the epoch lock (step 5) is taken before the filter. */
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_SEPT_TREE_LOCK, 1), 0);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_EPOCH_LOCK, 1), 0);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OPERAND_BUSY | TDX_OPERAND_ID_TD_EPOCH);
	enter_fails(&x, 0, x.t.tdvpr[0], TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT_TREE);
	/* Pair: flags (step 4) before the filter. */
	enter_fails(&x, 0, x.t.tdvpr[0] | 1, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	assert_int_equal(gs.done, 0);
	/* Mapped (PENDING counts): the entry proceeds; the list clears at
	 * the next exit, the guest having made progress. */
	assert_int_equal(tdg_aug(&x, GPA_A, 0, 0x77, NULL), TDX_SUCCESS);
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(tdg_epf_list_len(&x, 0), 0);
	assert_int_equal(gs.done, 1);
	assert_int_equal(gs.val[0], 0);
	tdg_teardown(&x);
}

static void test_zero_step_six_violations_do_not_trigger(void **state)
{
	struct tdg x;

	(void)state;
	reset_gs();
	zero_step_td(&x, 1);
	for (unsigned i = 1; i <= TDX_STEPPING_EPF_THRESHOLD; i++)
		expect_real_exit(&x, GPA_A);
	assert_int_equal(tdg_epf_list_len(&x, 0), 0);
	/* With the tree lock busy the entry still goes in: no filter. */
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_SEPT_TREE_LOCK, 1), 0);
	expect_real_exit(&x, GPA_A);   /* the seventh */
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_SEPT_TREE_LOCK, 0), 0);
	assert_int_equal(tdg_epf_list_len(&x, 0), 1);
	expect_emulated_exit(&x, GPA_A);
	assert_int_equal(tdg_aug(&x, GPA_A, 0, 0, NULL), TDX_SUCCESS);
	assert_program_end(&x, 0, 0, 0);
	tdg_teardown(&x);
}

static void test_zero_step_rip_change_resets(void **state)
{
	struct tdg x;

	(void)state;
	reset_gs();
	zero_step_td(&x, 2);
	for (unsigned i = 1; i < TDX_STEPPING_EPF_THRESHOLD; i++)
		expect_real_exit(&x, GPA_A);
	assert_int_equal(tdg_aug(&x, GPA_A, 0, 0, NULL), TDX_SUCCESS);
	/* A is done, the guest moved on: B's first violation counts 1, not 7. */
	expect_real_exit(&x, GPA_B);
	assert_int_equal(gs.done, 1);
	assert_int_equal(tdg_epf_list_len(&x, 0), 0);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_SEPT_TREE_LOCK, 1), 0);
	expect_real_exit(&x, GPA_B);
	assert_int_equal(tdxsim_inject(x.t.hm.p, TDXSIM_INJECT_SEPT_TREE_LOCK, 0), 0);
	for (unsigned i = 3; i <= TDX_STEPPING_EPF_THRESHOLD + 1; i++)
		expect_real_exit(&x, GPA_B);
	assert_int_equal(tdg_epf_list_len(&x, 0), 1);
	expect_emulated_exit(&x, GPA_B);
	assert_int_equal(tdg_aug(&x, GPA_B, 0, 0, NULL), TDX_SUCCESS);
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(gs.done, 2);
	tdg_teardown(&x);
}

/* The guest asks to be told of a suspected zero-step attack, then
 * touches an unmapped page seven times. */
static int body_notify(struct tdx_guest *g)
{
	uint64_t old;

	if (gs.write && tdx_vm_write(g, MD_TD_TDCS_NOTIFY_ENABLES, 1, 1, &old) != TDX_SUCCESS)
		return 9;
	gs.write = false;
	return body_access_own_ve(g);
}

/* FILTER_OK_NOTIFY_EPS_FAULT: with the GPA on the list and now mapped
 * (pending), a TD with NOTIFY_ENABLES bit 0 gets a #VE on entry carrying
 * the last exit's EPT violation; without the bit the same entry runs
 * into the pending page (an exit, SEPT_VE_DISABLE being set). */
static void notify_case(bool notify)
{
	struct tdx_module_args a;
	struct td_params p;
	struct tdg x;

	reset_gs();
	gs.gpa[0] = GPA_A;
	gs.n_gpa = 1;
	gs.write = notify;              /* body_notify: set the bit first */
	tdg_body = body_notify;
	tdm_default_params(&p);
	p.attributes = TDX_TD_ATTR_SEPT_VE_DISABLE;
	tdg_boot(&x);
	tdg_build(&x, &p, 1, true, true);
	tdm_sept_path(&x.t, GPA_A, 1);
	for (unsigned i = 1; i <= TDX_STEPPING_EPF_THRESHOLD + 1; i++)
		expect_real_exit(&x, GPA_A);
	assert_int_equal(tdg_epf_list_len(&x, 0), 1);
	assert_int_equal(tdg_aug(&x, GPA_A, 0, 0x5A, NULL), TDX_SUCCESS);
	if (!notify) {
		assert_int_equal(enter_exit(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
		assert_int_equal(a.rdx, TDX_EEQ_PENDING_EPT_VIOLATION);
		assert_int_equal(gs.ves, 0);
		tdg_teardown(&x);
		return;
	}
	assert_program_end(&x, 0, 0, 0);
	assert_int_equal(gs.ves, 1);
	assert_int_equal(gs.ve_regs[TDX_GPR_RCX], TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(gs.ve_regs[TDX_GPR_RDX], TDX_EPT_QUAL_READ);
	assert_int_equal(gs.ve_regs[TDX_GPR_R9], GPA_A);
	/* The handler accepted the page (zeroed), and the access completed. */
	assert_int_equal(gs.done, 1);
	assert_int_equal(gs.val[0], 0);
	tdg_teardown(&x);
}

static void test_zero_step_notify_ve(void **state)
{
	(void)state;
	notify_case(true);
}

static void test_zero_step_no_notify(void **state)
{
	(void)state;
	notify_case(false);
}

/* ---- the VMM and a pending-page EPT violation (KVM) ---- */

static int vmm_body_mode;   /* 0: read unaccepted, 1: accept then read */

static int vmm_prog_main(struct tdx_guest *g, int argc, char **argv)
{
	uint64_t v = 1;

	(void)argc;
	(void)argv;
	if (vmm_body_mode == 1 && tdx_accept(g, GPA_A, 0) != TDX_SUCCESS)
		return 3;
	tdx_read(g, GPA_A + 0x10, &v, 8);
	return v == 0 ? 0 : 4;
}

static const struct tdx_guest_program vmm_prog = {
	.name = "vpe-pending", .usage = "vpe-pending", .main = vmm_prog_main,
};

struct vmm_case {
	struct hm *hm;
	struct vmm *vmm;
	int ret;
	enum vm_vcpu_end end;
	int exit_code;
	char err[320];
	bool bugged;
};

static int vmm_case_run(void *arg)
{
	struct vmm_case *c = arg;
	struct td_config cfg = { .vcpus = 1, .memory_bytes = 32ULL << 20,
				 .attributes = TDX_TD_ATTR_SEPT_VE_DISABLE };
	uint8_t image[TDX_GUEST_IMAGE_BYTES];
	char err[320] = "";
	struct vm_run_result res;
	struct vm *vm;

	assert_int_equal(tdx_guest_image("vpe-pending", 0, NULL, image), 0);
	if (vm_create(c->vmm, &cfg, &vm, err, sizeof(err)))
		fail_msg("vm_create: %s", err);
	assert_int_equal(vm_init_vcpus(vm), 0);
	assert_int_equal(vm_init_mem_region(vm, 0, image, sizeof(image)), 0);
	assert_int_equal(vm_finalize(vm), 0);
	c->ret = vm_run(vm, NULL, &res);
	snprintf(c->err, sizeof(c->err), "%s", vm_error(vm));
	c->bugged = vm_bugged(vm);
	c->end = res.vcpu[0].end;
	c->exit_code = res.vcpu[0].exit_code;
	/* Accept first: one ACCEPT exit (mapped). Read first: the missing
	 * page (mapped), then the pending one (fatal). */
	assert_int_equal(res.vcpu[0].exits[TDX_EXIT_EPT_VIOLATION], vmm_body_mode == 1 ? 1 : 2);
	vm_destroy(vm);
	return 0;
}

static void vmm_case(int mode, struct vmm_case *c, struct hm *hm)
{
	uint64_t free0;

	memset(c, 0, sizeof(*c));
	hm_boot_small(hm, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	assert_int_equal(platform_add_guest_program(hm->p, &vmm_prog), 0);
	c->hm = hm;
	c->vmm = vmm_create(hm->h);
	assert_non_null(c->vmm);
	free0 = page_alloc_free_bytes(hm->h->pages);
	vmm_body_mode = mode;
	assert_int_equal(hm_on_lp(hm, 0, vmm_case_run, c), 0);
	assert_int_equal(page_alloc_free_bytes(hm->h->pages), free0);
	vmm_destroy(c->vmm);
}

/* KVM: "Guest access before accepting 0x%llx on vCPU %d", the VM dead,
 * the run -EIO; no endless re-entry. */
static void test_vmm_pending_access_kills_vm(void **state)
{
	struct vmm_case c;
	struct hm hm;

	(void)state;
	vmm_case(0, &c, &hm);
	assert_int_equal(c.ret, -EIO);
	assert_int_equal(c.end, VCPU_END_ERROR);
	assert_true(c.bugged);
	assert_string_equal(c.err, "Guest access before accepting 0x200000 on vCPU 0");
	hm_assert_line(&hm, "kvm_intel: Guest access before accepting 0x200000 on vCPU 0");
	hm_free(&hm);
}

/* Accepting first (an ACCEPT EPT violation the VMM maps) is fine. */
static void test_vmm_accept_first_runs(void **state)
{
	struct vmm_case c;
	struct hm hm;

	(void)state;
	vmm_case(1, &c, &hm);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.end, VCPU_END_EXITED);
	assert_int_equal(c.exit_code, 0);
	assert_false(c.bugged);
	hm_assert_nothing_like(&hm, "Guest access before accepting");
	hm_free(&hm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enter_boot_nt4),
		cmocka_unit_test(test_enter_rcx_operand),
		cmocka_unit_test(test_enter_td_state),
		cmocka_unit_test(test_enter_vcpu_checks),
		cmocka_unit_test(test_exit_registers_ept_violation),
		cmocka_unit_test(test_exit_registers_write),
		cmocka_unit_test(test_vmcall_register_passing),
		cmocka_unit_test(test_triple_fault_disables_vcpu),
		cmocka_unit_test(test_machine_check_td_fatal),
		cmocka_unit_test(test_pending_sept_ve_disable_exits),
		cmocka_unit_test(test_pending_without_attribute_is_ve),
		cmocka_unit_test(test_guest_disables_pending_ve),
		cmocka_unit_test(test_guest_td_ctls_decides_pending),
		cmocka_unit_test(test_tdcall_operand_ve_length),
		cmocka_unit_test(test_zero_step_seven_violations),
		cmocka_unit_test(test_zero_step_notify_ve),
		cmocka_unit_test(test_zero_step_no_notify),
		cmocka_unit_test(test_zero_step_six_violations_do_not_trigger),
		cmocka_unit_test(test_zero_step_rip_change_resets),
		cmocka_unit_test(test_vmm_pending_access_kills_vm),
		cmocka_unit_test(test_vmm_accept_first_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
