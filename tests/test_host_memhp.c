/* SPDX-License-Identifier: MIT */
/*
 * Memory hotplug (linux §3.11) under the "strict" and "report" policies,
 * non-TDX memory (legacy PMEM, soft-reserved CXL, hot-plug RAM) onlined
 * before and after TDX is up, and the rule that a TD only ever gets TDX
 * memory.
 */
#include <errno.h>
#include <string.h>

#include "helpers/host_machine.h"

#define PMEM_BASE (4 * GiB)
#define PMEM_SIZE GiB
#define CXL_BASE (5 * GiB)
#define CXL_SIZE (2 * MiB)
#define HP_BASE (8 * GiB)
#define HP_SIZE GiB

static void add_range(struct tdxsim_platform_config *c, uint64_t base,
		      uint64_t end, enum tdxsim_mem_type type, unsigned node)
{
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ base, end - base, type, node };
}

/*
 * 2 packages x 2 LPs. RAM [1M, 1G) on node 0 and [1G, 2G) on node 1 (one
 * CMR [1M, 2G), TDMRs [0, 1G) and [1G, 2G), 4108 KiB of PAMT each); on
 * node 1 also 1 GiB of legacy PMEM at 4G, a 2 MiB soft-reserved (CXL)
 * window at 5G and 1 GiB of hot-plug RAM at 8G, none of them convertible.
 */
static void mh_config(struct tdxsim_platform_config *c)
{
	tdxsim_config_default(c);
	snprintf(c->name, sizeof(c->name), "memhp");
	c->packages = 2;
	c->lps_per_package = 2;
	c->n_memmap = 0;
	add_range(c, 0, 0xA0000, TDXSIM_MEM_RAM, 0);
	add_range(c, MiB, GiB, TDXSIM_MEM_RAM, 0);
	add_range(c, GiB, 2 * GiB, TDXSIM_MEM_RAM, 1);
	add_range(c, PMEM_BASE, PMEM_BASE + PMEM_SIZE, TDXSIM_MEM_PMEM_LEGACY, 1);
	add_range(c, CXL_BASE, CXL_BASE + CXL_SIZE, TDXSIM_MEM_SOFT_RESERVED, 1);
	add_range(c, HP_BASE, HP_BASE + HP_SIZE, TDXSIM_MEM_HOTPLUG, 1);
}

static void refused_line(char *buf, size_t n, uint64_t s, uint64_t e)
{
	snprintf(buf, n, "virt/tdx: memory [0x%llx, 0x%llx) is not TDX memory: refusing to online it (memory hotplug policy \"strict\")",
		 (unsigned long long)s, (unsigned long long)e);
}

static void not_tdx_online_line(char *buf, size_t n, uint64_t s, uint64_t e)
{
	snprintf(buf, n, "virt/tdx: memory [0x%llx, 0x%llx) online but not TDX memory: it will not be given to TDs",
		 (unsigned long long)s, (unsigned long long)e);
}

static void not_for_td_line(char *buf, size_t n, uint64_t s, uint64_t e)
{
	snprintf(buf, n, "virt/tdx: [0x%llx, 0x%llx) is not TDX memory: it cannot be given to a TD",
		 (unsigned long long)s, (unsigned long long)e);
}

/* Online [s, s+size) after init: refused under strict, allowed (and kept
 * from TDs) under report. */
static void online_non_tdx(struct hm *m, uint64_t s, uint64_t size, unsigned node)
{
	uint64_t total = page_alloc_total_bytes(m->h->pages);
	char line[256];

	if (m->h->opt.memhp == MEMHP_STRICT) {
		assert_int_equal(host_memory_online(m->h, s, size, node), -EPERM);
		refused_line(line, sizeof(line), s, s + size);
		assert_int_equal(hm_count(m, line), 1);
		assert_int_equal(page_alloc_total_bytes(m->h->pages), total);
		return;
	}
	assert_int_equal(host_memory_online(m->h, s, size, node), 0);
	not_tdx_online_line(line, sizeof(line), s, s + size);
	assert_int_equal(hm_count(m, line), 1);
	assert_int_equal(page_alloc_total_bytes(m->h->pages), total + size);
	assert_int_equal(host_check_td_memory(m->h, s, size), -EINVAL);
	not_for_td_line(line, sizeof(line), s, s + size);
	assert_int_equal(hm_count(m, line), 1);
	assert_int_equal(host_check_td_memory(m->h, s + size - 4096, 4096), -EINVAL);
	not_for_td_line(line, sizeof(line), s + size - 4096, s + size);
	assert_int_equal(hm_count(m, line), 1);
	hm_assert_nothing_like(m, "refusing");
}

/* ---- the default platform: legacy PMEM at [66G, 70G) on node 1 ---- */

