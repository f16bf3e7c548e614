/* SPDX-License-Identifier: MIT */
/*
 * The TD manager (src/vmm/): user errors are clear and leave nothing
 * behind; create → build → finalize → teardown returns every page and
 * the HKID, 1000 times over; map/zap; BUSY from an S-EPT SEAMCALL bugs
 * the VM, except the removal path's one retry; Linux's package rule.
 */
#include <errno.h>
#include <string.h>
#include <openssl/evp.h>

#include "helpers/host_machine.h"
#include "host/page_alloc.h"
#include "tdxsim/inject.h"
#include "vmm/vmm.h"

struct ctx {
	struct hm hm;
	struct vmm *vmm;
	uint64_t free0;
};

static void setup(struct ctx *c)
{
	memset(c, 0, sizeof(*c));
	hm_boot_small(&c->hm, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	c->vmm = vmm_create(c->hm.h);
	assert_non_null(c->vmm);
	c->free0 = page_alloc_free_bytes(c->hm.h->pages);
}

static void teardown(struct ctx *c)
{
	assert_int_equal(page_alloc_free_bytes(c->hm.h->pages), c->free0);
	assert_int_equal(vmm_hkids_in_use(c->vmm), 0);
	vmm_destroy(c->vmm);
	hm_free(&c->hm);
}

static struct td_config cfg1(void)
{
	return (struct td_config){ .vcpus = 1, .memory_bytes = 16ULL << 20 };
}

/* Runs fn(c) on LP 0 (the manager needs a bound thread). */
static void on_cpu(struct ctx *c, int (*fn)(void *))
{
	assert_int_equal(hm_on_lp(&c->hm, 0, fn, c), 0);
}

/* A whole TD (two vCPUs, an image page, finalize, teardown). */
static int whole_td_fn(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = cfg1();
	uint8_t page[4096] = { 0x90 };
	struct vm *vm;
	char msg[320];

	cfg.vcpus = 2;
	assert_int_equal(vm_create(c->vmm, &cfg, &vm, msg, sizeof(msg)), 0);
	if (vm_init_vcpus(vm) || vm_init_mem_region(vm, 0, page, sizeof(page)) ||
	    vm_finalize(vm))
		fail_msg("%s", vm_error(vm));
	vm_destroy(vm);
	return 0;
}

/* Every profile that brings TDX up builds a TD: 1.5.01 has no
 * TOPOLOGY_ENUM and refuses VP.INIT version 1, so the VMM issues
 * version 0 there (it used to bug the VM at the first vCPU). */
static void builds_on_each_profile(void **state)
{
	static const enum tdxsim_profile profiles[] = {
		TDXSIM_PROFILE_1_5, TDXSIM_PROFILE_1_5_01,
	};
	struct ctx c;

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		memset(&c, 0, sizeof(c));
		hm_boot_small(&c.hm, profiles[i], MEMHP_STRICT);
		c.vmm = vmm_create(c.hm.h);
		assert_non_null(c.vmm);
		c.free0 = page_alloc_free_bytes(c.hm.h->pages);
		on_cpu(&c, whole_td_fn);
		teardown(&c);
	}
}

static int expect_create_error(struct ctx *c, const struct td_config *cfg,
			       int err, const char *text)
{
	struct vm *vm = (struct vm *)1;
	char msg[320] = "";

	assert_int_equal(vm_create(c->vmm, cfg, &vm, msg, sizeof(msg)), err);
	assert_null(vm);
	if (!strstr(msg, text))
		fail_msg("message '%s' lacks '%s'", msg, text);
	return 0;
}

static int user_errors_fn(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = cfg1();

	cfg.attributes = TDX_TD_ATTR_PERFMON;
	expect_create_error(c, &cfg, -EINVAL, "only DEBUG");
	cfg = cfg1();
	cfg.vcpus = 0;
	expect_create_error(c, &cfg, -EINVAL, "0 vCPUs");
	cfg.vcpus = 5;   /* 4 LPs */
	expect_create_error(c, &cfg, -EINVAL, "1 to 4");
	cfg = cfg1();
	cfg.memory_bytes = 12345;
	expect_create_error(c, &cfg, -EINVAL, "memory size");
	cfg = cfg1();
	cfg.xfam = 1ULL << 40;
	expect_create_error(c, &cfg, -EINVAL, "not allowed by the module");
	return 0;
}

static void user_errors(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c);
	on_cpu(&c, user_errors_fn);
	teardown(&c);
}

