/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.TDMR.INIT (abi §3.3): initialise the next 4 MiB of a TDMR's
 * PAMT. RCX = TDMR base; RDX out = the initialised boundary rounded down
 * to 1 GiB (only whole 1 GiB blocks are usable).
 */
#include "module.h"
#include "pamt.h"

#define GiB (1ULL << 30)

static int tdmr_by_base(const struct tdx_module *m, uint64_t base)
{
	int i = pamt_tdmr_of(m, base);

	return i >= 0 && m->tdmr[i].base == base ? i : -1;
}

uint64_t tdh_sys_tdmr_init(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t base = c->gpr[RCX], status = TDX_SUCCESS;
	struct tdmr_entry *t;
	int i;

	c->gpr[RDX] = 0;
	if (!hpa_valid_private_format(m, base, GiB) ||
	    (i = tdmr_by_base(m, base)) < 0)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	t = &m->tdmr[i];
	if (module_fault(m, TDXSIM_INJECT_TDMR_LOCK) || !mutex_try(&t->mutex))
		return tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX);
	if (atomic_load(&t->last_initialized) >= t->base + t->size) {
		status = TDX_TDMR_ALREADY_INITIALIZED;
	} else {
		c->touched_pa = atomic_load(&t->last_initialized);
		c->touched_len = (uint64_t)TDX_TDMR_4K_PAMT_INIT_COUNT << 12;
		pamt_init_chunk(m, t);
		c->gpr[RDX] = atomic_load(&t->last_initialized) & ~(GiB - 1);
	}
	mutex_release(&t->mutex);
	return status;
}
