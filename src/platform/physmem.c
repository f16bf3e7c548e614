/* SPDX-License-Identifier: MIT */
#include "physmem.h"

#include <stdlib.h>
#include <string.h>

/* PFN radix split: 14 + 13 + 13 bits covers a 52-bit physical space. */
#define L1_BITS 14
#define L2_BITS 13
#define L3_BITS 13
#define L1_SIZE (1u << L1_BITS)
#define L2_SIZE (1u << L2_BITS)
#define L3_SIZE (1u << L3_BITS)

/* A shared leaf table (one per pattern frame) has every slot pointing at
 * that frame: a whole 32 MiB of uniformly initialised PAMT costs one
 * pointer. Writers copy it first. */
struct leaf_table {
	_Atomic(struct frame *) slot[L3_SIZE];
	bool shared;
};

struct mid_table {
	_Atomic(struct leaf_table *) slot[L2_SIZE];
};

struct pattern_frame {
	struct pattern_frame *next;
	uint8_t pattern[16];
	bool td_owned;
	struct frame *frame;
	struct leaf_table *leaf;           /* every slot -> frame */
};

struct physmem {
	unsigned pa_bits;
	_Atomic uint64_t frames;
	_Atomic uint64_t generation;       /* bumped when a private frame is freed */
	_Atomic uint64_t tables_bytes;
	pthread_mutex_t pattern_lock;      /* adding to patterns */
	_Atomic(struct pattern_frame *) patterns;  /* immutable once listed */
	_Atomic(struct mid_table *) top[L1_SIZE];
};

struct physmem *physmem_create(unsigned pa_bits)
{
	struct physmem *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->pa_bits = pa_bits;
	pthread_mutex_init(&m->pattern_lock, NULL);
	return m;
}

/* A frame with its own 4096 bytes, uninitialised. */
static struct frame *frame_alloc(void)
{
	struct frame *f = malloc(PHYSMEM_FRAME_BYTES);

	if (!f)
		abort();  /* host out of memory: nothing sensible to simulate */
	f->data = f->own;
	f->shared = false;
	f->adopted = false;
	return f;
}

static void free_leaf(struct leaf_table *lt)
{
	if (lt->shared)
		return;
	for (unsigned i = 0; i < L3_SIZE; i++) {
		struct frame *f = atomic_load(&lt->slot[i]);

		if (f && !f->shared)
			free(f);
	}
	free(lt);
}

void physmem_destroy(struct physmem *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < L1_SIZE; i++) {
		struct mid_table *mt = atomic_load(&m->top[i]);

		if (!mt)
			continue;
		for (unsigned j = 0; j < L2_SIZE; j++) {
			struct leaf_table *lt = atomic_load(&mt->slot[j]);

			if (lt)
				free_leaf(lt);
		}
		free(mt);
	}
	while (atomic_load(&m->patterns)) {
		struct pattern_frame *pf = atomic_load(&m->patterns);

		atomic_store(&m->patterns, pf->next);
		free(pf->leaf);
		free(pf->frame);
		free(pf);
	}
	pthread_mutex_destroy(&m->pattern_lock);
	free(m);
}

bool physmem_in_range(const struct physmem *m, uint64_t pa, uint64_t len)
{
	uint64_t limit = 1ULL << m->pa_bits;

	return pa < limit && len <= limit - pa;
}

static void split(uint64_t pa, unsigned *i1, unsigned *i2, unsigned *i3)
{
	uint64_t pfn = pa >> 12;

	*i3 = pfn & (L3_SIZE - 1);
	*i2 = (pfn >> L3_BITS) & (L2_SIZE - 1);
	*i1 = (pfn >> (L3_BITS + L2_BITS)) & (L1_SIZE - 1);
}

enum slot_mode {
	SLOT_PEEK,       /* may point into a shared leaf; never allocates */
	SLOT_WRITE,      /* allocates tables; never a shared leaf */
	SLOT_WRITE_EXISTING, /* like WRITE but NULL where nothing exists */
};

static struct mid_table *mid_of(struct physmem *m, unsigned i1, bool create)
{
	struct mid_table *mt = atomic_load_explicit(&m->top[i1], memory_order_acquire);
	struct mid_table *fresh;

	if (mt || !create)
		return mt;
	if (!(fresh = calloc(1, sizeof(*fresh))))
		abort();  /* host out of memory: nothing sensible to simulate */
	if (atomic_compare_exchange_strong(&m->top[i1], &mt, fresh)) {
		atomic_fetch_add(&m->tables_bytes, sizeof(*fresh));
		return fresh;
	}
	free(fresh);
	return mt;
}

/* Swaps a shared or absent leaf for a private one; one racer wins. */
static struct leaf_table *private_leaf(struct physmem *m,
				       _Atomic(struct leaf_table *) *ms,
				       struct leaf_table *cur)
{
	struct leaf_table *fresh = malloc(sizeof(*fresh));

