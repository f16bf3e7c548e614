/* SPDX-License-Identifier: MIT */
/*
 * Free memory as sorted extents. An extent never spans two online ranges,
 * so its node and TDX flag are its range's; allocation scans extents from
 * the top, which keeps low memory for what the firmware and host put there.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "page_alloc.h"

#define PAGE 4096ULL

struct extent {
	uint64_t start, end;
	unsigned node;
	bool tdx;
};

struct extents {
	size_t n, cap;
	struct extent *e;
};

struct page_alloc {
	pthread_mutex_t lock;
	unsigned nr_nodes;
	struct extents online;   /* memory handed to the allocator */
	struct extents free;
	uint64_t total, free_bytes;
};

static bool ext_insert(struct extents *x, size_t at, struct extent e)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		struct extent *ne = realloc(x->e, cap * sizeof(*ne));

		if (!ne)
			return false;
		x->e = ne;
		x->cap = cap;
	}
	memmove(&x->e[at + 1], &x->e[at], (x->n - at) * sizeof(x->e[0]));
	x->e[at] = e;
	x->n++;
	return true;
}

static void ext_erase(struct extents *x, size_t at)
{
	memmove(&x->e[at], &x->e[at + 1], (x->n - at - 1) * sizeof(x->e[0]));
	x->n--;
}

