/* SPDX-License-Identifier: MIT */
/*
 * The TDMR planner (linux §3.6–3.8, abi §4.1–4.2): the "linux" policy
 * against hand-computed TDMRs, reserved areas and PAMTs, and the
 * "compact" policy against the same checker and against linux (never
 * more TDMRs nor PAMT where linux succeeds; success on maps linux cannot
 * plan), on crafted, random and real memory maps.
 *
 * Arithmetic used below (16-byte PAMT entries, 4 KiB rounding per table):
 * a TDMR of n GiB needs n x 4 MiB (4K table) + n x 8 KiB (2M table) +
 * 4 KiB (1G table, 16n bytes rounded up). So 1 GiB: 0x403000,
 * 2 GiB: 0x805000, 3 GiB: 0xC07000, 5 GiB: 0x140B000, 7 GiB: 0x1C0F000,
 * 9 GiB: 0x2413000, 16 GiB: 0x4021000, 30 GiB: 0x783D000,
 * 32 GiB: 0x8041000, 62 GiB: 0xF87D000.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/machine.h"
#include "helpers/random_map.h"
#include "host/page_alloc.h"

#include "host/memmap_parse.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define KiB (1ULL << 10)
#define PG 4096ULL

/* PAMT bytes of a TDMR of n GiB with 16-byte entries. */
#define PAMT_GIB(n) ((n) * (4 * MiB + 8 * KiB) + 4 * KiB)

static struct tdmr_plan P, Q;   /* linux, compact */
static struct tdx_memlist L;
static struct tdmr_limits LIM;
static int RC;                   /* compact's result in plan_both() */

static void list_reset(struct tdx_memlist *l)
{
	memset(l, 0, sizeof(*l));
}

static void add_block(struct tdx_memlist *l, uint64_t s, uint64_t e, unsigned node)
{
	assert_true(l->n < TDXSIM_MAX_MEMMAP);
	l->b[l->n++] = (struct tdx_memblock){ s, e, node };
}

/* ---- the checker ------------------------------------------------------ */

/* Whether the sorted, disjoint areas of t cover [s, e) (TDMR-relative). */
static bool areas_cover(const struct host_tdmr *t, uint64_t s, uint64_t e)
{
	uint64_t pos = s;

	for (unsigned j = 0; j < t->n_rsvd && pos < e; j++) {
		const struct tdmr_reserved_area *r = &t->info.rsvd_areas[j];

		if (r->offset <= pos && r->offset + r->size > pos)
			pos = r->offset + r->size;
	}
	return pos >= e;
}

/* [s, e) clipped to TDMR t must be reserved there. */
static void must_reserve(const struct host_tdmr *t, uint64_t s, uint64_t e,
			 const char *what)
{
	uint64_t base = t->info.tdmr_base, end = base + t->info.tdmr_size;

	if (s < base)
		s = base;
	if (e > end)
		e = end;
	if (s < e && !areas_cover(t, s - base, e - base))
		fail_msg("TDMR [0x%llx, 0x%llx): %s [0x%llx, 0x%llx) not reserved",
			 (unsigned long long)base, (unsigned long long)end, what,
			 (unsigned long long)s, (unsigned long long)e);
}

/* Areas: at most max_rsvd, 4 KiB aligned, non-empty, inside, ascending,
 * non-overlapping, then only null entries (abi §4.2 rule 4). */
static void check_rsvd_shape(const struct host_tdmr *t, const struct tdmr_limits *lim)
{
	uint64_t prev = 0;

	assert_true(t->n_rsvd <= lim->max_rsvd);
	for (unsigned j = 0; j < TDX_MAX_RESERVED_AREAS; j++) {
		const struct tdmr_reserved_area *r = &t->info.rsvd_areas[j];

		if (j >= t->n_rsvd) {
			assert_true(r->offset == 0 && r->size == 0);
			continue;
		}
		assert_true(r->size > 0);
		assert_true(((r->offset | r->size) & (PG - 1)) == 0);
		assert_true(r->offset >= prev);
		assert_true(r->offset + r->size <= t->info.tdmr_size);
		prev = r->offset + r->size;
	}
}

/* Whether [s, e) lies in the blocks of node (touching blocks join). */
static bool in_node_ram(const struct tdx_memlist *l, unsigned node, uint64_t s, uint64_t e)
{
	uint64_t pos = s;

	for (size_t i = 0; i < l->n && pos < e; i++)
		if (l->b[i].node == node && l->b[i].start <= pos && l->b[i].end > pos)
			pos = l->b[i].end;
	return pos >= e;
}

static uint64_t pamt_end(const struct tdmr_info_entry *e)
{
	return e->pamt_4k_base + e->pamt_4k_size + e->pamt_2m_size + e->pamt_1g_size;
}

/* The PAMT: big enough, aligned, three tables back to back, in the RAM
 * of pamt_node, and clear of every other TDMR's PAMT. */
