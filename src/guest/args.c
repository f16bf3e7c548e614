/* SPDX-License-Identifier: MIT */
/*
 * Program arguments. They come from the measured image, so they are
 * parsed inside the guest; a typo must not become 0 or 2^64 - 5 (a
 * "vmcalls -5" that never ends), so each is checked whole and bounded.
 */
#include <errno.h>
#include <stdlib.h>

#include "guest_internal.h"

int tdx_arg_u64(struct tdx_guest *g, int argc, char **argv, int i,
		uint64_t dflt, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s;
	char *end;
	unsigned long long v;

	if (i >= argc) {
		*out = dflt;
		return 0;
	}
	s = argv[i];
	errno = 0;
	/* strtoull takes a sign and negates; a count has none. */
	v = (*s >= '0' && *s <= '9') ? strtoull(s, &end, 0) : 0;
	if (!(*s >= '0' && *s <= '9') || *end || errno || v < min || v > max) {
		if (tdx_vcpu_index(g) == 0)   /* one line, not one per vCPU */
			tdx_printf(g, "%s: argument %d '%s' is not a number from %llu to %llu\n",
				   argv[0], i, s, (unsigned long long)min,
				   (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}
