/* SPDX-License-Identifier: MIT */
/*
 * Host bring-up (src/host/, linux §3.1–3.10): host_boot on the default
 * and a 2 TiB platform, tdx_init's KeyID checks, metadata on a 1.0
 * module, the unwind after a failure at every stage, entropy retries,
 * tdx_enable's contract, racing callers and SEAMCALL without VMXON.
 * The kernel log is captured and checked line by line.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "helpers/host_machine.h"
#include "tdxsim/inject.h"

static void add_range(struct tdxsim_platform_config *c, uint64_t base,
		      uint64_t end, enum tdxsim_mem_type type, unsigned node)
{
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ base, end - base, type, node };
}

/* PAMT bytes of a TDMR of this size, 16-byte entries, each level 4 KiB
 * rounded (linux §3.8): 4096 KiB + 8 KiB per GiB, plus 16 B per GiB for
 * the 1G level, one page for a TDMR of up to 256 GiB and ceil(GiB / 256)
 * pages above. */
static uint64_t pamt_kib_by_hand(uint64_t tdmr_size)
{
	uint64_t gib = tdmr_size / GiB;
	uint64_t l1_bytes = gib * 16;

	return gib * 4104 + (l1_bytes + 4095) / 4096 * 4;
}

/* ---- the default platform ---- */

static void test_boot_default(void **state)
{
	static const char *const expect[] = {
		"virt/tdx: BIOS enabled: private KeyID range [32, 64)",
		"virt/tdx: Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3.",
		"virt/tdx: Module version: 1.5.06",
		"virt/tdx: CMR: [0x100000, 0x6f800000)",
		"virt/tdx: CMR: [0x100000000, 0x1080000000)",
		"virt/tdx: 262668 KB allocated for PAMT",
		"virt/tdx: module initialized",
	};
	struct tdxsim_platform_config c;
	const struct tdmr_plan *plan;
	struct hm m;

	(void)state;
	tdxsim_config_default(&c);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), 0);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_INITIALIZED);
	hm_assert_log_is(&m, expect, sizeof(expect) / sizeof(expect[0]));
	assert_int_equal(host_td_creation_allowed(m.h), 0);

	/* 64 GiB in three TDMRs: [0, 2G), [4G, 34G), [34G, 66G). */
	plan = m.h->plan;
	assert_non_null(plan);
	assert_int_equal(plan->n_tdmrs, 3);
	assert_int_equal(plan->tdmr[0].info.tdmr_base, 0);
	assert_int_equal(plan->tdmr[0].info.tdmr_size, 2 * GiB);
	assert_int_equal(plan->tdmr[1].info.tdmr_base, 4 * GiB);
	assert_int_equal(plan->tdmr[1].info.tdmr_size, 30 * GiB);
	assert_int_equal(plan->tdmr[2].info.tdmr_base, 34 * GiB);
	assert_int_equal(plan->tdmr[2].info.tdmr_size, 32 * GiB);
	assert_int_equal(plan->pamt_bytes >> 10, pamt_kib_by_hand(2 * GiB) +
			 pamt_kib_by_hand(30 * GiB) + pamt_kib_by_hand(32 * GiB));
	/* What the host holds is exactly the PAMTs and the TDMR array. */
	assert_int_equal(page_alloc_total_bytes(m.h->pages) - page_alloc_free_bytes(m.h->pages),
			 plan->pamt_bytes + m.h->tdmr_array_bytes);
	/* The PAMT was written with the global KeyID; WBINVD once per LP. */
	assert_true(platform_line_td_owned(m.p, plan->tdmr[0].info.pamt_4k_base));
	assert_true(platform_line_td_owned(m.p, plan->tdmr[2].info.pamt_1g_base));
	assert_int_equal(platform_wbinvd_count(m.p), 8);
	assert_true(platform_mem_host_bytes(m.p) < 16 * MiB);

	/* Idempotent: a second call succeeds and logs nothing. */
	assert_int_equal(hm_tdx_enable_on(&m, 5), 0);
	assert_int_equal(hm_count(&m, "virt/tdx: module initialized"), 1);
	hm_free(&m);
}

