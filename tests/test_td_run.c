/* SPDX-License-Identifier: MIT */
/*
 * vCPUs run (issue 5): TDH.VP.ENTER into a guest program and back,
 * TDVMCALL port I/O to the console, lazy accept (EPT violation -> AUG ->
 * #VE -> ACCEPT), ReportFatalError, and a firmware that finds no program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/host_machine.h"
#include "host/page_alloc.h"
#include "tdxsim/guest.h"
#include "vmm/vmm.h"
#include "vmm/vmm_internal.h"
#include "platform/platform_internal.h"

struct ctx {
	struct hm hm;
	struct vmm *vmm;
	uint64_t free0;
	/* per test */
	const char *prog;
	int argc;
	char *argv[4];
	unsigned vcpus;
	uint64_t attributes;
	int run_ret;
	struct vm_run_opts opts;
	struct vm_run_result res;
	struct vm *vm;
	void (*before_run)(struct ctx *c);
	void (*check)(struct ctx *c);
};

static void setup(struct ctx *c)
{
	memset(c, 0, sizeof(*c));
	hm_boot_small(&c->hm, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	c->vmm = vmm_create(c->hm.h);
	assert_non_null(c->vmm);
	c->free0 = page_alloc_free_bytes(c->hm.h->pages);
	c->vcpus = 1;
}

static void teardown(struct ctx *c)
{
	assert_int_equal(page_alloc_free_bytes(c->hm.h->pages), c->free0);
	assert_int_equal(vmm_hkids_in_use(c->vmm), 0);
	vmm_destroy(c->vmm);
	hm_free(&c->hm);
}

/* Builds a TD whose image names c->prog, runs it, checks, tears down. */
static int build_and_run(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = { .vcpus = c->vcpus, .memory_bytes = 32ULL << 20,
				 .attributes = c->attributes };
	uint8_t image[TDX_GUEST_IMAGE_BYTES];
	char err[320] = "";

	assert_int_equal(tdx_guest_image(c->prog, c->argc, c->argv, image), 0);
	if (vm_create(c->vmm, &cfg, &c->vm, err, sizeof(err)))
		fail_msg("vm_create: %s", err);
	assert_int_equal(vm_init_vcpus(c->vm), 0);
	assert_int_equal(vm_init_mem_region(c->vm, 0, image, sizeof(image)), 0);
	assert_int_equal(vm_finalize(c->vm), 0);
	if (c->before_run)
		c->before_run(c);
	c->run_ret = vm_run(c->vm, &c->opts, &c->res);
	c->check(c);
	vm_destroy(c->vm);
	return 0;
}

static void run(struct ctx *c)
{
	assert_int_equal(hm_on_lp(&c->hm, 0, build_and_run, c), 0);
}

/* A fresh machine running one program with up to two arguments. */
static void run_program2(const char *prog, char *arg1, char *arg2,
			 void (*check)(struct ctx *))
{
	struct ctx c;

	setup(&c);
	c.prog = prog;
	c.argc = arg2 ? 2 : arg1 != NULL;
	c.argv[0] = arg1;
	c.argv[1] = arg2;
	c.check = check;
	run(&c);
	teardown(&c);
}

static void run_program(const char *prog, char *arg, void (*check)(struct ctx *))
{
	run_program2(prog, arg, NULL, check);
}

#define HELLO_1 "Hello from a TD: 1 vCPU, GPAW 48\n"

static void check_hello(struct ctx *c)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];

	assert_int_equal(c->run_ret, 0);
	assert_string_equal(c->res.console, HELLO_1);
	assert_int_equal(r->end, VCPU_END_EXITED);
	assert_int_equal(r->exit_code, 0);
	/* One TDVMCALL per console byte and one for the exit port. */
	assert_int_equal(r->vmcalls[VMCALL_IO], strlen(HELLO_1) + 1);
	assert_int_equal(r->exits[TDX_EXIT_TDCALL], r->vmcalls[VMCALL_IO]);
	/* Port I/O goes out to the VMM in userspace, every byte. */
	assert_int_equal(r->user_returns, r->vmcalls[VMCALL_IO]);
	/* The image is PAGE.ADDed: reading it never faults. */
	assert_int_equal(r->exits[TDX_EXIT_EPT_VIOLATION], 0);
}

static void test_hello(void **state)
{
	run_program("hello", NULL, check_hello);
}

/* The sum of the first `words` words of each page of [first, end), as
 * touch writes them (word at GPA a = a ^ seed). */