static int overlap_fn(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = cfg1();
	static uint8_t img[2 * 4096];
	struct vm *vm;
	char msg[320];

	assert_int_equal(vm_create(c->vmm, &cfg, &vm, msg, sizeof(msg)), 0);
	assert_int_equal(vm_init_vcpus(vm), 0);
	assert_int_equal(vm_init_mem_region(vm, 0x10000, img, sizeof(img)), 0);
	assert_int_equal(vm_init_mem_region(vm, 0x11000, img, sizeof(img)), -EEXIST);
	assert_non_null(strstr(vm_error(vm), "overlaps"));
	assert_int_equal(vm_init_mem_region(vm, 0x10800, img, 16), -EINVAL);   /* unaligned */
	assert_int_equal(vm_init_mem_region(vm, cfg.memory_bytes - 4096, img, sizeof(img)),
			 -EINVAL);
	assert_non_null(strstr(vm_error(vm), "does not fit"));
	assert_false(vm_bugged(vm));
	assert_int_equal(vm_finalize(vm), 0);
	assert_int_equal(vm_init_mem_region(vm, 0x20000, img, sizeof(img)), -EINVAL);
	assert_false(vm_bugged(vm));
	vm_destroy(vm);
	return 0;
}

static void region_errors(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c);
	on_cpu(&c, overlap_fn);
	teardown(&c);
}

static int rounds_fn(void *arg)
{
	struct ctx *c = arg;
	static uint8_t img[2 * 4096 + 17];

	for (unsigned round = 0; round < 1000; round++) {
		struct td_config cfg = cfg1();
		struct vm *vm;
		char msg[320];

		img[round % sizeof(img)] ^= 0x5A;
		cfg.vcpus = 1 + round % 4;
		assert_int_equal(vm_create(c->vmm, &cfg, &vm, msg, sizeof(msg)), 0);
		assert_int_equal(vm_init_vcpus(vm), 0);
		assert_int_equal(vm_init_mem_region(vm, 0, img, sizeof(img)), 0);
		assert_int_equal(vm_finalize(vm), 0);
		assert_int_equal(vm_state(vm), VM_RUNNABLE);
		vm_destroy(vm);
		if (page_alloc_free_bytes(c->hm.h->pages) != c->free0)
			fail_msg("round %u leaked %llu bytes", round,
				 (unsigned long long)(c->free0 -
						      page_alloc_free_bytes(c->hm.h->pages)));
	}
	return 0;
}

static void thousand_rounds_no_leak(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c);
	on_cpu(&c, rounds_fn);
	tdx_inspect_check_all(c.hm.p);
	/* The PAMT is as before: no page of any size is assigned. */
	assert_int_equal(tdx_inspect_count_assigned(c.hm.p), 0);
	teardown(&c);
}

static int hkids_fn(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = cfg1();
	struct vm *vms[64];
	unsigned n = 0;
	char msg[320];

	while (n < 64 && vm_create(c->vmm, &cfg, &vms[n], msg, sizeof(msg)) == 0)
		n++;
	assert_int_equal(n, c->hm.h->nr_guest_keyids);
	assert_int_equal(vm_create(c->vmm, &cfg, &vms[n], msg, sizeof(msg)), -ENOSPC);
	assert_non_null(strstr(msg, "no free TDX KeyID"));
	while (n)
		vm_destroy(vms[--n]);
	return 0;
}

static void hkid_exhaustion(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c);
	on_cpu(&c, hkids_fn);
	teardown(&c);
}

static int package_fn(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = cfg1();

	return expect_create_error(c, &cfg, -EIO, "All packages need to have online CPU "
				   "to create TD. Online CPU and retry.");
}

static void package_without_online_cpu(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c);
	for (unsigned lp = 0; lp < platform_nr_lps(c.hm.p); lp++)
		if (platform_lp_package(c.hm.p, lp) == 1)
			assert_int_equal(host_cpu_offline(c.hm.h, lp), 0);
	on_cpu(&c, package_fn);
	teardown(&c);
}

static struct vm *runnable(struct ctx *c, uint64_t mem)
{
	struct td_config cfg = cfg1();
	struct vm *vm;
	char msg[320];

	cfg.memory_bytes = mem;
	assert_int_equal(vm_create(c->vmm, &cfg, &vm, msg, sizeof(msg)), 0);
	assert_int_equal(vm_init_vcpus(vm), 0);
	assert_int_equal(vm_finalize(vm), 0);
	return vm;
}

