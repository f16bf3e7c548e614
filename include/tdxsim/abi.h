/* SPDX-License-Identifier: MIT */
/*
 * tdxsim: numbers of the Intel TDX module 1.5 ABI as seen by the VMM and the
 * guest: SEAMCALL/TDCALL leaves, completion status codes, operand IDs, TDMR and
 * PAMT layouts, state encodings, metadata field IDs, feature and attribute
 * bits, the MSRs the platform model implements and the constants of the Linux
 * host driver.
 *
 * Every constant cites its source:
 *   abi   = /work/shared/spec/tdx-module-abi.md   (intel/tdx-module, TDX_1.5.01)
 *   linux = /work/shared/spec/linux-tdx-host.md   (Linux host driver / KVM)
 * "[newer]" marks values that only the newer (2.0 / TDX Connect) module tree
 * or in-flight Linux code has; the 1.5.01 module does not implement them.
 *
 * Header-only: macros, enums, one struct and static inline helpers.
 */
#ifndef TDXSIM_ABI_H
#define TDXSIM_ABI_H

#include <stdint.h>

/* ========================================================================= */
/* SEAMCALL (host side) leaf numbers, RAX bits 15:0                          */
/* ========================================================================= */

#define TDH_VP_ENTER                 0ULL   /* abi §1.2 */
#define TDH_MNG_ADDCX                1ULL   /* abi §1.2 */
#define TDH_MEM_PAGE_ADD             2ULL   /* abi §1.2 */
#define TDH_MEM_SEPT_ADD             3ULL   /* abi §1.2 */
#define TDH_VP_ADDCX                 4ULL   /* abi §1.2 */
#define TDH_MEM_PAGE_RELOCATE        5ULL   /* abi §1.2 */
#define TDH_MEM_PAGE_AUG             6ULL   /* abi §1.2 */
#define TDH_MEM_RANGE_BLOCK          7ULL   /* abi §1.2 */
#define TDH_MNG_KEY_CONFIG           8ULL   /* abi §1.2 */
#define TDH_MNG_CREATE               9ULL   /* abi §1.2 */
#define TDH_VP_CREATE                10ULL  /* abi §1.2 */
#define TDH_MNG_RD                   11ULL  /* abi §1.2 */
#define TDH_MEM_RD                   12ULL  /* abi §1.2 */
#define TDH_MNG_WR                   13ULL  /* abi §1.2 */
#define TDH_MEM_WR                   14ULL  /* abi §1.2 */
#define TDH_MEM_PAGE_DEMOTE          15ULL  /* abi §1.2 */
#define TDH_MR_EXTEND                16ULL  /* abi §1.2 */
#define TDH_MR_FINALIZE              17ULL  /* abi §1.2 */
#define TDH_VP_FLUSH                 18ULL  /* abi §1.2 */
#define TDH_MNG_VPFLUSHDONE          19ULL  /* abi §1.2 */
#define TDH_MNG_KEY_FREEID           20ULL  /* abi §1.2 */
#define TDH_MNG_INIT                 21ULL  /* abi §1.2 */
#define TDH_VP_INIT                  22ULL  /* abi §1.2 */
#define TDH_MEM_PAGE_PROMOTE         23ULL  /* abi §1.2 */
#define TDH_PHYMEM_PAGE_RDMD         24ULL  /* abi §1.2 */
#define TDH_MEM_SEPT_RD              25ULL  /* abi §1.2 */
#define TDH_VP_RD                    26ULL  /* abi §1.2 */
#define TDH_MNG_KEY_RECLAIMID        27ULL  /* abi §1.2, no-op returning SUCCESS */
#define TDH_PHYMEM_PAGE_RECLAIM      28ULL  /* abi §1.2 */
#define TDH_MEM_PAGE_REMOVE          29ULL  /* abi §1.2 */
#define TDH_MEM_SEPT_REMOVE          30ULL  /* abi §1.2 */
#define TDH_SYS_KEY_CONFIG           31ULL  /* abi §1.2 */
#define TDH_SYS_INFO                 32ULL  /* abi §1.2, legacy */
#define TDH_SYS_INIT                 33ULL  /* abi §1.2 */
#define TDH_SYS_RD                   34ULL  /* abi §1.2 */
#define TDH_SYS_LP_INIT              35ULL  /* abi §1.2 */
#define TDH_SYS_TDMR_INIT            36ULL  /* abi §1.2 */
#define TDH_SYS_RDALL                37ULL  /* abi §1.2 */
#define TDH_MEM_TRACK                38ULL  /* abi §1.2 */
#define TDH_MEM_RANGE_UNBLOCK        39ULL  /* abi §1.2 */
#define TDH_PHYMEM_CACHE_WB          40ULL  /* abi §1.2 */
#define TDH_PHYMEM_PAGE_WBINVD       41ULL  /* abi §1.2 */
#define TDH_MEM_SEPT_WR              42ULL  /* abi §1.2, defined but not dispatched (§1.1) */
#define TDH_VP_WR                    43ULL  /* abi §1.2 */
#define TDH_SYS_LP_SHUTDOWN          44ULL  /* abi §1.2, deprecated, returns SUCCESS */
#define TDH_SYS_CONFIG               45ULL  /* abi §1.2 */
#define TDH_SERVTD_BIND              48ULL  /* abi §1.2 */
#define TDH_SERVTD_PREBIND           49ULL  /* abi §1.2 */
#define TDH_SYS_SHUTDOWN             52ULL  /* abi §1.2 */
#define TDH_SYS_UPDATE               53ULL  /* abi §1.2 */
#define TDH_EXPORT_ABORT             64ULL  /* abi §1.2 */
#define TDH_EXPORT_BLOCKW            65ULL  /* abi §1.2 */
#define TDH_EXPORT_RESTORE           66ULL  /* abi §1.2 */
#define TDH_EXPORT_MEM               68ULL  /* abi §1.2 */
#define TDH_EXPORT_PAUSE             70ULL  /* abi §1.2 */
#define TDH_EXPORT_TRACK             71ULL  /* abi §1.2 */
#define TDH_EXPORT_STATE_IMMUTABLE   72ULL  /* abi §1.2 */
#define TDH_EXPORT_STATE_TD          73ULL  /* abi §1.2 */
#define TDH_EXPORT_STATE_VP          74ULL  /* abi §1.2 */
#define TDH_EXPORT_UNBLOCKW          75ULL  /* abi §1.2 */
#define TDH_IMPORT_ABORT             80ULL  /* abi §1.2 */
#define TDH_IMPORT_END               81ULL  /* abi §1.2 */
#define TDH_IMPORT_COMMIT            82ULL  /* abi §1.2 */
#define TDH_IMPORT_MEM               83ULL  /* abi §1.2 */
#define TDH_IMPORT_TRACK             84ULL  /* abi §1.2 */
#define TDH_IMPORT_STATE_IMMUTABLE   85ULL  /* abi §1.2 */
#define TDH_IMPORT_STATE_TD          86ULL  /* abi §1.2 */
#define TDH_IMPORT_STATE_VP          87ULL  /* abi §1.2 */
#define TDH_MIG_STREAM_CREATE        96ULL  /* abi §1.2 */
#define TDDEBUGCONFIG                0xFEULL /* abi §1.2, debug builds only */

/*
 * [newer] leaves the 1.5.01 module does not dispatch (it answers
 * TDX_OPERAND_INVALID|RAX, abi §1.1). Dynamic PAMT and TDH.SYS.DISABLE.
 */
#define TDH_PHYMEM_PAMT_ADD          58ULL  /* abi §1.4 [newer], linux §1.3 */
#define TDH_PHYMEM_PAMT_REMOVE       59ULL  /* abi §1.4 [newer], linux §1.3 */
#define TDH_SYS_DISABLE              69ULL  /* linux §1.3, in flight */

/* Leaves that accept version > 0 (abi §1.1); handlers accept versions 0..1. */
#define TDX_MAX_LEAF_VERSION         1ULL   /* abi §1.1 */

/* TDH.PHYMEM.CACHE.WB RCX commands. */
#define TDH_PHYMEM_CACHEWB_START_CMD   0ULL /* linux §1.4 */
#define TDH_PHYMEM_CACHEWB_RESUME_CMD  1ULL /* linux §1.4 */

/* TDH.SYS.CONFIG R8: global private HKID in bits 15:0, bits 63:16 reserved. */
#define TDX_SYS_CONFIG_HKID_MASK       0xFFFFULL  /* abi §3.3 */
#define TDX_SYS_CONFIG_DYNAMIC_PAMT    (1ULL << 16) /* abi §1.4 [newer], linux §1.4 */

/* TDH.SYS.SHUTDOWN RCX bit 16 (update-compat modules only). */
#define TDX_SYS_SHUTDOWN_AVOID_COMPAT_SENSITIVE (1ULL << 16) /* linux §1.4 */

/* P-SEAMLDR calls: SEAMCALL with bit 63 set in RAX. */
#define P_SEAMLDR_INFO               0x8000000000000000ULL /* linux §1.1 */
#define P_SEAMLDR_INSTALL            0x8000000000000001ULL /* linux §1.1 */

/* ========================================================================= */
/* TDCALL (guest side) leaf numbers                                          */
/* ========================================================================= */

#define TDG_VP_VMCALL                0ULL   /* abi §1.3 */
#define TDG_VP_INFO                  1ULL   /* abi §1.3 */
#define TDG_MR_RTMR_EXTEND           2ULL   /* abi §1.3 */
#define TDG_VP_VEINFO_GET            3ULL   /* abi §1.3 */
#define TDG_MR_REPORT                4ULL   /* abi §1.3 */
#define TDG_VP_CPUIDVE_SET           5ULL   /* abi §1.3 */
#define TDG_MEM_PAGE_ACCEPT          6ULL   /* abi §1.3 */
#define TDG_VM_RD                    7ULL   /* abi §1.3 */
#define TDG_VM_WR                    8ULL   /* abi §1.3 */
#define TDG_VP_RD                    9ULL   /* abi §1.3 */
#define TDG_VP_WR                    10ULL  /* abi §1.3 */
#define TDG_SYS_RD                   11ULL  /* abi §1.3 */
#define TDG_SYS_RDALL                12ULL  /* abi §1.3 */
#define TDG_SERVTD_RD                18ULL  /* abi §1.3 */
#define TDG_SERVTD_WR                20ULL  /* abi §1.3 */
#define TDG_MR_VERIFYREPORT          22ULL  /* abi §1.3 */
#define TDG_MEM_PAGE_ATTR_RD         23ULL  /* abi §1.3 */
#define TDG_MEM_PAGE_ATTR_WR         24ULL  /* abi §1.3 */
#define TDG_VP_ENTER                 25ULL  /* abi §1.3, L2 entry */
#define TDG_VP_INVEPT                26ULL  /* abi §1.3 */
#define TDG_VP_INVVPID               27ULL  /* abi §1.3 */

/* ========================================================================= */
/* RAX layout for SEAMCALL and TDCALL                                        */
/* ========================================================================= */

#define TDX_LEAF_MASK                0xFFFFULL              /* abi §1.1, bits 15:0 */
#define TDX_VERSION_SHIFT            16                     /* abi §1.1, linux §1.1 */
#define TDX_VERSION_MASK             0xFFULL                /* abi §1.1, bits 23:16 */
#define TDX_RAX_RESERVED_MASK        0xFFFFFFFFFF000000ULL  /* abi §1.1, bits 31:24, 63:32 */

static inline uint64_t tdx_rax_leaf(uint64_t rax)
{
	return rax & TDX_LEAF_MASK;
}

static inline uint64_t tdx_rax_version(uint64_t rax)
{
	return (rax >> TDX_VERSION_SHIFT) & TDX_VERSION_MASK;
}

static inline uint64_t tdx_rax(uint64_t leaf, uint64_t version)
{
	return (leaf & TDX_LEAF_MASK) |
	       ((version & TDX_VERSION_MASK) << TDX_VERSION_SHIFT);
}

/* ========================================================================= */
/* Completion status layout                                                  */
/* ========================================================================= */

#define TDX_STATUS_OPERAND_MASK      0xFFFFFFFFULL    /* abi §2.1, bits 31:0 */
#define TDX_STATUS_DETAILS_L1_SHIFT  32               /* abi §2.1, bits 39:32 */
#define TDX_STATUS_DETAILS_L1_MASK   0xFFULL          /* abi §2.1 */
#define TDX_STATUS_CLASS_SHIFT       40               /* abi §2.1, bits 47:40 */
#define TDX_STATUS_CLASS_MASK        0xFFULL          /* abi §2.1 */
#define TDX_STATUS_RESERVED_MASK     0x0FFF000000000000ULL /* abi §2.1, bits 59:48 */
#define TDX_STATUS_HOST_RECOVERABILITY_HINT (1ULL << 60) /* abi §2.1 */
#define TDX_STATUS_FATAL             (1ULL << 61)     /* abi §2.1 */
#define TDX_STATUS_NON_RECOVERABLE   (1ULL << 62)     /* abi §2.1, linux TDX_NON_RECOVERABLE */
#define TDX_STATUS_ERROR             (1ULL << 63)     /* abi §2.1, linux TDX_ERROR */
#define TDX_SEAMCALL_STATUS_MASK     0xFFFFFFFF00000000ULL /* linux §2.1 */

/* Status classes, bits 47:40 (abi §2.1). */
#define TDX_CLASS_GENERAL            0x00ULL /* abi §2.1, general / TD-exit */
#define TDX_CLASS_OPERAND            0x01ULL /* abi §2.1 */
#define TDX_CLASS_BUSY               0x02ULL /* abi §2.1 */
#define TDX_CLASS_PAGE_METADATA      0x03ULL /* abi §2.1 */
#define TDX_CLASS_TD_PAGES           0x04ULL /* abi §2.1 */
#define TDX_CLASS_SYS_INIT           0x05ULL /* abi §2.1 */
#define TDX_CLASS_TD_STATE           0x06ULL /* abi §2.1 */
#define TDX_CLASS_VCPU               0x07ULL /* abi §2.1 */
#define TDX_CLASS_KEYS               0x08ULL /* abi §2.1 */
#define TDX_CLASS_PLATFORM_CONFIG    0x09ULL /* abi §2.1 */
#define TDX_CLASS_TDMR_PAMT          0x0AULL /* abi §2.1 */
#define TDX_CLASS_EPT                0x0BULL /* abi §2.1, EPT / SEPT */
#define TDX_CLASS_METADATA           0x0CULL /* abi §2.1 */
#define TDX_CLASS_SERVTD             0x0DULL /* abi §2.1 */
#define TDX_CLASS_MIGRATION          0x0EULL /* abi §2.1 */
#define TDX_CLASS_TDX_IO             0x0FULL /* abi §2.1, [newer] only */
#define TDX_CLASS_ATTESTATION        0x10ULL /* abi §2.1 */
#define TDX_CLASS_L2                 0x11ULL /* abi §2.1, L2 / partitioning */
#define TDX_CLASS_SW                 0xFFULL /* linux §2.1, never produced by the module */

/* ========================================================================= */
/* Completion status codes (abi §2.2)                                        */
/* ========================================================================= */

/* General and TD-exit statuses (class 0x00) */
#define TDX_SUCCESS                                0x0000000000000000ULL /* abi §2.2 */
#define TDX_NON_RECOVERABLE_VCPU                   0x4000000100000000ULL /* abi §2.2 */
/*
 * NON_RECOVERABLE_TD and NON_RECOVERABLE_TD_WRONG_APIC_MODE: these are the
 * module's values (abi §2.2). Linux's tdx_errno.h has 0x4000000200000000 and
 * 0x6000000700000000 instead (linux §2.3, §2.4); see the *_LINUX variants below.
 */
