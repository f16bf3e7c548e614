/* SPDX-License-Identifier: MIT */
/* Placeholder until the compact policy lands: refuses clearly. */
#include <errno.h>
#include <stdio.h>

#include "tdmr_plan_internal.h"

int plan_build_compact(const struct tdx_memlist *list,
		       const struct tdmr_limits *lim, struct page_alloc *pages,
		       struct tdmr_plan *plan)
{
	snprintf(plan->error, sizeof(plan->error), "the compact TDMR policy is not available yet");
	return -EOPNOTSUPP;
}
