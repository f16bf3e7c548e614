/* SPDX-License-Identifier: MIT */
/*
 * Tests for tdxsim/abi.h and the name tables of src/abi_names.c. Expected
 * values are copied literally from the spec text (abi = tdx-module-abi.md,
 * linux = linux-tdx-host.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tdxsim/abi.h"
#include "tdxsim/abi_names.h"

static void lower_copy(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i] != '\0'; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

/* ---- abi §4.1: TDMR_INFO ------------------------------------------------ */

static void test_tdmr_info_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct tdmr_info_entry), 320);
	assert_int_equal(TDMR_INFO_ENTRY_SIZE, 320);
	assert_int_equal(sizeof(struct tdmr_reserved_area), 16);
	assert_int_equal(offsetof(struct tdmr_info_entry, tdmr_base), 0);
	assert_int_equal(offsetof(struct tdmr_info_entry, tdmr_size), 8);
	assert_int_equal(offsetof(struct tdmr_info_entry, pamt_1g_base), 16);
	assert_int_equal(offsetof(struct tdmr_info_entry, pamt_1g_size), 24);
	assert_int_equal(offsetof(struct tdmr_info_entry, pamt_2m_base), 32);
	assert_int_equal(offsetof(struct tdmr_info_entry, pamt_2m_size), 40);
	assert_int_equal(offsetof(struct tdmr_info_entry, pamt_4k_base), 48);
	assert_int_equal(offsetof(struct tdmr_info_entry, pamt_4k_size), 56);
	assert_int_equal(offsetof(struct tdmr_info_entry, rsvd_areas), 64);
	assert_int_equal(offsetof(struct tdmr_info_entry, rsvd_areas[1]), 80);
	assert_int_equal(offsetof(struct tdmr_info_entry, rsvd_areas[15].size), 312);
	assert_int_equal(offsetof(struct tdmr_reserved_area, offset), 0);
	assert_int_equal(offsetof(struct tdmr_reserved_area, size), 8);
	assert_int_equal(_Alignof(struct tdmr_info_entry), 8);

	assert_int_equal(TDX_MAX_RESERVED_AREAS, 16);
	assert_int_equal(TDX_MAX_TDMRS, 64);
	assert_int_equal(TDX_MAX_CMR, 32);
	assert_int_equal(TDX_TDMR_INFO_ENTRY_PTR_ARRAY_ALIGNMENT, 512);
	assert_int_equal(TDX_PAMT_ENTRY_SIZE, 16);
	assert_int_equal(TDX_TDMR_4K_PAMT_INIT_COUNT, 1024);
	assert_int_equal(TDX_MAX_HKIDS, 2048);
	assert_int_equal(TDX_MAX_PKGS, 8);
	assert_int_equal(TDX_MAX_VCPUS, 0xFFFF);
	assert_int_equal(TDX_MIN_NUM_TDCS_PAGES, 6);
	assert_int_equal(TDX_MAX_NUM_TDCS_PAGES, 9);
	assert_int_equal(TDX_MIN_TDVPS_PAGES, 6);
	assert_int_equal(TDX_MAX_TDVPS_PAGES, 15);
	assert_int_equal(TDMR_ALIGNMENT, 0x40000000ULL);
	assert_int_equal(TDMR_INFO_ALIGNMENT, 512);
	assert_int_equal(TDMR_INFO_PA_ARRAY_ALIGNMENT, 512);
	assert_int_equal(TDMR_NR_WARN, 4);
	assert_int_equal(TDX_RDRAND_RETRY_LOOPS, 10);
}

/* ---- abi §4.3: PAMT entry ----------------------------------------------- */

static void test_pamt_entry(void **state)
{
	uint64_t e;

	(void)state;
	assert_int_equal(PT_NDA, 0);
	assert_int_equal(PT_RSVD, 1);
	assert_int_equal(PT_REG, 3);
	assert_int_equal(PT_TDR, 4);
	assert_int_equal(PT_TDCX, 5);
	assert_int_equal(PT_TDVPR, 6);
	assert_int_equal(PT_EPT, 8);
	assert_int_equal(TDX_PS_4K, 0);
	assert_int_equal(TDX_PS_2M, 1);
	assert_int_equal(TDX_PS_1G, 2);

	/* owner = bits 51:12 of the TDR PA, stored in bits 63:24 */
	e = pamt_entry_make(PT_TDCX, 0x000FFFFFFFFFF000ULL, 0xABCD);
	assert_int_equal(e & PAMT_ENTRY_LOCK_MASK, 0xABCD);
	assert_int_equal(pamt_entry_pt(e), PT_TDCX);
	assert_int_equal((e >> 16) & 0xFF, 5);
	assert_int_equal(e >> 24, 0xFFFFFFFFFFULL);
	assert_int_equal(pamt_entry_owner_pa(e), 0x000FFFFFFFFFF000ULL);
	e = pamt_entry_make(PT_REG, 0x123456000ULL, 0);
	assert_int_equal(e, (0x123456ULL << 24) | (3ULL << 16));
	assert_int_equal(pamt_entry_owner_pa(e), 0x123456000ULL);
}

/* ---- abi §1.1, §3.1, §5.2 ----------------------------------------------- */

static void test_rax_and_states(void **state)
{
	(void)state;
	assert_int_equal(TDX_LEAF_MASK, 0xFFFF);
	assert_int_equal(TDX_VERSION_SHIFT, 16);
	assert_int_equal(TDX_VERSION_MASK, 0xFF);
	assert_int_equal(TDX_RAX_RESERVED_MASK, 0xFFFFFFFFFF000000ULL);
	assert_int_equal(TDX_RAX_RESERVED_MASK & (TDX_LEAF_MASK | (TDX_VERSION_MASK << 16)), 0);
	/* linux §1.3: VP.INIT issued as RAX = 22 | 1 << 16 */
	assert_int_equal(tdx_rax(TDH_VP_INIT, 1), 22 | (1 << 16));
	assert_int_equal(tdx_rax_leaf(0x1000016ULL), 22);
	assert_int_equal(tdx_rax_version(0x10016ULL), 1);

	assert_int_equal(SYSINIT_PENDING, 0);
	assert_int_equal(SYSINIT_DONE, 1);
	assert_int_equal(SYSCONFIG_DONE, 2);
	assert_int_equal(SYS_READY, 3);
	assert_int_equal(SYS_SHUTDOWN, 4);
	assert_int_equal(KOT_STATE_HKID_RESERVED, 3);
	assert_int_equal(TD_TEARDOWN, 3);
	assert_int_equal(OP_STATE_FAILED_IMPORT, 10);
	assert_int_equal(VCPU_IMPORT, 0x10);
	assert_int_equal(VCPU_READY, 2);

	assert_int_equal(TDH_SYS_KEY_CONFIG, 31);
	assert_int_equal(TDH_SYS_INFO, 32);
	assert_int_equal(TDH_SYS_INIT, 33);
	assert_int_equal(TDH_SYS_RD, 34);
	assert_int_equal(TDH_SYS_LP_INIT, 35);
	assert_int_equal(TDH_SYS_TDMR_INIT, 36);
	assert_int_equal(TDH_SYS_RDALL, 37);
	assert_int_equal(TDH_SYS_CONFIG, 45);
	assert_int_equal(TDH_SYS_SHUTDOWN, 52);
	assert_int_equal(TDH_MEM_SEPT_WR, 42);
	assert_int_equal(TDH_MIG_STREAM_CREATE, 96);
	assert_int_equal(TDG_VP_INVVPID, 27);
}

