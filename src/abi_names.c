/* SPDX-License-Identifier: MIT */
/*
 * tdxsim: name tables for the TDX ABI numbers of tdxsim/abi.h.
 * Tables are static const; each entry names its constant once through a
 * stringizing macro, so a name and its value cannot drift apart.
 */
#include "tdxsim/abi.h"
#include "tdxsim/abi_names.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Case-insensitive equality of a and the first n bytes of b (b[n] ignored). */
static bool name_eq_n(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (a[i] == '\0' || ascii_lower((unsigned char)a[i]) !=
				    ascii_lower((unsigned char)b[i]))
			return false;
	}
	return a[n] == '\0';
}

static bool name_eq(const char *a, const char *b)
{
	return name_eq_n(a, b, strlen(b));
}

/* Case-insensitive prefix test; returns the rest of s or NULL. */
static const char *skip_prefix(const char *s, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i] != '\0'; i++) {
		if (ascii_lower((unsigned char)s[i]) !=
		    ascii_lower((unsigned char)prefix[i]))
			return NULL;
	}
	return s + i;
}

/* Parses a whole string as an unsigned number (base 0: 0x.., 0.., decimal). */
static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return false;
	*out = (uint64_t)v;
	return true;
}

/* ------------------------------------------------------------------------- */
/* Leaves                                                                    */
/* ------------------------------------------------------------------------- */

struct leaf_name {
	unsigned leaf;
	const char *name;
};

/* L<n>(A, B, ...) -> { A_B_..., "A.B...." } */
#define L1(a)             { a, #a }
#define L2(a, b)          { a##_##b, #a "." #b }
#define L3(a, b, c)       { a##_##b##_##c, #a "." #b "." #c }
#define L4(a, b, c, d)    { a##_##b##_##c##_##d, #a "." #b "." #c "." #d }
#define L5(a, b, c, d, e) { a##_##b##_##c##_##d##_##e, #a "." #b "." #c "." #d "." #e }

static const struct leaf_name seamcall_leaves[] = {
	L3(TDH, VP, ENTER),
	L3(TDH, MNG, ADDCX),
	L4(TDH, MEM, PAGE, ADD),
	L4(TDH, MEM, SEPT, ADD),
	L3(TDH, VP, ADDCX),
	L4(TDH, MEM, PAGE, RELOCATE),
	L4(TDH, MEM, PAGE, AUG),
	L4(TDH, MEM, RANGE, BLOCK),
	L4(TDH, MNG, KEY, CONFIG),
	L3(TDH, MNG, CREATE),
	L3(TDH, VP, CREATE),
	L3(TDH, MNG, RD),
	L3(TDH, MEM, RD),
	L3(TDH, MNG, WR),
	L3(TDH, MEM, WR),
	L4(TDH, MEM, PAGE, DEMOTE),
	L3(TDH, MR, EXTEND),
	L3(TDH, MR, FINALIZE),
	L3(TDH, VP, FLUSH),
	L3(TDH, MNG, VPFLUSHDONE),
	L4(TDH, MNG, KEY, FREEID),
	L3(TDH, MNG, INIT),
	L3(TDH, VP, INIT),
	L4(TDH, MEM, PAGE, PROMOTE),
	L4(TDH, PHYMEM, PAGE, RDMD),
	L4(TDH, MEM, SEPT, RD),
	L3(TDH, VP, RD),
	L4(TDH, MNG, KEY, RECLAIMID),
	L4(TDH, PHYMEM, PAGE, RECLAIM),
	L4(TDH, MEM, PAGE, REMOVE),
	L4(TDH, MEM, SEPT, REMOVE),
	L4(TDH, SYS, KEY, CONFIG),
	L3(TDH, SYS, INFO),
	L3(TDH, SYS, INIT),
	L3(TDH, SYS, RD),
	L4(TDH, SYS, LP, INIT),
	L4(TDH, SYS, TDMR, INIT),
	L3(TDH, SYS, RDALL),
	L3(TDH, MEM, TRACK),
	L4(TDH, MEM, RANGE, UNBLOCK),
	L4(TDH, PHYMEM, CACHE, WB),
	L4(TDH, PHYMEM, PAGE, WBINVD),
	L4(TDH, MEM, SEPT, WR),
	L3(TDH, VP, WR),
	L4(TDH, SYS, LP, SHUTDOWN),
	L3(TDH, SYS, CONFIG),
	L3(TDH, SERVTD, BIND),
	L3(TDH, SERVTD, PREBIND),
	L3(TDH, SYS, SHUTDOWN),
	L3(TDH, SYS, UPDATE),
	L4(TDH, PHYMEM, PAMT, ADD),
	L4(TDH, PHYMEM, PAMT, REMOVE),
	L3(TDH, EXPORT, ABORT),
	L3(TDH, EXPORT, BLOCKW),
	L3(TDH, EXPORT, RESTORE),
	L3(TDH, EXPORT, MEM),
	L3(TDH, SYS, DISABLE),
	L3(TDH, EXPORT, PAUSE),
	L3(TDH, EXPORT, TRACK),
	L4(TDH, EXPORT, STATE, IMMUTABLE),
	L4(TDH, EXPORT, STATE, TD),
	L4(TDH, EXPORT, STATE, VP),
	L3(TDH, EXPORT, UNBLOCKW),
	L3(TDH, IMPORT, ABORT),
	L3(TDH, IMPORT, END),
	L3(TDH, IMPORT, COMMIT),
	L3(TDH, IMPORT, MEM),
	L3(TDH, IMPORT, TRACK),
	L4(TDH, IMPORT, STATE, IMMUTABLE),
	L4(TDH, IMPORT, STATE, TD),
	L4(TDH, IMPORT, STATE, VP),
	L4(TDH, MIG, STREAM, CREATE),
	L1(TDDEBUGCONFIG),
};

