/* SPDX-License-Identifier: MIT */
/*
 * CPU hotplug (linux §3.12) and KVM's per-CPU compatibility check:
 * offline/online after boot, late CPUs under the module profiles, the
 * last-CPU-of-a-package rule, LPs that differ, and hotplug racing
 * tdx_enable().
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "helpers/host_machine.h"
#include "tdxsim/inject.h"

#define LP_INIT_FAILED_3 "virt/tdx: CPU 3: TDX per-CPU initialization failed (-5); the CPU stays offline"
#define LP_INIT_WHY_3 "virt/tdx: CPU 3: the TDX module refuses TDH.SYS.LP.INIT after TDH.SYS.CONFIG (TDX_SYS_LP_INIT_NOT_PENDING): this module initialises only the CPUs online when it was configured"
#define PKG_MSG "virt/tdx: TDX requires all packages to have an online CPU. Delete all TDs in order to offline all CPUs of a package."

static int rd_here(void *arg)
{
	struct tdx_module_args a = { .rdx = MD_SYS_MINOR_VERSION };

	return host_sc_prerr(arg, TDH_SYS_RD, &a);
}

/* ---- offline, then online again ---- */

static void test_offline_online_after_boot(void **state)
{
	uint64_t calls;
	struct hm m;

	(void)state;
	hm_boot_small(&m, TDXSIM_PROFILE_1_5, MEMHP_STRICT);

	assert_int_equal(host_cpu_offline(m.h, 1), 0);
	assert_false(platform_lp_online(m.p, 1));
	assert_false(platform_lp_in_vmx(m.p, 1));
	assert_int_equal(host_cpu_offline(m.h, 1), -EINVAL);   /* already offline */

	calls = host_seamcalls(m.h);
	assert_int_equal(host_cpu_online(m.h, 1), 0);
	assert_true(platform_lp_online(m.p, 1));
	assert_true(platform_lp_in_vmx(m.p, 1));
	/* Already initialised: VMXON only, no LP.INIT (the module would say
	 * TDX_SYS_LP_INIT_DONE). */
	assert_int_equal(host_seamcalls(m.h), calls);
	assert_int_equal(host_cpu_online(m.h, 1), -EINVAL);    /* already online */
	/* The CPU works: a SEAMCALL on it, and tdx_enable's contract holds. */
	assert_int_equal(hm_on_lp(&m, 1, rd_here, m.h), 0);
	assert_int_equal(hm_tdx_enable_on(&m, 1), 0);
	hm_assert_nothing_like(&m, "failed");
	hm_free(&m);
}

/* src/host's cpus_read_lock() is the platform's CPU-hotplug lock, the
 * one every other host on the machine (the real kernel's code too)
 * takes: no writer while src/host reads it, and readers share it. */
