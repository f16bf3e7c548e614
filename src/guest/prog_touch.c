/* SPDX-License-Identifier: MIT */
/*
 * touch [MIB]: writes every 8-byte word of MIB MiB of private memory
 * starting at TOUCH_BASE (each page's first touch is an EPT violation,
 * the host AUGs it, the #VE handler accepts it), then reads it all back
 * and prints a checksum. vCPUs split the range. The word at GPA a holds
 * a ^ TOUCH_SEED, so the checksum is computable without the TD:
 * the sum (mod 2^64) of all words, printed per vCPU slice.
 */
#include <stdlib.h>

#include "guest_internal.h"

#define TOUCH_BASE TDX_GUEST_FREE_GPA
#define TOUCH_SEED 0x9E3779B97F4A7C15ULL

int guest_touch(struct tdx_guest *g, int argc, char **argv);

int guest_touch(struct tdx_guest *g, int argc, char **argv)
{
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 0) : 16;
	uint64_t pages = mib << 8, n = tdx_nr_vcpus(g), i = tdx_vcpu_index(g);
	uint64_t first = TOUCH_BASE + pages * i / n * 4096;
	uint64_t end = TOUCH_BASE + pages * (i + 1) / n * 4096;
	uint64_t sum = 0, buf[512];

	for (uint64_t gpa = first; gpa < end; gpa += 4096) {
		for (unsigned w = 0; w < 512; w++)
			buf[w] = (gpa + w * 8) ^ TOUCH_SEED;
		tdx_write(g, gpa, buf, sizeof(buf));
	}
	for (uint64_t gpa = first; gpa < end; gpa += 4096) {
		tdx_read(g, gpa, buf, sizeof(buf));
		for (unsigned w = 0; w < 512; w++)
			sum += buf[w];
	}
	tdx_printf(g, "vCPU %u touched [0x%llx, 0x%llx): checksum 0x%016llx\n",
		   tdx_vcpu_index(g), (unsigned long long)first,
		   (unsigned long long)end, (unsigned long long)sum);
	return 0;
}
