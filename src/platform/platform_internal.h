/* SPDX-License-Identifier: MIT */
/* The platform object. Only src/platform/ and the module's door see it. */
#ifndef TDXSIM_PLATFORM_INTERNAL_H
#define TDXSIM_PLATFORM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "tdxsim/platform.h"
#include "physmem.h"

struct tdx_module;
struct trace;

/* Room for the CPU model's MSRs (about 70, with the host-state MSRs of
 * abi §7.5) plus per-LP overrides that add new ones. */
#define LP_MAX_MSRS 128

struct msr_slot {
	uint32_t index;
	uint64_t value;                /* __atomic loads and stores, no lock */
};

/* MSR index -> slot + 1 (0: empty), open addressing; filled when the
 * platform is made and read-only after, so lookups take no lock. */
#define LP_MSR_HASH 256

/* The MSRs every TD entry and exit touches (abi §7.5, linux §6.5) skip
 * the hash: each has a fixed entry holding its slot + 1 (0: the LP has
 * no such MSR), found by a switch that folds away for a constant index. */
enum lp_msr_fixed {
	LP_MSR_SPEC_CTRL, LP_MSR_DS_AREA, LP_MSR_TSX_CTRL, LP_MSR_DEBUGCTL,
	LP_MSR_TSC_AUX, LP_MSR_STAR, LP_MSR_LSTAR, LP_MSR_KERNEL_GS_BASE,
	LP_MSR_FMASK, LP_MSR_UARCH_MISC_CTL, LP_MSR_XFD, LP_MSR_XFD_ERR,
	LP_MSR_XSS, LP_MSR_UMWAIT_CONTROL, LP_MSR_FIXED_NR
};

/*
 * Per-LP keyhole cache, as the module keeps one per LP: recent keyhole
 * lookups of private frames, keyed by page address with its KeyID. Valid
 * while the physmem generation (bumped whenever a private frame is freed)
 * is unchanged, so a cached pointer never outlives its frame. Two ways
 * per set: a SEAMCALL's ten or so hot pages (TDR, TDCS, PAMT and S-EPT
 * pages) collided often enough in a direct-mapped cache to miss about
 * once per call.
 */
#define KEYHOLE_SET_BITS 6
#define KEYHOLE_WAYS 2
#define KEYHOLE_CACHE_SIZE ((1u << KEYHOLE_SET_BITS) * KEYHOLE_WAYS)

/* The set of a page address with its KeyID. Fibonacci hashing: page
 * tables and PAMT arrays sit at strides that would collide in the low PFN
 * bits. */
static inline unsigned keyhole_set_of(uint64_t keyed_pa)
{
	return (unsigned)(((keyed_pa >> 12) * 0x9E3779B97F4A7C15ULL) >>
			  (64 - KEYHOLE_SET_BITS));
}

struct keyhole_slot {
	uint64_t key;                  /* page pa with KeyID | 1; 0 = empty */
	struct frame *frame;
	bool private;                  /* the KeyID is a TDX private one */
};

struct keyhole_cache {
	uint64_t gen;
	uint64_t hits, misses;
	struct keyhole_slot slot[KEYHOLE_CACHE_SIZE];
};

/* LP registers that are not MSRs (platform_read_reg/write_reg). */
struct lp_regs {
	uint64_t reg[TDXSIM_REG_NR];   /* indexed by enum tdxsim_reg */
	uint64_t xmm[16][2];
};

struct lp {
	struct platform *plat;
	unsigned index;
	unsigned package;
	uint32_t x2apic_id;
	bool online;
	bool vmx_on;
	pthread_mutex_t occupancy;     /* held by the thread on this LP */
	pthread_mutex_t state_lock;    /* online / vmx / msr updates */
	unsigned n_msrs;
	struct msr_slot msrs[LP_MAX_MSRS];
	uint8_t msr_fixed[LP_MSR_FIXED_NR];
	uint8_t msr_hash[LP_MSR_HASH];
	struct lp_regs regs;           /* __atomic loads and stores */
	const struct tdxsim_lp_override *override;
	struct keyhole_cache keyholes; /* used only by the thread on this LP */
	/* The pending external interrupt (ipi.c): its vector, 0 for none;
	 * the guest polls it with a relaxed load at instruction boundaries. */
	_Atomic uint8_t ipi_vector;
	_Atomic uint64_t ipis;         /* IPIs sent to this LP */
};

#define PLATFORM_MAX_PROGRAMS 32

