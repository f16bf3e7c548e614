/* SPDX-License-Identifier: MIT */
/*
 * The "compact" TDMR policy: ours, not Linux's.
 *
 * Every TDMR must reserve, where it covers them, the bytes that are not
 * TDX memory and every PAMT. Call that set R. A TDMR [a, b) needs one
 * reserved area per maximal span of R it meets, because touching holes
 * and PAMTs may share one area (the module only asks for sorted,
 * non-overlapping, 4 KiB aligned areas inside the TDMR; abi §4.2).
 *
 * The TDMR ranges are chosen by dynamic programming over the 1 GiB
 * boundaries next to an edge of R (cutting anywhere else never changes
 * which spans of R a TDMR meets). Among the layouts with at most
 * max_tdmrs TDMRs of at most max_rsvd areas each it takes the one with
 * the least PAMT, then the fewest TDMRs. With the usual 16-byte entries
 * PAMT is 4104 KiB per GiB covered plus 4 KiB per TDMR, so this is one
 * TDMR per run of 1 GiB granules holding TDX memory, runs joined across
 * the smallest gaps only when there would be too many TDMRs, and a run
 * cut at 1 GiB boundaries only where it has too many holes. Linux's
 * layout is one of those the search considers, and merging only lowers
 * its area counts, so when Linux succeeds compact uses no more PAMT and
 * no more TDMRs (unless PAMTs land worse than Linux's; the retry below
 * then decides, and the tests check the claim on random maps).
 *
 * Where the PAMTs land is only known after allocation, so the search
 * first counts holes alone, then PAMTs are allocated (on the node with
 * most of the TDMR's memory) and the areas filled. If a TDMR overflows,
 * the PAMTs are freed, remembered as part of R, and the search runs
 * again, a bounded number of times.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_alloc.h"
#include "tdmr_plan_internal.h"

#define PAGE 4096ULL
#define MAX_ATTEMPTS 8
#define NO_COST UINT64_MAX
#define FROM_SKIP (-1)

/* A set of address spans; after rset_norm() sorted, disjoint and with
 * touching spans merged. */
struct span {
	uint64_t s, e;
};

struct rset {
	size_t n, cap;
	struct span *v;
};

struct compact {
	const struct tdx_memlist *list;
	const struct tdmr_limits *lim;
	unsigned max_tdmrs, max_rsvd;
	struct rset tdx;    /* TDX memory in whole pages, touching blocks merged */
	struct rset seen;   /* PAMTs placed by earlier attempts */
	struct rset model;  /* what a TDMR is assumed to reserve: not TDX, or seen */
};

/* The search: states are (point, TDMRs used so far). */
struct layout {
	size_t np;
	unsigned cols;             /* max_tdmrs + 1 */
	uint64_t *pt;              /* candidate TDMR boundaries, ascending */
	size_t *starts_below;      /* model spans starting below pt[j] */
	size_t *ended_by;          /* model spans ending at or below pt[j] */
	uint64_t *cost;            /* least PAMT bytes covering up to pt[j] */
	int *from;                 /* start of the last TDMR, or FROM_SKIP */
};

static bool rset_add(struct rset *r, uint64_t s, uint64_t e)
{
	if (s >= e)
		return true;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct span *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return false;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = (struct span){ s, e };
	return true;
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s;
}

static void rset_norm(struct rset *r)
{
	size_t k = 0;

	if (r->n)
		qsort(r->v, r->n, sizeof(r->v[0]), span_cmp);
	for (size_t i = 0; i < r->n; i++) {
		if (k && r->v[i].s <= r->v[k - 1].e) {
			if (r->v[i].e > r->v[k - 1].e)
				r->v[k - 1].e = r->v[i].e;
		} else {
			r->v[k++] = r->v[i];
		}
	}
	r->n = k;
}

/* Number of spans that end at or below pa. */
static size_t rset_ended_by(const struct rset *r, uint64_t pa)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->v[mid].e <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Number of spans that start below pa. */
static size_t rset_starts_below(const struct rset *r, uint64_t pa)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->v[mid].s < pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Spans meeting [a, b): those starting below b less those ended by a. */
static size_t rset_count(const struct rset *r, uint64_t a, uint64_t b)
{
	return rset_starts_below(r, b) - rset_ended_by(r, a);
}

/* Adds everything that is not in tdx (tdx normalised). */
static bool rset_add_complement(struct rset *dst, const struct rset *tdx)
{
	uint64_t prev = 0;
	bool ok = true;

	for (size_t i = 0; i < tdx->n; i++) {
		ok &= rset_add(dst, prev, tdx->v[i].s);
		prev = tdx->v[i].e;
	}
	return ok && rset_add(dst, prev, UINT64_MAX);
}