/* ---- 2 sockets, 2 TiB ---- */

static void two_tib_config(struct tdxsim_platform_config *c)
{
	tdxsim_config_default(c);
	snprintf(c->name, sizeof(c->name), "2s-2tib");
	c->packages = 2;
	c->lps_per_package = 2;
	c->n_memmap = 0;
	add_range(c, 0, 0x9F000, TDXSIM_MEM_RAM, 0);
	add_range(c, 0x9F000, 0x100000, TDXSIM_MEM_RESERVED, 0);
	add_range(c, 0x100000, 0x7F000000, TDXSIM_MEM_RAM, 0);
	add_range(c, 0x7F000000, 0x80000000, TDXSIM_MEM_RESERVED, 0);
	/* the PCI hole [2G, 4G) is in no range: the low hole */
	add_range(c, 4 * GiB, 1026 * GiB, TDXSIM_MEM_RAM, 0);
	add_range(c, 1026 * GiB, 2050 * GiB, TDXSIM_MEM_RAM, 1);
}

static void test_boot_2s_2tib(void **state)
{
	struct tdxsim_platform_config c;
	const struct tdmr_plan *plan;
	uint64_t kib = 0;
	char line[128];
	struct hm m;

	(void)state;
	two_tib_config(&c);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), 0);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_INITIALIZED);
	plan = m.h->plan;
	/* One TDMR per block, 1 GiB aligned: [0, 2G), [4G, 1026G), [1026G, 2050G). */
	assert_int_equal(plan->n_tdmrs, 3);
	assert_int_equal(plan->tdmr[0].info.tdmr_base, 0);
	assert_int_equal(plan->tdmr[0].info.tdmr_size, 2 * GiB);
	assert_int_equal(plan->tdmr[1].info.tdmr_base, 4 * GiB);
	assert_int_equal(plan->tdmr[1].info.tdmr_size, 1022 * GiB);
	assert_int_equal(plan->tdmr[2].info.tdmr_base, 1026 * GiB);
	assert_int_equal(plan->tdmr[2].info.tdmr_size, 1024 * GiB);
	for (unsigned i = 0; i < plan->n_tdmrs; i++)
		kib += pamt_kib_by_hand(plan->tdmr[i].info.tdmr_size);
	/* 2 GiB: 8208 + 4; 1022 GiB: 4194288 + 16 (16352 B of 1G entries
	 * round to 4 pages); 1024 GiB: 4202496 + 16. */
	assert_int_equal(kib, (2 * 4104 + 4) + (1022 * 4104 + 16) + (1024 * 4104 + 16));
	assert_int_equal(kib, 8405028);
	assert_int_equal(plan->pamt_bytes >> 10, kib);
	snprintf(line, sizeof(line), "virt/tdx: %llu KB allocated for PAMT",
		 (unsigned long long)kib);
	hm_assert_line(&m, line);

	/* Every PAMT on its TDMR's node, inside that node's RAM. */
	for (unsigned i = 0; i < plan->n_tdmrs; i++) {
		const struct tdmr_info_entry *e = &plan->tdmr[i].info;
		unsigned node = i < 2 ? 0 : 1;
		uint64_t s = e->pamt_4k_base;
		uint64_t end = e->pamt_1g_base + e->pamt_1g_size;
		bool inside = false;

		assert_int_equal(plan->tdmr[i].pamt_node, node);
		assert_int_equal(e->pamt_2m_base, s + e->pamt_4k_size);
		assert_int_equal(e->pamt_1g_base, e->pamt_2m_base + e->pamt_2m_size);
		for (size_t k = 0; k < c.n_memmap; k++) {
			const struct tdxsim_mem_range *r = &c.memmap[k];

			if (r->type == TDXSIM_MEM_RAM && r->node == node &&
			    r->base <= s && end <= r->base + r->size)
				inside = true;
		}
		assert_true(inside);
	}
	assert_true(platform_mem_host_bytes(m.p) < 64 * MiB);
	hm_free(&m);
}

