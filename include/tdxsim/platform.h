/* SPDX-License-Identifier: MIT */
/*
 * tdxsim platform: packages and logical processors (LPs) with MSRs, CPUID
 * and VMX state; sparse physical memory with per-line TD-owner bits, poison
 * and KeyIDs in the upper address bits; the BIOS memory map, CMRs and the
 * MKTME/TDX KeyID partitioning.
 *
 * All state hangs off a struct platform. The only thread-local is the LP
 * the calling thread is bound to.
 */
#ifndef TDXSIM_PLATFORM_H
#define TDXSIM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The TDX module's MAX_PKGS: TDH.SYS.LP.INIT refuses a package ID of 8 or
 * more, so a bigger platform could never bring TDX up (abi.h TDX_MAX_PKGS). */
#define TDXSIM_MAX_PACKAGES     8
#define TDXSIM_MAX_LPS          256
#define TDXSIM_MAX_MEMMAP       512
#define TDXSIM_MAX_CMRS         32   /* MAX_CMR, tdx-module-abi.md §4.1 */
#define TDXSIM_MAX_OVERRIDES    64
#define TDXSIM_MAX_LP_CPUID     16
#define TDXSIM_MAX_LP_MSRS      16

#define TDXSIM_PAGE_SIZE        4096ULL
#define TDXSIM_LINE_SIZE        64ULL

/* Memory map entry types. The e820 numbers are given where one exists. */
enum tdxsim_mem_type {
	TDXSIM_MEM_RAM = 1,            /* e820 type 1, "System RAM" */
	TDXSIM_MEM_RESERVED = 2,       /* e820 type 2 */
	TDXSIM_MEM_ACPI = 3,           /* e820 type 3, ACPI tables */
	TDXSIM_MEM_NVS = 4,            /* e820 type 4, ACPI NVS */
	TDXSIM_MEM_UNUSABLE = 5,       /* e820 type 5 */
	TDXSIM_MEM_PMEM_LEGACY = 12,   /* e820 type 12, legacy persistent memory */
	TDXSIM_MEM_SOFT_RESERVED = 0xEFFFFFFF, /* EFI_MEMORY_SP: CXL / HMEM */
	TDXSIM_MEM_HOTPLUG = 0x10000,  /* hot-pluggable RAM, absent at boot */
};

const char *tdxsim_mem_type_name(enum tdxsim_mem_type t);
/* Parses the names tdxsim_mem_type_name() returns; false if unknown. */
bool tdxsim_mem_type_parse(const char *name, enum tdxsim_mem_type *out);

struct tdxsim_mem_range {
	uint64_t base;
	uint64_t size;
	enum tdxsim_mem_type type;
	unsigned node;                 /* NUMA node == package that owns it */
};

struct tdxsim_cmr {
	uint64_t base;
	uint64_t size;
};

/* Module version behaviour (docs/architecture.md, "Module profiles"). */
enum tdxsim_profile {
	TDXSIM_PROFILE_1_5 = 0,        /* current 1.5: late LP.INIT allowed */
	TDXSIM_PROFILE_1_5_01,         /* strict TDX_1.5.01 ordering */
	TDXSIM_PROFILE_1_0,            /* TDX 1.0: no TDH.SYS.RD */
};

const char *tdxsim_profile_name(enum tdxsim_profile p);
bool tdxsim_profile_parse(const char *name, enum tdxsim_profile *out);

struct tdxsim_cpuid_override {
	uint32_t leaf, subleaf;
	uint32_t eax, ebx, ecx, edx;
};

struct tdxsim_msr_override {
	uint32_t msr;
	uint64_t value;
};

/* Per-LP differences from the common CPU model. */
struct tdxsim_lp_override {
	unsigned lp;
	unsigned n_cpuid, n_msrs;
	struct tdxsim_cpuid_override cpuid[TDXSIM_MAX_LP_CPUID];
	struct tdxsim_msr_override msrs[TDXSIM_MAX_LP_MSRS];
};

