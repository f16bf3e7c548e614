/* SPDX-License-Identifier: MIT */
/*
 * TD control structures (abi §5.1) and the helpers every TD-scope leaf
 * shares: locking a page operand through its PAMT entry (§4.4), mapping
 * the TDR and TDCS, and the common TD-state gate (§5.3).
 *
 * The structures live in the simulated pages the host donated, as in the
 * module: the TDR through the global private HKID, TDCS and TDVPS pages
 * through the TD's HKID. A host read of them therefore returns zeros. The
 * byte layout inside each page is ours; the spec fixes the fields.
 */
#ifndef TDXSIM_MODULE_TD_H
#define TDXSIM_MODULE_TD_H

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "module.h"

#define PAGE_4K 4096ULL

/* TDR (abi §5.1): management fields, key fields, TD-preserving fields. */
struct tdr {
	uint8_t fatal;
	uint8_t pad0[3];
	uint32_t num_tdcx;
	_Atomic uint64_t chldcnt;
	uint32_t lifecycle_state;
	uint32_t pad1;
	uint64_t tdcx_pa[TDX_MAX_NUM_TDCS_PAGES];   /* PA | HKID */
	uint8_t td_uuid[32];
	uint16_t hkid;
	uint16_t pad2;
	_Atomic uint32_t pkg_config_bitmap;
	uint64_t seamdb_index;
	uint8_t seamdb_nonce[32];
};

/* TDCS page indices (abi §5.1). */
enum {
	TDCS_PAGE_MGMT = 0,
	TDCS_PAGE_CPUID = 1,
	TDCS_PAGE_MSR_BITMAPS = 2,
	TDCS_PAGE_SEPT_ROOT = 3,
	TDCS_PAGE_ZERO = 4,
	TDCS_PAGE_MIGSC_LINKS = 5,
};

/* The TD's virtual CPUID, computed by TDH.MNG.INIT (abi §5.4) in the
 * module's lookup order: the values the guest's CPUID returns, which
 * entries it may read (cpuid_valid: not faulting), and the features the
 * rest of the module asks about (cpuid_flags). TDCS page 1. */
struct tdcs_cpuid {
	struct cpuid_regs values[CPUID_NUM_LOOKUP];
	uint8_t valid[CPUID_NUM_LOOKUP];
	struct {
		bool monitor_mwait, dca, tsc_deadline, tsx, waitpkg, tme, la57,
		     mktme, ddpd, xfd;
	} flags;
};

_Static_assert(sizeof(struct tdcs_cpuid) <= PAGE_4K, "TDCS CPUID fits page 1");

/* TDCS pages 0–1: everything but the bitmaps and the SEPT roots: the
 * management and control fields in page 0, the virtual CPUID in page 1. */
struct tdcs {
	_Atomic uint64_t op_state_lock;             /* sharex_hp_lock_t word */
	uint32_t op_state;
	uint32_t pad0;
	sharex_lock_t secure_ept_lock;              /* SEPT tree */
	sharex_lock_t epoch_lock;
	sharex_lock_t rtmr_lock;
	uint16_t pad1;
	_Atomic uint64_t td_epoch;
	_Atomic uint16_t refcount[2];
	uint16_t pad2[2];
	_Atomic uint32_t num_vcpus;
	_Atomic uint32_t num_assoc_vcpus;
	/* Execution controls, from TD_PARAMS. */
	uint64_t attributes, xfam, eptp, config_flags, td_ctls;
	uint64_t tsc_offset, tsc_multiplier, notify_enables, hp_lock_timeout;
	uint64_t ia32_arch_cap_config;
	/* VM_CTLS, per VM; tdxsim runs no L2 VM, so they steer nothing. */
	uint64_t vm_ctls[TDX_NUM_VMS];
	uint32_t max_vcpus;
	uint16_t tsc_frequency;
	uint8_t gpaw, num_l2_vms, pwl;
	uint8_t pad3[7];
	/* Measurement (abi §5.8). MRTD's input collects in mr_buf and is
	 * hashed a few KiB at a time (measure.c); only MR.FINALIZE reads
	 * the digest. */
	SHA512_CTX mr_ctx;
	uint32_t mr_buf_len;
	uint32_t pad4;
	uint8_t mrtd[TDX_SHA384_SIZE];
	uint8_t mr_config_id[TDX_SHA384_SIZE];
	uint8_t mr_owner[TDX_SHA384_SIZE];
	uint8_t mr_owner_config[TDX_SHA384_SIZE];
	uint8_t rtmr[TDX_NUM_RTMRS][TDX_SHA384_SIZE];
	uint8_t servtd_hash[TDX_SHA384_SIZE];
	/* Seven MR.EXTEND inputs (three 128-byte blocks each). */
	uint8_t mr_buf[7 * 3 * TDX_MR_BLOCK_SIZE];
};

