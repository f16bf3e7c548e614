/* SPDX-License-Identifier: MIT */
/*
 * The per-MSR configuration table: the ranges, bitmap meanings and exit
 * actions of tdx-module tdx_1.5 include/auto_gen/msr_config_lookup.c
 * (spreadsheet format 6), in address order; neighbouring rows with the
 * same configuration are merged (the comment names them).
 */
#include "msr_lookup.h"
#include "td.h"

#define R(a, b, rb, ra, wb, wa) \
	{ a, b, MSRB_##rb, MSRA_##ra, MSRB_##wb, MSRA_##wa }

static const struct msr_range table[] = {
	R(0x10, 0x10, FIXED_0, NONE, FIXED_1, VE),              /* TSC */
	R(0x48, 0x48, FIXED_0, NONE, FIXED_0, NONE),            /* SPEC_CTRL */
	R(0x49, 0x49, FIXED_0, NONE, FIXED_0, NONE),            /* PRED_CMD */
	R(0x87, 0x87, FIXED_1, GP_OR_VE, FIXED_1, GP_OR_VE),    /* MKTME_KEYID_PARTITIONING */
	R(0x8c, 0x8f, FIXED_1, GP, FIXED_1, GP),                /* SGXLEPUBKEYHASH0..3 */
	R(0x98, 0x98, FIXED_1, GP, FIXED_1, GP),                /* WBINVDP */
	R(0x99, 0x99, FIXED_1, GP, FIXED_1, GP),                /* WBNOINVDP */
	R(0x9a, 0x9a, FIXED_1, GP, FIXED_1, GP),                /* INTR_PENDING */
	R(0x9b, 0x9b, FIXED_1, GP, FIXED_1, GP),                /* SMM_MONITOR_CTL */
	R(0x9e, 0x9e, FIXED_1, GP, FIXED_1, GP),                /* SMBASE */
	R(0xbc, 0xbc, FIXED_0, NONE, FIXED_1, VE),              /* MISC_PACKAGE_CTLS */
	R(0xbd, 0xbd, FIXED_1, OTHER, FIXED_0, NONE),           /* XAPIC_DISABLE_STATUS */
	R(0xc1, 0xc8, PERFMON, GP, PERFMON, GP),                /* PMC0..7 */
	R(0xe1, 0xe1, UMWAIT, GP, UMWAIT, GP),                  /* UMWAIT_CONTROL */
	R(0x10a, 0x10a, FIXED_1, OTHER, FIXED_0, NONE),         /* ARCH_CAPABILITIES */
	R(0x10b, 0x10b, FIXED_0, NONE, FIXED_0, NONE),          /* FLUSH_CMD */
	R(0x122, 0x122, TSX, GP, TSX, GP),                      /* TSX_CTRL */
	R(0x174, 0x174, FIXED_0, NONE, FIXED_0, NONE),          /* SYSENTER_CS */
	R(0x175, 0x175, FIXED_0, NONE, FIXED_0, NONE),          /* SYSENTER_ESP */
	R(0x176, 0x176, FIXED_0, NONE, FIXED_0, NONE),          /* SYSENTER_EIP */
	R(0x186, 0x18d, PERFMON, GP, PERFMON, GP),              /* PERFEVTSEL0..7 */
	R(0x195, 0x195, FIXED_1, GP, FIXED_1, GP),              /* OVERCLOCKING_STATUS */
	R(0x1a0, 0x1a0, PERFMON, OTHER, FIXED_1, VE),           /* MISC_ENABLE */
	R(0x1a6, 0x1a7, PERFMON, GP, PERFMON, GP),              /* OFFCORE_RSP0..1 */
	R(0x1c4, 0x1c4, XFD, GP, XFD, GP),                      /* XFD */
	R(0x1c5, 0x1c5, XFD, GP, XFD, GP),                      /* XFD_ERR */
	R(0x1d9, 0x1d9, FIXED_1, OTHER, FIXED_1, OTHER),        /* DEBUGCTL */
	R(0x1f8, 0x1f8, FIXED_1, GP_OR_VE, FIXED_1, GP_OR_VE),  /* PLATFORM_DCA_CAP */
	R(0x1f9, 0x1f9, FIXED_1, GP_OR_VE, FIXED_1, GP_OR_VE),  /* CPU_DCA_CAP */
	R(0x1fa, 0x1fa, FIXED_1, GP_OR_VE, FIXED_1, GP_OR_VE),  /* DCA_0_CAP */
	R(0x276, 0x276, FIXED_1, GP, FIXED_1, GP),              /* SLAM_ENABLE */
	R(0x277, 0x277, FIXED_0, NONE, FIXED_0, NONE),          /* PAT */
	R(0x309, 0x310, PERFMON, GP, PERFMON, GP),              /* FIXED_CTR0..7 */
	R(0x329, 0x329, OTHER, GP, OTHER, GP),                  /* PERF_METRICS */
	R(0x345, 0x345, OTHER, OTHER, PERFMON, GP),             /* PERF_CAPABILITIES */
	R(0x38d, 0x38d, PERFMON, GP, PERFMON, GP),              /* FIXED_CTR_CTRL */
	R(0x38e, 0x38e, PERFMON, GP, PERFMON, GP),              /* PERF_GLOBAL_STATUS */
	R(0x38f, 0x38f, PERFMON, GP, PERFMON, GP),              /* PERF_GLOBAL_CTRL */
	R(0x390, 0x390, PERFMON, GP, PERFMON, GP),              /* PERF_GLOBAL_STATUS_RESET */
	R(0x391, 0x391, PERFMON, GP, PERFMON, GP),              /* PERF_GLOBAL_STATUS_SET */
	R(0x392, 0x392, PERFMON, GP, PERFMON, GP),              /* PERF_GLOBAL_INUSE */
	R(0x3f1, 0x3f1, PERFMON, GP, PERFMON, GP),              /* PEBS_ENABLE */
	R(0x3f2, 0x3f2, PERFMON, GP, PERFMON, GP),              /* PEBS_MATRIX_VECT */
	R(0x3f6, 0x3f6, PERFMON, GP, PERFMON, GP),              /* PEBS_LD_LATENCY */
	R(0x3f7, 0x3f7, PERFMON, GP, PERFMON, GP),              /* PEBS_FRONTEND */
	R(0x480, 0x480, FIXED_1, OTHER, FIXED_1, GP),           /* VMX_BASIC */
	R(0x481, 0x484, FIXED_1, VE, FIXED_1, GP),              /* VMX_PINBASED..ENTRY_CTLS */
	R(0x485, 0x489, FIXED_1, OTHER, FIXED_1, GP),           /* VMX_MISC, CR0/CR4_FIXED0/1 */
	R(0x48a, 0x48a, FIXED_1, VE, FIXED_1, GP),              /* VMX_VMCS_ENUM */
	R(0x48b, 0x492, FIXED_1, OTHER, FIXED_1, GP),           /* VMX_PROCBASED_CTLS2..CTLS3 */
	R(0x4c1, 0x4c8, PERFMON, GP, PERFMON, GP),              /* A_PMC0..7 */
	R(0x500, 0x500, FIXED_1, GP, FIXED_1, GP),              /* SGX_SVN_STATUS */
	R(0x560, 0x561, PT, GP, PT, GP),                        /* RTIT_OUTPUT_BASE, _MASK_PTRS */
	R(0x570, 0x572, PT, GP, PT, GP),                        /* RTIT_CTL, STATUS, CR3_MATCH */
	R(0x580, 0x587, PT, GP, PT, GP),                        /* RTIT_ADDR0_A..3_B */
	R(0x600, 0x600, FIXED_0, NONE, FIXED_0, NONE),          /* DS_AREA */
	R(0x6a0, 0x6a0, CET, GP, CET, GP),                      /* U_CET */
	R(0x6a2, 0x6a8, CET, GP, CET, GP),                      /* S_CET, PL0..3_SSP, ISST */
	R(0x6e0, 0x6e0, FIXED_1, GP_OR_VE, FIXED_1, GP_OR_VE),  /* TSC_DEADLINE */
	R(0x6e1, 0x6e1, PKS, GP, PKS, GP),                      /* PKRS */
	R(0x800, 0x801, FIXED_1, GP, FIXED_1, GP),              /* x2APIC reserved */
	R(0x804, 0x807, FIXED_1, GP, FIXED_1, GP),
	R(0x808, 0x80c, FIXED_0, NONE, FIXED_0, NONE),          /* TPR, 809, PPR, EOI, 80C */
	R(0x80e, 0x80e, FIXED_0, NONE, FIXED_0, NONE),
	R(0x810, 0x827, FIXED_0, NONE, FIXED_0, NONE),          /* ISR, TMR, IRR */
	R(0x829, 0x82e, FIXED_1, GP, FIXED_1, GP),
	R(0x831, 0x831, FIXED_1, GP, FIXED_1, GP),
	R(0x83f, 0x83f, FIXED_0, NONE, FIXED_0, NONE),          /* SELF_IPI */
	R(0x840, 0x8ff, FIXED_1, GP, FIXED_1, GP),              /* x2APIC reserved */
	R(0x981, 0x984, FIXED_1, GP_OR_VE, FIXED_1, GP_OR_VE),  /* TME_CAPABILITY..EXCLUDE_BASE */
	R(0x985, 0x98a, ULI, GP, ULI, GP),                      /* UINTR_RR..TT */
	R(0xc80, 0xc80, FIXED_0, NONE, FIXED_1, VE),            /* DEBUG_INTERFACE */
	R(0xd90, 0xd90, FIXED_1, GP, FIXED_1, GP),              /* BNDCFGS */
	R(0xd93, 0xd93, FIXED_1, GP, FIXED_1, GP),              /* PASID */
	R(0xda0, 0xda0, FIXED_0, NONE, FIXED_1, OTHER),         /* XSS */
	R(0x1200, 0x12ff, LBR, GP, LBR, GP),                    /* LBR_INFO_0.. */
	R(0x14ce, 0x14cf, LBR, GP, LBR, GP),                    /* LBR_CTL, LBR_DEPTH */
	R(0x1500, 0x16ff, LBR, GP, LBR, GP),                    /* LBR_x_FROM_IP, _TO_IP */
	R(0x1b01, 0x1b01, FIXED_0, NONE, FIXED_0, NONE),        /* UARCH_MISC_CTL */
	R(0xc0000080, 0xc0000080, FIXED_0, NONE, FIXED_1, OTHER), /* EFER */
	R(0xc0000081, 0xc0000082, FIXED_0, NONE, FIXED_0, NONE),  /* STAR, LSTAR */
	R(0xc0000084, 0xc0000084, FIXED_0, NONE, FIXED_0, NONE),  /* FMASK */
	R(0xc0000100, 0xc0000103, FIXED_0, NONE, FIXED_0, NONE),  /* FS/GS/KERNEL_GS_BASE, TSC_AUX */
};

#define PERF_METRICS_AVAILABLE (1ULL << 15)   /* IA32_PERF_CAPABILITIES, SDM vol 4 */

const struct msr_range *msr_lookup(uint32_t msr)
{
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (msr < table[i].first)
			return NULL;   /* ordered: nothing further can hold it */
		if (msr <= table[i].last)
			return &table[i];
	}
	return NULL;
}