/* ---- tdx_init ---- */

static void test_init_one_keyid(void **state)
{
	static const char *const expect[] = {
		"virt/tdx: BIOS enabled: private KeyID range [32, 33)",
		"virt/tdx: initialization failed: too few private KeyIDs available.",
	};
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	c.tdx_keyids = 1;
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), -ENODEV);
	hm_assert_log_is(&m, expect, 2);
	assert_int_equal(host_seamcalls(m.h), 0);
	assert_false(m.h->tdx_platform);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_UNINITIALIZED);
	for (unsigned lp = 0; lp < 4; lp++)
		assert_false(platform_lp_in_vmx(m.p, lp));
	hm_free(&m);
}

static void test_init_no_keyids(void **state)
{
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	c.tdx_keyids = 0;
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), -ENODEV);
	assert_string_equal(hm_log(&m), "");
	assert_int_equal(host_seamcalls(m.h), 0);
	assert_false(m.h->tdx_platform);
	/* tdx_enable on a non-TDX platform: -ENODEV, silently. */
	assert_int_equal(hm_tdx_enable_on(&m, 0), -ENODEV);
	assert_string_equal(hm_log(&m), "");
	hm_free(&m);
}

static void test_module_not_loaded(void **state)
{
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	small_config(&c, 1, 2, 4, TDXSIM_PROFILE_1_5);
	c.module_loaded = false;
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), -ENODEV);
	hm_assert_line(&m, "virt/tdx: module not loaded");
	hm_assert_nothing_like(&m, "SEAMCALL");
	hm_free(&m);
}

/* A module build without NO_RBP_MOD (platform knob features0_clear):
 * the kernel refuses it before touching memory (linux §3.4). */
static void test_no_rbp_mod(void **state)
{
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	c.module_features0_clear = TDX_FEATURES0_NO_RBP_MOD;
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), -EINVAL);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_ERROR);
	hm_assert_line(&m, "virt/tdx: frame pointer (RBP) clobber bug present, upgrade TDX module");
	hm_assert_line(&m, "virt/tdx: module initialization failed (-22)");
	hm_assert_nothing_allocated(&m);
	hm_free(&m);
}

/* ---- a TDX 1.0 module: no TDH.SYS.RD before READY ---- */

static void test_profile_1_0_metadata(void **state)
{
	static const char *const expect[] = {
		"virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000",
		"virt/tdx: RCX 0x0000000000000000 RDX 0x0800000100000003 R08 0x0000000000000000",
		"virt/tdx: R09 0x0000000000000000 R10 0x0000000000000000 R11 0x0000000000000000",
		"virt/tdx: module initialization failed (-5)",
	};
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_0);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), -EIO);
	hm_assert_in_order(&m, expect, 4);
	assert_int_equal(hm_count(&m, expect[0]), 1);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_ERROR);
	assert_int_equal(m.h->init_error, -EIO);
	hm_assert_nothing_allocated(&m);
	assert_null(m.h->plan);
	hm_free(&m);
}

/* ---- a failure at each stage, and the unwind ---- */

struct stage {
	const char *name;
	uint64_t leaf;
	int lp;
	unsigned nth;
	uint64_t status;
	bool ret_flavour;          /* the _ret wrapper: register dump */
	const char *dump1;         /* its first dump line */
	bool after_config;         /* PAMT reset and WBINVD expected */
	unsigned tdmr_init_calls;  /* TDMR.INIT calls made, failed one included */
};

/* small_config(2, 2, 4): LP 0, 1 on package 0; LP 2, 3 on package 1;
 * one TDMR [0, 4G), 1024 TDMR.INIT calls of 4 MiB each. */
