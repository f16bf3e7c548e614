/* SPDX-License-Identifier: MIT */
/*
 * The module's per-MSR configuration (tdx-module tdx_1.5
 * include/auto_gen/msr_config_lookup.c, 134 ranges in address order):
 * for a read and a write, what the TD's MSR bitmap bit is (fixed 0 =
 * the guest reaches the MSR natively, fixed 1 = every access exits, or
 * dynamic: cleared when the TD has the feature) and what the module does
 * on an exit. MSRs not in the table exit and are a #VE.
 */
#ifndef TDXSIM_MODULE_MSR_LOOKUP_H
#define TDXSIM_MODULE_MSR_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

/* MSRs the exit handlers name that abi.h does not (SDM vol 4). */
#define TDMSR_TSC                   0x10u
#define TDMSR_PRED_CMD              0x49u
#define TDMSR_FLUSH_CMD             0x10Bu
#define TDMSR_MISC_PACKAGE_CTLS     0xBCu
#define TDMSR_DEBUG_INTERFACE       0xC80u
#define TDMSR_XAPIC_DISABLE_STATUS  0xBDu
#define TDMSR_MISC_ENABLE           0x1A0u
#define TDMSR_PERF_METRICS          0x329u
#define TDMSR_PERF_CAPABILITIES     0x345u
#define TDMSR_VMX_PROCBASED_CTLS3   0x492u
#define TDMSR_DCA_FIRST             0x1F8u   /* PLATFORM_DCA_CAP..DCA_0_CAP */
#define TDMSR_DCA_LAST              0x1FAu
#define TDMSR_TME_FIRST             0x981u   /* TME_CAPABILITY..EXCLUDE_BASE */
#define TDMSR_TME_LAST              0x984u
#define TDMSR_TSC_DEADLINE          0x6E0u

struct tdcs;
struct tdcs_cpuid;

enum msr_bit {
	MSRB_FIXED_0, MSRB_FIXED_1,
	MSRB_PERFMON,   /* ATTRIBUTES.PERFMON */
	MSRB_CET,       /* XFAM bit 11 or 12 */
	MSRB_PT,        /* XFAM bit 8 */
	MSRB_ULI,       /* XFAM bit 14 */
	MSRB_LBR,       /* XFAM bit 15 */
	MSRB_UMWAIT,    /* the TD's CPUID has WAITPKG */
	MSRB_PKS,       /* ATTRIBUTES.PKS */
	MSRB_XFD,       /* the TD's CPUID has XFD */
	MSRB_TSX,       /* the TD's CPUID has TSX */
	MSRB_OTHER,     /* per MSR: PERF_CAPABILITIES, PERF_METRICS */
};

enum msr_action {
	MSRA_NONE,      /* fixed 0: never exits (the module would go fatal) */
	MSRA_GP, MSRA_VE,
	MSRA_GP_OR_VE,  /* #GP unless the TD's CPUID has the feature */
	MSRA_OTHER,     /* the exit handler's own case */
};

struct msr_range {
	uint32_t first, last;
	uint8_t rd_bit, rd_action, wr_bit, wr_action;
};

/* The range holding msr, NULL when none does. */
const struct msr_range *msr_lookup(uint32_t msr);
/* Where the TDVPS holds a guest MSR: its index in the table's ranges
 * (1151 MSRs in the 1.5 table; test_guest_msr checks they fit
 * TDVPS_MSR_SLOTS), -1 for one outside them. The exit handlers store
 * the MSRs they let through there too. */
int msr_native_slot(uint32_t msr);
/* The table in order, for TDH.MNG.INIT's bitmaps. */
const struct msr_range *msr_lookup_table(unsigned *n);

/* is_msr_dynamic_bit_cleared: does the TD have what makes this bit 0? */
bool msr_bit_cleared(const struct tdcs *t, const struct tdcs_cpuid *c,
		     uint64_t perf_cap, uint32_t msr, enum msr_bit bit);

#endif
