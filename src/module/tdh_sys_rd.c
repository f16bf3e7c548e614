/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.RD (abi §8.1): read one global metadata element. RDX = field ID
 * in; R8 = value and RDX = next readable element ID (or -1) out.
 */
#include "module.h"
#include "metadata_sys.h"

/* tdh_sys_rd: the outputs are preset, then this LP's LP.INIT, then the
 * element (md_sys_read_element). */
uint64_t tdh_sys_rd(struct tdx_module *m, struct seam_ctx *c)
{
	if (!m->lp[c->lp].lp_is_init) {
		c->gpr[RDX] = MD_NULL_ID;
		c->gpr[R8] = 0;
		return TDX_SYS_LP_INIT_NOT_DONE;
	}
	return md_sys_read_element(m, c->gpr, false);
}