struct tdxsim_platform_config {
	char name[64];
	unsigned packages;
	unsigned lps_per_package;
	unsigned pa_width;             /* CPUID.80000008H:EAX[7:0] (MAXPA) */
	unsigned keyid_bits;           /* TME_ACTIVATE MSR 0x982 bits 35:32 */
	uint32_t mktme_keyids;         /* MSR 0x87 bits 31:0 */
	uint32_t tdx_keyids;           /* MSR 0x87 bits 63:32 */
	uint32_t cpu_fms;              /* CPUID.1:EAX */
	/* SEAMOPS has its SEAMVERIFYREPORT leaf (local attestation: the
	 * module's TDG.MR.VERIFYREPORT and TDX_FEATURES0.LOCAL_ATTESTATION). */
	bool seamverifyreport;
	bool module_loaded;            /* false: SEAMCALL is VMfailInvalid */
	enum tdxsim_profile profile;
	/* TDX_FEATURES0 bits this module build lacks (an older build, e.g.
	 * one without NO_RBP_MOD); 0 for the profile's full set. */
	uint64_t module_features0_clear;
	size_t n_memmap;
	struct tdxsim_mem_range memmap[TDXSIM_MAX_MEMMAP];
	bool cmrs_explicit;            /* false: derived as a BIOS does */
	size_t n_cmrs;
	struct tdxsim_cmr cmrs[TDXSIM_MAX_CMRS];
	size_t n_overrides;
	struct tdxsim_lp_override overrides[TDXSIM_MAX_OVERRIDES];
};

/*
 * SEAMRR, the TDX module's range: the top 32 MiB of the physical space
 * below the KeyID bits. A BIOS keeps it out of the RAM it reports; here
 * it sits where no memory map puts RAM, so a map copied from a machine
 * (whose SEAMRR was elsewhere) keeps every RAM range it had. A map with
 * memory there is refused.
 */
#define TDXSIM_SEAMRR_SIZE      0x02000000ULL
uint64_t tdxsim_seamrr_base(const struct tdxsim_platform_config *cfg);

/* The built-in default platform (docs/platform.md). */
void tdxsim_config_default(struct tdxsim_platform_config *cfg);

/*
 * Checks a configuration and derives the CMRs when they are not explicit.
 * On error writes a message to err and returns false.
 */
bool tdxsim_config_finish(struct tdxsim_platform_config *cfg,
			  char *err, size_t errlen);

/* BIOS-style CMR derivation: convertible memory (RAM, legacy PMEM is not)
 * merged where contiguous and aligned to 4 KiB. Writes at most max CMRs
 * and returns how many there are, which may be more than max. */
size_t tdxsim_derive_cmrs(const struct tdxsim_platform_config *cfg,
			  struct tdxsim_cmr *out, size_t max);

/*
 * Loads a platform description (JSON, docs/platform.md). On error writes
 * "FILE:LINE: problem" to err and returns false; cfg is then undefined.
 */
bool tdxsim_config_load_json(const char *path,
			     struct tdxsim_platform_config *cfg,
			     char *err, size_t errlen);
bool tdxsim_config_parse_json(const char *text, size_t len, const char *name,
			      struct tdxsim_platform_config *cfg,
			      char *err, size_t errlen);

struct platform;

/*
 * Builds a machine from a finished configuration and loads the TDX module
 * (unless cfg->module_loaded is false). Returns NULL with a message on error.
 */
struct platform *platform_create(const struct tdxsim_platform_config *cfg,
				 char *err, size_t errlen);
void platform_destroy(struct platform *p);
const struct tdxsim_platform_config *platform_config(const struct platform *p);

unsigned platform_nr_lps(const struct platform *p);
unsigned platform_nr_packages(const struct platform *p);
unsigned platform_lp_package(const struct platform *p, unsigned lp);
uint32_t platform_lp_x2apic_id(const struct platform *p, unsigned lp);

