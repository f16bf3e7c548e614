/* SPDX-License-Identifier: MIT */
/*
 * The host's page allocator: per-node lists of free extents of simulated
 * physical memory. It costs memory per free extent, not per page, so a
 * 4 TiB machine is as cheap as a small one. Every extent remembers whether
 * its memory is TDX memory (in the TDX memory list captured at init), so a
 * TD can be refused anything else (memory-hotplug policy "report").
 * Thread-safe.
 */
#ifndef TDXSIM_HOST_PAGE_ALLOC_H
#define TDXSIM_HOST_PAGE_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

struct page_alloc;

struct page_alloc *page_alloc_create(unsigned nr_nodes);
void page_alloc_destroy(struct page_alloc *a);

/* Hands [start, end) to the allocator as free memory (boot or online).
 * -EINVAL for a bad node, unaligned or overlapping range. */
int page_alloc_add(struct page_alloc *a, uint64_t start, uint64_t end,
		   unsigned node, bool tdx);
/* Takes [start, end) back (offline); -EBUSY unless all of it is free. */
int page_alloc_remove(struct page_alloc *a, uint64_t start, uint64_t end);
/* Marks every free and future-freed page in [start, end) TDX or not. */
void page_alloc_set_tdx(struct page_alloc *a, uint64_t start, uint64_t end,
			bool tdx);

/*
 * Contiguous, aligned allocation from the top of a node (the kernel's
 * PAMT comes from alloc_contig_pages on the node). tdx_only: only TDX
 * memory qualifies. Returns false when no free extent is big enough.
 */
bool page_alloc_contig(struct page_alloc *a, unsigned node, uint64_t bytes,
		       uint64_t align, bool tdx_only, uint64_t *pa);
/* Like page_alloc_contig, on node first and then on every other node in
 * order, as the kernel's allocators fall back along the zonelist; the
 * node it came from in *got (may be NULL). */
bool page_alloc_contig_any(struct page_alloc *a, unsigned node, uint64_t bytes,
			   uint64_t align, bool tdx_only, uint64_t *pa, unsigned *got);
/* One page from any node, preferring node. */
bool page_alloc_page(struct page_alloc *a, unsigned node, bool tdx_only,
		     uint64_t *pa);
/* -EINVAL when [pa, pa+bytes) is not wholly allocated memory it manages. */
int page_alloc_free(struct page_alloc *a, uint64_t pa, uint64_t bytes);

uint64_t page_alloc_free_bytes(struct page_alloc *a);
uint64_t page_alloc_total_bytes(struct page_alloc *a);
/* Whether [pa, pa+bytes) lies in managed memory marked TDX. */
bool page_alloc_is_tdx(struct page_alloc *a, uint64_t pa, uint64_t bytes);

#endif