static void test_hotplug_lock_is_platforms(void **state)
{
	struct hm m;

	(void)state;
	hm_boot_small(&m, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	host_cpus_read_lock(m.h);
	assert_false(platform_hotplug_trylock(m.p, PLATFORM_CPU_HOTPLUG, true));
	assert_true(platform_hotplug_trylock(m.p, PLATFORM_CPU_HOTPLUG, false));
	platform_hotplug_unlock(m.p, PLATFORM_CPU_HOTPLUG);
	host_cpus_read_unlock(m.h);
	/* Released by both: free again. */
	assert_true(platform_hotplug_trylock(m.p, PLATFORM_CPU_HOTPLUG, true));
	platform_hotplug_unlock(m.p, PLATFORM_CPU_HOTPLUG);
	hm_free(&m);
}

/* ---- a CPU offline at boot, onlined after configuration ---- */

static void late_cpu_config(struct tdxsim_platform_config *c, enum tdxsim_profile prof)
{
	small_config(c, 2, 2, 4, prof);
}

static void test_late_cpu_1_5(void **state)
{
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	late_cpu_config(&c, TDXSIM_PROFILE_1_5);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(platform_lp_set_online(m.p, 3, false), 0);
	assert_int_equal(host_boot(m.h), 0);
	assert_false(tdx_inspect_lp_is_init(m.p, 3));
	assert_int_equal(tdx_inspect_sys_state(m.p), SYS_READY);

	assert_int_equal(host_cpu_online(m.h, 3), 0);
	assert_true(platform_lp_online(m.p, 3));
	assert_true(platform_lp_in_vmx(m.p, 3));
	assert_true(tdx_inspect_lp_is_init(m.p, 3));
	assert_int_equal(hm_on_lp(&m, 3, rd_here, m.h), 0);
	hm_assert_nothing_like(&m, "failed");
	hm_free(&m);
}

/*
 * Under 1.5.01 TDH.SYS.CONFIG requires every LP of the platform to have
 * done LP.INIT (abi §3.3), so with LP 3 offline at boot the module is
 * never configured: boot fails at CONFIG, and LP 3 onlined afterwards
 * finds the module still in SYSINIT_DONE, where LP.INIT is accepted.
 * The "LP.INIT after CONFIG" refusal cannot be reached with this module;
 * test_late_cpu_not_pending plays it with status injection.
 */
static void test_late_cpu_1_5_01(void **state)
{
	static const char *const expect[] = {
		"virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc000050c00000000",
		"virt/tdx: TDH.SYS.CONFIG refused: CPUs 3 have not run TDH.SYS.LP.INIT (offline); this TDX module is configured only once every CPU has, and accepts no CPU after that: online every CPU before TDX initializes",
		"virt/tdx: module initialization failed (-5)",
	};
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	late_cpu_config(&c, TDXSIM_PROFILE_1_5_01);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(platform_lp_set_online(m.p, 3, false), 0);
	assert_int_equal(host_boot(m.h), -EIO);
	hm_assert_in_order(&m, expect, 3);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_ERROR);
	assert_int_equal(tdx_inspect_sys_state(m.p), SYSINIT_DONE);
	hm_assert_nothing_allocated(&m);

	assert_int_equal(host_cpu_online(m.h, 3), 0);
	assert_true(tdx_inspect_lp_is_init(m.p, 3));
	hm_assert_no_line(&m, LP_INIT_WHY_3);
	/* tdx_enable stays failed, as in Linux. */
	assert_int_equal(hm_tdx_enable_on(&m, 0), -EINVAL);
	hm_free(&m);
}

/* The host's side of a refused late LP.INIT, the module's answer injected. */
static void test_late_cpu_not_pending(void **state)
{
	static const char *const expect[] = {
		"virt/tdx: SEAMCALL (0x0000000000000023) failed: 0xc000050b00000000",
		LP_INIT_WHY_3,
		LP_INIT_FAILED_3,
	};
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	late_cpu_config(&c, TDXSIM_PROFILE_1_5);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(platform_lp_set_online(m.p, 3, false), 0);
	assert_int_equal(host_boot(m.h), 0);
	assert_int_equal(tdxsim_inject_status(m.p, TDH_SYS_LP_INIT, 3, 1,
					      TDX_SYS_LP_INIT_NOT_PENDING), 0);
	assert_int_equal(host_cpu_online(m.h, 3), -EIO);
	hm_assert_in_order(&m, expect, 3);
	assert_false(platform_lp_online(m.p, 3));
	assert_false(platform_lp_in_vmx(m.p, 3));
	assert_false(tdx_inspect_lp_is_init(m.p, 3));
	/* Another status: the failure line without the explanation. */
	assert_int_equal(tdxsim_inject_status(m.p, TDH_SYS_LP_INIT, 3, 1, TDX_SYS_BUSY), 0);
	assert_int_equal(host_cpu_online(m.h, 3), -EIO);
	assert_int_equal(hm_count(&m, LP_INIT_FAILED_3), 2);
	assert_int_equal(hm_count(&m, LP_INIT_WHY_3), 1);
	assert_false(platform_lp_online(m.p, 3));
	/* The real 1.5 module accepts the late LP.INIT. */
	assert_int_equal(host_cpu_online(m.h, 3), 0);
	assert_true(tdx_inspect_lp_is_init(m.p, 3));
	hm_free(&m);
}

