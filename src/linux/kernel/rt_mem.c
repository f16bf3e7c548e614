/* SPDX-License-Identifier: MIT */
/*
 * Kernel memory on the simulated machine: memblock (the platform's RAM
 * with its nodes), a page allocator over it, and the direct map.
 *
 * Every allocation is whole pages of simulated RAM. What the kernel
 * dereferences (kmalloc, alloc_pages_exact) is a host buffer adopted as
 * those pages (platform_mem_adopt), so the module reads exactly what the
 * kernel wrote; what it only hands to the module by address
 * (alloc_contig_pages: the PAMTs, up to 16 GiB on a 4 TiB machine) has no
 * host buffer, and its direct-map address is arithmetic only, used for
 * MOVDIR64B. Placement mirrors the kernel's results, not its buddy
 * allocator: contiguous allocations come from the top of the node's
 * highest free range that fits (the PAMTs of src/host are placed the
 * same way, so the two can be compared), kmalloc from the bottom.
 * Every allocation is in the ledger until freed.
 */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

#define PAGE 4096ULL
#define PAGE_OFFSET 0xffff888000000000ULL   /* x86-64's direct map base */
#define LEDGER_MAX 4096

struct range { uint64_t start, end; int node; };

struct alloc {
	uint64_t pa, bytes;
	void *host;              /* NULL: not dereferenceable by the kernel */
	const char *kind;
	bool in_ledger;
};

static struct {
	pthread_mutex_t lock;
	struct range memblock[KLX_MAX_MEM_RANGES];
	unsigned n_memblock;
	struct range free[KLX_MAX_MEM_RANGES * 4];
	unsigned n_free;
	struct alloc allocs[LEDGER_MAX];
	unsigned n_allocs;
	unsigned nr_nodes;
	uint64_t zero_pa;
	unsigned long long n_alloced, n_freed, live_allocs, live_bytes;   /* the ledger */
} mem;

static void free_insert(uint64_t start, uint64_t end, int node)
{
	unsigned i = 0;

	while (i < mem.n_free && mem.free[i].start < start)
		i++;
	if (i && mem.free[i - 1].end == start && mem.free[i - 1].node == node) {
		mem.free[--i].end = end;
	} else {
		if (mem.n_free == sizeof(mem.free) / sizeof(mem.free[0]))
			return;   /* cannot happen with KLX_MAX_MEM_RANGES ranges */
		memmove(&mem.free[i + 1], &mem.free[i], (mem.n_free - i) * sizeof(mem.free[0]));
		mem.free[i] = (struct range){ start, end, node };
		mem.n_free++;
	}
	if (i + 1 < mem.n_free && mem.free[i + 1].start == mem.free[i].end &&
	    mem.free[i + 1].node == node) {
		mem.free[i].end = mem.free[i + 1].end;
		memmove(&mem.free[i + 1], &mem.free[i + 2], (mem.n_free - i - 2) * sizeof(mem.free[0]));
		mem.n_free--;
	}
}

/* Takes [start, start+bytes) out of free range i, which holds it. */
static void free_carve(unsigned i, uint64_t start, uint64_t bytes)
{
	struct range r = mem.free[i];

	if (r.start == start) {
		mem.free[i].start += bytes;
	} else {
		mem.free[i].end = start;
		if (start + bytes < r.end)
			free_insert(start + bytes, r.end, r.node);
	}
	if (mem.free[i].start == mem.free[i].end) {
		memmove(&mem.free[i], &mem.free[i + 1], (mem.n_free - i - 1) * sizeof(mem.free[0]));
		mem.n_free--;
	}
}

/* Highest fit on node (from the top of the range) or lowest (bottom). */
static bool take(int node, uint64_t bytes, bool top, uint64_t *pa)
{
	for (unsigned k = 0; k < mem.n_free; k++) {
		unsigned i = top ? mem.n_free - 1 - k : k;
		struct range *r = &mem.free[i];

		if (r->node != node || r->end - r->start < bytes)
			continue;
		*pa = top ? r->end - bytes : r->start;
		free_carve(i, *pa, bytes);
		return true;
	}
	return false;
}

