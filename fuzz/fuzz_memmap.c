/* SPDX-License-Identifier: MIT */
/*
 * `tdxsim plan`'s memory-map parsers (src/host/memmap_parse.h) in one
 * format, FUZZ_MEMMAP_FORMAT (MEMMAP_IOMEM, _E820, _CMR or _AUTO). A map
 * that parses is planned with both TDMR policies, as `plan` does, and a
 * plan that succeeds must be one TDH.SYS.CONFIG would take: TDMRs 1 GiB
 * aligned, ascending and disjoint, covering all TDX memory; PAMTs big
 * enough, in RAM and disjoint; reserved areas well formed and covering
 * every hole and PAMT inside a TDMR.
 */
#include <string.h>

#include "fuzz.h"
#include "host/memmap_parse.h"
#include "host/tdmr_plan.h"

#ifndef FUZZ_MEMMAP_FORMAT
#define FUZZ_MEMMAP_FORMAT MEMMAP_AUTO
#endif

#define GIB (1ULL << 30)

static const char *policy;

static void bad(const struct tdmr_plan *p, unsigned i, const char *what)
{
	fprintf(stderr, "fuzz_memmap: %s plan, TDMR %u of %u: %s\n", policy, i, p->n_tdmrs, what);
	abort();
}

static uint64_t pamt_end(const struct tdmr_info_entry *e)
{
	return e->pamt_1g_base + e->pamt_1g_size;
}

/* Whether the areas of TDMR t reserve [s, e) (both clipped to it). */
static bool reserved(const struct host_tdmr *t, uint64_t s, uint64_t e)
{
	uint64_t base = t->info.tdmr_base, end = base + t->info.tdmr_size;

	s = s < base ? base : s;
	e = e > end ? end : e;
	for (unsigned j = 0; j < t->n_rsvd && s < e; j++) {
		const struct tdmr_reserved_area *r = &t->info.rsvd_areas[j];

		if (base + r->offset <= s && base + r->offset + r->size > s)
			s = base + r->offset + r->size;
	}
	return s >= e;
}

static bool in_ram(const struct tdx_memlist *l, uint64_t s, uint64_t e)
{
	for (size_t k = 0; k < l->n && s < e; k++)
		if (l->b[k].start <= s && l->b[k].end > s)
			s = l->b[k].end;
	return s >= e;
}

static void check_plan(const struct tdxsim_platform_config *cfg, const struct tdmr_plan *p)
{
	struct tdx_memlist l;
	struct tdmr_limits lim;
	uint64_t prev = 0, pamt = 0;

	tdx_memlist_from_config(cfg, &l);
	tdmr_limits_default(&lim);
	if (p->n_tdmrs > lim.max_tdmrs)
		bad(p, 0, "too many TDMRs");
	for (unsigned i = 0; i < p->n_tdmrs; i++) {
		const struct host_tdmr *t = &p->tdmr[i];
		const struct tdmr_info_entry *e = &t->info;
		uint64_t hole = 0, rprev = 0;

		if (!e->tdmr_size || ((e->tdmr_base | e->tdmr_size) & (GIB - 1)))
			bad(p, i, "empty or not 1 GiB aligned");
		if (e->tdmr_base < prev || e->tdmr_base + e->tdmr_size < e->tdmr_base)
			bad(p, i, "not above the previous TDMR");
		prev = e->tdmr_base + e->tdmr_size;
		if (e->pamt_4k_size < tdmr_pamt_size(e->tdmr_size, TDX_PS_4K, &lim) ||
		    e->pamt_2m_size < tdmr_pamt_size(e->tdmr_size, TDX_PS_2M, &lim) ||
		    e->pamt_1g_size < tdmr_pamt_size(e->tdmr_size, TDX_PS_1G, &lim))
			bad(p, i, "PAMT too small");
		if ((e->pamt_4k_base & 0xFFF) || e->pamt_2m_base != e->pamt_4k_base + e->pamt_4k_size ||
		    e->pamt_1g_base != e->pamt_2m_base + e->pamt_2m_size)
			bad(p, i, "PAMT tables not aligned and back to back");
		if (!in_ram(&l, e->pamt_4k_base, pamt_end(e)))
			bad(p, i, "PAMT not in TDX memory");
		for (unsigned k = 0; k < i; k++)
			if (!(pamt_end(&p->tdmr[k].info) <= e->pamt_4k_base ||
			      pamt_end(e) <= p->tdmr[k].info.pamt_4k_base))
				bad(p, i, "PAMT overlaps an earlier TDMR's");
		pamt += pamt_end(e) - e->pamt_4k_base;
		if (t->n_rsvd > lim.max_rsvd)
			bad(p, i, "too many reserved areas");
		for (unsigned j = 0; j < TDX_MAX_RESERVED_AREAS; j++) {
			const struct tdmr_reserved_area *r = &e->rsvd_areas[j];

			if (j >= t->n_rsvd) {
				if (r->offset || r->size)
					bad(p, i, "a reserved area after the last");
				continue;
			}
			if (!r->size || ((r->offset | r->size) & 0xFFF) || r->offset < rprev ||
			    r->offset + r->size > e->tdmr_size || r->offset + r->size < r->offset)
				bad(p, i, "reserved area empty, unaligned, unsorted or outside");
			rprev = r->offset + r->size;
		}
		for (size_t k = 0; k <= l.n; k++) {
			uint64_t end = k < l.n ? l.b[k].start : UINT64_MAX;

			if (hole < end && !reserved(t, hole, end))
				bad(p, i, "a hole in the TDMR is not reserved");
			if (k < l.n)
				hole = l.b[k].end;
		}
		for (unsigned k = 0; k < p->n_tdmrs; k++)
			if (!reserved(t, p->tdmr[k].info.pamt_4k_base, pamt_end(&p->tdmr[k].info)))
				bad(p, i, "a PAMT in the TDMR is not reserved");
	}
	if (pamt != p->pamt_bytes)
		bad(p, 0, "PAMT bytes do not add up");
	for (size_t k = 0; k < l.n; k++) {
		uint64_t pos = l.b[k].start;

		for (unsigned i = 0; i < p->n_tdmrs && pos < l.b[k].end; i++) {
			const struct tdmr_info_entry *e = &p->tdmr[i].info;

			if (e->tdmr_base <= pos && e->tdmr_base + e->tdmr_size > pos)
				pos = e->tdmr_base + e->tdmr_size;
		}
		if (pos < l.b[k].end)
			bad(p, 0, "TDX memory in no TDMR");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tdxsim_platform_config cfg;
	static struct tdmr_plan plan;
	enum memmap_format fmt;
	char err[512];

	memset(err, 0x55, sizeof(err));
	if (memmap_parse_text((const char *)data, size, "fuzz", FUZZ_MEMMAP_FORMAT, &cfg, &fmt,
			      err, sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)) || !err[0])
			abort();   /* a refusal always says why */
		return 0;
	}
	for (int pol = 0; pol < 2; pol++) {
		memset(&plan, 0, sizeof(plan));
		policy = pol ? "compact" : "linux";
		if (tdmr_plan_for_config(&cfg, (enum tdmr_policy)pol, &plan) == 0)
			check_plan(&cfg, &plan);
	}
	return 0;
}