_Static_assert(sizeof(struct tdcs) <= PAGE_4K, "TDCS management fits page 0");

/* TDVPR page (abi §5.1): VE_INFO at 0, management at 0x100, the
 * per-leaf CPUID controls at 0x900 (tdx_tdvps.h), guest state at 0x980. */
#define TDVPS_VE_INFO_OFFSET 0
#define TDVPS_MGMT_OFFSET 0x100
#define TDVPS_CPUID_CONTROL_OFFSET 0x900
#define TDVPS_GPR_OFFSET  0x980
/* The guest's MSR values the module keeps per vCPU (tdx_tdvps.h
 * guest_msr_state, and the TD VMCS's guest EFER/PAT/DEBUGCTL). */
#define TDVPS_GUEST_MSR_OFFSET 0xA80
/* TDVPS page index of the TD VMCS (abi §5.1). */
#define TDVPS_PAGE_VMCS 1

/* abi §7.4; valid is 0xFFFFFFFF while the #VE information is unread. */
struct tdvps_ve_info {
	uint32_t exit_reason;
	uint32_t valid;
	uint64_t exit_qual, gla, gpa;
	uint16_t eptp_index;
	/* The VM exit's instruction length and information, as the module
	 * copies them from the VMCS (tdx_inject_ve). */
	uint32_t instr_len, instr_info;
};

struct tdvps_mgmt {
	uint32_t state;                             /* enum tdx_vcpu_state */
	uint32_t last_td_exit;
	uint32_t vcpu_index;
	uint32_t num_tdvps_pages;
	uint64_t tdvps_pa[TDX_MAX_TDVPS_PAGES];     /* PA | HKID */
	_Atomic int32_t assoc_lpid;                 /* -1: none */
	uint32_t x2apic_id;
	uint64_t vcpu_epoch;
	uint8_t pend_nmi;                           /* MD_VP_PEND_NMI (linux §4.4) */
	/* CPUID #VE for all leaves, at CPL 0 and above 0 (TDG.VP.CPUIDVE.SET,
	 * TDG.VP.WR); per leaf, TDVPS CPUID_CONTROL bits 0 and 1. */
	uint8_t cpuid_supervisor_ve, cpuid_user_ve;
};

struct tdvps_guest {
	uint64_t gpr[16];                           /* operand-ID order */
	uint64_t xcr0, dr6, ia32_fmask;
	uint64_t dr[4];                             /* DR0..DR3 */
};

_Static_assert(TDVPS_GPR_OFFSET + sizeof(struct tdvps_guest) <= TDVPS_GUEST_MSR_OFFSET,
	       "guest state before the MSRs");

/* Guest MSRs written: which slots hold a value (the others read as at
 * TDH.VP.INIT), in the TDVPR page; the values in TDVPS pages 2 to 4, one
 * 64-bit slot per MSR of the module's table (msr_native_slot). */
#define TDVPS_PAGE_MSRS 2
#define TDVPS_MSR_SLOTS 1536

struct tdvps_msrs {
	uint64_t written[TDVPS_MSR_SLOTS / 64];
};

_Static_assert(TDVPS_GUEST_MSR_OFFSET + sizeof(struct tdvps_msrs) <= PAGE_4K,
	       "the MSRs fit the TDVPR page");
_Static_assert(TDVPS_PAGE_MSRS + TDVPS_MSR_SLOTS * 8 / PAGE_4K <= TDX_MIN_TDVPS_PAGES,
	       "the MSR values fit the TDVPS pages every vCPU has");

/*
 * The part of the TD VMCS (TDVPS page 1, abi §5.1) the host reaches
 * through TDH.VP.RD/WR: the posted-interrupt fields KVM sets after
 * TDH.VP.INIT (linux §4.4). A zeroed page reads as a fresh VMCS; see
 * td_vmcs_of() in metadata_td.h.
 */
struct td_vmcs {
	uint32_t initialized;
	uint32_t pin_based_ctls;
	uint16_t posted_intr_nv;
	uint16_t pad[3];
	uint64_t posted_intr_desc_addr;
	uint64_t shared_eptp;       /* the VMM's EPT for shared GPAs */
};

/* A page operand locked through its PAMT leaf (and its ancestors SH). */
struct locked_page {
	_Atomic uint64_t *node[3];                  /* by TDX_PS_*; NULL if not held */
	enum lock_mode leaf_mode;
	unsigned level;
	uint64_t pa;
};

/* A TD reached through its TDR, with what the leaf holds. */
struct td_ref {
	uint64_t tdr_pa;
	struct tdr *tdr;
	struct tdcs *tdcs;                          /* NULL before 6 TDCX pages */
	struct locked_page tdr_lock;
	bool op_locked;
	enum lock_mode op_mode;
};

#define STATUS(code, opid) tdx_status_with_operand((code), (opid))