static void check_pamt(const struct tdx_memlist *l, const struct tdmr_limits *lim,
		       const struct tdmr_plan *p, unsigned i)
{
	const struct tdmr_info_entry *e = &p->tdmr[i].info;

	assert_true(e->pamt_4k_size >= tdmr_pamt_size(e->tdmr_size, TDX_PS_4K, lim));
	assert_true(e->pamt_2m_size >= tdmr_pamt_size(e->tdmr_size, TDX_PS_2M, lim));
	assert_true(e->pamt_1g_size >= tdmr_pamt_size(e->tdmr_size, TDX_PS_1G, lim));
	assert_true((e->pamt_4k_base & (PG - 1)) == 0);
	assert_int_equal(e->pamt_2m_base, e->pamt_4k_base + e->pamt_4k_size);
	assert_int_equal(e->pamt_1g_base, e->pamt_2m_base + e->pamt_2m_size);
	if (!in_node_ram(l, p->tdmr[i].pamt_node, e->pamt_4k_base, pamt_end(e)))
		fail_msg("PAMT of TDMR %u at 0x%llx is not in node %u's RAM", i,
			 (unsigned long long)e->pamt_4k_base, p->tdmr[i].pamt_node);
	for (unsigned k = 0; k < i; k++) {
		const struct tdmr_info_entry *o = &p->tdmr[k].info;

		assert_true(pamt_end(o) <= e->pamt_4k_base || pamt_end(e) <= o->pamt_4k_base);
	}
}

/* Every non-TDX byte and every PAMT byte inside TDMR t is reserved. */
static void check_rsvd_covers(const struct tdx_memlist *l, const struct tdmr_plan *p,
			      const struct host_tdmr *t)
{
	uint64_t prev = 0;

	for (size_t k = 0; k < l->n; k++) {
		must_reserve(t, prev, l->b[k].start, "hole");
		prev = l->b[k].end;
	}
	must_reserve(t, prev, UINT64_MAX, "hole");
	for (unsigned k = 0; k < p->n_tdmrs; k++)
		must_reserve(t, p->tdmr[k].info.pamt_4k_base, pamt_end(&p->tdmr[k].info), "PAMT");
}

/* Every TDX block lies in the (sorted, disjoint) TDMRs. */
static void check_tdx_covered(const struct tdx_memlist *l, const struct tdmr_plan *p)
{
	for (size_t k = 0; k < l->n; k++) {
		uint64_t pos = l->b[k].start;

		for (unsigned i = 0; i < p->n_tdmrs && pos < l->b[k].end; i++) {
			const struct tdmr_info_entry *e = &p->tdmr[i].info;

			if (e->tdmr_base <= pos && e->tdmr_base + e->tdmr_size > pos)
				pos = e->tdmr_base + e->tdmr_size;
		}
		if (pos < l->b[k].end)
			fail_msg("TDX memory at 0x%llx is in no TDMR", (unsigned long long)pos);
	}
}

/* Everything TDH.SYS.CONFIG and linux §3.7 ask of a plan. */
static void check_plan(const struct tdx_memlist *l, const struct tdmr_limits *lim,
		       const struct tdmr_plan *p)
{
	uint64_t prev_end = 0, pamt = 0;

	assert_true(p->n_tdmrs <= lim->max_tdmrs);
	for (unsigned i = 0; i < p->n_tdmrs; i++) {
		const struct host_tdmr *t = &p->tdmr[i];
		const struct tdmr_info_entry *e = &t->info;

		assert_true(e->tdmr_size > 0);
		assert_true(((e->tdmr_base | e->tdmr_size) & (GiB - 1)) == 0);
		assert_true(e->tdmr_base >= prev_end);
		prev_end = e->tdmr_base + e->tdmr_size;
		check_pamt(l, lim, p, i);
		check_rsvd_shape(t, lim);
		check_rsvd_covers(l, p, t);
		pamt += pamt_end(e) - e->pamt_4k_base;
	}
	assert_int_equal(pamt, p->pamt_bytes);
	check_tdx_covered(l, p);
}

/* ---- planning against a fresh allocator ------------------------------- */

static struct page_alloc *pages_for(const struct tdx_memlist *l)
{
	struct page_alloc *a = page_alloc_create(TDXSIM_MAX_PACKAGES);

	assert_non_null(a);
	for (size_t i = 0; i < l->n; i++) {
		uint64_t s = (l->b[i].start + PG - 1) & ~(PG - 1), e = l->b[i].end & ~(PG - 1);

		if (s < e)
			assert_int_equal(page_alloc_add(a, s, e, l->b[i].node, true), 0);
	}
	return a;
}

/* Plans, checks the plan (or that a failure kept nothing) and gives the
 * PAMTs back; the allocator must end as it began. */
static int plan(const struct tdx_memlist *l, const struct tdmr_limits *lim,
		enum tdmr_policy pol, struct tdmr_plan *p)
{
	struct page_alloc *a = pages_for(l);
	uint64_t before = page_alloc_free_bytes(a);
	int ret = tdmr_plan_build(l, lim, pol, a, p);

	assert_int_equal(p->policy, pol);
	if (ret) {
		assert_true(p->error[0]);
		assert_int_equal(page_alloc_free_bytes(a), before);
	} else {
		assert_int_equal(before - page_alloc_free_bytes(a), p->pamt_bytes);
		check_plan(l, lim, p);
		tdmr_plan_free_pamts(p, a);
		assert_int_equal(page_alloc_free_bytes(a), before);
	}
	page_alloc_destroy(a);
	return ret;
}

/* Both policies; compact never worse where linux succeeds. Returns
 * whether linux succeeded. */