static void test_strict_default(void **state)
{
	struct tdxsim_platform_config c;
	uint64_t total;
	char line[256];
	struct hm m;

	(void)state;
	tdxsim_config_default(&c);
	hm_new(&m, &c, MEMHP_STRICT);
	assert_int_equal(host_boot(m.h), 0);
	online_non_tdx(&m, 66 * GiB, 4 * GiB, 1);

	/* Inside one TDX memory block: offline, then online again. */
	total = page_alloc_total_bytes(m.h->pages);
	assert_int_equal(host_memory_offline(m.h, 30 * GiB, GiB), 0);
	assert_int_equal(page_alloc_total_bytes(m.h->pages), total - GiB);
	assert_int_equal(host_memory_online(m.h, 30 * GiB, GiB, 0), 0);
	assert_int_equal(page_alloc_total_bytes(m.h->pages), total);
	assert_int_equal(host_check_td_memory(m.h, 30 * GiB, GiB), 0);

	/* The end of the low block [1M, 0x6f800000): a range running past it
	 * into the ACPI tables is refused, the part inside is not. */
	assert_int_equal(host_memory_offline(m.h, 0x6f000000, 0x800000), 0);
	assert_int_equal(host_memory_online(m.h, 0x6f000000, 0x1000000, 0), -EPERM);
	refused_line(line, sizeof(line), 0x6f000000, 0x70000000);
	hm_assert_line(&m, line);
	assert_int_equal(host_memory_online(m.h, 0x6f000000, 0x800000, 0), 0);
	assert_int_equal(host_check_td_memory(m.h, 0x6f000000, 0x800000), 0);
	/* A PAMT page cannot go offline. */
	assert_int_equal(host_memory_offline(m.h, m.h->plan->tdmr[1].info.pamt_4k_base, 4096),
			 -EBUSY);
	/* [4G, 34G) node 0 and [34G, 66G) node 1 touch but are two blocks:
	 * a range over the boundary is refused. */
	assert_int_equal(host_memory_offline(m.h, 34 * GiB, GiB), 0);
	assert_int_equal(host_memory_online(m.h, 34 * GiB - 4096, GiB + 4096, 1), -EPERM);
	refused_line(line, sizeof(line), 34 * GiB - 4096, 35 * GiB);
	hm_assert_line(&m, line);
	assert_int_equal(host_memory_online(m.h, 34 * GiB, GiB, 1), 0);
	assert_int_equal(page_alloc_total_bytes(m.h->pages), total);
	hm_free(&m);
}

/* Allocates TD memory until none is left, biggest pieces first. */
static uint64_t drain_td_memory(struct hm *m, unsigned node)
{
	static const uint64_t sizes[] = { GiB, 2 * MiB, 4096 };
	uint64_t got = 0, pa;

	for (unsigned k = 0; k < 3; k++)
		while (!host_alloc_td_pages(m->h, node, sizes[k], &pa)) {
			assert_true(hm_in_list(&m->h->tdx_memlist, pa, pa + sizes[k]));
			assert_int_equal(host_check_td_memory(m->h, pa, sizes[k]), 0);
			got += sizes[k];
		}
	return got;
}

static void test_report_default(void **state)
{
	struct tdxsim_platform_config c;
	uint64_t pa, held;
	struct hm m;

	(void)state;
	tdxsim_config_default(&c);
	hm_new(&m, &c, MEMHP_REPORT);
	assert_int_equal(host_boot(m.h), 0);
	held = page_alloc_total_bytes(m.h->pages) - page_alloc_free_bytes(m.h->pages);
	online_non_tdx(&m, 66 * GiB, 4 * GiB, 1);

	/* The PMEM is node 1's highest free memory, yet a TD gets TDX memory. */
	assert_int_equal(host_alloc_td_pages(m.h, 1, 4096, &pa), 0);
	assert_true(pa >= 34 * GiB && pa < 66 * GiB);
	assert_int_equal(host_check_td_memory(m.h, pa, 4096), 0);
	assert_int_equal(page_alloc_free(m.h->pages, pa, 4096), 0);

	/* All TDX memory gone: only the PMEM is free, and no TD gets it. */
	assert_int_equal(drain_td_memory(&m, 1),
			 page_alloc_total_bytes(m.h->pages) - held - 4 * GiB);
	assert_int_equal(page_alloc_free_bytes(m.h->pages), 4 * GiB);
	assert_int_equal(host_alloc_td_pages(m.h, 1, 4096, &pa), -ENOMEM);
	assert_int_equal(host_alloc_td_pages(m.h, 0, 4096, &pa), -ENOMEM);
	hm_free(&m);
}

/* ---- non-TDX memory onlined as RAM before init ---- */

