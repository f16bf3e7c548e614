/* SPDX-License-Identifier: MIT */
/* Global-scope (SYS) metadata: the field table behind TDH.SYS.RD/RDALL. */
#ifndef TDXSIM_METADATA_SYS_H
#define TDXSIM_METADATA_SYS_H

#include <stdbool.h>
#include <stdint.h>

struct tdx_module;

/* One table entry: num_fields fields of num_elems elements each; element
 * e of field f has field code base + f * num_elems + e. */
struct md_sys_entry {
	uint64_t id;
	uint16_t num_fields;
	uint8_t num_elems;
	uint8_t only_current;   /* present in the current 1.5 profile only */
	uint8_t guest_rd;       /* TDG.SYS.RD may read it */
};

#define MD_NULL_ID UINT64_MAX
#define MD_CONTEXT_BITS (MD_CONTEXT_MASK << MD_CONTEXT_SHIFT)
/* md_check_as_single_element_id: reserved bits, last element and last
 * field must be 0; size, inc_size, write_mask_valid and context are
 * ignored. */
#define MD_SINGLE_ELEMENT_RESERVED \
	(MD_FIELD_ID_RESERVED_MASK | \
	 (MD_LAST_ELEMENT_MASK << MD_LAST_ELEMENT_SHIFT) | \
	 (MD_LAST_FIELD_MASK << MD_LAST_FIELD_SHIFT))

/* The field ID is null when all bits apart from the context are ones. */
static inline int md_is_null(uint64_t id)
{
	return (id | MD_CONTEXT_BITS) == MD_NULL_ID;
}

/* check_fms_config: may a migratable TD claim this FMS? */
bool md_sys_fms_allowed(const struct tdx_module *m, uint32_t fms);
/* Builds the module's sorted lookup index for its profile. */
void md_sys_index(struct tdx_module *m);
/* Entry index and element index for an element's field ID, or -1. */
int md_sys_lookup(const struct tdx_module *m, uint64_t id, unsigned *elem);
/* Number of entries this module's profile has (skipping absent ones is
 * done by md_sys_next_entry). */
int md_sys_first_entry(const struct tdx_module *m);
int md_sys_next_entry(const struct tdx_module *m, int entry);
/* The next entry the guest may read (-1 for the first), or -1. */
int md_sys_next_guest_entry(const struct tdx_module *m, int entry);
const struct md_sys_entry *md_sys_entry(int entry);
unsigned md_sys_entry_elements(int entry);
uint64_t md_sys_element_id(int entry, unsigned elem);
/* The module's identity fields (VENDOR_ID, BUILD_*, *_VERSION), 0 else. */
uint64_t md_sys_version(const struct tdx_module *m, uint64_t id);
/* The element's value masked to the field width. */
uint64_t md_sys_value(const struct tdx_module *m, int entry, unsigned elem);

/* TDH.SYS.RD and TDG.SYS.RD after their own checks (RDX = field ID in;
 * R8 = value and RDX = next readable element or -1 out): RDX -1 and R8 0
 * first, the null-ID query, the single-element check, the lookup, and
 * for the guest its read mask. */
uint64_t md_sys_read_element(const struct tdx_module *m, uint64_t *gpr, bool guest);

/* TDH.SYS.RDALL's and TDG.SYS.RDALL's list (one 4 KiB page) from first
 * (null: the start; else the first element of a field): the bytes in
 * page, their count in len (0 when nothing was listed), the next field
 * ID or -1 in next; TDX_SUCCESS when the context is done,
 * TDX_METADATA_LIST_OVERFLOW when the page filled, FIELD_ID_INCORRECT for
 * a bad first. The guest's list holds only what it may read. */
#define MD_LIST_SIZE 4096
uint64_t md_sys_dump(const struct tdx_module *m, uint64_t first, bool guest,
		     uint8_t page[MD_LIST_SIZE], unsigned *len, uint64_t *next);

/* The i-th configurable CPUID leaf (leaf | subleaf << 32) and its
 * directly configurable bits, {EBX:EAX} at 2i and {EDX:ECX} at 2i + 1. */
uint64_t md_sys_cpuid_config_leaf(unsigned i);
uint64_t md_sys_cpuid_config_value(unsigned elem);

#endif
