/* SPDX-License-Identifier: MIT */
/*
 * The planning steps both policies share: the TDX memory list, PAMT
 * sizing and allocation, and the reserved areas (linux §3.6–3.8).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "page_alloc.h"
#include "tdmr_plan_internal.h"

static const char *const policy_names[] = { "linux", "compact" };

const char *tdmr_policy_name(enum tdmr_policy p)
{
	return (unsigned)p < 2 ? policy_names[p] : "?";
}

bool tdmr_policy_parse(const char *name, enum tdmr_policy *out)
{
	for (unsigned i = 0; i < 2; i++)
		if (!strcmp(name, policy_names[i])) {
			*out = (enum tdmr_policy)i;
			return true;
		}
	return false;
}

void tdx_memlist_from_config(const struct tdxsim_platform_config *c,
			     struct tdx_memlist *out)
{
	out->n = 0;
	for (size_t i = 0; i < c->n_memmap; i++) {
		const struct tdxsim_mem_range *r = &c->memmap[i];
		uint64_t s = r->base < MiB ? MiB : r->base, e = r->base + r->size;

		/* memblock counts whole pages: start_pfn up, end_pfn down. */
		s = ALIGN_UP(s, 4096);
		e = ALIGN_DOWN(e, 4096);
		if (r->type != TDXSIM_MEM_RAM || e <= s)
			continue;
		/* memblock_add() merges a range with a touching one of its
		 * node, so the kernel sees one block (and, widened to 1 GiB,
		 * one TDMR) where the map has two entries: held against the
		 * kernel's own code (docs/linux.md). */
		if (out->n && out->b[out->n - 1].end == s && out->b[out->n - 1].node == r->node)
			out->b[out->n - 1].end = e;
		else
			out->b[out->n++] = (struct tdx_memblock){ s, e, r->node };
	}
}

bool tdx_memlist_contains(const struct tdx_memlist *l, uint64_t start,
			  uint64_t end)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->b[i].start <= start && end <= l->b[i].end)
			return true;
	return false;
}

void tdmr_limits_default(struct tdmr_limits *l)
{
	l->max_tdmrs = TDX_MAX_TDMRS;
	l->max_rsvd = TDX_MAX_RESERVED_AREAS;
	for (unsigned i = 0; i < 3; i++)
		l->pamt_entry_size[i] = TDX_PAMT_ENTRY_SIZE;
}

uint64_t tdmr_pamt_size(uint64_t tdmr_size, unsigned level,
			const struct tdmr_limits *lim)
{
	return ALIGN_UP((tdmr_size >> (12 + 9 * level)) * lim->pamt_entry_size[level],
			4096);
}

int plan_add_tdmr(struct tdmr_plan *plan, const struct tdmr_limits *lim,
		  uint64_t base, uint64_t end)
{
	struct host_tdmr *t;

	if (plan->n_tdmrs >= lim->max_tdmrs || plan->n_tdmrs >= HOST_MAX_TDMRS) {
		snprintf(plan->error, sizeof(plan->error),
			 "initialization failed: TDMRs exhausted.");
		return -ENOSPC;
	}
	t = &plan->tdmr[plan->n_tdmrs++];
	memset(t, 0, sizeof(*t));
	t->info.tdmr_base = base;
	t->info.tdmr_size = end - base;
	return 0;
}

unsigned plan_pamt_node(const struct tdx_memlist *list, uint64_t base,
			struct tdmr_plan *plan)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->b[i].end > base)
			return list->b[i].node;
	snprintf(plan->warning, sizeof(plan->warning),
		 "TDMR [0x%llx, 0x%llx): unable to find local NUMA node for PAMT allocation, fallback to use node 0.",
		 (unsigned long long)base, (unsigned long long)base);
	return 0;
}

static int alloc_one_pamt(struct host_tdmr *t, const struct tdmr_limits *lim,
			  struct page_alloc *pages, unsigned node)
{
	struct tdmr_info_entry *e = &t->info;
	uint64_t s4 = tdmr_pamt_size(e->tdmr_size, TDX_PS_4K, lim);
	uint64_t s2 = tdmr_pamt_size(e->tdmr_size, TDX_PS_2M, lim);
	uint64_t s1 = tdmr_pamt_size(e->tdmr_size, TDX_PS_1G, lim);
	uint64_t pa;

	if (!page_alloc_contig_any(pages, node, s4 + s2 + s1, 4096, false, &pa, &node))
		return -ENOMEM;
	t->pamt_node = node;
	e->pamt_4k_base = pa;
	e->pamt_4k_size = s4;
	e->pamt_2m_base = pa + s4;
	e->pamt_2m_size = s2;
	e->pamt_1g_base = pa + s4 + s2;
	e->pamt_1g_size = s1;
	return 0;
}

int plan_alloc_pamt(const struct tdmr_limits *lim, struct page_alloc *pages,
		    struct tdmr_plan *plan, unsigned i, unsigned node)
{
	struct host_tdmr *t = &plan->tdmr[i];

	plan->pamts_allocated = true;
	if (alloc_one_pamt(t, lim, pages, node)) {
		snprintf(plan->error, sizeof(plan->error),
			 "TDMR [0x%llx, 0x%llx): no %llu KB of contiguous memory for its PAMT",
			 (unsigned long long)t->info.tdmr_base,
			 (unsigned long long)(t->info.tdmr_base + t->info.tdmr_size),
			 (unsigned long long)(tdmr_pamt_size(t->info.tdmr_size, 0, lim) >> 10));
		return -ENOMEM;
	}
	plan->pamt_bytes += t->info.pamt_4k_size + t->info.pamt_2m_size +
			    t->info.pamt_1g_size;
	return 0;
}