/* Onlined after host_enable_virt_all, before tdx_enable: both profiles. */
static void online_before_enable(enum tdxsim_profile prof)
{
	struct tdxsim_platform_config c;
	struct hm m;

	late_cpu_config(&c, prof);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(platform_lp_set_online(m.p, 3, false), 0);
	assert_int_equal(hm_tdx_init(&m), 0);
	assert_int_equal(host_enable_virt_all(m.h), 0);
	assert_false(tdx_inspect_lp_is_init(m.p, 3));
	assert_int_equal(host_cpu_online(m.h, 3), 0);
	assert_true(tdx_inspect_lp_is_init(m.p, 3));
	assert_true(platform_lp_in_vmx(m.p, 3));
	assert_int_equal(hm_tdx_enable_on(&m, 0), 0);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_INITIALIZED);
	hm_assert_nothing_like(&m, "failed");
	hm_free(&m);
}

static void test_online_before_enable(void **state)
{
	(void)state;
	online_before_enable(TDXSIM_PROFILE_1_5);
	online_before_enable(TDXSIM_PROFILE_1_5_01);
}

/*
 * Offlining the LP the calling thread runs on: the platform refuses to
 * take an occupied LP offline (-EBUSY). The refusal must leave the CPU as
 * it was, in VMX operation and usable. (Before the fix in cpuhp.c the
 * offline callback had already done VMXOFF, leaving an online CPU on
 * which every SEAMCALL was #UD and tdx_enable's contract broken.)
 */
static int offline_self(void *arg)
{
	struct host *h = arg;

	return host_cpu_offline(h, host_this_cpu(h));
}