/* ---- abi §2.2: status values, literally --------------------------------- */

struct lit {
	uint64_t macro;
	uint64_t literal;
	const char *name;
};

static const struct lit status_literals[] = {
	{ TDX_SUCCESS, 0x0000000000000000ULL, "TDX_SUCCESS" },
	{ TDX_NON_RECOVERABLE_VCPU, 0x4000000100000000ULL, "TDX_NON_RECOVERABLE_VCPU" },
	{ TDX_NON_RECOVERABLE_TD, 0x6000000200000000ULL, "TDX_NON_RECOVERABLE_TD" },
	{ TDX_INTERRUPTED_RESUMABLE, 0x8000000300000000ULL, "TDX_INTERRUPTED_RESUMABLE" },
	{ TDX_INTERRUPTED_RESTARTABLE, 0x8000000400000000ULL, "TDX_INTERRUPTED_RESTARTABLE" },
	{ TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE, 0x6000000500000000ULL, "TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE" },
	{ TDX_INVALID_RESUMPTION, 0xC000000600000000ULL, "TDX_INVALID_RESUMPTION" },
	{ TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE, 0xE000000700000000ULL, "TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE" },
	{ TDX_CROSS_TD_FAULT, 0x8000000800000000ULL, "TDX_CROSS_TD_FAULT" },
	{ TDX_CROSS_TD_TRAP, 0x9000000900000000ULL, "TDX_CROSS_TD_TRAP" },
	{ TDX_NON_RECOVERABLE_TD_CORRUPTED_MD, 0x6000000A00000000ULL, "TDX_NON_RECOVERABLE_TD_CORRUPTED_MD" },
	{ TDX_OPERAND_INVALID, 0xC000010000000000ULL, "TDX_OPERAND_INVALID" },
	{ TDX_OPERAND_ADDR_RANGE_ERROR, 0xC000010100000000ULL, "TDX_OPERAND_ADDR_RANGE_ERROR" },
	{ TDX_OPERAND_BUSY, 0x8000020000000000ULL, "TDX_OPERAND_BUSY" },
	{ TDX_PREVIOUS_TLB_EPOCH_BUSY, 0x8000020100000000ULL, "TDX_PREVIOUS_TLB_EPOCH_BUSY" },
	{ TDX_SYS_BUSY, 0x8000020200000000ULL, "TDX_SYS_BUSY" },
	{ TDX_RND_NO_ENTROPY, 0x8000020300000000ULL, "TDX_RND_NO_ENTROPY" },
	{ TDX_OPERAND_BUSY_HOST_PRIORITY, 0x8000020400000000ULL, "TDX_OPERAND_BUSY_HOST_PRIORITY" },
	{ TDX_HOST_PRIORITY_BUSY_TIMEOUT, 0x9000020500000000ULL, "TDX_HOST_PRIORITY_BUSY_TIMEOUT" },
	{ TDX_PAGE_METADATA_INCORRECT, 0xC000030000000000ULL, "TDX_PAGE_METADATA_INCORRECT" },
	{ TDX_PAGE_ALREADY_FREE, 0x0000030100000000ULL, "TDX_PAGE_ALREADY_FREE" },
	{ TDX_PAGE_NOT_OWNED_BY_TD, 0xC000030200000000ULL, "TDX_PAGE_NOT_OWNED_BY_TD" },
	{ TDX_PAGE_NOT_FREE, 0xC000030300000000ULL, "TDX_PAGE_NOT_FREE" },
	{ TDX_TD_ASSOCIATED_PAGES_EXIST, 0xC000040000000000ULL, "TDX_TD_ASSOCIATED_PAGES_EXIST" },
	{ TDX_SYS_INIT_NOT_PENDING, 0xC000050000000000ULL, "TDX_SYS_INIT_NOT_PENDING" },
	{ TDX_SYS_LP_INIT_NOT_DONE, 0xC000050200000000ULL, "TDX_SYS_LP_INIT_NOT_DONE" },
	{ TDX_SYS_LP_INIT_DONE, 0xC000050300000000ULL, "TDX_SYS_LP_INIT_DONE" },
	{ TDX_SYS_NOT_READY, 0xC000050500000000ULL, "TDX_SYS_NOT_READY" },
	{ TDX_SYS_SHUTDOWN, 0xC000050600000000ULL, "TDX_SYS_SHUTDOWN" },
	{ TDX_SYS_KEY_CONFIG_NOT_PENDING, 0xC000050700000000ULL, "TDX_SYS_KEY_CONFIG_NOT_PENDING" },
	{ TDX_SYS_STATE_INCORRECT, 0xC000050800000000ULL, "TDX_SYS_STATE_INCORRECT" },
	{ TDX_SYS_INVALID_HANDOFF, 0xC000050900000000ULL, "TDX_SYS_INVALID_HANDOFF" },
	{ TDX_SYS_INCOMPATIBLE_SIGSTRUCT, 0xC000050A00000000ULL, "TDX_SYS_INCOMPATIBLE_SIGSTRUCT" },
	{ TDX_SYS_LP_INIT_NOT_PENDING, 0xC000050B00000000ULL, "TDX_SYS_LP_INIT_NOT_PENDING" },
	{ TDX_SYS_CONFIG_NOT_PENDING, 0xC000050C00000000ULL, "TDX_SYS_CONFIG_NOT_PENDING" },
	{ TDX_INCOMPATIBLE_SEAM_CAPABILITIES, 0xC000050D00000000ULL, "TDX_INCOMPATIBLE_SEAM_CAPABILITIES" },
	{ TDX_TD_FATAL, 0xE000060400000000ULL, "TDX_TD_FATAL" },
	{ TDX_TD_NON_DEBUG, 0xC000060500000000ULL, "TDX_TD_NON_DEBUG" },
	{ TDX_TDCS_NOT_ALLOCATED, 0xC000060600000000ULL, "TDX_TDCS_NOT_ALLOCATED" },
	{ TDX_LIFECYCLE_STATE_INCORRECT, 0xC000060700000000ULL, "TDX_LIFECYCLE_STATE_INCORRECT" },
	{ TDX_OP_STATE_INCORRECT, 0xC000060800000000ULL, "TDX_OP_STATE_INCORRECT" },
	{ TDX_NO_VCPUS, 0xC000060900000000ULL, "TDX_NO_VCPUS" },
	{ TDX_TDCX_NUM_INCORRECT, 0xC000061000000000ULL, "TDX_TDCX_NUM_INCORRECT" },
	{ TDX_VCPU_STATE_INCORRECT, 0xC000070000000000ULL, "TDX_VCPU_STATE_INCORRECT" },
	{ TDX_VCPU_ASSOCIATED, 0x8000070100000000ULL, "TDX_VCPU_ASSOCIATED" },
	{ TDX_VCPU_NOT_ASSOCIATED, 0x8000070200000000ULL, "TDX_VCPU_NOT_ASSOCIATED" },
	{ TDX_NO_VALID_VE_INFO, 0xC000070400000000ULL, "TDX_NO_VALID_VE_INFO" },
	{ TDX_MAX_VCPUS_EXCEEDED, 0xC000070500000000ULL, "TDX_MAX_VCPUS_EXCEEDED" },
	{ TDX_TSC_ROLLBACK, 0xC000070600000000ULL, "TDX_TSC_ROLLBACK" },
	{ TDX_TD_VMCS_FIELD_NOT_INITIALIZED, 0xC000073000000000ULL, "TDX_TD_VMCS_FIELD_NOT_INITIALIZED" },
	{ TDX_TD_VMCS_FIELD_ERROR, 0xC000073100000000ULL, "TDX_TD_VMCS_FIELD_ERROR" },
	{ TDX_KEY_GENERATION_FAILED, 0x8000080000000000ULL, "TDX_KEY_GENERATION_FAILED" },
	{ TDX_TD_KEYS_NOT_CONFIGURED, 0x8000081000000000ULL, "TDX_TD_KEYS_NOT_CONFIGURED" },
	{ TDX_KEY_STATE_INCORRECT, 0xC000081100000000ULL, "TDX_KEY_STATE_INCORRECT" },
	{ TDX_KEY_CONFIGURED, 0x0000081500000000ULL, "TDX_KEY_CONFIGURED" },
	{ TDX_WBCACHE_NOT_COMPLETE, 0x8000081700000000ULL, "TDX_WBCACHE_NOT_COMPLETE" },
	{ TDX_HKID_NOT_FREE, 0xC000082000000000ULL, "TDX_HKID_NOT_FREE" },
	{ TDX_NO_HKID_READY_TO_WBCACHE, 0x0000082100000000ULL, "TDX_NO_HKID_READY_TO_WBCACHE" },
	{ TDX_WBCACHE_RESUME_ERROR, 0xC000082300000000ULL, "TDX_WBCACHE_RESUME_ERROR" },
	{ TDX_FLUSHVP_NOT_DONE, 0x8000082400000000ULL, "TDX_FLUSHVP_NOT_DONE" },
	{ TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED, 0xC000082500000000ULL, "TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED" },
	{ TDX_INCORRECT_CPUID_VALUE, 0xC000090000000000ULL, "TDX_INCORRECT_CPUID_VALUE" },
	{ TDX_LIMIT_CPUID_MAXVAL_SET, 0xC000090100000000ULL, "TDX_LIMIT_CPUID_MAXVAL_SET" },
	{ TDX_INCONSISTENT_CPUID_FIELD, 0xC000090200000000ULL, "TDX_INCONSISTENT_CPUID_FIELD" },
	{ TDX_CPUID_MAX_SUBLEAVES_UNRECOGNIZED, 0xC000090300000000ULL, "TDX_CPUID_MAX_SUBLEAVES_UNRECOGNIZED" },
	{ TDX_CPUID_LEAF_1F_FORMAT_UNRECOGNIZED, 0xC000090400000000ULL, "TDX_CPUID_LEAF_1F_FORMAT_UNRECOGNIZED" },
	{ TDX_INVALID_WBINVD_SCOPE, 0xC000090500000000ULL, "TDX_INVALID_WBINVD_SCOPE" },
	{ TDX_INVALID_PKG_ID, 0xC000090600000000ULL, "TDX_INVALID_PKG_ID" },
	{ TDX_ENABLE_MONITOR_FSM_NOT_SET, 0xC000090700000000ULL, "TDX_ENABLE_MONITOR_FSM_NOT_SET" },
	{ TDX_CPUID_LEAF_NOT_SUPPORTED, 0xC000090800000000ULL, "TDX_CPUID_LEAF_NOT_SUPPORTED" },
	{ TDX_SMRR_NOT_LOCKED, 0xC000091000000000ULL, "TDX_SMRR_NOT_LOCKED" },
	{ TDX_INVALID_SMRR_CONFIGURATION, 0xC000091100000000ULL, "TDX_INVALID_SMRR_CONFIGURATION" },
	{ TDX_SMRR_OVERLAPS_CMR, 0xC000091200000000ULL, "TDX_SMRR_OVERLAPS_CMR" },
	{ TDX_SMRR_LOCK_NOT_SUPPORTED, 0xC000091300000000ULL, "TDX_SMRR_LOCK_NOT_SUPPORTED" },
	{ TDX_SMRR_NOT_SUPPORTED, 0xC000091400000000ULL, "TDX_SMRR_NOT_SUPPORTED" },
	{ TDX_INCONSISTENT_MSR, 0xC000092000000000ULL, "TDX_INCONSISTENT_MSR" },
	{ TDX_INCORRECT_MSR_VALUE, 0xC000092100000000ULL, "TDX_INCORRECT_MSR_VALUE" },
	{ TDX_SEAMREPORT_NOT_AVAILABLE, 0xC000093000000000ULL, "TDX_SEAMREPORT_NOT_AVAILABLE" },
	{ TDX_SEAMDB_GETREF_NOT_AVAILABLE, 0xC000093100000000ULL, "TDX_SEAMDB_GETREF_NOT_AVAILABLE" },
	{ TDX_SEAMDB_REPORT_NOT_AVAILABLE, 0xC000093200000000ULL, "TDX_SEAMDB_REPORT_NOT_AVAILABLE" },
	{ TDX_SEAMVERIFYREPORT_NOT_AVAILABLE, 0xC000093300000000ULL, "TDX_SEAMVERIFYREPORT_NOT_AVAILABLE" },
	{ TDX_INVALID_TDMR, 0xC0000A0000000000ULL, "TDX_INVALID_TDMR" },
	{ TDX_NON_ORDERED_TDMR, 0xC0000A0100000000ULL, "TDX_NON_ORDERED_TDMR" },
	{ TDX_TDMR_OUTSIDE_CMRS, 0xC0000A0200000000ULL, "TDX_TDMR_OUTSIDE_CMRS" },
	{ TDX_TDMR_ALREADY_INITIALIZED, 0x00000A0300000000ULL, "TDX_TDMR_ALREADY_INITIALIZED" },
	{ TDX_INVALID_PAMT, 0xC0000A1000000000ULL, "TDX_INVALID_PAMT" },
	{ TDX_PAMT_OUTSIDE_CMRS, 0xC0000A1100000000ULL, "TDX_PAMT_OUTSIDE_CMRS" },
	{ TDX_PAMT_OVERLAP, 0xC0000A1200000000ULL, "TDX_PAMT_OVERLAP" },
	{ TDX_INVALID_RESERVED_IN_TDMR, 0xC0000A2000000000ULL, "TDX_INVALID_RESERVED_IN_TDMR" },
	{ TDX_NON_ORDERED_RESERVED_IN_TDMR, 0xC0000A2100000000ULL, "TDX_NON_ORDERED_RESERVED_IN_TDMR" },
	{ TDX_CMR_LIST_INVALID, 0xC0000A2200000000ULL, "TDX_CMR_LIST_INVALID" },
	{ TDX_EPT_WALK_FAILED, 0xC0000B0000000000ULL, "TDX_EPT_WALK_FAILED" },
	{ TDX_EPT_ENTRY_FREE, 0xC0000B0100000000ULL, "TDX_EPT_ENTRY_FREE" },
	{ TDX_EPT_ENTRY_NOT_FREE, 0xC0000B0200000000ULL, "TDX_EPT_ENTRY_NOT_FREE" },
	{ TDX_EPT_ENTRY_NOT_PRESENT, 0xC0000B0300000000ULL, "TDX_EPT_ENTRY_NOT_PRESENT" },
	{ TDX_EPT_ENTRY_NOT_LEAF, 0xC0000B0400000000ULL, "TDX_EPT_ENTRY_NOT_LEAF" },
	{ TDX_EPT_ENTRY_LEAF, 0xC0000B0500000000ULL, "TDX_EPT_ENTRY_LEAF" },
	{ TDX_GPA_RANGE_NOT_BLOCKED, 0xC0000B0600000000ULL, "TDX_GPA_RANGE_NOT_BLOCKED" },
	{ TDX_GPA_RANGE_ALREADY_BLOCKED, 0x00000B0700000000ULL, "TDX_GPA_RANGE_ALREADY_BLOCKED" },
	{ TDX_TLB_TRACKING_NOT_DONE, 0xC0000B0800000000ULL, "TDX_TLB_TRACKING_NOT_DONE" },
	{ TDX_EPT_INVALID_PROMOTE_CONDITIONS, 0xC0000B0900000000ULL, "TDX_EPT_INVALID_PROMOTE_CONDITIONS" },
	{ TDX_PAGE_ALREADY_ACCEPTED, 0x00000B0A00000000ULL, "TDX_PAGE_ALREADY_ACCEPTED" },
	{ TDX_PAGE_SIZE_MISMATCH, 0xC0000B0B00000000ULL, "TDX_PAGE_SIZE_MISMATCH" },
	{ TDX_GPA_RANGE_BLOCKED, 0xC0000B0C00000000ULL, "TDX_GPA_RANGE_BLOCKED" },
	{ TDX_EPT_ENTRY_STATE_INCORRECT, 0xC0000B0D00000000ULL, "TDX_EPT_ENTRY_STATE_INCORRECT" },
	{ TDX_EPT_PAGE_NOT_FREE, 0xC0000B0E00000000ULL, "TDX_EPT_PAGE_NOT_FREE" },
	{ TDX_L2_SEPT_WALK_FAILED, 0xC0000B0F00000000ULL, "TDX_L2_SEPT_WALK_FAILED" },
	{ TDX_L2_SEPT_ENTRY_NOT_FREE, 0xC0000B1000000000ULL, "TDX_L2_SEPT_ENTRY_NOT_FREE" },
	{ TDX_PAGE_ATTR_INVALID, 0xC0000B1100000000ULL, "TDX_PAGE_ATTR_INVALID" },
	{ TDX_L2_SEPT_PAGE_NOT_PROVIDED, 0xC0000B1200000000ULL, "TDX_L2_SEPT_PAGE_NOT_PROVIDED" },
	{ TDX_METADATA_FIELD_ID_INCORRECT, 0xC0000C0000000000ULL, "TDX_METADATA_FIELD_ID_INCORRECT" },
	{ TDX_METADATA_FIELD_NOT_WRITABLE, 0xC0000C0100000000ULL, "TDX_METADATA_FIELD_NOT_WRITABLE" },
	{ TDX_METADATA_FIELD_NOT_READABLE, 0xC0000C0200000000ULL, "TDX_METADATA_FIELD_NOT_READABLE" },
	{ TDX_METADATA_FIELD_VALUE_NOT_VALID, 0xC0000C0300000000ULL, "TDX_METADATA_FIELD_VALUE_NOT_VALID" },
	{ TDX_METADATA_LIST_OVERFLOW, 0xC0000C0400000000ULL, "TDX_METADATA_LIST_OVERFLOW" },
	{ TDX_INVALID_METADATA_LIST_HEADER, 0xC0000C0500000000ULL, "TDX_INVALID_METADATA_LIST_HEADER" },
	{ TDX_REQUIRED_METADATA_FIELD_MISSING, 0xC0000C0600000000ULL, "TDX_REQUIRED_METADATA_FIELD_MISSING" },
	{ TDX_METADATA_ELEMENT_SIZE_INCORRECT, 0xC0000C0700000000ULL, "TDX_METADATA_ELEMENT_SIZE_INCORRECT" },
	{ TDX_METADATA_LAST_ELEMENT_INCORRECT, 0xC0000C0800000000ULL, "TDX_METADATA_LAST_ELEMENT_INCORRECT" },
	{ TDX_METADATA_FIELD_CURRENTLY_NOT_WRITABLE, 0xC0000C0900000000ULL, "TDX_METADATA_FIELD_CURRENTLY_NOT_WRITABLE" },
	{ TDX_METADATA_WR_MASK_NOT_VALID, 0xC0000C0A00000000ULL, "TDX_METADATA_WR_MASK_NOT_VALID" },
	{ TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT, 0x00000C0B00000000ULL, "TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT" },
	{ TDX_METADATA_FIELD_SKIP, 0x00000C0C00000000ULL, "TDX_METADATA_FIELD_SKIP" },
	{ TDX_INVALID_CPUSVN, 0xC000100000000000ULL, "TDX_INVALID_CPUSVN" },
	{ TDX_INVALID_REPORTMACSTRUCT, 0xC000100100000000ULL, "TDX_INVALID_REPORTMACSTRUCT" },
	{ TDX_L2_EXIT_HOST_ROUTED_ASYNC, 0x0000110000000000ULL, "TDX_L2_EXIT_HOST_ROUTED_ASYNC" },
	{ TDX_L2_EXIT_HOST_ROUTED_TDVMCALL, 0x0000110100000000ULL, "TDX_L2_EXIT_HOST_ROUTED_TDVMCALL" },
	{ TDX_L2_EXIT_PENDING_INTERRUPT, 0x0000110200000000ULL, "TDX_L2_EXIT_PENDING_INTERRUPT" },
	{ TDX_PENDING_INTERRUPT, 0x0000112000000000ULL, "TDX_PENDING_INTERRUPT" },
	{ TDX_TD_EXIT_BEFORE_L2_ENTRY, 0x0000114000000000ULL, "TDX_TD_EXIT_BEFORE_L2_ENTRY" },
	{ TDX_TD_EXIT_ON_L2_VM_EXIT, 0x0000114100000000ULL, "TDX_TD_EXIT_ON_L2_VM_EXIT" },
	{ TDX_TD_EXIT_ON_L2_TO_L1, 0x0000114200000000ULL, "TDX_TD_EXIT_ON_L2_TO_L1" },
	{ TDX_GLA_NOT_CANONICAL, 0xC000116000000000ULL, "TDX_GLA_NOT_CANONICAL" },
	/* service TD / migration patterns, abi §2.2 */
	{ TDX_SERVTD_ALREADY_BOUND_FOR_TYPE, 0xC0000D0000000000ULL, "TDX_SERVTD_ALREADY_BOUND_FOR_TYPE" },
	{ TDX_TARGET_UUID_UPDATED, 0xC0000D0800000000ULL, "TDX_TARGET_UUID_UPDATED" },
	{ TDX_INVALID_MBMD, 0xC0000E0000000000ULL, "TDX_INVALID_MBMD" },
	{ TDX_ALREADY_WRITE_BLOCKED, 0x00000E0300000000ULL, "TDX_ALREADY_WRITE_BLOCKED" },
	{ TDX_TD_NOT_MIGRATABLE, 0xC0000E0900000000ULL, "TDX_TD_NOT_MIGRATABLE" },
	{ TDX_INVALID_MIGRATION_DECRYPTION_KEY, 0xC0000E1600000000ULL,
	  "TDX_INVALID_MIGRATION_DECRYPTION_KEY" },
	/* linux §2.2, §2.3 */
	{ TDX_SW_ERROR, 0x8000FF0000000000ULL, "TDX_SW_ERROR" },
	{ TDX_SEAMCALL_VMFAILINVALID, 0x8000FF00FFFF0000ULL, "TDX_SEAMCALL_VMFAILINVALID" },
	{ TDX_SEAMCALL_GP, 0x8000FF000000000DULL, "TDX_SEAMCALL_GP" },
	{ TDX_SEAMCALL_UD, 0x8000FF0000000006ULL, "TDX_SEAMCALL_UD" },
	{ TDX_UPDATE_COMPAT_SENSITIVE, 0x8000051200000000ULL, "TDX_UPDATE_COMPAT_SENSITIVE" },
};

