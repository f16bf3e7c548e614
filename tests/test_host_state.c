/* SPDX-License-Identifier: MIT */
/*
 * Host state across a TD exit: the module's resets (abi §7.5,
 * td_exit_host_state), KVM's save/restore (linux §6.5, vm_host_save /
 * vm_host_restore), the host-state auditor (host_audit.h), the TD features
 * KVM refuses, and the LP's non-MSR registers. No TDH.VP.ENTER needed: the
 * tests call the entry/exit halves directly on an LP.
 */
#include <errno.h>
#include <string.h>

#include "helpers/machine.h"
#include "module/module.h"
#include "vmm/host_audit.h"
#include "vmm/vmm_internal.h"

#define LP 1

static struct platform *new_platform(void)
{
	struct tdxsim_platform_config c;

	tdxsim_config_default(&c);
	return machine_new(&c);
}

static uint64_t msr(struct platform *p, uint32_t index)
{
	uint64_t v = 0;

	assert_true(platform_rdmsr(p, LP, index, &v));
	return v;
}

static void set_msr(struct platform *p, uint32_t index, uint64_t v)
{
	assert_true(platform_wrmsr(p, LP, index, v));
}

static uint64_t reg(struct platform *p, enum tdxsim_reg r)
{
	uint64_t v = 0;

	assert_int_equal(platform_read_reg(p, LP, r, &v), 0);
	return v;
}

static void set_reg(struct platform *p, enum tdxsim_reg r, uint64_t v)
{
	assert_int_equal(platform_write_reg(p, LP, r, v), 0);
}

/* ---- distinctive, non-INIT host values for every register ---- */

#define H_SPEC_CTRL      0x7ULL
#define H_DS_AREA        0xffff888000100000ULL
#define H_TSX_CTRL       0x3ULL
#define H_TSC_AUX        0x55ULL
#define H_STAR           0x0023001000000000ULL
#define H_LSTAR          0xffffffff81000000ULL
#define H_FMASK          0x47700ULL
#define H_KGS            0xffff888012345000ULL
#define H_XSS            0x1800ULL
#define H_UARCH          0x1ULL
#define H_XFD            0x40000ULL
#define H_XFD_ERR        0x40000ULL
#define H_UMWAIT         0x186a0ULL
#define H_GLOBAL_CTRL    0x7000000ffULL
#define H_GLOBAL_STATUS  0x3ULL
#define H_FIXED(n)       (0x1000ULL + (n))
#define H_PMC(n)         (0x2000ULL + (n))
#define H_EVTSEL(n)      (0x430000ULL + (n))
#define H_OFFCORE(n)     (0x3000ULL + (n))
#define H_PERF_METRICS   0x4000ULL
#define H_FIXED_CTR_CTRL 0x333ULL
#define H_PEBS_ENABLE    0x1ULL
#define H_RTIT_CTL       0x2001ULL
#define H_LBR_CTL        0x1ULL
#define H_LBR_DEPTH      16ULL
#define H_DR(n)          (0xffffffff81100000ULL + 0x10 * (n))
#define H_DR6            0xFFFF4FF1ULL
#define H_DR7            0x402ULL   /* G0: a kernel breakpoint */
#define H_XCR0           0x2e7ULL
#define H_PKRU           0x55555554ULL
#define H_CR2            0xdeadb000ULL