static int map_zap_fn(void *arg)
{
	struct ctx *c = arg;
	struct vm *vm = runnable(c, 64ULL << 20);
	uint64_t held = vm_pages_held(vm);

	for (uint64_t i = 0; i < 64; i++)
		assert_int_equal(vm_map_private(vm, 0x400000 + i * 4096), 0);
	/* 64 leaves plus the PDPT, PD and PT pages of the path. */
	assert_int_equal(vm_pages_held(vm), held + 64 + 3);
	for (uint64_t i = 0; i < 32; i++)
		assert_int_equal(vm_zap_private(vm, 0x400000 + i * 4096), 0);
	assert_int_equal(vm_pages_held(vm), held + 32 + 3);
	assert_int_equal(tdx_inspect_count_assigned(c->hm.p), vm_pages_held(vm));
	assert_int_equal(vm_zap_private(vm, 0x400000), -ENOENT);
	assert_int_equal(vm_map_private(vm, 64ULL << 20), -EINVAL);
	assert_false(vm_bugged(vm));
	vm_destroy(vm);
	return 0;
}

static void map_and_zap(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c);
	on_cpu(&c, map_zap_fn);
	teardown(&c);
}

static int busy_fn(void *arg)
{
	struct ctx *c = arg;
	struct vm *vm = runnable(c, 16ULL << 20);
	uint64_t busy = TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT_TREE;

	assert_int_equal(tdxsim_inject_status(c->hm.p, TDH_MEM_PAGE_AUG, -1, 1, busy), 0);
	assert_int_equal(vm_map_private(vm, 0x1000), -EIO);
	assert_true(vm_bugged(vm));
	if (!strstr(vm_error(vm), "SEAMCALL TDH.MEM.PAGE.AUG failed: 0x8000020000000092"))
		fail_msg("bug message: %s", vm_error(vm));
	/* An injected status leaves the input registers: RCX = GPA, RDX = TDR. */
	assert_non_null(strstr(hm_log(&c->hm), "kvm_intel: SEAMCALL TDH.MEM.PAGE.AUG failed: "
			       "0x8000020000000092, entry 0x0000000000001000, level_state 0x"));
	assert_int_equal(vm_map_private(vm, 0x2000), -EIO);   /* a bugged VM does nothing */
	vm_destroy(vm);
	return 0;
}

static void busy_from_sept_seamcall_bugs_vm(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c);
	on_cpu(&c, busy_fn);
	teardown(&c);
}

static int zap_retry_fn(void *arg)
{
	struct ctx *c = arg;
	struct vm *vm = runnable(c, 16ULL << 20);
	uint64_t busy = TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;

	assert_int_equal(vm_map_private(vm, 0x1000), 0);
	assert_int_equal(vm_map_private(vm, 0x2000), 0);
	/* One BUSY on each removal step: the single kicked retry absorbs it. */
	assert_int_equal(tdxsim_inject_status(c->hm.p, TDH_MEM_RANGE_BLOCK, -1, 1, busy), 0);
	assert_int_equal(tdxsim_inject_status(c->hm.p, TDH_MEM_TRACK, -1, 1,
			 TDX_OPERAND_BUSY | TDX_OPERAND_ID_TD_EPOCH), 0);
	assert_int_equal(tdxsim_inject_status(c->hm.p, TDH_MEM_PAGE_REMOVE, -1, 1, busy), 0);
	assert_int_equal(vm_zap_private(vm, 0x1000), 0);
	assert_false(vm_bugged(vm));
	/* Two in a row: no second retry, the VM is bugged. */
	assert_int_equal(tdxsim_inject_status(c->hm.p, TDH_MEM_PAGE_REMOVE, -1, 1, busy), 0);
	assert_int_equal(tdxsim_inject_status(c->hm.p, TDH_MEM_PAGE_REMOVE, -1, 1, busy), 0);
	assert_int_equal(vm_zap_private(vm, 0x2000), -EIO);
	assert_true(vm_bugged(vm));
	assert_non_null(strstr(vm_error(vm), "TDH.MEM.PAGE.REMOVE failed"));
	vm_destroy(vm);
	return 0;
}

static void zap_retries_once(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c);
	on_cpu(&c, zap_retry_fn);
	teardown(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(user_errors),
		cmocka_unit_test(builds_on_each_profile),
		cmocka_unit_test(region_errors),
		cmocka_unit_test(thousand_rounds_no_leak),
		cmocka_unit_test(hkid_exhaustion),
		cmocka_unit_test(package_without_online_cpu),
		cmocka_unit_test(map_and_zap),
		cmocka_unit_test(busy_from_sept_seamcall_bugs_vm),
		cmocka_unit_test(zap_retries_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