#define TDX_NON_RECOVERABLE_TD                     0x6000000200000000ULL /* abi §2.2 */
#define TDX_INTERRUPTED_RESUMABLE                  0x8000000300000000ULL /* abi §2.2 */
#define TDX_INTERRUPTED_RESTARTABLE                0x8000000400000000ULL /* abi §2.2 */
#define TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE      0x6000000500000000ULL /* abi §2.2 */
#define TDX_INVALID_RESUMPTION                     0xC000000600000000ULL /* abi §2.2 */
#define TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE     0xE000000700000000ULL /* abi §2.2 */
#define TDX_CROSS_TD_FAULT                         0x8000000800000000ULL /* abi §2.2 */
#define TDX_CROSS_TD_TRAP                          0x9000000900000000ULL /* abi §2.2 */
#define TDX_NON_RECOVERABLE_TD_CORRUPTED_MD        0x6000000A00000000ULL /* abi §2.2 */

/* Operand (class 0x01) */
#define TDX_OPERAND_INVALID                        0xC000010000000000ULL /* abi §2.2 */
#define TDX_OPERAND_ADDR_RANGE_ERROR               0xC000010100000000ULL /* abi §2.2 */

/* Busy (class 0x02) */
#define TDX_OPERAND_BUSY                           0x8000020000000000ULL /* abi §2.2 */
#define TDX_PREVIOUS_TLB_EPOCH_BUSY                0x8000020100000000ULL /* abi §2.2 */
#define TDX_SYS_BUSY                               0x8000020200000000ULL /* abi §2.2 */
#define TDX_RND_NO_ENTROPY                         0x8000020300000000ULL /* abi §2.2 */
#define TDX_OPERAND_BUSY_HOST_PRIORITY             0x8000020400000000ULL /* abi §2.2 */
#define TDX_HOST_PRIORITY_BUSY_TIMEOUT             0x9000020500000000ULL /* abi §2.2 */

/* Page metadata (class 0x03) */
#define TDX_PAGE_METADATA_INCORRECT                0xC000030000000000ULL /* abi §2.2 */
#define TDX_PAGE_ALREADY_FREE                      0x0000030100000000ULL /* abi §2.2 */
#define TDX_PAGE_NOT_OWNED_BY_TD                   0xC000030200000000ULL /* abi §2.2 */
#define TDX_PAGE_NOT_FREE                          0xC000030300000000ULL /* abi §2.2 */

/* TD pages (class 0x04) */
#define TDX_TD_ASSOCIATED_PAGES_EXIST              0xC000040000000000ULL /* abi §2.2 */

/* System init (class 0x05) */
#define TDX_SYS_INIT_NOT_PENDING                   0xC000050000000000ULL /* abi §2.2 */
#define TDX_SYS_LP_INIT_NOT_DONE                   0xC000050200000000ULL /* abi §2.2 */
#define TDX_SYS_LP_INIT_DONE                       0xC000050300000000ULL /* abi §2.2 */
#define TDX_SYS_NOT_READY                          0xC000050500000000ULL /* abi §2.2 */
#define TDX_SYS_SHUTDOWN                           0xC000050600000000ULL /* abi §2.2 */
#define TDX_SYS_KEY_CONFIG_NOT_PENDING             0xC000050700000000ULL /* abi §2.2 */
#define TDX_SYS_STATE_INCORRECT                    0xC000050800000000ULL /* abi §2.2 */
#define TDX_SYS_INVALID_HANDOFF                    0xC000050900000000ULL /* abi §2.2 */
#define TDX_SYS_INCOMPATIBLE_SIGSTRUCT             0xC000050A00000000ULL /* abi §2.2 */
#define TDX_SYS_LP_INIT_NOT_PENDING                0xC000050B00000000ULL /* abi §2.2 */
#define TDX_SYS_CONFIG_NOT_PENDING                 0xC000050C00000000ULL /* abi §2.2 */
#define TDX_INCOMPATIBLE_SEAM_CAPABILITIES         0xC000050D00000000ULL /* abi §2.2 */

/* TD state (class 0x06) */
#define TDX_TD_FATAL                               0xE000060400000000ULL /* abi §2.2 */

/* The status of a TDH.VP.ENTER without its exit reason (bits 31:0). */
static inline uint64_t tdx_status_no_exit_reason(uint64_t status)
{
	return status & ~0xFFFFFFFFULL;
}

/* A TDH.VP.ENTER status after which the TD itself is gone for good (the
 * VMM tears it down), as opposed to this vCPU alone. */
static inline int tdx_status_td_dead(uint64_t status)
{
	switch (tdx_status_no_exit_reason(status)) {
	case TDX_NON_RECOVERABLE_TD:
	case TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE:
	case TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE:
	case TDX_NON_RECOVERABLE_TD_CORRUPTED_MD:
	case TDX_TD_FATAL:
		return 1;
	default:
		return 0;
	}
}
#define TDX_TD_NON_DEBUG                           0xC000060500000000ULL /* abi §2.2 */
#define TDX_TDCS_NOT_ALLOCATED                     0xC000060600000000ULL /* abi §2.2 */
#define TDX_LIFECYCLE_STATE_INCORRECT              0xC000060700000000ULL /* abi §2.2 */
#define TDX_OP_STATE_INCORRECT                     0xC000060800000000ULL /* abi §2.2 */
#define TDX_NO_VCPUS                               0xC000060900000000ULL /* abi §2.2 */
#define TDX_TDCX_NUM_INCORRECT                     0xC000061000000000ULL /* abi §2.2 */

/* VCPU (class 0x07) */
#define TDX_VCPU_STATE_INCORRECT                   0xC000070000000000ULL /* abi §2.2 */
#define TDX_VCPU_ASSOCIATED                        0x8000070100000000ULL /* abi §2.2 */
#define TDX_VCPU_NOT_ASSOCIATED                    0x8000070200000000ULL /* abi §2.2 */
#define TDX_NO_VALID_VE_INFO                       0xC000070400000000ULL /* abi §2.2 */
#define TDX_MAX_VCPUS_EXCEEDED                     0xC000070500000000ULL /* abi §2.2 */
#define TDX_TSC_ROLLBACK                           0xC000070600000000ULL /* abi §2.2 */
#define TDX_TD_VMCS_FIELD_NOT_INITIALIZED          0xC000073000000000ULL /* abi §2.2 */
/* Listed without the TDX_ prefix, as TD_VMCS_FIELD_ERROR, in abi §2.2. */
#define TDX_TD_VMCS_FIELD_ERROR                    0xC000073100000000ULL /* abi §2.2 */

/* Keys (class 0x08) */
#define TDX_KEY_GENERATION_FAILED                  0x8000080000000000ULL /* abi §2.2 */
#define TDX_TD_KEYS_NOT_CONFIGURED                 0x8000081000000000ULL /* abi §2.2 */
#define TDX_KEY_STATE_INCORRECT                    0xC000081100000000ULL /* abi §2.2 */
#define TDX_KEY_CONFIGURED                         0x0000081500000000ULL /* abi §2.2, informational */
#define TDX_WBCACHE_NOT_COMPLETE                   0x8000081700000000ULL /* abi §2.2 */
#define TDX_HKID_NOT_FREE                          0xC000082000000000ULL /* abi §2.2 */
#define TDX_NO_HKID_READY_TO_WBCACHE               0x0000082100000000ULL /* abi §2.2, informational */
#define TDX_WBCACHE_RESUME_ERROR                   0xC000082300000000ULL /* abi §2.2 */
#define TDX_FLUSHVP_NOT_DONE                       0x8000082400000000ULL /* abi §2.2 */
#define TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED      0xC000082500000000ULL /* abi §2.2 */

/* Platform configuration (class 0x09) */
#define TDX_INCORRECT_CPUID_VALUE                  0xC000090000000000ULL /* abi §2.2 */
#define TDX_LIMIT_CPUID_MAXVAL_SET                 0xC000090100000000ULL /* abi §2.2 */
#define TDX_INCONSISTENT_CPUID_FIELD               0xC000090200000000ULL /* abi §2.2 */
#define TDX_CPUID_MAX_SUBLEAVES_UNRECOGNIZED       0xC000090300000000ULL /* abi §2.2 */
#define TDX_CPUID_LEAF_1F_FORMAT_UNRECOGNIZED      0xC000090400000000ULL /* abi §2.2 */
#define TDX_INVALID_WBINVD_SCOPE                   0xC000090500000000ULL /* abi §2.2 */
#define TDX_INVALID_PKG_ID                         0xC000090600000000ULL /* abi §2.2 */
#define TDX_ENABLE_MONITOR_FSM_NOT_SET             0xC000090700000000ULL /* abi §2.2 */
#define TDX_CPUID_LEAF_NOT_SUPPORTED               0xC000090800000000ULL /* abi §2.2 */
#define TDX_SMRR_NOT_LOCKED                        0xC000091000000000ULL /* abi §2.2 */
#define TDX_INVALID_SMRR_CONFIGURATION             0xC000091100000000ULL /* abi §2.2 */
#define TDX_SMRR_OVERLAPS_CMR                      0xC000091200000000ULL /* abi §2.2 */
#define TDX_SMRR_LOCK_NOT_SUPPORTED                0xC000091300000000ULL /* abi §2.2 */
#define TDX_SMRR_NOT_SUPPORTED                     0xC000091400000000ULL /* abi §2.2 */
#define TDX_INCONSISTENT_MSR                       0xC000092000000000ULL /* abi §2.2 */
#define TDX_INCORRECT_MSR_VALUE                    0xC000092100000000ULL /* abi §2.2 */
#define TDX_SEAMREPORT_NOT_AVAILABLE               0xC000093000000000ULL /* abi §2.2 */
#define TDX_SEAMDB_GETREF_NOT_AVAILABLE            0xC000093100000000ULL /* abi §2.2 */
#define TDX_SEAMDB_REPORT_NOT_AVAILABLE            0xC000093200000000ULL /* abi §2.2 */
#define TDX_SEAMVERIFYREPORT_NOT_AVAILABLE         0xC000093300000000ULL /* abi §2.2 */

/* TDMR/PAMT configuration (class 0x0A) */
#define TDX_INVALID_TDMR                           0xC0000A0000000000ULL /* abi §2.2 */
#define TDX_NON_ORDERED_TDMR                       0xC0000A0100000000ULL /* abi §2.2 */
#define TDX_TDMR_OUTSIDE_CMRS                      0xC0000A0200000000ULL /* abi §2.2 */
#define TDX_TDMR_ALREADY_INITIALIZED               0x00000A0300000000ULL /* abi §2.2, informational */
#define TDX_INVALID_PAMT                           0xC0000A1000000000ULL /* abi §2.2 */
#define TDX_PAMT_OUTSIDE_CMRS                      0xC0000A1100000000ULL /* abi §2.2 */
#define TDX_PAMT_OVERLAP                           0xC0000A1200000000ULL /* abi §2.2 */
#define TDX_INVALID_RESERVED_IN_TDMR               0xC0000A2000000000ULL /* abi §2.2 */
#define TDX_NON_ORDERED_RESERVED_IN_TDMR           0xC0000A2100000000ULL /* abi §2.2 */
#define TDX_CMR_LIST_INVALID                       0xC0000A2200000000ULL /* abi §2.2 */

/* EPT / SEPT (class 0x0B) */
#define TDX_EPT_WALK_FAILED                        0xC0000B0000000000ULL /* abi §2.2 */
#define TDX_EPT_ENTRY_FREE                         0xC0000B0100000000ULL /* abi §2.2 */
#define TDX_EPT_ENTRY_NOT_FREE                     0xC0000B0200000000ULL /* abi §2.2 */
#define TDX_EPT_ENTRY_NOT_PRESENT                  0xC0000B0300000000ULL /* abi §2.2 */
#define TDX_EPT_ENTRY_NOT_LEAF                     0xC0000B0400000000ULL /* abi §2.2 */
#define TDX_EPT_ENTRY_LEAF                         0xC0000B0500000000ULL /* abi §2.2 */
#define TDX_GPA_RANGE_NOT_BLOCKED                  0xC0000B0600000000ULL /* abi §2.2 */
#define TDX_GPA_RANGE_ALREADY_BLOCKED              0x00000B0700000000ULL /* abi §2.2, informational */
#define TDX_TLB_TRACKING_NOT_DONE                  0xC0000B0800000000ULL /* abi §2.2 */
#define TDX_EPT_INVALID_PROMOTE_CONDITIONS         0xC0000B0900000000ULL /* abi §2.2 */
#define TDX_PAGE_ALREADY_ACCEPTED                  0x00000B0A00000000ULL /* abi §2.2, informational */
#define TDX_PAGE_SIZE_MISMATCH                     0xC0000B0B00000000ULL /* abi §2.2 */
#define TDX_GPA_RANGE_BLOCKED                      0xC0000B0C00000000ULL /* abi §2.2 */
#define TDX_EPT_ENTRY_STATE_INCORRECT              0xC0000B0D00000000ULL /* abi §2.2 */
#define TDX_EPT_PAGE_NOT_FREE                      0xC0000B0E00000000ULL /* abi §2.2 */
#define TDX_L2_SEPT_WALK_FAILED                    0xC0000B0F00000000ULL /* abi §2.2 */
#define TDX_L2_SEPT_ENTRY_NOT_FREE                 0xC0000B1000000000ULL /* abi §2.2 */
#define TDX_PAGE_ATTR_INVALID                      0xC0000B1100000000ULL /* abi §2.2 */
#define TDX_L2_SEPT_PAGE_NOT_PROVIDED              0xC0000B1200000000ULL /* abi §2.2 */

/* Metadata (class 0x0C) */
#define TDX_METADATA_FIELD_ID_INCORRECT            0xC0000C0000000000ULL /* abi §2.2 */
#define TDX_METADATA_FIELD_NOT_WRITABLE            0xC0000C0100000000ULL /* abi §2.2 */
#define TDX_METADATA_FIELD_NOT_READABLE            0xC0000C0200000000ULL /* abi §2.2 */
#define TDX_METADATA_FIELD_VALUE_NOT_VALID         0xC0000C0300000000ULL /* abi §2.2 */
#define TDX_METADATA_LIST_OVERFLOW                 0xC0000C0400000000ULL /* abi §2.2 */
#define TDX_INVALID_METADATA_LIST_HEADER           0xC0000C0500000000ULL /* abi §2.2 */
#define TDX_REQUIRED_METADATA_FIELD_MISSING        0xC0000C0600000000ULL /* abi §2.2 */
#define TDX_METADATA_ELEMENT_SIZE_INCORRECT        0xC0000C0700000000ULL /* abi §2.2 */
#define TDX_METADATA_LAST_ELEMENT_INCORRECT        0xC0000C0800000000ULL /* abi §2.2 */
#define TDX_METADATA_FIELD_CURRENTLY_NOT_WRITABLE  0xC0000C0900000000ULL /* abi §2.2 */
#define TDX_METADATA_WR_MASK_NOT_VALID             0xC0000C0A00000000ULL /* abi §2.2 */
#define TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT     0x00000C0B00000000ULL /* abi §2.2 */
#define TDX_METADATA_FIELD_SKIP                    0x00000C0C00000000ULL /* abi §2.2 */

/* Service TD (class 0x0D): 0xC0000D<xx>00000000 */
#define TDX_SERVTD_ALREADY_BOUND_FOR_TYPE          0xC0000D0000000000ULL /* abi §2.2 */
#define TDX_SERVTD_TYPE_MISMATCH                   0xC0000D0100000000ULL /* abi §2.2 */
#define TDX_SERVTD_ATTR_MISMATCH                   0xC0000D0200000000ULL /* abi §2.2 */
#define TDX_SERVTD_INFO_HASH_MISMATCH              0xC0000D0300000000ULL /* abi §2.2 */
#define TDX_SERVTD_UUID_MISMATCH                   0xC0000D0400000000ULL /* abi §2.2 */
#define TDX_SERVTD_NOT_BOUND                       0xC0000D0500000000ULL /* abi §2.2 */
#define TDX_SERVTD_BOUND                           0xC0000D0600000000ULL /* abi §2.2 */
#define TDX_TARGET_UUID_MISMATCH                   0xC0000D0700000000ULL /* abi §2.2 */
#define TDX_TARGET_UUID_UPDATED                    0xC0000D0800000000ULL /* abi §2.2 */

