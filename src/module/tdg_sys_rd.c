/* SPDX-License-Identifier: MIT */
/*
 * TDG.SYS.RD: the guest reads one global metadata element, of the few
 * the module lets it see (its identity, features and migration
 * versions). RDX = field ID in; R8 = value and RDX = the next element the
 * guest may read (or -1) out. Unlike TDH.SYS.RD there is no LP check.
 */
#include "module.h"
#include "metadata_sys.h"
#include "td_run.h"

#define SINGLE_ELEMENT_RESERVED \
	(MD_FIELD_ID_RESERVED_MASK | \
	 (MD_LAST_ELEMENT_MASK << MD_LAST_ELEMENT_SHIFT) | \
	 (MD_LAST_FIELD_MASK << MD_LAST_FIELD_SHIFT))

/* tdg_sys_rd: RDX -1 and R8 0 first, the context forced to SYS, then the
 * null-ID query, the single-element check, the lookup, the guest mask. */
uint64_t tdg_sys_rd(struct tdx_vcpu *gv, uint64_t *gpr)
{
	const struct tdx_module *m = gv->m;
	uint64_t id = gpr[RDX] & ~MD_CONTEXT_BITS;
	unsigned elem;
	int entry;

	gpr[RDX] = MD_NULL_ID;
	gpr[R8] = 0;
	if (md_is_null(id)) {
		gpr[RDX] = md_sys_entry(md_sys_next_guest_entry(m, -1))->id;
		return TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT;
	}
	if (id & SINGLE_ELEMENT_RESERVED)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	entry = md_sys_lookup(m, id, &elem);
	if (entry < 0)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	if (!md_sys_entry(entry)->guest_rd)
		return TDX_METADATA_FIELD_NOT_READABLE;
	gpr[R8] = md_sys_value(m, entry, elem);
	entry = md_sys_next_guest_entry(m, entry);
	gpr[RDX] = entry < 0 ? MD_NULL_ID : md_sys_entry(entry)->id;
	return TDX_SUCCESS;
}
