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

struct leaf_table {
	_Atomic(struct frame *) slot[L3_SIZE];
};

struct mid_table {
	_Atomic(struct leaf_table *) slot[L2_SIZE];
};

struct pattern_frame {
	struct pattern_frame *next;
	uint8_t pattern[16];
	bool td_owned;
	struct frame *frame;
};

struct physmem {
	unsigned pa_bits;
	_Atomic uint64_t frames;
	_Atomic uint64_t tables_bytes;
	pthread_mutex_t pattern_lock;
	struct pattern_frame *patterns;
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

static void free_leaf(struct leaf_table *lt)
{
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
	while (m->patterns) {
		struct pattern_frame *pf = m->patterns;

		m->patterns = pf->next;
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

static _Atomic(struct frame *) *slot_of(const struct physmem *cm, uint64_t pa,
					bool create)
{
	struct physmem *m = (struct physmem *)cm;
	unsigned i1, i2, i3;
	struct mid_table *mt;
	struct leaf_table *lt;

	split(pa, &i1, &i2, &i3);
	mt = atomic_load_explicit(&m->top[i1], memory_order_acquire);
	if (!mt) {
		struct mid_table *fresh;

		if (!create || !(fresh = calloc(1, sizeof(*fresh))))
			return NULL;
		if (atomic_compare_exchange_strong(&m->top[i1], &mt, fresh)) {
			mt = fresh;
			atomic_fetch_add(&m->tables_bytes, sizeof(*fresh));
		} else {
			free(fresh);
		}
	}
	lt = atomic_load_explicit(&mt->slot[i2], memory_order_acquire);
	if (!lt) {
		struct leaf_table *fresh;

		if (!create || !(fresh = calloc(1, sizeof(*fresh))))
			return NULL;
		if (atomic_compare_exchange_strong(&mt->slot[i2], &lt, fresh)) {
			lt = fresh;
			atomic_fetch_add(&m->tables_bytes, sizeof(*fresh));
		} else {
			free(fresh);
		}
	}
	return &lt->slot[i3];
}

struct frame *physmem_peek(const struct physmem *m, uint64_t pa)
{
	_Atomic(struct frame *) *slot = slot_of(m, pa, false);

	return slot ? atomic_load_explicit(slot, memory_order_acquire) : NULL;
}

/* Replaces *slot (absent or shared) with a private copy; races resolve
 * to one winner and the losers use the winner's frame. */
static struct frame *privatise(struct physmem *m, _Atomic(struct frame *) *slot,
			       struct frame *cur)
{
	struct frame *f = malloc(sizeof(*f));

	if (!f)
		abort();  /* host out of memory: nothing sensible to simulate */
	if (cur) {
		memcpy(f->data, cur->data, sizeof(f->data));
		atomic_init(&f->td_bits, atomic_load(&cur->td_bits));
		atomic_init(&f->poison_bits, atomic_load(&cur->poison_bits));
	} else {
		memset(f->data, 0, sizeof(f->data));
		atomic_init(&f->td_bits, 0);
		atomic_init(&f->poison_bits, 0);
	}
	f->shared = false;
	if (atomic_compare_exchange_strong(slot, &cur, f)) {
		atomic_fetch_add(&m->frames, 1);
		return f;
	}
	free(f);
	return (cur && !cur->shared) ? cur : privatise(m, slot, cur);
}

struct frame *physmem_touch(struct physmem *m, uint64_t pa)
{
	_Atomic(struct frame *) *slot = slot_of(m, pa, true);
	struct frame *cur;

	if (!slot)
		abort();
	cur = atomic_load_explicit(slot, memory_order_acquire);
	if (cur && !cur->shared)
		return cur;
	return privatise(m, slot, cur);
}

static struct frame *pattern_frame(struct physmem *m, const uint8_t pat[16],
				   bool td_owned)
{
	struct pattern_frame *pf;

	pthread_mutex_lock(&m->pattern_lock);
	for (pf = m->patterns; pf; pf = pf->next)
		if (pf->td_owned == td_owned && !memcmp(pf->pattern, pat, 16))
			break;
	if (!pf) {
		pf = calloc(1, sizeof(*pf));
		if (!pf || !(pf->frame = calloc(1, sizeof(*pf->frame))))
			abort();
		memcpy(pf->pattern, pat, 16);
		pf->td_owned = td_owned;
		for (unsigned i = 0; i < 4096; i += 16)
			memcpy(pf->frame->data + i, pat, 16);
		atomic_init(&pf->frame->td_bits, td_owned ? ~0ULL : 0);
		pf->frame->shared = true;
		pf->next = m->patterns;
		m->patterns = pf;
	}
	pthread_mutex_unlock(&m->pattern_lock);
	return pf->frame;
}

static void set_slot(struct physmem *m, uint64_t pa, struct frame *nf)
{
	_Atomic(struct frame *) *slot = slot_of(m, pa, nf != NULL);
	struct frame *old;

	if (!slot)
		return;
	old = atomic_exchange(slot, nf);
	if (old && !old->shared) {
		free(old);
		atomic_fetch_sub(&m->frames, 1);
	}
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
		pa += n;
		len -= n;
	}
}

void physmem_fill_pattern(struct physmem *m, uint64_t pa, uint64_t len,
			  const uint8_t pattern[16], bool td_owned)
{
	static const uint8_t zero[16];
	uint64_t end = pa + len;
	uint64_t first = (pa + 4095) & ~4095ULL, last = end & ~4095ULL;
	bool is_zero = !memcmp(pattern, zero, 16) && !td_owned;

	if (first >= last) {
		write_partial(m, pa, len, pattern, td_owned);
		return;
	}
	write_partial(m, pa, first - pa, pattern, td_owned);
	for (uint64_t f = first; f < last; f += 4096)
		set_slot(m, f, is_zero ? NULL : pattern_frame(m, pattern, td_owned));
	write_partial(m, last, end - last, pattern, td_owned);
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

uint64_t physmem_frames(const struct physmem *m)
{
	return atomic_load(&((struct physmem *)m)->frames);
}

uint64_t physmem_host_bytes(const struct physmem *m)
{
	struct physmem *mm = (struct physmem *)m;

	return atomic_load(&mm->frames) * sizeof(struct frame) +
	       atomic_load(&mm->tables_bytes) + sizeof(*mm);
}
