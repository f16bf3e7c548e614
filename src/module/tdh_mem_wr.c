/* SPDX-License-Identifier: MIT */
/*
 * TDH.MEM.WR (abi §5.7): RCX = GPA (8-byte aligned), RDX = TDR, R8 = the
 * value to store; out R8 = the value it replaced. Debug TDs only; the
 * body is TDH.MEM.RD's (tdh_mem_rd.c).
 */
#include "sept.h"

uint64_t tdh_mem_wr(struct tdx_module *m, struct seam_ctx *c)
{
	return tdh_mem_rd_wr(m, c, true);
}
