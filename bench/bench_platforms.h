/* SPDX-License-Identifier: MIT */
/* Platforms more than one benchmark boots, so their figures stay
 * comparable. */
#ifndef TDXSIM_BENCH_PLATFORMS_H
#define TDXSIM_BENCH_PLATFORMS_H

#include <stdio.h>
#include <string.h>

#include "tdxsim/tdxsim.h"

/* Two sockets of 2 TiB each behind the usual low-memory holes: the
 * largest machine the boot targets are set for. */
static inline void bench_four_tib(struct tdxsim_platform_config *c)
{
	static const struct tdxsim_mem_range map[] = {
		{ 0x0, 0x9f000, TDXSIM_MEM_RAM, 0 },
		{ 0x9f000, 0x61000, TDXSIM_MEM_RESERVED, 0 },
		{ 0x100000, 0x77700000, TDXSIM_MEM_RAM, 0 },
		{ 0x77800000, 0x8800000, TDXSIM_MEM_RESERVED, 0 },
		{ 0x100000000, 2ULL << 40, TDXSIM_MEM_RAM, 0 },
		{ 0x100000000 + (2ULL << 40), 2ULL << 40, TDXSIM_MEM_RAM, 1 },
	};

	tdxsim_config_default(c);
	snprintf(c->name, sizeof(c->name), "2s-4tib");
	c->lps_per_package = 8;
	c->n_memmap = sizeof(map) / sizeof(map[0]);
	memcpy(c->memmap, map, sizeof(map));
}

/* The default platform and the 4 TiB one, finished; 1 (after a message)
 * if either is refused. */
static inline int bench_two_platforms(struct tdxsim_platform_config *def,
				      struct tdxsim_platform_config *big)
{
	char err[256];

	tdxsim_config_default(def);
	bench_four_tib(big);
	if (!tdxsim_config_finish(def, err, sizeof(err)) ||
	    !tdxsim_config_finish(big, err, sizeof(err))) {
		fprintf(stderr, "config: %s\n", err);
		return 1;
	}
	return 0;
}

#endif