static const struct leaf_name tdcall_leaves[] = {
	L3(TDG, VP, VMCALL),
	L3(TDG, VP, INFO),
	L4(TDG, MR, RTMR, EXTEND),
	L4(TDG, VP, VEINFO, GET),
	L3(TDG, MR, REPORT),
	L4(TDG, VP, CPUIDVE, SET),
	L4(TDG, MEM, PAGE, ACCEPT),
	L3(TDG, VM, RD),
	L3(TDG, VM, WR),
	L3(TDG, VP, RD),
	L3(TDG, VP, WR),
	L3(TDG, SYS, RD),
	L3(TDG, SYS, RDALL),
	L3(TDG, SERVTD, RD),
	L3(TDG, SERVTD, WR),
	L3(TDG, MR, VERIFYREPORT),
	L5(TDG, MEM, PAGE, ATTR, RD),
	L5(TDG, MEM, PAGE, ATTR, WR),
	L3(TDG, VP, ENTER),
	L3(TDG, VP, INVEPT),
	L3(TDG, VP, INVVPID),
};

/* Like name_eq() but '.' and '_' match each other. */
static bool leaf_name_eq(const char *s, const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++) {
		int a = (unsigned char)s[i], b = (unsigned char)name[i];

		if (a == '_')
			a = '.';
		if (ascii_lower(a) != ascii_lower(b))
			return false;
	}
	return s[i] == '\0';
}

static const char *leaf_lookup(const struct leaf_name *t, size_t n, unsigned leaf)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].leaf == leaf)
			return t[i].name;
	}
	return NULL;
}

static bool leaf_parse(const struct leaf_name *t, size_t n, const char *name,
		       unsigned *leaf)
{
	size_t i;

	if (name == NULL)
		return false;
	for (i = 0; i < n; i++) {
		if (leaf_name_eq(name, t[i].name)) {
			if (leaf != NULL)
				*leaf = t[i].leaf;
			return true;
		}
	}
	return false;
}

const char *tdx_leaf_name(unsigned leaf)
{
	return leaf_lookup(seamcall_leaves, ARRAY_SIZE(seamcall_leaves), leaf);
}

bool tdx_leaf_parse(const char *name, unsigned *leaf)
{
	return leaf_parse(seamcall_leaves, ARRAY_SIZE(seamcall_leaves), name, leaf);
}

const char *tdg_leaf_name(unsigned leaf)
{
	return leaf_lookup(tdcall_leaves, ARRAY_SIZE(tdcall_leaves), leaf);
}

bool tdg_leaf_parse(const char *name, unsigned *leaf)
{
	return leaf_parse(tdcall_leaves, ARRAY_SIZE(tdcall_leaves), name, leaf);
}

/* ------------------------------------------------------------------------- */
/* Status codes                                                              */
/* ------------------------------------------------------------------------- */

struct status_name {
	uint64_t status;
	const char *name;
};

#define S(x) { x, #x }