static bool plan_both(const struct tdx_memlist *l, const struct tdmr_limits *lim)
{
	int rl = plan(l, lim, TDMR_POLICY_LINUX, &P);

	RC = plan(l, lim, TDMR_POLICY_COMPACT, &Q);
	if (rl)
		return false;
	assert_int_equal(RC, 0);
	assert_true(Q.n_tdmrs <= P.n_tdmrs);
	assert_true(Q.pamt_bytes <= P.pamt_bytes);
	return true;
}

/* ---- expectations ----------------------------------------------------- */

struct want_tdmr {
	uint64_t base, size, pamt, pamt_bytes;
	unsigned node, n_rsvd;
	struct tdmr_reserved_area rsvd[TDX_MAX_RESERVED_AREAS];
};

static void expect(const struct tdmr_plan *p, const struct want_tdmr *w, unsigned n)
{
	assert_int_equal(p->n_tdmrs, n);
	for (unsigned i = 0; i < n; i++) {
		const struct host_tdmr *t = &p->tdmr[i];

		assert_int_equal(t->info.tdmr_base, w[i].base);
		assert_int_equal(t->info.tdmr_size, w[i].size);
		assert_int_equal(t->info.pamt_4k_base, w[i].pamt);
		assert_int_equal(pamt_end(&t->info) - t->info.pamt_4k_base, w[i].pamt_bytes);
		assert_int_equal(t->pamt_node, w[i].node);
		assert_int_equal(t->n_rsvd, w[i].n_rsvd);
		for (unsigned j = 0; j < w[i].n_rsvd; j++) {
			assert_int_equal(t->info.rsvd_areas[j].offset, w[i].rsvd[j].offset);
			assert_int_equal(t->info.rsvd_areas[j].size, w[i].rsvd[j].size);
		}
	}
}

static int setup(void **state)
{
	tdmr_limits_default(&LIM);
	return 0;
}

/* ---- linux ------------------------------------------------------------ */

/*
 * The default platform: RAM [1M, 0x6F800000) and [4G, 34G) on node 0,
 * [34G, 66G) on node 1, legacy PMEM [66G, 70G).
 * TDMRs [0,2G) (node 0), [4G,34G) (node 0), [34G,66G) (node 1).
 * PAMTs from the top of each node: 0x805000 at 34G-0x805000, 0x783D000
 * below it, 0x8041000 at 66G-0x8041000; total 0x10083000 = 262668 KB.
 * Areas: TDMR 0 the holes [0,1M) and [0x6F800000, 2G); TDMR 1 the two
 * PAMTs at its top (one area each, sorted); TDMR 2 its own PAMT.
 */
static void test_linux_default_platform(void **state)
{
	struct tdxsim_platform_config c;
	const struct want_tdmr w[] = {
		{ 0, 2 * GiB, 34 * GiB - 0x805000, 0x805000, 0, 2,
		  { { 0, MiB }, { 0x6F800000, 2 * GiB - 0x6F800000 } } },
		{ 4 * GiB, 30 * GiB, 34 * GiB - 0x8042000, 0x783D000, 0, 2,
		  { { 30 * GiB - 0x8042000, 0x783D000 }, { 30 * GiB - 0x805000, 0x805000 } } },
		{ 34 * GiB, 32 * GiB, 66 * GiB - 0x8041000, 0x8041000, 1, 1,
		  { { 32 * GiB - 0x8041000, 0x8041000 } } },
	};

	tdxsim_config_default(&c);
	assert_int_equal(tdmr_plan_for_config(&c, TDMR_POLICY_LINUX, &P), 0);
	expect(&P, w, 3);
	assert_int_equal(P.pamt_bytes, 262668 * KiB);
	assert_int_equal(P.pamt_bytes, PAMT_GIB(2) + PAMT_GIB(30) + PAMT_GIB(32));
	assert_string_equal(P.warning, "");
	tdx_memlist_from_config(&c, &L);
	check_plan(&L, &LIM, &P);
	/* The PMEM at [66G, 70G) is not TDX memory. */
	assert_false(tdx_memlist_contains(&L, 66 * GiB, 66 * GiB + PG));
	assert_true(tdx_memlist_contains(&L, 65 * GiB, 66 * GiB));
}

/*
 * Holes at every alignment, all node 0:
 *   [0,1M)                 below 1 MiB (the list starts at 1 MiB)
 *   [512M, 768M)           inside GiB 0
 *   [1G+256M, 1G+512M)     inside GiB 1
 *   [2G, 3G)               exactly one aligned GiB
 *   [4G+512M, 5G+256M)     across the 5 GiB boundary
 * Linux: [0,1G) [1G,2G) (block 1 reaches into GiB 1) [3G,5G) [5G,6G).
 * PAMTs from the top of [5G+256M, 6G), in TDMR order, downwards.
 */
static void hole_map(struct tdx_memlist *l)
{
	list_reset(l);
	add_block(l, MiB, 512 * MiB, 0);
	add_block(l, 768 * MiB, GiB + 256 * MiB, 0);
	add_block(l, GiB + 512 * MiB, 2 * GiB, 0);
	add_block(l, 3 * GiB, 4 * GiB + 512 * MiB, 0);
	add_block(l, 5 * GiB + 256 * MiB, 6 * GiB, 0);
}