static uint64_t touch_checksum(uint64_t first, uint64_t end, unsigned words)
{
	uint64_t sum = 0;

	for (uint64_t page = first; page < end; page += 4096)
		for (uint64_t a = page; a < page + 8 * words; a += 8)
			sum += a ^ 0x9E3779B97F4A7C15ULL;
	return sum;
}

/* touch over 4 MiB from 1 MiB with `words` words per page. */
static void check_touch_words(struct ctx *c, unsigned words)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];
	char want[160];

	assert_int_equal(c->run_ret, 0);
	snprintf(want, sizeof(want),
		 "vCPU 0 touched [0x100000, 0x500000): checksum 0x%016llx\n",
		 (unsigned long long)touch_checksum(0x100000, 0x500000, words));
	assert_string_equal(c->res.console, want);
	/* Each page: one EPT-violation exit (AUG); the #VE and the accept
	 * happen inside the TD without another exit. */
	assert_int_equal(r->exits[TDX_EXIT_EPT_VIOLATION], 4 << 8);
}

static void check_touch(struct ctx *c)
{
	check_touch_words(c, 512);
}

static void test_touch_lazy_accept(void **state)
{
	run_program("touch", "4", check_touch);
}

/* touch 4 1: only each page's first word, still one fault per page. */
static void check_touch_one_word(struct ctx *c)
{
	check_touch_words(c, 1);
}

static void test_touch_one_word(void **state)
{
	run_program2("touch", "4", "1", check_touch_one_word);
}

/* A bad argument: the program says so on the console and exits 2 before
 * doing anything (no fault, no TDVMCALL but the console's). */
static const char *bad_arg_line;

static void check_bad_arg(struct ctx *c)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];

	assert_int_equal(c->run_ret, 1);
	assert_int_equal(r->end, VCPU_END_EXITED);
	assert_int_equal(r->exit_code, TDX_GUEST_EXIT_USAGE);
	assert_string_equal(c->res.console, bad_arg_line);
	assert_int_equal(r->exits[TDX_EXIT_EPT_VIOLATION], 0);
	assert_int_equal(r->vmcalls[VMCALL_IO], strlen(bad_arg_line) + 1);
}

static void test_program_bad_args(void **state)
{
	static const struct {
		const char *prog;
		char *a1, *a2;
		const char *line;
	} cases[] = {
		{ "touch", "abc", NULL, "touch: argument 1 'abc' is not a number from 0 to 134217727\n" },
		{ "touch", "4k", NULL, "touch: argument 1 '4k' is not a number from 0 to 134217727\n" },
		{ "touch", "134217728", NULL, "touch: argument 1 '134217728' is not a number from 0 to 134217727\n" },
		{ "touch", "1", "0", "touch: argument 2 '0' is not a number from 1 to 512\n" },
		{ "touch", "1", "513", "touch: argument 2 '513' is not a number from 1 to 512\n" },
		{ "touch", "1", "-1", "touch: argument 2 '-1' is not a number from 1 to 512\n" },
		/* strtoull alone would read -5 as 2^64 - 5 calls: a hang. */
		{ "vmcalls", "-5", NULL, "vmcalls: argument 1 '-5' is not a number from 0 to 18446744073709551615\n" },
		{ "vmcalls", "99999999999999999999", NULL,
		  "vmcalls: argument 1 '99999999999999999999' is not a number from 0 to 18446744073709551615\n" },
		{ "fatal", "", NULL, "fatal: argument 1 '' is not a number from 0 to 18446744073709551615\n" },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad_arg_line = cases[i].line;
		run_program2(cases[i].prog, cases[i].a1, cases[i].a2, check_bad_arg);
	}
}

/* touch beyond the TD's 32 MiB: the host cannot map the first GPA past
 * it, stops the vCPU and says why; the VM is not bugged. */
static void check_beyond_memory(struct ctx *c)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];

	assert_int_equal(c->run_ret, 1);
	assert_int_equal(r->end, VCPU_END_ERROR);
	assert_false(atomic_load(&c->vm->bugged));
	/* Every page from 1 MiB to 32 MiB, then the one that fails. */
	assert_int_equal(r->exits[TDX_EXIT_EPT_VIOLATION], (31 << 8) + 1);
	assert_string_equal(vm_error(c->vm), "vCPU 0: GPA 0x2000000 is beyond the "
			    "TD's memory (32 MiB, --memory)");
}

static void test_touch_beyond_memory(void **state)
{
	run_program("touch", "40", check_beyond_memory);
}