static const struct stage stages[] = {
	{ "SYS.RD", TDH_SYS_RD, TDXSIM_INJECT_ANY_LP, 1, 0xC0000C0200000000ULL, true,
	  "virt/tdx: RCX 0x0000000000000000 RDX 0x0800000100000003 R08 0x0000000000000000",
	  false, 0 },
	/* call 40: after 18 scalar reads (MAX_VCPUS_PER_TD included) and
	 * NUM_CMRS (call 19), base/size pairs from call 20: CMR_BASE + 10 */
	{ "SYS.RD #40", TDH_SYS_RD, TDXSIM_INJECT_ANY_LP, 40, 0xC0000C0200000000ULL, true,
	  "virt/tdx: RCX 0x0000000000000000 RDX 0x900000030000008a R08 0x0000000000000000",
	  false, 0 },
	{ "CONFIG", TDH_SYS_CONFIG, TDXSIM_INJECT_ANY_LP, 1, 0xC0000A1000000001ULL, false,
	  NULL, false, 0 },
	{ "KEY.CONFIG pkg 0", TDH_SYS_KEY_CONFIG, 0, 1, TDX_KEY_GENERATION_FAILED, false,
	  NULL, true, 0 },
	{ "KEY.CONFIG pkg 1", TDH_SYS_KEY_CONFIG, 2, 1, TDX_KEY_GENERATION_FAILED, false,
	  NULL, true, 0 },
	{ "TDMR.INIT #1", TDH_SYS_TDMR_INIT, TDXSIM_INJECT_ANY_LP, 1, 0x8000020000000001ULL, true,
	  "virt/tdx: RCX 0x0000000000000000 RDX 0x0000000000000000 R08 0x0000000000000000",
	  true, 1 },
	{ "TDMR.INIT #100", TDH_SYS_TDMR_INIT, TDXSIM_INJECT_ANY_LP, 100, 0x8000020000000001ULL, true,
	  "virt/tdx: RCX 0x0000000000000000 RDX 0x0000000000000000 R08 0x0000000000000000",
	  true, 100 },
};

/* PAMT lines the first 99 TDMR.INIT calls write on the reference plan. */
struct pamt_sample {
	uint64_t pa[4];
};

static void sample_pamt(const struct tdmr_plan *plan, struct pamt_sample *s)
{
	const struct tdmr_info_entry *e = &plan->tdmr[0].info;

	s->pa[0] = e->pamt_4k_base;
	s->pa[1] = e->pamt_4k_base + 99 * 16 * KiB - 64;   /* last line of call 99 */
	s->pa[2] = e->pamt_2m_base;
	s->pa[3] = e->pamt_1g_base;
}

/* A successful boot of the identical platform: where the PAMT goes (the
 * allocator is deterministic), and proof that TDMR.INIT makes the sampled
 * lines TD-owned, so that the failure case's "not TD-owned" means reset. */