/* node first, then every other node in order, as the zonelist falls back. */
static bool take_any(int node, uint64_t bytes, bool top, uint64_t *pa)
{
	if (node >= 0 && take(node, bytes, top, pa))
		return true;
	for (unsigned n = 0; n < mem.nr_nodes; n++)
		if ((int)n != node && take((int)n, bytes, top, pa))
			return true;
	return false;
}

static int node_of(uint64_t pa)
{
	for (unsigned i = 0; i < mem.n_memblock; i++)
		if (pa >= mem.memblock[i].start && pa < mem.memblock[i].end)
			return mem.memblock[i].node;
	return 0;
}

static struct alloc *record(uint64_t pa, uint64_t bytes, void *host,
			    const char *kind, bool in_ledger)
{
	struct alloc *a;

	if (mem.n_allocs == LEDGER_MAX)
		return NULL;
	a = &mem.allocs[mem.n_allocs++];
	*a = (struct alloc){ pa, bytes, host, kind, in_ledger };
	if (in_ledger) {
		mem.n_alloced++;
		mem.live_allocs++;
		mem.live_bytes += bytes;
	}
	return a;
}

static void forget(struct alloc *a)
{
	if (a->in_ledger) {
		mem.n_freed++;
		mem.live_allocs--;
		mem.live_bytes -= a->bytes;
	}
	*a = mem.allocs[--mem.n_allocs];
}

static int this_node(void)
{
	int cpu = klx.ops.this_cpu(klx.ops.ctx);

	return cpu < 0 ? 0 : (int)klx.ops.cpu_package(klx.ops.ctx, (unsigned)cpu);
}

/* Pages with a host buffer adopted over them. */
static void *alloc_backed(uint64_t size, unsigned flags, bool top,
			  const char *kind, bool in_ledger)
{
	uint64_t bytes = (size + PAGE - 1) & ~(PAGE - 1), pa;
	void *host;

	if (!size)
		return NULL;
	host = aligned_alloc(PAGE, bytes);
	if (!host)
		return NULL;
	pthread_mutex_lock(&mem.lock);
	if (!take_any(this_node(), bytes, top, &pa)) {
		pthread_mutex_unlock(&mem.lock);
		free(host);
		return NULL;
	}
	if (klx.ops.mem_adopt(klx.ops.ctx, pa, host, bytes) ||
	    !record(pa, bytes, host, kind, in_ledger)) {
		free_insert(pa, pa + bytes, node_of(pa));
		pthread_mutex_unlock(&mem.lock);
		free(host);
		return NULL;
	}
	pthread_mutex_unlock(&mem.lock);
	if (flags & 0x100u)      /* __GFP_ZERO */
		memset(host, 0, bytes);
	return host;
}

static struct alloc *find_host(const void *p)
{
	for (unsigned i = 0; i < mem.n_allocs; i++) {
		struct alloc *a = &mem.allocs[i];

		if (a->host && (const char *)p >= (char *)a->host &&
		    (const char *)p < (char *)a->host + a->bytes)
			return a;
	}
	return NULL;
}

static void free_backed(const void *p, const char *what)
{
	struct alloc *a;

	if (!p)
		return;
	pthread_mutex_lock(&mem.lock);
	a = find_host(p);
	if (!a || a->host != p) {
		pthread_mutex_unlock(&mem.lock);
		klx_warn(__FILE__, __LINE__, what);
		return;
	}
	klx.ops.mem_release(klx.ops.ctx, a->pa, a->bytes);
	free(a->host);
	free_insert(a->pa, a->pa + a->bytes, node_of(a->pa));
	forget(a);
	pthread_mutex_unlock(&mem.lock);
}

void *klx_kmalloc(unsigned long size, unsigned flags, const char *kind)
{
	return alloc_backed(size, flags, false, kind, true);
}

void klx_kfree(const void *p)
{
	free_backed(p, "kfree() of a pointer kmalloc() did not return");
}

void *klx_alloc_pages_exact(unsigned long size, unsigned flags)
{
	return alloc_backed(size, flags, true, "alloc_pages_exact", true);
}

void klx_free_pages_exact(void *p, unsigned long size)
{
	free_backed(p, "free_pages_exact() of pages not allocated so");
}

