/* SPDX-License-Identifier: MIT */
/*
 * TDMRs as Linux builds them (linux §3.6–3.8): the TDX memory list is the
 * RAM of the memory map minus the first 1 MiB; each region is widened to
 * 1 GiB and starts a new TDMR unless the previous one covers it. Each
 * TDMR's PAMT (4K table, then 2M, then 1G) is one block taken from the
 * top of RAM on the TDMR's node; holes and PAMTs become reserved areas,
 * sorted by offset.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bringup.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))

struct tmb { uint64_t start, end; unsigned node; };

static size_t tdx_memory(const struct tdxsim_platform_config *c, struct tmb *out)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n_memmap; i++) {
		const struct tdxsim_mem_range *r = &c->memmap[i];
		uint64_t s = r->base < MiB ? MiB : r->base, e = r->base + r->size;

		if (r->type == TDXSIM_MEM_RAM && e > s)
			out[n++] = (struct tmb){ s, e, r->node };
	}
	return n;
}

static int fill_tdmrs(const struct tmb *t, size_t n, struct host_bringup *b)
{
	b->n_tdmrs = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t s = ALIGN_DOWN(t[i].start, GiB), e = ALIGN_UP(t[i].end, GiB);
		struct tdmr_info_entry *cur = b->n_tdmrs ? &b->tdmr[b->n_tdmrs - 1].info : NULL;

		if (cur && cur->tdmr_base + cur->tdmr_size >= e)
			continue;
		if (cur && cur->tdmr_base + cur->tdmr_size > s)
			s = cur->tdmr_base + cur->tdmr_size;
		if (b->n_tdmrs == HOST_MAX_TDMRS) {
			snprintf(b->error, sizeof(b->error), "initialization failed: TDMRs exhausted.");
			return -ENOSPC;
		}
		memset(&b->tdmr[b->n_tdmrs], 0, sizeof(b->tdmr[0]));
		b->tdmr[b->n_tdmrs].info.tdmr_base = s;
		b->tdmr[b->n_tdmrs++].info.tdmr_size = e - s;
	}
	return 0;
}

/* PAMT blocks are carved from the top of each node's highest RAM region. */
static int place_pamts(struct tmb *t, size_t n, struct host_bringup *b)
{
	b->pamt_bytes = 0;
	for (unsigned i = 0; i < b->n_tdmrs; i++) {
		struct tdmr_info_entry *e = &b->tdmr[i].info;
		uint64_t s4 = ALIGN_UP((e->tdmr_size >> 12) * 16, 4096);
		uint64_t s2 = ALIGN_UP((e->tdmr_size >> 21) * 16, 4096);
		uint64_t s1 = ALIGN_UP((e->tdmr_size >> 30) * 16, 4096);
		unsigned node = 0;
		struct tmb *home = NULL;

		for (size_t k = 0; k < n; k++)
			if (t[k].end > e->tdmr_base) { node = t[k].node; break; }
		for (size_t k = 0; k < n; k++)
			if (t[k].node == node && t[k].end - t[k].start >= s4 + s2 + s1 &&
			    (!home || t[k].end > home->end))
				home = &t[k];
		if (!home) {
			snprintf(b->error, sizeof(b->error), "no RAM on node %u for a PAMT of %llu KB",
				 node, (unsigned long long)((s4 + s2 + s1) >> 10));
			return -ENOMEM;
		}
		home->end -= s4 + s2 + s1;
		e->pamt_4k_base = home->end;
		e->pamt_4k_size = s4;
		e->pamt_2m_base = home->end + s4;
		e->pamt_2m_size = s2;
		e->pamt_1g_base = home->end + s4 + s2;
		e->pamt_1g_size = s1;
		b->pamt_bytes += s4 + s2 + s1;
	}
	return 0;
}

static int add_rsvd(struct host_bringup *b, unsigned i, uint64_t s, uint64_t e)
{
	struct host_tdmr *t = &b->tdmr[i];
	uint64_t base = t->info.tdmr_base, end = base + t->info.tdmr_size;

	if (s < base)
		s = base;
	if (e > end)
		e = end;
	if (s >= e)
		return 0;
	if (t->n_rsvd == TDX_MAX_RESERVED_AREAS) {
		snprintf(b->error, sizeof(b->error),
			 "initialization failed: TDMR [0x%llx, 0x%llx): reserved areas exhausted.",
			 (unsigned long long)base, (unsigned long long)end);
		return -ENOSPC;
	}
	t->info.rsvd_areas[t->n_rsvd++] = (struct tdmr_reserved_area){ s - base, e - s };
	return 0;
}

static void sort_rsvd(struct host_tdmr *t)
{
	for (unsigned i = 1; i < t->n_rsvd; i++)
		for (unsigned j = i; j && t->info.rsvd_areas[j - 1].offset >
					t->info.rsvd_areas[j].offset; j--) {
			struct tdmr_reserved_area x = t->info.rsvd_areas[j];

			t->info.rsvd_areas[j] = t->info.rsvd_areas[j - 1];
			t->info.rsvd_areas[j - 1] = x;
		}
}

static int fill_rsvd(const struct tmb *t, size_t n, struct host_bringup *b)
{
	for (unsigned i = 0; i < b->n_tdmrs; i++) {
		uint64_t prev = 0;
		int ret = 0;

		for (size_t k = 0; k < n && !ret; k++) {
			ret = add_rsvd(b, i, prev, t[k].start);
			prev = t[k].end;
		}
		if (!ret)
			ret = add_rsvd(b, i, prev, UINT64_MAX);
		for (unsigned k = 0; k < b->n_tdmrs && !ret; k++) {
			const struct tdmr_info_entry *e = &b->tdmr[k].info;

			ret = add_rsvd(b, i, e->pamt_4k_base, e->pamt_1g_base + e->pamt_1g_size);
		}
		if (ret)
			return ret;
		sort_rsvd(&b->tdmr[i]);
	}
	return 0;
}

int host_plan_tdmrs(const struct tdxsim_platform_config *cfg, struct host_bringup *b)
{
	struct tmb tmbs[TDXSIM_MAX_MEMMAP], orig[TDXSIM_MAX_MEMMAP];
	size_t n = tdx_memory(cfg, tmbs);
	int ret;

	memcpy(orig, tmbs, sizeof(tmbs[0]) * n);
	ret = fill_tdmrs(tmbs, n, b);
	if (!ret)
		ret = place_pamts(tmbs, n, b);
	if (!ret)
		ret = fill_rsvd(orig, n, b);
	return ret;
}
