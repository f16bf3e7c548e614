/* SPDX-License-Identifier: MIT */
/*
 * touch [MIB [WORDS]]: writes the first WORDS (default all 512) 8-byte
 * words of every page of MIB MiB of private memory starting at
 * TOUCH_BASE (each page's first touch is an EPT violation, the host AUGs
 * it, the #VE handler accepts it), then reads them back and prints a
 * checksum. vCPUs split the range. The word at GPA a holds a ^ TOUCH_SEED,
 * so the checksum is computable without the TD: the sum (mod 2^64) of
 * the words written, printed per vCPU slice. WORDS 1 leaves little but
 * the lazy-accept path itself.
 */
#include "guest_internal.h"

#define TOUCH_BASE TDX_GUEST_FREE_GPA
#define TOUCH_SEED 0x9E3779B97F4A7C15ULL
#define WORDS_PER_PAGE 512

int guest_touch(struct tdx_guest *g, int argc, char **argv);

int guest_touch(struct tdx_guest *g, int argc, char **argv)
{
	/* The private half of the GPA space above TOUCH_BASE bounds MIB. */
	uint64_t max_mib = (tdx_shared_bit(g) - TOUCH_BASE) >> 20;
	uint64_t mib, words, n = tdx_nr_vcpus(g), i = tdx_vcpu_index(g);
	uint64_t pages, first, end, sum = 0, buf[WORDS_PER_PAGE];

	if (tdx_arg_u64(g, argc, argv, 1, 16, 0, max_mib, &mib) ||
	    tdx_arg_u64(g, argc, argv, 2, WORDS_PER_PAGE, 1, WORDS_PER_PAGE, &words))
		return TDX_GUEST_EXIT_USAGE;
	pages = mib << 8;
	first = TOUCH_BASE + pages * i / n * 4096;
	end = TOUCH_BASE + pages * (i + 1) / n * 4096;
	for (uint64_t gpa = first; gpa < end; gpa += 4096) {
		for (unsigned w = 0; w < words; w++)
			buf[w] = (gpa + w * 8) ^ TOUCH_SEED;
		tdx_write(g, gpa, buf, words * 8);
	}
	for (uint64_t gpa = first; gpa < end; gpa += 4096) {
		tdx_read(g, gpa, buf, words * 8);
		for (unsigned w = 0; w < words; w++)
			sum += buf[w];
	}
	tdx_printf(g, "vCPU %u touched [0x%llx, 0x%llx): checksum 0x%016llx\n",
		   tdx_vcpu_index(g), (unsigned long long)first,
		   (unsigned long long)end, (unsigned long long)sum);
	return 0;
}
