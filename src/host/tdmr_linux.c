/* SPDX-License-Identifier: MIT */
/*
 * Linux's TDMR fill rule (fill_out_tdmrs, linux §3.7): each memory block
 * widened to 1 GiB starts a new TDMR unless the previous TDMR already
 * covers it; no merging across blocks, "deliberately simple".
 */
#include <stdio.h>

#include "tdmr_plan_internal.h"


int plan_fill_linux(const struct tdx_memlist *list,
		    const struct tdmr_limits *lim, struct tdmr_plan *plan)
{
	for (size_t i = 0; i < list->n; i++) {
		uint64_t s = ALIGN_DOWN(list->b[i].start, GiB);
		uint64_t e = ALIGN_UP(list->b[i].end, GiB);
		const struct tdmr_info_entry *cur =
			plan->n_tdmrs ? &plan->tdmr[plan->n_tdmrs - 1].info : NULL;
		int ret;

		if (cur && cur->tdmr_base + cur->tdmr_size >= e)
			continue;
		if (cur && cur->tdmr_base + cur->tdmr_size > s)
			s = cur->tdmr_base + cur->tdmr_size;
		ret = plan_add_tdmr(plan, lim, s, e);
		if (ret)
			return ret;
	}
	if (lim->max_tdmrs - plan->n_tdmrs < TDMR_NR_WARN)
		snprintf(plan->warning, sizeof(plan->warning),
			 "consumed TDMRs reaching limit: %u used out of %u",
			 plan->n_tdmrs, lim->max_tdmrs);
	return 0;
}