static void test_linux_holes_every_alignment(void **state)
{
	const uint64_t t = 6 * GiB;   /* top of node 0 */
	const struct want_tdmr w[] = {
		{ 0, GiB, t - 0x403000, 0x403000, 0, 2,
		  { { 0, MiB }, { 512 * MiB, 256 * MiB } } },
		{ GiB, GiB, t - 0x806000, 0x403000, 0, 1, { { 256 * MiB, 256 * MiB } } },
		{ 3 * GiB, 2 * GiB, t - 0x100B000, 0x805000, 0, 1,
		  { { GiB + 512 * MiB, 512 * MiB } } },
		/* The hole's part above 5G, then one area per PAMT. */
		{ 5 * GiB, GiB, t - 0x140E000, 0x403000, 0, 5,
		  { { 0, 256 * MiB }, { GiB - 0x140E000, 0x403000 },
		    { GiB - 0x100B000, 0x805000 }, { GiB - 0x806000, 0x403000 },
		    { GiB - 0x403000, 0x403000 } } },
	};

	hole_map(&L);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), 0);
	expect(&P, w, 4);
	assert_int_equal(P.pamt_bytes, 0x140E000);
}

/*
 * RAM [1M, 2G), legacy PMEM [2G, 3G+512M), RAM [3G+512M, 8G). PMEM is
 * not TDX memory: a hole. TDMRs [0,2G) and [3G,8G); the second reserves
 * [3G, 3G+512M) and both PAMTs (top of [3G+512M, 8G)).
 */
static void pmem_config(struct tdxsim_platform_config *c)
{
	char err[200];

	tdxsim_config_default(c);
	c->n_memmap = 0;
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ 0, 0x9F000, TDXSIM_MEM_RAM, 0 };
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ 0x9F000, MiB - 0x9F000,
							      TDXSIM_MEM_RESERVED, 0 };
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ MiB, 2 * GiB - MiB, TDXSIM_MEM_RAM, 0 };
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ 2 * GiB, GiB + 512 * MiB,
							      TDXSIM_MEM_PMEM_LEGACY, 0 };
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ 3 * GiB + 512 * MiB,
							      4 * GiB + 512 * MiB, TDXSIM_MEM_RAM, 0 };
	assert_true(tdxsim_config_finish(c, err, sizeof(err)));
}

static void test_linux_legacy_pmem(void **state)
{
	struct tdxsim_platform_config c;
	const uint64_t t = 8 * GiB;
	const struct want_tdmr w[] = {
		{ 0, 2 * GiB, t - 0x805000, 0x805000, 0, 1, { { 0, MiB } } },
		{ 3 * GiB, 5 * GiB, t - 0x1C10000, 0x140B000, 0, 3,
		  { { 0, 512 * MiB }, { 5 * GiB - 0x1C10000, 0x140B000 },
		    { 5 * GiB - 0x805000, 0x805000 } } },
	};

	pmem_config(&c);
	tdx_memlist_from_config(&c, &L);
	assert_int_equal(L.n, 2);
	assert_false(tdx_memlist_contains(&L, 2 * GiB, 2 * GiB + PG));
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), 0);
	expect(&P, w, 2);
	assert_int_equal(tdmr_plan_for_config(&c, TDMR_POLICY_LINUX, &Q), 0);
	expect(&Q, w, 2);
}

/* RAM edges off page boundaries (e820 allows it): memblock keeps whole
 * pages only, so the list and every reserved area stay 4 KiB aligned. */
static void test_linux_unaligned_ram_edges(void **state)
{
	struct tdxsim_platform_config c;

	pmem_config(&c);
	c.memmap[2].size -= 0x800;               /* RAM ends at 2G - 2 KiB */
	c.memmap[4].base += 0x100;               /* and restarts 256 B in */
	c.memmap[4].size -= 0x100;
	tdx_memlist_from_config(&c, &L);
	assert_int_equal(L.b[0].end, 2 * GiB - PG);
	assert_int_equal(L.b[1].start, 3 * GiB + 512 * MiB + PG);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), 0);
	for (unsigned i = 0; i < P.n_tdmrs; i++)
		for (unsigned r = 0; r < P.tdmr[i].n_rsvd; r++) {
			assert_int_equal(P.tdmr[i].info.rsvd_areas[r].offset % PG, 0);
			assert_int_equal(P.tdmr[i].info.rsvd_areas[r].size % PG, 0);
		}
}

/*
 * Node 0 [1M, 6G+512M), node 1 [6G+512M, 16G). Linux: TDMR [0,7G) takes
 * node 0 (the first block ending above 0), its PAMT 0x1C0F000 from the
 * top of node 0, inside the TDMR; TDMR [7G,16G) takes node 1 (the first
 * block ending above 7G), PAMT 0x2413000 at 16G-0x2413000.
 */
static void two_node_map(struct tdx_memlist *l)
{
	list_reset(l);
	add_block(l, MiB, 6 * GiB + 512 * MiB, 0);
	add_block(l, 6 * GiB + 512 * MiB, 16 * GiB, 1);
}