static void test_offline_own_lp(void **state)
{
	struct hm m;

	(void)state;
	hm_boot_small(&m, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	assert_int_equal(hm_on_lp(&m, 1, offline_self, m.h), -EBUSY);
	assert_true(platform_lp_online(m.p, 1));
	assert_true(platform_lp_in_vmx(m.p, 1));
	assert_int_equal(hm_on_lp(&m, 1, rd_here, m.h), 0);
	assert_int_equal(hm_tdx_enable_on(&m, 0), 0);
	hm_assert_nothing_like(&m, "failed");
	/* From elsewhere it goes. */
	assert_int_equal(host_cpu_offline(m.h, 1), 0);
	assert_false(platform_lp_online(m.p, 1));
	hm_free(&m);
}

/* ---- the last CPU of a package while TD KeyIDs are in use ---- */

static void test_offline_last_of_package(void **state)
{
	struct hm m;

	(void)state;
	hm_boot_small(&m, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	/* The TD manager that counts KeyIDs does not exist yet. */
	atomic_store(&m.h->nr_configured_hkid, 1);

	/* LP 2 and LP 3 are package 1: one may go. */
	assert_int_equal(host_cpu_offline(m.h, 3), 0);
	hm_assert_no_line(&m, PKG_MSG);
	assert_int_equal(host_cpu_offline(m.h, 2), -EBUSY);
	assert_int_equal(hm_count(&m, PKG_MSG), 1);
	assert_true(platform_lp_online(m.p, 2));
	assert_true(platform_lp_in_vmx(m.p, 2));
	assert_int_equal(hm_on_lp(&m, 2, rd_here, m.h), 0);
	/* Package 0 likewise. */
	assert_int_equal(host_cpu_offline(m.h, 0), 0);
	assert_int_equal(host_cpu_offline(m.h, 1), -EBUSY);
	assert_int_equal(hm_count(&m, PKG_MSG), 2);

	/* No KeyID in use: allowed. */
	atomic_store(&m.h->nr_configured_hkid, 0);
	assert_int_equal(host_cpu_offline(m.h, 2), 0);
	assert_false(platform_lp_online(m.p, 2));
	assert_false(platform_lp_in_vmx(m.p, 2));
	assert_int_equal(hm_count(&m, PKG_MSG), 2);
	hm_free(&m);
}

/* ---- the compatibility check ---- */

/* c with LP 3 reporting leaf/subleaf like the model, but reg set to v. */
static void override_cpuid_reg(struct tdxsim_platform_config *c, unsigned lp,
			       uint32_t leaf, uint32_t subleaf, unsigned reg,
			       uint32_t v)
{
	struct tdxsim_lp_override *o = &c->overrides[0];
	struct platform *plain = machine_new(c);
	uint32_t r[4];

	platform_cpuid(plain, lp, leaf, subleaf, r);
	platform_destroy(plain);
	assert_int_not_equal(r[reg], v);
	r[reg] = v;
	memset(o, 0, sizeof(*o));
	o->lp = lp;
	o->n_cpuid = 1;
	o->cpuid[0] = (struct tdxsim_cpuid_override){ leaf, subleaf, r[0], r[1], r[2], r[3] };
	c->n_overrides = 1;
}

static uint64_t model_msr(const struct tdxsim_platform_config *c, uint32_t msr)
{
	struct platform *plain = machine_new(c);
	uint64_t v = 0;

	assert_true(platform_rdmsr(plain, 0, msr, &v));
	platform_destroy(plain);
	return v;
}

static void assert_one_diff(struct hm *m, const char *field, uint64_t value,
			    uint64_t ref)
{
	char line[200];

	assert_int_equal(m->h->n_compat_diffs, 1);
	assert_int_equal(m->h->compat_diffs[0].lp, 3);
	assert_int_equal(m->h->compat_diffs[0].ref_lp, 0);
	assert_string_equal(m->h->compat_diffs[0].field, field);
	assert_int_equal(m->h->compat_diffs[0].value, value);
	assert_int_equal(m->h->compat_diffs[0].ref_value, ref);
	snprintf(line, sizeof(line),
		 "kvm_intel: CPU 3 feature inconsistency! %s is 0x%llx, but 0x%llx on CPU 0",
		 field, (unsigned long long)value, (unsigned long long)ref);
	hm_assert_line(m, line);
}

static void test_compat_identical(void **state)
{
	struct hm m;

	(void)state;
	hm_boot_small(&m, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	assert_int_equal(host_cpu_compat_check(m.h), 0);
	assert_int_equal(m.h->n_compat_diffs, 0);
	assert_int_equal(host_td_creation_allowed(m.h), 0);
	hm_assert_nothing_like(&m, "kvm_intel");
	hm_free(&m);
}

/*
 * Fields the module does not compare at LP.INIT (src/module/tdh_sys_init.c:
 * it checks 0x480, 0x48B–0x490 and 0x485–0x489 but not 0x481–0x484,
 * 0x48A, 0x491; of CPUID, only each lookup leaf's verify-same bits, which
 * leave out leaf 1's model and stepping): the module initialises, only
 * KVM's check catches the difference.
 */
static void compat_boots_then_refuses(struct tdxsim_platform_config *c,
				      const char *field, uint64_t value,
				      uint64_t ref)
{
	struct hm m;

	hm_new(&m, c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), -EIO);   /* the check's answer */
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_INITIALIZED);
	hm_assert_line(&m, "virt/tdx: module initialized");
	assert_one_diff(&m, field, value, ref);
	assert_int_equal(host_td_creation_allowed(m.h), -EIO);
	hm_assert_line(&m, "virt/tdx: cannot create a TD: CPUs differ in VMX capabilities or CPUID (see above)");
	/* Again: the same one difference, not two. */
	assert_int_equal(host_cpu_compat_check(m.h), -EIO);
	assert_int_equal(m.h->n_compat_diffs, 1);
	hm_free(&m);
}

static void test_compat_vmfunc_msr(void **state)
{
	struct tdxsim_platform_config c;
	uint64_t ref;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	ref = model_msr(&c, MSR_IA32_VMX_VMFUNC);
	assert_int_not_equal(ref, 0);
	override_msr(&c, 3, MSR_IA32_VMX_VMFUNC, 0);
	compat_boots_then_refuses(&c, "MSR 0x491", 0, ref);
}

static void test_compat_cpuid_stepping(void **state)
{
	struct tdxsim_platform_config c;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	/* LP 3 one stepping older than its package (MCHECK's FMS is LP 2's) */
	override_cpuid_reg(&c, 3, 0x1, 0, 0, c.cpu_fms - 1);
	compat_boots_then_refuses(&c, "CPUID 0x1.0 EAX", c.cpu_fms - 1, c.cpu_fms);
}

/*
 * Fields the module does compare: LP.INIT on LP 3 fails, so the host never
 * reaches tdx_enable; the compatibility check, run on its own, names the
 * same difference.
 */
static void compat_lp_init_refuses(struct tdxsim_platform_config *c,
				   const char *seamcall_line, const char *field,
				   uint64_t value, uint64_t ref)
{
	struct hm m;

	hm_new(&m, c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), -EIO);
	hm_assert_line(&m, seamcall_line);
	assert_false(tdx_inspect_lp_is_init(m.p, 3));
	assert_true(tdx_inspect_lp_is_init(m.p, 2));
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_UNINITIALIZED);
	assert_int_equal(host_cpu_compat_check(m.h), -EIO);
	assert_one_diff(&m, field, value, ref);
	assert_int_equal(host_td_creation_allowed(m.h), -ENODEV);
	hm_free(&m);
}

