/* SPDX-License-Identifier: MIT */
/*
 * One-call injections (tdxsim_inject_next): faults aimed at the nth
 * occurrence of a kind inside the next SEAMCALL or TDCALL, disarmed when
 * that call ends whether they fired or not. The door and the TD
 * dispatcher take them; module_fault() asks here first while one is
 * active.
 */
#include <errno.h>
#include <string.h>

#include "module.h"
#include "platform/platform_internal.h"

#define NEXT_MAX_COUNT 1000000u

static bool is_lock(enum tdxsim_inject kind)
{
	switch (kind) {
	case TDXSIM_INJECT_GLOBAL_LOCK:
	case TDXSIM_INJECT_TDMR_LOCK:
	case TDXSIM_INJECT_PAMT_LOCK:
	case TDXSIM_INJECT_KOT_LOCK:
	case TDXSIM_INJECT_OP_STATE_LOCK:
	case TDXSIM_INJECT_SEPT_TREE_LOCK:
	case TDXSIM_INJECT_SEPT_ENTRY_LOCK:
	case TDXSIM_INJECT_EPOCH_LOCK:
	case TDXSIM_INJECT_WBT_LOCK:
	case TDXSIM_INJECT_RTMR_LOCK:
		return true;
	default:
		return false;
	}
}

/* Back to IDLE with nothing armed and no results. Caller holds the lock. */
static void reset(struct next_injects *n)
{
	atomic_store(&n->state, NEXT_IDLE);
	n->taken = false;
	n->leaf = 0;
	memset(n->k, 0, sizeof(n->k));
}

static int arm_check(struct next_injects *n, enum tdxsim_inject kind,
		     enum tdxsim_inject_scope scope)
{
	int state = atomic_load(&n->state);

	if (state == NEXT_ACTIVE)
		return -EBUSY;
	if (state == NEXT_IDLE)
		reset(n);   /* a finished call's results go with the new arming */
	else if (n->scope != (int)scope)
		return -EBUSY;
	return n->k[kind].armed ? -EINVAL : 0;
}

int tdxsim_inject_next(struct platform *p, enum tdxsim_inject kind,
		       unsigned nth, unsigned count,
		       enum tdxsim_inject_scope scope)
{
	struct tdx_module *m = p->module;
	struct next_injects *n;
	int ret;

	if ((unsigned)kind >= TDXSIM_INJECT_NR || !nth || !count ||
	    count > NEXT_MAX_COUNT || nth > NEXT_MAX_COUNT ||
	    (scope != TDXSIM_INJECT_NEXT_SEAMCALL && scope != TDXSIM_INJECT_NEXT_TDCALL))
		return -EINVAL;
	if (!m)
		return -ENODEV;
	n = &m->next;
	pthread_mutex_lock(&n->lock);
	ret = arm_check(n, kind, scope);
	if (!ret) {
		n->scope = (int)scope;
		n->k[kind] = (struct next_inject){ .armed = true, .nth = nth, .count = count };
		/* Published with the configuration above (release). */
		atomic_store(&n->state, NEXT_ARMED);
	}
	pthread_mutex_unlock(&n->lock);
	return ret;
}

void tdxsim_inject_next_result(struct platform *p, enum tdxsim_inject kind,
			       struct tdxsim_inject_result *out)
{
	struct tdx_module *m = p->module;

	memset(out, 0, sizeof(*out));
	if (!m || (unsigned)kind >= TDXSIM_INJECT_NR)
		return;
	pthread_mutex_lock(&m->next.lock);
	if (m->next.k[kind].armed) {
		out->taken = m->next.taken;
		out->leaf = m->next.leaf;
		out->seen = m->next.k[kind].seen;
		out->fired = m->next.k[kind].fired;
	}
	pthread_mutex_unlock(&m->next.lock);
}

void tdxsim_inject_next_clear(struct platform *p)
{
	struct tdx_module *m = p->module;

	if (!m)
		return;
	pthread_mutex_lock(&m->next.lock);
	reset(&m->next);
	pthread_mutex_unlock(&m->next.lock);
}

unsigned module_next_take(struct tdx_module *m, int scope, unsigned lp,
			  unsigned leaf)
{
	struct next_injects *n = &m->next;
	unsigned token = 0;

	pthread_mutex_lock(&n->lock);
	if (atomic_load(&n->state) == NEXT_ARMED && n->scope == scope) {
		if (++n->gen == 0)
			n->gen = 1;
		token = n->gen;
		atomic_store_explicit(&n->lp, lp, memory_order_relaxed);
		n->leaf = leaf;
		n->taken = true;
		atomic_store(&n->state, NEXT_ACTIVE);
	}
	pthread_mutex_unlock(&n->lock);
	return token;
}

/* The call is over: its injections are disarmed, their results kept. */
static void finish(struct next_injects *n)
{
	if (atomic_load(&n->state) == NEXT_ACTIVE)
		atomic_store(&n->state, NEXT_IDLE);
}

void module_next_end(struct tdx_module *m, unsigned token)
{
	struct next_injects *n = &m->next;

	pthread_mutex_lock(&n->lock);
	if (n->gen == token)
		finish(n);
	pthread_mutex_unlock(&n->lock);
}

void module_next_left_td(struct tdx_module *m, unsigned lp)
{
	struct next_injects *n = &m->next;

	if (atomic_load_explicit(&n->state, memory_order_relaxed) != NEXT_ACTIVE)
		return;
	pthread_mutex_lock(&n->lock);
	if (n->scope == TDXSIM_INJECT_NEXT_TDCALL &&
	    atomic_load_explicit(&n->lp, memory_order_relaxed) == lp)
		finish(n);
	pthread_mutex_unlock(&n->lock);
}

/* One occurrence against one armed kind: whether it is one to fail. */
static bool count_one(struct next_inject *k)
{
	if (!k->armed)
		return false;
	k->seen++;
	if (k->seen < k->nth || k->seen - k->nth >= k->count)
		return false;
	k->fired++;
	return true;
}

/* Only the thread of the call that took the injections counts; it is
 * the only writer of the counters until the call ends. */
int module_next_fault(struct tdx_module *m, enum tdxsim_inject kind)
{
	struct next_injects *n = &m->next;
	struct lp *lp = platform_this_lp();
	bool fire;

	if (atomic_load_explicit(&n->state, memory_order_acquire) != NEXT_ACTIVE ||
	    !lp || lp->plat != m->plat ||
	    lp->index != atomic_load_explicit(&n->lp, memory_order_relaxed))
		return -1;
	fire = count_one(&n->k[kind]);
	if (is_lock(kind) && count_one(&n->k[TDXSIM_INJECT_LOCK]))
		fire = true;
	return fire;
}