static const struct status_name statuses[] = {
	/* class 0x00 */
	S(TDX_SUCCESS),
	S(TDX_NON_RECOVERABLE_VCPU),
	S(TDX_NON_RECOVERABLE_TD),
	S(TDX_INTERRUPTED_RESUMABLE),
	S(TDX_INTERRUPTED_RESTARTABLE),
	S(TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE),
	S(TDX_INVALID_RESUMPTION),
	S(TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE),
	S(TDX_CROSS_TD_FAULT),
	S(TDX_CROSS_TD_TRAP),
	S(TDX_NON_RECOVERABLE_TD_CORRUPTED_MD),
	/* class 0x01 */
	S(TDX_OPERAND_INVALID),
	S(TDX_OPERAND_ADDR_RANGE_ERROR),
	/* class 0x02 */
	S(TDX_OPERAND_BUSY),
	S(TDX_PREVIOUS_TLB_EPOCH_BUSY),
	S(TDX_SYS_BUSY),
	S(TDX_RND_NO_ENTROPY),
	S(TDX_OPERAND_BUSY_HOST_PRIORITY),
	S(TDX_HOST_PRIORITY_BUSY_TIMEOUT),
	/* class 0x03 */
	S(TDX_PAGE_METADATA_INCORRECT),
	S(TDX_PAGE_ALREADY_FREE),
	S(TDX_PAGE_NOT_OWNED_BY_TD),
	S(TDX_PAGE_NOT_FREE),
	/* class 0x04 */
	S(TDX_TD_ASSOCIATED_PAGES_EXIST),
	/* class 0x05 */
	S(TDX_SYS_INIT_NOT_PENDING),
	S(TDX_SYS_LP_INIT_NOT_DONE),
	S(TDX_SYS_LP_INIT_DONE),
	S(TDX_SYS_NOT_READY),
	S(TDX_SYS_SHUTDOWN),
	S(TDX_SYS_KEY_CONFIG_NOT_PENDING),
	S(TDX_SYS_STATE_INCORRECT),
	S(TDX_SYS_INVALID_HANDOFF),
	S(TDX_SYS_INCOMPATIBLE_SIGSTRUCT),
	S(TDX_SYS_LP_INIT_NOT_PENDING),
	S(TDX_SYS_CONFIG_NOT_PENDING),
	S(TDX_INCOMPATIBLE_SEAM_CAPABILITIES),
	/* class 0x06 */
	S(TDX_TD_FATAL),
	S(TDX_TD_NON_DEBUG),
	S(TDX_TDCS_NOT_ALLOCATED),
	S(TDX_LIFECYCLE_STATE_INCORRECT),
	S(TDX_OP_STATE_INCORRECT),
	S(TDX_NO_VCPUS),
	S(TDX_TDCX_NUM_INCORRECT),
	/* class 0x07 */
	S(TDX_VCPU_STATE_INCORRECT),
	S(TDX_VCPU_ASSOCIATED),
	S(TDX_VCPU_NOT_ASSOCIATED),
	S(TDX_NO_VALID_VE_INFO),
	S(TDX_MAX_VCPUS_EXCEEDED),
	S(TDX_TSC_ROLLBACK),
	S(TDX_TD_VMCS_FIELD_NOT_INITIALIZED),
	S(TDX_TD_VMCS_FIELD_ERROR),
	/* class 0x08 */
	S(TDX_KEY_GENERATION_FAILED),
	S(TDX_TD_KEYS_NOT_CONFIGURED),
	S(TDX_KEY_STATE_INCORRECT),
	S(TDX_KEY_CONFIGURED),
	S(TDX_WBCACHE_NOT_COMPLETE),
	S(TDX_HKID_NOT_FREE),
	S(TDX_NO_HKID_READY_TO_WBCACHE),
	S(TDX_WBCACHE_RESUME_ERROR),
	S(TDX_FLUSHVP_NOT_DONE),
	S(TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED),
	/* class 0x09 */
	S(TDX_INCORRECT_CPUID_VALUE),
	S(TDX_LIMIT_CPUID_MAXVAL_SET),
	S(TDX_INCONSISTENT_CPUID_FIELD),
	S(TDX_CPUID_MAX_SUBLEAVES_UNRECOGNIZED),
	S(TDX_CPUID_LEAF_1F_FORMAT_UNRECOGNIZED),
	S(TDX_INVALID_WBINVD_SCOPE),
	S(TDX_INVALID_PKG_ID),
	S(TDX_ENABLE_MONITOR_FSM_NOT_SET),
	S(TDX_CPUID_LEAF_NOT_SUPPORTED),
	S(TDX_SMRR_NOT_LOCKED),
	S(TDX_INVALID_SMRR_CONFIGURATION),
	S(TDX_SMRR_OVERLAPS_CMR),
	S(TDX_SMRR_LOCK_NOT_SUPPORTED),
	S(TDX_SMRR_NOT_SUPPORTED),
	S(TDX_INCONSISTENT_MSR),
	S(TDX_INCORRECT_MSR_VALUE),
	S(TDX_SEAMREPORT_NOT_AVAILABLE),
	S(TDX_SEAMDB_GETREF_NOT_AVAILABLE),
	S(TDX_SEAMDB_REPORT_NOT_AVAILABLE),
	S(TDX_SEAMVERIFYREPORT_NOT_AVAILABLE),
	/* class 0x0A */
	S(TDX_INVALID_TDMR),
	S(TDX_NON_ORDERED_TDMR),
	S(TDX_TDMR_OUTSIDE_CMRS),
	S(TDX_TDMR_ALREADY_INITIALIZED),
	S(TDX_INVALID_PAMT),
	S(TDX_PAMT_OUTSIDE_CMRS),
	S(TDX_PAMT_OVERLAP),
	S(TDX_INVALID_RESERVED_IN_TDMR),
	S(TDX_NON_ORDERED_RESERVED_IN_TDMR),
	S(TDX_CMR_LIST_INVALID),
	/* class 0x0B */
	S(TDX_EPT_WALK_FAILED),
	S(TDX_EPT_ENTRY_FREE),
	S(TDX_EPT_ENTRY_NOT_FREE),
	S(TDX_EPT_ENTRY_NOT_PRESENT),
	S(TDX_EPT_ENTRY_NOT_LEAF),
	S(TDX_EPT_ENTRY_LEAF),
	S(TDX_GPA_RANGE_NOT_BLOCKED),
	S(TDX_GPA_RANGE_ALREADY_BLOCKED),
	S(TDX_TLB_TRACKING_NOT_DONE),
	S(TDX_EPT_INVALID_PROMOTE_CONDITIONS),
	S(TDX_PAGE_ALREADY_ACCEPTED),
	S(TDX_PAGE_SIZE_MISMATCH),
	S(TDX_GPA_RANGE_BLOCKED),
	S(TDX_EPT_ENTRY_STATE_INCORRECT),
	S(TDX_EPT_PAGE_NOT_FREE),
	S(TDX_L2_SEPT_WALK_FAILED),
	S(TDX_L2_SEPT_ENTRY_NOT_FREE),
	S(TDX_PAGE_ATTR_INVALID),
	S(TDX_L2_SEPT_PAGE_NOT_PROVIDED),
	/* class 0x0C */
	S(TDX_METADATA_FIELD_ID_INCORRECT),
	S(TDX_METADATA_FIELD_NOT_WRITABLE),
	S(TDX_METADATA_FIELD_NOT_READABLE),
	S(TDX_METADATA_FIELD_VALUE_NOT_VALID),
	S(TDX_METADATA_LIST_OVERFLOW),
	S(TDX_INVALID_METADATA_LIST_HEADER),
	S(TDX_REQUIRED_METADATA_FIELD_MISSING),
	S(TDX_METADATA_ELEMENT_SIZE_INCORRECT),
	S(TDX_METADATA_LAST_ELEMENT_INCORRECT),
	S(TDX_METADATA_FIELD_CURRENTLY_NOT_WRITABLE),
	S(TDX_METADATA_WR_MASK_NOT_VALID),
	S(TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT),
	S(TDX_METADATA_FIELD_SKIP),
	/* class 0x0D */
	S(TDX_SERVTD_ALREADY_BOUND_FOR_TYPE),
	S(TDX_SERVTD_TYPE_MISMATCH),
	S(TDX_SERVTD_ATTR_MISMATCH),
	S(TDX_SERVTD_INFO_HASH_MISMATCH),
	S(TDX_SERVTD_UUID_MISMATCH),
	S(TDX_SERVTD_NOT_BOUND),
	S(TDX_SERVTD_BOUND),
	S(TDX_TARGET_UUID_MISMATCH),
	S(TDX_TARGET_UUID_UPDATED),
	/* class 0x0E */
	S(TDX_INVALID_MBMD),
	S(TDX_INCORRECT_MBMD_MAC),
	S(TDX_NOT_WRITE_BLOCKED),
	S(TDX_ALREADY_WRITE_BLOCKED),
	S(TDX_NOT_EXPORTED),
	S(TDX_MIGRATION_STREAM_STATE_INCORRECT),
	S(TDX_MAX_MIGS_NUM_EXCEEDED),
	S(TDX_EXPORTED_DIRTY_PAGES_REMAIN),
	S(TDX_MIGRATION_DECRYPTION_KEY_NOT_SET),
	S(TDX_TD_NOT_MIGRATABLE),
	S(TDX_PREVIOUS_EXPORT_CLEANUP_INCOMPLETE),
	S(TDX_NUM_MIGS_HIGHER_THAN_CREATED),
	S(TDX_IMPORT_MISMATCH),
	S(TDX_MIGRATION_EPOCH_OVERFLOW),
	S(TDX_MAX_EXPORTS_EXCEEDED),
	S(TDX_INVALID_PAGE_MAC),
	S(TDX_MIGRATED_IN_CURRENT_EPOCH),
	S(TDX_DISALLOWED_IMPORT_OVER_REMOVED),
	S(TDX_SOME_VCPUS_NOT_MIGRATED),
	S(TDX_ALL_VCPUS_IMPORTED),
	S(TDX_MIN_MIGS_NOT_CREATED),
	S(TDX_VCPU_ALREADY_EXPORTED),
	S(TDX_INVALID_MIGRATION_DECRYPTION_KEY),
	/* class 0x10 */
	S(TDX_INVALID_CPUSVN),
	S(TDX_INVALID_REPORTMACSTRUCT),
	/* class 0x11 */
	S(TDX_L2_EXIT_HOST_ROUTED_ASYNC),
	S(TDX_L2_EXIT_HOST_ROUTED_TDVMCALL),
	S(TDX_L2_EXIT_PENDING_INTERRUPT),
	S(TDX_PENDING_INTERRUPT),
	S(TDX_TD_EXIT_BEFORE_L2_ENTRY),
	S(TDX_TD_EXIT_ON_L2_VM_EXIT),
	S(TDX_TD_EXIT_ON_L2_TO_L1),
	S(TDX_GLA_NOT_CANONICAL),
	/* [newer] codes (abi §2.3) */
	S(TDX_EVENT_FILTER_INVALID),
	S(TDX_HPA_RANGE_NOT_FREE),
	S(TDX_NO_PAMT_PAGE_PAIR),
	S(TDX_PAMT_PAGE_NOT_EMPTY),
	S(TDX_INTERRUPTED_PAMT),
	S(TDX_MISSING_PAMT_PAGE_PAIR),
	S(TDX_CRYPTO_SELF_TEST_FAILED),
	S(TDX_X2APIC_ID_NOT_UNIQUE),
	S(TDX_INTERRUPTIBILITY_BLOCKED),
	S(TDX_VIRTUAL_MSR_VALUE_NOT_VALID),
	S(TDX_METADATA_FIELD_NOT_ALLOCATED),
	S(TDX_L2_VM_ENTRY_FAILED),
	/* Linux-only values (linux §2.3, §2.4) */
	S(TDX_UPDATE_COMPAT_SENSITIVE),
	S(TDX_NON_RECOVERABLE_TD_LINUX),
	S(TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE_LINUX),
	/* Kernel software codes (linux §2.2) */
	S(TDX_SW_ERROR),
	S(TDX_SEAMCALL_VMFAILINVALID),
	S(TDX_SEAMCALL_GP),
	S(TDX_SEAMCALL_UD),
};

