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
	c->run_ret = vm_run(c->vm, &c->opts, &c->res);
	c->check(c);
	vm_destroy(c->vm);
	return 0;
}

static void run(struct ctx *c)
{
	assert_int_equal(hm_on_lp(&c->hm, 0, build_and_run, c), 0);
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
	/* The image is PAGE.ADDed: reading it never faults. */
	assert_int_equal(r->exits[TDX_EXIT_EPT_VIOLATION], 0);
}

static void test_hello(void **state)
{
	struct ctx c;

	setup(&c);
	c.prog = "hello";
	c.check = check_hello;
	run(&c);
	teardown(&c);
}

static uint64_t touch_checksum(uint64_t first, uint64_t end)
{
	uint64_t sum = 0;

	for (uint64_t a = first; a < end; a += 8)
		sum ^= a ^ 0x9E3779B97F4A7C15ULL;
	return sum;
}

static void check_touch(struct ctx *c)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];
	char want[160];

	assert_int_equal(c->run_ret, 0);
	snprintf(want, sizeof(want),
		 "vCPU 0 touched [0x100000, 0x500000): checksum 0x%016llx\n",
		 (unsigned long long)touch_checksum(0x100000, 0x500000));
	assert_string_equal(c->res.console, want);
	/* Each page: one EPT-violation exit (AUG); the #VE and the accept
	 * happen inside the TD without another exit. */
	assert_int_equal(r->exits[TDX_EXIT_EPT_VIOLATION], 4 << 8);
}

static void test_touch_lazy_accept(void **state)
{
	struct ctx c;

	setup(&c);
	c.prog = "touch";
	c.argc = 1;
	c.argv[0] = "4";
	c.check = check_touch;
	run(&c);
	teardown(&c);
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
	struct ctx c;

	setup(&c);
	c.prog = "fatal";
	c.argc = 1;
	c.argv[0] = "0x77";
	c.check = check_fatal;
	run(&c);
	teardown(&c);
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
	struct ctx c;

	setup(&c);
	c.prog = "nosuch";
	c.check = check_unknown;
	run(&c);
	teardown(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_touch_lazy_accept),
		cmocka_unit_test(test_fatal),
		cmocka_unit_test(test_unknown_program),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
