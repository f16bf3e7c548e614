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
	TDXSIM_INJECT_NR
};

const char *tdxsim_inject_name(enum tdxsim_inject kind);
int tdxsim_inject_parse(const char *name);   /* -1 if unknown */
/* 0, or -EINVAL for a bad kind, -ENODEV when no module is loaded. */
int tdxsim_inject(struct platform *p, enum tdxsim_inject kind, unsigned count);

#ifdef __cplusplus
}
#endif
#endif
