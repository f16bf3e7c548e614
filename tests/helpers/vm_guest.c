/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "vm_guest.h"

struct run_arg {
	struct vm_guest *c;
	const char *name;
};

static int build_and_run(void *arg)
{
	struct run_arg *r = arg;
	struct vm_guest *c = r->c;
	struct td_config cfg = { .vcpus = 1, .memory_bytes = 32ULL << 20,
				 .attributes = c->attributes };
	uint8_t image[TDX_GUEST_IMAGE_BYTES];
	struct vm_run_result res;
	char err[320] = "";
	struct vm *vm;

	assert_int_equal(tdx_guest_image(r->name, 0, NULL, image), 0);
	if (vm_create(c->vmm, &cfg, &vm, err, sizeof(err)))
		fail_msg("vm_create: %s", err);
	assert_int_equal(vm_init_vcpus(vm), 0);
	assert_int_equal(vm_init_mem_region(vm, 0, image, sizeof(image)), 0);
	assert_int_equal(vm_finalize(vm), 0);
	c->run_ret = vm_run(vm, NULL, &res);
	c->vcpu = res.vcpu[0];
	vm_destroy(vm);
	return 0;
}

void vm_guest_run(struct vm_guest *c, const struct tdx_guest_program *prog,
		  uint64_t attributes)
{
	struct run_arg r = { c, prog->name };

	memset(c, 0, sizeof(*c));
	c->attributes = attributes;
	hm_boot_small(&c->hm, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	assert_int_equal(platform_add_guest_program(c->hm.p, prog), 0);
	c->vmm = vmm_create(c->hm.h);
	assert_non_null(c->vmm);
	assert_int_equal(hm_on_lp(&c->hm, 0, build_and_run, &r), 0);
	assert_int_equal(c->run_ret, 0);
	assert_int_equal(c->vcpu.exit_code, 0);
}

void vm_guest_done(struct vm_guest *c)
{
	vmm_destroy(c->vmm);
	hm_free(&c->hm);
}
