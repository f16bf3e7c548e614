/* SPDX-License-Identifier: MIT */
/* Random memory maps for the planner and the Linux-in-the-loop
 * differential: xorshift64*, fixed seeds, so a run is repeatable. */
#ifndef TDXSIM_TEST_RANDOM_MAP_H
#define TDXSIM_TEST_RANDOM_MAP_H

#include <stdint.h>

#include "host/tdmr_plan.h"

uint64_t rng_next(uint64_t *s);
uint64_t rng_below(uint64_t *s, uint64_t n);
/* A map of up to 200 blocks on up to 4 nodes below a random limit of at
 * most max_gib GiB: blocks of a few pages to 128 GiB, gaps from none (a
 * node change) to whole GiBs, nodes mostly in address order. */
void random_map(uint64_t *s, struct tdx_memlist *l, uint64_t max_gib);

#endif
