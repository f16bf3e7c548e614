/* SPDX-License-Identifier: MIT */
/*
 * The TDX module's private state. Nothing above the seamcall() door
 * includes this header; tests look inside only through inspect.h.
 */
#ifndef TDXSIM_MODULE_H
#define TDXSIM_MODULE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "tdxsim/abi.h"
#include "tdxsim/inject.h"
#include "tdxsim/platform.h"
#include "locks.h"
#include "cpuid_table.h"

struct platform;

/* The module's MAX_PA: HKIDs and address checks use 52 bits whatever
 * CPUID reports (x86_defs.h in the module source). */
#define MODULE_MAX_PA 52

#include "gpr.h"

struct seam_ctx {
	uint64_t gpr[NR_GPRS];
	unsigned lp;
	unsigned version;
	/* PAMT range this call touched, for the invariant check. */
	uint64_t touched_pa, touched_len;
	uint64_t touched2_pa;            /* a second 4 KiB page (RELOCATE) */
};

struct tdmr_entry {
	uint64_t base, size;
	_Atomic uint64_t last_initialized;
	uint64_t pamt_base[3];             /* indexed by TDX_PS_4K/2M/1G */
	uint64_t pamt_size[3];
	uint32_t num_of_pamt_blocks;
	unsigned n_rsvd;
	struct tdmr_reserved_area rsvd[TDX_MAX_RESERVED_AREAS];
	mutex_lock_t mutex;
};

struct lp_data {
	bool lp_is_init;
	unsigned pkg_id;
	_Atomic bool lp_is_busy;           /* inside SEAM */
	/* The run state this LP entered last, valid while runs_gen is
	 * unchanged (td_run.c); touched only by the thread on this LP. */
	struct tdx_vcpu *last_run;
	uint64_t last_run_gen;
};

/* MSR values captured at TDH.SYS.INIT for LP.INIT to compare. */
#define CAPTURED_MSRS 16

/* What TDH.SYS.INIT learns from the native CPUID (cpuid_sample.c). */
struct cpu_caps {
	uint32_t last_base, last_ext;      /* cpuid_last_base/extended_leaf */
	bool hle, rtm, waitpkg, la57, xfd;
	uint32_t fc_bitmap;                /* fixed counters */
	uint32_t xcr0_mask, xss_mask, xfd_faulting_mask;
	uint32_t xsave_size[CPUID_XFAM_BITS], xsave_offset[CPUID_XFAM_BITS];
	uint8_t xsave_align[CPUID_XFAM_BITS];
	unsigned core_shift, pkg_shift;    /* x2APIC ID shifts */
	uint32_t core_mask;
	unsigned max_pa;
	uint64_t native_tsc_hz;
};

struct kot_entry {
	_Atomic uint8_t state;             /* enum KOT state, abi §5.2 */
	_Atomic uint32_t wbinvd_bitmap;    /* packages still to write back */
	_Atomic uint32_t wb_started;       /* packages whose CACHE.WB began after
					    * this HKID was flushed */
};

/* Per-package TDH.PHYMEM.CACHE.WB state (abi §5.4). */
#define WBCACHE_SUB_BLOCKS 8

struct wbt_entry {
	mutex_lock_t mutex;
	bool saved;                        /* an interrupted pass can resume */
	unsigned next_block;
};

/* Armed tdxsim_inject_status() entries; n_armed keeps the hot path to
 * one relaxed load when nothing is armed. */
struct status_inject {
	uint32_t leaf;
	int lp;
	unsigned left;                     /* calls still to pass first */
	uint64_t status;
};

struct status_injects {
	_Atomic unsigned n_armed;
	pthread_mutex_t lock;              /* test-control path only */
	struct status_inject e[TDXSIM_MAX_STATUS_INJECTS];
};

/* One-call injections (tdxsim_inject_next, inject_next.c). state is
 * IDLE, ARMED (waiting for a call of `scope`) or ACTIVE (inside the call
 * of `gen` on LP `lp`); only that call's thread touches the counters
 * while ACTIVE, so the hot path is one relaxed load of state. */
enum { NEXT_IDLE, NEXT_ARMED, NEXT_ACTIVE };

struct next_inject {
	bool armed;
	unsigned nth, count;               /* fail occurrences nth..nth+count-1 */
	unsigned seen, fired;
};

