/* SPDX-License-Identifier: MIT */
/*
 * `tdxsim report verify`'s file parsers (src/cli/cmd_report.c,
 * src/vmm/quote.c, include/tdxsim/tdreport.h): the input is checked as a
 * report or quote file without a key and with one, and read as a --key
 * file.
 */
#include <stdbool.h>
#include <string.h>

#include "cli/report_internal.h"
#include "fuzz.h"

static void check_verdict(const struct verdict *v, bool keyed)
{
	if (!memchr(v->reason, '\0', sizeof(v->reason)))
		abort();
	if (v->outcome == VALID && (!v->kind || !v->have_body || v->reason[0]))
		abort();   /* a valid file is a known kind, with its body */
	if (v->outcome != VALID && !v->reason[0])
		abort();   /* an invalid or unverified one says why */
	/* A bare TDREPORT is valid only with its MAC checked; unverified is
	 * only for a TDREPORT without a key. */
	if (v->outcome == VALID && !keyed && !strcmp(v->kind, "tdreport"))
		abort();
	if (v->outcome == UNVERIFIED && (keyed || !v->kind || strcmp(v->kind, "tdreport")))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The key tests/tools/mkquote's report (corpus/report_verify/report.bin)
	 * is MACed with, so the MAC check can pass as well as fail. */
	static const uint8_t fixed_key[TDX_REPORT_KEY_SIZE] = {
		0xa5, 0xa4, 0xa7, 0xa6, 0xa1, 0xa0, 0xa3, 0xa2, 0xad, 0xac, 0xaf,
		0xae, 0xa9, 0xa8, 0xab, 0xaa, 0xb5, 0xb4, 0xb7, 0xb6, 0xb1, 0xb0,
		0xb3, 0xb2, 0xbd, 0xbc, 0xbf, 0xbe, 0xb9, 0xb8, 0xbb, 0xba,
	};
	uint8_t key[TDX_REPORT_KEY_SIZE];
	struct verdict v;

	memset(&v, 0, sizeof(v));
	report_check(data, size, NULL, &v);
	check_verdict(&v, false);
	memset(&v, 0, sizeof(v));
	report_check(data, size, fixed_key, &v);
	check_verdict(&v, true);
	report_key_parse(data, size, key);
	return 0;
}