static void reference_pamt(struct pamt_sample *s)
{
	struct hm m;

	hm_boot_small(&m, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	assert_int_equal(m.h->plan->n_tdmrs, 1);
	assert_int_equal(m.h->plan->tdmr[0].info.tdmr_size, 4 * GiB);
	sample_pamt(m.h->plan, s);
	for (unsigned i = 0; i < 4; i++)
		assert_true(platform_line_td_owned(m.p, s->pa[i]));
	assert_int_equal(atomic_load(&m.h->stats.tdmr_init_calls), 1024);
	hm_free(&m);
}

static void run_stage(const struct stage *st, const struct pamt_sample *ref)
{
	struct tdxsim_platform_config c;
	char line[160];
	struct hm m;

	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(tdxsim_inject_status(m.p, st->leaf, st->lp, st->nth, st->status), 0);
	assert_int_equal(host_boot(m.h), -EIO);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_ERROR);
	assert_int_equal(m.h->init_error, -EIO);

	snprintf(line, sizeof(line), "virt/tdx: SEAMCALL (0x%016llx) failed: 0x%016llx",
		 (unsigned long long)st->leaf, (unsigned long long)st->status);
	assert_int_equal(hm_count(&m, line), 1);
	if (st->dump1) {
		const char *const seq[] = {
			line, st->dump1,
			"virt/tdx: R09 0x0000000000000000 R10 0x0000000000000000 R11 0x0000000000000000",
			"virt/tdx: module initialization failed (-5)",
		};

		hm_assert_in_order(&m, seq, 4);
	} else {
		const char *const seq[] = { line, "virt/tdx: module initialization failed (-5)" };

		hm_assert_in_order(&m, seq, 2);
		if (!st->ret_flavour)
			hm_assert_nothing_like(&m, "R09");
	}
	hm_assert_no_line(&m, "virt/tdx: module initialized");
	hm_assert_nothing_like(&m, "allocated for PAMT");

	/* The unwind: nothing held, no plan, no TDX memory list. */
	hm_assert_nothing_allocated(&m);
	assert_null(m.h->plan);
	assert_int_equal(m.h->tdmr_array_bytes, 0);
	assert_int_equal(m.h->tdx_memlist.n, 0);
	assert_int_equal(atomic_load(&m.h->stats.tdmr_init_calls), st->tdmr_init_calls);
	/* WBINVD on the 4 LPs before KEY.CONFIG and again in the unwind. */
	assert_int_equal(platform_wbinvd_count(m.p), st->after_config ? 8 : 0);
	for (unsigned i = 0; i < 4; i++) {
		assert_false(platform_line_td_owned(m.p, ref->pa[i]));
		assert_false(platform_line_poisoned(m.p, ref->pa[i]));
	}

	/* Every later call: -EINVAL, silently; the first errno stays. */
	for (unsigned k = 0; k < 3; k++)
		assert_int_equal(hm_tdx_enable_on(&m, k), -EINVAL);
	assert_int_equal(m.h->init_error, -EIO);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_ERROR);
	assert_int_equal(hm_count(&m, "virt/tdx: module initialization failed (-5)"), 1);
	assert_int_equal(host_td_creation_allowed(m.h), -ENODEV);
	hm_free(&m);
}

static void test_stage_failures(void **state)
{
	struct pamt_sample ref;

	(void)state;
	reference_pamt(&ref);
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		print_message("stage %s\n", stages[i].name);
		run_stage(&stages[i], &ref);
	}
}

/* ---- TDX_RND_NO_ENTROPY: sc_retry ---- */

static uint64_t boot_seamcalls(void)
{
	uint64_t n;
	struct hm m;

	hm_boot_small(&m, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	n = host_seamcalls(m.h);
	hm_free(&m);
	return n;
}

static void test_rnd_no_entropy(void **state)
{
	struct tdxsim_platform_config c;
	uint64_t base = boot_seamcalls();
	struct hm m;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);

	/* 9 RDRAND failures, all in TDH.SYS.INIT (the first RDRAND user):
	 * the 10th try succeeds. */
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(tdxsim_inject(m.p, TDXSIM_INJECT_RDRAND, 9), 0);
	assert_int_equal(host_boot(m.h), 0);
	assert_int_equal(host_seamcalls(m.h), base + 9);
	hm_assert_nothing_like(&m, "SEAMCALL");
	hm_free(&m);

	/* 10 in a row: sc_retry gives up after RDRAND_RETRY_LOOPS calls. */
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(tdxsim_inject(m.p, TDXSIM_INJECT_RDRAND, 10), 0);
	assert_int_equal(host_boot(m.h), -EIO);
	hm_assert_line(&m, "virt/tdx: SEAMCALL (0x0000000000000021) failed: 0x8000020300000000");
	assert_int_equal(host_seamcalls(m.h), 10);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_UNINITIALIZED);
	hm_free(&m);

	/* KEY.CONFIG draws no RDRAND in the module (entropy trouble there is
	 * TDX_KEY_GENERATION_FAILED), so status injection plays the module
	 * answering TDX_RND_NO_ENTROPY: 8 calls in a row (all slots), then
	 * success. */
	hm_new(&m, &c, MEMHP_STRICT);
	for (unsigned i = 0; i < TDXSIM_MAX_STATUS_INJECTS; i++)
		assert_int_equal(tdxsim_inject_status(m.p, TDH_SYS_KEY_CONFIG, TDXSIM_INJECT_ANY_LP,
						      1, TDX_RND_NO_ENTROPY), 0);
	assert_int_equal(host_boot(m.h), 0);
	assert_int_equal(host_seamcalls(m.h), base + 8);
	hm_assert_nothing_like(&m, "SEAMCALL");
	hm_free(&m);
}

