/* SPDX-License-Identifier: MIT */
/*
 * The guest's RDMSR/WRMSR (tdx-module tdx_1.5 td_msr_access.c,
 * msr_config_lookup.c, helpers.c set_msr_bitmaps): a TD's program runs
 * the instructions; the module passes them to the TD's own MSRs,
 * emulates them, raises #GP(0), or raises a #VE that the runtime turns
 * into a TDVMCALL. The program records each step's status and value and
 * the #VE count; the test checks them and the VMM's TDVMCALL counts.
 */
#include <string.h>

#include "helpers/td_guest.h"
#include "module/msr_lookup.h"
#include "module/td.h"
#include "helpers/vm_guest.h"

#define STAR 0xC0000081u
#define EFER 0xC0000080u
#define PAT 0x277u
#define TSC 0x10u
#define APICBASE 0x1Bu
#define SGXLEPUBKEYHASH0 0x8Cu
#define PMC0 0xC1u
#define PERFEVTSEL0 0x186u
#define MISC_ENABLE 0x1A0u
#define ARCH_CAP 0x10Au
#define XAPIC_DISABLE_STATUS 0xBDu
#define VMX_BASIC 0x480u
#define VMX_PINBASED 0x481u
#define DEBUGCTL 0x1D9u
#define XSS 0xDA0u
#define LBR_CTL 0x14CEu
#define TSC_DEADLINE 0x6E0u
#define DCA_CAP 0x1F8u
#define FLUSH_CMD 0x10Bu
#define OUT_OF_BITMAP 0x40000000u
#define STAR_VALUE 0x0023001000000000ULL

enum step {
	S_STAR_WR, S_STAR_RD, S_PAT_RD, S_TSC1, S_TSC2, S_TSC_WR, S_EFER_RD,
	S_EFER_SCE, S_EFER_SCE_RD, S_EFER_NXE, S_ARCH_CAP, S_ARCH_CAP_WR, S_XAPIC,
	S_VMX_BASIC, S_VMX_BASIC_WR, S_VMX_PIN, S_DEBUGCTL_WR, S_DEBUGCTL_RD,
	S_DEBUGCTL_RSVD, S_DEBUGCTL_TR, S_XSS_BAD, S_XSS_OK, S_APICBASE,
	S_GHCI_APICBASE, S_OUT_OF_BITMAP, S_SGX, S_PMC0_WR, S_PMC0_RD, S_EVTSEL_RD,
	S_TSC_DEADLINE_WR, S_TSC_DEADLINE_RD, S_DCA, S_FLUSH_RD,
	S_USER_RD, S_NR
};

static struct {
	uint64_t st[S_NR], val[S_NR], ves[S_NR];
	uint32_t cpuid1_ecx;
} gs;

static void rd(struct tdx_guest *g, enum step s, uint32_t msr)
{
	gs.st[s] = tdx_rdmsr(g, msr, &gs.val[s]);
	gs.ves[s] = tdx_msr_ve_count(g);
}

static void wr(struct tdx_guest *g, enum step s, uint32_t msr, uint64_t v)
{
	gs.st[s] = tdx_wrmsr(g, msr, v);
	gs.ves[s] = tdx_msr_ve_count(g);
}

/* The TD's own MSRs and the ones the module emulates. */
static void module_steps(struct tdx_guest *g)
{
	wr(g, S_STAR_WR, STAR, STAR_VALUE);
	rd(g, S_STAR_RD, STAR);
	rd(g, S_PAT_RD, PAT);
	rd(g, S_TSC1, TSC);
	rd(g, S_TSC2, TSC);
	wr(g, S_TSC_WR, TSC, 0);
	rd(g, S_EFER_RD, EFER);
	wr(g, S_EFER_SCE, EFER, gs.val[S_EFER_RD] & ~1ULL);
	rd(g, S_EFER_SCE_RD, EFER);
	wr(g, S_EFER_NXE, EFER, gs.val[S_EFER_RD] & ~(1ULL << 11));
	rd(g, S_ARCH_CAP, ARCH_CAP);
	wr(g, S_ARCH_CAP_WR, ARCH_CAP, 0);
	rd(g, S_XAPIC, XAPIC_DISABLE_STATUS);
	rd(g, S_VMX_BASIC, VMX_BASIC);
	wr(g, S_VMX_BASIC_WR, VMX_BASIC, 0);
	rd(g, S_VMX_PIN, VMX_PINBASED);
	wr(g, S_DEBUGCTL_WR, DEBUGCTL, 1ULL | 1ULL << 13);
	rd(g, S_DEBUGCTL_RD, DEBUGCTL);
	wr(g, S_DEBUGCTL_RSVD, DEBUGCTL, 1ULL << 3);
	wr(g, S_DEBUGCTL_TR, DEBUGCTL, 1ULL << 6);
	wr(g, S_XSS_BAD, XSS, 1ULL << 8);
	wr(g, S_XSS_OK, XSS, 0);
}

