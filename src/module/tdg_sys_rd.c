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

uint64_t tdg_sys_rd(struct tdx_vcpu *gv, uint64_t *gpr)
{
	return md_sys_read_element(gv->m, gpr, true);
}
