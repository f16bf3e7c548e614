/* SPDX-License-Identifier: MIT */
/*
 * The x86 part of the kernel API (<asm/...>): CPU capabilities and the
 * boot CPU's identity, MSRs, the instructions the TDX host code issues
 * (WBINVD, MOVDIR64B), trap numbers, machine checks. Written here from
 * the documented semantics; the numbers are the architecture's.
 */
#ifndef KLX_X86_H
#define KLX_X86_H

#include "kernel.h"

/* ---- capabilities: the environment's own numbering ---- */
enum {
	X86_FEATURE_VMX = 1,
	X86_FEATURE_XSAVE,
	X86_FEATURE_OSXSAVE,
	X86_FEATURE_MOVDIR64B,
	X86_FEATURE_SELFSNOOP,
	X86_FEATURE_TDX_HOST_PLATFORM,
	X86_FEATURE_HYPERVISOR,
	X86_FEATURE_TDX_GUEST,
	X86_BUG_TDX_PW_MCE = 64,
	X86_BUG_SEAMRET_INVD_VMCS,
};
#define boot_cpu_has(bit) klx_has_cap(bit)
#define cpu_feature_enabled(bit) klx_has_cap(bit)
#define static_cpu_has(bit) klx_has_cap(bit)
#define boot_cpu_has_bug(bit) klx_has_cap(bit)
#define setup_force_cpu_cap(bit) klx_set_cap(bit)
#define setup_clear_cpu_cap(bit) klx_clear_cap(bit)
#define setup_force_cpu_bug(bit) klx_set_cap(bit)

/* The boot CPU as CPUID leaf 1 and 0x80000008 describe it; x86_vfm
 * packs vendor, family and model as <asm/cpu_device_id.h> does. */
struct cpuinfo_x86 {
	union {
		struct { u8 x86_model, x86, x86_vendor, x86_reserved; };
		u32 x86_vfm;
	};
	u8 x86_stepping;
	int x86_phys_bits;
	int x86_cache_alignment;
};
extern struct cpuinfo_x86 boot_cpu_data;
#define X86_VENDOR_INTEL 0
#define VFM_MAKE(vendor, family, model) (((vendor) << 16) | ((family) << 8) | (model))
#define IFM(family, model) VFM_MAKE(X86_VENDOR_INTEL, family, model)
#define INTEL_SAPPHIRERAPIDS_X IFM(6, 0x8F)
#define INTEL_EMERALDRAPIDS_X IFM(6, 0xCF)
#define INTEL_GRANITERAPIDS_X IFM(6, 0xAD)
#define INTEL_FAM6_SAPPHIRERAPIDS_X 0x8F
#define INTEL_FAM6_EMERALDRAPIDS_X 0xCF

/* ---- MSRs ---- */
#define MSR_IA32_FEAT_CTL 0x0000003a
#define MSR_IA32_MKTME_KEYID_PARTITIONING 0x00000087
#define MSR_IA32_VMX_BASIC 0x00000480
#define MSR_IA32_TME_ACTIVATE 0x00000982
#define rdmsr_safe(msr, low, high) ({ \
	unsigned long long __v = 0; \
	int __e = klx_rdmsr_safe((msr), &__v); \
	*(low) = (u32)__v; \
	*(high) = (u32)(__v >> 32); \
	__e; })
#define rdmsrl_safe(msr, p) klx_rdmsr_safe((msr), (unsigned long long *)(p))
#define rdmsrq_safe rdmsrl_safe

/* ---- instructions ---- */
static inline void wbinvd(void) { klx_wbinvd(); }
static inline void wbinvd_on_all_cpus(void) { klx_wbinvd_on_all_cpus(); }
static inline void movdir64b(void *dst, const void *src) { klx_movdir64b(dst, src); }
static inline void clflush_cache_range(void *addr, unsigned int size) { }
static inline void cpuid_count(unsigned op, unsigned sub, unsigned *a,
			       unsigned *b, unsigned *c, unsigned *d)
{
	unsigned r[4];

	klx_cpuid(op, sub, r);
	*a = r[0]; *b = r[1]; *c = r[2]; *d = r[3];
}

/* ---- traps, RDRAND ---- */
#define X86_TRAP_DE 0
#define X86_TRAP_UD 6
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14
#define X86_TRAP_MC 18
#define X86_TRAP_VE 20
#define RDRAND_RETRY_LOOPS 10

struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};

/* ---- machine checks ---- */
struct mce {
	u64 status, misc, addr, mcgstatus, ip, tsc, time;
	u8 cpuvendor, inject_flags, severity, pad;
	u32 cpuid;
	u8 cs, bank, cpu, finished;
	u32 extcpu, socketid, apicid;
	u64 mcgcap, synd, ipid, ppin;
	u32 microcode;
	u64 kflags;
};
#define MCI_STATUS_VAL BIT_ULL(63)
#define MCI_STATUS_MISCV BIT_ULL(59)
#define MCI_STATUS_ADDRV BIT_ULL(58)
#define MCI_MISC_ADDR_LSB(m) ((m) & 0x3f)
#define MCI_MISC_ADDR_MODE(m) (((m) >> 6) & 7)
#define MCI_MISC_ADDR_PHYS 2
bool mce_is_memory_error(struct mce *m);
bool mce_usable_address(struct mce *m);

#endif