static void check_fatal(struct ctx *c)
{
	assert_int_equal(c->run_ret, 1);
	assert_int_equal(c->res.vcpu[0].end, VCPU_END_GUEST_FATAL);
	assert_int_equal(c->res.vcpu[0].fatal_code, 0x77);
	assert_string_equal(c->res.vcpu[0].fatal_msg, "guest program 'fatal' gave up");
	assert_string_equal(c->res.console, "fatal: reporting a fatal error\n");
}

static void test_fatal(void **state)
{
	run_program("fatal", "0x77", check_fatal);
}

/* The agent under a VMM that does not speak its protocol (the vendor
 * TDVMCALL gets KVM's -ENOSYS): one line and exit code 1, no hang. */
static void check_agent_alone(struct ctx *c)
{
	assert_int_equal(c->run_ret, 1);
	assert_int_equal(c->res.vcpu[0].end, VCPU_END_EXITED);
	assert_int_equal(c->res.vcpu[0].exit_code, 1);
	assert_string_equal(c->res.console,
			    "agent: the host answered 0xfffffffffffffc18, not a command\n");
	assert_int_equal(c->res.vcpu[0].vmcalls[VMCALL_OTHER], 1);
}

static void test_agent_without_its_host(void **state)
{
	run_program("agent", NULL, check_agent_alone);
}

static void check_unknown(struct ctx *c)
{
	assert_int_equal(c->run_ret, 1);
	assert_int_equal(c->res.vcpu[0].end, VCPU_END_EXITED);
	assert_int_equal(c->res.vcpu[0].exit_code, 127);
	assert_string_equal(c->res.console, "firmware: no program \"nosuch\"\n");
}

static void test_unknown_program(void **state)
{
	run_program("nosuch", NULL, check_unknown);
}

/* ---- host state across TD exits (linux §6.5, abi §7.5) ---- */

/* A host whose LP 0 holds values a TD exit clobbers. */
static void dirty_host(struct ctx *c)
{
	struct platform *p = c->hm.h->p;

	platform_wrmsr(p, 0, MSR_IA32_STAR, 0x0023001000000000ULL);
	platform_wrmsr(p, 0, MSR_IA32_LSTAR, 0xFFFFFFFF81000000ULL);
	platform_wrmsr(p, 0, MSR_IA32_FMASK, 0x47700);
	platform_wrmsr(p, 0, MSR_IA32_TSC_AUX, 3);
	platform_wrmsr(p, 0, MSR_IA32_KERNEL_GS_BASE, 0xFFFF888000000000ULL);
	platform_wrmsr(p, 0, MSR_IA32_DEBUGCTL, 0x1);           /* LBR */
	platform_write_reg(p, 0, TDXSIM_REG_XCR0, 0x7);          /* x87|SSE|AVX */
	platform_write_reg(p, 0, TDXSIM_REG_DR0, 0x1000);
	platform_write_reg(p, 0, TDXSIM_REG_DR1, 0x2000);
	platform_write_reg(p, 0, TDXSIM_REG_DR2, 0x3000);
	platform_write_reg(p, 0, TDXSIM_REG_DR3, 0x4000);
	platform_write_reg(p, 0, TDXSIM_REG_DR6, 0xFFFF0FF1);
	platform_write_reg(p, 0, TDXSIM_REG_DR7, 0x402);  /* G0 armed */
}

static void check_audit_clean(struct ctx *c)
{
	assert_int_equal(c->run_ret, 0);
	assert_true(c->res.vcpu[0].entries > 1);
	if (c->res.vcpu[0].audit_diffs)
		fail_msg("auditor: %s", c->res.vcpu[0].audit_report);
}

static const struct { unsigned item; const char *name; } restores[] = {
	{ VM_RESTORE_DEBUGCTL, "IA32_DEBUGCTL" }, { VM_RESTORE_STAR, "IA32_STAR" },
	{ VM_RESTORE_LSTAR, "IA32_LSTAR" }, { VM_RESTORE_FMASK, "IA32_FMASK" },
	{ VM_RESTORE_TSC_AUX, "IA32_TSC_AUX" },
	{ VM_RESTORE_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE" },
	{ VM_RESTORE_XCR0, "XCR0" }, { VM_RESTORE_DR0, "DR0" }, { VM_RESTORE_DR1, "DR1" },
	{ VM_RESTORE_DR2, "DR2" }, { VM_RESTORE_DR3, "DR3" }, { VM_RESTORE_DR6, "DR6" },
	{ VM_RESTORE_DR7, "DR7" },
};

static unsigned mutant;

static void check_audit_mutant(struct ctx *c)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];

	assert_int_equal(c->run_ret, 0);
	if (!r->audit_diffs || !strstr(r->audit_report, restores[mutant].name))
		fail_msg("without the %s restore the auditor saw %llu differences: %s",
			 restores[mutant].name, (unsigned long long)r->audit_diffs,
			 r->audit_report);
}