/* The VMM's MSRs, the forbidden ones, and those ATTRIBUTES decide. */
static void other_steps(struct tdx_guest *g)
{
	uint32_t regs[4];

	rd(g, S_APICBASE, APICBASE);
	gs.st[S_GHCI_APICBASE] = tdx_ghci_rdmsr(g, APICBASE, &gs.val[S_GHCI_APICBASE]);
	gs.ves[S_GHCI_APICBASE] = tdx_msr_ve_count(g);
	rd(g, S_OUT_OF_BITMAP, OUT_OF_BITMAP);
	rd(g, S_SGX, SGXLEPUBKEYHASH0);
	wr(g, S_PMC0_WR, PMC0, 0x1234);
	rd(g, S_PMC0_RD, PMC0);
	rd(g, S_EVTSEL_RD, PERFEVTSEL0);
	tdx_cpuid(g, 1, 0, regs);
	gs.cpuid1_ecx = regs[2];
	wr(g, S_TSC_DEADLINE_WR, TSC_DEADLINE, 0x5555);
	rd(g, S_TSC_DEADLINE_RD, TSC_DEADLINE);
	rd(g, S_DCA, DCA_CAP);
	rd(g, S_FLUSH_RD, FLUSH_CMD);
	tdx_set_cpl(g, 3);
	rd(g, S_USER_RD, STAR);
	tdx_set_cpl(g, 0);
}

static int msrt_main(struct tdx_guest *g, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	module_steps(g);
	other_steps(g);
	return 0;
}

static const struct tdx_guest_program msrt_prog = {
	.name = "msrt", .usage = "msrt", .main = msrt_main,
};

static void run(struct vm_guest *c, uint64_t attributes)
{
	memset(&gs, 0, sizeof(gs));
	vm_guest_run(c, &msrt_prog, attributes);
}

static void expect(enum step s, uint64_t st, uint64_t val)
{
	if (gs.st[s] != st || gs.val[s] != val)
		fail_msg("step %d: status %#llx value %#llx, expected %#llx %#llx", (int)s,
			 (unsigned long long)gs.st[s], (unsigned long long)gs.val[s],
			 (unsigned long long)st, (unsigned long long)val);
}

/* Fixed-0 bitmap bits: the TD's own copy, no #VE, no VMM. The CPU's
 * #GP for a read of a write-only MSR, and above CPL 0. */
static void test_native(void **state)
{
	struct vm_guest c;

	(void)state;
	run(&c, 0);
	expect(S_STAR_WR, 0, 0);
	expect(S_STAR_RD, 0, STAR_VALUE);
	expect(S_PAT_RD, 0, 0x0007040600070406ULL);      /* as TDH.VP.INIT left it */
	assert_int_equal(gs.st[S_TSC1], 0);
	assert_true(gs.val[S_TSC1] != 0 && gs.val[S_TSC2] >= gs.val[S_TSC1]);
	assert_int_equal(gs.ves[S_TSC2], 0);
	expect(S_EFER_RD, 0, 0xD01);                     /* SCE LME LMA NXE */
	expect(S_FLUSH_RD, TDX_GUEST_GP, 0);
	expect(S_USER_RD, TDX_GUEST_GP, 0);
	vm_guest_done(&c);
}

/* The module's virtual values and checks (td_rdmsr_exit, td_wrmsr_exit). */
static void test_virtualised(void **state)
{
	struct vm_guest c;

	(void)state;
	run(&c, 0);
	/* The CPU's 0x0c0ab0eb: fixed-0 bits and SSB_NO/BHI_NO/PBRSB_NO
	 * (not configured) cleared; TSX_CTRL follows the TD's TSX. */
	assert_int_equal(gs.st[S_ARCH_CAP], 0);
	assert_int_equal(gs.val[S_ARCH_CAP] & ~0x80ULL, 0x8b06bULL);
	expect(S_ARCH_CAP_WR, TDX_GUEST_GP, 0);
	expect(S_XAPIC, 0, 1);
	expect(S_VMX_BASIC, 0, 1ULL << 54 | 1ULL << 55 | 1ULL << 56);
	expect(S_VMX_BASIC_WR, TDX_GUEST_GP, 0);
	/* DEBUGCTL: bit 13 dropped; a reserved bit #GP; TR alone the VMM's. */
	expect(S_DEBUGCTL_RD, 0, 1);
	expect(S_DEBUGCTL_RSVD, TDX_GUEST_GP, 0);
	assert_int_not_equal(gs.st[S_DEBUGCTL_TR], 0);
	assert_int_equal(gs.ves[S_DEBUGCTL_TR], gs.ves[S_DEBUGCTL_RSVD] + 1);
	/* EFER: SCE may change; NXE is the VMM's. */
	expect(S_EFER_SCE, 0, 0);
	expect(S_EFER_SCE_RD, 0, 0xD00);
	assert_int_equal(gs.ves[S_EFER_SCE_RD], gs.ves[S_EFER_RD]);
	assert_int_equal(gs.ves[S_EFER_NXE], gs.ves[S_EFER_RD] + 1);
	/* XSS: PT is not in the TD's XFAM. */
	expect(S_XSS_BAD, TDX_GUEST_GP, 0);
	expect(S_XSS_OK, 0, 0);
	vm_guest_done(&c);
}