/* Index of the first extent that ends above pa. */
static size_t ext_find(const struct extents *x, uint64_t pa)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (x->e[mid].end <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool same_kind(const struct extent *a, const struct extent *b)
{
	return a->node == b->node && a->tdx == b->tdx;
}

/* Inserts an extent at its place and merges it with like neighbours. */
static bool ext_add(struct extents *f, struct extent e)
{
	size_t at = ext_find(f, e.start);

	if (at && f->e[at - 1].end == e.start && same_kind(&f->e[at - 1], &e)) {
		at--;
		f->e[at].end = e.end;
	} else if (!ext_insert(f, at, e)) {
		return false;
	}
	if (at + 1 < f->n && f->e[at + 1].start == f->e[at].end &&
	    same_kind(&f->e[at + 1], &f->e[at])) {
		f->e[at].end = f->e[at + 1].end;
		ext_erase(f, at + 1);
	}
	return true;
}

/* Cuts [s, e) out of free extent i, which must contain it. */
static bool free_carve(struct extents *f, size_t i, uint64_t s, uint64_t e)
{
	struct extent x = f->e[i];

	if (x.start == s && x.end == e) {
		ext_erase(f, i);
		return true;
	}
	if (x.start == s) {
		f->e[i].start = e;
		return true;
	}
	f->e[i].end = s;
	if (x.end == e)
		return true;
	x.start = e;
	return ext_insert(f, i + 1, x);
}

struct page_alloc *page_alloc_create(unsigned nr_nodes)
{
	struct page_alloc *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	pthread_mutex_init(&a->lock, NULL);
	a->nr_nodes = nr_nodes;
	return a;
}

void page_alloc_destroy(struct page_alloc *a)
{
	if (!a)
		return;
	pthread_mutex_destroy(&a->lock);
	free(a->online.e);
	free(a->free.e);
	free(a);
}

static bool overlaps(const struct extents *x, uint64_t s, uint64_t e)
{
	size_t i = ext_find(x, s);

	return i < x->n && x->e[i].start < e;
}

int page_alloc_add(struct page_alloc *a, uint64_t start, uint64_t end,
		   unsigned node, bool tdx)
{
	struct extent e = { start, end, node, tdx };
	int ret = 0;

	if (node >= a->nr_nodes || start >= end || (start | end) % PAGE)
		return -EINVAL;
	pthread_mutex_lock(&a->lock);
	if (overlaps(&a->online, start, end))
		ret = -EINVAL;
	else if (!ext_add(&a->online, e) || !ext_add(&a->free, e))
		ret = -ENOMEM;
	if (!ret) {
		a->total += end - start;
		a->free_bytes += end - start;
	}
	pthread_mutex_unlock(&a->lock);
	return ret;
}

/* Whether [s, e) is wholly free: one extent, since like extents merge and
 * an online range has one kind. */
static bool wholly_free(const struct extents *f, uint64_t s, uint64_t e,
			size_t *at)
{
	size_t i = ext_find(f, s);

	*at = i;
	return i < f->n && f->e[i].start <= s && f->e[i].end >= e;
}

int page_alloc_remove(struct page_alloc *a, uint64_t start, uint64_t end)
{
	size_t fi, oi;
	int ret = 0;

	pthread_mutex_lock(&a->lock);
	oi = ext_find(&a->online, start);
	if (oi == a->online.n || a->online.e[oi].start > start ||
	    a->online.e[oi].end < end)
		ret = -EINVAL;
	else if (!wholly_free(&a->free, start, end, &fi))
		ret = -EBUSY;
	else if (!free_carve(&a->free, fi, start, end) ||
		 !free_carve(&a->online, oi, start, end))
		ret = -ENOMEM;
	if (!ret) {
		a->total -= end - start;
		a->free_bytes -= end - start;
	}
	pthread_mutex_unlock(&a->lock);
	return ret;
}

/* Splits extents of x at s and e so that [s, e) is made of whole ones. */
static bool split_at(struct extents *x, uint64_t pa)
{
	size_t i = ext_find(x, pa);
	struct extent tail;

	if (i == x->n || x->e[i].start >= pa)
		return true;
	tail = x->e[i];
	tail.start = pa;
	x->e[i].end = pa;
	return ext_insert(x, i + 1, tail);
}

static void mark(struct extents *x, uint64_t s, uint64_t e, bool tdx)
{
	for (size_t i = ext_find(x, s); i < x->n && x->e[i].start < e; i++)
		x->e[i].tdx = tdx;
	for (size_t i = 1; i < x->n; ) {
		if (x->e[i - 1].end == x->e[i].start && same_kind(&x->e[i - 1], &x->e[i])) {
			x->e[i - 1].end = x->e[i].end;
			ext_erase(x, i);
		} else {
			i++;
		}
	}
}

void page_alloc_set_tdx(struct page_alloc *a, uint64_t start, uint64_t end,
			bool tdx)
{
	pthread_mutex_lock(&a->lock);
	/* On allocation failure the flag stays coarse: never wrongly "TDX"
	 * because marking TDX happens only for whole online ranges. */
	if (split_at(&a->online, start) && split_at(&a->online, end) &&
	    split_at(&a->free, start) && split_at(&a->free, end)) {
		mark(&a->online, start, end, tdx);
		mark(&a->free, start, end, tdx);
	}
	pthread_mutex_unlock(&a->lock);
}

static bool take(struct page_alloc *a, size_t i, uint64_t bytes,
		 uint64_t align, uint64_t *pa)
{
	const struct extent *x = &a->free.e[i];
	uint64_t s;

	if (x->end - x->start < bytes)
		return false;
	s = (x->end - bytes) & ~(align - 1);
	if (s < x->start || !free_carve(&a->free, i, s, s + bytes))
		return false;
	a->free_bytes -= bytes;
	*pa = s;
	return true;
}

bool page_alloc_contig(struct page_alloc *a, unsigned node, uint64_t bytes,
		       uint64_t align, bool tdx_only, uint64_t *pa)
{
	bool ok = false;

	if (!bytes || bytes % PAGE || align < PAGE || (align & (align - 1)))
		return false;
	pthread_mutex_lock(&a->lock);
	for (size_t i = a->free.n; i-- && !ok; ) {
		const struct extent *x = &a->free.e[i];

		if (x->node == node && (x->tdx || !tdx_only))
			ok = take(a, i, bytes, align, pa);
	}
	pthread_mutex_unlock(&a->lock);
	return ok;
}

bool page_alloc_contig_any(struct page_alloc *a, unsigned node, uint64_t bytes,
			   uint64_t align, bool tdx_only, uint64_t *pa, unsigned *got)
{
	for (unsigned k = 0; k <= a->nr_nodes; k++) {
		unsigned n = k ? k - 1 : node;

		if ((k && n == node) || !page_alloc_contig(a, n, bytes, align, tdx_only, pa))
			continue;
		if (got)
			*got = n;
		return true;
	}
	return false;
}

bool page_alloc_page(struct page_alloc *a, unsigned node, bool tdx_only,
		     uint64_t *pa)
{
	return page_alloc_contig_any(a, node, PAGE, PAGE, tdx_only, pa, NULL);
}

int page_alloc_free(struct page_alloc *a, uint64_t pa, uint64_t bytes)
{
	uint64_t end = pa + bytes;
	int ret = 0;

	if (!bytes || (pa | bytes) % PAGE || end < pa)
		return -EINVAL;
	pthread_mutex_lock(&a->lock);
	/* Whole online ranges only; never a page already free. */
	for (uint64_t s = pa; s < end && !ret; ) {
		size_t oi = ext_find(&a->online, s);
		const struct extent *o = &a->online.e[oi];

		if (oi == a->online.n || o->start > s)
			ret = -EINVAL;
		else
			s = o->end;
	}
	if (!ret && overlaps(&a->free, pa, end))
		ret = -EINVAL;
	for (uint64_t s = pa; s < end && !ret; ) {
		const struct extent *o = &a->online.e[ext_find(&a->online, s)];
		uint64_t e = o->end < end ? o->end : end;

		if (!ext_add(&a->free, (struct extent){ s, e, o->node, o->tdx }))
			ret = -ENOMEM;
		else
			a->free_bytes += e - s;
		s = e;
	}
	pthread_mutex_unlock(&a->lock);
	return ret;
}

uint64_t page_alloc_free_bytes(struct page_alloc *a)
{
	uint64_t v;

	pthread_mutex_lock(&a->lock);
	v = a->free_bytes;
	pthread_mutex_unlock(&a->lock);
	return v;
}

uint64_t page_alloc_total_bytes(struct page_alloc *a)
{
	uint64_t v;

	pthread_mutex_lock(&a->lock);
	v = a->total;
	pthread_mutex_unlock(&a->lock);
	return v;
}

bool page_alloc_is_tdx(struct page_alloc *a, uint64_t pa, uint64_t bytes)
{
	uint64_t end = pa + bytes;
	bool ok = bytes && end > pa;

	pthread_mutex_lock(&a->lock);
	for (uint64_t s = pa; s < end && ok; ) {
		size_t oi = ext_find(&a->online, s);

		ok = oi < a->online.n && a->online.e[oi].start <= s && a->online.e[oi].tdx;
		if (ok)
			s = a->online.e[oi].end;
	}
	pthread_mutex_unlock(&a->lock);
	return ok;
}