static void test_linux_pamt_node(void **state)
{
	const uint64_t top0 = 6 * GiB + 512 * MiB;
	const struct want_tdmr w[] = {
		{ 0, 7 * GiB, top0 - 0x1C0F000, 0x1C0F000, 0, 2,
		  { { 0, MiB }, { top0 - 0x1C0F000, 0x1C0F000 } } },
		{ 7 * GiB, 9 * GiB, 16 * GiB - 0x2413000, 0x2413000, 1, 1,
		  { { 9 * GiB - 0x2413000, 0x2413000 } } },
	};

	two_node_map(&L);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), 0);
	expect(&P, w, 2);
	for (unsigned i = 0; i < P.n_tdmrs; i++)
		assert_true(in_node_ram(&L, P.tdmr[i].pamt_node, P.tdmr[i].info.pamt_4k_base,
					pamt_end(&P.tdmr[i].info)));
}

/* n blocks of 256 MiB, one every `stride` GiB (the first from 1 MiB),
 * over `nodes` nodes in address order. */
static void spaced_map(struct tdx_memlist *l, unsigned n, unsigned stride, unsigned nodes)
{
	list_reset(l);
	for (unsigned k = 0; k < n; k++) {
		uint64_t b = (uint64_t)k * stride * GiB;

		add_block(l, b ? b : MiB, b + 256 * MiB, k * nodes / n);
	}
}

/* 65 blocks, each in its own GiB with a free GiB between: 65 TDMRs. */
static void test_linux_tdmrs_exhausted(void **state)
{
	spaced_map(&L, 65, 2, 1);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), -ENOSPC);
	assert_string_equal(P.error, "initialization failed: TDMRs exhausted.");
	/* In adjacent GiBs, still one TDMR each. */
	spaced_map(&L, 65, 1, 1);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), -ENOSPC);
	assert_string_equal(P.error, "initialization failed: TDMRs exhausted.");
}

/*
 * Fewer than TDMR_NR_WARN (4) spare TDMRs: the kernel's warning. The
 * blocks are spread over 8 nodes (the most a platform has): linux gives
 * each PAMT its own area, and all PAMTs of a node land in the TDMR at the
 * node's top, so with one node the 61 PAMTs would exhaust that TDMR's 16
 * areas first (as the one-node case shows).
 */
static void test_linux_tdmrs_warning(void **state)
{
	spaced_map(&L, 60, 2, 8);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), 0);
	assert_int_equal(P.n_tdmrs, 60);
	assert_string_equal(P.warning, "");
	spaced_map(&L, 61, 2, 8);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), 0);
	assert_int_equal(P.n_tdmrs, 61);
	assert_string_equal(P.warning, "consumed TDMRs reaching limit: 61 used out of 64");
	assert_true(plan_both(&L, &LIM));
	assert_int_equal(Q.n_tdmrs, 61);
	assert_string_equal(Q.warning, "consumed TDMRs reaching limit: 61 used out of 64");
	/* One node: TDMR [120G, 121G) would need its tail hole + 61 areas. */
	spaced_map(&L, 61, 2, 1);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), -ENOSPC);
	assert_string_equal(P.error, "initialization failed: TDMR [0x1e00000000, 0x1e40000000): reserved areas exhausted.");
	/* Compact merges the touching PAMTs with the tail hole: one area. */
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_COMPACT, &Q), 0);
	assert_int_equal(Q.n_tdmrs, 61);
	assert_int_equal(Q.tdmr[60].n_rsvd, 1);
}

/* 16 blocks of 16 MiB every 32 MiB from 16 MiB in GiB 0: 17 holes
 * (head, 15 between, tail) in one GiB, which no TDMR can hold. */
static void seventeen_holes_map(struct tdx_memlist *l)
{
	list_reset(l);
	for (unsigned k = 0; k < 16; k++)
		add_block(l, 16 * MiB + k * 32 * MiB, 32 * MiB + k * 32 * MiB, 0);
}

static void test_linux_rsvd_exhausted(void **state)
{
	seventeen_holes_map(&L);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_LINUX, &P), -ENOSPC);
	assert_string_equal(P.error,
			    "initialization failed: TDMR [0x0, 0x40000000): reserved areas exhausted.");
	/* Compact cannot either: the areas are all in one GiB. */
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_COMPACT, &Q), -ENOSPC);
	assert_string_equal(Q.error,
			    "initialization failed: TDMR [0x0, 0x40000000): reserved areas exhausted.");
}

/* ---- compact ---------------------------------------------------------- */

static void test_policy_names(void **state)
{
	enum tdmr_policy pol = TDMR_POLICY_LINUX;

	assert_true(tdmr_policy_parse("compact", &pol));
	assert_int_equal(pol, TDMR_POLICY_COMPACT);
	assert_string_equal(tdmr_policy_name(TDMR_POLICY_COMPACT), "compact");
	assert_true(tdmr_policy_parse("linux", &pol));
	assert_int_equal(pol, TDMR_POLICY_LINUX);
	assert_false(tdmr_policy_parse("best", &pol));
}

/*
 * Default platform: [0,2G) and one TDMR for the run [4G,66G), whose PAMT
 * (0xF87D000) goes to node 1, which holds 32 of its 62 GiB. One TDMR and
 * 4 KiB (one 1G table) less than linux: 262664 KB.
 */
