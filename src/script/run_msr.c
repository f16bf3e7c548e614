/* SPDX-License-Identifier: MIT */
/*
 * Running `wrmsr` and `rdmsr`: an LP's MSR file through the platform's
 * door (platform_wrmsr/rdmsr), as firmware or a hardware knob sets it
 * (read-only MSRs included), so a script can give the module the CPU its
 * checks are about. An MSR the LP does not implement is a #GP, and so is
 * a value that would change the platform's KeyID layout.
 */
#include <string.h>

#include "script_int.h"
#include "tdxsim/platform.h"

static bool eval_msr(struct runner *r, const struct msr_step *m, uint32_t *msr)
{
	uint64_t v;

	if (!expr_eval(r, &m->msr, &v))
		return false;
	if (v > UINT32_MAX) {
		rt_error(r, "MSR 0x%llx: an MSR index is 32 bits", (unsigned long long)v);
		return false;
	}
	*msr = (uint32_t)v;
	return true;
}

/* The one LP a step names: lp=N, else the script's own. */
static bool target_lp(struct runner *r, const struct msr_step *m, unsigned *lp)
{
	int cur = platform_current_lp(r->p);

	if (m->has_lp)
		return eval_lp(r, &m->lp, lp);
	if (cur < 0) {
		rt_error(r, "no LP bound");
		return false;
	}
	*lp = (unsigned)cur;
	return true;
}

/* A #GP is what `expect gp` asks for; otherwise a run error. */
static int gp(struct runner *r, const struct msr_step *m, unsigned lp, uint32_t msr)
{
	if (m->expect == MSRX_GP)
		return SCRIPT_OK;
	return rt_error(r, "LP %u does not implement %s (#GP)", lp, tdxsim_msr_name(msr));
}

static int write_one(struct runner *r, const struct msr_step *m, unsigned lp,
		     uint32_t msr, uint64_t v)
{
	uint64_t old;

	if (!platform_wrmsr(r->p, lp, msr, v)) {
		if (m->expect == MSRX_GP || !platform_rdmsr(r->p, lp, msr, &old))
			return gp(r, m, lp, msr);
		return rt_error(r, "LP %u refused 0x%llx for %s (#GP): the KeyID layout is "
				"the platform's (platform options set it)", lp,
				(unsigned long long)v, tdxsim_msr_name(msr));
	}
	if (m->expect == MSRX_GP)
		return rt_error(r, "wrmsr %s on LP %u: expected #GP, the LP has it",
				tdxsim_msr_name(msr), lp);
	return SCRIPT_OK;
}

static int exec_wrmsr(struct runner *r, const struct msr_step *m, uint32_t msr)
{
	unsigned lp;
	uint64_t v;
	int rc = SCRIPT_OK;

	if (!expr_eval(r, &m->value, &v))
		return SCRIPT_FAILED;
	if (!m->all_lps)
		return target_lp(r, m, &lp) ? write_one(r, m, lp, msr, v) : SCRIPT_FAILED;
	for (lp = 0; rc == SCRIPT_OK && lp < platform_nr_lps(r->p); lp++)
		rc = write_one(r, m, lp, msr, v);
	return rc;
}

static int exec_rdmsr(struct runner *r, const struct msr_step *m, uint32_t msr)
{
	unsigned lp;
	uint64_t v, want;

	if (!target_lp(r, m, &lp))
		return SCRIPT_FAILED;
	if (!platform_rdmsr(r->p, lp, msr, &v))
		return gp(r, m, lp, msr);
	if (m->expect == MSRX_GP)
		return rt_error(r, "rdmsr %s on LP %u: expected #GP, got 0x%llx",
				tdxsim_msr_name(msr), lp, (unsigned long long)v);
	if (m->expect == MSRX_VALUE) {
		if (!expr_eval(r, &m->value, &want))
			return SCRIPT_FAILED;
		if (v != want)
			return rt_error(r, "rdmsr %s on LP %u: expected 0x%llx, got 0x%llx",
					tdxsim_msr_name(msr), lp, (unsigned long long)want,
					(unsigned long long)v);
	}
	if (m->save != SCRIPT_NO_VAR)
		rt_set_var(r, m->save, v);
	else if (m->expect == MSRX_NONE)
		fprintf(r->out, "LP %u %s: 0x%llx\n", lp, tdxsim_msr_name(msr),
			(unsigned long long)v);
	return SCRIPT_OK;
}

int exec_msr(struct runner *r, const struct step *st)
{
	const struct msr_step *m = &st->u.msr;
	uint32_t msr;

	if (!rt_need_platform(r) || !eval_msr(r, m, &msr))
		return SCRIPT_FAILED;
	return st->op == OP_WRMSR ? exec_wrmsr(r, m, msr) : exec_rdmsr(r, m, msr);
}