	if (!fresh)
		abort();
	if (cur)
		memcpy(fresh->slot, cur->slot, sizeof(fresh->slot));
	else
		memset(fresh->slot, 0, sizeof(fresh->slot));
	fresh->shared = false;
	if (atomic_compare_exchange_strong(ms, &cur, fresh)) {
		atomic_fetch_add(&m->tables_bytes, sizeof(*fresh));
		return fresh;
	}
	free(fresh);
	return cur && !cur->shared ? cur : private_leaf(m, ms, cur);
}

static struct leaf_table *leaf_of(struct physmem *m, uint64_t pa,
				  enum slot_mode mode)
{
	unsigned i1, i2, i3;
	struct mid_table *mt;
	struct leaf_table *lt;

	split(pa, &i1, &i2, &i3);
	mt = mid_of(m, i1, mode == SLOT_WRITE);
	if (!mt)
		return NULL;
	lt = atomic_load_explicit(&mt->slot[i2], memory_order_acquire);
	if (mode == SLOT_PEEK || (lt && !lt->shared) ||
	    (!lt && mode == SLOT_WRITE_EXISTING))
		return lt;
	return private_leaf(m, &mt->slot[i2], lt);
}

static _Atomic(struct frame *) *slot_of(const struct physmem *cm, uint64_t pa,
					enum slot_mode mode)
{
	struct leaf_table *lt = leaf_of((struct physmem *)cm, pa, mode);

	return lt ? &lt->slot[(pa >> 12) & (L3_SIZE - 1)] : NULL;
}

struct frame *physmem_peek(const struct physmem *m, uint64_t pa)
{
	_Atomic(struct frame *) *slot = slot_of(m, pa, SLOT_PEEK);

	return slot ? atomic_load_explicit(slot, memory_order_acquire) : NULL;
}

/* Replaces *slot (absent or shared) with a private copy; races resolve
 * to one winner and the losers use the winner's frame. */
static struct frame *privatise(struct physmem *m, _Atomic(struct frame *) *slot,
			       struct frame *cur)
{
	struct frame *f = frame_alloc();

	if (cur) {
		memcpy(f->data, cur->data, 4096);
		atomic_init(&f->td_bits, atomic_load(&cur->td_bits));
		atomic_init(&f->poison_bits, atomic_load(&cur->poison_bits));
	} else {
		memset(f->data, 0, 4096);
		atomic_init(&f->td_bits, 0);
		atomic_init(&f->poison_bits, 0);
	}
	if (atomic_compare_exchange_strong(slot, &cur, f)) {
		atomic_fetch_add(&m->frames, 1);
		return f;
	}
	free(f);
	return (cur && !cur->shared) ? cur : privatise(m, slot, cur);
}

struct frame *physmem_touch(struct physmem *m, uint64_t pa)
{
	_Atomic(struct frame *) *slot = slot_of(m, pa, SLOT_WRITE);
	struct frame *cur;

	if (!slot)
		abort();
	cur = atomic_load_explicit(slot, memory_order_acquire);
	if (cur && !cur->shared)
		return cur;
	return privatise(m, slot, cur);
}

/* The leaf in a mid slot, made private (copied if shared). */
static struct leaf_table *private_leaf_at(struct physmem *m,
					  _Atomic(struct leaf_table *) *ms)
{
	struct leaf_table *lt = atomic_load_explicit(ms, memory_order_acquire);

	return lt && !lt->shared ? lt : private_leaf(m, ms, lt);
}

static void share_if_uniform(struct physmem *m, _Atomic(struct leaf_table *) *ms,
			     struct leaf_table *lt, const struct pattern_frame *pf)
{
	for (unsigned k = 0; k < L3_SIZE; k++)
		if (atomic_load_explicit(&lt->slot[k], memory_order_relaxed) != pf->frame)
			return;
	if (atomic_compare_exchange_strong(ms, &lt, pf->leaf)) {
		atomic_fetch_sub(&m->tables_bytes, sizeof(*lt));
		free(lt);
	}
}

static struct pattern_frame *find_pattern(struct physmem *m, const uint8_t pat[16],
					  bool td_owned)
{
	struct pattern_frame *pf = atomic_load_explicit(&m->patterns, memory_order_acquire);

	while (pf && (pf->td_owned != td_owned || memcmp(pf->pattern, pat, 16)))
		pf = pf->next;
	return pf;
}

/* Lock-free lookup: PAMT init asks for the same two patterns a million
 * times; only a new pattern takes the lock. */