struct platform {
	struct tdxsim_platform_config cfg;
	unsigned nr_lps;
	unsigned keyid_shift;
	struct lp *lps;
	struct physmem *mem;
	_Atomic uint64_t wbinvd_count;
	struct tdx_module *module;     /* NULL when no module is loaded */
	/* The per-platform secret behind the simulated TDREPORT MAC
	 * (tdxsim/tdreport.h): random at platform_create(). */
	uint8_t report_key[32];
	/* Guest programs the user added (platform_add_guest_program). */
	pthread_mutex_t programs_lock;
	unsigned n_programs;
	const struct tdx_guest_program *programs[PLATFORM_MAX_PROGRAMS];
	/* Linux's cpu_hotplug_lock and mem_hotplug_lock, shared by every
	 * host on the machine (platform_hotplug_lock). */
	pthread_rwlock_t hotplug[2];
	/* The timeline recorder (trace.h), NULL unless tracing was started. */
	_Atomic(struct trace *) trace;
};

/* The LP's pending-interrupt word (ipi.c), for a guest to poll with a
 * relaxed load; NULL for a bad LP. */
const _Atomic uint8_t *platform_lp_ipi_word(struct platform *p, unsigned lp);

/* The LP the calling thread is on, in any platform (NULL when unbound). */
struct lp *platform_this_lp(void);

/* A program added with platform_add_guest_program(), or NULL. */
const struct tdx_guest_program *platform_guest_program(struct platform *p,
							const char *name);

/* pa (which may carry a KeyID) as a physmem address and whether its KeyID
 * is private; false when [pa, pa+len) is outside memory. */
bool platform_mem_decode(const struct platform *p, uint64_t pa, size_t len,
			 uint64_t *addr, bool *private);
/* A CPU store's effect on the lines in mask: TD-owned and clean when
 * private; a shared store to a TD-owned line poisons it. */
void platform_mark_lines(struct frame *f, uint64_t mask, bool private);

/* The LP's slot for an MSR, NULL when it has none (#GP). */
struct msr_slot *lp_msr_slot(struct lp *l, uint32_t msr);
/* Adds a slot (at platform creation only); false when the file is full. */
bool lp_msr_add(struct lp *l, uint32_t msr, uint64_t value);

/* seamops.c: the SEAMOPS leaves of local attestation. Statuses are the
 * instruction's (vt_accessors.h in the module source). */
#define SEAMOPS_SUCCESS                  0ULL
#define SEAMOPS_INVALID_CPUSVN           4ULL
#define SEAMOPS_INVALID_REPORTMACSTRUCT  5ULL
struct tdx_report_mac;
/* The CPU's security version, which every report it MACs carries. */
void platform_cpusvn(const struct platform *p, uint8_t out[16]);
/* SEAMOPS(CAPABILITIES) bit 6: SEAMVERIFYREPORT is there (the config's
 * seamverifyreport). */
bool platform_has_seamverifyreport(const struct platform *p);
/* SEAMOPS(SEAMVERIFYREPORT): the REPORTMACSTRUCT's CPUSVN must be one this
 * CPU has reached, then its MAC must be this platform's. */
uint64_t platform_seamverifyreport(const struct platform *p,
				   const struct tdx_report_mac *rm);

/* CPU model: fills an LP's MSR file and answers CPUID. */
void cpu_model_init_lp(struct platform *p, struct lp *lp);
/* lp_regs.c: the INIT values of the non-MSR registers (SDM). */
void lp_regs_reset(struct lp_regs *r);
void cpu_model_cpuid(const struct platform *p, const struct lp *lp,
		     uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
/* cpu_model_cpuid.c: the part's own CPUID, before per-LP overrides. */
void cpu_model_base_cpuid(const struct platform *p, const struct lp *lp,
			  uint32_t leaf, uint32_t subleaf, uint32_t r[4]);

#endif

bool platform_keyid_is_private(const struct platform *p, uint32_t keyid);

/*
 * The module's view of memory (its "keyhole"): a pointer to the 4 KiB
 * frame holding pa, which may carry a KeyID. For writing, the frame is
 * materialised and, with a private KeyID, every line becomes TD-owned and
 * unpoisoned. For reading an absent frame, a shared zero frame. NULL when
 * pa lies outside the physical address space.
 */
uint8_t *platform_keyhole_write(struct platform *p, uint64_t pa);
const uint8_t *platform_keyhole_read(struct platform *p, uint64_t pa);
/* platform_keyhole_write, then the page zeroed (MOVDIR64B of a page). */
uint8_t *platform_keyhole_zero(struct platform *p, uint64_t pa);

/* Module-side bulk fill of 16-byte patterns (PAMT initialisation): whole
 * frames share one copy until written. pa may carry a KeyID. */
void platform_fill_pattern(struct platform *p, uint64_t pa, uint64_t len,
			   const uint8_t pattern[16]);