static void online_before_init_on(const struct tdxsim_platform_config *c,
				  enum memhp_policy pol, uint64_t s, uint64_t size,
				  const char *seamcall_line)
{
	struct hm m;

	hm_new(&m, c, pol);
	assert_int_equal(host_memory_online(m.h, s, size, 1), 0);
	assert_string_equal(hm_log(&m), "");
	assert_true(hm_in_list(&m.h->memblock, s, s + size));
	assert_int_equal(host_boot(m.h), -EIO);
	{
		const char *const seq[] = {
			seamcall_line, "virt/tdx: module initialization failed (-5)",
		};

		hm_assert_in_order(&m, seq, 2);
	}
	assert_int_equal(host_tdx_module_status(m.h), TDX_MODULE_ERROR);
	assert_int_equal(m.h->init_error, -EIO);
	hm_assert_nothing_allocated(&m);
	assert_null(m.h->plan);
	assert_int_equal(m.h->tdx_memlist.n, 0);
	assert_int_equal(platform_wbinvd_count(m.p), 0);   /* failed at CONFIG */
	hm_free(&m);
}

static void online_before_init(enum memhp_policy pol, uint64_t s, uint64_t size,
			       const char *seamcall_line)
{
	struct tdxsim_platform_config c;

	mh_config(&c);
	online_before_init_on(&c, pol, s, size, seamcall_line);
}

/*
 * PMEM [4G, 5G) on node 1 joins the list: TDMRs [0, 1G), [1G, 2G), [4G, 5G).
 * The allocator takes node 1's PAMTs from the top of its highest free
 * extent, the PMEM, so TDH.SYS.CONFIG first meets TDMR 1's PAMT outside
 * the CMRs: TDX_PAMT_OUTSIDE_CMRS, TDMR 1, level 1G (checked first).
 */
static void test_pmem_before_init(void **state)
{
	struct tdxsim_platform_config c;

	(void)state;
	/* The default platform: TDMRs [0, 2G), [4G, 34G), [34G, 66G), [66G, 70G);
	 * TDMR 2's PAMT lands at the top of node 1, in the PMEM. */
	tdxsim_config_default(&c);
	online_before_init_on(&c, MEMHP_STRICT, 66 * GiB, 4 * GiB,
			      "virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a1100000202");
	online_before_init(MEMHP_STRICT, PMEM_BASE, PMEM_SIZE,
			   "virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a1100000201");
	online_before_init(MEMHP_REPORT, PMEM_BASE, PMEM_SIZE,
			   "virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a1100000201");
}

/*
 * The 2 MiB CXL window [5G, 5G+2M): TDMR [5G, 6G). Too small for a PAMT,
 * so the PAMTs go to RAM, and CONFIG meets the window itself, the only
 * available part of TDMR 2, outside the CMRs: TDX_TDMR_OUTSIDE_CMRS, TDMR 2.
 */
static void test_cxl_before_init(void **state)
{
	(void)state;
	online_before_init(MEMHP_STRICT, CXL_BASE, CXL_SIZE,
			   "virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a0200000002");
	online_before_init(MEMHP_REPORT, CXL_BASE, CXL_SIZE,
			   "virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a0200000002");
}

/* ---- after init; and a TD only ever gets TDX memory ---- */

static bool in_non_tdx(uint64_t s, uint64_t e)
{
	return (s < PMEM_BASE + PMEM_SIZE && PMEM_BASE < e) ||
	       (s < CXL_BASE + CXL_SIZE && CXL_BASE < e) ||
	       (s < HP_BASE + HP_SIZE && HP_BASE < e);
}

static void td_pages_only_tdx(enum memhp_policy pol)
{
	struct tdxsim_platform_config c;
	uint64_t pages = 0, pa, non_tdx;
	unsigned log_len;
	struct hm m;

	mh_config(&c);
	hm_new(&m, &c, pol);
	assert_int_equal(host_boot(m.h), 0);
	assert_int_equal(m.h->plan->n_tdmrs, 2);
	assert_int_equal(m.h->plan->pamt_bytes, 2 * 4108 * KiB);
	/* 64 x 1024 B: the kernel sizes an entry from sizeof(struct
	 * tdmr_info), 512 (docs/linux.md, "The TDMR_INFO stride"). */
	assert_int_equal(m.h->tdmr_array_bytes, 64 * KiB);

	online_non_tdx(&m, PMEM_BASE, PMEM_SIZE, 1);
	online_non_tdx(&m, CXL_BASE, CXL_SIZE, 1);
	online_non_tdx(&m, HP_BASE, HP_SIZE, 1);
	non_tdx = pol == MEMHP_REPORT ? PMEM_SIZE + CXL_SIZE + HP_SIZE : 0;

	log_len = (unsigned)strlen(hm_log(&m));
	for (unsigned node = 1;; node ^= 1) {
		int ret = host_alloc_td_pages(m.h, node, 4096, &pa);

		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			break;
		}
		if (host_check_td_memory(m.h, pa, 4096) ||
		    !hm_in_list(&m.h->tdx_memlist, pa, pa + 4096) || in_non_tdx(pa, pa + 4096))
			fail_msg("TD page 0x%llx is not TDX memory", (unsigned long long)pa);
		pages++;
	}
	/* TDX memory [1M, 2G) less two PAMTs and the TDMR array:
	 * (2097152 - 1024 - 8216 - 64) KiB / 4 KiB. */
	assert_int_equal(pages, 521962);
	assert_int_equal(page_alloc_free_bytes(m.h->pages), non_tdx);
	/* Node 1 has only non-TDX memory left (under report): still none. */
	assert_int_equal(host_alloc_td_pages(m.h, 1, 4096, &pa), -ENOMEM);
	assert_int_equal(strlen(hm_log(&m)), log_len);   /* no complaint */
	hm_free(&m);
}

