/* SPDX-License-Identifier: MIT */
#include "inspect.h"
#include "module.h"
#include "pamt.h"

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

void tdx_inspect_check_all(struct platform *p)
{
	struct tdx_module *m = module_of(p);

	for (unsigned i = 0; i < m->num_of_tdmr_entries; i++)
		module_check_range(m, ~0u, m->tdmr[i].base, m->tdmr[i].size);
}