/* ---- tdx_enable's contract ---- */

static int virt_on_here(void *arg)
{
	struct host *h = arg;
	int ret = platform_vmxon(h->p);

	return ret ? ret : host_tdx_cpu_enable(h);
}

static int vmxon_here(void *arg)
{
	return platform_vmxon(arg);
}

static int cpu_enable_here(void *arg)
{
	return host_tdx_cpu_enable(arg);
}

static int enable_unlocked(void *arg)
{
	return host_tdx_enable(arg);
}

static void test_enable_contract(void **state)
{
	struct tdxsim_platform_config c;
	struct hm m;

	(void)state;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(hm_tdx_init(&m), 0);
	assert_int_equal(host_enable_virt_all(m.h), 0);
	assert_int_equal(hm_on_lp(&m, 0, enable_unlocked, m.h), -EINVAL);
	hm_assert_line(&m, "virt/tdx: tdx_enable() needs the CPU hotplug lock held (cpus_read_lock())");
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_UNINITIALIZED);
	assert_int_equal(hm_tdx_enable_on(&m, 0), 0);
	hm_free(&m);

	/* LP 3 online but never through tdx_cpu_enable(). */
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(hm_tdx_init(&m), 0);
	for (unsigned lp = 0; lp < 3; lp++)
		assert_int_equal(hm_on_lp(&m, lp, virt_on_here, m.h), 0);
	assert_int_equal(hm_tdx_enable_on(&m, 0), -EINVAL);
	hm_assert_line(&m, "virt/tdx: tdx_enable(): CPU 3 is online without VMXON and tdx_cpu_enable()");
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_UNINITIALIZED);
	/* VMXON alone is not enough either. */
	assert_int_equal(hm_on_lp(&m, 3, vmxon_here, m.p), 0);
	assert_int_equal(hm_tdx_enable_on(&m, 0), -EINVAL);
	assert_int_equal(hm_count(&m, "virt/tdx: tdx_enable(): CPU 3 is online without VMXON and tdx_cpu_enable()"), 2);
	assert_int_equal(hm_on_lp(&m, 3, cpu_enable_here, m.h), 0);
	assert_int_equal(hm_tdx_enable_on(&m, 0), 0);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_INITIALIZED);
	hm_free(&m);
}

/* ---- racing tdx_enable callers ---- */

#define NR_RACERS 8

struct racer {
	struct hm *m;
	unsigned lp;
	pthread_barrier_t *bar;
	int bind_ret, ret;
};

static void *race(void *arg)
{
	struct racer *r = arg;

	r->bind_ret = platform_bind(r->m->p, r->lp);
	pthread_barrier_wait(r->bar);
	if (r->bind_ret)
		return NULL;
	host_cpus_read_lock(r->m->h);
	r->ret = host_tdx_enable(r->m->h);
	host_cpus_read_unlock(r->m->h);
	platform_unbind(r->m->p);
	return NULL;
}