static void test_status_literals(void **state)
{
	size_t i;
	uint64_t v;

	(void)state;
	for (i = 0; i < sizeof(status_literals) / sizeof(status_literals[0]); i++) {
		const struct lit *l = &status_literals[i];

		assert_int_equal(l->macro, l->literal);
		assert_non_null(tdx_status_name(l->literal));
		assert_string_equal(tdx_status_name(l->literal), l->name);
		assert_true(tdx_status_parse(l->name, &v));
		assert_int_equal(v, l->literal);
	}

	/* Informational codes have bit 63 clear (abi §2.2, §9). */
	assert_int_equal(TDX_KEY_CONFIGURED, 0x0000081500000000ULL);
	assert_false(tdx_status_is_error(TDX_KEY_CONFIGURED));
	assert_false(tdx_status_is_error(TDX_TDMR_ALREADY_INITIALIZED));
	assert_false(tdx_status_is_error(TDX_GPA_RANGE_ALREADY_BLOCKED));
	assert_false(tdx_status_is_error(TDX_PAGE_ALREADY_ACCEPTED));
	assert_false(tdx_status_is_error(TDX_NO_HKID_READY_TO_WBCACHE));
	assert_false(tdx_status_is_error(TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT));
	assert_false(tdx_status_is_error(TDX_SUCCESS));
	assert_true(tdx_status_is_error(TDX_SYS_BUSY));
	assert_true(tdx_status_is_error(TDX_OPERAND_INVALID));

	/* Module values, not Linux's (linux §2.4). */
	assert_int_equal(TDX_NON_RECOVERABLE_TD, 0x6000000200000000ULL);
	assert_int_equal(TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE, 0xE000000700000000ULL);
	assert_int_equal(TDX_NON_RECOVERABLE_TD_LINUX, 0x4000000200000000ULL);
	assert_int_equal(TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE_LINUX, 0x6000000700000000ULL);

	/* abi §1.1: reserved RAX bits give TDX_OPERAND_INVALID | RAX = 0xC000010000000000 */
	assert_int_equal(tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX),
			 0xC000010000000000ULL);
	/* linux §2.6 */
	assert_int_equal(tdx_status_with_operand(TDX_EPT_ENTRY_STATE_INCORRECT,
						 TDX_OPERAND_ID_RCX),
			 0xC0000B0D00000001ULL);
	assert_int_equal(tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT),
			 0x8000020000000092ULL);
	assert_int_equal(TDX_SEAMCALL_STATUS_MASK, 0xFFFFFFFF00000000ULL);
	assert_true(tdx_status_is_sw_error(TDX_SEAMCALL_GP));
	assert_false(tdx_status_is_sw_error(TDX_OPERAND_INVALID));
}

