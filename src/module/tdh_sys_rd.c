/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.RD (abi §8.1): read one global metadata element. RDX = field ID
 * in; R8 = value and RDX = next readable element ID (or -1) out.
 */
#include "module.h"
#include "metadata_sys.h"

#define SINGLE_ELEMENT_RESERVED \
	(MD_FIELD_ID_RESERVED_MASK | \
	 (MD_LAST_ELEMENT_MASK << MD_LAST_ELEMENT_SHIFT) | \
	 (MD_LAST_FIELD_MASK << MD_LAST_FIELD_SHIFT))

/* The ID after this element: the next field code of the same entry with
 * the caller's other bits kept, else the next entry's first ID, else -1. */
static uint64_t next_id(const struct tdx_module *m, uint64_t id, int entry,
			unsigned elem)
{
	if (elem + 1 < md_sys_entry_elements(entry))
		return (id & ~MD_FIELD_CODE_MASK) | (md_field_code(id) + 1);
	entry = md_sys_next_entry(m, entry);
	return entry < 0 ? MD_NULL_ID : md_sys_entry(entry)->id;
}

uint64_t tdh_sys_rd(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t id = c->gpr[RDX] & ~MD_CONTEXT_BITS;   /* context forced to SYS */
	unsigned elem;
	int entry;

	c->gpr[RDX] = MD_NULL_ID;
	c->gpr[R8] = 0;
	if (!m->lp[c->lp].lp_is_init)
		return TDX_SYS_LP_INIT_NOT_DONE;
	if (md_is_null(id)) {
		c->gpr[RDX] = md_sys_entry(md_sys_first_entry(m))->id;
		return TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT;
	}
	if (id & SINGLE_ELEMENT_RESERVED)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	entry = md_sys_lookup(m, id, &elem);
	if (entry < 0)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	c->gpr[R8] = md_sys_value(m, entry, elem);
	c->gpr[RDX] = next_id(m, id, entry, elem);
	return TDX_SUCCESS;
}