static const struct status_name *status_lookup(uint64_t status)
{
	uint64_t base = tdx_status_base(status);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		if (statuses[i].status == status)
			return &statuses[i];
	}
	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		if (statuses[i].status == base)
			return &statuses[i];
	}
	return NULL;
}

const char *tdx_status_name(uint64_t status)
{
	const struct status_name *s = status_lookup(status);

	return s != NULL ? s->name : NULL;
}

bool tdx_status_at(size_t i, const char **name, uint64_t *status)
{
	if (i >= ARRAY_SIZE(statuses))
		return false;
	if (name != NULL)
		*name = statuses[i].name;
	if (status != NULL)
		*status = statuses[i].status;
	return true;
}

/* Looks up a status name given as the first n characters of s. */
static const struct status_name *status_by_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		if (name_eq_n(statuses[i].name, s, n))
			return &statuses[i];
	}
	return NULL;
}

bool tdx_status_parse(const char *name, uint64_t *status)
{
	const struct status_name *s;
	const char *bar;
	uint64_t v, detail;

	if (name == NULL || *name == '\0')
		return false;

	bar = strchr(name, '|');
	if (bar == NULL) {
		s = status_by_name(name, strlen(name));
		if (s != NULL)
			v = s->status;
		else if (!parse_u64(name, &v))
			return false;
	} else {
		uint32_t id;

		s = status_by_name(name, (size_t)(bar - name));
		/* Only a code with empty bits 31:0 can take a detail. */
		if (s == NULL || (s->status & TDX_STATUS_OPERAND_MASK) != 0)
			return false;
		if (tdx_operand_id_parse(bar + 1, &id))
			detail = id;
		else if (!parse_u64(bar + 1, &detail) || detail > TDX_STATUS_OPERAND_MASK)
			return false;
		v = s->status | detail;
	}
	if (status != NULL)
		*status = v;
	return true;
}

