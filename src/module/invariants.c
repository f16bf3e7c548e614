/* SPDX-License-Identifier: MIT */
/*
 * Debug-build invariant: after every SEAMCALL, the PAMT entries the call
 * touched agree with what the module has handed out: RSVD exactly inside
 * reserved areas; elsewhere NDA or a TD page type (with an owner for all
 * but the TDR, which has none); no lock left held. A violation is a
 * module bug: report it and abort.
 */
#include <stdio.h>
#include <stdlib.h>

#include "module.h"
#include "pamt.h"

#define LOCK_HELD_MASK 0xFFFDULL   /* exclusive + readers, not host-priority */

static void fail(const char *what, uint64_t pa, uint64_t w0)
{
	fprintf(stderr, "tdxsim: module invariant violated: %s at PA 0x%llx "
		"(PAMT word 0x%016llx)\n", what, (unsigned long long)pa,
		(unsigned long long)w0);
	abort();
}

static bool td_type(uint64_t pt)
{
	return pt == PT_REG || pt == PT_TDR || pt == PT_TDCX || pt == PT_TDVPR ||
	       pt == PT_EPT;
}

static bool type_ok(const struct tdmr_entry *t, unsigned level, uint64_t pa,
		    uint64_t w0)
{
	uint64_t pt = pamt_entry_pt(w0);

	if (level == TDX_PS_4K && tdmr_page_reserved(t, pa))
		return pt == PT_RSVD;
	if (pt == PT_NDA)
		return true;
	if (!td_type(pt) || (level != TDX_PS_4K && pt != PT_REG))
		return false;
	return (pt == PT_TDR) == !pamt_entry_owner_pa(w0);
}

static void check_entry(struct tdx_module *m, const struct tdmr_entry *t,
			unsigned level, uint64_t pa, bool locks)
{
	uint64_t w0 = pamt_entry_peek(m, pamt_entry_pa(t, level, pa));

	if (!type_ok(t, level, pa, w0))
		fail("page type differs from the module's records", pa, w0);
	if (locks && (w0 & LOCK_HELD_MASK))
		fail("PAMT entry lock left held", pa, w0);
}

void module_check_range(struct tdx_module *m, unsigned self, uint64_t pa,
			uint64_t len)
{
	bool locks = !module_others_in_seam(m, self);
	int i = pamt_tdmr_of(m, pa);
	const struct tdmr_entry *t;
	uint64_t ready;

	if (i < 0)
		return;
	t = &m->tdmr[i];
	ready = atomic_load(&m->tdmr[i].last_initialized);
	for (uint64_t p = pa; p < pa + len && p < ready; p += 4096) {
		check_entry(m, t, TDX_PS_4K, p, locks);
		if (!(p & ((1ULL << 21) - 1)))
			check_entry(m, t, TDX_PS_2M, p, locks);
	}
}

void module_check_invariants(struct tdx_module *m, struct seam_ctx *c)
{
	if (c->touched_len)
		module_check_range(m, c->lp, c->touched_pa, c->touched_len);
	if (c->touched2_pa)
		module_check_range(m, c->lp, c->touched2_pa, 4096);
}
