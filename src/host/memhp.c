/* SPDX-License-Identifier: MIT */
/*
 * Memory hotplug (linux §3.11) and the pages TDs may have. Policy
 * "strict" is Linux's notifier: once TDX is on, memory may come online
 * only inside one block of the TDX memory list. Policy "report" lets any
 * memory online, remembers which ranges are TDX memory, and refuses to
 * hand anything else to a TD, so a bad page is an error at TD build time
 * rather than a dead TD.
 */
#include <errno.h>

#include "host.h"

static int memblock_add(struct host *h, uint64_t start, uint64_t end,
			unsigned node)
{
	struct tdx_memlist *l = &h->memblock;
	size_t at = 0;

	if (l->n == TDXSIM_MAX_MEMMAP)
		return -ENOSPC;
	while (at < l->n && l->b[at].start < start)
		at++;
	for (size_t i = l->n; i > at; i--)
		l->b[i] = l->b[i - 1];
	l->b[at] = (struct tdx_memblock){ start, end, node };
	l->n++;
	return 0;
}

/* Drops [start, end) from memblock, splitting a block if needed. */
static int memblock_remove(struct host *h, uint64_t start, uint64_t end)
{
	struct tdx_memlist *l = &h->memblock;

	for (size_t i = 0; i < l->n; i++) {
		struct tdx_memblock b = l->b[i];

		if (b.start > start || b.end < end)
			continue;
		if (b.start < start && b.end > end) {
			l->b[i].end = start;
			return memblock_add(h, end, b.end, b.node);
		}
		if (b.start < start) {
			l->b[i].end = start;
		} else if (b.end > end) {
			l->b[i].start = end;
		} else {
			for (size_t k = i + 1; k < l->n; k++)
				l->b[k - 1] = l->b[k];
			l->n--;
		}
		return 0;
	}
	return -EINVAL;
}

/* The MEM_GOING_ONLINE notifier. */
static bool tdx_memory_notifier_ok(struct host *h, uint64_t start, uint64_t end)
{
	if (!h->tdx_memlist.n || h->opt.memhp == MEMHP_REPORT)
		return true;
	return tdx_memlist_contains(&h->tdx_memlist, start, end);
}

int host_memory_online(struct host *h, uint64_t start, uint64_t size,
		       unsigned node)
{
	uint64_t end = start + size;
	bool tdx;
	int ret;

	if (!size || (start | size) & 4095 || end < start ||
	    node >= platform_nr_packages(h->p))
		return -EINVAL;
	platform_hotplug_lock(h->p, PLATFORM_MEM_HOTPLUG, true);
	if (!tdx_memory_notifier_ok(h, start, end)) {
		tdx_err(h, "memory [0x%llx, 0x%llx) is not TDX memory: refusing to online it (memory hotplug policy \"strict\")",
			(unsigned long long)start, (unsigned long long)end);
		ret = -EPERM;   /* online_pages(): notifier_to_errno(NOTIFY_BAD) */
		goto out;
	}
	tdx = h->tdx_memlist.n && tdx_memlist_contains(&h->tdx_memlist, start, end);
	ret = page_alloc_add(h->pages, start, end, node, tdx);
	if (!ret)
		ret = memblock_add(h, start, end, node);
	if (!ret && h->tdx_memlist.n && !tdx)
		tdx_info(h, "memory [0x%llx, 0x%llx) online but not TDX memory: it will not be given to TDs",
			 (unsigned long long)start, (unsigned long long)end);
out:
	platform_hotplug_unlock(h->p, PLATFORM_MEM_HOTPLUG);
	return ret;
}

int host_memory_offline(struct host *h, uint64_t start, uint64_t size)
{
	int ret;

	if (!size || (start | size) & 4095 || start + size < start)
		return -EINVAL;
	platform_hotplug_lock(h->p, PLATFORM_MEM_HOTPLUG, true);
	/* memblock_remove() takes from one block only: check first, so that
	 * a refusal leaves the allocator and memblock as they were. */
	if (!tdx_memlist_contains(&h->memblock, start, start + size))
		ret = -EINVAL;
	else
		ret = page_alloc_remove(h->pages, start, start + size);
	if (!ret)
		ret = memblock_remove(h, start, start + size);
	platform_hotplug_unlock(h->p, PLATFORM_MEM_HOTPLUG);
	return ret;
}

int host_alloc_td_pages(struct host *h, unsigned node, uint64_t bytes,
			uint64_t *pa)
{
	if (!bytes || bytes % 4096)
		return -EINVAL;
	if (host_tdx_module_status(h) != TDX_MODULE_INITIALIZED)
		return -ENODEV;
	if (page_alloc_contig(h->pages, node, bytes, 4096, true, pa))
		return 0;
	for (unsigned n = 0; n < platform_nr_packages(h->p); n++)
		if (n != node && page_alloc_contig(h->pages, n, bytes, 4096, true, pa))
			return 0;
	return -ENOMEM;
}

int host_check_td_memory(struct host *h, uint64_t pa, uint64_t bytes)
{
	if (page_alloc_is_tdx(h->pages, pa, bytes))
		return 0;
	tdx_err(h, "[0x%llx, 0x%llx) is not TDX memory: it cannot be given to a TD",
		(unsigned long long)pa, (unsigned long long)(pa + bytes));
	return -EINVAL;
}