static void test_compact_default_platform(void **state)
{
	struct tdxsim_platform_config c;
	const struct want_tdmr w[] = {
		{ 0, 2 * GiB, 34 * GiB - 0x805000, 0x805000, 0, 2,
		  { { 0, MiB }, { 0x6F800000, 2 * GiB - 0x6F800000 } } },
		{ 4 * GiB, 62 * GiB, 66 * GiB - 0xF87D000, 0xF87D000, 1, 2,
		  { { 30 * GiB - 0x805000, 0x805000 }, { 62 * GiB - 0xF87D000, 0xF87D000 } } },
	};

	tdxsim_config_default(&c);
	assert_int_equal(tdmr_plan_for_config(&c, TDMR_POLICY_COMPACT, &Q), 0);
	expect(&Q, w, 2);
	assert_int_equal(Q.pamt_bytes, 262664 * KiB);
	tdx_memlist_from_config(&c, &L);
	check_plan(&L, &LIM, &Q);
	assert_true(plan_both(&L, &LIM));
	assert_int_equal(P.pamt_bytes - Q.pamt_bytes, 4 * KiB);
}

/* The hole map: one TDMR per run of touched GiBs, [0,2G) and [3G,6G); the
 * two PAMTs touch and share one area. */
static void test_compact_holes_every_alignment(void **state)
{
	const uint64_t t = 6 * GiB;
	const struct want_tdmr w[] = {
		{ 0, 2 * GiB, t - 0x805000, 0x805000, 0, 3,
		  { { 0, MiB }, { 512 * MiB, 256 * MiB }, { GiB + 256 * MiB, 256 * MiB } } },
		{ 3 * GiB, 3 * GiB, t - 0x140C000, 0xC07000, 0, 2,
		  { { GiB + 512 * MiB, 768 * MiB }, { 3 * GiB - 0x140C000, 0x140C000 } } },
	};

	hole_map(&L);
	assert_true(plan_both(&L, &LIM));
	expect(&Q, w, 2);
	assert_int_equal(Q.pamt_bytes, 0x140C000);
	assert_int_equal(P.n_tdmrs - Q.n_tdmrs, 2);
}

static void test_compact_legacy_pmem(void **state)
{
	struct tdxsim_platform_config c;
	const uint64_t t = 8 * GiB;
	const struct want_tdmr w[] = {
		{ 0, 2 * GiB, t - 0x805000, 0x805000, 0, 1, { { 0, MiB } } },
		/* The PMEM part and the two PAMTs, these merged. */
		{ 3 * GiB, 5 * GiB, t - 0x1C10000, 0x140B000, 0, 2,
		  { { 0, 512 * MiB }, { 5 * GiB - 0x1C10000, 0x1C10000 } } },
	};

	pmem_config(&c);
	tdx_memlist_from_config(&c, &L);
	assert_true(plan_both(&L, &LIM));
	expect(&Q, w, 2);
}

/* One TDMR over both nodes; its PAMT on node 1, which has 9.5 of 16 GiB. */
static void test_compact_pamt_node(void **state)
{
	const struct want_tdmr w[] = {
		{ 0, 16 * GiB, 16 * GiB - 0x4021000, 0x4021000, 1, 2,
		  { { 0, MiB }, { 16 * GiB - 0x4021000, 0x4021000 } } },
	};

	two_node_map(&L);
	assert_true(plan_both(&L, &LIM));
	expect(&Q, w, 1);
	assert_int_equal(P.pamt_bytes - Q.pamt_bytes, 4 * KiB);
}

/*
 * 65 blocks a free GiB apart: compact joins two runs across one free GiB
 * (all gaps are equal) to fit 64 TDMRs: 66 GiB covered, one 4 MiB
 * reserved-area-only GiB more than the 65 linux would need.
 */
static void test_compact_joins_runs(void **state)
{
	spaced_map(&L, 65, 2, 1);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_COMPACT, &Q), 0);
	assert_int_equal(Q.n_tdmrs, 64);
	assert_int_equal(Q.pamt_bytes, 66 * (4 * MiB + 8 * KiB) + 64 * 4 * KiB);
	assert_string_equal(Q.warning, "consumed TDMRs reaching limit: 64 used out of 64");
	/* 100 blocks: 36 joins. */
	spaced_map(&L, 100, 2, 1);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_COMPACT, &Q), 0);
	assert_int_equal(Q.n_tdmrs, 64);
	assert_int_equal(Q.pamt_bytes, 136 * (4 * MiB + 8 * KiB) + 64 * 4 * KiB);
}

/*
 * 65 blocks [kG+512M, kG+768M) in adjacent GiBs: one run of 65 GiB with
 * 66 holes (each free span across a GiB boundary is one). A TDMR of n
 * GiB inside the run meets n + 1 of them, so at most 15 GiB per TDMR:
 * 5 TDMRs, where linux would need 65.
 */
static void test_compact_splits_runs(void **state)
{
	list_reset(&L);
	for (unsigned k = 0; k < 65; k++)
		add_block(&L, k * GiB + 512 * MiB, k * GiB + 768 * MiB, 0);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_COMPACT, &Q), 0);
	assert_int_equal(Q.n_tdmrs, 5);
	assert_int_equal(Q.pamt_bytes, 65 * (4 * MiB + 8 * KiB) + 5 * 4 * KiB);
}

/*
 * B0 [1M, 1G+32M) and 15 blocks of 32 MiB at 1G + k*64M (k = 1..15):
 * linux makes one TDMR [0,2G) with 17 holes and fails. Compact cuts at
 * 1G: [0,1G) holds [0,1M); [1G,2G) 16 areas, its last the tail hole
 * merged with both PAMTs, which sit at the top of the last block.
 */
