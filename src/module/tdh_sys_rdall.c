/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.RDALL: dump global metadata as a metadata list into one 4 KiB
 * page (metadata_sys_list.c). RDX = list page HPA (shared), R8 = first
 * field ID (null: from the start; else the first element of any field).
 * R8 out = the next field ID to read, -1 when the context is done.
 */
#include "module.h"
#include "metadata_sys.h"
#include "platform/platform_internal.h"

uint64_t tdh_sys_rdall(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t list_pa = c->gpr[RDX], first = c->gpr[R8], status;
	uint8_t page[MD_LIST_SIZE];
	unsigned len;

	c->gpr[R8] = MD_NULL_ID;
	if (!m->lp[c->lp].lp_is_init)
		return TDX_SYS_LP_INIT_NOT_DONE;
	if (!hpa_valid_shared(m, list_pa, MD_LIST_SIZE, MD_LIST_SIZE))
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	/* The module writes into the mapped page, and what it does not
	 * write keeps the host's bytes (md_sys_dump skips some). */
	platform_mem_read(m->plat, list_pa, page, sizeof(page));
	status = md_sys_dump(m, first, false, page, &len, &c->gpr[R8]);
	if (len)
		platform_mem_write(m->plat, list_pa, page, len);
	return status;
}