int msr_native_slot(uint32_t msr)
{
	int slot = 0;

	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct msr_range *r = &table[i];

		if (msr >= r->first && msr <= r->last)
			return slot + (int)(msr - r->first);
		slot += (int)(r->last - r->first + 1);
	}
	return -1;
}

const struct msr_range *msr_lookup_table(unsigned *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

static bool other_cleared(const struct tdcs *t, uint64_t perf_cap, uint32_t msr)
{
	bool perfmon = t->attributes & TDX_TD_ATTR_PERFMON;

	if (msr == TDMSR_PERF_CAPABILITIES)
		return perfmon && (t->xfam & TDX_XFAM_PT);
	if (msr == TDMSR_PERF_METRICS)
		return perfmon && (perf_cap & PERF_METRICS_AVAILABLE);
	return false;
}

bool msr_bit_cleared(const struct tdcs *t, const struct tdcs_cpuid *c,
		     uint64_t perf_cap, uint32_t msr, enum msr_bit bit)
{
	switch (bit) {
	case MSRB_FIXED_0:  return true;
	case MSRB_FIXED_1:  return false;
	case MSRB_PERFMON:  return t->attributes & TDX_TD_ATTR_PERFMON;
	case MSRB_CET:      return t->xfam & (TDX_XFAM_CET_U | TDX_XFAM_CET_S);
	case MSRB_PT:       return t->xfam & TDX_XFAM_PT;
	case MSRB_ULI:      return t->xfam & TDX_XFAM_ULI;
	case MSRB_LBR:      return t->xfam & TDX_XFAM_LBR;
	case MSRB_UMWAIT:   return c->flags.waitpkg;
	case MSRB_PKS:      return t->attributes & TDX_TD_ATTR_PKS;
	case MSRB_XFD:      return c->flags.xfd;
	case MSRB_TSX:      return c->flags.tsx;
	case MSRB_OTHER:    return other_cleared(t, perf_cap, msr);
	}
	return false;
}
