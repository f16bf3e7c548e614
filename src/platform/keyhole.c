/* SPDX-License-Identifier: MIT */
/*
 * The module's keyholes: a pointer to the 4 KiB frame behind a physical
 * address with a KeyID. Every module leaf maps its TDR, TDCS, PAMT entries
 * and S-EPT pages this way, many times per SEAMCALL, so each LP keeps a
 * small direct-mapped cache of private frames (the module keeps a per-LP
 * keyhole cache for the same reason). Absent and shared pattern frames are
 * never cached: a write would replace them.
 */
#include "platform_internal.h"

static const uint8_t zero_frame[4096];

static struct keyhole_cache *cache_of(struct platform *p)
{
	struct lp *lp = platform_this_lp();
	struct keyhole_cache *kc;
	uint64_t gen;

	if (!lp || lp->plat != p)
		return NULL;
	kc = &lp->keyholes;
	gen = physmem_generation(p->mem);
	if (kc->gen != gen) {
		for (unsigned i = 0; i < KEYHOLE_CACHE_SIZE; i++)
			kc->slot[i].key = 0;
		kc->gen = gen;
	}
	return kc;
}

static struct keyhole_slot *slot_for(struct keyhole_cache *kc, uint64_t key)
{
	/* Fibonacci hashing: page tables and PAMT arrays sit at strides that
	 * would collide in the low PFN bits. */
	return &kc->slot[((key >> 12) * 0x9E3779B97F4A7C15ULL) >> (64 - KEYHOLE_CACHE_BITS)];
}

static struct frame *cached(struct keyhole_cache *kc, uint64_t key, bool *private)
{
	struct keyhole_slot *s;

	if (!kc)
		return NULL;
	s = slot_for(kc, key);
	if (s->key != key) {
		kc->misses++;
		return NULL;
	}
	kc->hits++;
	*private = s->private;
	return s->frame;
}

static void remember(struct keyhole_cache *kc, uint64_t key, struct frame *f,
		     bool private)
{
	if (kc && f && !f->shared)
		*slot_for(kc, key) = (struct keyhole_slot){ key, f, private };
}

uint8_t *platform_keyhole_write(struct platform *p, uint64_t pa)
{
	struct keyhole_cache *kc = cache_of(p);
	uint64_t key = (pa & ~4095ULL) | 1, addr;
	bool private;
	struct frame *f = cached(kc, key, &private);

	if (!f) {
		if (!platform_mem_decode(p, pa & ~4095ULL, 4096, &addr, &private))
			return NULL;
		f = physmem_touch(p->mem, addr);
		remember(kc, key, f, private);
	}
	if (private && atomic_load_explicit(&f->td_bits, memory_order_relaxed) != ~0ULL)
		platform_mark_lines(f, ~0ULL, true);
	return f->data;
}

const uint8_t *platform_keyhole_read(struct platform *p, uint64_t pa)
{
	struct keyhole_cache *kc = cache_of(p);
	uint64_t key = (pa & ~4095ULL) | 1, addr;
	bool private;
	struct frame *f = cached(kc, key, &private);

	if (f)
		return f->data;
	if (!platform_mem_decode(p, pa & ~4095ULL, 4096, &addr, &private))
		return NULL;
	f = physmem_peek(p->mem, addr);
	remember(kc, key, f, private);
	return f ? f->data : zero_frame;
}