/* Codes whose bits 31:0 are not an operand ID (abi §2.3, §4.2, linux §2.2). */
static bool status_detail_is_operand(uint64_t base)
{
	switch (tdx_status_class(base)) {
	case TDX_CLASS_SW:           /* trap number / VMfailInvalid pattern */
	case TDX_CLASS_TDMR_PAMT:    /* TDMR index, PAMT level, ... (abi §4.2) */
		return false;
	default:
		break;
	}
	switch (base) {
	case TDX_INCONSISTENT_MSR:   /* MSR address (abi §2.3) */
	case TDX_INCORRECT_MSR_VALUE:
	case TDX_PAGE_ALREADY_ACCEPTED: /* SEPT level (abi §2.3) */
	case TDX_PAGE_SIZE_MISMATCH:
		return false;
	default:
		return true;
	}
}

char *tdx_status_format(uint64_t status, char *buf, size_t len)
{
	const struct status_name *s;
	uint32_t detail;
	const char *opname;

	if (buf == NULL || len == 0)
		return buf;

	s = status_lookup(status);
	if (s == NULL) {
		snprintf(buf, len, "0x%016llx", (unsigned long long)status);
		return buf;
	}
	if (s->status == status) {
		snprintf(buf, len, "%s", s->name);
		return buf;
	}
	detail = tdx_status_operand(status);
	opname = status_detail_is_operand(s->status) ? tdx_operand_id_name(detail) : NULL;
	if (opname != NULL)
		snprintf(buf, len, "%s|%s", s->name, opname);
	else
		snprintf(buf, len, "%s|0x%x", s->name, (unsigned)detail);
	return buf;
}