/* ---- abi §2.1: layout and helpers --------------------------------------- */

static void test_status_layout(void **state)
{
	uint64_t s;

	(void)state;
	assert_int_equal(TDX_STATUS_HOST_RECOVERABILITY_HINT, 0x1000000000000000ULL);
	assert_int_equal(TDX_STATUS_FATAL, 0x2000000000000000ULL);
	assert_int_equal(TDX_STATUS_NON_RECOVERABLE, 0x4000000000000000ULL);
	assert_int_equal(TDX_STATUS_ERROR, 0x8000000000000000ULL);

	assert_int_equal(tdx_status_class(TDX_SUCCESS), 0x00);
	assert_int_equal(tdx_status_class(TDX_OPERAND_INVALID), 0x01);
	assert_int_equal(tdx_status_class(TDX_SYS_BUSY), 0x02);
	assert_int_equal(tdx_status_class(TDX_SYS_NOT_READY), 0x05);
	assert_int_equal(tdx_status_class(TDX_KEY_CONFIGURED), 0x08);
	assert_int_equal(tdx_status_class(TDX_INVALID_PAMT), 0x0A);
	assert_int_equal(tdx_status_class(TDX_METADATA_FIELD_ID_INCORRECT), 0x0C);
	assert_int_equal(tdx_status_class(TDX_SERVTD_BOUND), 0x0D);
	assert_int_equal(tdx_status_class(TDX_ALREADY_WRITE_BLOCKED), 0x0E);
	assert_int_equal(tdx_status_class(TDX_INVALID_CPUSVN), 0x10);
	assert_int_equal(tdx_status_class(TDX_GLA_NOT_CANONICAL), 0x11);
	assert_int_equal(tdx_status_class(TDX_SEAMCALL_UD), 0xFF);
	assert_int_equal(tdx_status_class(tdx_status_with_operand(TDX_OPERAND_BUSY, 187)), 0x02);
	assert_int_equal(tdx_status_details_l1(TDX_KEY_CONFIGURED), 0x15);
	assert_int_equal(tdx_status_details_l1(TDX_SYS_LP_INIT_NOT_PENDING), 0x0B);

	/* api_error_with_multiple_info: b0 7:0, b1 15:8, b2 23:16, b3 31:24 */
	s = tdx_status_with_info(TDX_PAMT_OVERLAP, 0x11, 0x22, 0x33, 0x44);
	assert_int_equal(s, 0xC0000A1244332211ULL);
	s = tdx_status_with_info(TDX_INVALID_PAMT, 3, TDX_PS_1G, 0, 0);
	assert_int_equal(s, 0xC0000A1000000203ULL);
	assert_int_equal(tdx_status_base(s), TDX_INVALID_PAMT);
	assert_int_equal(tdx_status_operand(s), 0x203);

	s = tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	assert_int_equal(s, 0xC000010000000001ULL);
	assert_int_equal(tdx_status_operand(s), 1);
	assert_int_equal(tdx_status_base(s), TDX_OPERAND_INVALID);
	assert_int_equal(tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KET),
			 0x80000200000000BBULL);
	assert_int_equal(tdx_status_with_operand_fatal(TDX_OPERAND_INVALID, 1),
			 0xE000010000000001ULL);
	assert_int_equal(tdx_status_with_l2_details(TDX_SUCCESS, 0x1234, 0x5678),
			 0x12345678ULL);
}