static struct pattern_frame *pattern_frame(struct physmem *m,
					   const uint8_t pat[16], bool td_owned)
{
	struct pattern_frame *pf = find_pattern(m, pat, td_owned);

	if (pf)
		return pf;
	pthread_mutex_lock(&m->pattern_lock);
	pf = find_pattern(m, pat, td_owned);
	if (!pf) {
		pf = calloc(1, sizeof(*pf));
		if (!pf || !(pf->leaf = calloc(1, sizeof(*pf->leaf))))
			abort();
		pf->frame = frame_alloc();
		atomic_init(&pf->frame->poison_bits, 0);
		memcpy(pf->pattern, pat, 16);
		pf->td_owned = td_owned;
		for (unsigned i = 0; i < 4096; i += 16)
			memcpy(pf->frame->data + i, pat, 16);
		atomic_init(&pf->frame->td_bits, td_owned ? ~0ULL : 0);
		pf->frame->shared = true;
		for (unsigned i = 0; i < L3_SIZE; i++)
			atomic_init(&pf->leaf->slot[i], pf->frame);
		pf->leaf->shared = true;
		pf->next = atomic_load(&m->patterns);
		atomic_store_explicit(&m->patterns, pf, memory_order_release);
	}
	pthread_mutex_unlock(&m->pattern_lock);
	return pf;
}

static void drop_frame(struct physmem *m, struct frame *old)
{
	if (old && !old->shared) {
		atomic_fetch_add_explicit(&m->generation, 1, memory_order_release);
		free(old);
		atomic_fetch_sub(&m->frames, 1);
	}
}

static void set_slot(struct physmem *m, uint64_t pa, struct frame *nf)
{
	_Atomic(struct frame *) *slot =
		slot_of(m, pa, nf ? SLOT_WRITE : SLOT_WRITE_EXISTING);

	if (slot)
		drop_frame(m, atomic_exchange(slot, nf));
}

/* Whether a private frame now holds nothing but the pattern, whole. */
static bool frame_is_pattern(const struct frame *f, const uint8_t pat[16],
			     bool td_owned)
{
	if (atomic_load(&f->td_bits) != (td_owned ? ~0ULL : 0) ||
	    atomic_load(&f->poison_bits))
		return false;
	for (unsigned i = 0; i < 4096; i += 16)
		if (memcmp(f->data + i, pat, 16))
			return false;
	return true;
}

static void write_partial(struct physmem *m, uint64_t pa, uint64_t len,
			  const uint8_t pat[16], bool td_owned)
{
	while (len) {
		struct frame *f = physmem_touch(m, pa);
		uint64_t off = pa & 4095, n = 4096 - off;

		if (n > len)
			n = len;
		for (uint64_t i = 0; i < n; i += 16)
			memcpy(f->data + off + i, pat, 16);
		for (uint64_t l = off / 64; l <= (off + n - 1) / 64; l++) {
			if (td_owned)
				atomic_fetch_or(&f->td_bits, 1ULL << l);
			else
				atomic_fetch_and(&f->td_bits, ~(1ULL << l));
			atomic_fetch_and(&f->poison_bits, ~(1ULL << l));
		}
		/* A table filled piece by piece (PAMT 2M entries, chunk by
		 * chunk) shares the pattern frame once its last piece lands. */
		if (off + n == 4096 && frame_is_pattern(f, pat, td_owned))
			set_slot(m, pa & ~4095ULL, pattern_frame(m, pat, td_owned)->frame);
		pa += n;
		len -= n;
	}
}

/* Points slots [i, j) of the leaf holding pa at nf; a leaf that ends up
 * wholly nf is swapped for the shared leaf. */
static void fill_leaf(struct physmem *m, uint64_t pa, unsigned i, unsigned j,
		      const struct pattern_frame *pf)
{
	unsigned i1, i2, i3;
	struct mid_table *mt;
	struct leaf_table *lt;

	split(pa, &i1, &i2, &i3);
	mt = mid_of(m, i1, pf != NULL);
	if (!mt)
		return;
	lt = atomic_load_explicit(&mt->slot[i2], memory_order_acquire);
	if (pf && lt == pf->leaf)
		return;
	if (i == 0 && j == L3_SIZE) {
		lt = atomic_exchange(&mt->slot[i2], pf ? pf->leaf : NULL);
		if (lt && !lt->shared) {
			for (unsigned k = 0; k < L3_SIZE; k++)
				drop_frame(m, atomic_load(&lt->slot[k]));
			atomic_fetch_sub(&m->tables_bytes, sizeof(*lt));
			free(lt);
		}
		return;
	}
	if (!lt && !pf)
		return;
	lt = private_leaf_at(m, &mt->slot[i2]);
	/* Plain stores, not exchanges: a filler owns its range (the module
	 * holds the TDMR's mutex), and this loop is the PAMT init hot path. */
	for (unsigned k = i; k < j; k++) {
		struct frame *old = atomic_load_explicit(&lt->slot[k], memory_order_relaxed);

		atomic_store_explicit(&lt->slot[k], pf ? pf->frame : NULL,
				      memory_order_release);
		drop_frame(m, old);
	}
	if (pf && j == L3_SIZE)
		share_if_uniform(m, &mt->slot[i2], lt, pf);
}

