/* SPDX-License-Identifier: MIT */
/*
 * The module's keyholes: a pointer to the 4 KiB frame behind a physical
 * address with a KeyID. Every module leaf maps its TDR, TDCS, PAMT entries
 * and S-EPT pages this way, many times per SEAMCALL, so each LP keeps a
 * small two-way cache of private frames (the module keeps a per-LP
 * keyhole cache for the same reason). Absent and shared pattern frames are
 * never cached: a write would replace them.
 *
 * A TD build makes about ten lookups per SEAMCALL, nearly all hits, so the
 * hit path is kept small enough to inline and the rest lives out of line.
 */
#include <string.h>

#include "platform_internal.h"

static const uint8_t zero_frame[4096];

static struct keyhole_cache *cache_of(struct platform *p)
{
	struct lp *lp = platform_this_lp();
	struct keyhole_cache *kc;
	uint64_t gen;

	if (__builtin_expect(!lp || lp->plat != p, 0))
		return NULL;
	kc = &lp->keyholes;
	gen = physmem_generation(p->mem);
	if (__builtin_expect(kc->gen != gen, 0)) {
		for (unsigned i = 0; i < KEYHOLE_CACHE_SIZE; i++)
			kc->slot[i].key = 0;
		kc->gen = gen;
	}
	return kc;
}

/* The set's first way; the second follows it. */
static struct keyhole_slot *set_for(struct keyhole_cache *kc, uint64_t key)
{
	return &kc->slot[keyhole_set_of(key) * KEYHOLE_WAYS];
}

/* The slot holding key, NULL on a miss. A hit leaves the set as it is
 * (two hot pages sharing a set would otherwise swap on every call); a
 * fill goes to the first way and pushes the older one to the second. */
static struct keyhole_slot *lookup(struct keyhole_cache *kc, uint64_t key)
{
	struct keyhole_slot *s = set_for(kc, key);

	if (__builtin_expect(s[0].key == key, 1))
		return s;
	return s[1].key == key ? &s[1] : NULL;
}

static void remember(struct keyhole_cache *kc, uint64_t key, struct frame *f,
		     bool private)
{
	struct keyhole_slot *s;

	if (!kc || !f || f->shared)
		return;
	s = set_for(kc, key);
	s[1] = s[0];
	s[0] = (struct keyhole_slot){ key, f, private };
}

static void own_lines(struct frame *f)
{
	if (atomic_load_explicit(&f->td_bits, memory_order_relaxed) != ~0ULL)
		platform_mark_lines(f, ~0ULL, true);
}

/* What a miss found: the frame (NULL when absent for a read), whether
 * its KeyID is private and whether the frame was absent (so all zeros
 * now); ok is false outside the machine. Returned in registers, so the
 * hit paths keep their locals out of memory. */
struct fill {
	struct frame *f;
	bool private, ok, made;
};

/* The frame behind key, made when writing, remembered if private. */
static __attribute__((noinline)) struct fill
miss(struct platform *p, struct keyhole_cache *kc, uint64_t key, bool write)
{
	struct fill r = { 0 };
	uint64_t addr;

	if (kc)
		kc->misses++;
	if (!platform_mem_decode(p, key & ~4095ULL, 4096, &addr, &r.private))
		return r;
	r.f = physmem_peek(p->mem, addr);
	r.made = !r.f;
	if (write && (!r.f || r.f->shared))
		r.f = physmem_touch(p->mem, addr);
	r.ok = true;
	remember(kc, key, r.f, r.private);
	return r;
}

/* The cached slot for pa, counted as a hit; NULL sends the caller to
 * miss() with *kc and *key set. */
static struct keyhole_slot *hit(struct platform *p, uint64_t pa,
				struct keyhole_cache **kc, uint64_t *key)
{
	struct keyhole_slot *s;

	*kc = cache_of(p);
	*key = (pa & ~4095ULL) | 1;
	if (__builtin_expect(!*kc, 0))
		return NULL;
	s = lookup(*kc, *key);
	if (__builtin_expect(s != NULL, 1))
		(*kc)->hits++;
	return s;
}

/* The frame behind pa for writing, its lines owned when the KeyID is
 * private; inlined so the hit path stays free of calls. */
static inline __attribute__((always_inline)) struct fill
writable(struct platform *p, uint64_t pa)
{
	struct keyhole_cache *kc;
	uint64_t key;
	struct keyhole_slot *s = hit(p, pa, &kc, &key);
	struct fill r;

	if (__builtin_expect(s != NULL, 1))
		r = (struct fill){ s->frame, s->private, true, false };
	else if (!(r = miss(p, kc, key, true)).ok)
		return r;
	if (r.private)
		own_lines(r.f);
	return r;
}

uint8_t *platform_keyhole_write(struct platform *p, uint64_t pa)
{
	struct fill r = writable(p, pa);

	return r.ok ? r.f->data : NULL;
}

/* A frame the miss made is zero already, so ACCEPT's MOVDIR64B over a
 * page nobody wrote since its frame was freed does not clear 4 KiB twice. */
uint8_t *platform_keyhole_zero(struct platform *p, uint64_t pa)
{
	struct fill r = writable(p, pa);

	if (!r.ok)
		return NULL;
	if (!r.made)
		memset(r.f->data, 0, 4096);
	return r.f->data;
}

const uint8_t *platform_keyhole_read(struct platform *p, uint64_t pa)
{
	struct keyhole_cache *kc;
	uint64_t key;
	struct keyhole_slot *s = hit(p, pa, &kc, &key);
	struct fill r;

	if (__builtin_expect(s != NULL, 1))
		return s->frame->data;
	r = miss(p, kc, key, false);
	if (!r.ok)
		return NULL;
	return r.f ? r.f->data : zero_frame;
}
