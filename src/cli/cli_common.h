/* SPDX-License-Identifier: MIT */
/* Pieces the commands share. */
#ifndef TDXSIM_CLI_COMMON_H
#define TDXSIM_CLI_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tdxsim/platform.h"

/* The default platform or a JSON file, a profile override, then
 * tdxsim_config_finish. Returns 0, or 2 with the message printed. */
int cli_load_platform(const char *cmd, const char *path, const char *profile,
		      struct tdxsim_platform_config *cfg);
json_t *cli_hex(uint64_t v);
/* A number with an optional K/M/G suffix (0x.. and 0.. as C reads them). */
bool cli_parse_size(const char *s, uint64_t *out);
/* Peak resident set size of this process, in KiB. */
long cli_peak_rss_kb(void);
double cli_now(void);
/* A log's lines as a JSON array of strings. */
json_t *cli_log_lines(const char *buf);

/* What the kernel's "SEAMCALL (0x..) failed: 0x.." line gives as
 * numbers, by name: "SEAMCALL TDH.SYS.CONFIG failed: TDX_OPERAND_INVALID
 * (0x...), operand RCX". */
void cli_seamcall_failure(char *out, size_t n, uint64_t leaf, uint64_t status);
json_t *cli_seamcall_failure_json(uint64_t leaf, uint64_t status);

struct tdmr_plan;
struct tdmr_info_entry;
/* One TDMR_INFO as JSON; pamt_node < 0: not known, left out. */
json_t *cli_tdmr_json(const struct tdmr_info_entry *info, unsigned n_rsvd, int pamt_node);
/* A plan's TDMRs with their PAMTs and reserved areas, as JSON. */
json_t *cli_tdmrs_json(const struct tdmr_plan *plan);

#endif
