/* SPDX-License-Identifier: MIT */
#include "random_map.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define PG 4096ULL

uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return n ? rng_next(s) % n : 0;
}

/* A span of pages: small (up to 64 MiB), medium (up to 4 GiB) or large
 * (up to 128 GiB), sometimes a whole number of GiB. */
static uint64_t rnd_size(uint64_t *s)
{
	static const uint64_t cap[] = { 64 * MiB, 4 * GiB, 128 * GiB };
	uint64_t v = PG * (1 + rng_below(s, cap[rng_below(s, 3)] / PG));

	return rng_below(s, 4) ? v : (v + GiB - 1) & ~(GiB - 1);
}

/* A gap: none (a node change), a few pages, a few MiB, or whole GiBs. */
static uint64_t rnd_gap(uint64_t *s)
{
	switch (rng_below(s, 5)) {
	case 0:
		return 0;
	case 1:
		return PG * (1 + rng_below(s, 64));
	case 2:
		return PG * (1 + rng_below(s, 256 * MiB / PG));
	case 3:
		return GiB * (1 + rng_below(s, 32));
	default:
		return rnd_size(s);
	}
}

void random_map(uint64_t *s, struct tdx_memlist *l, uint64_t max_gib)
{
	unsigned n = rng_below(s, 2) ? 1 + rng_below(s, 60) : 1 + rng_below(s, 200);
	unsigned nodes = 1 + rng_below(s, 4);
	uint64_t limit = GiB * (1 + rng_below(s, max_gib)), pos = MiB + PG * rng_below(s, 1024);

	l->n = 0;
	for (unsigned i = 0; i < n && pos < limit && l->n < TDXSIM_MAX_MEMMAP; i++) {
		uint64_t e = pos + rnd_size(s);

		if (e > limit)
			e = limit;
		/* Nodes mostly in address order, as on real machines. */
		l->b[l->n++] = (struct tdx_memblock){ pos, e, rng_below(s, 8) ? (unsigned)(pos * nodes / limit)
						     : (unsigned)rng_below(s, nodes) };
		pos = e + rnd_gap(s);
	}
	if (!l->n)
		l->b[l->n++] = (struct tdx_memblock){ MiB, 2 * MiB, 0 };
}