/* Migration (class 0x0E): 0xC0000E<xx>00000000, except ALREADY_WRITE_BLOCKED */
#define TDX_INVALID_MBMD                           0xC0000E0000000000ULL /* abi §2.2 */
#define TDX_INCORRECT_MBMD_MAC                     0xC0000E0100000000ULL /* abi §2.2 */
#define TDX_NOT_WRITE_BLOCKED                      0xC0000E0200000000ULL /* abi §2.2 */
#define TDX_ALREADY_WRITE_BLOCKED                  0x00000E0300000000ULL /* abi §2.2, informational */
#define TDX_NOT_EXPORTED                           0xC0000E0400000000ULL /* abi §2.2 */
#define TDX_MIGRATION_STREAM_STATE_INCORRECT       0xC0000E0500000000ULL /* abi §2.2 */
#define TDX_MAX_MIGS_NUM_EXCEEDED                  0xC0000E0600000000ULL /* abi §2.2 */
#define TDX_EXPORTED_DIRTY_PAGES_REMAIN            0xC0000E0700000000ULL /* abi §2.2 */
#define TDX_MIGRATION_DECRYPTION_KEY_NOT_SET       0xC0000E0800000000ULL /* abi §2.2 */
#define TDX_TD_NOT_MIGRATABLE                      0xC0000E0900000000ULL /* abi §2.2 */
#define TDX_PREVIOUS_EXPORT_CLEANUP_INCOMPLETE     0xC0000E0A00000000ULL /* abi §2.2 */
#define TDX_NUM_MIGS_HIGHER_THAN_CREATED           0xC0000E0B00000000ULL /* abi §2.2 */
#define TDX_IMPORT_MISMATCH                        0xC0000E0C00000000ULL /* abi §2.2 */
#define TDX_MIGRATION_EPOCH_OVERFLOW               0xC0000E0D00000000ULL /* abi §2.2 */
#define TDX_MAX_EXPORTS_EXCEEDED                   0xC0000E0E00000000ULL /* abi §2.2 */
#define TDX_INVALID_PAGE_MAC                       0xC0000E0F00000000ULL /* abi §2.2 */
#define TDX_MIGRATED_IN_CURRENT_EPOCH              0xC0000E1000000000ULL /* abi §2.2 */
#define TDX_DISALLOWED_IMPORT_OVER_REMOVED         0xC0000E1100000000ULL /* abi §2.2 */
#define TDX_SOME_VCPUS_NOT_MIGRATED                0xC0000E1200000000ULL /* abi §2.2 */
#define TDX_ALL_VCPUS_IMPORTED                     0xC0000E1300000000ULL /* abi §2.2 */
#define TDX_MIN_MIGS_NOT_CREATED                   0xC0000E1400000000ULL /* abi §2.2 */
#define TDX_VCPU_ALREADY_EXPORTED                  0xC0000E1500000000ULL /* abi §2.2 */
#define TDX_INVALID_MIGRATION_DECRYPTION_KEY       0xC0000E1600000000ULL /* abi §2.2 */

/* Attestation (class 0x10) */
#define TDX_INVALID_CPUSVN                         0xC000100000000000ULL /* abi §2.2 */
#define TDX_INVALID_REPORTMACSTRUCT                0xC000100100000000ULL /* abi §2.2 */

/* L2 / partitioning (class 0x11) */
#define TDX_L2_EXIT_HOST_ROUTED_ASYNC              0x0000110000000000ULL /* abi §2.2 */
#define TDX_L2_EXIT_HOST_ROUTED_TDVMCALL           0x0000110100000000ULL /* abi §2.2 */
#define TDX_L2_EXIT_PENDING_INTERRUPT              0x0000110200000000ULL /* abi §2.2 */
#define TDX_PENDING_INTERRUPT                      0x0000112000000000ULL /* abi §2.2 */
#define TDX_TD_EXIT_BEFORE_L2_ENTRY                0x0000114000000000ULL /* abi §2.2 */
#define TDX_TD_EXIT_ON_L2_VM_EXIT                  0x0000114100000000ULL /* abi §2.2 */
#define TDX_TD_EXIT_ON_L2_TO_L1                    0x0000114200000000ULL /* abi §2.2 */
#define TDX_GLA_NOT_CANONICAL                      0xC000116000000000ULL /* abi §2.2 */

/* Internal sentinel of the module source, never returned. */
#define TDX_UNINITIALIZE_ERROR                     0xFFFFFFFFFFFFFFFFULL /* abi §2.2 */

/* [newer] codes, not returned by 1.5.01 (abi §2.3; some also linux §2.5). */
#define TDX_EVENT_FILTER_INVALID                   0xC000010200000000ULL /* abi §2.3 [newer] */
#define TDX_HPA_RANGE_NOT_FREE                     0xC000030400000000ULL /* abi §2.3 [newer] */
#define TDX_NO_PAMT_PAGE_PAIR                      0xC000030500000000ULL /* abi §2.3 [newer] */
#define TDX_PAMT_PAGE_NOT_EMPTY                    0xC000030600000000ULL /* abi §2.3 [newer] */
#define TDX_INTERRUPTED_PAMT                       0x8000030700000000ULL /* abi §2.3 [newer] */
#define TDX_MISSING_PAMT_PAGE_PAIR                 0x8000030800000000ULL /* abi §2.3 [newer] */
#define TDX_CRYPTO_SELF_TEST_FAILED                0xC000051100000000ULL /* abi §2.3 [newer] */
#define TDX_X2APIC_ID_NOT_UNIQUE                   0xC000062100000000ULL /* abi §2.3 [newer] */
#define TDX_INTERRUPTIBILITY_BLOCKED               0xC000070700000000ULL /* abi §2.3 [newer] */
#define TDX_VIRTUAL_MSR_VALUE_NOT_VALID            0xC0000C0D00000000ULL /* abi §2.3 [newer] */
#define TDX_METADATA_FIELD_NOT_ALLOCATED           0xC0000C0E00000000ULL /* abi §2.3 [newer] */
#define TDX_L2_VM_ENTRY_FAILED                     0x8000110300000000ULL /* abi §2.3 [newer] */

/* Runtime-update series (in flight). */
#define TDX_UPDATE_COMPAT_SENSITIVE                0x8000051200000000ULL /* linux §2.3 */

/*
 * The Linux values of the two codes where Linux and the module disagree
 * (linux §2.3, §2.4). tdxsim's module returns the module values above; these
 * are only for code that wants to model what KVM expects.
 */
#define TDX_NON_RECOVERABLE_TD_LINUX               0x4000000200000000ULL /* linux §2.3 */
#define TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE_LINUX 0x6000000700000000ULL /* linux §2.3 */

/*
 * Kernel software codes: not produced by the module but by the Linux SEAMCALL
 * wrappers when the instruction itself fails (abi §2.4, linux §2.2).
 */
#define TDX_SW_ERROR                 0x8000FF0000000000ULL /* linux §2.2, abi §2.4 */
#define TDX_SEAMCALL_VMFAILINVALID   0x8000FF00FFFF0000ULL /* linux §2.2, abi §2.4 */
#define TDX_SEAMCALL_GP              0x8000FF000000000DULL /* linux §2.2, abi §2.4: SW_ERROR|13 */
#define TDX_SEAMCALL_UD              0x8000FF0000000006ULL /* linux §2.2, abi §2.4: SW_ERROR|6 */

/* ========================================================================= */
/* Status helpers (abi §2.1)                                                 */
/* ========================================================================= */

/* Bits 47:40. */
static inline unsigned tdx_status_class(uint64_t status)
{
	return (unsigned)((status >> TDX_STATUS_CLASS_SHIFT) & TDX_STATUS_CLASS_MASK);
}

/* Bits 39:32. */
static inline unsigned tdx_status_details_l1(uint64_t status)
{
	return (unsigned)((status >> TDX_STATUS_DETAILS_L1_SHIFT) & TDX_STATUS_DETAILS_L1_MASK);
}

/* Bits 31:0: operand ID or packed details. */
static inline uint32_t tdx_status_operand(uint64_t status)
{
	return (uint32_t)(status & TDX_STATUS_OPERAND_MASK);
}

/* Bit 63; informational codes such as TDX_KEY_CONFIGURED have it clear. */
static inline int tdx_status_is_error(uint64_t status)
{
	return (status & TDX_STATUS_ERROR) != 0;
}

/* Linux's "(ret & TDX_SW_ERROR) == TDX_SW_ERROR" test (linux §2.6). */
static inline int tdx_status_is_sw_error(uint64_t status)
{
	return (status & TDX_SW_ERROR) == TDX_SW_ERROR;
}

/* The status with bits 31:0 stripped (linux §2.1 TDX_SEAMCALL_STATUS_MASK). */
static inline uint64_t tdx_status_base(uint64_t status)
{
	return status & TDX_SEAMCALL_STATUS_MASK;
}

/* api_error_with_operand_id(): operand ID into bits 31:0 (abi §2.1). */
static inline uint64_t tdx_status_with_operand(uint64_t code, uint32_t id)
{
	return (code & TDX_SEAMCALL_STATUS_MASK) | (uint64_t)id;
}

/* api_error_fatal(): sets bit 61 (abi §2.1). */
static inline uint64_t tdx_status_fatal(uint64_t code)
{
	return code | TDX_STATUS_FATAL;
}

/* api_error_with_operand_id_fatal() (abi §2.1). */
static inline uint64_t tdx_status_with_operand_fatal(uint64_t code, uint32_t id)
{
	return tdx_status_with_operand(code, id) | TDX_STATUS_FATAL;
}

/*
 * api_error_with_multiple_info(): b0 in bits 7:0, b1 in 15:8, b2 in 23:16,
 * b3 in 31:24 (abi §2.1).
 */
static inline uint64_t tdx_status_with_info(uint64_t code, uint8_t b0, uint8_t b1,
					    uint8_t b2, uint8_t b3)
{
	return (code & TDX_SEAMCALL_STATUS_MASK) | (uint64_t)b0 | ((uint64_t)b1 << 8) |
	       ((uint64_t)b2 << 16) | ((uint64_t)b3 << 24);
}

/* api_error_with_l2_details(): two 16-bit halves of bits 31:0 (abi §2.1). */
static inline uint64_t tdx_status_with_l2_details(uint64_t code, uint16_t hi16,
						  uint16_t lo16)
{
	return (code & TDX_SEAMCALL_STATUS_MASK) | ((uint64_t)hi16 << 16) | (uint64_t)lo16;
}

/* ========================================================================= */
/* Operand IDs, status bits 31:0 (abi §2.3)                                  */
/* ========================================================================= */

/* GPRs (no RSP = 4). */
#define TDX_OPERAND_ID_RAX           0ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_RCX           1ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_RDX           2ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_RBX           3ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_RBP           5ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_RSI           6ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_RDI           7ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_R8            8ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_R9            9ULL   /* abi §2.3 */
#define TDX_OPERAND_ID_R10           10ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_R11           11ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_R12           12ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_R13           13ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_R14           14ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_R15           15ULL  /* abi §2.3 */
/* TD_PARAMS fields. */
#define TDX_OPERAND_ID_ATTRIBUTES    64ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_XFAM          65ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_EXEC_CONTROLS 66ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_EPTP_CONTROLS 67ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_MAX_VCPUS     68ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_CPUID_CONFIG  69ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_TSC_FREQUENCY 70ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_NUM_L2_VMS    71ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_IA32_ARCH_CAPABILITIES_CONFIG 72ULL /* abi §2.3 */
/* Pages and lists. */
#define TDX_OPERAND_ID_PAGE          95ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_TDMR_INFO_PA  96ULL  /* abi §2.3 */
#define TDX_OPERAND_ID_GPA_LIST_ENTRY 97ULL /* abi §2.3 */
#define TDX_OPERAND_ID_MIG_BUFF_LIST_ENTRY 98ULL /* abi §2.3 */
#define TDX_OPERAND_ID_NEW_PAGE_LIST_ENTRY 99ULL /* abi §2.3 */
/* Control pages. */
#define TDX_OPERAND_ID_TDR           128ULL /* abi §2.3 */
#define TDX_OPERAND_ID_TDCX          129ULL /* abi §2.3 */
#define TDX_OPERAND_ID_TDVPR         130ULL /* abi §2.3 */
#define TDX_OPERAND_ID_REG_PAGE      132ULL /* abi §2.3 */
/* Multi-page structures. */
#define TDX_OPERAND_ID_TDCS          144ULL /* abi §2.3 */
#define TDX_OPERAND_ID_TDVPS         145ULL /* abi §2.3 */
#define TDX_OPERAND_ID_SEPT_TREE     146ULL /* abi §2.3 */
#define TDX_OPERAND_ID_SEPT_ENTRY    147ULL /* abi §2.3 */
/* TD-scope resources. */
#define TDX_OPERAND_ID_RTMR          168ULL /* abi §2.3 */
#define TDX_OPERAND_ID_TD_EPOCH      169ULL /* abi §2.3 */
#define TDX_OPERAND_ID_L2_VAPIC_GPA  170ULL /* abi §2.3 */
#define TDX_OPERAND_ID_MIGSC         171ULL /* abi §2.3 */
#define TDX_OPERAND_ID_OP_STATE      172ULL /* abi §2.3 */
#define TDX_OPERAND_ID_MIG           173ULL /* abi §2.3 */
#define TDX_OPERAND_ID_SERVTD_BINDINGS 174ULL /* abi §2.3 */
#define TDX_OPERAND_ID_METADATA_FIELD 176ULL /* abi §2.3 */
/* Global resources. */
#define TDX_OPERAND_ID_SYS           184ULL /* abi §2.3 */
#define TDX_OPERAND_ID_TDMR          185ULL /* abi §2.3 */
#define TDX_OPERAND_ID_KOT           186ULL /* abi §2.3 */
#define TDX_OPERAND_ID_KET           187ULL /* abi §2.3 */
#define TDX_OPERAND_ID_WBCACHE       188ULL /* abi §2.3 */
/* [newer] operand IDs. */
#define TDX_OPERAND_ID_PASID_TRK     175ULL /* abi §2.3 [newer] */
#define TDX_OPERAND_ID_NUM_VCPUS     177ULL /* abi §2.3 [newer], linux §2.3 */
#define TDX_OPERAND_ID_CPUID_FIXED0_BITMAP 178ULL /* abi §2.3 [newer] */
#define TDX_OPERAND_ID_PASIDMT       256ULL /* abi §2.3 [newer] */
#define TDX_OPERAND_ID_MMIOMT        257ULL /* abi §2.3 [newer] */
#define TDX_OPERAND_ID_SPDMMT        258ULL /* abi §2.3 [newer] */
#define TDX_OPERAND_ID_DMAR          320ULL /* abi §2.3 [newer] */
/* Linux's name for SEPT_TREE (0x92). */
#define TDX_OPERAND_ID_SEPT          TDX_OPERAND_ID_SEPT_TREE /* linux §2.3 */

/* ========================================================================= */
/* Limits                                                                    */
/* ========================================================================= */

