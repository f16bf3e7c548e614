/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "inspect.h"
#include "td.h"
#include "pamt.h"
#include "platform/platform_internal.h"

int tdx_inspect_sys_state(struct platform *p)
{
	return atomic_load(&module_of(p)->sys_state);
}

unsigned tdx_inspect_num_init_lps(struct platform *p)
{
	return atomic_load(&module_of(p)->num_of_init_lps);
}

unsigned tdx_inspect_num_init_pkgs(struct platform *p)
{
	return atomic_load(&module_of(p)->num_of_init_pkgs);
}

bool tdx_inspect_lp_is_init(struct platform *p, unsigned lp)
{
	return module_of(p)->lp[lp].lp_is_init;
}

unsigned tdx_inspect_kot_state(struct platform *p, unsigned hkid)
{
	return hkid < TDX_MAX_HKIDS ? atomic_load(&module_of(p)->kot[hkid].state) : ~0u;
}

unsigned tdx_inspect_num_tdmrs(struct platform *p)
{
	return module_of(p)->num_of_tdmr_entries;
}

uint64_t tdx_inspect_tdmr_last_initialized(struct platform *p, unsigned tdmr)
{
	return atomic_load(&module_of(p)->tdmr[tdmr].last_initialized);
}

uint16_t tdx_inspect_global_hkid(struct platform *p)
{
	return module_of(p)->global_hkid;
}

uint64_t tdx_inspect_pamt_word(struct platform *p, unsigned level, uint64_t pa)
{
	struct tdx_module *m = module_of(p);
	int i = pamt_tdmr_of(m, pa);

	return i < 0 ? 0 : pamt_entry_peek(m, pamt_entry_pa(&m->tdmr[i], level, pa));
}

bool tdx_inspect_td_mrtd(struct platform *p, uint64_t tdr_pa, uint8_t out[48])
{
	struct tdx_module *m = module_of(p);
	const struct tdr *tdr;
	const struct tdcs *tdcs;

	if (tdr_pa & (PAGE_4K - 1) ||
	    pamt_entry_pt(tdx_inspect_pamt_word(p, TDX_PS_4K, tdr_pa)) != PT_TDR)
		return false;
	/* Read-only keyholes: the TDR through the global private HKID, the
	 * TDCS through the TD's (recorded with its PA), as td_ref.c maps them. */
	tdr = (const struct tdr *)platform_keyhole_read(
		p, tdr_pa | ((uint64_t)m->global_hkid << m->hkid_start_bit));
	if (!tdr || tdr->num_tdcx < TDX_MIN_NUM_TDCS_PAGES)
		return false;
	tdcs = (const struct tdcs *)platform_keyhole_read(p, tdr->tdcx_pa[TDCS_PAGE_MGMT]);
	if (!tdcs)
		return false;
	memcpy(out, tdcs->mrtd, TDX_SHA384_SIZE);
	return true;
}

void tdx_inspect_check_all(struct platform *p)
{
	struct tdx_module *m = module_of(p);

	for (unsigned i = 0; i < m->num_of_tdmr_entries; i++)
		module_check_range(m, ~0u, m->tdmr[i].base, m->tdmr[i].size);
}

void tdx_inspect_set_invariants(struct platform *p, bool on)
{
	atomic_store(&module_of(p)->invariants_off, !on);
}

/* Assigned = any type but NDA and RSVD, at any of the three sizes. */
uint64_t tdx_inspect_count_assigned(struct platform *p)
{
	struct tdx_module *m = module_of(p);
	uint64_t n = 0;

	for (unsigned i = 0; i < m->num_of_tdmr_entries; i++) {
		const struct tdmr_entry *t = &m->tdmr[i];
		uint64_t ready = atomic_load(&m->tdmr[i].last_initialized);

		for (uint64_t pa = t->base; pa < ready; pa += PAGE_4K)
			for (unsigned l = 0; l < 3; l++) {
				uint64_t pt;

				if (pa & ((PAGE_4K << (9 * l)) - 1))
					break;
				pt = pamt_entry_pt(pamt_entry_peek(m, pamt_entry_pa(t, l, pa)));
				n += pt != PT_NDA && pt != PT_RSVD;
			}
	}
	return n;
}
