/* SPDX-License-Identifier: MIT */
/*
 * NUMA nodes for an e820 map from the SRAT lines of the same boot log.
 * tdxsim's node is the package that owns the memory, numbered from 0, so
 * Linux's node numbers (which may be sparse: node 6 for a CXL expander)
 * are renumbered in ascending order.
 */
#include <stdlib.h>

#include "memmap_internal.h"

static int cmp_srat(const void *a, const void *b)
{
	const struct mm_srat *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/* Cuts [base, end) at the SRAT boundaries (srat sorted and disjoint);
 * a part outside every SRAT range has no node. */
static bool split_by_srat(struct mm_list *out, const struct mm_range *r,
			  const struct mm_srat *srat, size_t n)
{
	uint64_t cur = r->base;

	for (size_t i = 0; i < n && cur < r->end; i++) {
		const struct mm_srat *s = &srat[i];
		uint64_t end;

		if (s->end <= cur)
			continue;
		if (s->base >= r->end)
			break;
		if (s->base > cur) {
			if (!mm_list_add(out, cur, s->base, r->type, MM_NO_NODE))
				return false;
			cur = s->base;
		}
		end = s->end < r->end ? s->end : r->end;
		if (!mm_list_add(out, cur, end, r->type, s->node))
			return false;
		cur = end;
	}
	return cur >= r->end || mm_list_add(out, cur, r->end, r->type, MM_NO_NODE);
}

/* Renumbers the nodes in use to 0..k-1 in ascending order; memory the
 * SRAT does not describe goes to the first node. */
static int compact_nodes(const struct mm_ctx *c, struct mm_list *l,
			 struct tdxsim_platform_config *cfg)
{
	uint32_t nodes[TDXSIM_MAX_PACKAGES];
	size_t k = 0;

	for (size_t i = 0; i < l->n; i++) {
		uint32_t node = l->r[i].node;
		size_t at = 0;

		if (node == MM_NO_NODE)
			continue;
		while (at < k && nodes[at] < node)
			at++;
		if (at < k && nodes[at] == node)
			continue;
		if (k == TDXSIM_MAX_PACKAGES)
			return mm_fail(c, 0, "the SRAT puts memory on more than %d NUMA nodes; tdxsim has at most %d packages "
				       "(the TDX module's MAX_PKGS)", TDXSIM_MAX_PACKAGES, TDXSIM_MAX_PACKAGES);
		for (size_t j = k; j > at; j--)
			nodes[j] = nodes[j - 1];
		nodes[at] = node;
		k++;
	}
	for (size_t i = 0; i < l->n; i++) {
		size_t at = 0;

		if (l->r[i].node == MM_NO_NODE)
			continue;
		while (nodes[at] != l->r[i].node)
			at++;
		l->r[i].node = (uint32_t)at;
	}
	if (cfg->packages < k)
		cfg->packages = (unsigned)k;
	return 0;
}

int mm_apply_srat(const struct mm_ctx *c, const struct mm_list *e820,
		  struct mm_srat *srat, size_t n_srat,
		  struct tdxsim_platform_config *cfg)
{
	struct mm_list *out = calloc(1, sizeof(*out));
	int rc = 0;

	if (!out)
		return mm_fail(c, 0, "out of memory");
	qsort(srat, n_srat, sizeof(srat[0]), cmp_srat);
	for (size_t i = 0; i < e820->n && !rc; i++)
		if (!split_by_srat(out, &e820->r[i], srat, n_srat))
			rc = 1;
	/* Hot-pluggable memory absent at boot is in the SRAT only. */
	for (size_t i = 0; i < n_srat && !rc; i++)
		if (srat[i].hotplug &&
		    !mm_list_add_uncovered(out, e820, srat[i].base, srat[i].end,
					   TDXSIM_MEM_HOTPLUG, srat[i].node))
			rc = 1;
	if (rc)
		rc = mm_fail(c, 0, "more than %d memory ranges once split by the SRAT",
			     TDXSIM_MAX_MEMMAP);
	if (!rc)
		rc = compact_nodes(c, out, cfg);
	if (!rc)
		mm_list_store(out, cfg);
	free(out);
	return rc;
}
