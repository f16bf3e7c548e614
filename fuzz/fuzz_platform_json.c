/* SPDX-License-Identifier: MIT */
/*
 * The platform description parser (src/platform/config_json.c,
 * docs/platform.md): a file that loads must be one the machine accepts,
 * so a configuration that parses is checked again by
 * tdxsim_config_finish() and must pass, and then builds a machine
 * (platform_create, which allocates memory sparsely and starts no thread).
 */
#include <string.h>

#include "fuzz.h"
#include "tdxsim/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tdxsim_platform_config cfg;
	char err[512], again[512];
	struct platform *p;

	memset(err, 0x55, sizeof(err));
	if (!tdxsim_config_parse_json((const char *)data, size, "fuzz.json", &cfg, err,
				      sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)) || !err[0])
			abort();   /* a refusal always says why */
		return 0;
	}
	if (!tdxsim_config_finish(&cfg, again, sizeof(again))) {
		fprintf(stderr, "accepted, then refused on a second check: %s\n", again);
		abort();
	}
	p = platform_create(&cfg, again, sizeof(again));
	if (!p) {
		fprintf(stderr, "accepted, then the machine refused it: %s\n", again);
		abort();
	}
	platform_destroy(p);
	return 0;
}