int plan_alloc_pamts(const struct tdx_memlist *list,
		     const struct tdmr_limits *lim, struct page_alloc *pages,
		     struct tdmr_plan *plan)
{
	plan->pamt_bytes = 0;
	plan->pamts_allocated = true;
	for (unsigned i = 0; i < plan->n_tdmrs; i++) {
		unsigned node = plan_pamt_node(list, plan->tdmr[i].info.tdmr_base, plan);

		if (plan_alloc_pamt(lim, pages, plan, i, node)) {
			plan->n_tdmrs = i;   /* only these hold a PAMT */
			return -ENOMEM;
		}
	}
	return 0;
}

void tdmr_plan_free_pamts(struct tdmr_plan *plan, struct page_alloc *pages)
{
	if (!plan->pamts_allocated)
		return;
	for (unsigned i = 0; i < plan->n_tdmrs; i++) {
		const struct tdmr_info_entry *e = &plan->tdmr[i].info;

		if (e->pamt_4k_size)
			page_alloc_free(pages, e->pamt_4k_base, e->pamt_4k_size +
					e->pamt_2m_size + e->pamt_1g_size);
	}
	plan->pamts_allocated = false;
}

static int add_rsvd(struct tdmr_plan *plan, const struct tdmr_limits *lim,
		    unsigned i, uint64_t s, uint64_t e)
{
	struct host_tdmr *t = &plan->tdmr[i];
	uint64_t base = t->info.tdmr_base, end = base + t->info.tdmr_size;

	if (s < base)
		s = base;
	if (e > end)
		e = end;
	if (s >= e)
		return 0;
	if (t->n_rsvd >= lim->max_rsvd || t->n_rsvd >= TDX_MAX_RESERVED_AREAS) {
		snprintf(plan->error, sizeof(plan->error),
			 "initialization failed: TDMR [0x%llx, 0x%llx): reserved areas exhausted.",
			 (unsigned long long)base, (unsigned long long)end);
		return -ENOSPC;
	}
	t->info.rsvd_areas[t->n_rsvd++] = (struct tdmr_reserved_area){ s - base, e - s };
	return 0;
}

static void sort_rsvd(struct host_tdmr *t)
{
	struct tdmr_reserved_area *r = t->info.rsvd_areas;

	for (unsigned i = 1; i < t->n_rsvd; i++)
		for (unsigned j = i; j && r[j - 1].offset > r[j].offset; j--) {
			struct tdmr_reserved_area x = r[j];

			r[j] = r[j - 1];
			r[j - 1] = x;
		}
}

int plan_fill_rsvd(const struct tdx_memlist *list,
		   const struct tdmr_limits *lim, struct tdmr_plan *plan)
{
	for (unsigned i = 0; i < plan->n_tdmrs; i++) {
		uint64_t prev = 0;
		int ret = 0;

		plan->tdmr[i].n_rsvd = 0;
		memset(plan->tdmr[i].info.rsvd_areas, 0,
		       sizeof(plan->tdmr[i].info.rsvd_areas));
		for (size_t k = 0; k < list->n && !ret; k++) {
			ret = add_rsvd(plan, lim, i, prev, list->b[k].start);
			prev = list->b[k].end;
		}
		if (!ret)
			ret = add_rsvd(plan, lim, i, prev, UINT64_MAX);
		for (unsigned k = 0; k < plan->n_tdmrs && !ret; k++) {
			const struct tdmr_info_entry *e = &plan->tdmr[k].info;

			ret = add_rsvd(plan, lim, i, e->pamt_4k_base,
				       e->pamt_1g_base + e->pamt_1g_size);
		}
		if (ret)
			return ret;
		sort_rsvd(&plan->tdmr[i]);
	}
	return 0;
}

int tdmr_plan_build(const struct tdx_memlist *list,
		    const struct tdmr_limits *lim, enum tdmr_policy policy,
		    struct page_alloc *pages, struct tdmr_plan *plan)
{
	int ret;

	memset(plan, 0, sizeof(*plan));
	plan->policy = policy;
	if (policy == TDMR_POLICY_COMPACT)
		return plan_build_compact(list, lim, pages, plan);
	ret = plan_fill_linux(list, lim, plan);
	if (!ret)
		ret = plan_alloc_pamts(list, lim, pages, plan);
	if (!ret)
		ret = plan_fill_rsvd(list, lim, plan);
	if (ret)
		tdmr_plan_free_pamts(plan, pages);
	return ret;
}

int tdmr_plan_for_config(const struct tdxsim_platform_config *cfg,
			 enum tdmr_policy policy, struct tdmr_plan *plan)
{
	struct tdx_memlist list;
	struct tdmr_limits lim;
	struct page_alloc *pages = page_alloc_create(cfg->packages);
	int ret = 0;

	if (!pages)
		return -ENOMEM;
	tdx_memlist_from_config(cfg, &list);
	for (size_t i = 0; i < list.n && !ret; i++)
		ret = page_alloc_add(pages, ALIGN_UP(list.b[i].start, 4096),
				     ALIGN_DOWN(list.b[i].end, 4096), list.b[i].node, true);
	tdmr_limits_default(&lim);
	if (!ret)
		ret = tdmr_plan_build(&list, &lim, policy, pages, plan);
	page_alloc_destroy(pages);
	return ret;
}