#define TDX_MAX_TDMRS                64ULL   /* abi §4.1 MAX_TDMRS */
#define TDX_MAX_RESERVED_AREAS       16ULL   /* abi §4.1 MAX_RESERVED_AREAS */
#define TDX_MAX_CMR                  32ULL   /* abi §4.1 MAX_CMR */
#define TDX_MAX_HKIDS                2048ULL /* abi §3.3, §5.1 MAX_HKIDS */
#define TDX_MAX_PKGS                 8ULL    /* abi §5.1 MAX_PKGS; LP.INIT pkg ID >= 8 fails (§3.3) */
#define TDX_MAX_VCPUS                0xFFFFULL /* abi §5.1 MAX_VCPUS */
#define TDX_MAX_VMS                  4ULL    /* abi §5.1 MAX_VMS: L1 + up to 3 L2 */
#define TDX_MAX_L2_VMS               3ULL    /* abi §5.1 num_l2_vms <= 3 */
#define TDX_TDMR_INFO_ENTRY_PTR_ARRAY_ALIGNMENT 512ULL /* abi §4.1, array and each entry PA */
#define TDX_PAMT_ENTRY_SIZE          16ULL   /* abi §4.3 PAMT_ENTRY_SIZE_IN_BYTES */
#define TDX_TDMR_4K_PAMT_INIT_COUNT  1024ULL /* abi §3.3: 4 MB of TDMR per TDMR.INIT call */
#define TDX_MIN_NUM_TDCS_PAGES       6ULL    /* abi §5.1 MIN_NUM_TDCS_PAGES */
#define TDX_MAX_NUM_TDCS_PAGES       9ULL    /* abi §5.1 MAX_NUM_TDCS_PAGES */
#define TDX_MIN_TDVPS_PAGES          6ULL    /* abi §5.1 MIN_TDVPS_PAGES, incl. TDVPR */
#define TDX_MAX_TDVPS_PAGES          15ULL   /* abi §5.1 MAX_TDVPS_PAGES */
#define TDX_TDVPS_PAGES_PER_L2_VM    3ULL    /* abi §5.1 */
#define TDX_TDCS_PAGES_PER_L2_VM     1ULL    /* abi §5.1 */
#define TDX_MIN_PA_FOR_PML5          49ULL   /* abi §8.2 MIN_PA_FOR_PML5 */

/* TDH.SYS.INFO (legacy) buffer sizes (abi §3.3). */
#define TDX_TDSYSINFO_STRUCT_SIZE    1024ULL /* abi §3.3 */
#define TDX_TDSYSINFO_ALIGNMENT      1024ULL /* abi §3.3, RCX 1 KB-aligned */
#define TDX_CMR_INFO_ENTRY_SIZE      16ULL   /* abi §3.3, {base, size} */
#define TDX_CMR_INFO_ARRAY_ALIGNMENT 512ULL  /* abi §3.3, MAX_CMR x 16 */
#define TDX_CPUID_CONFIG_ENTRY_SIZE  24ULL   /* abi §3.3 */

/* Side effect of every SEAMCALL: IA32_SPEC_CTRL = SSBD | IPRED_DIS_S. */
#define TDX_MODULE_IA32_SPEC_CTRL    0x14ULL /* abi §3.2 */

/* Module build identity (abi §0, §3.3, §8.2). */
#define TDX_MODULE_MAJOR_VER         1ULL      /* abi §0 */
#define TDX_MODULE_MINOR_VER         5ULL      /* abi §0 */
#define TDX_VENDOR_ID_INTEL          0x8086ULL /* abi §3.3, §8.2 */

/* ========================================================================= */
/* TDMR_INFO (abi §4.1)                                                      */
/* ========================================================================= */

struct tdmr_reserved_area {
	uint64_t offset;                /* abi §4.1; relative to tdmr_base */
	uint64_t size;                  /* abi §4.1; 0 = null entry */
};

struct tdmr_info_entry {
	uint64_t tdmr_base;             /* abi §4.1, offset 0 */
	uint64_t tdmr_size;             /* abi §4.1, offset 8 */
	uint64_t pamt_1g_base;          /* abi §4.1, offset 16 */
	uint64_t pamt_1g_size;          /* abi §4.1, offset 24 */
	uint64_t pamt_2m_base;          /* abi §4.1, offset 32 */
	uint64_t pamt_2m_size;          /* abi §4.1, offset 40 */
	uint64_t pamt_4k_base;          /* abi §4.1, offset 48 */
	uint64_t pamt_4k_size;          /* abi §4.1, offset 56 */
	struct tdmr_reserved_area rsvd_areas[TDX_MAX_RESERVED_AREAS]; /* abi §4.1, offset 64 */
};

#define TDMR_INFO_ENTRY_SIZE         320ULL  /* abi §4.1 */

#ifndef __cplusplus
_Static_assert(sizeof(struct tdmr_reserved_area) == 16,
	       "tdmr_reserved_area is {offset, size} (abi §4.1)");
_Static_assert(sizeof(struct tdmr_info_entry) == TDMR_INFO_ENTRY_SIZE,
	       "TDMR_INFO entry is 320 bytes (abi §4.1)");
#endif

/* ========================================================================= */
/* PAMT (abi §4.3)                                                           */
/* ========================================================================= */

/* page_type_t; value 7 is reserved. */
#define PT_NDA                       0ULL   /* abi §4.3, free / not assigned */
#define PT_RSVD                      1ULL   /* abi §4.3 */
#define PT_REG                       3ULL   /* abi §4.3 */
#define PT_TDR                       4ULL   /* abi §4.3 */
#define PT_TDCX                      5ULL   /* abi §4.3 */
#define PT_TDVPR                     6ULL   /* abi §4.3 */
#define PT_EPT                       8ULL   /* abi §4.3 */

/* page_size_t (abi §0); Linux's TDX_PS_* (linux §1.2). */
#define TDX_PS_4K                    0ULL   /* abi §0 PT_4KB, linux §1.2 */
#define TDX_PS_2M                    1ULL   /* abi §0 PT_2MB, linux §1.2 */
#define TDX_PS_1G                    2ULL   /* abi §0 PT_1GB, linux §1.2 */
#define TDX_PS_NR                    3ULL   /* linux §1.2 */

/* ept_level_t (abi §0). */
#define TDX_LVL_PT                   0ULL   /* abi §0, 4K */
#define TDX_LVL_PD                   1ULL   /* abi §0, 2M */
#define TDX_LVL_PDPT                 2ULL   /* abi §0, 1G */
#define TDX_LVL_PML4                 3ULL   /* abi §0 */
#define TDX_LVL_PML5                 4ULL   /* abi §0 */

/* Page-info operand (page_info_api_input_t, abi §0). */
#define TDX_PAGE_INFO_LEVEL_MASK     0x7ULL                /* abi §0, bits 2:0 */
#define TDX_PAGE_INFO_GPA_MASK       0x000FFFFFFFFFF000ULL /* abi §0, bits 51:12 */
#define TDX_PAGE_INFO_RESERVED_MASK  0xFFF0000000000FF8ULL /* abi §0, bits 11:3, 63:52 */

/*
 * PAMT entry, first 64 bits: 15:0 entry_lock, 23:16 pt, 63:24 owner (= bits
 * 51:12 of the owner TDR PA). Second 64 bits: bepoch.
 */
#define PAMT_ENTRY_LOCK_MASK         0xFFFFULL        /* abi §4.3, bits 15:0 */
#define PAMT_ENTRY_PT_SHIFT          16               /* abi §4.3, bits 23:16 */
#define PAMT_ENTRY_PT_MASK           0xFFULL          /* abi §4.3 */
#define PAMT_ENTRY_OWNER_SHIFT       24               /* abi §4.3, bits 63:24 */
#define PAMT_ENTRY_OWNER_MASK        0xFFFFFFFFFFULL  /* abi §4.3, 40 bits = PA 51:12 */
#define PAMT_OWNER_PA_SHIFT          12               /* abi §4.3, owner is PA bits 51:12 */
/* bepoch: raw TLB epoch, or with mig_flag set mig_epoch + export_count. */
#define PAMT_BEPOCH_MIG_FLAG         (1ULL << 63)     /* abi §4.3 */
#define PAMT_BEPOCH_MIG_EPOCH_MASK   0xFFFFFFFFULL    /* abi §4.3, bits 31:0 */
#define PAMT_BEPOCH_EXPORT_COUNT_SHIFT 32             /* abi §4.3, bits 62:32 */
#define PAMT_BEPOCH_EXPORT_COUNT_MASK 0x7FFFFFFFULL   /* abi §4.3 */

/* PAMT geometry: one block per 1 GB of TDMR (abi §4.3). */
#define PAMT_BLOCK_SHIFT             30               /* abi §4.3 */
#define PAMT_ENTRIES_PER_NODE        512ULL           /* abi §4.3 */

static inline uint64_t pamt_entry_pt(uint64_t word0)
{
	return (word0 >> PAMT_ENTRY_PT_SHIFT) & PAMT_ENTRY_PT_MASK;
}

/* The owner TDR PA stored in a PAMT entry. */
static inline uint64_t pamt_entry_owner_pa(uint64_t word0)
{
	return ((word0 >> PAMT_ENTRY_OWNER_SHIFT) & PAMT_ENTRY_OWNER_MASK)
	       << PAMT_OWNER_PA_SHIFT;
}

static inline uint64_t pamt_entry_make(uint64_t pt, uint64_t owner_pa, uint64_t lock)
{
	return (lock & PAMT_ENTRY_LOCK_MASK) |
	       ((pt & PAMT_ENTRY_PT_MASK) << PAMT_ENTRY_PT_SHIFT) |
	       (((owner_pa >> PAMT_OWNER_PA_SHIFT) & PAMT_ENTRY_OWNER_MASK)
		<< PAMT_ENTRY_OWNER_SHIFT);
}

/* ========================================================================= */
/* State encodings                                                           */
/* ========================================================================= */

/* sysinit_state_e (abi §3.1). */
enum tdx_sys_state {
	SYSINIT_PENDING = 0,            /* abi §3.1 */
	SYSINIT_DONE = 1,               /* abi §3.1 */
	SYSCONFIG_DONE = 2,             /* abi §3.1 */
	SYS_READY = 3,                  /* abi §3.1 */
	SYS_SHUTDOWN = 4,               /* abi §3.1 */
};

/* KOT entry state (abi §5.2); RESERVED marks the module's global HKID. */
enum tdx_kot_state {
	KOT_STATE_HKID_FREE = 0,        /* abi §5.2 */
	KOT_STATE_HKID_ASSIGNED = 1,    /* abi §5.2 */
	KOT_STATE_HKID_FLUSHED = 2,     /* abi §5.2 */
	KOT_STATE_HKID_RESERVED = 3,    /* abi §5.2, §3.3 */
};

/* td_lifecycle_state_t (abi §5.2). */
enum tdx_td_lifecycle_state {
	TD_HKID_ASSIGNED = 0,           /* abi §5.2 */
	TD_KEYS_CONFIGURED = 1,         /* abi §5.2 */
	TD_BLOCKED = 2,                 /* abi §5.2 */
	TD_TEARDOWN = 3,                /* abi §5.2 */
};

/* op_state_e (abi §5.2). */
enum tdx_op_state {
	OP_STATE_UNINITIALIZED = 0,     /* abi §5.2 */
	OP_STATE_INITIALIZED = 1,       /* abi §5.2 */
	OP_STATE_RUNNABLE = 2,          /* abi §5.2 */
	OP_STATE_LIVE_EXPORT = 3,       /* abi §5.2 */
	OP_STATE_PAUSED_EXPORT = 4,     /* abi §5.2 */
	OP_STATE_POST_EXPORT = 5,       /* abi §5.2 */
	OP_STATE_MEMORY_IMPORT = 6,     /* abi §5.2 */
	OP_STATE_STATE_IMPORT = 7,      /* abi §5.2 */
	OP_STATE_POST_IMPORT = 8,       /* abi §5.2 */
	OP_STATE_LIVE_IMPORT = 9,       /* abi §5.2 */
	OP_STATE_FAILED_IMPORT = 10,    /* abi §5.2 */
};
#define TDX_NUM_OP_STATES            11ULL /* abi §5.2 */

/* VCPU state (tdx_tdvps.h, abi §5.2). */
enum tdx_vcpu_state {
	VCPU_UNINITIALIZED = 0x0,       /* abi §5.2 */
	VCPU_READY = 0x2,               /* abi §5.2 */
	VCPU_ACTIVE = 0x4,              /* abi §5.2 */
	VCPU_DISABLED = 0x8,            /* abi §5.2 */
	VCPU_IMPORT = 0x10,             /* abi §5.2 */
};

/* last_td_exit (abi §5.2). */
enum tdx_last_td_exit {
	LAST_EXIT_ASYNC_FAULT = 0,      /* abi §5.2 ASYNC_FAULT */
	LAST_EXIT_ASYNC_TRAP = 1,       /* abi §5.2 ASYNC_TRAP */
	LAST_EXIT_TDVMCALL = 2,         /* abi §5.2 TDVMCALL */
};

/* ========================================================================= */
/* Metadata field ID encoding (md_field_id_t, abi §8.1)                      */
/* ========================================================================= */

#define MD_FIELD_CODE_MASK           0xFFFFFFULL /* abi §8.1, bits 23:0 */
#define MD_ELEMENT_SIZE_SHIFT        32          /* abi §8.1, bits 33:32 */
#define MD_ELEMENT_SIZE_MASK         0x3ULL      /* abi §8.1 */
#define MD_LAST_ELEMENT_SHIFT        34          /* abi §8.1, bits 37:34 */
#define MD_LAST_ELEMENT_MASK         0xFULL      /* abi §8.1 */
#define MD_LAST_FIELD_SHIFT          38          /* abi §8.1, bits 46:38 */
#define MD_LAST_FIELD_MASK           0x1FFULL    /* abi §8.1 */
#define MD_INC_SIZE_BIT              50          /* abi §8.1 */
#define MD_WRITE_MASK_VALID_BIT      51          /* abi §8.1 */
#define MD_CONTEXT_SHIFT             52          /* abi §8.1, bits 54:52 */
#define MD_CONTEXT_MASK              0x7ULL      /* abi §8.1 */
#define MD_CLASS_SHIFT               56          /* abi §8.1, bits 61:56 */
#define MD_CLASS_MASK                0x3FULL     /* abi §8.1 */
#define MD_NON_ARCH_BIT              63          /* abi §8.1 ([newer]: "ignored") */
/* reserved_0 31:24, reserved_1 49:47, reserved_2 55, reserved_3 62. */
#define MD_FIELD_ID_RESERVED_MASK    0x40838000FF000000ULL /* abi §8.1 */

/* element_size_code (abi §8.1). */
#define MD_ELEMENT_SIZE_8BIT         0ULL /* abi §8.1 */
#define MD_ELEMENT_SIZE_16BIT        1ULL /* abi §8.1 */
#define MD_ELEMENT_SIZE_32BIT        2ULL /* abi §8.1 */
#define MD_ELEMENT_SIZE_64BIT        3ULL /* abi §8.1 */

/* context_code (abi §8.1). */
#define MD_CTX_SYS                   0ULL /* abi §8.1 */
#define MD_CTX_TD                    1ULL /* abi §8.1 */
#define MD_CTX_VP                    2ULL /* abi §8.1 */

/* A null field ID is all ones apart from the context bits (abi §8.1, SYS.RD). */
#define MD_FIELD_ID_NULL(ctx) \
	((~(MD_CONTEXT_MASK << MD_CONTEXT_SHIFT)) | \
	 (((uint64_t)(ctx) & MD_CONTEXT_MASK) << MD_CONTEXT_SHIFT)) /* abi §8.1 */
/* "No next field" value returned in RDX by TDH.SYS.RD. */
#define MD_FIELD_ID_NONE             0xFFFFFFFFFFFFFFFFULL /* abi §8.1, RDX = -1 */

/* CPUID-value field_code layout (abi §8.1). */
#define MD_CPUID_ELEMENT_BIT         0           /* abi §8.1 */
#define MD_CPUID_SUBLEAF_SHIFT       1           /* abi §8.1, bits 7:1 */
#define MD_CPUID_SUBLEAF_MASK        0x7FULL     /* abi §8.1 */
#define MD_CPUID_SUBLEAF_NA_BIT      8           /* abi §8.1 */
#define MD_CPUID_LEAF_SHIFT          9           /* abi §8.1, bits 15:9 */
#define MD_CPUID_LEAF_MASK           0x7FULL     /* abi §8.1 */
#define MD_CPUID_LEAF_BIT31_BIT      16          /* abi §8.1 */

static inline uint64_t tdx_md_field(uint64_t id, unsigned shift, uint64_t mask)
{
	return (id >> shift) & mask;
}