/* ------------------------------------------------------------------------- */
/* Operand IDs                                                               */
/* ------------------------------------------------------------------------- */

struct operand_name {
	uint32_t id;
	const char *name;
};

#define O(x) { TDX_OPERAND_ID_##x, #x }

static const struct operand_name operands[] = {
	O(RAX), O(RCX), O(RDX), O(RBX), O(RBP), O(RSI), O(RDI),
	O(R8), O(R9), O(R10), O(R11), O(R12), O(R13), O(R14), O(R15),
	O(ATTRIBUTES),
	O(XFAM),
	O(EXEC_CONTROLS),
	O(EPTP_CONTROLS),
	O(MAX_VCPUS),
	O(CPUID_CONFIG),
	O(TSC_FREQUENCY),
	O(NUM_L2_VMS),
	O(IA32_ARCH_CAPABILITIES_CONFIG),
	O(PAGE),
	O(TDMR_INFO_PA),
	O(GPA_LIST_ENTRY),
	O(MIG_BUFF_LIST_ENTRY),
	O(NEW_PAGE_LIST_ENTRY),
	O(TDR),
	O(TDCX),
	O(TDVPR),
	O(REG_PAGE),
	O(TDCS),
	O(TDVPS),
	O(SEPT_TREE),
	O(SEPT_ENTRY),
	O(RTMR),
	O(TD_EPOCH),
	O(L2_VAPIC_GPA),
	O(MIGSC),
	O(OP_STATE),
	O(MIG),
	O(SERVTD_BINDINGS),
	O(PASID_TRK),
	O(METADATA_FIELD),
	O(NUM_VCPUS),
	O(CPUID_FIXED0_BITMAP),
	O(SYS),
	O(TDMR),
	O(KOT),
	O(KET),
	O(WBCACHE),
	O(PASIDMT),
	O(MMIOMT),
	O(SPDMMT),
	O(DMAR),
};

const char *tdx_operand_id_name(uint32_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(operands); i++) {
		if (operands[i].id == id)
			return operands[i].name;
	}
	return NULL;
}