/* ---- name tables: leaves ------------------------------------------------ */

static void check_leaf_table(const char *(*name_fn)(unsigned),
			     bool (*parse_fn)(const char *, unsigned *),
			     unsigned expected_count)
{
	unsigned leaf, got, count = 0;
	char buf[64];
	size_t i;

	for (leaf = 0; leaf <= 0xFFFF; leaf++) {
		const char *name = name_fn(leaf);

		if (name == NULL)
			continue;
		count++;
		got = ~0u;
		assert_true(parse_fn(name, &got));
		assert_int_equal(got, leaf);

		/* underscore form, lower case */
		assert_true(strlen(name) < sizeof(buf));
		for (i = 0; name[i] != '\0'; i++)
			buf[i] = name[i] == '.' ? '_' : name[i];
		buf[i] = '\0';
		got = ~0u;
		assert_true(parse_fn(buf, &got));
		assert_int_equal(got, leaf);
		lower_copy(buf, sizeof(buf), name);
		got = ~0u;
		assert_true(parse_fn(buf, &got));
		assert_int_equal(got, leaf);

		/* prefixes and extensions are not names */
		memcpy(buf, name, strlen(name) - 1);
		buf[strlen(name) - 1] = '\0';
		assert_false(parse_fn(buf, &got));
		snprintf(buf, sizeof(buf), "%sX", name);
		assert_false(parse_fn(buf, &got));
	}
	assert_int_equal(count, expected_count);
}