/* td_pages.c: §4.4 page-operand checks. */
uint64_t page_lock(struct tdx_module *m, uint64_t hpa, uint64_t opid,
		   uint64_t expect_pt, enum lock_mode mode,
		   struct locked_page *out);
/* Format, TDMR and PAMT walk only: the leaf at whatever size it is. */
uint64_t page_lock_any(struct tdx_module *m, uint64_t hpa, uint64_t opid,
		       enum lock_mode mode, struct locked_page *out);
/* Locks a free 2M range (the 2M node and all 512 children NDA). */
uint64_t page_lock_free_2m(struct tdx_module *m, uint64_t hpa, uint64_t opid,
			   struct locked_page *out);
void page_unlock(struct locked_page *lp);
uint64_t page_word(const struct locked_page *lp);
void page_set(struct locked_page *lp, uint64_t pt, uint64_t owner_pa);
/* PT_NDA, the owner left as it was (the module's way of freeing). */
void page_set_free(struct locked_page *lp);
void page_set_bepoch(struct locked_page *lp, uint64_t bepoch);
uint64_t page_bepoch(const struct locked_page *lp);
/*
 * pamt_implicit_get (abi §4.3): the PAMT entry of a page the S-EPT maps,
 * at the size it maps it, found without a walk. The _lock form takes
 * that entry alone (OPERAND_BUSY|opid); the bepoch forms take no lock,
 * the S-EPT entry lock serialises them.
 */
uint64_t page_lock_implicit(struct tdx_module *m, uint64_t hpa, unsigned level,
			    uint64_t opid, enum lock_mode mode,
			    struct locked_page *out);
uint64_t page_implicit_bepoch(struct tdx_module *m, uint64_t hpa, unsigned level);
void page_implicit_set_bepoch(struct tdx_module *m, uint64_t hpa, unsigned level,
			      uint64_t bepoch);
/* pamt_promote / pamt_demote (abi §4.3) of the page at hpa to or from
 * size `level`; TDX_OPERAND_BUSY (no operand) when the entry at that
 * size cannot be locked. */
uint64_t page_promote(struct tdx_module *m, uint64_t hpa, unsigned level);
uint64_t page_demote(struct tdx_module *m, uint64_t hpa, unsigned level);
/* Materialises a page through a KeyID (PA | HKID) for the module. */
uint8_t *td_map(struct tdx_module *m, uint64_t pa, uint16_t hkid);
/* Zero-fills a 4K page through a KeyID. */
void td_page_clear(struct tdx_module *m, uint64_t pa, uint16_t hkid);

/* td_ref.c */
uint64_t td_lock_tdr(struct tdx_module *m, uint64_t tdr_pa, uint64_t opid,
		     enum lock_mode mode, struct td_ref *td);
/* The common TD-state gate (§5.3); op_mode < 0: no op-state lock. */
uint64_t td_gate(struct tdx_module *m, struct td_ref *td, unsigned leaf,
		 int op_mode);
void td_release(struct td_ref *td);
/* Drops only the op-state lock (VP.ENTER, just before the guest runs). */
void td_release_op(struct td_ref *td);
bool op_state_allows(unsigned leaf, unsigned op_state);
/* The TDCS page at index i, through the TD's HKID. */
void *tdcs_page(struct tdx_module *m, const struct tdr *tdr, unsigned i);
uint64_t td_tdcx_pa(const struct tdx_module *m, const struct tdr *tdr,
		    unsigned i);
struct tdvps_mgmt *tdvps_mgmt_of(uint8_t *tdvpr);
struct tdvps_guest *tdvps_guest_of(uint8_t *tdvpr);
typedef uint64_t (*td_sept_body)(struct tdx_module *m, struct seam_ctx *c,
				 struct td_ref *td, uint64_t info);
uint64_t td_sept_leaf(struct tdx_module *m, struct seam_ctx *c, unsigned leaf,
		      td_sept_body body);
/* The SEPT tree lock (abi §6.3). */
bool td_tree_lock(struct tdx_module *m, struct tdcs *tdcs, enum lock_mode mode);
void td_tree_unlock(struct tdcs *tdcs, enum lock_mode mode);
/* measure.c: MRTD (abi §5.8). mr_init at TDH.MNG.INIT; one 128-byte
 * header block (PAGE.ADD); MR.EXTEND's header block and 256-byte chunk;
 * mr_final at TDH.MR.FINALIZE writes tdcs->mrtd. */
void mr_init(struct tdcs *tdcs);
void mr_extend_header(struct tdcs *tdcs, const char *name, uint64_t gpa);
void mr_extend_chunk(struct tdcs *tdcs, uint64_t gpa, const uint8_t *chunk);
void mr_final(struct tdcs *tdcs);
/* TD epoch helpers (abi §5.7). */
bool td_tlb_tracked(const struct tdcs *tdcs, uint64_t bepoch);
bool op_state_tracking_required(unsigned op_state);

#endif