static void test_compat_procbased2_msr(void **state)
{
	struct tdxsim_platform_config c;
	uint64_t ref, v;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	ref = model_msr(&c, MSR_IA32_VMX_PROCBASED_CTLS2);
	v = ref & ~(1ULL << 60);   /* one allowed-1 bit less */
	assert_int_not_equal(v, ref);
	override_msr(&c, 3, MSR_IA32_VMX_PROCBASED_CTLS2, v);
	compat_lp_init_refuses(&c, "virt/tdx: SEAMCALL (0x0000000000000023) failed: 0xc00009200000048b",
			       "MSR 0x48b", v, ref);
}

/* Leaf 0x80000001 is in the module's lookup table, every bit compared. */
static void test_compat_cpuid_ext(void **state)
{
	struct tdxsim_platform_config c;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	/* LAHF, LZCNT, PREFETCHW, and also ABM's neighbour bit 6, on LP 3 */
	override_cpuid_reg(&c, 3, 0x80000001, 0, 2, 0x161);
	compat_lp_init_refuses(&c, "virt/tdx: SEAMCALL (0x0000000000000023) failed: 0xc000090200000000",
			       "CPUID 0x80000001.0 ECX", 0x161, 0x121);
}

static void test_compat_cpuid_7_ebx(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *plain;
	uint32_t r[4];

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	plain = machine_new(&c);
	platform_cpuid(plain, 0, 0x7, 0, r);
	platform_destroy(plain);
	assert_true(r[1] & (1u << 16));
	override_cpuid_reg(&c, 3, 0x7, 0, 1, r[1] & ~(1u << 16));   /* no AVX512F */
	compat_lp_init_refuses(&c, "virt/tdx: SEAMCALL (0x0000000000000023) failed: 0xc000090200000000",
			       "CPUID 0x7.0 EBX", r[1] & ~(1u << 16), r[1]);
}

/* ---- hotplug racing tdx_enable ---- */