/* ---- LPs: online state, VMX operation, binding ---- */

bool platform_lp_online(const struct platform *p, unsigned lp);
/* 0 on success, -EINVAL for a bad LP, -EBUSY when a thread is on it. */
int platform_lp_set_online(struct platform *p, unsigned lp, bool online);

/* VMXON/VMXOFF on the calling thread's LP. -EIO when already in that state
 * (VMfailInvalid on hardware), -EPERM when not bound. */
int platform_vmxon(struct platform *p);
int platform_vmxoff(struct platform *p);
bool platform_lp_in_vmx(const struct platform *p, unsigned lp);

/*
 * Binds the calling thread to an online LP, waiting while another thread
 * is on it (one thread per LP at a time, as one CPU runs one thread).
 * A thread binds to at most one LP: binding again moves it.
 */
int platform_bind(struct platform *p, unsigned lp);
void platform_unbind(struct platform *p);
/* The calling thread's LP, or -1 when unbound. */
int platform_current_lp(const struct platform *p);

/*
 * Runs fn(arg) on an LP, like smp_call_on_cpu(): the calling thread gives
 * up its own LP while fn runs and gets it back afterwards. Returns fn's
 * value, or -EINVAL / -ENODEV for a bad or offline LP.
 */
int platform_on_lp(struct platform *p, unsigned lp,
		   int (*fn)(void *arg), void *arg);

/*
 * A thread about to block gives up its LP, as a sleeping task gives up
 * its CPU (one that kept it could deadlock with a lock owner hopping to
 * that LP through platform_on_lp()). platform_yield_lp() unbinds and
 * returns the LP it had (-1: none); platform_resume_lp() binds that LP
 * again, or any online one if it went offline meanwhile (the scheduler
 * would migrate the task).
 */
int platform_yield_lp(struct platform *p);
void platform_resume_lp(struct platform *p, int lp);

/*
 * The platform's hotplug locks, Linux's cpu_hotplug_lock and
 * mem_hotplug_lock: one pair per machine, shared by every host on it
 * (src/host and the real kernel's code alike). Whoever changes which LPs
 * or which memory is online holds the lock for writing; cpus_read_lock()
 * and get_online_mems() take it for reading. A bound thread that must
 * wait gives up its LP while it waits (platform_yield_lp). Read holds
 * nest; a writer waits for every reader.
 */
enum platform_hotplug_lock {
	PLATFORM_CPU_HOTPLUG,
	PLATFORM_MEM_HOTPLUG,
};
void platform_hotplug_lock(struct platform *p, enum platform_hotplug_lock which,
			   bool write);
/* false when the lock is held the other way (or, for a writer, at all). */
bool platform_hotplug_trylock(struct platform *p, enum platform_hotplug_lock which,
			      bool write);
void platform_hotplug_unlock(struct platform *p, enum platform_hotplug_lock which);

/*
 * Adds a guest program (tdxsim/guest.h) that TDs on this platform can run
 * by name, besides the built-in ones, which win on a clash. prog must
 * outlive the platform. 0, -EINVAL for a nameless program, -EEXIST for a
 * name already added, -ENOSPC after 32.
 */
/*
 * The CPU's 32-byte TDREPORT MAC key (docs/attestation.md). On hardware
 * it never leaves the CPU: only the module's SEAMDB_REPORT and a quoting
 * enclave's EVERIFYREPORT use it, which is all tdxsim's callers do. Tests
 * may set a fixed key for determinism.
 */
void platform_report_key(const struct platform *p, uint8_t out[32]);
void platform_set_report_key(struct platform *p, const uint8_t key[32]);

struct tdx_guest_program;
int platform_add_guest_program(struct platform *p,
			       const struct tdx_guest_program *prog);

/* ---- Inter-processor interrupts (src/platform/ipi.c) ---- */

