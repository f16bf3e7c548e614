/* SPDX-License-Identifier: MIT */
/* Steps shared by the planning policies. */
#ifndef TDXSIM_HOST_TDMR_PLAN_INTERNAL_H
#define TDXSIM_HOST_TDMR_PLAN_INTERNAL_H

#include "tdmr_plan.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))

/* Appends TDMR [base, end) ; -ENOSPC with the kernel's message when full. */
int plan_add_tdmr(struct tdmr_plan *plan, const struct tdmr_limits *lim,
		  uint64_t base, uint64_t end);
/* The node of the first block ending above base (linux §3.7). */
unsigned plan_pamt_node(const struct tdx_memlist *list, uint64_t base,
			struct tdmr_plan *plan);
/* TDMR i's PAMT, one contiguous block (4K, 2M, 1G table) on node or, as
 * alloc_contig_pages() does, another; adds it to pamt_bytes. -ENOMEM with
 * plan->error set when no node has room. */
int plan_alloc_pamt(const struct tdmr_limits *lim, struct page_alloc *pages,
		    struct tdmr_plan *plan, unsigned i, unsigned node);
/* One contiguous PAMT per TDMR, 4K then 2M then 1G table. */
int plan_alloc_pamts(const struct tdx_memlist *list,
		     const struct tdmr_limits *lim, struct page_alloc *pages,
		     struct tdmr_plan *plan);
/* Holes then PAMTs as reserved areas, one each, sorted (linux §3.7). */
int plan_fill_rsvd(const struct tdx_memlist *list,
		   const struct tdmr_limits *lim, struct tdmr_plan *plan);

/* The policies: TDMR ranges only. */
int plan_fill_linux(const struct tdx_memlist *list,
		    const struct tdmr_limits *lim, struct tdmr_plan *plan);
int plan_build_compact(const struct tdx_memlist *list,
		       const struct tdmr_limits *lim, struct page_alloc *pages,
		       struct tdmr_plan *plan);

#endif
