/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.RD cost against baselines. Each measurement is the median of
 * ROUNDS rounds of ITERS calls (CLOCK_MONOTONIC), printed in ns/call:
 *   (a) an empty call through a function pointer,
 *   (b) SEAMCALL(TDH.SYS.RD) of MAX_TDMRS,
 *   (c) SEAMCALL(TDH.SYS.RD) walking the field chain,
 *   (d) OpenSSL SHA-384 over 4 KiB.
 * Exits 0 whatever the numbers; non-zero only when a SEAMCALL fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "bench_common.h"
#include "tdxsim/tdxsim.h"

#define ROUNDS 15
#define ITERS 200000
#define TARGET_NS 50.0

static volatile uint64_t sink;
static int failed;

static double round_empty(void)
{
	uint64_t acc = 0;
	double t0 = bench_now_ns();

	for (int i = 0; i < ITERS; i++)
		acc = bench_empty_call(acc);
	sink = acc;
	return (bench_now_ns() - t0) / ITERS;
}

static double round_sys_rd(void)
{
	struct tdx_module_args a;
	uint64_t acc = 0;
	double t0 = bench_now_ns();

	for (int i = 0; i < ITERS; i++) {
		memset(&a, 0, sizeof(a));
		a.rdx = MD_SYS_MAX_TDMRS;
		if (seamcall(TDH_SYS_RD, &a) != TDX_SUCCESS)
			failed = 1;
		acc += a.r8;
	}
	sink = acc;
	return (bench_now_ns() - t0) / ITERS;
}

static double round_walk(void)
{
	struct tdx_module_args a;
	uint64_t acc = 0, rdx = MD_FIELD_ID_NONE;
	double t0 = bench_now_ns();

	for (int i = 0; i < ITERS; i++) {
		uint64_t st;

		memset(&a, 0, sizeof(a));
		a.rdx = rdx;
		st = seamcall(TDH_SYS_RD, &a);
		if (st != TDX_SUCCESS && st != TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT)
			failed = 1;
		acc += a.r8;
		/* -1 ends the chain; passing it back restarts at the first ID. */
		rdx = a.rdx;
	}
	sink = acc;
	return (bench_now_ns() - t0) / ITERS;
}

static uint8_t page[4096];

static double round_sha(void)
{
	unsigned char md[SHA384_DIGEST_LENGTH];
	uint64_t acc = 0;
	int iters = ITERS / 50;   /* SHA-384 of 4 KiB is ~us: fewer calls */
	double t0 = bench_now_ns();

	for (int i = 0; i < iters; i++) {
		page[0] = (uint8_t)i;
		SHA384(page, sizeof(page), md);
		acc += md[0];
	}
	sink = acc;
	return (bench_now_ns() - t0) / iters;
}

static double median_of(double (*round_fn)(void))
{
	double r[ROUNDS];

	round_fn();   /* warm-up */
	for (int i = 0; i < ROUNDS; i++)
		r[i] = round_fn();
	return bench_median(r, ROUNDS);
}

static int on_lp_init(void *arg)
{
	uint64_t *st = arg;
	struct tdx_module_args a = { 0 };

	*st = seamcall(TDH_SYS_LP_INIT, &a);
	return 0;
}

int main(void)
{
	struct tdxsim_platform_config cfg;
	struct tdx_module_args a = { 0 };
	struct platform *p;
	char err[256];
	uint64_t st;
	double e, rd, walk, sha;

	tdxsim_config_default(&cfg);
	p = platform_create(&cfg, err, sizeof(err));
	if (!p) {
		fprintf(stderr, "platform_create: %s\n", err);
		return 1;
	}
	if (platform_bind(p, 0) || platform_vmxon(p)) {
		fprintf(stderr, "bind/vmxon on LP 0 failed\n");
		return 1;
	}
	st = seamcall(TDH_SYS_INIT, &a);
	if (st != TDX_SUCCESS) {
		fprintf(stderr, "TDH.SYS.INIT: %s\n", tdx_status_name(st) ?: "?");
		return 1;
	}
	on_lp_init(&st);
	if (st != TDX_SUCCESS) {
		fprintf(stderr, "TDH.SYS.LP.INIT: %s\n", tdx_status_name(st) ?: "?");
		return 1;
	}

	e = median_of(round_empty);
	rd = median_of(round_sys_rd);
	walk = median_of(round_walk);
	sha = median_of(round_sha);
	if (failed) {
		fprintf(stderr, "a TDH.SYS.RD failed during the measurement\n");
		platform_destroy(p);
		return 1;
	}
	printf("empty call (fn ptr)        : %8.2f ns/call\n", e);
	printf("TDH.SYS.RD MAX_TDMRS       : %8.2f ns/call  (%.1fx empty call)\n", rd, rd / e);
	printf("TDH.SYS.RD chain walk      : %8.2f ns/call  (%.1fx empty call)\n", walk, walk / e);
	printf("SHA-384 over 4 KiB         : %8.2f ns/call\n", sha);
	printf("sys_rd_median_ns=%.2f empty_call_ns=%.2f ratio=%.1f target<=%.0fns: %s\n",
	       rd, e, rd / e, TARGET_NS, rd <= TARGET_NS ? "PASS" : "MISS");
	platform_unbind(p);
	platform_destroy(p);
	return 0;
}