static void test_strict_after_init(void **state)
{
	(void)state;
	td_pages_only_tdx(MEMHP_STRICT);
}

static void test_report_after_init(void **state)
{
	(void)state;
	td_pages_only_tdx(MEMHP_REPORT);
}

/* Before init any memory may come online under either policy, and TD
 * pages are refused until the module is up. */
static void test_before_init_allowed(void **state)
{
	struct tdxsim_platform_config c;
	uint64_t pa;
	struct hm m;

	(void)state;
	mh_config(&c);
	for (int pol = MEMHP_STRICT; pol <= MEMHP_REPORT; pol++) {
		hm_new(&m, &c, (enum memhp_policy)pol);
		assert_int_equal(host_memory_online(m.h, HP_BASE, HP_SIZE, 1), 0);
		assert_int_equal(host_alloc_td_pages(m.h, 0, 4096, &pa), -ENODEV);
		assert_int_equal(host_memory_offline(m.h, HP_BASE, HP_SIZE), 0);
		assert_false(hm_in_list(&m.h->memblock, HP_BASE, HP_BASE + 4096));
		/* Taken out again, it no longer spoils the boot. */
		assert_int_equal(host_boot(m.h), 0);
		assert_string_equal(hm_log(&m) + strlen(hm_log(&m)) - strlen("virt/tdx: module initialized\n"),
				    "virt/tdx: module initialized\n");
		hm_free(&m);
	}
}

/*
 * Offline a range onlined in two pieces. Whatever the answer, the page
 * allocator and memblock (what becomes the TDX memory list) must agree:
 * gone from both on success, in both on failure. (Before the fix in
 * memhp.c the allocator dropped the whole range and memblock, which can
 * remove only from one block, refused: -EINVAL, yet the memory was gone.)
 */
static void test_offline_two_pieces(void **state)
{
	struct tdxsim_platform_config c;
	uint64_t total;
	struct hm m;
	int ret;

	(void)state;
	mh_config(&c);
	for (int booted = 0; booted < 2; booted++) {
		hm_new(&m, &c, MEMHP_REPORT);
		if (booted)
			assert_int_equal(host_boot(m.h), 0);
		total = page_alloc_total_bytes(m.h->pages);
		assert_int_equal(host_memory_online(m.h, HP_BASE, HP_SIZE / 2, 1), 0);
		assert_int_equal(host_memory_online(m.h, HP_BASE + HP_SIZE / 2, HP_SIZE / 2, 1), 0);
		ret = host_memory_offline(m.h, HP_BASE, HP_SIZE);
		if (ret) {
			assert_int_equal(page_alloc_total_bytes(m.h->pages), total + HP_SIZE);
			assert_true(hm_in_list(&m.h->memblock, HP_BASE, HP_BASE + HP_SIZE / 2));
			assert_true(hm_in_list(&m.h->memblock, HP_BASE + HP_SIZE / 2, HP_BASE + HP_SIZE));
			/* piece by piece it goes */
			assert_int_equal(host_memory_offline(m.h, HP_BASE, HP_SIZE / 2), 0);
			assert_int_equal(host_memory_offline(m.h, HP_BASE + HP_SIZE / 2, HP_SIZE / 2), 0);
		}
		assert_int_equal(page_alloc_total_bytes(m.h->pages), total);
		assert_false(hm_in_list(&m.h->memblock, HP_BASE, HP_BASE + 4096));
		assert_false(hm_in_list(&m.h->memblock, HP_BASE + HP_SIZE - 4096, HP_BASE + HP_SIZE));
		hm_free(&m);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strict_default),
		cmocka_unit_test(test_report_default),
		cmocka_unit_test(test_pmem_before_init),
		cmocka_unit_test(test_cxl_before_init),
		cmocka_unit_test(test_before_init_allowed),
		cmocka_unit_test(test_strict_after_init),
		cmocka_unit_test(test_report_after_init),
		cmocka_unit_test(test_offline_two_pieces),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