static void set_distinctive(struct platform *p)
{
	set_msr(p, MSR_IA32_DEBUGCTL, ~0ULL);
	set_msr(p, MSR_IA32_SPEC_CTRL, H_SPEC_CTRL);
	set_msr(p, MSR_IA32_DS_AREA, H_DS_AREA);
	set_msr(p, MSR_IA32_TSX_CTRL, H_TSX_CTRL);
	set_msr(p, MSR_IA32_TSC_AUX, H_TSC_AUX);
	set_msr(p, MSR_IA32_STAR, H_STAR);
	set_msr(p, MSR_IA32_LSTAR, H_LSTAR);
	set_msr(p, MSR_IA32_FMASK, H_FMASK);
	set_msr(p, MSR_IA32_KERNEL_GS_BASE, H_KGS);
	set_msr(p, MSR_IA32_XSS, H_XSS);
	set_msr(p, MSR_IA32_UARCH_MISC_CTL, H_UARCH);
	set_msr(p, MSR_IA32_XFD, H_XFD);
	set_msr(p, MSR_IA32_XFD_ERR, H_XFD_ERR);
	set_msr(p, MSR_IA32_UMWAIT_CONTROL, H_UMWAIT);
	set_msr(p, MSR_IA32_PERF_GLOBAL_CTRL, H_GLOBAL_CTRL);
	set_msr(p, MSR_IA32_PERF_GLOBAL_STATUS, H_GLOBAL_STATUS);
	for (unsigned i = 0; i < MSR_IA32_NUM_FIXED_CTRS; i++)
		set_msr(p, (uint32_t)(MSR_IA32_FIXED_CTR0 + i), H_FIXED(i));
	for (unsigned i = 0; i < MSR_IA32_NUM_GP_CTRS; i++) {
		set_msr(p, (uint32_t)(MSR_IA32_A_PMC0 + i), H_PMC(i));
		set_msr(p, (uint32_t)(MSR_IA32_PERFEVTSEL0 + i), H_EVTSEL(i));
	}
	set_msr(p, MSR_OFFCORE_RSP0, H_OFFCORE(0));
	set_msr(p, MSR_OFFCORE_RSP1, H_OFFCORE(1));
	set_msr(p, MSR_PERF_METRICS, H_PERF_METRICS);
	set_msr(p, MSR_IA32_FIXED_CTR_CTRL, H_FIXED_CTR_CTRL);
	set_msr(p, MSR_IA32_PEBS_ENABLE, H_PEBS_ENABLE);
	set_msr(p, MSR_IA32_RTIT_CTL, H_RTIT_CTL);
	set_msr(p, MSR_IA32_LBR_CTL, H_LBR_CTL);
	set_msr(p, MSR_IA32_LBR_DEPTH, H_LBR_DEPTH);
	for (unsigned i = 0; i < 4; i++)
		set_reg(p, (enum tdxsim_reg)(TDXSIM_REG_DR0 + i), H_DR(i));
	set_reg(p, TDXSIM_REG_DR6, H_DR6);
	set_reg(p, TDXSIM_REG_DR7, H_DR7);
	set_reg(p, TDXSIM_REG_XCR0, H_XCR0);
	set_reg(p, TDXSIM_REG_PKRU, H_PKRU);
	set_reg(p, TDXSIM_REG_CR2, H_CR2);
	for (unsigned i = 0; i < 16; i++) {
		uint64_t x[2] = { 0x1111ULL * (i + 1), ~0ULL - i };

		assert_int_equal(platform_write_xmm(p, LP, i, x), 0);
	}
}

struct exit_case {
	uint64_t attributes, xfam;
	const struct td_guest_msrs *g;
	uint64_t xcr0, xss;              /* what abi §7.5 makes of this XFAM */
};

static void run_exit(struct platform *p, const struct exit_case *c)
{
	struct td_exit_host_saved saved;

	set_distinctive(p);
	td_entry_save_host(p, LP, &saved);
	/* The guest's run: clobber what the module must put back. */
	set_msr(p, MSR_IA32_SPEC_CTRL, 0x1);
	set_msr(p, MSR_IA32_DS_AREA, 0xabc000);
	set_msr(p, MSR_IA32_TSX_CTRL, 0x1);
	td_exit_host_state(p, LP, c->attributes, c->xfam, &saved, c->g);
}

