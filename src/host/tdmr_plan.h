/* SPDX-License-Identifier: MIT */
/*
 * TDMR planning (linux §3.6–3.8): the TDX memory list, the TDMRs that
 * cover it, a PAMT per TDMR taken from the host page allocator, and the
 * reserved areas. Two policies: "linux" does exactly what the kernel
 * does; "compact" merges and splits TDMRs to use fewer of them and less
 * PAMT, and to fit maps the kernel's rule cannot (docs/host.md).
 */
#ifndef TDXSIM_HOST_TDMR_PLAN_H
#define TDXSIM_HOST_TDMR_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "tdxsim/abi.h"
#include "tdxsim/platform.h"

struct page_alloc;

#define HOST_MAX_TDMRS TDX_MAX_TDMRS

enum tdmr_policy { TDMR_POLICY_LINUX = 0, TDMR_POLICY_COMPACT };

const char *tdmr_policy_name(enum tdmr_policy p);
bool tdmr_policy_parse(const char *name, enum tdmr_policy *out);

/* One TDX memory block ("TMB"): [start, end) on a node. */
struct tdx_memblock {
	uint64_t start, end;
	unsigned node;
};

struct tdx_memlist {
	size_t n;
	struct tdx_memblock b[TDXSIM_MAX_MEMMAP];
};

/* The RAM of a memory map, first 1 MiB excluded (linux §3.6). */
void tdx_memlist_from_config(const struct tdxsim_platform_config *cfg,
			     struct tdx_memlist *out);
/* Whether [start, end) lies wholly inside one block. */
bool tdx_memlist_contains(const struct tdx_memlist *l, uint64_t start,
			  uint64_t end);

/* What the module allows, as read with TDH.SYS.RD (linux §3.4). */
struct tdmr_limits {
	unsigned max_tdmrs;
	unsigned max_rsvd;
	unsigned pamt_entry_size[3];   /* indexed by TDX_PS_4K/2M/1G */
};

void tdmr_limits_default(struct tdmr_limits *l);

struct host_tdmr {
	struct tdmr_info_entry info;
	unsigned n_rsvd;
	unsigned pamt_node;
};

struct tdmr_plan {
	enum tdmr_policy policy;
	unsigned n_tdmrs;
	struct host_tdmr tdmr[HOST_MAX_TDMRS];
	uint64_t pamt_bytes;
	bool pamts_allocated;
	char warning[200];             /* a kernel warning line, or empty */
	char error[200];               /* the kernel's failure line */
};

/*
 * Builds a plan for the list. PAMTs come from pages (on the node of the
 * memory they describe). Returns 0, or -ENOSPC (TDMRs or reserved areas
 * exhausted) / -ENOMEM (no room for a PAMT) with plan->error set, having
 * freed any PAMT it took.
 */
int tdmr_plan_build(const struct tdx_memlist *list,
		    const struct tdmr_limits *lim, enum tdmr_policy policy,
		    struct page_alloc *pages, struct tdmr_plan *plan);
/* Gives every PAMT back to the allocator. */
void tdmr_plan_free_pamts(struct tdmr_plan *plan, struct page_alloc *pages);

/* A plan against a fresh allocator holding the map's RAM: what `tdxsim
 * plan` and the tests use. */
int tdmr_plan_for_config(const struct tdxsim_platform_config *cfg,
			 enum tdmr_policy policy, struct tdmr_plan *plan);

/* PAMT bytes a TDMR of this size needs at each level, 4 KiB rounded. */
uint64_t tdmr_pamt_size(uint64_t tdmr_size, unsigned level,
			const struct tdmr_limits *lim);

#endif
