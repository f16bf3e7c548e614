/* SPDX-License-Identifier: MIT */
/*
 * The guest's CPUID (tdx-module tdx_1.5 td_cpuid.c td_cpuid_exit,
 * tdg_vp_cpuidve_set.c): a TD's program runs CPUID through the module,
 * which answers from the TD's values or raises a #VE that the runtime
 * turns into a CPUID TDVMCALL to the VMM. The program records what each
 * CPUID returned and how many went to the VMM; the test checks both.
 */
#include <string.h>

#include "helpers/vm_guest.h"

#define VE_ALL_SUPERVISOR 1
#define VE_ALL_USER 2
#define LOOKUP_LEAF0 10            /* cpuid_lookup index of leaf 0 */

enum step {
	S_LEAF0, S_LEAF21, S_LEAF1, S_LEAF6, S_LEAF2, S_LEAF30, S_HV, S_EXT1, S_TSC,
	S_SUPERVISOR_VE, S_USER_CODE, S_USER_VE, S_CONTROL_LEAF0, S_CONTROL_LEAF21,
	S_NR
};

static struct {
	uint32_t regs[S_NR][4];
	uint64_t ves[S_NR];        /* #VE count after the step */
	uint64_t bad_set, set_ok, wr_ok;
	uint64_t vm_rd_known, vm_rd_unknown;   /* TDG.VM.RD of CPUID_VALUES */
	uint32_t tsc_frequency;
} gs;

static void step(struct tdx_guest *g, enum step s, uint32_t leaf, uint32_t subleaf)
{
	tdx_cpuid(g, leaf, subleaf, gs.regs[s]);
	gs.ves[s] = tdx_cpuid_ve_count(g);
}

static uint64_t tdcall2(struct tdx_guest *g, uint64_t leaf, uint64_t rcx, uint64_t rdx,
			uint64_t r8, uint64_t r9)
{
	uint64_t gpr[16] = { [0] = leaf, [1] = rcx, [2] = rdx, [8] = r8, [9] = r9 };

	return tdx_tdcall(g, gpr);
}

static int cpuidt_main(struct tdx_guest *g, int argc, char **argv)
{
	uint64_t tsc;

	(void)argc;
	(void)argv;
	step(g, S_LEAF0, 0, 0);
	step(g, S_LEAF21, 0x21, 0);
	step(g, S_LEAF1, 1, 0);
	step(g, S_LEAF6, 6, 0);                 /* faulting */
	step(g, S_LEAF2, 2, 0);                 /* not virtualised */
	step(g, S_LEAF30, 0x30, 0);             /* above the maximum: 0x23 */
	step(g, S_HV, 0x40000000, 0);           /* hypervisor range, not clamped */
	step(g, S_EXT1, 0x80000001, 0);
	step(g, S_TSC, 0x15, 0);
	if (tdx_vm_read(g, MD_TD_TDCS_TSC_FREQUENCY, &tsc) == TDX_SUCCESS)
		gs.tsc_frequency = (uint32_t)tsc;
	gs.vm_rd_known = tdx_vm_read(g, MD_TD_TDCS_CPUID_VALUES |
				     md_cpuid_field_code(0, 0xFFFFFFFFu, 0), &tsc);
	gs.vm_rd_unknown = tdx_vm_read(g, MD_TD_TDCS_CPUID_VALUES |
				       md_cpuid_field_code(2, 0xFFFFFFFFu, 0), &tsc);
	gs.bad_set = tdcall2(g, TDG_VP_CPUIDVE_SET, 4, 0, 0, 0);
	gs.set_ok = tdcall2(g, TDG_VP_CPUIDVE_SET, VE_ALL_SUPERVISOR, 0, 0, 0);
	step(g, S_SUPERVISOR_VE, 0, 0);
	tdx_set_cpl(g, 3);
	step(g, S_USER_CODE, 0, 0);
	gs.set_ok |= tdcall2(g, TDG_VP_CPUIDVE_SET, VE_ALL_USER, 0, 0, 0);
	step(g, S_USER_VE, 0, 0);
	tdx_set_cpl(g, 0);
	gs.set_ok |= tdcall2(g, TDG_VP_CPUIDVE_SET, 0, 0, 0, 0);
	/* Leaf 0 alone as #VE at CPL 0 (CPUID_CONTROL bit 0). */
	gs.wr_ok = tdcall2(g, TDG_VP_WR, 0, MD_VP_CPUID_CONTROL + LOOKUP_LEAF0, 1, 1);
	step(g, S_CONTROL_LEAF0, 0, 0);
	step(g, S_CONTROL_LEAF21, 0x21, 0);
	return 0;
}

static const struct tdx_guest_program cpuidt_prog = {
	.name = "cpuidt", .usage = "cpuidt", .main = cpuidt_main,
};

static void run(struct vm_guest *c)
{
	memset(&gs, 0, sizeof(gs));
	vm_guest_run(c, &cpuidt_prog, 0);
}