static void test_compact_more_holes_than_areas(void **state)
{
	const uint64_t top = GiB + 992 * MiB;
	struct want_tdmr w[2] = {
		{ 0, GiB, top - 0x403000, 0x403000, 0, 1, { { 0, MiB } } },
		{ GiB, GiB, top - 0x806000, 0x403000, 0, 16, { { 32 * MiB, 32 * MiB } } },
	};

	for (unsigned k = 1; k < 15; k++)
		w[1].rsvd[k] = (struct tdmr_reserved_area){ k * 64 * MiB + 32 * MiB, 32 * MiB };
	w[1].rsvd[15] = (struct tdmr_reserved_area){ 992 * MiB - 0x806000, 32 * MiB + 0x806000 };
	list_reset(&L);
	add_block(&L, MiB, GiB + 32 * MiB, 0);
	for (unsigned k = 1; k <= 15; k++)
		add_block(&L, GiB + k * 64 * MiB, GiB + k * 64 * MiB + 32 * MiB, 0);
	assert_false(plan_both(&L, &LIM));
	assert_string_equal(P.error,
			    "initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.");
	expect(&Q, w, 2);
}

/*
 * 14 holes in GiB 12, the top of node 0, plus TDMRs [4G,6G) and [8G,10G):
 * all three PAMTs land at the top of the last block, just below the tail
 * hole. Linux needs 14 + 3 areas there and fails; compact merges the
 * PAMTs with the tail hole and keeps linux's three TDMRs.
 */
static void test_compact_merges_pamts(void **state)
{
	list_reset(&L);
	add_block(&L, 4 * GiB, 6 * GiB, 0);
	add_block(&L, 8 * GiB, 10 * GiB, 0);
	for (unsigned k = 1; k <= 13; k++)
		add_block(&L, 12 * GiB + k * 64 * MiB, 12 * GiB + k * 64 * MiB + 32 * MiB, 0);
	assert_false(plan_both(&L, &LIM));
	assert_string_equal(P.error,
			    "initialization failed: TDMR [0x300000000, 0x340000000): reserved areas exhausted.");
	assert_int_equal(Q.n_tdmrs, 3);
	assert_int_equal(Q.tdmr[2].n_rsvd, 14);
	assert_int_equal(Q.tdmr[2].info.rsvd_areas[13].offset, 864 * MiB - 0x140D000);
	assert_int_equal(Q.pamt_bytes, 0x140D000);
}

/* With 8 TDMRs of 4 areas, 9 GiBs a free GiB apart, each with three
 * holes: joining two needs 5 areas, so compact fails like the kernel. */
static void test_compact_tdmrs_exhausted(void **state)
{
	struct tdmr_limits lim = LIM;

	lim.max_tdmrs = 8;
	lim.max_rsvd = 4;
	list_reset(&L);
	for (unsigned k = 0; k < 9; k++) {
		add_block(&L, 2 * k * GiB + 256 * MiB, 2 * k * GiB + 512 * MiB, 0);
		add_block(&L, 2 * k * GiB + 640 * MiB, 2 * k * GiB + 768 * MiB, 0);
	}
	assert_int_equal(plan(&L, &lim, TDMR_POLICY_COMPACT, &Q), -ENOSPC);
	assert_string_equal(Q.error, "initialization failed: TDMRs exhausted.");
	assert_int_equal(plan(&L, &lim, TDMR_POLICY_LINUX, &P), -ENOSPC);
}

/* Block edges off a page: the partial pages are reserved with the holes. */
static void test_compact_unaligned_blocks(void **state)
{
	list_reset(&L);
	add_block(&L, MiB + 0x800, 512 * MiB + 0x123, 0);
	add_block(&L, 600 * MiB, 2 * GiB, 0);
	assert_int_equal(plan(&L, &LIM, TDMR_POLICY_COMPACT, &Q), 0);
	assert_int_equal(Q.n_tdmrs, 1);
	assert_int_equal(Q.tdmr[0].info.rsvd_areas[0].size, MiB + PG);
	assert_int_equal(Q.tdmr[0].info.rsvd_areas[1].offset, 512 * MiB);
}

/* No TDX memory: no TDMR, as linux. */
static void test_compact_empty(void **state)
{
	list_reset(&L);
	assert_true(plan_both(&L, &LIM));
	assert_int_equal(Q.n_tdmrs, 0);
}

/* The compact plan of the default platform and of a split/merge map is
 * accepted by the module and initialises. */
static void module_accepts(struct tdxsim_platform_config *c)
{
	struct platform *p = machine_new(c);

	sys_init_all(p);
	assert_int_equal(tdmr_plan_for_config(platform_config(p), TDMR_POLICY_COMPACT, &Q), 0);
	tdx_memlist_from_config(platform_config(p), &L);
	check_plan(&L, &LIM, &Q);
	for (unsigned i = 0; i < Q.n_tdmrs; i++) {
		uint64_t pa = TEST_ARRAY_PA + 0x1000 + 512ULL * i;

		assert_int_equal(platform_mem_write(p, pa, &Q.tdmr[i].info,
						    sizeof(Q.tdmr[i].info)), TDXSIM_MEM_OK);
		assert_int_equal(platform_mem_write(p, TEST_ARRAY_PA + 8 * i, &pa, 8),
				 TDXSIM_MEM_OK);
	}
	assert_int_equal(do_config(p, &Q), TDX_SUCCESS);
	key_config_all(p);
	tdmr_init_all(p, &Q);
	tdx_inspect_check_all(p);
	platform_destroy(p);
}

