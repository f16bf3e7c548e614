/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "machine.h"

#define GiB (1ULL << 30)

void small_config(struct tdxsim_platform_config *c, unsigned pkgs,
		  unsigned lps, unsigned ram_gib, enum tdxsim_profile prof)
{
	tdxsim_config_default(c);
	c->packages = pkgs;
	c->lps_per_package = lps;
	c->profile = prof;
	c->n_memmap = 0;
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ 0, 0xA0000, TDXSIM_MEM_RAM, 0 };
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ 0x100000, ram_gib * GiB - 0x100000,
							      TDXSIM_MEM_RAM, 0 };
}

void override_cpuid(struct tdxsim_platform_config *c, unsigned lp,
		    struct tdxsim_cpuid_override r)
{
	struct tdxsim_lp_override *o = &c->overrides[0];

	memset(o, 0, sizeof(*o));
	o->lp = lp;
	o->n_cpuid = 1;
	o->cpuid[0] = r;
	c->n_overrides = 1;
}

void override_msr(struct tdxsim_platform_config *c, unsigned lp,
		  uint32_t msr, uint64_t value)
{
	struct tdxsim_lp_override *o = &c->overrides[0];

	memset(o, 0, sizeof(*o));
	o->lp = lp;
	o->n_msrs = 1;
	o->msrs[0] = (struct tdxsim_msr_override){ msr, value };
	c->n_overrides = 1;
}

struct platform *machine_new(const struct tdxsim_platform_config *c)
{
	char err[256] = "";
	struct platform *p = platform_create(c, err, sizeof(err));

	if (!p)
		fail_msg("platform_create: %s", err);
	return p;
}

struct sc { uint64_t leaf; struct tdx_module_args *a; uint64_t st; };

static int do_sc(void *arg)
{
	struct sc *s = arg;

	s->st = seamcall(s->leaf, s->a);
	return 0;
}

uint64_t sc_on(struct platform *p, unsigned lp, uint64_t leaf,
	       struct tdx_module_args *a)
{
	struct sc s = { leaf, a, ~0ULL };

	assert_int_equal(platform_on_lp(p, lp, do_sc, &s), 0);
	return s.st;
}

uint64_t sc0(struct platform *p, unsigned lp, uint64_t leaf)
{
	struct tdx_module_args a;

	memset(&a, 0, sizeof(a));
	return sc_on(p, lp, leaf, &a);
}

static int vmxon_here(void *arg)
{
	return platform_vmxon(arg);
}

void vmxon_all(struct platform *p)
{
	for (unsigned lp = 0; lp < platform_nr_lps(p); lp++)
		if (platform_lp_online(p, lp) && !platform_lp_in_vmx(p, lp))
			assert_int_equal(platform_on_lp(p, lp, vmxon_here, p), 0);
}

void sys_init_all(struct platform *p)
{
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	for (unsigned lp = 0; lp < platform_nr_lps(p); lp++)
		if (platform_lp_online(p, lp))
			assert_int_equal(sc0(p, lp, TDH_SYS_LP_INIT), TDX_SUCCESS);
}

void plan_and_write(struct platform *p, struct tdmr_plan *b, uint64_t array_pa)
{
	memset(b, 0, sizeof(*b));
	assert_int_equal(tdmr_plan_for_config(platform_config(p), TDMR_POLICY_LINUX, b), 0);
	for (unsigned i = 0; i < b->n_tdmrs; i++) {
		uint64_t pa = array_pa + 0x1000 + 512ULL * i;

		assert_int_equal(platform_mem_write(p, pa, &b->tdmr[i].info,
						    sizeof(b->tdmr[i].info)), TDXSIM_MEM_OK);
		assert_int_equal(platform_mem_write(p, array_pa + 8 * i, &pa, 8), TDXSIM_MEM_OK);
	}
}

uint64_t do_config(struct platform *p, struct tdmr_plan *b)
{
	struct tdx_module_args a;

	memset(&a, 0, sizeof(a));
	a.rcx = TEST_ARRAY_PA;
	a.rdx = b->n_tdmrs;
	a.r8 = platform_first_private_keyid(p);
	return sc_on(p, 0, TDH_SYS_CONFIG, &a);
}

void key_config_all(struct platform *p)
{
	for (unsigned pkg = 0; pkg < platform_nr_packages(p); pkg++) {
		unsigned lp = pkg * platform_config(p)->lps_per_package;

		assert_int_equal(sc0(p, lp, TDH_SYS_KEY_CONFIG), TDX_SUCCESS);
	}
}

void bring_to_ready(struct platform *p, struct tdmr_plan *b)
{
	sys_init_all(p);
	plan_and_write(p, b, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, b), TDX_SUCCESS);
	key_config_all(p);
	assert_int_equal(tdx_inspect_sys_state(p), SYS_READY);
}

void tdmr_init_all(struct platform *p, const struct tdmr_plan *b)
{
	for (unsigned i = 0; i < b->n_tdmrs; i++) {
		const struct tdmr_info_entry *e = &b->tdmr[i].info;
		struct tdx_module_args a;

		memset(&a, 0, sizeof(a));
		do {
			a.rcx = e->tdmr_base;
			assert_int_equal(sc_on(p, 0, TDH_SYS_TDMR_INIT, &a), TDX_SUCCESS);
		} while (a.rdx < e->tdmr_base + e->tdmr_size);
	}
}