static inline uint32_t md_field_code(uint64_t id)
{
	return (uint32_t)(id & MD_FIELD_CODE_MASK);
}

static inline unsigned md_element_size_code(uint64_t id)
{
	return (unsigned)tdx_md_field(id, MD_ELEMENT_SIZE_SHIFT, MD_ELEMENT_SIZE_MASK);
}

/* Element size in bytes: 1, 2, 4 or 8. */
static inline unsigned md_element_size_bytes(uint64_t id)
{
	return 1u << md_element_size_code(id);
}

static inline unsigned md_last_element(uint64_t id)
{
	return (unsigned)tdx_md_field(id, MD_LAST_ELEMENT_SHIFT, MD_LAST_ELEMENT_MASK);
}

static inline unsigned md_last_field(uint64_t id)
{
	return (unsigned)tdx_md_field(id, MD_LAST_FIELD_SHIFT, MD_LAST_FIELD_MASK);
}

static inline int md_inc_size(uint64_t id)
{
	return (int)tdx_md_field(id, MD_INC_SIZE_BIT, 1);
}

static inline int md_write_mask_valid(uint64_t id)
{
	return (int)tdx_md_field(id, MD_WRITE_MASK_VALID_BIT, 1);
}

static inline unsigned md_context(uint64_t id)
{
	return (unsigned)tdx_md_field(id, MD_CONTEXT_SHIFT, MD_CONTEXT_MASK);
}

static inline unsigned md_class(uint64_t id)
{
	return (unsigned)tdx_md_field(id, MD_CLASS_SHIFT, MD_CLASS_MASK);
}

static inline int md_non_arch(uint64_t id)
{
	return (int)tdx_md_field(id, MD_NON_ARCH_BIT, 1);
}

/* CPUID_VALUES field code (abi §8.1) for a leaf and subleaf (0xFFFFFFFF:
 * the leaf has no subleaf); element 0 = {EBX:EAX}, 1 = {EDX:ECX}. Only
 * leaf bits 6:0 and 31 and subleaf bits 6:0 are encodable. */
static inline uint32_t md_cpuid_field_code(uint32_t leaf, uint32_t subleaf,
					   unsigned elem)
{
	uint32_t code = (elem & 1u) |
			((leaf & MD_CPUID_LEAF_MASK) << MD_CPUID_LEAF_SHIFT) |
			((leaf >> 31) << MD_CPUID_LEAF_BIT31_BIT);

	if (subleaf == 0xFFFFFFFFu)
		return code | (1u << MD_CPUID_SUBLEAF_NA_BIT);
	return code | ((subleaf & MD_CPUID_SUBLEAF_MASK) << MD_CPUID_SUBLEAF_SHIFT);
}

/* ========================================================================= */
/* Global (SYS) metadata field IDs, TDH.SYS.RD (abi §8.2)                    */
/* ========================================================================= */
/* For arrays the ID is that of element 0; element i is ID + i. */

#define MD_SYS_NUM_PKGS                      0x0000000200000000ULL /* abi §8.2, 32-bit */
#define MD_SYS_PKG_FMS                       0x0000000200000001ULL /* abi §8.2, [8] 32-bit */
#define MD_SYS_PKG_FMS_NUM                   8ULL                  /* abi §8.2 */
#define MD_SYS_VENDOR_ID                     0x0800000200000000ULL /* abi §8.2, 32-bit */
#define MD_SYS_BUILD_DATE                    0x8800000200000001ULL /* abi §8.2, 32-bit */
#define MD_SYS_BUILD_NUM                     0x8800000100000002ULL /* abi §8.2, 16-bit */
#define MD_SYS_MINOR_VERSION                 0x0800000100000003ULL /* abi §8.2, 16-bit */
#define MD_SYS_MAJOR_VERSION                 0x0800000100000004ULL /* abi §8.2, 16-bit */
#define MD_SYS_UPDATE_VERSION                0x0800000100000005ULL /* abi §8.2, 16-bit */
#define MD_SYS_INTERNAL_VERSION              0x0800000100000006ULL /* abi §8.2, 16-bit */
/* TD-preserving update (handoff) fields. */
#define MD_SYS_MODULE_HV                     0x8900000100000000ULL /* abi §8.2, 16-bit */
#define MD_SYS_MIN_UPDATE_HV                 0x8900000100000001ULL /* abi §8.2, 16-bit */
#define MD_SYS_NO_DOWNGRADE                  0x8900000000000002ULL /* abi §8.2, 8-bit */
#define MD_SYS_NUM_HANDOFF_PAGES             0x8900000100000003ULL /* abi §8.2, 16-bit */
#define MD_SYS_HANDOFF_DATA_VALID            0x8900000000000004ULL /* abi §8.2 */
#define MD_SYS_HANDOFF_DATA_HV               0x8900000100000005ULL /* abi §8.2 */
#define MD_SYS_HANDOFF_DATA_SIZE             0x8900000200000006ULL /* abi §8.2 */
/* Features. */
#define MD_SYS_SYS_ATTRIBUTES                0x0A00000200000000ULL /* abi §8.2, 32-bit */
#define MD_SYS_NUM_TDX_FEATURES              0x0A00000000000001ULL /* abi §8.2, 8-bit */
#define MD_SYS_TDX_FEATURES0                 0x0A00000300000008ULL /* abi §8.2, 64-bit */
/* CMRs. NUM_CMRS reports MAX_CMR (32), not the populated count. */
#define MD_SYS_NUM_CMRS                      0x9000000100000000ULL /* abi §8.2, 16-bit */
#define MD_SYS_CMR_BASE                      0x9000000300000080ULL /* abi §8.2, [32] 64-bit */
#define MD_SYS_CMR_SIZE                      0x9000000300000100ULL /* abi §8.2, [32] 64-bit */
#define MD_SYS_CMR_NUM                       32ULL                 /* abi §8.2 */
/* TDMR / PAMT. */
#define MD_SYS_MAX_TDMRS                     0x9100000100000008ULL /* abi §8.2, 16-bit */
#define MD_SYS_MAX_RESERVED_PER_TDMR         0x9100000100000009ULL /* abi §8.2, 16-bit */
#define MD_SYS_PAMT_4K_ENTRY_SIZE            0x9100000100000010ULL /* abi §8.2, 16-bit */
#define MD_SYS_PAMT_2M_ENTRY_SIZE            0x9100000100000011ULL /* abi §8.2, 16-bit */
#define MD_SYS_PAMT_1G_ENTRY_SIZE            0x9100000100000012ULL /* abi §8.2, 16-bit */
/* TD control structure sizes. */
#define MD_SYS_TDR_BASE_SIZE                 0x9800000100000000ULL /* abi §8.2, 16-bit */
#define MD_SYS_TDCS_BASE_SIZE                0x9800000100000100ULL /* abi §8.2, 16-bit */
#define MD_SYS_TDCS_SIZE_PER_L2_VM           0x9800000100000101ULL /* abi §8.2, 16-bit */
#define MD_SYS_TDVPS_BASE_SIZE               0x9800000100000200ULL /* abi §8.2, 16-bit */
#define MD_SYS_TDVPS_SIZE_PER_L2_VM          0x9800000100000201ULL /* abi §8.2, 16-bit */
/* TD configurability. */
#define MD_SYS_ATTRIBUTES_FIXED0             0x1900000300000000ULL /* abi §8.2, 64-bit */
#define MD_SYS_ATTRIBUTES_FIXED1             0x1900000300000001ULL /* abi §8.2, 64-bit */
#define MD_SYS_XFAM_FIXED0                   0x1900000300000002ULL /* abi §8.2, 64-bit */
#define MD_SYS_XFAM_FIXED1                   0x1900000300000003ULL /* abi §8.2, 64-bit */
#define MD_SYS_NUM_CPUID_CONFIG              0x9900000100000004ULL /* abi §8.2, 16-bit */
#define MD_SYS_CONFIG_FLAGS_FIXED0           0x9900000300000006ULL /* abi §8.2, 64-bit */
#define MD_SYS_CONFIG_FLAGS_FIXED1           0x9900000300000007ULL /* abi §8.2, 64-bit */
#define MD_SYS_CPUID_CONFIG_LEAVES           0x9900000300000400ULL /* abi §8.2, [32] 64-bit */
#define MD_SYS_CPUID_CONFIG_LEAVES_NUM       32ULL                 /* abi §8.2 */
/* Element 2i + {0,1} = {EBX:EAX}, {EDX:ECX} of configurable leaf i. */
#define MD_SYS_CPUID_CONFIG_VALUES           0x9900000300000500ULL /* abi §8.2, [32x2] 64-bit */
#define MD_SYS_CPUID_CONFIG_VALUES_NUM       64ULL                 /* abi §8.2 */
#define MD_SYS_IA32_ARCH_CAPABILITIES_CONFIG_MASK 0x9900000300000600ULL /* abi §8.2, 64-bit */
#define MD_SYS_NUM_ALLOWED_FMS               0x9900000100000800ULL /* abi §8.2, 16-bit */
#define MD_SYS_NUM_DISALLOWED_FMS            0x9900000100000801ULL /* abi §8.2, 16-bit */
#define MD_SYS_ALLOWED_FMS                   0x9900000300000810ULL /* abi §8.2, [64] 64-bit */
#define MD_SYS_ALLOWED_FMS_NUM               64ULL                 /* abi §8.2 */
#define MD_SYS_DISALLOWED_FMS                0x9900000300000850ULL /* abi §8.2, [64] 64-bit */
#define MD_SYS_DISALLOWED_FMS_NUM            64ULL                 /* abi §8.2 */
/* Migration. */
#define MD_SYS_MIG_ATTRIBUTES                0xA000000300000000ULL /* abi §8.2, 64-bit */
/*
 * abi §8.2 lists "MIN/MAX EXPORT/IMPORT version 0x2000000100000001..4"
 * without spelling out which ID is which; the order below (MIN_EXPORT,
 * MAX_EXPORT, MIN_IMPORT, MAX_IMPORT) is inferred. Note class 0x20, not 0xA0.
 */
#define MD_SYS_MIN_EXPORT_VERSION            0x2000000100000001ULL /* abi §8.2, 16-bit */
#define MD_SYS_MAX_EXPORT_VERSION            0x2000000100000002ULL /* abi §8.2, 16-bit */
#define MD_SYS_MIN_IMPORT_VERSION            0x2000000100000003ULL /* abi §8.2, 16-bit */
#define MD_SYS_MAX_IMPORT_VERSION            0x2000000100000004ULL /* abi §8.2, 16-bit */
#define MD_SYS_MAX_MIGS                      0xA000000100000010ULL /* abi §8.2, 16-bit */
#define MD_SYS_NUM_IMMUTABLE_STATE_PAGES     0xA000000000000020ULL /* abi §8.2, 8-bit */
#define MD_SYS_NUM_TD_STATE_PAGES            0xA000000000000021ULL /* abi §8.2, 8-bit */
#define MD_SYS_NUM_VP_STATE_PAGES            0xA000000000000022ULL /* abi §8.2, 8-bit */
/* Service TDs. */
#define MD_SYS_MAX_SERV_TDS                  0xA100000100000000ULL /* abi §8.2, 16-bit */
#define MD_SYS_SERVTD_ATTR_FIXED0            0xA100000300000001ULL /* abi §8.2, 64-bit */
#define MD_SYS_SERVTD_ATTR_FIXED1            0xA100000300000002ULL /* abi §8.2, 64-bit */
/* TD partitioning (L2). */
#define MD_SYS_GUEST_L2_GPA_ATTR_MASK        0xA200000100000000ULL /* abi §8.2, 16-bit */
#define MD_SYS_VM_CTLS_FIXED0                0xA200000300000001ULL /* abi §8.2, 64-bit */
#define MD_SYS_VM_CTLS_FIXED1                0xA200000300000002ULL /* abi §8.2, 64-bit */
#define MD_SYS_L2_CTLS_FIXED0                0xA200000300000003ULL /* abi §8.2, 64-bit */
#define MD_SYS_L2_CTLS_FIXED1                0xA200000300000004ULL /* abi §8.2, 64-bit */
#define MD_SYS_L2_DEBUG_CTLS_FIXED0          0xA200000300000005ULL /* abi §8.2, 64-bit */
#define MD_SYS_L2_DEBUG_CTLS_FIXED1          0xA200000300000006ULL /* abi §8.2, 64-bit */

/* [newer] SYS fields, not in 1.5.01 (abi §8.2 "[newer] additions"). */
#define MD_SYS_MAX_VCPUS_PER_TD              0x9900000100000008ULL /* abi §8.2 [newer], linux §3.4 */
#define MD_SYS_MIN_VIRT_MAXPA                0x9900000000000009ULL /* abi §8.2 [newer] */
#define MD_SYS_MAX_EVENT_FILTERS             0x990000010000000AULL /* abi §8.2 [newer] */
/* linux §3.4 quotes 0x9100000100000013 (16-bit) for this one; abi value used. */
#define MD_SYS_PAMT_PAGE_BITMAP_ENTRY_BITS   0x9100000000000013ULL /* abi §8.2 [newer] */
#define MD_SYS_MIN_DYNAMIC_PAMT_NUM_HKID_BITS 0x9100000000000014ULL /* abi §8.2 [newer] */
#define MD_SYS_GUEST_GPA_ATTR_MASK           0x9A00000300000000ULL /* abi §8.2 [newer], 2.0 */
#define MD_SYS_TDX_CONNECT_FEATURES          0x3000000300000000ULL /* abi §8.2 [newer], 2.0 */

/* ========================================================================= */
/* Values the 1.5.01 module reports through TDH.SYS.RD (abi §8.2)            */
/* ========================================================================= */

#define TDX_NUM_TDX_FEATURES         1ULL      /* abi §8.2 NUM_TDX_FEATURES */
#define TDX_TDR_BASE_SIZE            4096ULL   /* abi §8.2 */
#define TDX_TDCS_BASE_SIZE           24576ULL  /* abi §8.2, §5.1: 6 pages */
#define TDX_TDCS_SIZE_PER_L2_VM      4096ULL   /* abi §8.2 */
#define TDX_TDVPS_BASE_SIZE          24576ULL  /* abi §8.2, §5.1: 6 pages incl. TDVPR */
#define TDX_TDVPS_SIZE_PER_L2_VM     12288ULL  /* abi §8.2 */
#define TDX_NUM_CPUID_CONFIG         12ULL     /* abi §8.2 */
#define TDX_MAX_MIGS                 512ULL    /* abi §8.2 MAX_MIGS */
#define TDX_MAX_SERV_TDS             1ULL      /* abi §8.2 MAX_SERV_TDS */
#define TDX_MIG_ATTRIBUTES           0ULL      /* abi §8.2 */
#define TDX_GUEST_L2_GPA_ATTR_MASK   0x807FULL /* abi §8.2 */
#define TDX_VM_CTLS_FIXED0           0x1ULL    /* abi §8.2 */
#define TDX_VM_CTLS_FIXED1           0x0ULL    /* abi §8.2 */
#define TDX_L2_CTLS_FIXED0           0x3ULL    /* abi §8.2 */
#define TDX_L2_CTLS_FIXED1           0x0ULL    /* abi §8.2 */
#define TDX_L2_DEBUG_CTLS_FIXED0     0x7ULL    /* abi §8.2 */
#define TDX_L2_DEBUG_CTLS_FIXED1     0x0ULL    /* abi §8.2 */

/* TD ATTRIBUTES bits (td_param_attributes_t, abi §8.2). */
#define TDX_TD_ATTR_DEBUG            (1ULL << 0)  /* abi §8.2 */
#define TDX_TD_ATTR_SEPT_VE_DISABLE  (1ULL << 28) /* abi §8.2 */
#define TDX_TD_ATTR_MIGRATABLE       (1ULL << 29) /* abi §8.2 */
#define TDX_TD_ATTR_PKS              (1ULL << 30) /* abi §8.2 */
#define TDX_TD_ATTR_KL               (1ULL << 31) /* abi §8.2 */
#define TDX_TD_ATTR_PERFMON          (1ULL << 63) /* abi §8.2 */
/* FIXED0 allows only bits 0, 28, 29, 30 and 63. */
#define TDX_ATTRIBUTES_FIXED0        0x8000000070000001ULL /* abi §8.2 */
#define TDX_ATTRIBUTES_FIXED1        0x0ULL                /* abi §8.2 */

