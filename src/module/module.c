/* SPDX-License-Identifier: MIT */
/* Loading the module onto a platform; fault injection; the global lock. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "td_run.h"
#include "metadata_sys.h"
#include "platform/platform_internal.h"

int tdx_module_load(struct platform *p);
void tdx_module_unload(struct platform *p);

int tdx_module_load(struct platform *p)
{
	struct tdx_module *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->lp = calloc(p->nr_lps, sizeof(*m->lp));
	if (!m->lp) {
		free(m);
		return -ENOMEM;
	}
	m->plat = p;
	m->profile = p->cfg.profile;
	m->num_of_lps = p->nr_lps;
	m->num_of_pkgs = p->cfg.packages;
	atomic_init(&m->sys_state, SYSINIT_PENDING);
	pthread_mutex_init(&m->sinj.lock, NULL);
	pthread_mutex_init(&m->next.lock, NULL);
	pthread_mutex_init(&m->runs_lock, NULL);
	md_sys_index(m);
	p->module = m;
	return 0;
}

void tdx_module_unload(struct platform *p)
{
	if (!p->module)
		return;
	td_run_drop_all(p->module);
	pthread_mutex_destroy(&p->module->runs_lock);
	pthread_mutex_destroy(&p->module->sinj.lock);
	pthread_mutex_destroy(&p->module->next.lock);
	free(p->module->lp);
	free(p->module);
	p->module = NULL;
}

struct tdx_module *module_of(struct platform *p)
{
	return p->module;
}

bool module_fault(struct tdx_module *m, enum tdxsim_inject kind)
{
	int v;

	/* A one-call injection counts this occurrence first (inject_next.c). */
	if (__builtin_expect(atomic_load_explicit(&m->next.state, memory_order_relaxed) ==
			     NEXT_ACTIVE, 0) && module_next_fault(m, kind) > 0)
		return true;
	v = atomic_load_explicit(&m->inject[kind], memory_order_relaxed);

	while (v > 0) {
		if (atomic_compare_exchange_weak(&m->inject[kind], &v, v - 1))
			return true;
	}
	return false;
}

/* Whether an LP other than self is inside a SEAMCALL right now. */
bool module_others_in_seam(struct tdx_module *m, unsigned self)
{
	for (unsigned i = 0; i < m->num_of_lps; i++)
		if (i != self && atomic_load(&m->lp[i].lp_is_busy))
			return true;
	return false;
}

bool module_lock_global(struct tdx_module *m, enum lock_mode mode)
{
	if (module_fault(m, TDXSIM_INJECT_GLOBAL_LOCK))
		return false;
	return sharex_try(&m->global_lock, mode);
}

void module_unlock_global(struct tdx_module *m, enum lock_mode mode)
{
	sharex_release(&m->global_lock, mode);
}

bool module_lock_kot(struct tdx_module *m, enum lock_mode mode)
{
	if (module_fault(m, TDXSIM_INJECT_KOT_LOCK))
		return false;
	return sharex_try(&m->kot_lock, mode);
}

void module_unlock_kot(struct tdx_module *m, enum lock_mode mode)
{
	sharex_release(&m->kot_lock, mode);
}

/* splitmix64: deterministic per platform, so runs are reproducible. */
uint64_t module_random(struct tdx_module *m)
{
	uint64_t z = atomic_fetch_add(&m->rng, 0x9E3779B97F4A7C15ULL) +
		     0x9E3779B97F4A7C15ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static const char *const inject_names[TDXSIM_INJECT_NR] = {
	[TDXSIM_INJECT_RDRAND] = "rdrand",
	[TDXSIM_INJECT_PCONFIG_BUSY] = "pconfig-busy",
	[TDXSIM_INJECT_KEYGEN] = "keygen",
	[TDXSIM_INJECT_GLOBAL_LOCK] = "global-lock",
	[TDXSIM_INJECT_TDMR_LOCK] = "tdmr-lock",
	[TDXSIM_INJECT_PAMT_LOCK] = "pamt-lock",
	[TDXSIM_INJECT_KOT_LOCK] = "kot-lock",
	[TDXSIM_INJECT_OP_STATE_LOCK] = "op-state-lock",
	[TDXSIM_INJECT_SEPT_TREE_LOCK] = "sept-tree-lock",
	[TDXSIM_INJECT_SEPT_ENTRY_LOCK] = "sept-entry-lock",
	[TDXSIM_INJECT_EPOCH_LOCK] = "epoch-lock",
	[TDXSIM_INJECT_WBT_LOCK] = "wbt-lock",
	[TDXSIM_INJECT_INTERRUPT] = "interrupt",
	[TDXSIM_INJECT_RTMR_LOCK] = "rtmr-lock",
	[TDXSIM_INJECT_TD_FATAL] = "td-fatal",
	[TDXSIM_INJECT_LOCK] = "lock",
};

const char *tdxsim_inject_name(enum tdxsim_inject kind)
{
	return (unsigned)kind < TDXSIM_INJECT_NR ? inject_names[kind] : NULL;
}

int tdxsim_inject_parse(const char *name)
{
	for (int i = 0; i < TDXSIM_INJECT_NR; i++)
		if (!strcmp(inject_names[i], name))
			return i;
	return -1;
}

int tdxsim_inject(struct platform *p, enum tdxsim_inject kind, unsigned count)
{
	/* TDXSIM_INJECT_LOCK stands for every lock kind at once: counting it
	 * here would cost each lock a second load on the hot path. */
	if ((unsigned)kind >= TDXSIM_INJECT_NR || kind == TDXSIM_INJECT_LOCK ||
	    count > 1000000)
		return -EINVAL;
	if (!p->module)
		return -ENODEV;
	atomic_store(&p->module->inject[kind], (int)count);
	return 0;
}