static void test_leaf_names(void **state)
{
	unsigned leaf;

	(void)state;
	/* abi §1.2: 50 numbered + 19 service-TD/migration + TDDEBUGCONFIG;
	 * plus [newer] PAMT.ADD/REMOVE and linux SYS.DISABLE */
	check_leaf_table(tdx_leaf_name, tdx_leaf_parse, 50 + 19 + 1 + 3);
	check_leaf_table(tdg_leaf_name, tdg_leaf_parse, 21);

	assert_string_equal(tdx_leaf_name(TDH_SYS_INIT), "TDH.SYS.INIT");
	assert_string_equal(tdx_leaf_name(0), "TDH.VP.ENTER");
	assert_string_equal(tdx_leaf_name(24), "TDH.PHYMEM.PAGE.RDMD");
	assert_string_equal(tdx_leaf_name(31), "TDH.SYS.KEY.CONFIG");
	assert_string_equal(tdx_leaf_name(36), "TDH.SYS.TDMR.INIT");
	assert_string_equal(tdx_leaf_name(42), "TDH.MEM.SEPT.WR");
	assert_string_equal(tdx_leaf_name(72), "TDH.EXPORT.STATE.IMMUTABLE");
	assert_string_equal(tdx_leaf_name(96), "TDH.MIG.STREAM.CREATE");
	assert_string_equal(tdx_leaf_name(0xFE), "TDDEBUGCONFIG");
	assert_string_equal(tdg_leaf_name(24), "TDG.MEM.PAGE.ATTR.WR");
	assert_string_equal(tdg_leaf_name(0), "TDG.VP.VMCALL");
	/* abi §1.1: unknown leaves */
	assert_null(tdx_leaf_name(46));
	assert_null(tdx_leaf_name(47));
	assert_null(tdx_leaf_name(50));
	assert_null(tdx_leaf_name(51));
	assert_null(tdx_leaf_name(54));
	assert_null(tdx_leaf_name(63));
	assert_null(tdg_leaf_name(13));

	assert_true(tdx_leaf_parse("tdh.sys.lp.init", &leaf));
	assert_int_equal(leaf, 35);
	assert_true(tdx_leaf_parse("TDH_SYS_CONFIG", &leaf));
	assert_int_equal(leaf, 45);
	assert_false(tdx_leaf_parse("TDH.SYS.BOGUS", &leaf));
	assert_false(tdx_leaf_parse("", &leaf));
	assert_false(tdx_leaf_parse(NULL, &leaf));
	assert_false(tdx_leaf_parse("TDH.SYS.INIT ", &leaf));
	assert_false(tdx_leaf_parse("TDG.VP.VMCALL", &leaf));
	assert_false(tdg_leaf_parse("TDH.VP.ENTER", &leaf));
}

/* ---- name tables: statuses ---------------------------------------------- */

static void test_status_names(void **state)
{
	size_t i, n = 0, n_plain = 0, hits = 0;
	const char *name;
	uint64_t v, got;
	char buf[96];

	(void)state;
	for (i = 0; tdx_status_at(i, &name, &v); i++) {
		n++;
		if ((v & TDX_STATUS_OPERAND_MASK) == 0)
			n_plain++;
		assert_non_null(tdx_status_name(v));
		assert_string_equal(tdx_status_name(v), name);
		assert_true(tdx_status_parse(name, &got));
		assert_int_equal(got, v);
		lower_copy(buf, sizeof(buf), name);
		assert_true(tdx_status_parse(buf, &got));
		assert_int_equal(got, v);
		assert_string_equal(tdx_status_format(v, buf, sizeof(buf)), name);
	}
	assert_true(n >= 165);

	/* Brute force over top nibble, class and details_l1. */
	for (v = 0; v < 16 * 256 * 256; v++) {
		uint64_t s = ((v >> 16) << 60) | (((v >> 8) & 0xFF) << 40) | ((v & 0xFF) << 32);

		name = tdx_status_name(s);
		if (name == NULL)
			continue;
		hits++;
		assert_true(tdx_status_parse(name, &got));
		assert_int_equal(got, s);
	}
	assert_int_equal(hits, n_plain);

	/* Exact match first, then masked. */
	assert_string_equal(tdx_status_name(TDX_SEAMCALL_UD), "TDX_SEAMCALL_UD");
	assert_string_equal(tdx_status_name(TDX_SEAMCALL_GP), "TDX_SEAMCALL_GP");
	assert_string_equal(tdx_status_name(TDX_SEAMCALL_VMFAILINVALID),
			    "TDX_SEAMCALL_VMFAILINVALID");
	assert_string_equal(tdx_status_name(TDX_SW_ERROR | 0xE), "TDX_SW_ERROR");
	assert_string_equal(tdx_status_name(TDX_OPERAND_INVALID | 1), "TDX_OPERAND_INVALID");
	assert_string_equal(tdx_status_name(TDX_TD_VMCS_FIELD_ERROR), "TDX_TD_VMCS_FIELD_ERROR");
	assert_null(tdx_status_name(0xC0001F0000000000ULL));

	/* Unknown or malformed names are rejected. */
	assert_false(tdx_status_parse("TDX_LP_NOT_READY", &got));        /* abi §2.2 */
	assert_false(tdx_status_parse("TDX_KEYID_NOT_AVAILABLE", &got)); /* abi §2.2 */
	assert_false(tdx_status_parse("TDX_SYS", &got));
	assert_false(tdx_status_parse("SYS_BUSY", &got));
	assert_false(tdx_status_parse("", &got));
	assert_false(tdx_status_parse(NULL, &got));
	assert_false(tdx_status_parse("TDX_SYS_BUSY|BOGUS", &got));
	assert_false(tdx_status_parse("TDX_SYS_BUSY|", &got));
	assert_false(tdx_status_parse("TDX_SYS_BUSY|0x100000000", &got));
	assert_false(tdx_status_parse("TDX_SEAMCALL_GP|RCX", &got));
	assert_false(tdx_status_parse("BOGUS|RCX", &got));
	assert_false(tdx_status_parse("0xZZ", &got));
}

static void check_format(uint64_t status, const char *expected)
{
	char buf[96];
	uint64_t got = 0;

	assert_string_equal(tdx_status_format(status, buf, sizeof(buf)), expected);
	assert_true(tdx_status_parse(buf, &got));
	assert_int_equal(got, status);
}