struct next_injects {
	_Atomic int state;
	pthread_mutex_t lock;              /* the control path (arm, result, clear) */
	int scope;                         /* enum tdxsim_inject_scope */
	_Atomic unsigned lp;               /* read by module_fault on any LP */
	unsigned leaf;
	unsigned gen;                      /* bumped when a call takes them */
	bool taken;
	struct next_inject k[TDXSIM_INJECT_NR];
};

struct tdx_module {
	struct platform *plat;
	enum tdxsim_profile profile;
	_Atomic bool invariants_off;       /* tdx_inspect_set_invariants() */
	sharex_lock_t global_lock;
	_Atomic int sys_state;

	uint32_t num_of_lps, num_of_pkgs;  /* from "MCHECK": the platform */
	_Atomic uint32_t num_of_init_lps, num_of_init_pkgs;
	_Atomic uint32_t pkg_config_bitmap;
	struct lp_data *lp;

	unsigned hkid_start_bit;
	uint64_t hkid_mask;
	uint32_t private_hkid_min, private_hkid_max;
	uint16_t global_hkid;
	struct kot_entry kot[TDX_MAX_HKIDS];
	sharex_lock_t kot_lock;
	struct wbt_entry wbt[TDX_MAX_PKGS];
	_Atomic uint64_t rng;              /* TD UUIDs and SEAMDB nonces */
	uint64_t seamrr_base, seamrr_size;
	uint32_t pkg_fms[TDX_MAX_PKGS];
	uint64_t xfam_supported;
	bool ept_pml5;                     /* IA32_VMX_EPT_VPID_CAP bit 7 */
	bool seamverifyreport;             /* SEAMOPS has SEAMVERIFYREPORT */

	unsigned n_msrs;
	uint32_t msr_index[CAPTURED_MSRS];
	uint64_t msr_value[CAPTURED_MSRS];
	struct cpu_caps cpu;
	/* The native CPUID per lookup entry as sampled at SYS.INIT, and
	 * the same with the FIXED bits applied at SYS.CONFIG, the base of
	 * every TD's CPUID (cpuid_complete). The module keeps one array;
	 * the current profile's late LP.INIT compares with the samples. */
	struct cpuid_regs cpuid_native[CPUID_NUM_LOOKUP];
	struct cpuid_regs cpuid_values[CPUID_NUM_LOOKUP];

	unsigned n_cmrs;
	struct tdxsim_cmr cmrs[TDX_MAX_CMR];

	uint32_t num_of_tdmr_entries;
	struct tdmr_entry tdmr[TDX_MAX_TDMRS];

	_Atomic int inject[TDXSIM_INJECT_NR];
	struct status_injects sinj;
	struct next_injects next;

	/* Run state of every vCPU that has entered its guest (td_run.c). */
	pthread_mutex_t runs_lock;
	struct tdx_vcpu *runs;
	_Atomic uint64_t runs_gen;         /* bumped before a run state is freed */

	/* SYS metadata entries sorted by (class, field code) for lookup. */
	unsigned md_n;
	uint32_t md_key[96];
	int16_t md_entry[96];
};

/* module.c */
struct tdx_module *module_of(struct platform *p);
/* Consumes one injected fault of this kind; true if it fires. */
bool module_fault(struct tdx_module *m, enum tdxsim_inject kind);
bool module_others_in_seam(struct tdx_module *m, unsigned self);
bool module_lock_global(struct tdx_module *m, enum lock_mode mode);
bool module_lock_kot(struct tdx_module *m, enum lock_mode mode);
void module_unlock_kot(struct tdx_module *m, enum lock_mode mode);
/* A 64-bit value from the module's generator (RDRAND stand-in). */
uint64_t module_random(struct tdx_module *m);
void module_unlock_global(struct tdx_module *m, enum lock_mode mode);

/* This module's handoff version (SYS.RD MODULE_HV; TDH.SYS.SHUTDOWN's
 * only valid RCX; each TDR's HANDOFF_VERSION, as MNG.CREATE records it). */
#define TDX_MODULE_HV 0

/* checks.c: operand checks shared by the leaves (abi §4.4). */
uint32_t hpa_hkid(const struct tdx_module *m, uint64_t hpa);
bool hpa_valid_shared(const struct tdx_module *m, uint64_t hpa,
		      uint64_t size, uint64_t align);
bool hpa_valid_private_format(const struct tdx_module *m, uint64_t hpa,
			      uint64_t align);