static void run_racers(struct hm *m, int ret[NR_RACERS])
{
	struct racer r[NR_RACERS];
	pthread_t t[NR_RACERS];
	pthread_barrier_t bar;

	pthread_barrier_init(&bar, NULL, NR_RACERS);
	for (unsigned i = 0; i < NR_RACERS; i++) {
		r[i] = (struct racer){ m, i, &bar, -1, -1 };
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (unsigned i = 0; i < NR_RACERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
	for (unsigned i = 0; i < NR_RACERS; i++) {
		assert_int_equal(r[i].bind_ret, 0);
		ret[i] = r[i].ret;
	}
}

static void test_enable_race(void **state)
{
	struct tdxsim_platform_config c;
	int ret[NR_RACERS];
	unsigned eio = 0, einval = 0;
	struct hm m;

	(void)state;
	small_config(&c, 2, 4, 4, TDXSIM_PROFILE_1_5);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(hm_tdx_init(&m), 0);
	assert_int_equal(host_enable_virt_all(m.h), 0);
	run_racers(&m, ret);
	for (unsigned i = 0; i < NR_RACERS; i++)
		assert_int_equal(ret[i], 0);
	assert_int_equal(hm_count(&m, "virt/tdx: module initialized"), 1);
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_INITIALIZED);
	hm_free(&m);

	/* A failing init: one racer gets its errno, the rest -EINVAL. */
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(hm_tdx_init(&m), 0);
	assert_int_equal(host_enable_virt_all(m.h), 0);
	assert_int_equal(tdxsim_inject_status(m.p, TDH_SYS_CONFIG, TDXSIM_INJECT_ANY_LP, 1,
					      0xC0000A1000000001ULL), 0);
	run_racers(&m, ret);
	for (unsigned i = 0; i < NR_RACERS; i++) {
		eio += ret[i] == -EIO;
		einval += ret[i] == -EINVAL;
	}
	assert_int_equal(eio, 1);
	assert_int_equal(einval, NR_RACERS - 1);
	assert_int_equal(hm_count(&m, "virt/tdx: module initialization failed (-5)"), 1);
	/* A second wave: all -EINVAL; the first errno stays. */
	run_racers(&m, ret);
	for (unsigned i = 0; i < NR_RACERS; i++)
		assert_int_equal(ret[i], -EINVAL);
	assert_int_equal(m.h->init_error, -EIO);
	assert_int_equal(hm_count(&m, "virt/tdx: module initialization failed (-5)"), 1);
	hm_assert_nothing_allocated(&m);
	hm_free(&m);
}

/* ---- SEAMCALL without VMXON ---- */

static int rd_after_vmxoff(void *arg)
{
	struct host *h = arg;
	struct tdx_module_args a = { .rdx = MD_SYS_MINOR_VERSION };
	int ret;

	if (platform_vmxoff(h->p))
		return -1000;
	ret = host_sc_prerr(h, TDH_SYS_RD, &a);
	if (platform_vmxon(h->p))
		return -1001;
	return ret;
}

static int rd_here(void *arg)
{
	struct tdx_module_args a = { .rdx = MD_SYS_MINOR_VERSION };

	return host_sc_prerr(arg, TDH_SYS_RD, &a);
}

static void test_seamcall_without_vmxon(void **state)
{
	struct hm m;

	(void)state;
	hm_boot_small(&m, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	assert_int_equal(hm_on_lp(&m, 1, rd_after_vmxoff, m.h), -EACCES);
	hm_assert_line(&m, "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0x8000ff0000000006 (#UD: CPU 1 is not in VMX operation)");
	/* Back in VMX operation the same call works. */
	assert_int_equal(hm_on_lp(&m, 1, rd_here, m.h), 0);
	assert_int_equal(hm_count(&m, "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0x8000ff0000000006 (#UD: CPU 1 is not in VMX operation)"), 1);
	hm_free(&m);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_default),
		cmocka_unit_test(test_boot_2s_2tib),
		cmocka_unit_test(test_init_one_keyid),
		cmocka_unit_test(test_init_no_keyids),
		cmocka_unit_test(test_module_not_loaded),
		cmocka_unit_test(test_no_rbp_mod),
		cmocka_unit_test(test_profile_1_0_metadata),
		cmocka_unit_test(test_stage_failures),
		cmocka_unit_test(test_rnd_no_entropy),
		cmocka_unit_test(test_enable_contract),
		cmocka_unit_test(test_enable_race),
		cmocka_unit_test(test_seamcall_without_vmxon),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