/*
 * A fixed IPI to an LP, from any thread: the LP's local APIC marks the
 * vector pending (one pending vector per LP: a second IPI while one is
 * pending is merged, the higher vector kept). A guest running on the LP
 * takes an external-interrupt TD exit at its next instruction boundary;
 * the host acknowledges with platform_ack_ipi(). -EINVAL for a bad LP or
 * a vector below 32.
 */
int platform_send_ipi(struct platform *p, unsigned lp, uint8_t vector);
/* The pending vector, 0 when none (a relaxed load). */
uint8_t platform_ipi_pending(const struct platform *p, unsigned lp);
/* Takes the pending vector (0 when none), as the host's interrupt
 * handler acknowledging it. */
uint8_t platform_ack_ipi(struct platform *p, unsigned lp);
/* IPIs sent to the LP since the platform was made. */
uint64_t platform_ipis_sent(const struct platform *p, unsigned lp);

/* ---- MSRs and CPUID of the calling LP (or a given LP) ---- */

/* false for an MSR the LP does not implement (#GP on hardware). A write
 * may set any bit of an implemented MSR, read-only ones included (the
 * caller plays firmware or the hardware itself), except those that fix
 * the KeyID layout the platform was built with: TME_ACTIVATE[35:32] and
 * IA32_MKTME_KEYID_PARTITIONING. A write changing them is refused (false),
 * as the locked hardware MSRs refuse it. */
bool platform_rdmsr(struct platform *p, unsigned lp, uint32_t msr,
		    uint64_t *val);
bool platform_wrmsr(struct platform *p, unsigned lp, uint32_t msr,
		    uint64_t val);
void platform_cpuid(const struct platform *p, unsigned lp, uint32_t leaf,
		    uint32_t subleaf, uint32_t regs[4]);

/* The MSRs an LP implements, in slot order: count, then slot i's index
 * and value (false past the end or for a bad LP). */
unsigned platform_lp_msr_count(struct platform *p, unsigned lp);
bool platform_lp_msr_at(struct platform *p, unsigned lp, unsigned i,
			uint32_t *msr, uint64_t *val);
/* "IA32_LSTAR" etc. for every MSR the CPU model implements; otherwise
 * "MSR 0x<index>" (in a static buffer per thread). */
const char *tdxsim_msr_name(uint32_t msr);
/* The inverse for the names of the CPU model's MSRs ("IA32_TME_ACTIVATE",
 * any case); false for any other text. */
bool tdxsim_msr_parse(const char *name, uint32_t *msr);

/* ---- LP registers that are not MSRs (src/platform/lp_regs.c) ---- */

enum tdxsim_reg {
	TDXSIM_REG_DR0,
	TDXSIM_REG_DR1,
	TDXSIM_REG_DR2,
	TDXSIM_REG_DR3,
	TDXSIM_REG_DR6,
	TDXSIM_REG_DR7,
	TDXSIM_REG_XCR0,
	TDXSIM_REG_PKRU,
	TDXSIM_REG_CR2,
	TDXSIM_REG_NR
};

/* 0, or -EINVAL for a bad LP or register. INIT values (SDM vol 3 §9.1.1):
 * DR0-3 0, DR6 0xFFFF0FF0, DR7 0x400, XCR0 1 (x87 only, SDM vol 1
 * §13.3), PKRU 0, CR2 0. */
int platform_read_reg(struct platform *p, unsigned lp, enum tdxsim_reg r,
		      uint64_t *v);
int platform_write_reg(struct platform *p, unsigned lp, enum tdxsim_reg r,
		       uint64_t v);
/* "DR0" … "CR2"; NULL for a bad register. */
const char *tdxsim_reg_name(enum tdxsim_reg r);
/* XMM0-15 as two 64-bit halves (lo, hi); -EINVAL for a bad LP or n > 15. */
int platform_read_xmm(struct platform *p, unsigned lp, unsigned n,
		      uint64_t v[2]);