/* IA32_MISC_ENABLE.BOOT_NT4 on the LP: CPUID's maximum leaf is limited,
 * which MNG.INIT and VP.ENTER refuse (TDX_LIMIT_CPUID_MAXVAL_SET). */
bool lp_boot_nt4(const struct tdx_module *m, unsigned lp);

/* cpuid_sample.c: TDH.SYS.INIT's sampling and checks, LP.INIT's
 * comparison (which also yields the LP's package), SYS.CONFIG's
 * completion. Failures leave the real module's registers in gpr. */
uint64_t cpuid_sample(struct tdx_module *m, unsigned lp, uint64_t *gpr);
uint64_t cpuid_compare(struct tdx_module *m, unsigned lp, uint64_t *gpr,
		       unsigned *pkg);
void cpuid_complete(struct tdx_module *m);

/* Leaf handlers, one file each, named after the leaf. */
uint64_t tdh_sys_init(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_lp_init(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_rd(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_info(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_rdall(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_config(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_key_config(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_tdmr_init(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_lp_shutdown(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_sys_shutdown(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_key_reclaimid(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_phymem_page_rdmd(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_create(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_key_config(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_addcx(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_init(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_vp_enter(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_vp_create(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_vp_addcx(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_vp_init(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_vp_flush(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_rd(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_wr(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_vp_rd(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_vp_wr(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_sept_add(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_page_add(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_page_aug(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_range_block(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_range_unblock(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_track(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_page_remove(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_page_relocate(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_sept_remove(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_sept_rd(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_page_promote(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_page_demote(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_rd(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mem_wr(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mr_extend(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mr_finalize(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_vpflushdone(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_phymem_cache_wb(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_mng_key_freeid(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_phymem_page_reclaim(struct tdx_module *m, struct seam_ctx *c);
uint64_t tdh_phymem_page_wbinvd(struct tdx_module *m, struct seam_ctx *c);

/* inject_next.c: one-call injections. A call of the scope that reaches
 * the module takes armed ones (a non-zero token) and ends with
 * module_next_end(token); a TDCALL that leaves the TD ends there
 * (module_next_left_td). module_next_fault: -1 outside an active call on
 * this LP, else whether the occurrence fails. */
unsigned module_next_take(struct tdx_module *m, int scope, unsigned lp,
			  unsigned leaf);
void module_next_end(struct tdx_module *m, unsigned token);
void module_next_left_td(struct tdx_module *m, unsigned lp);
int module_next_fault(struct tdx_module *m, enum tdxsim_inject kind);

static inline unsigned module_next_begin(struct tdx_module *m, int scope,
					 unsigned lp, unsigned leaf)
{
	if (__builtin_expect(atomic_load_explicit(&m->next.state, memory_order_relaxed) !=
			     NEXT_ARMED, 1))
		return 0;
	return module_next_take(m, scope, lp, leaf);
}

/* inject_status.c: true (and *status set) when an armed injection fires. */
bool module_status_injected(struct tdx_module *m, unsigned leaf, unsigned lp,
			    uint64_t *status);

/* dispatch.c */
uint64_t module_dispatch(struct tdx_module *m, struct seam_ctx *c);

/* td_exit_host.c: the host state a TD exit leaves on its LP (abi §7.5). */
struct td_exit_host_saved {             /* the VMM's values, taken at VP.ENTER */
	uint64_t spec_ctrl;             /* abi §7.5: saved at SEAMCALL entry */
	uint64_t ds_area;               /* abi §7.5: saved at VP.ENTER */
	uint64_t tsx_ctrl;              /* abi §7.5: restored if the TD has no TSX */
};
struct td_guest_msrs {                  /* what the TD's configuration and guest say */
	bool waitpkg;                   /* the TD has WAITPKG (CPUID.7.0:ECX[5]) */
	uint64_t umwait_control;        /* the guest's IA32_UMWAIT_CONTROL */
	bool tsx;                       /* the TD has TSX (HLE or RTM) */
};
void td_entry_save_host(struct platform *p, unsigned lp,
			struct td_exit_host_saved *saved);
/* g may be NULL: no WAITPKG, no TSX. */
void td_exit_host_state(struct platform *p, unsigned lp, uint64_t attributes,
			uint64_t xfam, const struct td_exit_host_saved *saved,
			const struct td_guest_msrs *g);

/* invariants.c */
void module_check_invariants(struct tdx_module *m, struct seam_ctx *c);
void module_check_range(struct tdx_module *m, unsigned self, uint64_t pa,
			uint64_t len);

#endif