static void check_exit(struct platform *p, const struct exit_case *c)
{
	bool perfmon = c->attributes & TDX_TD_ATTR_PERFMON;
	bool waitpkg = c->g && c->g->waitpkg, tsx = c->g && c->g->tsx;

	run_exit(p, c);
	/* DEBUGCTL: only bits 1, 12, 14 survive. */
	assert_int_equal(msr(p, MSR_IA32_DEBUGCTL), 0x5002);
	/* Restored by the module. */
	assert_int_equal(msr(p, MSR_IA32_SPEC_CTRL), H_SPEC_CTRL);
	assert_int_equal(msr(p, MSR_IA32_DS_AREA), H_DS_AREA);
	assert_int_equal(msr(p, MSR_IA32_TSX_CTRL), tsx ? 0 : H_TSX_CTRL);
	/* Reset to INIT. */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(reg(p, (enum tdxsim_reg)(TDXSIM_REG_DR0 + i)), 0);
	assert_int_equal(reg(p, TDXSIM_REG_DR6), 0xFFFF0FF0);
	assert_int_equal(reg(p, TDXSIM_REG_DR7), 0x400);
	assert_int_equal(reg(p, TDXSIM_REG_CR2), 0);
	assert_int_equal(msr(p, MSR_IA32_TSC_AUX), 0);
	assert_int_equal(msr(p, MSR_IA32_STAR), 0);
	assert_int_equal(msr(p, MSR_IA32_LSTAR), 0);
	assert_int_equal(msr(p, MSR_IA32_KERNEL_GS_BASE), 0);
	assert_int_equal(msr(p, MSR_IA32_FMASK), 0x20200);
	assert_int_equal(msr(p, MSR_IA32_UARCH_MISC_CTL), 0);
	/* XFD with AMX. */
	assert_int_equal(msr(p, MSR_IA32_XFD),
			 (c->xfam & TDX_XFAM_AMX_MASK) ? 0 : H_XFD);
	assert_int_equal(msr(p, MSR_IA32_XFD_ERR),
			 (c->xfam & TDX_XFAM_AMX_MASK) ? 0 : H_XFD_ERR);
	/* PERFMON. */
	for (unsigned i = 0; i < MSR_IA32_NUM_FIXED_CTRS; i++)
		assert_int_equal(msr(p, (uint32_t)(MSR_IA32_FIXED_CTR0 + i)),
				 perfmon ? 0 : H_FIXED(i));
	for (unsigned i = 0; i < MSR_IA32_NUM_GP_CTRS; i++) {
		assert_int_equal(msr(p, (uint32_t)(MSR_IA32_A_PMC0 + i)),
				 perfmon ? 0 : H_PMC(i));
		assert_int_equal(msr(p, (uint32_t)(MSR_IA32_PERFEVTSEL0 + i)),
				 H_EVTSEL(i));
	}
	assert_int_equal(msr(p, MSR_OFFCORE_RSP0), perfmon ? 0 : H_OFFCORE(0));
	assert_int_equal(msr(p, MSR_OFFCORE_RSP1), perfmon ? 0 : H_OFFCORE(1));
	assert_int_equal(msr(p, MSR_PERF_METRICS), perfmon ? 0 : H_PERF_METRICS);
	assert_int_equal(msr(p, MSR_IA32_PERF_GLOBAL_STATUS),
			 perfmon ? 0 : H_GLOBAL_STATUS);
	assert_int_equal(msr(p, MSR_IA32_PERF_GLOBAL_CTRL),
			 perfmon ? 0 : H_GLOBAL_CTRL);
	assert_int_equal(msr(p, MSR_IA32_FIXED_CTR_CTRL), H_FIXED_CTR_CTRL);
	assert_int_equal(msr(p, MSR_IA32_PEBS_ENABLE), H_PEBS_ENABLE);
	/* PT, LBR. */
	assert_int_equal(msr(p, MSR_IA32_RTIT_CTL),
			 (c->xfam & TDX_XFAM_PT) ? 0 : H_RTIT_CTL);
	assert_int_equal(msr(p, MSR_IA32_LBR_CTL),
			 (c->xfam & TDX_XFAM_LBR) ? 0 : H_LBR_CTL);
	assert_int_equal(msr(p, MSR_IA32_LBR_DEPTH), H_LBR_DEPTH);
	/* XCR0, XSS, PKRU, XMM. */
	assert_int_equal(reg(p, TDXSIM_REG_XCR0), c->xcr0);
	assert_int_equal(msr(p, MSR_IA32_XSS), c->xss);
	assert_int_equal(reg(p, TDXSIM_REG_PKRU),
			 (c->xfam & TDX_XFAM_PKRU) ? 0 : H_PKRU);
	for (unsigned i = 0; i < 16; i++) {
		uint64_t x[2] = { 1, 1 };

		assert_int_equal(platform_read_xmm(p, LP, i, x), 0);
		assert_int_equal(x[0], 0);
		assert_int_equal(x[1], 0);
	}
	/* UMWAIT_CONTROL: the guest's value with WAITPKG, else untouched. */
	assert_int_equal(msr(p, MSR_IA32_UMWAIT_CONTROL),
			 waitpkg ? c->g->umwait_control : H_UMWAIT);
}

static void test_exit_minimal_td(void **state)
{
	struct platform *p = new_platform();
	const struct exit_case c = { 0, TDX_XFAM_FIXED1, NULL, 0x3, 0 };

	(void)state;
	check_exit(p, &c);
	platform_destroy(p);
}

static void test_exit_x87_only_xfam_gets_sse(void **state)
{
	struct platform *p = new_platform();
	/* abi §7.5: XCR0 = XFAM user bits | SSE, whatever XFAM says. */
	const struct exit_case c = { 0, TDX_XFAM_X87, NULL, 0x3, 0 };

	(void)state;
	check_exit(p, &c);
	platform_destroy(p);
}

static void test_exit_perfmon(void **state)
{
	struct platform *p = new_platform();
	const struct exit_case on = { TDX_TD_ATTR_PERFMON, 0x7, NULL, 0x7, 0 };
	const struct exit_case off = { TDX_TD_ATTR_SEPT_VE_DISABLE, 0x7, NULL,
				       0x7, 0 };

	(void)state;
	check_exit(p, &on);
	assert_int_equal(msr(p, MSR_IA32_PERF_GLOBAL_CTRL), 0);
	check_exit(p, &off);
	assert_int_equal(msr(p, MSR_IA32_PERF_GLOBAL_CTRL), H_GLOBAL_CTRL);
	platform_destroy(p);
}

