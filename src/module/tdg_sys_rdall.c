/* SPDX-License-Identifier: MIT */
/*
 * TDG.SYS.RDALL: the guest's view of the global metadata as a metadata
 * list (the layout of TDH.SYS.RDALL) in one private 4 KiB page. RDX = the
 * page's GPA, R8 = the first field ID (null: from the start). R8 out =
 * the next field ID to read, or -1 when the guest's fields are done.
 */
#include "module.h"
#include "metadata_sys.h"
#include "td_run.h"

/* tdg_sys_rdall: R8 preset, RDX aligned, the page walked and mapped
 * (private only, faults taken as for any TDCALL operand), then the list. */
uint64_t tdg_sys_rdall(struct tdx_vcpu *gv, uint64_t *gpr)
{
	uint64_t gpa = gpr[RDX], first = gpr[R8], status;
	uint8_t page[MD_LIST_SIZE];
	unsigned len;

	gpr[R8] = MD_NULL_ID;
	if ((gpa & (MD_LIST_SIZE - 1)) ||
	    !td_guest_operand(gv, gpa, page, 8, false, true))
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	status = md_sys_dump(gv->m, first, true, page, &len, &gpr[R8]);
	if (len)
		td_guest_operand(gv, gpa, page, len, true, true);
	return status;
}
