/* SPDX-License-Identifier: MIT */
/* Physical-address operand checks (abi §4.4, helpers.c in the module). */
#include "module.h"

uint32_t hpa_hkid(const struct tdx_module *m, uint64_t hpa)
{
	return (uint32_t)((hpa & m->hkid_mask) >> m->hkid_start_bit);
}

static bool below_max_pa(uint64_t hpa, uint64_t size)
{
	uint64_t limit = 1ULL << MODULE_MAX_PA;

	return hpa < limit && size <= limit - hpa;
}

static bool overlaps_seamrr(const struct tdx_module *m, uint64_t hpa,
			    uint64_t size)
{
	uint64_t pa = hpa & ~m->hkid_mask;

	return pa < m->seamrr_base + m->seamrr_size && m->seamrr_base < pa + size;
}

/* shared_hpa_check: aligned, below 2^52, not SEAMRR, a shared KeyID. */
bool hpa_valid_shared(const struct tdx_module *m, uint64_t hpa,
		      uint64_t size, uint64_t align)
{
	return !(hpa & (align - 1)) && below_max_pa(hpa, size) &&
	       !overlaps_seamrr(m, hpa, size) &&
	       hpa_hkid(m, hpa) < m->private_hkid_min;
}

/* hpa_check_with_pwr_2_alignment: aligned, below 2^52, HKID bits 0. */
bool hpa_valid_private_format(const struct tdx_module *m, uint64_t hpa,
			      uint64_t align)
{
	return !(hpa & (align - 1)) && below_max_pa(hpa, align) &&
	       !(hpa & m->hkid_mask);
}

#define MSR_IA32_MISC_ENABLE      0x1A0U         /* Intel SDM vol 4 */
#define MISC_ENABLE_BOOT_NT4      (1ULL << 22)   /* SDM; abi §7.1 */

bool lp_boot_nt4(const struct tdx_module *m, unsigned lp)
{
	uint64_t v;

	return platform_rdmsr(m->plat, lp, MSR_IA32_MISC_ENABLE, &v) &&
	       (v & MISC_ENABLE_BOOT_NT4);
}
