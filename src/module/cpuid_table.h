/* SPDX-License-Identifier: MIT */
/*
 * The module's CPUID tables (tdx-module tdx_1.5
 * include/auto_gen/cpuid_configurations.c): every leaf/subleaf the module
 * samples at TDH.SYS.INIT, checks at LP.INIT and virtualises for a TD,
 * and the 12 a host may configure in TD_PARAMS. The numbers are the
 * real module's; index order is its lookup order, which fixes the order
 * of the checks and of the TDCS CPUID values.
 */
#ifndef TDXSIM_MODULE_CPUID_TABLE_H
#define TDXSIM_MODULE_CPUID_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define CPUID_NUM_LOOKUP   64      /* MAX_NUM_CPUID_LOOKUP */
#define CPUID_NUM_CONFIG   12      /* MAX_NUM_CPUID_CONFIG */
#define CPUID_SUBLEAF_NA   0xFFFFFFFFu
#define CPUID_NO_INDEX     (-1)
#define CPUID_XFAM_BITS    19      /* XCR0_MAX_VALID_BIT + 1 */

enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

struct cpuid_regs {
	uint32_t r[4];
};

struct cpuid_lookup {
	uint32_t leaf, subleaf;
	bool faulting;                 /* the guest's CPUID raises #VE */
	int8_t config;                 /* index in cpuid_configurable or -1 */
	struct cpuid_regs verify_mask, verify_value;  /* SYS.INIT */
	struct cpuid_regs verify_same;                /* LP.INIT */
	struct cpuid_regs fixed0_or_dynamic, fixed1;  /* the TD's view */
};

struct cpuid_configurable {
	uint32_t leaf, subleaf;
	struct cpuid_regs config_direct, allow_direct;
	uint8_t lookup;
};

extern const struct cpuid_lookup cpuid_lookup[CPUID_NUM_LOOKUP];
extern const struct cpuid_configurable cpuid_configurable[CPUID_NUM_CONFIG];

/* Bits each XFAM bit governs, per leaf (xfam_mask_*): cleared in a
 * TD's values when that XFAM bit is 0. */
extern const struct cpuid_regs cpuid_xfam_1[CPUID_XFAM_BITS];
extern const struct cpuid_regs cpuid_xfam_7_0[CPUID_XFAM_BITS];
extern const struct cpuid_regs cpuid_xfam_7_1[CPUID_XFAM_BITS];
extern const struct cpuid_regs cpuid_xfam_d_0[CPUID_XFAM_BITS];
extern const struct cpuid_regs cpuid_xfam_d_1[CPUID_XFAM_BITS];

/* get_cpuid_lookup_entry: the first entry for leaf whose subleaf is
 * subleaf or "none"; CPUID_NO_INDEX if there is none. */
int cpuid_lookup_index(uint32_t leaf, uint32_t subleaf);

/* The {EBX:EAX} / {EDX:ECX} halves the ABI packs into 64-bit values. */
static inline uint64_t cpuid_lo(const struct cpuid_regs *v)
{
	return v->r[CPUID_EAX] | (uint64_t)v->r[CPUID_EBX] << 32;
}

static inline uint64_t cpuid_hi(const struct cpuid_regs *v)
{
	return v->r[CPUID_ECX] | (uint64_t)v->r[CPUID_EDX] << 32;
}

static inline uint64_t cpuid_leaf_subleaf(uint32_t leaf, uint32_t subleaf)
{
	return leaf | (uint64_t)subleaf << 32;
}

#endif
