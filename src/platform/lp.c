/* SPDX-License-Identifier: MIT */
/* LPs: online state, VMX operation, thread binding, smp_call_on_cpu. */
#include <errno.h>

#include "tdxsim/abi.h"
#include "platform_internal.h"

#define TME_ACTIVATE_KEYID_BITS (0xFULL << 32)   /* MK_TME_KEYID_BITS, 35:32 */

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

_Static_assert(LP_MAX_MSRS < 255 && LP_MSR_HASH >= 2 * LP_MAX_MSRS &&
	       (LP_MSR_HASH & (LP_MSR_HASH - 1)) == 0, "the MSR hash has room");

static unsigned msr_bucket(uint32_t msr)
{
	return (unsigned)((msr * 0x9E3779B1u) >> 24) & (LP_MSR_HASH - 1);
}

static int msr_fixed(uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_SPEC_CTRL: return LP_MSR_SPEC_CTRL;
	case MSR_IA32_DS_AREA: return LP_MSR_DS_AREA;
	case MSR_IA32_TSX_CTRL: return LP_MSR_TSX_CTRL;
	case MSR_IA32_DEBUGCTL: return LP_MSR_DEBUGCTL;
	case MSR_IA32_TSC_AUX: return LP_MSR_TSC_AUX;
	case MSR_IA32_STAR: return LP_MSR_STAR;
	case MSR_IA32_LSTAR: return LP_MSR_LSTAR;
	case MSR_IA32_KERNEL_GS_BASE: return LP_MSR_KERNEL_GS_BASE;
	case MSR_IA32_FMASK: return LP_MSR_FMASK;
	case MSR_IA32_UARCH_MISC_CTL: return LP_MSR_UARCH_MISC_CTL;
	case MSR_IA32_XFD: return LP_MSR_XFD;
	case MSR_IA32_XFD_ERR: return LP_MSR_XFD_ERR;
	case MSR_IA32_XSS: return LP_MSR_XSS;
	case MSR_IA32_UMWAIT_CONTROL: return LP_MSR_UMWAIT_CONTROL;
	default: return -1;
	}
}

struct msr_slot *lp_msr_slot(struct lp *l, uint32_t msr)
{
	int fixed = msr_fixed(msr);

	if (fixed >= 0) {
		unsigned i = l->msr_fixed[fixed];

		return i ? &l->msrs[i - 1] : NULL;
	}
	for (unsigned h = msr_bucket(msr);; h = (h + 1) & (LP_MSR_HASH - 1)) {
		unsigned i = l->msr_hash[h];

		if (!i)
			return NULL;
		if (l->msrs[i - 1].index == msr)
			return &l->msrs[i - 1];
	}
}

bool lp_msr_add(struct lp *l, uint32_t msr, uint64_t value)
{
	struct msr_slot *slot = lp_msr_slot(l, msr);
	unsigned h = msr_bucket(msr);

	if (slot) {
		slot->value = value;
		return true;
	}
	if (l->n_msrs == LP_MAX_MSRS)
		return false;
	while (l->msr_hash[h])
		h = (h + 1) & (LP_MSR_HASH - 1);
	l->msrs[l->n_msrs] = (struct msr_slot){ msr, value };
	l->msr_hash[h] = (uint8_t)++l->n_msrs;
	if (msr_fixed(msr) >= 0)
		l->msr_fixed[msr_fixed(msr)] = (uint8_t)l->n_msrs;
	return true;
}

/* The MSR file's shape is fixed once the platform exists: an access is
 * one relaxed atomic on the value, like a register access on one CPU. */
bool platform_rdmsr(struct platform *p, unsigned lp, uint32_t msr,
		    uint64_t *val)
{
	struct lp *l = lp_get(p, lp);
	struct msr_slot *slot = l ? lp_msr_slot(l, msr) : NULL;

	if (!slot)
		return false;
	*val = __atomic_load_n(&slot->value, __ATOMIC_RELAXED);
	return true;
}

/* The KeyID layout is the platform's shape (its configuration): memory
 * and every KeyID check go by it, so a value of TME_ACTIVATE's KeyID
 * bits or of the partitioning that says otherwise would have module and
 * memory disagree. Such a write is refused, as the locked hardware MSRs
 * refuse any. */
static bool keeps_layout(const struct msr_slot *slot, uint32_t msr, uint64_t val)
{
	uint64_t old = __atomic_load_n(&slot->value, __ATOMIC_RELAXED);

	if (msr == MSR_IA32_MKTME_KEYID_PARTITIONING)
		return val == old;
	if (msr == MSR_IA32_TME_ACTIVATE)
		return ((val ^ old) & TME_ACTIVATE_KEYID_BITS) == 0;
	return true;
}

bool platform_wrmsr(struct platform *p, unsigned lp, uint32_t msr,
		    uint64_t val)
{
	struct lp *l = lp_get(p, lp);
	struct msr_slot *slot = l ? lp_msr_slot(l, msr) : NULL;

	if (!slot || !keeps_layout(slot, msr, val))
		return false;
	__atomic_store_n(&slot->value, val, __ATOMIC_RELAXED);
	return true;
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
	n = l->n_msrs;
	return n;
}

bool platform_lp_msr_at(struct platform *p, unsigned lp, unsigned i,
			uint32_t *msr, uint64_t *val)
{
	struct lp *l = lp_get(p, lp);
	bool ok = false;

	if (!l)
		return false;
	if (i < l->n_msrs) {
		*msr = l->msrs[i].index;
		*val = __atomic_load_n(&l->msrs[i].value, __ATOMIC_RELAXED);
		ok = true;
	}
	return ok;
}