/* MSRs the module leaves to the VMM: #VE, then the TDVMCALL. */
static void test_ve_to_vmm(void **state)
{
	bool deadline;
	struct vm_guest c;

	(void)state;
	run(&c, 0);
	assert_int_equal(gs.ves[S_TSC_WR], 1);
	assert_int_equal(gs.st[S_TSC_WR], TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(gs.ves[S_VMX_PIN], gs.ves[S_VMX_BASIC_WR] + 1);
	expect(S_APICBASE, 0, 0xFEE00D00ULL);            /* the VMM's BSP */
	assert_int_equal(gs.ves[S_APICBASE], gs.ves[S_XSS_OK] + 1);
	expect(S_GHCI_APICBASE, 0, 0xFEE00D00ULL);
	assert_int_equal(gs.ves[S_GHCI_APICBASE], gs.ves[S_APICBASE]);
	assert_int_equal(gs.ves[S_OUT_OF_BITMAP], gs.ves[S_APICBASE] + 1);
	/* TSC_DEADLINE: the VMM's if the TD's CPUID has it, else #GP. */
	deadline = gs.cpuid1_ecx >> 24 & 1;
	expect(S_TSC_DEADLINE_RD, deadline ? 0 : TDX_GUEST_GP, deadline ? 0x5555 : 0);
	expect(S_DCA, (gs.cpuid1_ecx >> 18 & 1) ? TDVMCALL_STATUS_INVALID_OPERAND : TDX_GUEST_GP, 0);
	/* Every #VE went to the VMM once, plus the explicit TDVMCALL. */
	assert_int_equal(c.vcpu.vmcalls[VMCALL_RDMSR] + c.vcpu.vmcalls[VMCALL_WRMSR], gs.ves[S_USER_RD] + 1);
	vm_guest_done(&c);
}

/* Never the TD's: #GP; the performance monitors without PERFMON too. */
static void test_gp(void **state)
{
	struct vm_guest c;

	(void)state;
	run(&c, 0);
	expect(S_SGX, TDX_GUEST_GP, 0);
	expect(S_PMC0_WR, TDX_GUEST_GP, 0);
	expect(S_PMC0_RD, TDX_GUEST_GP, 0);
	expect(S_EVTSEL_RD, TDX_GUEST_GP, 0);
	vm_guest_done(&c);
}

/* ATTRIBUTES.PERFMON, which the VMM refuses (and XFAM.LBR): the TD is
 * built and entered directly. The LP's IA32_MISC_ENABLE has PERFMON_AVAILABLE (7) set and
 * PEBS_UNAVAILABLE (12) clear, to see the module's emulation. */
#define LP_MISC_ENABLE 0x89ULL

static struct {
	uint64_t st[4], val[4];
} ps;

static int body_perfmon(struct tdx_guest *g)
{
	ps.st[0] = tdx_wrmsr(g, PMC0, 0x1234);
	ps.st[1] = tdx_rdmsr(g, PMC0, &ps.val[1]);
	ps.st[2] = tdx_rdmsr(g, MISC_ENABLE, &ps.val[2]);
	ps.st[3] = tdx_rdmsr(g, SGXLEPUBKEYHASH0, &ps.val[3]);
	return tdx_msr_ve_count(g) ? 1 : 0;
}

static int body_lbr(struct tdx_guest *g)
{
	ps.st[0] = tdx_wrmsr(g, LBR_CTL, 1);
	ps.st[1] = tdx_rdmsr(g, LBR_CTL, &ps.val[1]);
	ps.st[2] = tdx_wrmsr(g, XSS, TDX_XFAM_LBR);
	ps.st[3] = tdx_rdmsr(g, XSS, &ps.val[3]);
	return tdx_msr_ve_count(g) ? 1 : 0;
}

/* Every LBR_FROM_IP/TO_IP/INFO MSR (0x1500..0x16FF) written with its own
 * value, then all read back: each vCPU keeps every native MSR. */
#define LBR_STACK 0x1500u
#define LBR_STACK_N 0x200u

static int body_lbr_stack(struct tdx_guest *g)
{
	uint64_t v;

	for (uint32_t i = 0; i < LBR_STACK_N; i++)
		if (tdx_wrmsr(g, LBR_STACK + i, 0xAB00000000ULL | i))
			return 3;
	for (uint32_t i = 0; i < LBR_STACK_N; i++)
		if (tdx_rdmsr(g, LBR_STACK + i, &v) || v != (0xAB00000000ULL | i))
			return 4;
	return tdx_msr_ve_count(g) ? 1 : 0;
}

static void run_direct(int (*body)(struct tdx_guest *g), uint64_t attributes, uint64_t xfam)
{
	struct tdx_module_args a = { 0 };
	struct td_params p;
	struct tdg x;

	memset(&ps, 0, sizeof(ps));
	tdg_body = body;
	tdm_default_params(&p);
	p.attributes |= attributes;
	p.xfam |= xfam;
	tdg_boot_msr(&x, 0, MISC_ENABLE, LP_MISC_ENABLE);
	tdg_build(&x, &p, 1, true, true);
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.r11, TDX_EXIT_IO);
	assert_int_equal(a.r14, TDX_GUEST_PORT_EXIT);
	assert_int_equal(a.r15, 0);                      /* no #VE */
	tdg_teardown(&x);
}

