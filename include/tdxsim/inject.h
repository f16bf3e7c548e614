/* SPDX-License-Identifier: MIT */
/*
 * Fault and contention injection: make the next N occurrences of an event
 * inside the module fail, to exercise host error paths without real
 * hardware. Counts are per platform and consumed as the events happen.
 */
#ifndef TDXSIM_INJECT_H
#define TDXSIM_INJECT_H

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
	TDXSIM_INJECT_NR
};

const char *tdxsim_inject_name(enum tdxsim_inject kind);
int tdxsim_inject_parse(const char *name);   /* -1 if unknown */
/* 0, or -EINVAL for a bad kind, -ENODEV when no module is loaded. */
int tdxsim_inject(struct platform *p, enum tdxsim_inject kind, unsigned count);

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
