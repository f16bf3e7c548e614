/* SPDX-License-Identifier: MIT */
#include "pamt.h"
#include "platform/platform_internal.h"

#define GiB (1ULL << 30)
#define CHUNK ((uint64_t)TDX_TDMR_4K_PAMT_INIT_COUNT << PAMT_4K_SHIFT)

int pamt_tdmr_of(const struct tdx_module *m, uint64_t pa)
{
	unsigned lo = 0, hi = m->num_of_tdmr_entries;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		const struct tdmr_entry *t = &m->tdmr[mid];

		if (pa < t->base)
			hi = mid;
		else if (pa - t->base >= t->size)
			lo = mid + 1;
		else
			return (int)mid;
	}
	return -1;
}

uint64_t pamt_get_block(const struct tdx_module *m, uint64_t pa, int *tdmr)
{
	int i = pamt_tdmr_of(m, pa);
	uint64_t ready;

	if (i < 0)
		return TDX_OPERAND_ADDR_RANGE_ERROR;
	ready = atomic_load(&((struct tdx_module *)m)->tdmr[i].last_initialized) &
		~(GiB - 1);
	if (pa >= ready)
		return TDX_OPERAND_ADDR_RANGE_ERROR;
	*tdmr = i;
	return TDX_SUCCESS;
}

static const unsigned level_shift[3] = { PAMT_4K_SHIFT, PAMT_2M_SHIFT, PAMT_1G_SHIFT };

uint64_t pamt_entry_pa(const struct tdmr_entry *t, unsigned level, uint64_t pa)
{
	return t->pamt_base[level] +
	       TDX_PAMT_ENTRY_SIZE * ((pa - t->base) >> level_shift[level]);
}

_Atomic uint64_t *pamt_entry_map(struct tdx_module *m, uint64_t entry_pa)
{
	uint64_t keyed = entry_pa | ((uint64_t)m->global_hkid << m->hkid_start_bit);
	uint8_t *page = platform_keyhole_write(m->plat, keyed);

	return page ? (_Atomic uint64_t *)(page + (entry_pa & 4095)) : NULL;
}

uint64_t pamt_entry_peek(struct tdx_module *m, uint64_t entry_pa)
{
	uint64_t keyed = entry_pa | ((uint64_t)m->global_hkid << m->hkid_start_bit);
	const uint8_t *page = platform_keyhole_read(m->plat, keyed);

	return page ? atomic_load((_Atomic uint64_t *)(page + (entry_pa & 4095))) : 0;
}

bool tdmr_page_reserved(const struct tdmr_entry *t, uint64_t pa)
{
	uint64_t off = pa - t->base;

	for (unsigned j = 0; j < t->n_rsvd; j++)
		if (off >= t->rsvd[j].offset && off - t->rsvd[j].offset < t->rsvd[j].size)
			return true;
	return false;
}

/*
 * Where the run of pages starting at pa that are all reserved, or all
 * not, ends (at most end). Interval arithmetic, not a page walk: a chunk
 * is 1024 pages and there are up to 16 areas.
 */
static uint64_t rsvd_run_end(const struct tdmr_entry *t, uint64_t pa,
			     uint64_t end, bool *rsvd)
{
	uint64_t off = pa - t->base, stop = end - t->base;

	*rsvd = false;
	for (unsigned j = 0; j < t->n_rsvd; j++) {
		uint64_t s = t->rsvd[j].offset, e = s + t->rsvd[j].size;

		if (!t->rsvd[j].size)
			continue;
		if (off >= s && off < e) {
			*rsvd = true;
			return t->base + (e < stop ? e : stop);
		}
		if (s > off && s < stop)
			stop = s;
	}
	return t->base + stop;
}

static void fill(struct tdx_module *m, uint64_t pa, uint64_t len, bool rsvd)
{
	static const uint8_t nda[16];
	static const uint8_t rsv[16] = { [2] = PT_RSVD };   /* pt: bits 23:16 */
	uint64_t keyed = pa | ((uint64_t)m->global_hkid << m->hkid_start_bit);

	platform_fill_pattern(m->plat, keyed, len, rsvd ? rsv : nda);
}

/* 1024 4K entries (RSVD inside reserved areas, else NDA), the two 2M
 * entries above them, and the 1G entry when this chunk ends a block. */
void pamt_init_chunk(struct tdx_module *m, struct tdmr_entry *t)
{
	uint64_t start = atomic_load(&t->last_initialized), end = start + CHUNK;
	uint64_t pa = start;

	while (pa < end) {
		bool rsvd;
		uint64_t run = rsvd_run_end(t, pa, end, &rsvd);

		fill(m, pamt_entry_pa(t, TDX_PS_4K, pa),
		     TDX_PAMT_ENTRY_SIZE * ((run - pa) >> PAMT_4K_SHIFT), rsvd);
		pa = run;
	}
	fill(m, pamt_entry_pa(t, TDX_PS_2M, start),
	     TDX_PAMT_ENTRY_SIZE * (CHUNK >> PAMT_2M_SHIFT), false);
	if (!(end & (GiB - 1)))   /* TDMRs are 1 GiB aligned */
		fill(m, pamt_entry_pa(t, TDX_PS_1G, end - 1), TDX_PAMT_ENTRY_SIZE, false);
	atomic_store(&t->last_initialized, end);
}