static void test_compact_module_accepts(void **state)
{
	struct tdxsim_platform_config c;
	char err[200];

	small_config(&c, 2, 1, 4, TDXSIM_PROFILE_1_5);
	module_accepts(&c);
	/* The 16-area map above, as RAM ranges (plus low RAM for the test's
	 * TDMR array at 2 MiB). */
	small_config(&c, 1, 1, 1, TDXSIM_PROFILE_1_5);
	c.memmap[1].size = GiB + 32 * MiB - MiB;
	for (unsigned k = 1; k <= 15; k++)
		c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ GiB + k * 64 * MiB, 32 * MiB,
								    TDXSIM_MEM_RAM, 0 };
	assert_true(tdxsim_config_finish(&c, err, sizeof(err)));
	module_accepts(&c);
	assert_int_equal(Q.n_tdmrs, 2);
	assert_int_equal(Q.tdmr[1].n_rsvd, 16);
}

/* ---- random maps ------------------------------------------------------ */

static void test_random_maps(void **state)
{
	uint64_t seed = 0x7D5E1ECAFEULL, saved_pamt = 0, saved_tdmrs = 0;
	unsigned linux_ok = 0, compact_ok = 0, only_compact = 0, maps = 400;

	for (unsigned m = 0; m < maps; m++) {
		struct tdmr_limits lim = LIM;

		random_map(&seed, &L, 4096);
		if (m % 4 == 3) {   /* tighter limits now and then */
			lim.max_tdmrs = 4 + rng_below(&seed, 28);
			lim.max_rsvd = 2 + rng_below(&seed, 14);
		}
		if (plan_both(&L, &lim)) {
			linux_ok++;
			saved_tdmrs += P.n_tdmrs - Q.n_tdmrs;
			saved_pamt += P.pamt_bytes - Q.pamt_bytes;
		} else if (!RC) {
			only_compact++;
		}
	}
	compact_ok = linux_ok + only_compact;
	print_message("%u maps: linux planned %u, compact %u (%u linux could not); "
		      "where both did, compact saved %llu TDMRs and %llu KB of PAMT\n",
		      maps, linux_ok, compact_ok, only_compact,
		      (unsigned long long)saved_tdmrs, (unsigned long long)(saved_pamt >> 10));
	assert_true(linux_ok > maps / 4);
	assert_true(only_compact > 0);
}

/* ---- real memory maps ------------------------------------------------- */

static void test_real_memmaps(void **state)
{
	static struct tdxsim_platform_config c;
	const char *src = getenv("TDXSIM_SOURCE_DIR");
	char path[1024], err[256];

	assert_non_null(src);
	/* The HPE /proc/iomem map: both policies plan it the same way. */
	snprintf(path, sizeof(path), "%s/tests/data/memmaps/"
		 "01-intel-2s-hpe-proc-iomem-memmap-legacy-pmem.txt", src);
	assert_int_equal(memmap_load_file(path, MEMMAP_AUTO, &c, NULL, err, sizeof(err)), 0);
	tdx_memlist_from_config(&c, &L);
	assert_true(plan_both(&L, &LIM));
	assert_int_equal(P.n_tdmrs, 3);
	assert_int_equal(P.pamt_bytes >> 10, 119028);
	assert_int_equal(Q.n_tdmrs, 3);
	assert_int_equal(Q.pamt_bytes >> 10, 119028);
	/* The CXL excerpt has no usable RAM: nothing to plan, said clearly. */
	snprintf(path, sizeof(path), "%s/tests/data/memmaps/"
		 "03-amd-cxl-2-expanders-e820-soft-reserved-cedt.txt", src);
	assert_int_equal(memmap_load_file(path, MEMMAP_AUTO, &c, NULL, err, sizeof(err)), 2);
	assert_non_null(strstr(err, "no RAM"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_default_platform),
		cmocka_unit_test(test_linux_holes_every_alignment),
		cmocka_unit_test(test_linux_legacy_pmem),
		cmocka_unit_test(test_linux_unaligned_ram_edges),
		cmocka_unit_test(test_linux_pamt_node),
		cmocka_unit_test(test_linux_tdmrs_exhausted),
		cmocka_unit_test(test_linux_tdmrs_warning),
		cmocka_unit_test(test_linux_rsvd_exhausted),
		cmocka_unit_test(test_policy_names),
		cmocka_unit_test(test_compact_default_platform),
		cmocka_unit_test(test_compact_holes_every_alignment),
		cmocka_unit_test(test_compact_legacy_pmem),
		cmocka_unit_test(test_compact_pamt_node),
		cmocka_unit_test(test_compact_joins_runs),
		cmocka_unit_test(test_compact_splits_runs),
		cmocka_unit_test(test_compact_more_holes_than_areas),
		cmocka_unit_test(test_compact_merges_pamts),
		cmocka_unit_test(test_compact_tdmrs_exhausted),
		cmocka_unit_test(test_compact_unaligned_blocks),
		cmocka_unit_test(test_compact_empty),
		cmocka_unit_test(test_compact_module_accepts),
		cmocka_unit_test(test_random_maps),
		cmocka_unit_test(test_real_memmaps),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