/* The run loop's restore leaves nothing changed; removing any one
 * restore is caught by the auditor, which names the register. */
static void test_host_state_audit(void **state)
{
	struct ctx c;

	setup(&c);
	c.prog = "hello";
	c.opts.audit = true;
	c.before_run = dirty_host;
	c.check = check_audit_clean;
	run(&c);
	teardown(&c);
	for (mutant = 0; mutant < sizeof(restores) / sizeof(restores[0]); mutant++) {
		setup(&c);
		c.prog = "hello";
		c.opts.audit = true;
		c.opts.restore_skip_mask = VM_RESTORE_BIT(restores[mutant].item);
		c.before_run = dirty_host;
		c.check = check_audit_mutant;
		run(&c);
		teardown(&c);
	}
}

/* TDVMCALLs the kernel serves (GetTdVmCallInfo) re-enter without a
 * return to userspace, so the user-return MSRs stay at the module's
 * values across them (linux §6.5) and the auditor compares once, at the
 * exit port's return. Without the STAR restore that one compare finds
 * STAR, once: a per-entry comparison would find it 51 times. */
static void check_lazy_clean(struct ctx *c)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];

	assert_int_equal(c->run_ret, 0);
	assert_int_equal(r->vmcalls[VMCALL_GET_INFO], 50);
	assert_int_equal(r->entries, 51);
	assert_int_equal(r->user_returns, 1);
	if (r->audit_diffs)
		fail_msg("auditor: %s", r->audit_report);
}

static void check_lazy_no_star(struct ctx *c)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];

	assert_int_equal(c->run_ret, 0);
	assert_int_equal(r->user_returns, 1);
	assert_int_equal(r->audit_diffs, 1);
	assert_non_null(strstr(c->res.vcpu[0].audit_report, "IA32_STAR"));
}

static void test_host_state_lazy(void **state)
{
	void (*checks[2])(struct ctx *) = { check_lazy_clean, check_lazy_no_star };
	struct ctx c;

	for (unsigned i = 0; i < 2; i++) {
		setup(&c);
		c.prog = "vmcalls";
		c.argc = 1;
		c.argv[0] = "50";
		c.opts.audit = true;
		c.opts.restore_skip_mask = i ? VM_RESTORE_BIT(VM_RESTORE_STAR) : 0;
		c.before_run = dirty_host;
		c.check = checks[i];
		run(&c);
		teardown(&c);
	}
}

/* ---- a host write into private memory ---- */

static void poison_image(struct ctx *c)
{
	uint64_t hpa = vm_private_hpa(c->vm, 0), junk = 0x4141414141414141ULL;

	assert_true(hpa != 0);
	/* A shared-KeyID store: the line loses its TD bit and is poisoned. */
	assert_int_equal(platform_mem_write(c->hm.h->p, hpa, &junk, 8), TDXSIM_MEM_OK);
	assert_true(platform_line_poisoned(c->hm.h->p, hpa));
}

static void check_machine_check(struct ctx *c)
{
	uint64_t fatal = 0;

	assert_int_equal(c->run_ret, 1);
	assert_int_equal(c->res.vcpu[0].end, VCPU_END_TD_FATAL);
	assert_int_equal(c->res.vcpu[0].status & ~0xFFFFFFFFULL,
			 TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE);
	assert_int_equal(c->res.vcpu[0].status & 0xFFFF, TDX_EXIT_EXCEPTION_NMI);
	assert_string_equal(c->res.console, "");
	/* The TD is dead to every later SEAMCALL on it. */
	assert_int_equal(vm_read_field(c->vm, MD_TD_TDCS_MRTD, &fatal), -EIO);
}

static void test_host_write_machine_check(void **state)
{
	struct ctx c;

	setup(&c);
	c.prog = "hello";
	c.before_run = poison_image;
	c.check = check_machine_check;
	run(&c);
	/* The host and another TD are fine. */
	c.before_run = NULL;
	c.check = check_hello;
	run(&c);
	teardown(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_touch_lazy_accept),
		cmocka_unit_test(test_touch_one_word),
		cmocka_unit_test(test_program_bad_args),
		cmocka_unit_test(test_touch_beyond_memory),
		cmocka_unit_test(test_fatal),
		cmocka_unit_test(test_agent_without_its_host),
		cmocka_unit_test(test_unknown_program),
		cmocka_unit_test(test_host_state_audit),
		cmocka_unit_test(test_host_state_lazy),
		cmocka_unit_test(test_host_write_machine_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