static void test_perfmon_attribute(void **state)
{
	(void)state;
	run_direct(body_perfmon, 0, 0);
	assert_int_equal(ps.st[0], TDX_GUEST_GP);
	assert_int_equal(ps.st[1], TDX_GUEST_GP);
	assert_int_equal(ps.st[2], 0);
	assert_int_equal(ps.val[2], (LP_MISC_ENABLE & ~0x80ULL) | 1ULL << 12);
	assert_int_equal(ps.st[3], TDX_GUEST_GP);

	run_direct(body_perfmon, TDX_TD_ATTR_PERFMON, 0);
	assert_int_equal(ps.st[0], 0);
	assert_int_equal(ps.st[1], 0);
	assert_int_equal(ps.val[1], 0x1234);
	assert_int_equal(ps.st[2], 0);
	assert_int_equal(ps.val[2], LP_MISC_ENABLE);     /* the CPU's own */
	assert_int_equal(ps.st[3], TDX_GUEST_GP);
}

/* XFAM.LBR: the LBR MSRs are the TD's, and XSS may enable the component. */
static void test_xfam_lbr(void **state)
{
	(void)state;
	run_direct(body_lbr, 0, 0);
	assert_int_equal(ps.st[0], TDX_GUEST_GP);
	assert_int_equal(ps.st[1], TDX_GUEST_GP);
	assert_int_equal(ps.st[2], TDX_GUEST_GP);
	assert_int_equal(ps.st[3], 0);
	assert_int_equal(ps.val[3], 0);

	run_direct(body_lbr, 0, TDX_XFAM_LBR);
	assert_int_equal(ps.st[0], 0);
	assert_int_equal(ps.st[1], 0);
	assert_int_equal(ps.val[1], 1);
	assert_int_equal(ps.st[2], 0);
	assert_int_equal(ps.st[3], 0);
	assert_int_equal(ps.val[3], TDX_XFAM_LBR);
}

static void test_many_native_msrs(void **state)
{
	unsigned n;
	const struct msr_range *t = msr_lookup_table(&n);

	(void)state;
	/* Every MSR of the table has its own slot in the TDVPS. */
	assert_int_equal(msr_native_slot(t[0].first), 0);
	for (unsigned i = 1; i < n; i++)
		assert_int_equal(msr_native_slot(t[i].first), msr_native_slot(t[i - 1].last) + 1);
	assert_true(msr_native_slot(t[n - 1].last) < TDVPS_MSR_SLOTS);
	assert_int_equal(msr_native_slot(0x2), -1);
	run_direct(body_lbr_stack, 0, TDX_XFAM_LBR);   /* exit code 0 checked there */
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_native_msrs),
		cmocka_unit_test(test_native),
		cmocka_unit_test(test_virtualised),
		cmocka_unit_test(test_ve_to_vmm),
		cmocka_unit_test(test_gp),
		cmocka_unit_test(test_perfmon_attribute),
		cmocka_unit_test(test_xfam_lbr),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