bool tdx_operand_id_parse(const char *name, uint32_t *id)
{
	const char *rest;
	size_t i;

	if (name == NULL)
		return false;
	rest = skip_prefix(name, "TDX_OPERAND_ID_");
	if (rest == NULL)
		rest = name;
	for (i = 0; i < ARRAY_SIZE(operands); i++) {
		if (name_eq(rest, operands[i].name)) {
			if (id != NULL)
				*id = operands[i].id;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------------- */
/* SYS metadata fields (abi §8.2)                                            */
/* ------------------------------------------------------------------------- */

struct md_sys_field {
	uint64_t field_id;
	const char *name;
	unsigned num_elements;
};

#define F(x)     { MD_SYS_##x, #x, 1 }
#define FA(x, n) { MD_SYS_##x, #x, (unsigned)(n) }

static const struct md_sys_field sys_fields[] = {
	F(NUM_PKGS),
	FA(PKG_FMS, MD_SYS_PKG_FMS_NUM),
	F(VENDOR_ID),
	F(BUILD_DATE),
	F(BUILD_NUM),
	F(MINOR_VERSION),
	F(MAJOR_VERSION),
	F(UPDATE_VERSION),
	F(INTERNAL_VERSION),
	F(MODULE_HV),
	F(MIN_UPDATE_HV),
	F(NO_DOWNGRADE),
	F(NUM_HANDOFF_PAGES),
	F(HANDOFF_DATA_VALID),
	F(HANDOFF_DATA_HV),
	F(HANDOFF_DATA_SIZE),
	F(SYS_ATTRIBUTES),
	F(NUM_TDX_FEATURES),
	F(TDX_FEATURES0),
	F(NUM_CMRS),
	FA(CMR_BASE, MD_SYS_CMR_NUM),
	FA(CMR_SIZE, MD_SYS_CMR_NUM),
	F(MAX_TDMRS),
	F(MAX_RESERVED_PER_TDMR),
	F(PAMT_4K_ENTRY_SIZE),
	F(PAMT_2M_ENTRY_SIZE),
	F(PAMT_1G_ENTRY_SIZE),
	F(TDR_BASE_SIZE),
	F(TDCS_BASE_SIZE),
	F(TDCS_SIZE_PER_L2_VM),
	F(TDVPS_BASE_SIZE),
	F(TDVPS_SIZE_PER_L2_VM),
	F(ATTRIBUTES_FIXED0),
	F(ATTRIBUTES_FIXED1),
	F(XFAM_FIXED0),
	F(XFAM_FIXED1),
	F(NUM_CPUID_CONFIG),
	F(CONFIG_FLAGS_FIXED0),
	F(CONFIG_FLAGS_FIXED1),
	FA(CPUID_CONFIG_LEAVES, MD_SYS_CPUID_CONFIG_LEAVES_NUM),
	FA(CPUID_CONFIG_VALUES, MD_SYS_CPUID_CONFIG_VALUES_NUM),
	F(IA32_ARCH_CAPABILITIES_CONFIG_MASK),
	F(NUM_ALLOWED_FMS),
	F(NUM_DISALLOWED_FMS),
	FA(ALLOWED_FMS, MD_SYS_ALLOWED_FMS_NUM),
	FA(DISALLOWED_FMS, MD_SYS_DISALLOWED_FMS_NUM),
	F(MIG_ATTRIBUTES),
	F(MIN_EXPORT_VERSION),
	F(MAX_EXPORT_VERSION),
	F(MIN_IMPORT_VERSION),
	F(MAX_IMPORT_VERSION),
	F(MAX_MIGS),
	F(NUM_IMMUTABLE_STATE_PAGES),
	F(NUM_TD_STATE_PAGES),
	F(NUM_VP_STATE_PAGES),
	F(MAX_SERV_TDS),
	F(SERVTD_ATTR_FIXED0),
	F(SERVTD_ATTR_FIXED1),
	F(GUEST_L2_GPA_ATTR_MASK),
	F(VM_CTLS_FIXED0),
	F(VM_CTLS_FIXED1),
	F(L2_CTLS_FIXED0),
	F(L2_CTLS_FIXED1),
	F(L2_DEBUG_CTLS_FIXED0),
	F(L2_DEBUG_CTLS_FIXED1),
	/* [newer] */
	F(MAX_VCPUS_PER_TD),
	F(MIN_VIRT_MAXPA),
	F(MAX_EVENT_FILTERS),
	F(PAMT_PAGE_BITMAP_ENTRY_BITS),
	F(MIN_DYNAMIC_PAMT_NUM_HKID_BITS),
	F(GUEST_GPA_ATTR_MASK),
	F(TDX_CONNECT_FEATURES),
};

const char *md_sys_field_name(uint64_t field_id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sys_fields); i++) {
		if (sys_fields[i].field_id == field_id)
			return sys_fields[i].name;
	}
	return NULL;
}

const char *md_sys_field_find(uint64_t field_id, unsigned *elem_index)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sys_fields); i++) {
		const struct md_sys_field *f = &sys_fields[i];

		if (field_id >= f->field_id && field_id - f->field_id < f->num_elements) {
			if (elem_index != NULL)
				*elem_index = (unsigned)(field_id - f->field_id);
			return f->name;
		}
	}
	return NULL;
}

