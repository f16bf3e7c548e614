/* SPDX-License-Identifier: MIT */
/* LP registers that are not MSRs: DR0-3/6/7, XCR0, PKRU, CR2, XMM0-15. */
#include <errno.h>
#include <string.h>

#include "tdxsim/abi.h"
#include "platform_internal.h"

void lp_regs_reset(struct lp_regs *r)
{
	memset(r, 0, sizeof(*r));
	/* SDM vol 3 §9.1.1, Table 9-1 (state after power-up/RESET/INIT). */
	r->reg[TDXSIM_REG_DR6] = X86_DR6_INIT;
	r->reg[TDXSIM_REG_DR7] = X86_DR7_INIT;
	/* SDM vol 1 §13.3: XCR0 is 1 after RESET (x87 state only). */
	r->reg[TDXSIM_REG_XCR0] = 1;
}

static const char *const reg_names[TDXSIM_REG_NR] = {
	[TDXSIM_REG_DR0] = "DR0",
	[TDXSIM_REG_DR1] = "DR1",
	[TDXSIM_REG_DR2] = "DR2",
	[TDXSIM_REG_DR3] = "DR3",
	[TDXSIM_REG_DR6] = "DR6",
	[TDXSIM_REG_DR7] = "DR7",
	[TDXSIM_REG_XCR0] = "XCR0",
	[TDXSIM_REG_PKRU] = "PKRU",
	[TDXSIM_REG_CR2] = "CR2",
};

const char *tdxsim_reg_name(enum tdxsim_reg r)
{
	return (unsigned)r < TDXSIM_REG_NR ? reg_names[r] : NULL;
}

static struct lp *lp_of(struct platform *p, unsigned lp)
{
	return p && lp < p->nr_lps ? &p->lps[lp] : NULL;
}

int platform_read_reg(struct platform *p, unsigned lp, enum tdxsim_reg r,
		      uint64_t *v)
{
	struct lp *l = lp_of(p, lp);
	uint64_t *slot;

	if (!l || (unsigned)r >= TDXSIM_REG_NR)
		return -EINVAL;
	slot = &l->regs.reg[r];
	*v = __atomic_load_n(slot, __ATOMIC_RELAXED);
	return 0;
}

int platform_write_reg(struct platform *p, unsigned lp, enum tdxsim_reg r,
		       uint64_t v)
{
	struct lp *l = lp_of(p, lp);
	uint64_t *slot;

	if (!l || (unsigned)r >= TDXSIM_REG_NR)
		return -EINVAL;
	slot = &l->regs.reg[r];
	__atomic_store_n(slot, v, __ATOMIC_RELAXED);
	return 0;
}

int platform_read_xmm(struct platform *p, unsigned lp, unsigned n,
		      uint64_t v[2])
{
	struct lp *l = lp_of(p, lp);

	if (!l || n >= 16)
		return -EINVAL;
	v[0] = __atomic_load_n(&l->regs.xmm[n][0], __ATOMIC_RELAXED);
	v[1] = __atomic_load_n(&l->regs.xmm[n][1], __ATOMIC_RELAXED);
	return 0;
}

int platform_write_xmm(struct platform *p, unsigned lp, unsigned n,
		       const uint64_t v[2])
{
	struct lp *l = lp_of(p, lp);

	if (!l || n >= 16)
		return -EINVAL;
	__atomic_store_n(&l->regs.xmm[n][0], v[0], __ATOMIC_RELAXED);
	__atomic_store_n(&l->regs.xmm[n][1], v[1], __ATOMIC_RELAXED);
	return 0;
}

int platform_zero_xmms(struct platform *p, unsigned lp)
{
	struct lp *l = lp_of(p, lp);

	if (!l)
		return -EINVAL;
	for (unsigned n = 0; n < 16; n++) {
		__atomic_store_n(&l->regs.xmm[n][0], 0, __ATOMIC_RELAXED);
		__atomic_store_n(&l->regs.xmm[n][1], 0, __ATOMIC_RELAXED);
	}
	return 0;
}