static void expect_regs(enum step s, uint32_t a, uint32_t b, uint32_t cx, uint32_t d)
{
	assert_int_equal(gs.regs[s][0], a);
	assert_int_equal(gs.regs[s][1], b);
	assert_int_equal(gs.regs[s][2], cx);
	assert_int_equal(gs.regs[s][3], d);
}

/* Leaves the module answers: no #VE, no VMM. */
static void test_module_answers(void **state)
{
	struct vm_guest c;

	(void)state;
	run(&c);
	/* The virtual maximum 0x23, though the CPU's is 0x20. */
	expect_regs(S_LEAF0, 0x23, 0x756e6547, 0x6c65746e, 0x49656e69);
	assert_int_equal(gs.ves[S_LEAF0], 0);
	expect_regs(S_LEAF21, 0, 0x65746e49, 0x20202020, 0x5844546c);    /* "IntelTDX    " */
	/* Leaf 1: the platform FMS, APIC ID = vCPU index 0, the hypervisor
	 * bit set, OSXSAVE clear (CR4 as at VP.INIT). */
	assert_int_equal(gs.regs[S_LEAF1][0], 0x000806F8);
	assert_int_equal(gs.regs[S_LEAF1][1] >> 24, 0);
	assert_int_equal(gs.regs[S_LEAF1][2] >> 31, 1);
	assert_int_equal(gs.regs[S_LEAF1][2] >> 27 & 1, 0);
	/* 0x30 is answered as 0x23 (zeros on this CPU), without a #VE. */
	expect_regs(S_LEAF30, 0, 0, 0, 0);
	/* 0x80000001: SYSCALL in 64-bit mode, LM. */
	assert_int_equal(gs.regs[S_EXT1][3] & (1u << 11 | 1u << 29), 1u << 11 | 1u << 29);
	/* 0x15: 25 MHz x TSC_FREQUENCY / 1. */
	assert_int_not_equal(gs.tsc_frequency, 0);
	expect_regs(S_TSC, 1, gs.tsc_frequency, 25000000, 0);
	vm_guest_done(&c);
}

/* The guest cannot read the TD's CPUID values (guest mask 0): a leaf of
 * the module's table is NOT_READABLE, one outside it no field at all. */
static void test_vm_rd_cpuid_values(void **state)
{
	struct vm_guest c;

	(void)state;
	run(&c);
	assert_int_equal(gs.vm_rd_known, TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(gs.vm_rd_unknown, TDX_METADATA_FIELD_ID_INCORRECT);
	vm_guest_done(&c);
}

/* Faulting and unknown leaves, and the hypervisor range: #VE, then the
 * VMM's answer through the runtime's handler. */
static void test_ve_leaves(void **state)
{
	struct vm_guest c;

	(void)state;
	run(&c);
	assert_int_equal(gs.ves[S_LEAF1], 0);
	assert_int_equal(gs.ves[S_LEAF6], 1);
	assert_int_equal(gs.regs[S_LEAF6][0], 0x77);       /* the CPU's leaf 6 */
	assert_int_equal(gs.ves[S_LEAF2], 2);
	assert_int_equal(gs.ves[S_LEAF30], 2);
	assert_int_equal(gs.ves[S_HV], 3);
	assert_int_equal(gs.ves[S_TSC], 3);
	vm_guest_done(&c);
}

/* TDG.VP.CPUIDVE.SET: a reserved bit is refused; bit 0 makes every CPUID
 * at CPL 0 a #VE (the VMM's leaf 0 says 0x20), not at CPL 3; bit 1 the
 * same for CPL 3. CPUID_CONTROL does it for one leaf. */
static void test_guest_chosen_ve(void **state)
{
	struct vm_guest c;

	(void)state;
	run(&c);
	assert_int_equal(gs.bad_set, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	assert_int_equal(gs.set_ok, TDX_SUCCESS);
	assert_int_equal(gs.ves[S_SUPERVISOR_VE], 4);
	assert_int_equal(gs.regs[S_SUPERVISOR_VE][0], 0x20);
	assert_int_equal(gs.ves[S_USER_CODE], 4);
	assert_int_equal(gs.regs[S_USER_CODE][0], 0x23);
	assert_int_equal(gs.ves[S_USER_VE], 5);
	assert_int_equal(gs.wr_ok, TDX_SUCCESS);
	assert_int_equal(gs.ves[S_CONTROL_LEAF0], 6);
	assert_int_equal(gs.ves[S_CONTROL_LEAF21], 6);
	assert_int_equal(c.vcpu.vmcalls[VMCALL_CPUID], 6);
	vm_guest_done(&c);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_answers),
		cmocka_unit_test(test_ve_leaves),
		cmocka_unit_test(test_vm_rd_cpuid_values),
		cmocka_unit_test(test_guest_chosen_ve),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
