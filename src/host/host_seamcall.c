/* SPDX-License-Identifier: MIT */
/*
 * The kernel's SEAMCALL wrappers (linux §2.6): sc_retry() re-issues a
 * call while the module lacks entropy; the _prerr flavour maps the
 * software errors to errnos and dumps the registers of any other failure.
 */
#include <errno.h>

#include "host.h"

/* Out of line: inside host_sc_retry it made the wrapper too big for the
 * compiler to inline it and the SEAMCALL door into the callers. */
static __attribute__((noinline)) void count_seamcall(struct host *h)
{
	int cpu = platform_current_lp(h->p);
	_Atomic uint64_t *n;

	if (cpu < 0) {
		atomic_fetch_add(&h->stats.seamcalls[TDXSIM_MAX_LPS].n, 1);
		return;
	}
	n = &h->stats.seamcalls[cpu].n;
	atomic_store_explicit(n, atomic_load_explicit(n, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

uint64_t host_seamcalls(const struct host *h)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i <= TDXSIM_MAX_LPS; i++)
		sum += atomic_load_explicit(&((struct host *)h)->stats.seamcalls[i].n,
					    memory_order_relaxed);
	return sum;
}

uint64_t host_sc_retry(struct host *h, uint64_t leaf,
		       struct tdx_module_args *args)
{
	struct tdx_module_args in = *args;
	uint64_t status;

	for (unsigned i = 0; i < TDX_RDRAND_RETRY_LOOPS; i++) {
		*args = in;
		count_seamcall(h);
		status = seamcall(leaf, args);
		if (h->opt.on_seamcall)
			h->opt.on_seamcall(h->opt.on_seamcall_arg, leaf, &in, status,
					   platform_current_lp(h->p));
		if (status != TDX_RND_NO_ENTROPY)
			break;
	}
	return status;
}

/* Only the first failure is kept: later ones are the unwind's. */
static void note_failure(struct host *h, uint64_t leaf, uint64_t status)
{
	pthread_mutex_lock(&h->log_lock);      /* LP.INIT fails on many CPUs at once */
	if (!h->sc_failed) {
		h->sc_failed = true;
		h->sc_failed_leaf = leaf;
		h->sc_failed_status = status;
	}
	pthread_mutex_unlock(&h->log_lock);
}

static int prerr(struct host *h, uint64_t leaf, struct tdx_module_args *a,
		 bool dump, uint64_t *status)
{
	uint64_t st = host_sc_retry(h, leaf, a);

	if (status)
		*status = st;
	switch (st) {
	case TDX_SUCCESS:
		return 0;
	case TDX_SEAMCALL_VMFAILINVALID:
		return -ENODEV;
	case TDX_SEAMCALL_GP:
		return -EOPNOTSUPP;
	case TDX_SEAMCALL_UD:
		/* Linux is silent here; we say why, since it is always a host
		 * bug (docs/host.md). */
		tdx_err(h, "SEAMCALL (0x%016llx) failed: 0x%016llx (#UD: CPU %u is not in VMX operation)",
			(unsigned long long)leaf, (unsigned long long)st, host_this_cpu(h));
		return -EACCES;
	}
	tdx_err(h, "SEAMCALL (0x%016llx) failed: 0x%016llx",
		(unsigned long long)leaf, (unsigned long long)st);
	note_failure(h, leaf, st);
	if (!dump)
		return -EIO;
	tdx_err(h, "RCX 0x%016llx RDX 0x%016llx R08 0x%016llx",
		(unsigned long long)a->rcx, (unsigned long long)a->rdx,
		(unsigned long long)a->r8);
	tdx_err(h, "R09 0x%016llx R10 0x%016llx R11 0x%016llx",
		(unsigned long long)a->r9, (unsigned long long)a->r10,
		(unsigned long long)a->r11);
	return -EIO;
}

int host_sc_prerr(struct host *h, uint64_t leaf, struct tdx_module_args *a)
{
	return prerr(h, leaf, a, false, NULL);
}

int host_sc_prerr_ret(struct host *h, uint64_t leaf, struct tdx_module_args *a)
{
	return prerr(h, leaf, a, true, NULL);
}

int host_sc_prerr_status(struct host *h, uint64_t leaf,
			 struct tdx_module_args *a, uint64_t *status)
{
	return prerr(h, leaf, a, false, status);
}