static bool rset_add_pamts(struct rset *dst, const struct tdmr_plan *plan)
{
	bool ok = true;

	for (unsigned i = 0; i < plan->n_tdmrs; i++) {
		const struct tdmr_info_entry *e = &plan->tdmr[i].info;

		if (e->pamt_4k_size)
			ok &= rset_add(dst, e->pamt_4k_base,
				       e->pamt_1g_base + e->pamt_1g_size);
	}
	return ok;
}

/* TDX memory as the module sees it: whole 4 KiB pages (a partial page is
 * reserved with the hole beside it). */
static bool build_tdx(struct compact *k)
{
	for (size_t i = 0; i < k->list->n; i++)
		if (!rset_add(&k->tdx, ALIGN_UP(k->list->b[i].start, PAGE),
			      ALIGN_DOWN(k->list->b[i].end, PAGE)))
			return false;
	rset_norm(&k->tdx);
	return true;
}

static bool build_model(struct compact *k)
{
	k->model.n = 0;
	if (!rset_add_complement(&k->model, &k->tdx))
		return false;
	for (size_t i = 0; i < k->seen.n; i++)
		if (!rset_add(&k->model, k->seen.v[i].s, k->seen.v[i].e))
			return false;
	rset_norm(&k->model);
	return true;
}