#define HOTPLUG_ROUNDS 200

struct race {
	struct hm *m;
	pthread_barrier_t bar;
	_Atomic bool done;
	int enable_ret, enable_calls;
	int hp_ret;
};

/*
 * The enabler starts on LP 1, which the hotplugger takes offline and back:
 * a task waiting for the hotplug lock must give up its CPU (the writer
 * needs it to run the offline callback there) and may come back on
 * another one.
 */
static void *enabler(void *arg)
{
	struct race *r = arg;
	int bind = platform_bind(r->m->p, 1);

	pthread_barrier_wait(&r->bar);
	if (bind) {
		r->enable_ret = bind;
		return NULL;
	}
	do {
		int ret;

		host_cpus_read_lock(r->m->h);
		ret = host_tdx_enable(r->m->h);
		host_cpus_read_unlock(r->m->h);
		if (ret && !r->enable_ret)
			r->enable_ret = ret;
		r->enable_calls++;
	} while (!atomic_load(&r->done));
	platform_unbind(r->m->p);
	return NULL;
}

/* LP 0 and LP 4 keep both packages online. */
static const unsigned hp_lps[] = { 1, 2, 3, 5, 6, 7 };

static void *hotplugger(void *arg)
{
	struct race *r = arg;

	pthread_barrier_wait(&r->bar);
	for (unsigned i = 0; i < HOTPLUG_ROUNDS && !r->hp_ret; i++) {
		unsigned lp = hp_lps[i % 6];

		r->hp_ret = host_cpu_offline(r->m->h, lp);
		if (!r->hp_ret)
			r->hp_ret = host_cpu_online(r->m->h, lp);
	}
	atomic_store(&r->done, true);
	return NULL;
}

static void test_hotplug_vs_enable(void **state)
{
	struct tdxsim_platform_config c;
	struct race r;
	pthread_t a, b;
	struct hm m;

	(void)state;
	small_config(&c, 2, 4, 4, TDXSIM_PROFILE_1_5);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(hm_tdx_init(&m), 0);
	assert_int_equal(host_enable_virt_all(m.h), 0);
	memset(&r, 0, sizeof(r));
	r.m = &m;
	pthread_barrier_init(&r.bar, NULL, 2);
	assert_int_equal(pthread_create(&a, NULL, enabler, &r), 0);
	assert_int_equal(pthread_create(&b, NULL, hotplugger, &r), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_barrier_destroy(&r.bar);

	assert_int_equal(r.hp_ret, 0);
	assert_int_equal(r.enable_ret, 0);
	assert_true(r.enable_calls >= 1);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_INITIALIZED);
	assert_int_equal(hm_count(&m, "virt/tdx: module initialized"), 1);
	for (unsigned lp = 0; lp < 8; lp++) {
		assert_true(platform_lp_online(m.p, lp));
		assert_true(platform_lp_in_vmx(m.p, lp));
	}
	hm_assert_nothing_like(&m, "failed");
	hm_free(&m);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offline_online_after_boot),
		cmocka_unit_test(test_hotplug_lock_is_platforms),
		cmocka_unit_test(test_late_cpu_1_5),
		cmocka_unit_test(test_late_cpu_1_5_01),
		cmocka_unit_test(test_late_cpu_not_pending),
		cmocka_unit_test(test_online_before_enable),
		cmocka_unit_test(test_offline_own_lp),
		cmocka_unit_test(test_offline_last_of_package),
		cmocka_unit_test(test_compat_identical),
		cmocka_unit_test(test_compat_vmfunc_msr),
		cmocka_unit_test(test_compat_cpuid_stepping),
		cmocka_unit_test(test_compat_cpuid_ext),
		cmocka_unit_test(test_compat_procbased2_msr),
		cmocka_unit_test(test_compat_cpuid_7_ebx),
		cmocka_unit_test(test_hotplug_vs_enable),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
