/* SPDX-License-Identifier: MIT */
/* What every benchmark shares: the clock, medians, and the empty call
 * every figure is held against. */
#ifndef TDXSIM_BENCH_COMMON_H
#define TDXSIM_BENCH_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts r in place and returns its median. */
static inline double bench_median(double *r, size_t n)
{
	qsort(r, n, sizeof(r[0]), bench_cmp_double);
	return r[n / 2];
}

/* Called through a volatile pointer so it is a real call every time. */
static __attribute__((noinline)) uint64_t bench_empty_fn(uint64_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x + 1;
}

static uint64_t (*volatile bench_empty_call)(uint64_t) = bench_empty_fn;

#endif