void physmem_fill_pattern(struct physmem *m, uint64_t pa, uint64_t len,
			  const uint8_t pattern[16], bool td_owned)
{
	static const uint8_t zero[16];
	uint64_t end = pa + len;
	uint64_t first = (pa + 4095) & ~4095ULL, last = end & ~4095ULL;
	bool is_zero = !memcmp(pattern, zero, 16) && !td_owned;
	const struct pattern_frame *pf;

	if (first >= last) {
		write_partial(m, pa, len, pattern, td_owned);
		return;
	}
	write_partial(m, pa, first - pa, pattern, td_owned);
	pf = is_zero ? NULL : pattern_frame(m, pattern, td_owned);
	for (uint64_t f = first; f < last; ) {
		uint64_t leaf_end = ((f >> (12 + L3_BITS)) + 1) << (12 + L3_BITS);
		uint64_t stop = leaf_end < last ? leaf_end : last;
		unsigned i = (unsigned)((f >> 12) & (L3_SIZE - 1));

		fill_leaf(m, f, i, i + (unsigned)((stop - f) >> 12), pf);
		f = stop;
	}
	write_partial(m, last, end - last, pattern, td_owned);
}

void physmem_adopt(struct physmem *m, uint64_t pa, void *host, uint64_t npages)
{
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t fpa = pa + i * 4096;
		struct frame *cur = physmem_peek(m, fpa);
		struct frame *f = malloc(sizeof(*f));

		if (!f)
			abort();
		f->data = (uint8_t *)host + i * 4096;
		f->shared = false;
		f->adopted = true;
		if (cur)
			memcpy(f->data, cur->data, 4096);
		else
			memset(f->data, 0, 4096);
		atomic_init(&f->td_bits, cur ? atomic_load(&cur->td_bits) : 0);
		atomic_init(&f->poison_bits, cur ? atomic_load(&cur->poison_bits) : 0);
		atomic_fetch_add(&m->frames, 1);
		set_slot(m, fpa, f);
	}
}

void physmem_release(struct physmem *m, uint64_t pa, uint64_t npages)
{
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t fpa = pa + i * 4096;
		struct frame *cur = physmem_peek(m, fpa);
		struct frame *f;

		if (!cur || !cur->adopted)
			continue;   /* replaced meanwhile (a fill or a discard) */
		f = frame_alloc();
		memcpy(f->data, cur->data, 4096);
		atomic_init(&f->td_bits, atomic_load(&cur->td_bits));
		atomic_init(&f->poison_bits, atomic_load(&cur->poison_bits));
		atomic_fetch_add(&m->frames, 1);
		set_slot(m, fpa, f);
	}
}

void physmem_discard(struct physmem *m, uint64_t pa, uint64_t len)
{
	uint64_t first = (pa + 4095) & ~4095ULL, last = (pa + len) & ~4095ULL;

	for (uint64_t f = first; f < last; f += 4096)
		if (physmem_peek(m, f))
			set_slot(m, f, NULL);
}

void physmem_for_each(const struct physmem *m, uint64_t pa, uint64_t len,
		      void (*fn)(uint64_t, const struct frame *, void *),
		      void *arg)
{
	uint64_t end = pa + len;
	uint64_t cur = pa & ~4095ULL;

	while (cur < end) {
		unsigned i1, i2, i3;
		struct mid_table *mt;
		struct leaf_table *lt;

		split(cur, &i1, &i2, &i3);
		mt = atomic_load(&m->top[i1]);
		if (!mt) {
			cur = ((cur >> (12 + L2_BITS + L3_BITS)) + 1)
			      << (12 + L2_BITS + L3_BITS);
			continue;
		}
		lt = atomic_load(&mt->slot[i2]);
		if (!lt) {
			cur = ((cur >> (12 + L3_BITS)) + 1) << (12 + L3_BITS);
			continue;
		}
		for (; i3 < L3_SIZE && cur < end; i3++, cur += 4096) {
			struct frame *f = atomic_load(&lt->slot[i3]);

			if (f)
				fn(cur, f, arg);
		}
	}
}

uint64_t physmem_generation(const struct physmem *m)
{
	return atomic_load_explicit(&((struct physmem *)m)->generation,
				    memory_order_acquire);
}

uint64_t physmem_frames(const struct physmem *m)
{
	return atomic_load(&((struct physmem *)m)->frames);
}

uint64_t physmem_host_bytes(const struct physmem *m)
{
	struct physmem *mm = (struct physmem *)m;

	return atomic_load(&mm->frames) * PHYSMEM_FRAME_BYTES +
	       atomic_load(&mm->tables_bytes) + sizeof(*mm);
}