/* XFAM: FIXED0 = this mask & (supported XCR0 | XSS); FIXED1 = x87 | SSE. */
#define TDX_XFAM_FIXED0_MASK         0x0006DBE7ULL /* abi §8.2 */
#define TDX_XFAM_FIXED1              0x3ULL        /* abi §8.2 */

/* CONFIG_FLAGS bits (abi §8.2). */
#define TDX_CONFIG_FLAGS_GPAW                (1ULL << 0) /* abi §8.2 */
#define TDX_CONFIG_FLAGS_FLEXIBLE_PENDING_VE (1ULL << 1) /* abi §8.2 */
/* TD_CTLS bit 0: a pending page's access is an EPT-violation TD exit, not
 * a #VE; set from ATTRIBUTES.SEPT_VE_DISABLE at TDH.MNG.INIT, guest
 * writable under FLEXIBLE_PENDING_VE (tdx-module tdx_1.5 td_ctls_t,
 * md_td_write_element). */
#define TDX_TD_CTLS_PENDING_VE_DISABLE       (1ULL << 0)
/* TDCALL's encoding, 66 0F 01 CC: the VM-exit instruction length a #VE
 * raised by one of its memory operands reports (tdx_inject_ve). */
#define TDX_TDCALL_INSTR_LEN                 4
#define TDX_CONFIG_FLAGS_NO_RBP_MOD          (1ULL << 2) /* abi §8.2 */
#define TDX_CONFIG_FLAGS_FIXED0              0x7ULL      /* abi §8.2 */
#define TDX_CONFIG_FLAGS_FIXED1              0x0ULL      /* abi §8.2 */

/* IA32_ARCH_CAPABILITIES_CONFIG_MASK: bits 4, 19, 20, 24. */
#define TDX_IA32_ARCH_CAPABILITIES_CONFIG_MASK 0x01180010ULL /* abi §8.2 */

/* TDX_FEATURES0 bits (tdx_features_enum0_t; abi §8.2, linux §3.4). */
#define TDX_FEATURES0_TD_MIGRATION                (1ULL << 0)  /* abi §8.2 */
#define TDX_FEATURES0_TD_PRESERVING               (1ULL << 1)  /* abi §8.2, linux §3.4 */
#define TDX_FEATURES0_SERVICE_TD                  (1ULL << 2)  /* abi §8.2 */
#define TDX_FEATURES0_TDG_VP_RDWR                 (1ULL << 3)  /* abi §8.2 */
#define TDX_FEATURES0_RELAXED_MEM_MNG_CONCURRENCY (1ULL << 4)  /* abi §8.2 */
#define TDX_FEATURES0_CPUID_VIRT_GUEST_CTRL       (1ULL << 5)  /* abi §8.2 */
#define TDX_FEATURES0_TDX_IO                      (1ULL << 6)  /* abi §8.2 [newer] */
#define TDX_FEATURES0_TD_PARTITIONING             (1ULL << 7)  /* abi §8.2 */
#define TDX_FEATURES0_LOCAL_ATTESTATION           (1ULL << 8)  /* abi §8.2, if SEAMVERIFYREPORT */
#define TDX_FEATURES0_TD_ENTRY_ENHANCEMENTS       (1ULL << 9)  /* abi §8.2 */
#define TDX_FEATURES0_HOST_PRIORITY_LOCKS         (1ULL << 10) /* abi §8.2 */
#define TDX_FEATURES0_CONFIG_IA32_ARCH_CAP        (1ULL << 11) /* abi §8.2 */
#define TDX_FEATURES0_PENDING_EPT_VIOLATION_V2    (1ULL << 16) /* abi §8.2 */
#define TDX_FEATURES0_FMS_CONFIG                  (1ULL << 17) /* abi §8.2 */
#define TDX_FEATURES0_NO_RBP_MOD                  (1ULL << 18) /* abi §8.2, linux §3.4 */
#define TDX_FEATURES0_L2_TLB_INVD_OPT             (1ULL << 19) /* abi §8.2 */
#define TDX_FEATURES0_TOPOLOGY_ENUM               (1ULL << 20) /* abi §8.2 [newer], linux §3.4 */
#define TDX_FEATURES0_CLFLUSH_BEFORE_ALLOC        (1ULL << 23) /* linux §1.2, §3.4 */
#define TDX_FEATURES0_EVENT_FILTERING             (1ULL << 24) /* abi §8.2 [newer] */
#define TDX_FEATURES0_MAXPA_VIRT                  (1ULL << 27) /* abi §8.2 [newer] */
#define TDX_FEATURES0_MAXGPA_VIRT                 (1ULL << 33) /* abi §8.2 [newer] */
#define TDX_FEATURES0_DYNAMIC_PAMT                (1ULL << 36) /* abi §8.2 [newer], linux §3.4 */
#define TDX_FEATURES0_PAGE_RELEASE                (1ULL << 38) /* abi §8.2 [newer] */
#define TDX_FEATURES0_UPDATE_COMPAT               (1ULL << 47) /* linux §3.4 */
#define TDX_FEATURES0_ENHANCED_DEMOTE_INTERRUPTIBILITY (1ULL << 51) /* linux §3.4 */

/* ========================================================================= */
/* TD-scope (TDH.MNG.RD/WR) and VP-scope (TDH.VP.RD/WR) field IDs (abi §8.3) */
/* ========================================================================= */

#define MD_TD_TDR_FATAL                      0x8010000000000001ULL /* abi §8.3 */
#define MD_TD_TDR_NUM_TDCX                   0x8010000200000002ULL /* abi §8.3 */
#define MD_TD_TDR_CHLDCNT                    0x8010000300000004ULL /* abi §8.3 */
#define MD_TD_TDR_LIFECYCLE_STATE            0x8010000200000005ULL /* abi §8.3 */
#define MD_TD_TDR_TDCX_PA                    0x8010000300000010ULL /* abi §8.3 */
#define MD_TD_TDR_TD_UUID                    0x8010000300000020ULL /* abi §8.3 */
#define MD_TD_TDR_HKID                       0x8110000100000001ULL /* abi §8.3 */
#define MD_TD_TDCS_NUM_VCPUS                 0x9010000200000001ULL /* abi §8.3 */
#define MD_TD_TDCS_NUM_ASSOC_VCPUS           0x9010000200000002ULL /* abi §8.3 */
#define MD_TD_TDCS_OP_STATE                  0x9010000200000004ULL /* abi §8.3 */
/* 16-bit field, class 16 code 5: tdx-module tdx_1.5
 * include/auto_gen/tdr_tdcs_fields_lookup.c (guest and host readable). */
#define MD_TD_TDCS_NUM_L2_VMS                0x9010000100000005ULL
#define MD_TD_TDCS_ATTRIBUTES                0x1110000300000000ULL /* abi §8.3 */
#define MD_TD_TDCS_XFAM                      0x1110000300000001ULL /* abi §8.3 */
#define MD_TD_TDCS_MAX_VCPUS                 0x1110000200000002ULL /* abi §8.3 */
#define MD_TD_TDCS_GPAW                      0x1110000000000003ULL /* abi §8.3 */
#define MD_TD_TDCS_EPTP                      0x1110000300000004ULL /* abi §8.3 */
#define MD_TD_TDCS_TSC_OFFSET                0x111000030000000AULL /* abi §8.3 */
#define MD_TD_TDCS_TSC_MULTIPLIER            0x111000030000000BULL /* abi §8.3 */
#define MD_TD_TDCS_TSC_FREQUENCY             0x111000010000000CULL /* abi §8.3 */
#define MD_TD_TDCS_NOTIFY_ENABLES            0x9110000300000010ULL /* abi §8.3 */
#define TDX_NOTIFY_ENABLES_ZERO_STEP         0x1ULL  /* td_exit_stepping.c: notify_ept_faults, bit 0 */
#define MD_TD_TDCS_HP_LOCK_TIMEOUT           0x9110000300000011ULL /* abi §8.3 */
#define MD_TD_TDCS_CONFIG_FLAGS              0x1110000300000016ULL /* abi §8.3 */
#define MD_TD_TDCS_TD_CTLS                   0x1110000300000017ULL /* abi §8.3 */
#define MD_TD_TDCS_TD_EPOCH                  0x9210000300000000ULL /* abi §8.3 */
#define MD_TD_TDCS_MRTD                      0x1310000300000000ULL /* abi §8.3 */
#define MD_TD_TDCS_MRCONFIGID                0x1310000300000010ULL /* abi §8.3 */
#define MD_TD_TDCS_MROWNER                   0x1310000300000018ULL /* abi §8.3 */
#define MD_TD_TDCS_MROWNERCONFIG             0x1310000300000020ULL /* abi §8.3 */
#define MD_TD_TDCS_RTMR                      0x1310000300000040ULL /* abi §8.3 */
#define MD_TD_TDCS_CPUID_VALUES              0x9410000300000000ULL /* abi §8.3, CPUID-style code */
/* More TD-scope fields of the 1.5 module's table (IDs, element sizes and
 * counts from include/auto_gen/tdr_tdcs_fields_lookup.c). */
#define MD_TD_TDR_PKG_CONFIG_BITMAP          0x8110000300000002ULL /* tdr_tdcs_fields_lookup.c */
#define MD_TD_TDR_HANDOFF_VERSION            0x8210000100000000ULL /* tdr_tdcs_fields_lookup.c, 16-bit */
#define MD_TD_TDR_SEAMDB_INDEX               0x8210000300000001ULL /* tdr_tdcs_fields_lookup.c */
#define MD_TD_TDR_SEAMDB_NONCE               0x8210000300000002ULL /* tdr_tdcs_fields_lookup.c, 4 elements */
#define MD_TD_TDCS_VIRTUAL_TSC               0x111000030000000DULL /* tdr_tdcs_fields_lookup.c */
#define MD_TD_TDCS_NUM_CPUID_VALUES          0x911000010000000EULL /* tdr_tdcs_fields_lookup.c, 16-bit */
#define MD_TD_TDCS_VM_CTLS                   0x9110000300000012ULL /* tdr_tdcs_fields_lookup.c, 4 elements */
#define MD_TD_TDCS_CPUID_VALID               0x9110000000000080ULL /* tdr_tdcs_fields_lookup.c, 8-bit */
#define MD_TD_TDCS_REFCOUNT                  0x9210000100000001ULL /* tdr_tdcs_fields_lookup.c, 2 x 16-bit */
#define MD_TD_TDCS_SEPT_ROOT                 0x2110000300000000ULL /* tdr_tdcs_fields_lookup.c, 512 elements */
#define TDX_NUM_VMS                          4     /* 1.5 MAX_VMS: the TD's VM and 3 L2 VMs */
/* VM_CTLS bit 0 (vm_ctls_t, td_control_structures.h): an L2 SEPT walk
 * failure in a TDCALL exits to the host; the host's only writable bit. */
#define TDX_VM_CTLS_EPT_VIOLATION_ON_L2_SEPT_WALK_FAILURE 1ULL /* td_control_structures.h */

/* VP-scope class codes (abi §8.3). */
#define MD_VP_CLASS_VMCS             0ULL  /* abi §8.3 */
#define MD_VP_CLASS_VAPIC            1ULL  /* abi §8.3 */
#define MD_VP_CLASS_VE_INFO          2ULL  /* abi §8.3 */
#define MD_VP_CLASS_GUEST_GPR        16ULL /* abi §8.3 */
#define MD_VP_CLASS_GUEST_STATE      17ULL /* abi §8.3 */
#define MD_VP_CLASS_GUEST_EXT_STATE  18ULL /* abi §8.3 */
#define MD_VP_CLASS_GUEST_MSR        19ULL /* abi §8.3 */
#define MD_VP_CLASS_MANAGEMENT       32ULL /* abi §8.3 */
#define MD_VP_CLASS_CPUID_CONTROL    33ULL /* abi §8.3 */

/* VMCS fields: class 0, context VP, field_code = the VMCS encoding. */
#define MD_VP_VMCS_BASE              0x0020000000000000ULL /* abi §8.3 */
#define MD_VP_VMCS(encoding) \
	(MD_VP_VMCS_BASE | ((uint64_t)(encoding) & MD_FIELD_CODE_MASK)) /* abi §8.3 */
/* Guest GPRs: RAX ... R15 at field codes 0 ... 15 (operand-ID order). */
#define MD_VP_RAX                    0x1020000300000000ULL /* abi §8.3 */
#define MD_VP_R15                    0x102000030000000FULL /* abi §8.3 */
#define MD_VP_GPR(idx)               (MD_VP_RAX + ((uint64_t)(idx) & 0xFULL)) /* abi §8.3 */
#define MD_VP_DR0                    0x1120000300000000ULL /* abi §8.3 */
#define MD_VP_DR6                    0x1120000300000006ULL /* abi §8.3 */
#define MD_VP_VE_INFO_EXIT_REASON    0x0220000200000000ULL /* abi §8.3 */
#define MD_VP_VE_INFO_VALID          0x0220000200000001ULL /* abi §8.3 */
/* TD-VMCS fields KVM writes after TDH.VP.INIT (linux §4.4); the field
 * code is the VMCS encoding (abi §8.3, SDM appendix B). */
#define VMCS_POSTED_INTR_NV          0x0002U  /* SDM, 16-bit */
#define VMCS_POSTED_INTR_DESC_ADDR   0x2016U  /* SDM, 64-bit */
#define VMCS_PIN_BASED_CTLS          0x4000U  /* SDM, 32-bit */
/* TD VMCS field IDs carry INC_SIZE (bit 50: VMCS encodings step by 2),
 * as td_vmcs_fields_lookup.c's do, so a version-1 walk names them as the
 * module does; lookup ignores the bit (abi §8.1). */
#define MD_VP_POSTED_INTR_NV         0x0024000100000002ULL /* abi §8.3, linux §4.4 */
#define MD_VP_POSTED_INTR_DESC_ADDR  0x0024000300002016ULL /* abi §8.3, linux §4.4 */
#define MD_VP_PIN_BASED_CTLS         0x0024000200004000ULL /* abi §8.3, linux §4.4 */
/* TD VMCS SHARED_EPT_POINTER (VMCS encoding 0x203C, Linux asm/vmx.h), which
 * KVM writes with TDH.VP.WR for the shared half of the GPA space. */
#define MD_VP_SHARED_EPTP            0x002400030000203CULL /* abi §8.3 class 0, 64-bit */
/* Its host masks in td_vmcs_fields_lookup.c (1.5): only the root's address
 * bits 51:12 are writable, and a production TD's host reads only those;
 * memory type, page-walk length and A/D come from the TD's EPTP. */
#define VMCS_SHARED_EPTP_ADDR_MASK   0x000FFFFFFFFFF000ULL /* td_vmcs_fields_lookup.c */
#define VMCS_PIN_BASED_POSTED_INTR   (1ULL << 7) /* SDM; linux §4.4 PIN_BASED_POSTED_INTR */
#define VMCS_POSTED_INTR_NV_INIT     0xFFFFULL   /* module: VMCS value before the VMM sets one */
#define VMCS_POSTED_INTR_NV_MAX      255ULL      /* a vector (SDM) */
#define VMCS_POSTED_INTR_DESC_SIZE   64ULL       /* SDM: 64-byte descriptor */
/*
 * Management class 32 (abi §8.3). PEND_NMI = 11 is linux §4.4; the other
 * field codes are those of the 1.5.01 module's TDVPS table, which the spec
 * does not list. Bit 63 (non-arch) is not compared on lookup (abi §8.1).
 */