unsigned long klx_alloc_contig(unsigned long nr_pages, int nid)
{
	uint64_t pa;
	unsigned long pfn = 0;

	pthread_mutex_lock(&mem.lock);
	if (nr_pages && take_any(nid, nr_pages * PAGE, true, &pa)) {
		if (record(pa, nr_pages * PAGE, NULL, "alloc_contig_pages", true))
			pfn = (unsigned long)(pa / PAGE);
		else
			free_insert(pa, pa + nr_pages * PAGE, node_of(pa));
	}
	pthread_mutex_unlock(&mem.lock);
	return pfn;
}

void klx_free_contig(unsigned long pfn, unsigned long nr_pages)
{
	uint64_t pa = (uint64_t)pfn * PAGE;

	pthread_mutex_lock(&mem.lock);
	for (unsigned i = 0; i < mem.n_allocs; i++) {
		struct alloc *a = &mem.allocs[i];

		if (!a->host && a->pa == pa && a->bytes == nr_pages * PAGE) {
			free_insert(pa, pa + a->bytes, node_of(pa));
			forget(a);
			pthread_mutex_unlock(&mem.lock);
			return;
		}
	}
	pthread_mutex_unlock(&mem.lock);
	klx_warn(__FILE__, __LINE__, "free_contig_range() of pages not allocated so");
}

unsigned long long klx_pa(const void *p)
{
	uintptr_t v = (uintptr_t)p;
	struct alloc *a;

	pthread_mutex_lock(&mem.lock);
	a = find_host(p);
	pthread_mutex_unlock(&mem.lock);
	if (a)
		return a->pa + (uint64_t)((const char *)p - (char *)a->host);
	if (v >= PAGE_OFFSET && v - PAGE_OFFSET < (1ULL << 52))
		return v - PAGE_OFFSET;
	klx_count(&klx.counts.bad_pa);
	klx_warn(__FILE__, __LINE__, "__pa() of an address outside the direct map");
	return ~0ULL;
}

void *klx_va(unsigned long long pa)
{
	void *host = NULL;

	pthread_mutex_lock(&mem.lock);
	for (unsigned i = 0; i < mem.n_allocs && !host; i++) {
		struct alloc *a = &mem.allocs[i];

		if (a->host && pa >= a->pa && pa < a->pa + a->bytes)
			host = (char *)a->host + (pa - a->pa);
	}
	pthread_mutex_unlock(&mem.lock);
	return host ? host : (void *)(uintptr_t)(PAGE_OFFSET + pa);
}

unsigned long klx_zero_page_pfn(void)
{
	return (unsigned long)(mem.zero_pa / PAGE);
}

void klx_movdir64b(void *dst, const void *src)
{
	if (klx.ops.movdir64b(klx.ops.ctx, klx_pa(dst), src))
		klx_warn(__FILE__, __LINE__, "MOVDIR64B to an address outside memory");
}

unsigned klx_phys_bits(void)
{
	return klx.ops.phys_bits(klx.ops.ctx);
}

unsigned klx_nr_node_ids(void)
{
	return mem.nr_nodes;
}

int klx_next_mem_range(int *idx, unsigned long *start_pfn,
		       unsigned long *end_pfn, int *nid)
{
	int i = *idx + 1;

	pthread_mutex_lock(&mem.lock);
	if ((unsigned)i >= mem.n_memblock) {
		pthread_mutex_unlock(&mem.lock);
		return 0;
	}
	*start_pfn = (unsigned long)((mem.memblock[i].start + PAGE - 1) / PAGE);
	*end_pfn = (unsigned long)(mem.memblock[i].end / PAGE);
	*nid = mem.memblock[i].node;
	pthread_mutex_unlock(&mem.lock);
	*idx = i;
	return 1;
}

/* memblock_add_node(): sorted, merged with a touching range of its node.
 * With pages_free (boot memory, or memory once online) the page allocator
 * gets its pages from 1 MiB up: the kernel never hands out the first
 * megabyte. */
