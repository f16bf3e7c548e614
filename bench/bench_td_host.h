/* SPDX-License-Identifier: MIT */
/* What the TD benchmarks share: the default platform with TDX up. */
#ifndef TDXSIM_BENCH_TD_HOST_H
#define TDXSIM_BENCH_TD_HOST_H

#include <stdio.h>

#include "host/host.h"
#include "tdxsim/tdxsim.h"

/*
 * Builds the default platform, boots the host, sets *h, runs fn(arg) on
 * LP 0, then tears everything down. fn's return value, or 1 with a
 * message when the machine could not be brought up.
 */
static inline int bench_on_default_host(int (*fn)(void *), void *arg,
					struct host **h)
{
	static struct tdxsim_platform_config cfg;
	struct platform *p;
	char err[256];
	int ret;

	tdxsim_config_default(&cfg);
	if (!tdxsim_config_finish(&cfg, err, sizeof(err))) {
		fprintf(stderr, "config: %s\n", err);
		return 1;
	}
	p = platform_create(&cfg, err, sizeof(err));
	*h = p ? host_create(p, &(struct host_options){ 0 }, err, sizeof(err)) : NULL;
	if (!*h) {
		fprintf(stderr, "platform/host: %s\n", err);
		platform_destroy(p);
		return 1;
	}
	if ((ret = host_boot(*h))) {
		fprintf(stderr, "host_boot: %d\n", ret);
		ret = 1;
	} else {
		ret = platform_on_lp(p, 0, fn, arg);
	}
	host_destroy(*h);
	*h = NULL;
	platform_destroy(p);
	return ret;
}

#endif