#define MD_VP_VCPU_STATE             0xA020000000000000ULL /* abi §8.3 class 32, 8-bit */
#define MD_VP_VCPU_INDEX             0xA020000200000002ULL /* abi §8.3 class 32, 32-bit */
#define MD_VP_NUM_TDVPS_PAGES        0xA020000000000003ULL /* abi §8.3 class 32, 8-bit */
#define MD_VP_ASSOC_LPID             0xA020000200000004ULL /* abi §8.3 class 32, 32-bit */
#define MD_VP_VCPU_EPOCH             0xA020000300000006ULL /* abi §8.3 class 32, 64-bit */
#define MD_VP_PEND_NMI               0x202000000000000BULL /* linux §4.4, 8-bit */
/* The guest's CPUID #VE controls: TDG.VP.CPUIDVE.SET's two flags, and
 * one byte per virtualised CPUID leaf (cpuid_control_t, tdx_tdvps.h:
 * bit 0 supervisor #VE, bit 1 user #VE). The guest writes them with
 * TDG.VP.WR. IDs, sizes and counts: include/auto_gen/tdvps_fields_lookup.c. */
#define MD_VP_CPUID_SUPERVISOR_VE    0xA020000000000007ULL /* tdvps_fields_lookup.c, 8-bit */
#define MD_VP_CPUID_USER_VE          0xA020000000000008ULL /* tdvps_fields_lookup.c, 8-bit */
#define MD_VP_CPUID_CONTROL          0xA120000000000000ULL /* tdvps_fields_lookup.c, class 33, 8-bit */
/* More VP-scope fields of the 1.5 tables (IDs, element sizes and counts
 * from include/auto_gen/tdvps_fields_lookup.c and td_vmcs_fields_lookup.c). */
#define MD_VP_VMCS_EPTP              0x002400030000201AULL /* td_vmcs_fields_lookup.c, 64-bit */
#define MD_VP_VMCS_TD_HKID           0x0024000200004026ULL /* td_vmcs_fields_lookup.c, 32-bit */
#define MD_VP_VE_INFO_EXIT_QUAL      0x0220000300000002ULL /* tdvps_fields_lookup.c */
#define MD_VP_VE_INFO_GLA            0x0220000300000003ULL /* tdvps_fields_lookup.c */
#define MD_VP_VE_INFO_GPA            0x0220000300000004ULL /* tdvps_fields_lookup.c */
#define MD_VP_VE_INFO_EPTP_INDEX     0x0220000100000005ULL /* tdvps_fields_lookup.c, 16-bit */
#define MD_VP_VE_INFO_INSTR_LEN      0x8220000200000010ULL /* tdvps_fields_lookup.c, 32-bit */
#define MD_VP_VE_INFO_INSTR_INFO     0x8220000200000011ULL /* tdvps_fields_lookup.c, 32-bit */
#define MD_VP_XCR0                   0x1120000300000020ULL /* tdvps_fields_lookup.c */
#define MD_VP_VCPU_STATE_DETAILS     0x9120000300000100ULL /* tdvps_fields_lookup.c */
#define MD_VP_LAST_TD_EXIT           0xA02000000000000FULL /* tdvps_fields_lookup.c, 8-bit */
#define MD_VP_TDVPS_PAGE_PA          0xA020000300000010ULL /* tdvps_fields_lookup.c, 15 elements */
#define TDX_NUM_CPUID_CONTROL        128U  /* tdvps_fields_lookup.c CPUID_CONTROL num_of_fields */

/* TDCS.HP_LOCK_TIMEOUT as TDH.MNG.RD/WR see it: microseconds, stored as
 * TSC ticks (abi §6.2: default 1 s, range 10 ms..100 s). */
#define TDX_HP_LOCK_TIMEOUT_MIN_US   10000ULL     /* abi §6.2 */
#define TDX_HP_LOCK_TIMEOUT_MAX_US   100000000ULL /* abi §6.2 */

/* ========================================================================= */
/* MSRs                                                                      */
/* ========================================================================= */

#define MSR_IA32_FEATURE_CONTROL             0x3AULL       /* Intel SDM vol 4 */
#define MSR_IA32_SPEC_CTRL                   0x48ULL       /* Intel SDM vol 4 */
#define MSR_IA32_MKTME_KEYID_PARTITIONING    0x87ULL       /* linux §3.1 */
#define MSR_IA32_ARCH_CAPABILITIES           0x10AULL      /* Intel SDM vol 4 */
#define MSR_IA32_DEBUGCTL                    0x1D9ULL      /* Intel SDM vol 4 */
#define MSR_IA32_PAT                         0x277ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_BASIC                   0x480ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_PINBASED_CTLS           0x481ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_PROCBASED_CTLS          0x482ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_EXIT_CTLS               0x483ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_ENTRY_CTLS              0x484ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_MISC                    0x485ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_CR0_FIXED0              0x486ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_CR0_FIXED1              0x487ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_CR4_FIXED0              0x488ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_CR4_FIXED1              0x489ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_VMCS_ENUM               0x48AULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_PROCBASED_CTLS2         0x48BULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_EPT_VPID_CAP            0x48CULL      /* Intel SDM vol 4 */
#define TDX_EPT_VPID_CAP_PML5                (1ULL << 7)   /* SDM: 5-level EPT */
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS      0x48DULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS     0x48EULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_TRUE_EXIT_CTLS          0x48FULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS         0x490ULL      /* Intel SDM vol 4 */
#define MSR_IA32_VMX_VMFUNC                  0x491ULL      /* Intel SDM vol 4 */
/* Short aliases for the four TRUE_* capability MSRs. */
#define MSR_IA32_VMX_TRUE_PINBASED           MSR_IA32_VMX_TRUE_PINBASED_CTLS /* alias */
#define MSR_IA32_VMX_TRUE_PROCBASED          MSR_IA32_VMX_TRUE_PROCBASED_CTLS /* alias */
#define MSR_IA32_VMX_TRUE_EXIT               MSR_IA32_VMX_TRUE_EXIT_CTLS /* alias */
#define MSR_IA32_VMX_TRUE_ENTRY              MSR_IA32_VMX_TRUE_ENTRY_CTLS /* alias */
#define MSR_IA32_TME_ACTIVATE                0x982ULL      /* Intel SDM vol 4 */
#define MSR_IA32_SEAMRR_PHYS_BASE            0x1400ULL     /* Intel SDM vol 4 */
#define MSR_IA32_SEAMRR_PHYS_MASK            0x1401ULL     /* Intel SDM vol 4 */
#define MSR_IA32_EFER                        0xC0000080ULL /* Intel SDM vol 4 */
#define MSR_IA32_STAR                        0xC0000081ULL /* Intel SDM vol 4 */
#define MSR_IA32_LSTAR                       0xC0000082ULL /* Intel SDM vol 4 */
#define MSR_IA32_FMASK                       0xC0000084ULL /* Intel SDM vol 4 */
#define MSR_IA32_KERNEL_GS_BASE              0xC0000102ULL /* Intel SDM vol 4 */
#define MSR_IA32_TSC_AUX                     0xC0000103ULL /* Intel SDM vol 4 */
/* Host-state MSRs a TD exit touches (abi §7.5). */
#define MSR_IA32_UMWAIT_CONTROL              0xE1ULL       /* Intel SDM vol 4 */
#define MSR_IA32_TSX_CTRL                    0x122ULL      /* Intel SDM vol 4 */
#define MSR_IA32_PERFEVTSEL0                 0x186ULL      /* Intel SDM vol 4, 0x186 + n */
#define MSR_IA32_XFD                         0x1C4ULL      /* Intel SDM vol 4 */
#define MSR_IA32_XFD_ERR                     0x1C5ULL      /* Intel SDM vol 4 */
#define MSR_OFFCORE_RSP0                     0x1A6ULL      /* Intel SDM vol 4 */
#define MSR_OFFCORE_RSP1                     0x1A7ULL      /* Intel SDM vol 4 */
#define MSR_IA32_FIXED_CTR0                  0x309ULL      /* Intel SDM vol 4, 0x309 + n */
#define MSR_PERF_METRICS                     0x329ULL      /* Intel SDM vol 4 */
#define MSR_IA32_FIXED_CTR_CTRL              0x38DULL      /* Intel SDM vol 4 */
#define MSR_IA32_PERF_GLOBAL_STATUS          0x38EULL      /* Intel SDM vol 4 */
#define MSR_IA32_PERF_GLOBAL_CTRL            0x38FULL      /* Intel SDM vol 4 */
#define MSR_IA32_PEBS_ENABLE                 0x3F1ULL      /* Intel SDM vol 4 */
#define MSR_IA32_A_PMC0                      0x4C1ULL      /* Intel SDM vol 4, 0x4C1 + n */
#define MSR_IA32_RTIT_CTL                    0x570ULL      /* Intel SDM vol 4 */
#define MSR_IA32_DS_AREA                     0x600ULL      /* Intel SDM vol 4 */
#define MSR_IA32_XSS                         0xDA0ULL      /* Intel SDM vol 4 */
#define MSR_IA32_LBR_CTL                     0x14CEULL     /* Intel SDM vol 4 */
#define MSR_IA32_LBR_DEPTH                   0x14CFULL     /* Intel SDM vol 4 */
#define MSR_IA32_UARCH_MISC_CTL              0x1B01ULL     /* Intel SDM vol 4 */
#define MSR_IA32_NUM_FIXED_CTRS              3             /* this CPU model: CPUID.0AH:EDX[4:0] */
#define MSR_IA32_NUM_GP_CTRS                 8             /* this CPU model: CPUID.0AH:EAX[15:8] */

/* IA32_MKTME_KEYID_PARTITIONING: 31:0 = MKTME KeyIDs, 63:32 = TDX KeyIDs. */
#define MKTME_KEYID_PART_NUM_MKTME_MASK      0xFFFFFFFFULL /* linux §3.1 */
#define MKTME_KEYID_PART_NUM_TDX_SHIFT       32            /* linux §3.1 */

/* IA32_VMX_BASIC bit 60: P-SEAMLDR calls do not clobber the current VMCS. */
#define VMX_BASIC_NO_SEAMRET_INVD_VMCS       (1ULL << 60)  /* linux §3.1 */

/* ========================================================================= */
/* TD_PARAMS (td_params_t, abi §5.4, linux §4.3): 1024 B, 1024-aligned       */
/* ========================================================================= */

#define TDX_TD_PARAMS_SIZE           1024ULL /* abi §5.4 */
#define TDX_TD_PARAMS_ALIGNMENT      1024ULL /* abi §5.4, RDX 1024-aligned */
#define TDX_MSR_CONFIG_CTLS_ARCH_CAP 0x1ULL  /* abi §5.4, msr_config_ctls bit 0 */

struct td_cpuid_config_val {
	uint32_t eax, ebx, ecx, edx;    /* abi §5.4, 16 B each */
};

struct td_params {
	uint64_t attributes;            /* abi §5.4, offset 0 */
	uint64_t xfam;                  /* abi §5.4, offset 8 */
	uint16_t max_vcpus;             /* abi §5.4, offset 16 */
	uint8_t num_l2_vms;             /* abi §5.4, offset 18 */
	uint8_t msr_config_ctls;        /* abi §5.4, offset 19 */
	uint8_t reserved_0[4];          /* abi §5.4, offset 20 */
	uint64_t eptp_controls;         /* abi §5.4, offset 24 */
	uint64_t config_flags;          /* abi §5.4, offset 32 */
	uint16_t tsc_frequency;         /* abi §5.4, offset 40, 25 MHz units */
	uint8_t reserved_1[38];         /* abi §5.4, offset 42 */
	uint8_t mr_config_id[48];       /* abi §5.4, offset 80 */
	uint8_t mr_owner[48];           /* abi §5.4, offset 128 */
	uint8_t mr_owner_config[48];    /* abi §5.4, offset 176 */
	uint64_t ia32_arch_capabilities_config; /* abi §5.4, offset 224 */
	uint8_t reserved_2[24];         /* abi §5.4, offset 232 */
	struct td_cpuid_config_val cpuid_config_vals[TDX_NUM_CPUID_CONFIG]; /* abi §5.4, offset 256 */
	uint8_t reserved_3[576];        /* abi §5.4, offset 448 */
};

#ifndef __cplusplus
_Static_assert(sizeof(struct td_params) == TDX_TD_PARAMS_SIZE,
	       "TD_PARAMS is 1024 bytes (abi §5.4)");
#endif

/* tsc_frequency bounds in 25 MHz units (abi §5.4, linux §4.3). */
#define TDX_TSC_FREQ_UNIT_HZ         25000000ULL /* abi §5.4 */
#define TDX_TSC_FREQ_MIN             4ULL        /* abi §5.4, 100 MHz */
#define TDX_TSC_FREQ_MAX             400ULL      /* abi §5.4, 10 GHz */

/* EPTP_CONTROLS (abi §5.4; field positions as in the VMCS EPTP, SDM). */
#define TDX_EPTP_MT_MASK             0x7ULL          /* SDM, bits 2:0 */
#define TDX_EPTP_MT_WB               6ULL            /* abi §5.4 */
#define TDX_EPTP_PWL_SHIFT           3               /* SDM, bits 5:3 = levels - 1 */
#define TDX_EPTP_PWL_MASK            0x7ULL          /* SDM */
#define TDX_EPTP_PWL_4               3ULL            /* abi §5.4, 4-level */
#define TDX_EPTP_PWL_5               4ULL            /* abi §5.4, 5-level */
#define TDX_EPTP_AD_BIT              (1ULL << 6)     /* SDM, must be 0 (abi §5.4) */
#define TDX_EPTP_SSS_BIT             (1ULL << 7)     /* SDM, must be 0 (abi §5.4) */
#define TDX_EPTP_RESERVED_MASK       0xFFFFFFFFFFFFFF00ULL /* abi §5.4: reserved 11:8, base 51:12, 63:52 */

/* TD ATTRIBUTES bits Linux knows beyond abi §8.2's (linux §4.1). */
#define TDX_TD_ATTR_LASS             (1ULL << 27) /* linux §4.1 */
#define TDX_TD_ATTR_TPA              (1ULL << 62) /* linux §4.1 */

/* XFAM component bits checked by TDH.MNG.INIT (abi §5.4; XCR0/XSS bit
 * numbers from the SDM). */
#define TDX_XFAM_AVX                 (1ULL << 2)  /* SDM */
#define TDX_XFAM_AVX512_MASK         0xE0ULL      /* SDM, bits 7:5; abi §5.4 "consistent" */
#define TDX_XFAM_PT                  (1ULL << 8)  /* SDM */
#define TDX_XFAM_PKRU                (1ULL << 9)  /* SDM */
#define TDX_XFAM_CET_U               (1ULL << 11) /* SDM; abi §5.4 CET_U == CET_S */
#define TDX_XFAM_CET_S               (1ULL << 12) /* SDM */
#define TDX_XFAM_ULI                 (1ULL << 14) /* SDM */
#define TDX_XFAM_LBR                 (1ULL << 15) /* SDM */
#define TDX_XFAM_AMX_MASK            0x60000ULL   /* SDM, bits 18:17; abi §5.4 both or none */
#define TDX_XFAM_X87                 (1ULL << 0)  /* SDM */
#define TDX_XFAM_SSE                 (1ULL << 1)  /* SDM */
/* Supervisor state components (IA32_XSS, SDM vol 1 §13.2): PT 8, PASID 10,
 * CET_U 11, CET_S 12, HDC 13, ULI 14, LBR 15, HWP 16. The rest are XCR0's. */
#define TDX_XFAM_SUPERVISOR_MASK     0x1FD00ULL   /* SDM */