static void test_status_format(void **state)
{
	char small[5];
	uint64_t got = 0;

	(void)state;
	check_format(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX, "TDX_OPERAND_INVALID|RCX");
	/* Operand ID RAX is 0, so |RAX cannot be told apart from the bare code. */
	check_format(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX, "TDX_OPERAND_INVALID");
	assert_true(tdx_status_parse("TDX_OPERAND_INVALID|RAX", &got));
	assert_int_equal(got, 0xC000010000000000ULL);
	assert_true(tdx_status_parse("tdx_operand_busy|tdx_operand_id_ket", &got));
	assert_int_equal(got, 0x80000200000000BBULL);
	assert_true(tdx_status_parse("TDX_INVALID_PAMT|258", &got));
	assert_int_equal(got, 0xC0000A1000000102ULL);
	check_format(TDX_OPERAND_BUSY | TDX_OPERAND_ID_KET, "TDX_OPERAND_BUSY|KET");
	check_format(TDX_OPERAND_BUSY | TDX_OPERAND_ID_OP_STATE, "TDX_OPERAND_BUSY|OP_STATE");
	check_format(TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT_TREE, "TDX_OPERAND_BUSY|SEPT_TREE");
	check_format(TDX_SYS_BUSY, "TDX_SYS_BUSY");
	check_format(TDX_SUCCESS, "TDX_SUCCESS");
	check_format(TDX_KEY_CONFIGURED, "TDX_KEY_CONFIGURED");
	check_format(TDX_SEAMCALL_UD, "TDX_SEAMCALL_UD");
	check_format(TDX_SEAMCALL_VMFAILINVALID, "TDX_SEAMCALL_VMFAILINVALID");
	check_format(TDX_SW_ERROR | 0xE, "TDX_SW_ERROR|0xe");
	/* operand IDs that are not in the table */
	check_format(TDX_OPERAND_INVALID | 4, "TDX_OPERAND_INVALID|0x4");
	/* MSR address, SEPT level and TDMR info bytes are not operand IDs */
	check_format(TDX_INCONSISTENT_MSR | MSR_IA32_SPEC_CTRL, "TDX_INCONSISTENT_MSR|0x48");
	check_format(TDX_PAGE_SIZE_MISMATCH | 1, "TDX_PAGE_SIZE_MISMATCH|0x1");
	check_format(tdx_status_with_info(TDX_PAMT_OVERLAP, 2, 1, 0, 0),
		     "TDX_PAMT_OVERLAP|0x102");
	check_format(tdx_status_with_info(TDX_INVALID_TDMR, 0, 0, 0, 0), "TDX_INVALID_TDMR");
	/* unknown codes print as hex */
	check_format(0xC0001F0000000001ULL, "0xc0001f0000000001");
	check_format(0x0000FE0000000000ULL, "0x0000fe0000000000");

	/* truncation is NUL-terminated */
	assert_string_equal(tdx_status_format(TDX_SYS_BUSY, small, sizeof(small)), "TDX_");
	assert_null(tdx_status_format(TDX_SYS_BUSY, NULL, 0));
}

/* ---- name tables: operand IDs ------------------------------------------- */

static void test_operand_names(void **state)
{
	uint32_t id, got;
	unsigned count = 0;
	char buf[96];

	(void)state;
	for (id = 0; id < 1024; id++) {
		const char *name = tdx_operand_id_name(id);

		if (name == NULL)
			continue;
		count++;
		got = ~0u;
		assert_true(tdx_operand_id_parse(name, &got));
		assert_int_equal(got, id);
		lower_copy(buf, sizeof(buf), name);
		got = ~0u;
		assert_true(tdx_operand_id_parse(buf, &got));
		assert_int_equal(got, id);
		snprintf(buf, sizeof(buf), "TDX_OPERAND_ID_%s", name);
		got = ~0u;
		assert_true(tdx_operand_id_parse(buf, &got));
		assert_int_equal(got, id);
	}
	/* abi §2.3: 15 GPRs, 9 TD_PARAMS, 5 pages/lists, 4 control pages,
	 * 4 multi-page, 8 TD-scope, 5 global; [newer] 7 */
	assert_int_equal(count, 15 + 9 + 5 + 4 + 4 + 8 + 5 + 7);

	assert_string_equal(tdx_operand_id_name(1), "RCX");
	assert_string_equal(tdx_operand_id_name(0x80), "TDR");
	assert_string_equal(tdx_operand_id_name(0x92), "SEPT_TREE");
	assert_string_equal(tdx_operand_id_name(0xA9), "TD_EPOCH");
	assert_string_equal(tdx_operand_id_name(96), "TDMR_INFO_PA");
	assert_string_equal(tdx_operand_id_name(172), "OP_STATE");
	assert_string_equal(tdx_operand_id_name(184), "SYS");
	assert_string_equal(tdx_operand_id_name(185), "TDMR");
	assert_string_equal(tdx_operand_id_name(186), "KOT");
	assert_string_equal(tdx_operand_id_name(187), "KET");
	assert_string_equal(tdx_operand_id_name(188), "WBCACHE");
	assert_null(tdx_operand_id_name(4)); /* no RSP */
	assert_false(tdx_operand_id_parse("RSP", &got));
	assert_false(tdx_operand_id_parse("TDX_OPERAND_ID_", &got));
	assert_false(tdx_operand_id_parse("", &got));
	assert_false(tdx_operand_id_parse(NULL, &got));
	assert_false(tdx_operand_id_parse("TDR ", &got));
}

/* ---- metadata field IDs (abi §8) ---------------------------------------- */