int klx_memblock_add(uint64_t start, uint64_t end, int node, bool pages_free)
{
	unsigned i = 0;
	uint64_t fs, fe;

	pthread_mutex_lock(&mem.lock);
	if (mem.n_memblock == KLX_MAX_MEM_RANGES) {
		pthread_mutex_unlock(&mem.lock);
		return -28;   /* -ENOSPC */
	}
	while (i < mem.n_memblock && mem.memblock[i].start < start)
		i++;
	memmove(&mem.memblock[i + 1], &mem.memblock[i], (mem.n_memblock - i) * sizeof(mem.memblock[0]));
	mem.memblock[i] = (struct range){ start, end, node };
	mem.n_memblock++;
	if (i + 1 < mem.n_memblock && mem.memblock[i + 1].start == end &&
	    mem.memblock[i + 1].node == node) {
		mem.memblock[i].end = mem.memblock[i + 1].end;
		memmove(&mem.memblock[i + 1], &mem.memblock[i + 2], (mem.n_memblock - i - 2) * sizeof(mem.memblock[0]));
		mem.n_memblock--;
	}
	if (i && mem.memblock[i - 1].end == start && mem.memblock[i - 1].node == node) {
		mem.memblock[i - 1].end = mem.memblock[i].end;
		memmove(&mem.memblock[i], &mem.memblock[i + 1], (mem.n_memblock - i - 1) * sizeof(mem.memblock[0]));
		mem.n_memblock--;
	}
	fs = (start < 0x100000 ? 0x100000 : start + PAGE - 1) & ~(PAGE - 1);
	fe = end & ~(PAGE - 1);
	if (pages_free && fs < fe)
		free_insert(fs, fe, node);
	if ((unsigned)node + 1 > mem.nr_nodes)
		mem.nr_nodes = (unsigned)node + 1;
	pthread_mutex_unlock(&mem.lock);
	return 0;
}

int klx_mem_setup(void)
{
	struct klx_mem_range r[KLX_MAX_MEM_RANGES];
	unsigned n = klx.ops.mem_ranges(klx.ops.ctx, r, KLX_MAX_MEM_RANGES);
	void *zero;

	memset(&mem, 0, sizeof(mem));
	pthread_mutex_init(&mem.lock, NULL);
	mem.nr_nodes = klx.ops.nr_nodes(klx.ops.ctx);
	for (unsigned i = 0; i < n && i < KLX_MAX_MEM_RANGES; i++)
		if (klx_memblock_add(r[i].start, r[i].end, r[i].node, true))
			return -1;
	/* The zero page is part of the kernel image, not an allocation. */
	zero = alloc_backed(PAGE, 0x100u, false, "zero page", false);
	if (!zero)
		return -1;
	mem.zero_pa = klx_pa(zero);
	return 0;
}

void klx_mem_teardown(void)
{
	pthread_mutex_lock(&mem.lock);
	while (mem.n_allocs) {
		struct alloc *a = &mem.allocs[mem.n_allocs - 1];

		if (a->host) {
			klx.ops.mem_release(klx.ops.ctx, a->pa, a->bytes);
			free(a->host);
		}
		mem.n_allocs--;
	}
	pthread_mutex_unlock(&mem.lock);
	pthread_mutex_destroy(&mem.lock);
}

void klx_mem_counts(struct klx_counts *out)
{
	pthread_mutex_lock(&mem.lock);
	out->allocs = mem.n_alloced;
	out->frees = mem.n_freed;
	out->live_allocs = mem.live_allocs;
	out->live_bytes = mem.live_bytes;
	pthread_mutex_unlock(&mem.lock);
}

unsigned klx_mem_ledger(struct klx_alloc *out, unsigned max)
{
	unsigned n = 0;

	pthread_mutex_lock(&mem.lock);
	for (unsigned i = 0; i < mem.n_allocs; i++)
		if (mem.allocs[i].in_ledger) {
			if (n < max)
				out[n] = (struct klx_alloc){ mem.allocs[i].pa,
					mem.allocs[i].bytes, mem.allocs[i].kind };
			n++;
		}
	pthread_mutex_unlock(&mem.lock);
	return n;
}

/* Pages of memory that came online join the page allocator. */
void klx_mem_free_add(uint64_t start, uint64_t end, int node)
{
	pthread_mutex_lock(&mem.lock);
	free_insert(start, end, node);
	pthread_mutex_unlock(&mem.lock);
}
