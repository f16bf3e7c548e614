/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU TDX init (linux §3.3): TDH.SYS.INIT exactly once system-wide,
 * on whichever CPU gets there first, then TDH.SYS.LP.INIT on this CPU.
 */
#include <errno.h>

#include "host.h"

static int try_init_module_global(struct host *h)
{
	struct tdx_module_args a = { 0 };
	int ret;

	host_mutex_lock(h, &h->sysinit_lock);
	if (!h->sysinit_done) {
		ret = host_sc_prerr(h, TDH_SYS_INIT, &a);
		/* The first SEAMCALL is also the "is a module loaded" probe. */
		if (ret == -ENODEV)
			tdx_err(h, "module not loaded");
		h->sysinit_ret = ret;
		h->sysinit_done = true;
	}
	ret = h->sysinit_ret;
	pthread_mutex_unlock(&h->sysinit_lock);
	return ret;
}

int host_tdx_cpu_enable(struct host *h)
{
	unsigned cpu = host_this_cpu(h);
	struct tdx_module_args a = { 0 };
	int ret;

	if (platform_current_lp(h->p) < 0)
		return -EPERM;
	if (atomic_load(&h->lp_initialized[cpu]))
		return 0;
	ret = try_init_module_global(h);
	if (ret)
		return ret;
	ret = host_sc_prerr_status(h, TDH_SYS_LP_INIT, &a, &h->lp_init_status[cpu]);
	if (ret)
		return ret;
	atomic_store(&h->lp_initialized[cpu], true);
	return 0;
}