static void test_md_encoding(void **state)
{
	(void)state;
	assert_int_equal(MD_FIELD_ID_RESERVED_MASK,
			 (0xFFULL << 24) | (0x7ULL << 47) | (1ULL << 55) | (1ULL << 62));
	assert_int_equal(md_field_code(MD_SYS_MAX_TDMRS), 8);
	assert_int_equal(md_element_size_code(MD_SYS_MAX_TDMRS), 1);
	assert_int_equal(md_element_size_bytes(MD_SYS_MAX_TDMRS), 2);
	assert_int_equal(md_element_size_code(MD_SYS_TDX_FEATURES0), 3);
	assert_int_equal(md_element_size_code(MD_SYS_NO_DOWNGRADE), 0);
	assert_int_equal(md_element_size_code(MD_SYS_NUM_PKGS), 2);
	assert_int_equal(md_context(MD_SYS_MAX_TDMRS), MD_CTX_SYS);
	assert_int_equal(md_class(MD_SYS_MAX_TDMRS), 0x11);
	assert_int_equal(md_non_arch(MD_SYS_MAX_TDMRS), 1);
	assert_int_equal(md_non_arch(MD_SYS_MINOR_VERSION), 0);
	assert_int_equal(md_class(MD_SYS_CMR_BASE), 0x10);
	assert_int_equal(md_field_code(MD_SYS_CMR_SIZE), 0x100);
	assert_int_equal(md_context(MD_TD_TDCS_ATTRIBUTES), MD_CTX_TD);
	assert_int_equal(md_context(MD_TD_TDR_HKID), MD_CTX_TD);
	assert_int_equal(md_context(MD_VP_RAX), MD_CTX_VP);
	assert_int_equal(md_class(MD_VP_RAX), MD_VP_CLASS_GUEST_GPR);
	assert_int_equal(md_class(MD_VP_DR6), MD_VP_CLASS_GUEST_STATE);
	assert_int_equal(md_class(MD_VP_VE_INFO_VALID), MD_VP_CLASS_VE_INFO);
	assert_int_equal(MD_VP_GPR(15), MD_VP_R15);
	assert_int_equal(md_context(MD_VP_VMCS(0x681E)), MD_CTX_VP);
	assert_int_equal(md_class(MD_VP_VMCS(0x681E)), MD_VP_CLASS_VMCS);
	assert_int_equal(md_last_element(0x0000003C00000000ULL), 0xF);
	assert_int_equal(md_last_field(0x00007FC000000000ULL), 0x1FF);
	assert_int_equal(md_inc_size(1ULL << 50), 1);
	assert_int_equal(md_write_mask_valid(1ULL << 51), 1);
	assert_int_equal(MD_FIELD_ID_NULL(MD_CTX_SYS), 0xFF8FFFFFFFFFFFFFULL);
	assert_int_equal(md_context(MD_FIELD_ID_NULL(MD_CTX_VP)), MD_CTX_VP);

	assert_int_equal(MD_SYS_MAX_VCPUS_PER_TD, 0x9900000100000008ULL);
	assert_int_equal(MD_SYS_NUM_PKGS, 0x0000000200000000ULL);
	assert_int_equal(MD_SYS_PKG_FMS, 0x0000000200000001ULL);
	assert_int_equal(MD_SYS_L2_DEBUG_CTLS_FIXED1, 0xA200000300000006ULL);
	assert_int_equal(TDX_FEATURES0_NO_RBP_MOD, 1ULL << 18);
	assert_int_equal(TDX_FEATURES0_DYNAMIC_PAMT, 1ULL << 36);
	assert_int_equal(TDX_ATTRIBUTES_FIXED0,
			 TDX_TD_ATTR_DEBUG | TDX_TD_ATTR_SEPT_VE_DISABLE |
			 TDX_TD_ATTR_MIGRATABLE | TDX_TD_ATTR_PKS | TDX_TD_ATTR_PERFMON);
	assert_int_equal(TDX_CONFIG_FLAGS_FIXED0,
			 TDX_CONFIG_FLAGS_GPAW | TDX_CONFIG_FLAGS_FLEXIBLE_PENDING_VE |
			 TDX_CONFIG_FLAGS_NO_RBP_MOD);
	assert_int_equal(TDX_IA32_ARCH_CAPABILITIES_CONFIG_MASK,
			 (1ULL << 4) | (1ULL << 19) | (1ULL << 20) | (1ULL << 24));
	assert_int_equal(MSR_IA32_MKTME_KEYID_PARTITIONING, 0x87);
	assert_int_equal(MSR_IA32_VMX_VMFUNC, 0x491);
}

static void test_md_sys_names(void **state)
{
	size_t i, j, n = 0;
	const char *name, *name2;
	uint64_t id, got;
	unsigned num, idx;
	char buf[96];

	(void)state;
	for (i = 0; md_sys_field_at(i, &name, &id, &num); i++) {
		n++;
		/* Every SYS field ID is well formed (abi §8.1). */
		assert_int_equal(id & MD_FIELD_ID_RESERVED_MASK, 0);
		assert_int_equal(md_context(id), MD_CTX_SYS);
		assert_int_equal(md_last_element(id), 0);
		assert_int_equal(md_last_field(id), 0);
		assert_true(num >= 1);

		assert_non_null(md_sys_field_name(id));
		assert_string_equal(md_sys_field_name(id), name);
		got = 0;
		assert_true(md_sys_field_parse(name, &got));
		assert_int_equal(got, id);
		snprintf(buf, sizeof(buf), "MD_SYS_%s", name);
		got = 0;
		assert_true(md_sys_field_parse(buf, &got));
		assert_int_equal(got, id);
		lower_copy(buf, sizeof(buf), name);
		got = 0;
		assert_true(md_sys_field_parse(buf, &got));
		assert_int_equal(got, id);

		/* Every element maps back to this field and no other. */
		for (j = 0; j < num; j++) {
			idx = ~0u;
			name2 = md_sys_field_find(id + j, &idx);
			assert_non_null(name2);
			assert_string_equal(name2, name);
			assert_int_equal(idx, j);
			if (num > 1) {
				snprintf(buf, sizeof(buf), "%s[%zu]", name, j);
				assert_true(md_sys_field_parse(buf, &got));
				assert_int_equal(got, id + j);
				if (j > 0)
					assert_null(md_sys_field_name(id + j));
			}
		}
		if (num > 1) {
			snprintf(buf, sizeof(buf), "%s[%u]", name, num);
			assert_false(md_sys_field_parse(buf, &got));
		} else {
			snprintf(buf, sizeof(buf), "%s[0]", name);
			assert_false(md_sys_field_parse(buf, &got));
		}
	}
	/* abi §8.2: 65 fields in the 1.5.01 table + 7 [newer] */
	assert_int_equal(n, 65 + 7);

	assert_string_equal(md_sys_field_name(0x9100000100000008ULL), "MAX_TDMRS");
	assert_string_equal(md_sys_field_name(0x0A00000300000008ULL), "TDX_FEATURES0");
	assert_string_equal(md_sys_field_name(0x9000000300000080ULL), "CMR_BASE");
	assert_null(md_sys_field_name(0x9000000300000081ULL));
	idx = 0;
	assert_string_equal(md_sys_field_find(0x900000030000009FULL, &idx), "CMR_BASE");
	assert_int_equal(idx, 31);
	assert_string_equal(md_sys_field_find(0x9900000300000501ULL, &idx),
			    "CPUID_CONFIG_VALUES");
	assert_int_equal(idx, 1);
	assert_null(md_sys_field_find(0x90000003000000A0ULL, &idx));

	assert_true(md_sys_field_parse("CMR_SIZE[3]", &got));
	assert_int_equal(got, 0x9000000300000103ULL);
	assert_true(md_sys_field_parse("md_sys_max_tdmrs", &got));
	assert_int_equal(got, MD_SYS_MAX_TDMRS);
	assert_false(md_sys_field_parse("MAX_TDMR", &got));
	assert_false(md_sys_field_parse("MIN_KEYID", &got));
	assert_false(md_sys_field_parse("MD_SYS_", &got));
	assert_false(md_sys_field_parse("", &got));
	assert_false(md_sys_field_parse(NULL, &got));
	assert_false(md_sys_field_parse("CMR_BASE[]", &got));
	assert_false(md_sys_field_parse("CMR_BASE[1", &got));
	assert_false(md_sys_field_parse("CMR_BASE[1]x", &got));
	assert_false(md_sys_field_parse("CMR_BASE[-1]", &got));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tdmr_info_layout),
		cmocka_unit_test(test_pamt_entry),
		cmocka_unit_test(test_rax_and_states),
		cmocka_unit_test(test_status_literals),
		cmocka_unit_test(test_status_layout),
		cmocka_unit_test(test_leaf_names),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_status_format),
		cmocka_unit_test(test_operand_names),
		cmocka_unit_test(test_md_encoding),
		cmocka_unit_test(test_md_sys_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
