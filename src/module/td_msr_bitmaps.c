/* SPDX-License-Identifier: MIT */
/*
 * The TD's MSR bitmaps (TDCS page 2, the VMCS layout: read-low, read-
 * high, write-low, write-high, 1 KiB each; low = MSRs 0..0x1FFF, high =
 * 0xC0000000..0xC0001FFF). TDH.MNG.ADDCX sets every bit (every access
 * exits); TDH.MNG.INIT clears the bits of the MSRs the TD reaches
 * natively, as tdx_1.5 helpers.c set_msr_bitmaps does.
 */
#include "td.h"
#include "td_msr.h"
#include "tdxsim/platform.h"

#define BITMAP_BYTES   1024u
#define HIGH_MSR_START 0xC0000000u
#define BITMAP_MSRS    (BITMAP_BYTES * 8)

bool msr_in_bitmap(uint32_t msr)
{
	return msr < BITMAP_MSRS || (msr >= HIGH_MSR_START && msr - HIGH_MSR_START < BITMAP_MSRS);
}

/* The byte and bit of msr's read bit; the write bit is 2 KiB further. */
static uint8_t *bit_of(uint8_t *page, uint32_t msr, bool write, unsigned *bit)
{
	uint32_t low = msr & ~HIGH_MSR_START;
	unsigned off = (msr >= HIGH_MSR_START ? BITMAP_BYTES : 0) + low / 8;

	*bit = low % 8;
	return &page[off + (write ? 2 * BITMAP_BYTES : 0)];
}

bool msr_bitmap_exits(const uint8_t *page, uint32_t msr, bool write)
{
	unsigned bit;
	const uint8_t *b = bit_of((uint8_t *)page, msr, write, &bit);

	return !msr_in_bitmap(msr) || (*b >> bit & 1);
}

uint64_t msr_platform_perf_cap(struct tdx_module *m)
{
	uint64_t v = 0;

	/* plt_common_config: the value sampled at SYS.INIT; the model has
	 * no IA32_PERF_CAPABILITIES, which reads as 0. */
	platform_rdmsr(m->plat, 0, TDMSR_PERF_CAPABILITIES, &v);
	return v;
}

void msr_bitmaps_init(struct tdx_module *m, const struct tdcs *t,
		      const struct tdcs_cpuid *c, uint8_t *page)
{
	uint64_t perf_cap = msr_platform_perf_cap(m);
	unsigned n, bit = 0;
	const struct msr_range *r = msr_lookup_table(&n);

	for (unsigned i = 0; i < n; i++) {
		bool rd = msr_bit_cleared(t, c, perf_cap, r[i].first, r[i].rd_bit);
		bool wr = msr_bit_cleared(t, c, perf_cap, r[i].first, r[i].wr_bit);

		for (uint32_t msr = r[i].first; (rd || wr) && msr <= r[i].last; msr++) {
			uint8_t *b;

			/* bit is known only once bit_of returns: two statements. */
			if (rd) {
				b = bit_of(page, msr, false, &bit);
				*b &= (uint8_t)~(1u << bit);
			}
			if (wr) {
				b = bit_of(page, msr, true, &bit);
				*b &= (uint8_t)~(1u << bit);
			}
		}
	}
}