static void test_exit_xfam_features(void **state)
{
	struct platform *p = new_platform();
	const uint64_t all = TDX_XFAM_FIXED1 | TDX_XFAM_AVX | TDX_XFAM_PT |
			     TDX_XFAM_LBR | TDX_XFAM_AMX_MASK | TDX_XFAM_PKRU;
	const struct exit_case cases[] = {
		/* PT, LBR, AMX, PKRU all on: XSS = PT | LBR. */
		{ 0, all, NULL, 0x60207, 0x8100 },
		{ 0, TDX_XFAM_FIXED1 | TDX_XFAM_PT, NULL, 0x3, 0x100 },
		{ 0, TDX_XFAM_FIXED1 | TDX_XFAM_LBR, NULL, 0x3, 0x8000 },
		{ 0, TDX_XFAM_FIXED1 | TDX_XFAM_AMX_MASK, NULL, 0x60003, 0 },
		{ 0, TDX_XFAM_FIXED1 | TDX_XFAM_PKRU, NULL, 0x203, 0 },
		/* CET is supervisor state: XSS, not XCR0. */
		{ 0, TDX_XFAM_FIXED1 | TDX_XFAM_CET_U | TDX_XFAM_CET_S, NULL,
		  0x3, 0x1800 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_exit(p, &cases[i]);
	platform_destroy(p);
}

static void test_exit_umwait_and_tsx(void **state)
{
	struct platform *p = new_platform();
	const struct td_guest_msrs waitpkg = { true, 0x2710, false };
	const struct td_guest_msrs nowaitpkg = { false, 0x2710, false };
	const struct td_guest_msrs tsx = { false, 0, true };
	const struct exit_case cases[] = {
		{ 0, 0x3, &waitpkg, 0x3, 0 },
		{ 0, 0x3, &nowaitpkg, 0x3, 0 },
		{ 0, 0x3, &tsx, 0x3, 0 },
	};

	(void)state;
	check_exit(p, &cases[0]);
	assert_int_equal(msr(p, MSR_IA32_UMWAIT_CONTROL), 0x2710);
	check_exit(p, &cases[1]);
	assert_int_equal(msr(p, MSR_IA32_UMWAIT_CONTROL), H_UMWAIT);
	check_exit(p, &cases[2]);
	assert_int_equal(msr(p, MSR_IA32_TSX_CTRL), 0);
	platform_destroy(p);
}

/* ---- save -> exit -> restore, audited ---- */

/* A Linux-like host: the MSRs KVM or the module restore hold distinctive
 * values; the ones nothing restores (features KVM refuses) stay at their
 * RESET values, as does CR2 (scratch for the #PF handler, not host state
 * any VMM keeps). */
struct host_cfg {
	uint64_t debugctl, xcr0, xss, pkru, xfd;
};

static void set_host(struct platform *p, const struct host_cfg *h)
{
	set_msr(p, MSR_IA32_DEBUGCTL, h->debugctl);
	set_msr(p, MSR_IA32_SPEC_CTRL, H_SPEC_CTRL);
	set_msr(p, MSR_IA32_DS_AREA, H_DS_AREA);
	set_msr(p, MSR_IA32_TSX_CTRL, H_TSX_CTRL);
	set_msr(p, MSR_IA32_TSC_AUX, H_TSC_AUX);
	set_msr(p, MSR_IA32_STAR, H_STAR);
	set_msr(p, MSR_IA32_LSTAR, H_LSTAR);
	set_msr(p, MSR_IA32_FMASK, H_FMASK);
	set_msr(p, MSR_IA32_KERNEL_GS_BASE, H_KGS);
	set_msr(p, MSR_IA32_XSS, h->xss);
	set_msr(p, MSR_IA32_XFD, h->xfd);
	for (unsigned i = 0; i < 4; i++)
		set_reg(p, (enum tdxsim_reg)(TDXSIM_REG_DR0 + i), H_DR(i));
	set_reg(p, TDXSIM_REG_DR6, H_DR6);
	set_reg(p, TDXSIM_REG_DR7, H_DR7);
	set_reg(p, TDXSIM_REG_XCR0, h->xcr0);
	set_reg(p, TDXSIM_REG_PKRU, h->pkru);
}

/* KVM saves the host's state, then the module enters the TD and exits. */
static void save_and_exit(struct platform *p, uint64_t xfam, struct vm_host_state *kvm)
{
	struct td_exit_host_saved saved;

	vm_host_save(p, LP, kvm);
	td_entry_save_host(p, LP, &saved);
	td_exit_host_state(p, LP, TDX_TD_ATTR_SEPT_VE_DISABLE, xfam, &saved, NULL);
}

/* One vCPU run on LP: KVM saves, the module enters and exits, KVM restores.
 * Returns the auditor's count; the report goes to buf. */
static unsigned round_trip(struct platform *p, const struct host_cfg *h,
			   uint64_t xfam, unsigned skip, char *buf, size_t len)
{
	static struct host_audit_snapshot before, after;
	struct vm_host_state kvm;

	set_host(p, h);
	host_audit_snapshot(p, LP, &before);
	assert_false(before.truncated);
	save_and_exit(p, xfam, &kvm);
	vm_host_restore(p, LP, &kvm, xfam, skip);
	host_audit_snapshot(p, LP, &after);
	return host_audit_compare(&before, &after, buf, len);
}

#define TD_XFAM (TDX_XFAM_FIXED1 | TDX_XFAM_AVX | TDX_XFAM_PKRU | \
		 TDX_XFAM_AMX_MASK)
#define TD_XCR0 0x60207ULL                /* TD_XFAM user bits */

static void test_round_trip_clean(void **state)
{
	struct platform *p = new_platform();
	const struct host_cfg cfgs[] = {
		/* DEBUGCTL with only preserved bits, PKRU 0, XCR0 = TD's. */
		{ 0x5002, TD_XCR0, 0, 0, 0 },
		/* DEBUGCTL with LBR: rewritten. PKRU set, XCR0 differs. */
		{ 0x5003, H_XCR0, 0, H_PKRU, H_XFD },
		/* Host XSS with CET state the TD lacks. */
		{ 0, 0x7, H_XSS, H_PKRU, 0 },
		/* All at the module's values already. */
		{ 0, TD_XCR0, 0, 0, 0 },
	};
	char buf[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		unsigned n = round_trip(p, &cfgs[i], TD_XFAM, 0, buf, sizeof(buf));

		if (n)
			print_error("config %zu:\n%s", i, buf);
		assert_int_equal(n, 0);
		assert_string_equal(buf, "");
	}
	/* Also a minimal TD (no PKRU, no AMX): the host's PKRU and XFD are
	 * not the module's business then. */
	assert_int_equal(round_trip(p, &cfgs[1], TDX_XFAM_FIXED1, 0, buf,
				    sizeof(buf)), 0);
	platform_destroy(p);
}

static void test_round_trip_no_rewrite_needed(void **state)
{
	struct platform *p = new_platform();
	/* Where KVM's condition says "no write", skipping the write changes
	 * nothing: DEBUGCTL with only preserved bits, host PKRU 0, host XCR0
	 * and XSS equal to the TD's. */
	const struct host_cfg h = { 0x5002, TD_XCR0, 0, 0, 0 };
	const unsigned skip = VM_RESTORE_BIT(VM_RESTORE_DEBUGCTL) |
			      VM_RESTORE_BIT(VM_RESTORE_PKRU) |
			      VM_RESTORE_BIT(VM_RESTORE_XCR0) |
			      VM_RESTORE_BIT(VM_RESTORE_XSS);
	char buf[1024];

	(void)state;
	assert_int_equal(round_trip(p, &h, TD_XFAM, skip, buf, sizeof(buf)), 0);
	platform_destroy(p);
}

static void test_restore_mutations(void **state)
{
	static const struct {
		enum vm_restore_item item;
		const char *name;
	} items[] = {
		{ VM_RESTORE_DEBUGCTL, "IA32_DEBUGCTL (0x1d9)" },
		{ VM_RESTORE_STAR, "IA32_STAR (0xc0000081)" },
		{ VM_RESTORE_LSTAR, "IA32_LSTAR (0xc0000082)" },
		{ VM_RESTORE_FMASK, "IA32_FMASK (0xc0000084)" },
		{ VM_RESTORE_TSC_AUX, "IA32_TSC_AUX (0xc0000103)" },
		{ VM_RESTORE_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE (0xc0000102)" },
		{ VM_RESTORE_XCR0, "XCR0:" },
		{ VM_RESTORE_XSS, "IA32_XSS (0xda0)" },
		{ VM_RESTORE_PKRU, "PKRU:" },
		{ VM_RESTORE_XFD, "IA32_XFD (0x1c4)" },
		{ VM_RESTORE_DR0, "DR0:" },
		{ VM_RESTORE_DR1, "DR1:" },
		{ VM_RESTORE_DR2, "DR2:" },
		{ VM_RESTORE_DR3, "DR3:" },
		{ VM_RESTORE_DR6, "DR6:" },
		{ VM_RESTORE_DR7, "DR7:" },
	};
	/* A host where every restore matters. */
	const struct host_cfg h = { 0x1 | 0x5002, H_XCR0, H_XSS, H_PKRU, H_XFD };
	struct platform *p = new_platform();
	char buf[2048];

	(void)state;
	assert_int_equal(sizeof(items) / sizeof(items[0]), VM_RESTORE_NR);
	assert_int_equal(round_trip(p, &h, TD_XFAM, 0, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		unsigned n = round_trip(p, &h, TD_XFAM,
					VM_RESTORE_BIT(items[i].item),
					buf, sizeof(buf));

		if (n != 1 || !strstr(buf, items[i].name))
			print_error("skipping %s: %u differences:\n%s",
				    items[i].name, n, buf);
		assert_true(n >= 1);
		assert_int_equal(n, 1);
		assert_non_null(strstr(buf, items[i].name));
	}
	platform_destroy(p);
}

/* KVM's lazy half (linux §6.5): after an exit the kernel rewrites only
 * DEBUGCTL, XCR0, XSS, PKRU and the armed debug registers; the user-return
 * MSRs, KERNEL_GS_BASE and XFD keep the module's values until the return
 * to userspace. */
static void test_restore_split(void **state)
{
	static struct host_audit_snapshot before, after;
	const struct host_cfg h = { 0x1 | 0x5002, H_XCR0, H_XSS, H_PKRU, H_XFD };
	struct platform *p = new_platform();
	struct vm_host_state kvm;
	char buf[1024];

	(void)state;
	set_host(p, &h);
	host_audit_snapshot(p, LP, &before);
	save_and_exit(p, TD_XFAM, &kvm);
	vm_host_restore_exit(p, LP, &kvm, TD_XFAM, 0);
	assert_int_equal(msr(p, MSR_IA32_DEBUGCTL), h.debugctl);
	assert_int_equal(reg(p, TDXSIM_REG_XCR0), H_XCR0);
	assert_int_equal(msr(p, MSR_IA32_XSS), H_XSS);
	assert_int_equal(reg(p, TDXSIM_REG_PKRU), H_PKRU);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(reg(p, (enum tdxsim_reg)(TDXSIM_REG_DR0 + i)), H_DR(i));
	assert_int_equal(reg(p, TDXSIM_REG_DR6), H_DR6);
	assert_int_equal(reg(p, TDXSIM_REG_DR7), H_DR7);
	/* Still the module's: restored on the way to userspace. */
	assert_int_equal(msr(p, MSR_IA32_STAR), 0);
	assert_int_equal(msr(p, MSR_IA32_LSTAR), 0);
	assert_int_equal(msr(p, MSR_IA32_FMASK), TDX_EXIT_FMASK_VALUE);
	assert_int_equal(msr(p, MSR_IA32_TSC_AUX), 0);
	assert_int_equal(msr(p, MSR_IA32_KERNEL_GS_BASE), 0);
	assert_int_equal(msr(p, MSR_IA32_XFD), 0);
	vm_host_restore_user(p, LP, &kvm, TD_XFAM, 0);
	host_audit_snapshot(p, LP, &after);
	assert_int_equal(host_audit_compare(&before, &after, buf, sizeof(buf)), 0);
	platform_destroy(p);
}

/* With no breakpoint armed in DR7, KVM leaves DR0-3 as the module reset
 * them (hw_breakpoint_active() is false), and the auditor says so. */
static void test_restore_debug_regs_unarmed(void **state)
{
	static struct host_audit_snapshot before, after;
	/* DR7 at INIT, and with only L0 set: Linux arms its breakpoints with
	 * the global enables, so a local one alone does not count. */
	static const uint64_t dr7s[] = { X86_DR7_INIT, X86_DR7_INIT | 0x1 };
	const struct host_cfg h = { 0, TD_XCR0, 0, 0, 0 };
	struct platform *p = new_platform();
	struct vm_host_state kvm;
	char buf[1024];

	(void)state;
	for (unsigned k = 0; k < 2; k++) {
		set_host(p, &h);
		set_reg(p, TDXSIM_REG_DR6, X86_DR6_INIT);
		set_reg(p, TDXSIM_REG_DR7, dr7s[k]);
		host_audit_snapshot(p, LP, &before);
		save_and_exit(p, TD_XFAM, &kvm);
		vm_host_restore(p, LP, &kvm, TD_XFAM, 0);
		for (unsigned i = 0; i < 4; i++)
			assert_int_equal(reg(p, (enum tdxsim_reg)(TDXSIM_REG_DR0 + i)), 0);
		assert_int_equal(reg(p, TDXSIM_REG_DR7), X86_DR7_INIT);
		host_audit_snapshot(p, LP, &after);
		assert_int_equal(host_audit_compare(&before, &after, buf, sizeof(buf)),
				 4 + k);
		assert_non_null(strstr(buf, "DR0: 0xffffffff81100000 -> 0x0"));
		assert_non_null(strstr(buf, "DR3: "));
		assert_int_equal(strstr(buf, "DR7: 0x401 -> 0x400") != NULL, k);
	}
	platform_destroy(p);
}

/* ---- the auditor itself ---- */

static void test_audit_report_format(void **state)
{
	static struct host_audit_snapshot a, b;
	struct platform *p = new_platform();
	char buf[512], tiny[8];

	(void)state;
	set_msr(p, MSR_IA32_LSTAR, H_LSTAR);
	set_reg(p, TDXSIM_REG_DR7, 0x400);
	host_audit_snapshot(p, LP, &a);
	assert_int_equal(a.n_msrs, platform_lp_msr_count(p, LP));
	assert_false(a.truncated);
	set_msr(p, MSR_IA32_LSTAR, 0);
	set_reg(p, TDXSIM_REG_DR7, 0x401);
	host_audit_snapshot(p, LP, &b);
	assert_int_equal(host_audit_compare(&a, &b, buf, sizeof(buf)), 2);
	assert_string_equal(buf,
		"IA32_LSTAR (0xc0000082): 0xffffffff81000000 -> 0x0\n"
		"DR7: 0x400 -> 0x401\n");
	/* A short buffer cuts the report, not the count. */
	assert_int_equal(host_audit_compare(&a, &b, tiny, sizeof(tiny)), 2);
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	assert_int_equal(host_audit_compare(&a, &b, NULL, 0), 2);
	assert_int_equal(host_audit_compare(&a, &a, buf, sizeof(buf)), 0);
	/* An MSR only one snapshot has. */
	b.n_msrs--;
	assert_int_equal(host_audit_compare(&a, &b, buf, sizeof(buf)), 3);
	assert_non_null(strstr(buf, "-> absent"));
	platform_destroy(p);
}

static void test_msr_names(void **state)
{
	struct platform *p = new_platform();
	unsigned n = platform_lp_msr_count(p, LP);
	uint32_t index;
	uint64_t v;

	(void)state;
	assert_true(n > 64);
	for (unsigned i = 0; i < n; i++) {
		assert_true(platform_lp_msr_at(p, LP, i, &index, &v));
		if (strncmp(tdxsim_msr_name(index), "MSR 0x", 6) == 0)
			print_error("MSR 0x%x has no name\n", index);
		assert_int_not_equal(strncmp(tdxsim_msr_name(index), "MSR 0x", 6), 0);
	}
	assert_false(platform_lp_msr_at(p, LP, n, &index, &v));
	assert_false(platform_lp_msr_at(p, 9999, 0, &index, &v));
	assert_int_equal(platform_lp_msr_count(p, 9999), 0);
	assert_string_equal(tdxsim_msr_name(0xdead), "MSR 0xdead");
	assert_string_equal(tdxsim_msr_name(MSR_IA32_LSTAR), "IA32_LSTAR");
	assert_string_equal(tdxsim_msr_name(MSR_IA32_A_PMC0 + 7), "IA32_A_PMC7");
	platform_destroy(p);
}

static void test_msr_reset_values(void **state)
{
	struct platform *p = new_platform();
	static const uint32_t zero[] = {
		MSR_IA32_DEBUGCTL, MSR_IA32_SPEC_CTRL, MSR_IA32_DS_AREA,
		MSR_IA32_XSS, MSR_IA32_UARCH_MISC_CTL, MSR_IA32_XFD,
		MSR_IA32_XFD_ERR, MSR_IA32_UMWAIT_CONTROL, MSR_IA32_TSX_CTRL,
		MSR_IA32_PERF_GLOBAL_STATUS, MSR_IA32_FIXED_CTR0,
		MSR_IA32_FIXED_CTR0 + 2, MSR_IA32_A_PMC0, MSR_IA32_A_PMC0 + 7,
		MSR_IA32_PERFEVTSEL0, MSR_IA32_PERFEVTSEL0 + 7,
		MSR_OFFCORE_RSP0, MSR_OFFCORE_RSP1, MSR_PERF_METRICS,
		MSR_IA32_FIXED_CTR_CTRL, MSR_IA32_PEBS_ENABLE,
		MSR_IA32_RTIT_CTL, MSR_IA32_LBR_CTL, MSR_IA32_KERNEL_GS_BASE,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		assert_int_equal(msr(p, zero[i]), 0);
	assert_int_equal(msr(p, MSR_IA32_PERF_GLOBAL_CTRL), 0xff);
	assert_int_equal(msr(p, MSR_IA32_LBR_DEPTH), 32);
	assert_int_equal(msr(p, MSR_IA32_TSC_AUX), LP);
	platform_destroy(p);
}

/* ---- TD features KVM refuses ---- */

static void test_check_td_features(void **state)
{
	static const struct {
		uint64_t attributes, xfam;
		uint32_t cpuid[2];
		const char *name;
	} refused[] = {
		{ TDX_TD_ATTR_PERFMON, 0x3, { 0, 0 }, "PERFMON" },
		{ 0, 0x3 | TDX_XFAM_LBR, { 0, 0 }, "LBR" },
		{ 0, 0x3 | TDX_XFAM_PT, { 0, 0 }, "PT" },
		{ 0, 0x3 | TDX_XFAM_ULI, { 0, 0 }, "ULI" },
		{ 0, 0x3 | TDX_XFAM_CET_U | TDX_XFAM_CET_S, { 0, 0 }, "CET" },
		{ 0, 0x3, { CPUID7_EBX_HLE, 0 }, "HLE" },
		{ 0, 0x3, { CPUID7_EBX_RTM, 0 }, "RTM" },
		{ 0, 0x3, { 0, CPUID7_ECX_WAITPKG }, "WAITPKG" },
	};
	const uint32_t ok_cpuid[2] = { ~(CPUID7_EBX_HLE | CPUID7_EBX_RTM),
				       ~CPUID7_ECX_WAITPKG };
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		err[0] = '\0';
		assert_int_equal(vm_host_check_td_features(refused[i].attributes,
							   refused[i].xfam,
							   refused[i].cpuid,
							   err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, refused[i].name));
	}
	err[0] = '\0';
	assert_int_equal(vm_host_check_td_features(TDX_TD_ATTR_SEPT_VE_DISABLE,
						   0x3 | TDX_XFAM_AVX, ok_cpuid,
						   err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(vm_host_check_td_features(TDX_TD_ATTR_SEPT_VE_DISABLE,
						   0x3 | TDX_XFAM_AVX, NULL,
						   NULL, 0), 0);
	assert_int_equal(vm_host_check_td_features(TDX_TD_ATTR_PERFMON, 0x3,
						   NULL, NULL, 0), -EINVAL);
}

/* ---- the LP's non-MSR registers ---- */

static void test_regs(void **state)
{
	struct platform *p = new_platform();
	uint64_t v = 0, x[2];

	(void)state;
	/* INIT values. */
	assert_int_equal(reg(p, TDXSIM_REG_DR0), 0);
	assert_int_equal(reg(p, TDXSIM_REG_DR3), 0);
	assert_int_equal(reg(p, TDXSIM_REG_DR6), 0xFFFF0FF0);
	assert_int_equal(reg(p, TDXSIM_REG_DR7), 0x400);
	assert_int_equal(reg(p, TDXSIM_REG_XCR0), 1);
	assert_int_equal(reg(p, TDXSIM_REG_PKRU), 0);
	assert_int_equal(reg(p, TDXSIM_REG_CR2), 0);
	/* Write, read back; other LPs untouched. */
	set_reg(p, TDXSIM_REG_DR2, 0x1234);
	assert_int_equal(reg(p, TDXSIM_REG_DR2), 0x1234);
	assert_int_equal(platform_read_reg(p, 0, TDXSIM_REG_DR2, &v), 0);
	assert_int_equal(v, 0);
	/* Bad LP, bad register. */
	assert_int_equal(platform_read_reg(p, 9999, TDXSIM_REG_DR0, &v), -EINVAL);
	assert_int_equal(platform_write_reg(p, 9999, TDXSIM_REG_DR0, 1), -EINVAL);
	assert_int_equal(platform_read_reg(p, LP, TDXSIM_REG_NR, &v), -EINVAL);
	assert_int_equal(platform_write_reg(p, LP, (enum tdxsim_reg)99, 1), -EINVAL);
	assert_int_equal(platform_read_xmm(p, 9999, 0, x), -EINVAL);
	assert_int_equal(platform_read_xmm(p, LP, 16, x), -EINVAL);
	/* Names. */
	assert_string_equal(tdxsim_reg_name(TDXSIM_REG_DR6), "DR6");
	assert_string_equal(tdxsim_reg_name(TDXSIM_REG_XCR0), "XCR0");
	assert_string_equal(tdxsim_reg_name(TDXSIM_REG_CR2), "CR2");
	assert_null(tdxsim_reg_name(TDXSIM_REG_NR));
	for (unsigned r = 0; r < TDXSIM_REG_NR; r++)
		assert_non_null(tdxsim_reg_name((enum tdxsim_reg)r));
	platform_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_minimal_td),
		cmocka_unit_test(test_exit_x87_only_xfam_gets_sse),
		cmocka_unit_test(test_exit_perfmon),
		cmocka_unit_test(test_exit_xfam_features),
		cmocka_unit_test(test_exit_umwait_and_tsx),
		cmocka_unit_test(test_round_trip_clean),
		cmocka_unit_test(test_round_trip_no_rewrite_needed),
		cmocka_unit_test(test_restore_mutations),
		cmocka_unit_test(test_restore_split),
		cmocka_unit_test(test_restore_debug_regs_unarmed),
		cmocka_unit_test(test_audit_report_format),
		cmocka_unit_test(test_msr_names),
		cmocka_unit_test(test_msr_reset_values),
		cmocka_unit_test(test_check_td_features),
		cmocka_unit_test(test_regs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
