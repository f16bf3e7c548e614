/* SPDX-License-Identifier: MIT */
/*
 * `tdxsim plan`'s memory-map parsers (src/host/memmap_parse.h) in one
 * format, FUZZ_MEMMAP_FORMAT (MEMMAP_IOMEM, _E820, _CMR or _AUTO); a map
 * that parses is then planned with both TDMR policies, as `plan` does.
 */
#include <string.h>

#include "fuzz.h"
#include "host/memmap_parse.h"
#include "host/tdmr_plan.h"

#ifndef FUZZ_MEMMAP_FORMAT
#define FUZZ_MEMMAP_FORMAT MEMMAP_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tdxsim_platform_config cfg;
	static struct tdmr_plan plan;
	enum memmap_format fmt;
	char err[512];

	if (memmap_parse_text((const char *)data, size, "fuzz", FUZZ_MEMMAP_FORMAT, &cfg, &fmt,
			      err, sizeof(err)))
		return 0;
	if (memchr(err, '\0', sizeof(err)) == NULL)
		abort();   /* the message must be terminated even on success */
	for (int pol = 0; pol < 2; pol++)
		tdmr_plan_for_config(&cfg, (enum tdmr_policy)pol, &plan);
	return 0;
}
