/* SPDX-License-Identifier: MIT */
/*
 * TDH.PHYMEM.PAGE.RDMD (abi §5.4): read a page's PAMT metadata.
 * RCX = PA in; RCX = page type, RDX = owner PA, R8 = leaf size,
 * R9 = bepoch for REG/EPT pages out. RCX..R11 are zero on any error.
 */
#include "module.h"
#include "pamt.h"

/* Walk 1G → 2M → 4K, stopping at a PT_REG leaf; each level locked shared. */
static uint64_t walk(struct tdx_module *m, const struct tdmr_entry *t,
		     uint64_t pa, _Atomic uint64_t *held[3], unsigned *level)
{
	for (int lvl = (int)TDX_PS_1G; lvl >= (int)TDX_PS_4K; lvl--) {
		_Atomic uint64_t *e = pamt_entry_map(m, pamt_entry_pa(t, lvl, pa));

		if (!e || module_fault(m, TDXSIM_INJECT_PAMT_LOCK) ||
		    !hp_lock_host_try(e, LOCK_SH))
			return tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX);
		held[lvl] = e;
		*level = lvl;
		if (lvl == TDX_PS_4K || pamt_entry_pt(atomic_load(e)) == PT_REG)
			break;
	}
	return TDX_SUCCESS;
}

static void unwalk(_Atomic uint64_t *held[3])
{
	for (int lvl = 0; lvl < 3; lvl++)
		if (held[lvl])
			hp_lock_release(held[lvl], LOCK_SH);
}

uint64_t tdh_phymem_page_rdmd(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t pa = c->gpr[RCX], status;
	_Atomic uint64_t *held[3] = { NULL, NULL, NULL };
	unsigned level = TDX_PS_4K;
	int i;

	for (int r = RCX; r <= R11; r++)
		if (r == RCX || r == RDX || r >= R8)
			c->gpr[r] = 0;
	if (!hpa_valid_private_format(m, pa, 4096))
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (pamt_get_block(m, pa, &i) != TDX_SUCCESS)
		return tdx_status_with_operand(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RCX);
	c->touched_pa = pa;
	c->touched_len = 4096;
	status = walk(m, &m->tdmr[i], pa, held, &level);
	if (status == TDX_SUCCESS) {
		uint64_t w0 = atomic_load(held[level]);
		uint64_t pt = pamt_entry_pt(w0);

		c->gpr[RCX] = pt;
		c->gpr[RDX] = pamt_entry_owner_pa(w0);
		c->gpr[R8] = level;
		if (pt == PT_REG || pt == PT_EPT)
			c->gpr[R9] = atomic_load(held[level] + 1);
	}
	unwalk(held);
	return status;
}