static uint64_t pamt_cost(const struct tdmr_limits *lim, uint64_t size)
{
	return tdmr_pamt_size(size, TDX_PS_4K, lim) +
	       tdmr_pamt_size(size, TDX_PS_2M, lim) +
	       tdmr_pamt_size(size, TDX_PS_1G, lim);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void add_point(struct layout *l, uint64_t pa)
{
	l->pt[l->np++] = ALIGN_DOWN(pa, GiB);
	l->pt[l->np++] = ALIGN_UP(pa, GiB);
}

/* The 1 GiB boundaries at or next to an edge of TDX memory or of the
 * model; between two such points a cut changes no area count. */
static void collect_points(struct layout *l, const struct compact *k)
{
	size_t n = 0;

	for (size_t i = 0; i < k->tdx.n; i++) {
		add_point(l, k->tdx.v[i].s);
		add_point(l, k->tdx.v[i].e);
	}
	for (size_t i = 0; i < k->model.n; i++) {
		add_point(l, k->model.v[i].s);
		if (k->model.v[i].e != UINT64_MAX)
			add_point(l, k->model.v[i].e);
	}
	qsort(l->pt, l->np, sizeof(l->pt[0]), u64_cmp);
	for (size_t i = 0; i < l->np; i++)
		if (!n || l->pt[i] != l->pt[n - 1])
			l->pt[n++] = l->pt[i];
	l->np = n;
}

static void layout_free(struct layout *l)
{
	free(l->pt);
	free(l->starts_below);
	free(l->ended_by);
	free(l->cost);
	free(l->from);
}

static bool layout_init(struct layout *l, const struct compact *k)
{
	size_t max = 4 * (k->tdx.n + k->model.n) + 1, cells;

	memset(l, 0, sizeof(*l));
	l->cols = k->max_tdmrs + 1;
	l->pt = malloc(max * sizeof(*l->pt));
	if (!l->pt)
		return false;
	collect_points(l, k);
	cells = l->np * l->cols;
	l->starts_below = malloc(l->np * sizeof(size_t));
	l->ended_by = malloc(l->np * sizeof(size_t));
	l->cost = malloc(cells * sizeof(uint64_t));
	l->from = malloc(cells * sizeof(int));
	if (!l->starts_below || !l->ended_by || !l->cost || !l->from)
		return false;
	for (size_t j = 0; j < l->np; j++) {
		l->starts_below[j] = rset_starts_below(&k->model, l->pt[j]);
		l->ended_by[j] = rset_ended_by(&k->model, l->pt[j]);
	}
	for (size_t c = 0; c < cells; c++)
		l->cost[c] = NO_COST;
	l->cost[0] = 0;   /* nothing below the lowest point needs a TDMR */
	return true;
}

/* Reaching pt[b] without a TDMR: only across memory that is not TDX. */
static void relax_skip(struct layout *l, const struct compact *k, size_t b)
{
	if (rset_count(&k->tdx, l->pt[b - 1], l->pt[b]))
		return;
	for (unsigned c = 0; c < l->cols; c++) {
		l->cost[b * l->cols + c] = l->cost[(b - 1) * l->cols + c];
		l->from[b * l->cols + c] = FROM_SKIP;
	}
}

/* Reaching pt[b] with a TDMR [pt[a], pt[b]). */
static void relax_tdmr(struct layout *l, size_t a, size_t b, uint64_t w)
{
	for (unsigned c = 0; c + 1 < l->cols; c++) {
		uint64_t v = l->cost[a * l->cols + c];
		size_t to = b * l->cols + c + 1;

		if (v != NO_COST && v + w < l->cost[to]) {
			l->cost[to] = v + w;
			l->from[to] = (int)a;
		}
	}
}

static void search(struct layout *l, const struct compact *k)
{
	for (size_t b = 1; b < l->np; b++) {
		relax_skip(l, k, b);
		/* Area counts only grow as the start moves down. */
		for (size_t a = b; a-- > 0; ) {
			if (l->starts_below[b] - l->ended_by[a] > k->max_rsvd)
				break;
			relax_tdmr(l, a, b, pamt_cost(k->lim, l->pt[b] - l->pt[a]));
		}
	}
}

/* The count of TDMRs with the least PAMT at the last point, or -1. */
static int best_count(const struct layout *l)
{
	const uint64_t *last = &l->cost[(l->np - 1) * l->cols];
	int best = -1;

	for (unsigned c = 0; c < l->cols; c++)
		if (last[c] != NO_COST && (best < 0 || last[c] < last[best]))
			best = (int)c;
	return best;
}

static int emit_layout(const struct layout *l, const struct compact *k,
		       int count, struct tdmr_plan *plan)
{
	size_t b = l->np - 1, ends[HOST_MAX_TDMRS], starts[HOST_MAX_TDMRS];
	unsigned c = (unsigned)count, n = 0;

	while (c) {
		int f = l->from[b * l->cols + c];

		if (f == FROM_SKIP) {
			b--;
			continue;
		}
		starts[n] = (size_t)f;
		ends[n++] = b;
		b = (size_t)f;
		c--;
	}
	while (n--) {
		int ret = plan_add_tdmr(plan, k->lim, l->pt[starts[n]], l->pt[ends[n]]);

		if (ret)
			return ret;
	}
	return 0;
}

/* No layout fits: blame a 1 GiB granule that alone needs too many areas
 * (then nothing can cover it), else the TDMR count. */
static int explain_failure(const struct layout *l, const struct compact *k,
			   struct tdmr_plan *plan)
{
	for (size_t j = 0; j < l->np; j++) {
		uint64_t g = l->pt[j];

		if (rset_count(&k->tdx, g, g + GiB) &&
		    rset_count(&k->model, g, g + GiB) > k->max_rsvd) {
			snprintf(plan->error, sizeof(plan->error),
				 "initialization failed: TDMR [0x%llx, 0x%llx): reserved areas exhausted.",
				 (unsigned long long)g, (unsigned long long)(g + GiB));
			return -ENOSPC;
		}
	}
	snprintf(plan->error, sizeof(plan->error),
		 "initialization failed: TDMRs exhausted.");
	return -ENOSPC;
}

static int choose_ranges(const struct compact *k, struct tdmr_plan *plan)
{
	struct layout l;
	int ret = -ENOMEM, count;

	if (!layout_init(&l, k)) {
		snprintf(plan->error, sizeof(plan->error),
			 "initialization failed: out of memory planning TDMRs.");
		layout_free(&l);
		return ret;
	}
	search(&l, k);
	count = best_count(&l);
	ret = count < 0 ? explain_failure(&l, k, plan) : emit_layout(&l, k, count, plan);
	layout_free(&l);
	return ret;
}

/* The node holding most of the TDMR's TDX memory, so that most PAMT
 * accesses stay local; ties go to the lower node. */
static unsigned pamt_node(const struct compact *k, const struct tdmr_info_entry *e,
			  struct tdmr_plan *plan)
{
	uint64_t bytes[TDXSIM_MAX_PACKAGES] = { 0 }, end = e->tdmr_base + e->tdmr_size;
	unsigned best = 0;

	for (size_t i = 0; i < k->list->n; i++) {
		const struct tdx_memblock *m = &k->list->b[i];
		uint64_t s = m->start > e->tdmr_base ? m->start : e->tdmr_base;
		uint64_t t = m->end < end ? m->end : end;

		if (s < t && m->node < TDXSIM_MAX_PACKAGES)
			bytes[m->node] += t - s;
	}
	for (unsigned n = 1; n < TDXSIM_MAX_PACKAGES; n++)
		if (bytes[n] > bytes[best])
			best = n;
	return bytes[best] ? best : plan_pamt_node(k->list, e->tdmr_base, plan);
}

static int alloc_pamts(const struct compact *k, struct page_alloc *pages,
		       struct tdmr_plan *plan)
{
	plan->pamt_bytes = 0;
	for (unsigned i = 0; i < plan->n_tdmrs; i++) {
		int ret = plan_alloc_pamt(k->lim, pages, plan, i,
					  pamt_node(k, &plan->tdmr[i].info, plan));

		if (ret)
			return ret;
	}
	return 0;
}

/* TDMR i's areas: the spans of actual that it meets, clipped. */
static int fill_one(const struct compact *k, const struct rset *actual,
		    struct tdmr_plan *plan, unsigned i)
{
	struct host_tdmr *t = &plan->tdmr[i];
	uint64_t base = t->info.tdmr_base, end = base + t->info.tdmr_size;

	t->n_rsvd = 0;
	memset(t->info.rsvd_areas, 0, sizeof(t->info.rsvd_areas));
	for (size_t j = rset_ended_by(actual, base); j < actual->n && actual->v[j].s < end; j++) {
		uint64_t s = actual->v[j].s > base ? actual->v[j].s : base;
		uint64_t e = actual->v[j].e < end ? actual->v[j].e : end;

		if (t->n_rsvd >= k->max_rsvd) {
			snprintf(plan->error, sizeof(plan->error),
				 "initialization failed: TDMR [0x%llx, 0x%llx): reserved areas exhausted.",
				 (unsigned long long)base, (unsigned long long)end);
			return -ENOSPC;
		}
		t->info.rsvd_areas[t->n_rsvd++] = (struct tdmr_reserved_area){ s - base, e - s };
	}
	return 0;
}

/* Reserved areas with touching holes and PAMTs merged. */
static int fill_rsvd_merged(const struct compact *k, struct tdmr_plan *plan)
{
	struct rset actual = { 0 };
	int ret = 0;

	if (!rset_add_complement(&actual, &k->tdx) || !rset_add_pamts(&actual, plan)) {
		free(actual.v);
		snprintf(plan->error, sizeof(plan->error),
			 "initialization failed: out of memory planning TDMRs.");
		return -ENOMEM;
	}
	rset_norm(&actual);
	for (unsigned i = 0; i < plan->n_tdmrs && !ret; i++)
		ret = fill_one(k, &actual, plan, i);
	free(actual.v);
	return ret;
}

/* Starts an attempt from an empty plan (the PAMTs already given back). */
static void reset_plan(struct tdmr_plan *plan)
{
	plan->n_tdmrs = 0;
	plan->pamt_bytes = 0;
	plan->pamts_allocated = false;
	plan->warning[0] = '\0';
	plan->error[0] = '\0';
	memset(plan->tdmr, 0, sizeof(plan->tdmr));
}

/* One attempt: 0, -EAGAIN when only the PAMT placement overflowed a
 * TDMR (PAMTs freed and remembered), or a final error. */
static int attempt(struct compact *k, struct page_alloc *pages,
		   struct tdmr_plan *plan)
{
	int ret;

	reset_plan(plan);
	if (!build_model(k)) {
		snprintf(plan->error, sizeof(plan->error),
			 "initialization failed: out of memory planning TDMRs.");
		return -ENOMEM;
	}
	ret = choose_ranges(k, plan);
	if (!ret)
		ret = alloc_pamts(k, pages, plan);
	if (!ret)
		ret = fill_rsvd_merged(k, plan);
	if (ret != -ENOSPC || !plan->pamts_allocated)
		return ret;
	if (!rset_add_pamts(&k->seen, plan))
		return ret;
	rset_norm(&k->seen);
	tdmr_plan_free_pamts(plan, pages);
	return -EAGAIN;
}

int plan_build_compact(const struct tdx_memlist *list,
		       const struct tdmr_limits *lim, struct page_alloc *pages,
		       struct tdmr_plan *plan)
{
	struct compact k = { .list = list, .lim = lim };
	int ret = -ENOMEM, tries = 0;

	plan->policy = TDMR_POLICY_COMPACT;
	k.max_tdmrs = lim->max_tdmrs < HOST_MAX_TDMRS ? lim->max_tdmrs : HOST_MAX_TDMRS;
	k.max_rsvd = lim->max_rsvd < TDX_MAX_RESERVED_AREAS ? lim->max_rsvd :
		     TDX_MAX_RESERVED_AREAS;
	if (build_tdx(&k)) {
		do
			ret = attempt(&k, pages, plan);
		while (ret == -EAGAIN && ++tries < MAX_ATTEMPTS);
	} else {
		snprintf(plan->error, sizeof(plan->error),
			 "initialization failed: out of memory planning TDMRs.");
	}
	if (ret == -EAGAIN)   /* the last attempt's overflow message stands */
		ret = -ENOSPC;
	if (ret)
		tdmr_plan_free_pamts(plan, pages);
	else if (k.max_tdmrs - plan->n_tdmrs < TDMR_NR_WARN)
		snprintf(plan->warning, sizeof(plan->warning),
			 "consumed TDMRs reaching limit: %u used out of %u",
			 plan->n_tdmrs, lim->max_tdmrs);
	free(k.tdx.v);
	free(k.seen.v);
	free(k.model.v);
	return ret;
}
