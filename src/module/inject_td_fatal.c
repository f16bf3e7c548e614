/* SPDX-License-Identifier: MIT */
/*
 * tdxsim_inject_td_fatal: a TD turned FATAL as a NON_RECOVERABLE_TD*
 * exit leaves it (tdh_vp_enter.c, after_exit), for tests and scenarios
 * that need a dead TD without a machine check to kill it.
 */
#include <errno.h>

#include "td.h"
#include "pamt.h"
#include "platform/platform_internal.h"

int tdxsim_inject_td_fatal(struct platform *p, uint64_t tdr_pa)
{
	struct tdx_module *m = p->module;
	struct tdr *tdr;
	int i;

	if (!m)
		return -ENODEV;
	if (tdr_pa & (PAGE_4K - 1) || (tdr_pa & m->hkid_mask))
		return -EINVAL;
	/* A read of the PAMT, not a lock: the module sets the flag on an
	 * exit without taking the TDR either, and no injection armed for a
	 * call may be used up here. */
	i = pamt_tdmr_of(m, tdr_pa);
	if (i < 0 || pamt_entry_pt(pamt_entry_peek(m, pamt_entry_pa(&m->tdmr[i], TDX_PS_4K,
								     tdr_pa))) != PT_TDR)
		return -EINVAL;
	tdr = (struct tdr *)td_map(m, tdr_pa, m->global_hkid);
	__atomic_store_n(&tdr->fatal, 1, __ATOMIC_RELAXED);
	return 0;
}
