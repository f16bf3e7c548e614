/* SPDX-License-Identifier: MIT */
/*
 * Fault and contention injection: make the next N occurrences of an event
 * inside the module fail, to exercise host error paths without real
 * hardware. Counts are per platform and consumed as the events happen.
 */
#ifndef TDXSIM_INJECT_H
#define TDXSIM_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct platform;

enum tdxsim_inject {
	TDXSIM_INJECT_RDRAND = 0,      /* RDRAND/RDSEED: TDX_RND_NO_ENTROPY */
	TDXSIM_INJECT_PCONFIG_BUSY,    /* PCONFIG: TDX_OPERAND_BUSY|KET */
	TDXSIM_INJECT_KEYGEN,          /* PCONFIG: TDX_KEY_GENERATION_FAILED */
	TDXSIM_INJECT_GLOBAL_LOCK,     /* global lock held elsewhere: SYS_BUSY */
	TDXSIM_INJECT_TDMR_LOCK,       /* per-TDMR mutex held: OPERAND_BUSY */
	TDXSIM_INJECT_PAMT_LOCK,       /* a PAMT entry lock held: OPERAND_BUSY */
	TDXSIM_INJECT_KOT_LOCK,        /* KOT held: OPERAND_BUSY|KOT */
	TDXSIM_INJECT_OP_STATE_LOCK,   /* TDCS op-state lock: OPERAND_BUSY|OP_STATE */
	TDXSIM_INJECT_SEPT_TREE_LOCK,  /* SEPT tree lock: OPERAND_BUSY|SEPT_TREE */
	TDXSIM_INJECT_SEPT_ENTRY_LOCK, /* SEPT entry TDEL: OPERAND_BUSY|RCX */
	TDXSIM_INJECT_EPOCH_LOCK,      /* TD epoch lock: OPERAND_BUSY|TD_EPOCH */
	TDXSIM_INJECT_WBT_LOCK,        /* per-package WBT mutex: OPERAND_BUSY|WBCACHE */
	TDXSIM_INJECT_INTERRUPT,       /* a host interrupt is pending: interruptible
				        * leaves stop with TDX_INTERRUPTED_* */
	TDXSIM_INJECT_RTMR_LOCK,       /* TDCS RTMR lock: OPERAND_BUSY|RTMR */
	TDXSIM_INJECT_TD_FATAL,        /* as a TDCALL traps into the module, the
				        * TD turns fatal (a #MC on another LP):
				        * NON_RECOVERABLE_TD_NON_ACCESSIBLE exit */
	TDXSIM_INJECT_LOCK,            /* any lock above, whatever its kind, with
				        * that lock's busy status; only for
				        * tdxsim_inject_next() */
	TDXSIM_INJECT_NR
};

const char *tdxsim_inject_name(enum tdxsim_inject kind);
int tdxsim_inject_parse(const char *name);   /* -1 if unknown */
/* The next count occurrences of kind fail, in whatever calls they come,
 * on any LP; an armed count that nothing consumes stays armed. 0, or
 * -EINVAL for a bad kind (TDXSIM_INJECT_LOCK included) or a count over
 * 1,000,000, -ENODEV when no module is loaded. */
int tdxsim_inject(struct platform *p, enum tdxsim_inject kind, unsigned count);

/*
 * One-call injection (docs/architecture.md, "Fault and contention
 * injection"): a fault aimed inside a single call, armed for nothing
 * after it.
 *
 * tdxsim_inject_next() arms kind for the next call of the scope that
 * reaches the module, on any LP: a SEAMCALL past the door's own checks
 * (#UD, #GP and VMfailInvalid never reach the module), or a TDCALL other
 * than TDG.VP.VMCALL (which only leaves the TD). Inside that call the
 * nth occurrence of kind (1: the first) and the count - 1 after it fail;
 * occurrences on other LPs meanwhile do not count. When the call
 * returns, or when a TDCALL leaves the TD (its re-execution after the
 * next entry is another call), every one-call injection is disarmed,
 * fired or not, and tdxsim_inject_next_result() says what each did.
 * Kinds armed before one call share it; TDXSIM_INJECT_LOCK counts every
 * lock attempt of any kind, so nth aims at the leaf's nth lock.
 *
 * For one thread driving the machine (the scenario runner): with calls
 * on several LPs, whichever reaches the module first takes it.
 * 0, -EINVAL (bad kind or scope, nth or count 0, count over 1,000,000,
 * kind already armed), -EBUSY (armed for the other scope, or a call is
 * inside the previous one), -ENODEV (no module).
 */
enum tdxsim_inject_scope {
	TDXSIM_INJECT_NEXT_SEAMCALL,
	TDXSIM_INJECT_NEXT_TDCALL,
};
int tdxsim_inject_next(struct platform *p, enum tdxsim_inject kind,
		       unsigned nth, unsigned count,
		       enum tdxsim_inject_scope scope);

struct tdxsim_inject_result {
	bool taken;          /* a call took the armed injections */
	unsigned leaf;       /* that call's leaf (SEAMCALL or TDCALL number) */
	unsigned seen;       /* occurrences of the kind inside that call */
	unsigned fired;      /* how many of them were made to fail */
};
/* What the one-call injection of kind did (all zero when it was not
 * armed); valid until the next tdxsim_inject_next() or _clear(). */
void tdxsim_inject_next_result(struct platform *p, enum tdxsim_inject kind,
			       struct tdxsim_inject_result *out);
/* Disarms every one-call injection, taken or not, and drops the results. */
void tdxsim_inject_next_clear(struct platform *p);

/*
 * Marks the TD whose TDR page is at tdr_pa (no KeyID bits) FATAL, as the
 * module does when a vCPU leaves it with a NON_RECOVERABLE_TD* exit (a
 * #MC on TD memory, say): TDR.FATAL is set, and from then on every TD
 * leaf answers TDX_TD_FATAL and no vCPU enters. Takes no module lock and
 * consumes no injection. 0, -EINVAL (not a TDR page), -ENODEV (no module).
 */
int tdxsim_inject_td_fatal(struct platform *p, uint64_t tdr_pa);

#define TDXSIM_INJECT_ANY_LP (-1)
#define TDXSIM_MAX_STATUS_INJECTS 8

/*
 * Makes the nth (1 = the next) call of a leaf (any version) on an LP, or
 * on any LP, fail with the given status: the call passes the dispatcher's
 * gating and then returns status in RAX instead of running, leaving the
 * other registers as they went in. For host error paths a real module
 * reaches only on broken hardware. 0, -EINVAL (nth 0, bad LP, status
 * TDX_SUCCESS), -ENOSPC (too many armed), -ENODEV (no module).
 */
int tdxsim_inject_status(struct platform *p, uint64_t leaf, int lp,
			 unsigned nth, uint64_t status);
/* Disarms every status injection that has not fired. */
void tdxsim_inject_status_clear(struct platform *p);

#ifdef __cplusplus
}
#endif
#endif
