/* SPDX-License-Identifier: MIT */
/* The file parsers behind `tdxsim report verify` (cmd_report.c), shared
 * with its fuzz targets (fuzz/). Not an API. */
#ifndef TDXSIM_CLI_REPORT_INTERNAL_H
#define TDXSIM_CLI_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdxsim/tdreport.h"

/* A TDREPORT without --key passes every check that can be made, but its
 * hashes are recomputable by anyone, so it is neither valid nor invalid. */
enum outcome { INVALID, VALID, UNVERIFIED };

struct verdict {
	const char *kind;              /* "tdreport", "quote" or NULL */
	bool have_body;                /* body holds the file's report */
	struct tdx_report body;
	enum outcome outcome;
	char reason[256];
	const char *mac;               /* "valid", "invalid", "not checkable" */
	bool have_key;
	uint8_t fingerprint[32];
};

/* Checks a TDREPORT or quote file's bytes (key: the report key, or NULL
 * when there is none); fills *v, which starts zeroed. */
void report_check(const uint8_t *buf, size_t len, const uint8_t *key, struct verdict *v);
/* A key file's contents: 64 hex digits, whitespace ignored, optional 0x. */
bool report_key_parse(const uint8_t *buf, size_t len, uint8_t key[TDX_REPORT_KEY_SIZE]);

#endif
