/* SPDX-License-Identifier: MIT */
/*
 * tdxsim: names of TDX ABI numbers (tdxsim/abi.h) for tools, logs and the
 * scenario runner. All lookups are case-insensitive and use read-only tables.
 */
#ifndef TDXSIM_ABI_NAMES_H
#define TDXSIM_ABI_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SEAMCALL leaves: "TDH.SYS.INIT"; NULL if unknown. */
const char *tdx_leaf_name(unsigned leaf);
/* Accepts "TDH.SYS.INIT" and "TDH_SYS_INIT" ('.' and '_' are interchangeable). */
bool tdx_leaf_parse(const char *name, unsigned *leaf);

/* TDCALL leaves: "TDG.VP.VMCALL"; NULL if unknown. */
const char *tdg_leaf_name(unsigned leaf);
bool tdg_leaf_parse(const char *name, unsigned *leaf);

/* A TD exit's VMX exit reason: "EPT_VIOLATION", "OTHER" if not one a TD
 * exit reports; and the same as "exit: EPT_VIOLATION". Static strings. */
const char *tdx_exit_reason_name(unsigned reason);
const char *tdx_exit_event_name(unsigned reason);

/*
 * Name of a completion status: an exact match first (so TDX_SEAMCALL_UD,
 * TDX_SEAMCALL_VMFAILINVALID etc. resolve), then the name of
 * status & TDX_SEAMCALL_STATUS_MASK. NULL if unknown.
 */
const char *tdx_status_name(uint64_t status);
/*
 * Parses "TDX_SYS_BUSY". Also accepts what tdx_status_format() prints:
 * "NAME|OPERAND" ("TDX_OPERAND_INVALID|RCX"), "NAME|0x5" and a plain number
 * ("0xC000010000000001").
 */
bool tdx_status_parse(const char *name, uint64_t *status);
/* Enumerates the status table: false once i is past the end. */
bool tdx_status_at(size_t i, const char **name, uint64_t *status);

/* Operand IDs: "RCX", "TDR"; NULL if unknown. */
const char *tdx_operand_id_name(uint32_t id);
/* Accepts "RCX" or "TDX_OPERAND_ID_RCX". */
bool tdx_operand_id_parse(const char *name, uint32_t *id);

/*
 * SYS metadata fields (abi §8.2): "MAX_TDMRS". Matches a field ID exactly; for
 * an array that is the ID of element 0. NULL if unknown.
 */
const char *md_sys_field_name(uint64_t field_id);
/* Accepts "MAX_TDMRS", "MD_SYS_MAX_TDMRS" and, for arrays, "CMR_BASE[3]". */
bool md_sys_field_parse(const char *name, uint64_t *field_id);
/*
 * Like md_sys_field_name() but also finds elements 1..n-1 of arrays; *elem_index
 * (optional) receives the element index.
 */
const char *md_sys_field_find(uint64_t field_id, unsigned *elem_index);
/* Enumerates the SYS field table: false once i is past the end. */
bool md_sys_field_at(size_t i, const char **name, uint64_t *field_id,
		     unsigned *num_elements);

/*
 * Formats status as "TDX_OPERAND_INVALID|RCX", "TDX_INVALID_PAMT|0x10003",
 * "TDX_SYS_BUSY" or, when unknown, "0x%016llx" into buf; returns buf.
 * Bits 31:0 are printed as an operand name only for codes that carry an
 * operand ID (not the MSR, SEPT-level, TDMR-info or kernel software codes).
 */
char *tdx_status_format(uint64_t status, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_ABI_NAMES_H */