bool md_sys_field_parse(const char *name, uint64_t *field_id)
{
	const char *rest, *bracket;
	size_t i, n;
	uint64_t idx = 0;

	if (name == NULL)
		return false;
	rest = skip_prefix(name, "MD_SYS_");
	if (rest == NULL)
		rest = name;

	bracket = strchr(rest, '[');
	n = bracket != NULL ? (size_t)(bracket - rest) : strlen(rest);
	if (bracket != NULL) {
		char digits[24];
		size_t dl;
		const char *close = strchr(bracket, ']');

		if (close == NULL || close[1] != '\0')
			return false;
		dl = (size_t)(close - bracket - 1);
		if (dl == 0 || dl >= sizeof(digits))
			return false;
		memcpy(digits, bracket + 1, dl);
		digits[dl] = '\0';
		if (!parse_u64(digits, &idx))
			return false;
	}

	for (i = 0; i < ARRAY_SIZE(sys_fields); i++) {
		const struct md_sys_field *f = &sys_fields[i];

		if (!name_eq_n(f->name, rest, n))
			continue;
		if (bracket != NULL && (f->num_elements <= 1 || idx >= f->num_elements))
			return false;
		if (field_id != NULL)
			*field_id = f->field_id + idx;
		return true;
	}
	return false;
}

bool md_sys_field_at(size_t i, const char **name, uint64_t *field_id,
		     unsigned *num_elements)
{
	if (i >= ARRAY_SIZE(sys_fields))
		return false;
	if (name != NULL)
		*name = sys_fields[i].name;
	if (field_id != NULL)
		*field_id = sys_fields[i].field_id;
	if (num_elements != NULL)
		*num_elements = sys_fields[i].num_elements;
	return true;
}

/* VMX exit reasons a TD exit reports (abi §7.2), with the "exit: NAME"
 * form a trace event is named by. */
#define EXIT_REASON(n, s) { n, s, "exit: " s }
static const struct { unsigned reason; const char *name, *event; } exit_reasons[] = {
	EXIT_REASON(TDX_EXIT_EXCEPTION_NMI, "EXCEPTION_NMI"),
	EXIT_REASON(TDX_EXIT_EXTERNAL_INTERRUPT, "EXTERNAL_INTERRUPT"),
	EXIT_REASON(TDX_EXIT_TRIPLE_FAULT, "TRIPLE_FAULT"),
	EXIT_REASON(TDX_EXIT_CPUID, "CPUID"),
	EXIT_REASON(TDX_EXIT_HLT, "HLT"),
	EXIT_REASON(TDX_EXIT_VMCALL, "VMCALL"),
	EXIT_REASON(TDX_EXIT_IO, "IO"),
	EXIT_REASON(TDX_EXIT_MSR_READ, "MSR_READ"),
	EXIT_REASON(TDX_EXIT_MSR_WRITE, "MSR_WRITE"),
	EXIT_REASON(TDX_EXIT_EPT_VIOLATION, "EPT_VIOLATION"),
	EXIT_REASON(TDX_EXIT_EPT_MISCONFIG, "EPT_MISCONFIG"),
	EXIT_REASON(TDX_EXIT_TDCALL, "TDCALL"),
	EXIT_REASON(~0u, "OTHER"),
};

static unsigned exit_reason_index(unsigned reason)
{
	unsigned i, n = sizeof(exit_reasons) / sizeof(exit_reasons[0]);

	for (i = 0; i < n - 1 && exit_reasons[i].reason != reason; i++)
		;
	return i;
}

const char *tdx_exit_reason_name(unsigned reason)
{
	return exit_reasons[exit_reason_index(reason)].name;
}

const char *tdx_exit_event_name(unsigned reason)
{
	return exit_reasons[exit_reason_index(reason)].event;
}
