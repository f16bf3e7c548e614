/* SPDX-License-Identifier: MIT */
/* LPs: online state, VMX operation, thread binding, smp_call_on_cpu. */
#include <errno.h>

#include "tdxsim/abi.h"
#include "platform_internal.h"

/* The one thread-local of tdxsim: the LP this thread runs on. */
static _Thread_local struct lp *this_lp;

struct lp *platform_this_lp(void)
{
	return this_lp;
}

static struct lp *lp_get(const struct platform *p, unsigned lp)
{
	return lp < p->nr_lps ? &p->lps[lp] : NULL;
}

bool platform_lp_online(const struct platform *p, unsigned lp)
{
	struct lp *l = lp_get(p, lp);
	bool on;

	if (!l)
		return false;
	pthread_mutex_lock(&l->state_lock);
	on = l->online;
	pthread_mutex_unlock(&l->state_lock);
	return on;
}

int platform_lp_set_online(struct platform *p, unsigned lp, bool online)
{
	struct lp *l = lp_get(p, lp);

	if (!l)
		return -EINVAL;
	if (this_lp == l)
		return -EBUSY;
	if (pthread_mutex_trylock(&l->occupancy) != 0)
		return -EBUSY;
	pthread_mutex_lock(&l->state_lock);
	l->online = online;
	if (!online)
		l->vmx_on = false;   /* going down leaves VMX operation */
	pthread_mutex_unlock(&l->state_lock);
	pthread_mutex_unlock(&l->occupancy);
	return 0;
}

int platform_current_lp(const struct platform *p)
{
	return this_lp && this_lp->plat == p ? (int)this_lp->index : -1;
}

static int set_vmx(struct platform *p, bool on)
{
	struct lp *l = this_lp;
	int ret = 0;

	if (!l || l->plat != p)
		return -EPERM;
	pthread_mutex_lock(&l->state_lock);
	if (l->vmx_on == on)
		ret = -EIO;
	else
		l->vmx_on = on;
	pthread_mutex_unlock(&l->state_lock);
	return ret;
}

int platform_vmxon(struct platform *p)
{
	return set_vmx(p, true);
}

int platform_vmxoff(struct platform *p)
{
	return set_vmx(p, false);
}

bool platform_lp_in_vmx(const struct platform *p, unsigned lp)
{
	struct lp *l = lp_get(p, lp);
	bool on;

	if (!l)
		return false;
	pthread_mutex_lock(&l->state_lock);
	on = l->vmx_on;
	pthread_mutex_unlock(&l->state_lock);
	return on;
}

void platform_unbind(struct platform *p)
{
	struct lp *l = this_lp;

	if (!l || l->plat != p)
		return;
	this_lp = NULL;
	pthread_mutex_unlock(&l->occupancy);
}

int platform_bind(struct platform *p, unsigned lp)
{
	struct lp *l = lp_get(p, lp);

	if (!l)
		return -EINVAL;
	if (this_lp == l)
		return 0;
	if (this_lp)
		platform_unbind(this_lp->plat);
	pthread_mutex_lock(&l->occupancy);
	if (!platform_lp_online(p, lp)) {
		pthread_mutex_unlock(&l->occupancy);
		return -ENODEV;
	}
	this_lp = l;
	return 0;
}

int platform_on_lp(struct platform *p, unsigned lp, int (*fn)(void *),
		   void *arg)
{
	struct lp *prev = this_lp;
	int ret;

	if (lp >= p->nr_lps)
		return -EINVAL;
	if (prev && prev->index == lp && prev->plat == p)
		return fn(arg);
	ret = platform_bind(p, lp);
	if (ret == 0) {
		ret = fn(arg);
		platform_unbind(p);
	}
	if (prev) {
		pthread_mutex_lock(&prev->occupancy);
		this_lp = prev;
	}
	return ret;
}

bool platform_rdmsr(struct platform *p, unsigned lp, uint32_t msr,
		    uint64_t *val)
{
	struct lp *l = lp_get(p, lp);
	bool found = false;

	if (!l)
		return false;
	pthread_mutex_lock(&l->state_lock);
	for (unsigned i = 0; i < l->n_msrs; i++) {
		if (l->msrs[i].index == msr) {
			*val = l->msrs[i].value;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&l->state_lock);
	return found;
}

bool platform_wrmsr(struct platform *p, unsigned lp, uint32_t msr,
		    uint64_t val)
{
	struct lp *l = lp_get(p, lp);
	bool found = false;

	if (!l)
		return false;
	pthread_mutex_lock(&l->state_lock);
	for (unsigned i = 0; i < l->n_msrs; i++) {
		if (l->msrs[i].index == msr) {
			l->msrs[i].value = val;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&l->state_lock);
	return found;
}

void platform_cpuid(const struct platform *p, unsigned lp, uint32_t leaf,
		    uint32_t subleaf, uint32_t regs[4])
{
	struct lp *l = lp_get(p, lp);

	if (!l) {
		regs[0] = regs[1] = regs[2] = regs[3] = 0;
		return;
	}
	cpu_model_cpuid(p, l, leaf, subleaf, regs);
}

unsigned platform_lp_msr_count(struct platform *p, unsigned lp)
{
	struct lp *l = lp_get(p, lp);
	unsigned n;

	if (!l)
		return 0;
	pthread_mutex_lock(&l->state_lock);
	n = l->n_msrs;
	pthread_mutex_unlock(&l->state_lock);
	return n;
}

bool platform_lp_msr_at(struct platform *p, unsigned lp, unsigned i,
			uint32_t *msr, uint64_t *val)
{
	struct lp *l = lp_get(p, lp);
	bool ok = false;

	if (!l)
		return false;
	pthread_mutex_lock(&l->state_lock);
	if (i < l->n_msrs) {
		*msr = l->msrs[i].index;
		*val = l->msrs[i].value;
		ok = true;
	}
	pthread_mutex_unlock(&l->state_lock);
	return ok;
}
