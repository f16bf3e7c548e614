/* SPDX-License-Identifier: MIT */
/*
 * Memory maps of real machines for `tdxsim plan`: /proc/iomem, the
 * "BIOS-e820:" and "ACPI: SRAT:" lines of dmesg, the TDX module's CMR
 * lines of dmesg, or a platform JSON file. Each becomes a platform
 * configuration so the TDMR planner can be run on a machine one does not
 * have; the other platform settings stay at the built-in default.
 */
#ifndef TDXSIM_HOST_MEMMAP_PARSE_H
#define TDXSIM_HOST_MEMMAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "tdxsim/platform.h"

/* AUTO guesses from the text; the others force one parser, so a file that
 * looks like something else is refused rather than misread. */
enum memmap_format { MEMMAP_AUTO = 0, MEMMAP_IOMEM, MEMMAP_E820, MEMMAP_CMR, MEMMAP_JSON };

/* The names --format takes: "auto", "iomem", "e820", "cmr", "json". */
const char *memmap_format_name(enum memmap_format f);
bool memmap_format_parse(const char *name, enum memmap_format *out);

/* Parses a memory map into cfg. cfg starts as tdxsim_config_default() with the memmap
 * (and CMRs) replaced by what the text describes, then tdxsim_config_finish() is run.
 * Returns 0, or 2 with "NAME:LINE: problem" (or "NAME: problem") in err.
 * *detected (may be NULL) gets the format actually used. */
int memmap_parse_text(const char *text, size_t len, const char *name, enum memmap_format fmt,
                      struct tdxsim_platform_config *cfg, enum memmap_format *detected,
                      char *err, size_t errlen);
/* The same for a file (at most 16 MiB); NAME is the path. */
int memmap_load_file(const char *path, enum memmap_format fmt, struct tdxsim_platform_config *cfg,
                     enum memmap_format *detected, char *err, size_t errlen);

#endif