int platform_write_xmm(struct platform *p, unsigned lp, unsigned n,
		       const uint64_t v[2]);
/* XMM0-15 to zero at once (a TD exit's INIT of the SSE state). */
int platform_zero_xmms(struct platform *p, unsigned lp);

/* WBINVD on the calling LP's package caches. Counted for tests. */
void platform_wbinvd(struct platform *p);
uint64_t platform_wbinvd_count(const struct platform *p);

/* ---- physical memory ---- */

/* The KeyID carried in a physical address, and the address without it. */
uint32_t platform_pa_keyid(const struct platform *p, uint64_t pa);
uint64_t platform_pa_strip(const struct platform *p, uint64_t pa);
uint64_t platform_pa_with_keyid(const struct platform *p, uint64_t pa,
				uint32_t keyid);
/* First KeyID bit (= MAXPA - keyid_bits). */
unsigned platform_keyid_shift(const struct platform *p);
/* KeyIDs >= this are TDX private KeyIDs (MSR 0x87 mktme count + 1). */
uint32_t platform_first_private_keyid(const struct platform *p);

/*
 * Memory access as a CPU does it. pa may carry a KeyID. With a shared
 * (non-private) KeyID, a read of a TD-owned line gives zeros and a write to
 * it clears the TD bit and poisons the line. With a private KeyID, a write
 * sets the TD bit and clears poison; a read of a poisoned line returns
 * TDXSIM_MEM_POISON (a machine check). Out-of-range addresses return
 * TDXSIM_MEM_BAD_ADDR and do nothing.
 */
enum tdxsim_mem_status {
	TDXSIM_MEM_OK = 0,
	TDXSIM_MEM_POISON = 1,
	TDXSIM_MEM_BAD_ADDR = 2,
};
enum tdxsim_mem_status platform_mem_read(struct platform *p, uint64_t pa,
					 void *buf, size_t len);
enum tdxsim_mem_status platform_mem_write(struct platform *p, uint64_t pa,
					  const void *buf, size_t len);
enum tdxsim_mem_status platform_mem_zero(struct platform *p, uint64_t pa,
					 size_t len);

/* MOVDIR64B zero stores over whole 64-byte lines (pa, len 64-aligned):
 * the lines take the KeyID's kind (TD-owned or not) and lose any poison. */
enum tdxsim_mem_status platform_mem_reset_lines(struct platform *p, uint64_t pa,
						size_t len);

/*
 * Host-backed memory: the pages [pa, pa+len) (4 KiB aligned, no KeyID) of
 * simulated memory live in host[0, len) (4 KiB aligned) from now on, so
 * host code writes and reads simulated memory with its own pointers, and
 * the module sees those bytes at pa (a kernel's kmalloc'd buffers handed
 * to SEAMCALLs: docs/linux.md). Adopting copies what the pages held into
 * host, TD and poison bits included; releasing gives each page its own
 * memory again with what host holds then, after which host may be freed.
 * Host stores to the buffer are plain stores, with none of the KeyID
 * semantics of platform_mem_write. Returns TDXSIM_MEM_BAD_ADDR for a bad
 * range or alignment. No other thread may touch those pages meanwhile.
 */
enum tdxsim_mem_status platform_mem_adopt(struct platform *p, uint64_t pa,
					  void *host, size_t len);
enum tdxsim_mem_status platform_mem_release(struct platform *p, uint64_t pa,
					    size_t len);

/* Line state, for tests and the inspection API. pa without KeyID. */
bool platform_line_td_owned(const struct platform *p, uint64_t pa);
bool platform_line_poisoned(const struct platform *p, uint64_t pa);

/* Host RAM used by simulated memory: frames materialised, in bytes. */
uint64_t platform_mem_host_bytes(const struct platform *p);
uint64_t platform_mem_frames(const struct platform *p);

#ifdef __cplusplus
}
#endif
#endif
