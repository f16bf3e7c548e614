/* SPDX-License-Identifier: MIT */
/* Status injection: the nth call of a leaf fails with a chosen status. */
#include <errno.h>

#include "module.h"
#include "platform/platform_internal.h"

int tdxsim_inject_status(struct platform *p, uint64_t leaf, int lp,
			 unsigned nth, uint64_t status)
{
	struct tdx_module *m = p->module;
	struct status_injects *s;
	int ret = -ENOSPC;

	if (!m)
		return -ENODEV;
	if (!nth || status == TDX_SUCCESS || leaf > TDX_LEAF_MASK ||
	    lp < TDXSIM_INJECT_ANY_LP || (lp >= 0 && (unsigned)lp >= m->num_of_lps))
		return -EINVAL;
	s = &m->sinj;
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < TDXSIM_MAX_STATUS_INJECTS; i++) {
		if (s->e[i].left)
			continue;
		s->e[i] = (struct status_inject){ (uint32_t)leaf, lp, nth, status };
		atomic_fetch_add(&s->n_armed, 1);
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void tdxsim_inject_status_clear(struct platform *p)
{
	struct tdx_module *m = p->module;

	if (!m)
		return;
	pthread_mutex_lock(&m->sinj.lock);
	for (unsigned i = 0; i < TDXSIM_MAX_STATUS_INJECTS; i++)
		m->sinj.e[i].left = 0;
	atomic_store(&m->sinj.n_armed, 0);
	pthread_mutex_unlock(&m->sinj.lock);
}

bool module_status_injected(struct tdx_module *m, unsigned leaf, unsigned lp,
			    uint64_t *status)
{
	struct status_injects *s = &m->sinj;
	bool fired = false;

	if (!atomic_load_explicit(&s->n_armed, memory_order_relaxed))
		return false;
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < TDXSIM_MAX_STATUS_INJECTS; i++) {
		struct status_inject *e = &s->e[i];

		if (!e->left || e->leaf != leaf ||
		    (e->lp != TDXSIM_INJECT_ANY_LP && (unsigned)e->lp != lp))
			continue;
		/* Two due on one call: the later waits for the next call. */
		if (e->left == 1 && fired)
			continue;
		if (--e->left)
			continue;
		atomic_fetch_sub(&s->n_armed, 1);
		*status = e->status;
		fired = true;
	}
	pthread_mutex_unlock(&s->lock);
	return fired;
}