/* Host state after TDH.VP.ENTER returns (abi §7.5). */
#define TDX_DEBUGCTL_PRESERVED_MASK  0x5002ULL    /* abi §7.5: BTF 1, FREEZE_PERFMON_ON_PMI 12, FREEZE_WHILE_SMM 14 */
#define TDX_EXIT_FMASK_VALUE         0x20200ULL   /* abi §7.5 */
#define X86_DR6_INIT                 0xFFFF0FF0ULL /* SDM vol 3 §18.2.3; abi §7.5 */
#define X86_DR7_INIT                 0x400ULL     /* SDM vol 3 §18.2.4; abi §7.5 */
/* CPUID.(EAX=7,ECX=0) feature bits KVM refuses for a TD (linux §6.5). */
#define CPUID7_EBX_HLE               (1U << 4)    /* SDM */
#define CPUID7_EBX_RTM               (1U << 11)   /* SDM */
#define CPUID7_ECX_WAITPKG           (1U << 5)    /* SDM */

/* ========================================================================= */
/* Secure EPT (abi §5.5, §5.6, §5.7)                                         */
/* ========================================================================= */

#define SEPT_R                       (1ULL << 0)  /* abi §5.5 */
#define SEPT_W                       (1ULL << 1)  /* abi §5.5 */
#define SEPT_X                       (1ULL << 2)  /* abi §5.5 */
#define SEPT_RWX                     0x7ULL       /* abi §5.5 */
#define SEPT_MT_SHIFT                3            /* abi §5.5, bits 5:3 */
#define SEPT_MT_MASK                 (0x7ULL << SEPT_MT_SHIFT) /* abi §5.5 */
#define SEPT_MT_WB                   (6ULL << SEPT_MT_SHIFT)   /* abi §5.5, WB = 6 */
#define SEPT_IPAT                    (1ULL << 6)  /* abi §5.5 */
#define SEPT_PS                      (1ULL << 7)  /* abi §5.5, leaf */
#define SEPT_A                       (1ULL << 8)  /* abi §5.5, A/TDGL */
#define SEPT_D                       (1ULL << 9)  /* abi §5.5 */
#define SEPT_XU                      (1ULL << 10) /* abi §5.5 */
#define SEPT_TDEL                    (1ULL << 11) /* abi §5.5, entry lock */
#define SEPT_HPA_MASK                0x000FFFFFFFFFF000ULL /* abi §5.5, bits 51:12 */
#define SEPT_TDHP                    (1ULL << 52) /* abi §5.5, host-priority request */
#define SEPT_TDEX                    (1ULL << 53) /* abi §5.5 */
#define SEPT_TDBW                    (1ULL << 54) /* abi §5.5 */
#define SEPT_TDB                     (1ULL << 55) /* abi §5.5, blocked */
#define SEPT_TDP                     (1ULL << 56) /* abi §5.5, pending */
#define SEPT_VPW                     (1ULL << 57) /* abi §5.5 */
#define SEPT_PW                      (1ULL << 58) /* abi §5.5 */
#define SEPT_TDSA                    (1ULL << 60) /* abi §5.5, SSS/TDSA */
#define SEPT_TDUP                    (1ULL << 61) /* abi §5.5 */
#define SEPT_SVE                     (1ULL << 63) /* abi §5.5, suppress #VE */
#define SEPT_ACCEPT_COUNTER_MASK     0x1FF000ULL  /* abi §5.5, bits 20:12 of pending 2M */
#define SEPTE_INIT_VALUE             0x80E0000000000000ULL /* abi §5.1, FREE + SVE */
#define SEPTE_L2_INIT_VALUE          0x0ULL                /* abi §5.1 */
#define SEPT_ENTRIES_PER_PAGE        512ULL                /* abi §4.3, 9 bits per level */
/* The architectural view returned in RCX (abi §5.6). */
#define SEPT_ARCH_LEAF_MASK          (SEPT_RWX | SEPT_MT_MASK | SEPT_HPA_MASK | \
				      SEPT_IPAT | SEPT_PS | SEPT_SVE) /* abi §5.6 */
#define SEPT_ARCH_NL_MASK            (SEPT_RWX | SEPT_PS)         /* abi §5.6 */

/* Public SEPT states, RDX bits 15:8 of sept_entry_arch_info_t (abi §5.5). */
#define SEPT_STATE_FREE                          0x00 /* abi §5.5 */
#define SEPT_STATE_BLOCKED                       0x01 /* abi §5.5 */
#define SEPT_STATE_PENDING                       0x02 /* abi §5.5 */
#define SEPT_STATE_PENDING_BLOCKED               0x03 /* abi §5.5 */
#define SEPT_STATE_MAPPED                        0x04 /* abi §5.5 */
#define SEPT_STATE_REMOVED                       0x05 /* abi §5.5 */
#define SEPT_STATE_BLOCKEDW                      0x08 /* abi §5.5 */
#define SEPT_STATE_EXPORTED_BLOCKEDW             0x09 /* abi §5.5 */
#define SEPT_STATE_EXPORTED_DIRTY                0x0B /* abi §5.5 */
#define SEPT_STATE_EXPORTED_DIRTY_BLOCKEDW       0x0C /* abi §5.5 */
#define SEPT_STATE_PENDING_BLOCKEDW              0x10 /* abi §5.5 */
#define SEPT_STATE_PENDING_EXPORTED_BLOCKEDW     0x11 /* abi §5.5 */
#define SEPT_STATE_PENDING_EXPORTED_DIRTY        0x13 /* abi §5.5 */
#define SEPT_STATE_PENDING_EXPORTED_DIRTY_BLOCKEDW 0x14 /* abi §5.5 */
#define SEPT_STATE_NL_BLOCKED                    0x81 /* abi §5.5 */
#define SEPT_STATE_NL_MAPPED                     0x84 /* abi §5.5 */

/* sept_entry_arch_info_t in RDX (abi §5.6). */
#define SEPT_INFO_LEVEL_MASK         0x7ULL  /* abi §5.6, bits 2:0 */
#define SEPT_INFO_STATE_SHIFT        8       /* abi §5.6, bits 15:8 */
#define SEPT_INFO_VM_SHIFT           16      /* abi §5.6, bits 17:16 */

/* td_handle_and_flags_t, TDH.MEM.SEPT.ADD RDX (abi §5.7). */
#define TDX_SEPT_ADD_ALLOW_EXISTING  0x1ULL                /* abi §5.7, bit 0 */
#define TDX_TD_HANDLE_RESERVED_MASK  0xFFF0000000000FFEULL /* abi §5.7, bits 11:1, 63:52 */
#define TDX_TD_HANDLE_TDR_MASK       0x000FFFFFFFFFF000ULL /* abi §5.7, bits 51:12 */
#define TDX_SEPT_ADD_NOT_USED        (1ULL << 63)          /* abi §5.7, R8 out */
/* TDH.MEM.SEPT.RD RDX bit 0: also read the L2 GPA attributes (debug TDs
 * only); tdx-module tdx_1.5 tdh_mem_sept_rd.c, the TDR is RDX & ~1. */
#define TDX_SEPT_RD_L2_ATTRIBUTES    (1ULL << 0)
#define TDX_NULL_PA                  0xFFFFFFFFFFFFFFFFULL /* abi §5.7 NULL_PA */

/* ========================================================================= */
/* Measurement (abi §5.8)                                                    */
/* ========================================================================= */

#define TDX_MR_BLOCK_SIZE            128ULL  /* abi §5.8, sha384_128B_block_t */
#define TDX_MR_BLOCK_NAME_LEN        16ULL   /* abi §5.8, bytes 0..15 */
#define TDX_MR_BLOCK_GPA_OFFSET      16ULL   /* abi §5.8, bytes 16..23 */
#define TDX_MR_EXTEND_CHUNK          256ULL  /* abi §5.8, linux §4.5 TDX_EXTENDMR_CHUNKSIZE */
#define TDX_MR_NAME_PAGE_ADD         "MEM.PAGE.ADD" /* abi §5.8 */
#define TDX_MR_NAME_MR_EXTEND        "MR.EXTEND"    /* abi §5.8 */
#define TDX_SHA384_SIZE              48ULL   /* abi §5.8 */
#define TDX_NUM_RTMRS                4ULL    /* abi §5.8 */

/* TDH.PHYMEM.CACHE.WB commands are TDH_PHYMEM_CACHEWB_*_CMD above. */
#define TDX_HP_LOCK_TIMEOUT_DEFAULT_S 1ULL   /* abi §5.4, §6.2: 1 s in TSC ticks */

/* ========================================================================= */
/* TD entry and exit (abi §7, linux §6)                                      */
/* ========================================================================= */

/* TDH.VP.ENTER RCX (vcpu_and_flags_t, abi §7.1). */
#define TDX_VP_ENTER_TDVPR_MASK      0x000FFFFFFFFFF000ULL /* abi §7.1, bits 51:12 */
#define TDX_VP_ENTER_HOST_RECOVERABILITY_HINT (1ULL << 52) /* abi §7.1, §6.2 */
#define TDX_VP_ENTER_RESUME_L1       (1ULL << 53)          /* abi §7.1 */
#define TDX_VP_ENTER_RESERVED_MASK   0xFFC0000000000FFFULL /* abi §7.1, bits 11:0, 63:54 */
#define TDX_TDCALL_STATUS_HOST_RECOVERABILITY (1ULL << 60) /* abi §6.2 */

/* VMX basic exit reasons a TD exit reports in RAX 15:0 (SDM App. C). */
#define TDX_EXIT_EXCEPTION_NMI       0ULL   /* SDM; linux §6.2 */
#define TDX_EXIT_EXTERNAL_INTERRUPT  1ULL   /* SDM; abi §7.2 */
#define TDX_EXIT_TRIPLE_FAULT        2ULL   /* SDM; linux §6.2 */
#define TDX_EXIT_CPUID               10ULL  /* SDM; linux §6.2 */
#define TDX_EXIT_HLT                 12ULL  /* SDM; linux §6.2 */
#define TDX_EXIT_VMCALL              18ULL  /* SDM; linux §6.2 */
#define TDX_EXIT_IO                  30ULL  /* SDM; linux §6.2 */
#define TDX_EXIT_MSR_READ            31ULL  /* SDM; linux §6.2 */
#define TDX_EXIT_MSR_WRITE           32ULL  /* SDM; linux §6.2 */
#define TDX_EXIT_EPT_VIOLATION       48ULL  /* SDM; abi §6.4 */
#define TDX_EXIT_EPT_MISCONFIG       49ULL  /* SDM; linux §6.2 */
#define TDX_EXIT_TDCALL              77ULL  /* abi §7.3 VMEXIT_REASON_TDCALL */
#define TDX_EXIT_BUS_LOCK_PREEMPTED  (1ULL << 26) /* abi §7.2 */

/* EPT-violation exit qualification bits (SDM 28.3.3.2). */
#define TDX_EPT_QUAL_READ            (1ULL << 0)  /* SDM */
#define TDX_EPT_QUAL_WRITE           (1ULL << 1)  /* SDM; abi §6.4 */
#define TDX_EPT_QUAL_FETCH           (1ULL << 2)  /* SDM */

/* Extended exit qualification types (vmx_eeq_type_t, abi §7.2). */
#define TDX_EEQ_NONE                 0ULL   /* abi §7.2 */
#define TDX_EEQ_ACCEPT               1ULL   /* abi §7.2 */
#define TDX_EEQ_GPA_DETAILS          2ULL   /* abi §7.2 */
#define TDX_EEQ_PENDING_EPT_VIOLATION 6ULL  /* abi §7.2, §5.9 */
#define TDX_EEQ_INFO_SHIFT           32     /* abi §7.2, info in 63:32 */

/* VM-exit interruption information (SDM 24.9.2): a #MC exit. */
#define TDX_INTR_INFO_VALID          (1ULL << 31) /* SDM */
#define TDX_INTR_TYPE_HW_EXCEPTION   (3ULL << 8)  /* SDM */
#define TDX_INTR_TYPE_EXT_INTR       (0ULL << 8)  /* SDM */
#define TDX_CALL_FUNCTION_VECTOR     0xFCU        /* Linux's smp_call_function IPI */
#define TDX_VECTOR_MC                18ULL        /* SDM */
#define TDX_VECTOR_VE                20ULL        /* SDM */

/* TDG.VP.VMCALL control (tdvmcall_control_t, abi §7.3). */
#define TDX_VMCALL_GPR_SELECT_MASK   0xFFFFULL      /* abi §7.3, bits 15:0 */
#define TDX_VMCALL_XMM_SELECT_SHIFT  16             /* abi §7.3, bits 31:16 */
#define TDX_VMCALL_RESERVED_MASK     0xFFFFFFFF00000000ULL /* abi §7.3 */
/* RAX, RCX and RSP may never be selected; RBP not under NO_RBP_MOD. */
#define TDX_VMCALL_GPR_FORBIDDEN     ((1ULL << 0) | (1ULL << 1) | (1ULL << 4)) /* abi §7.3 */
#define TDX_VMCALL_GPR_RBP           (1ULL << 5)    /* abi §7.3 */

/* VE_INFO.valid while the #VE information is unread (abi §7.4). */
#define TDX_VE_INFO_VALID            0xFFFFFFFFULL  /* abi §7.4 */
/* Zero-step mitigation (abi §6.4). */
#define TDX_STEPPING_EPF_THRESHOLD   6U    /* abi §6.4, linux §7 */
#define TDX_EPF_GPA_LIST_SIZE        32U   /* abi §6.4 */

/* GHCI TDVMCALL sub-functions in R11 and statuses in R10 (linux §6.3). */
#define TDVMCALL_GET_TD_VM_CALL_INFO 0x10000ULL   /* linux §6.3 */
#define TDVMCALL_MAP_GPA             0x10001ULL   /* linux §6.3 */
#define TDVMCALL_GET_QUOTE           0x10002ULL   /* linux §6.3 */
#define TDVMCALL_REPORT_FATAL_ERROR  0x10003ULL   /* linux §6.3 */
#define TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT 0x10004ULL /* linux §6.3 */
#define TDVMCALL_STATUS_SUCCESS      0x0ULL                 /* linux §6.3 */
#define TDVMCALL_STATUS_RETRY        0x1ULL                 /* linux §6.3 */
#define TDVMCALL_STATUS_INVALID_OPERAND 0x8000000000000000ULL /* linux §6.3 */
#define TDVMCALL_STATUS_GPA_INUSE    0x8000000000000001ULL  /* linux §6.3 */
#define TDVMCALL_STATUS_ALIGN_ERROR  0x8000000000000002ULL  /* linux §6.3 */
#define TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED 0x8000000000000003ULL /* linux §6.3 */

/* GetQuote's shared buffer (GHCI 1.0 "TDG.VP.VMCALL<GetQuote>"; Linux
 * include/uapi/linux/tdx-guest.h struct tdx_quote_hdr): version u64,
 * status u64, in_len u32, out_len u32, then the data. */
#define TDX_QUOTE_BUF_VERSION        1ULL
#define TDX_QUOTE_BUF_HDR_SIZE       24u
#define TDX_GET_QUOTE_SUCCESS        0x0ULL                 /* tdx-guest.h */
#define TDX_GET_QUOTE_IN_FLIGHT      0xFFFFFFFFFFFFFFFFULL  /* tdx-guest.h */
#define TDX_GET_QUOTE_ERROR          0x8000000000000000ULL  /* tdx-guest.h */
#define TDX_GET_QUOTE_SERVICE_UNAVAILABLE 0x8000000000000001ULL /* tdx-guest.h */
#define TDVMCALL_MAP_GPA_MAX_LEN     (2ULL << 20)  /* linux §6.3 TDX_MAP_GPA_MAX_LEN */

/* ========================================================================= */
/* Linux host driver constants                                               */
/* ========================================================================= */

#define TDX_RDRAND_RETRY_LOOPS       10ULL        /* linux §1.2 RDRAND_RETRY_LOOPS */
#define TDMR_ALIGNMENT               (1ULL << 30) /* linux §3.7, 1 GiB */
#define TDMR_INFO_ALIGNMENT          512ULL       /* linux §3.7 */
#define TDMR_INFO_PA_ARRAY_ALIGNMENT 512ULL       /* linux §3.9 */
#define TDMR_NR_WARN                 4ULL         /* linux §3.7 */

#endif /* TDXSIM_ABI_H */
