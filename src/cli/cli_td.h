/* SPDX-License-Identifier: MIT */
/* What `tdxsim td` and `tdxsim run` share: the TD options and a session
 * that boots a platform and host, runs one step on LP 0 with a fresh TD
 * manager, counts pages and SEAMCALLs, and tears everything down. */
#ifndef TDXSIM_CLI_TD_H
#define TDXSIM_CLI_TD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "tdxsim/platform.h"
#include "vmm/vmm.h"

struct cli_td_opts {
	const char *platform, *profile;
	struct td_config td;            /* defaults: 1 vCPU, 64 MiB */
	bool json;
	const char *trace;              /* --trace FILE (docs/trace.md) */
	uint64_t trace_limit;           /* --trace-limit N: events per LP; 0 default */
};

#define CLI_TD_OPTSTRING "p:P:c:m:a:j"
/* Long-only TD options (getopt values outside the character range). */
#define CLI_TD_OPT_TRACE        0x100
#define CLI_TD_OPT_TRACE_LIMIT  0x101
/* The usage line the trace options add. */
#define CLI_TD_USAGE_TRACE "[--trace FILE [--trace-limit N]]"
#define CLI_TD_LONGOPTS                                          \
	{ "platform", required_argument, NULL, 'p' },            \
	{ "profile", required_argument, NULL, 'P' },             \
	{ "vcpus", required_argument, NULL, 'c' },               \
	{ "memory", required_argument, NULL, 'm' },              \
	{ "attributes", required_argument, NULL, 'a' },          \
	{ "json", no_argument, NULL, 'j' },                      \
	{ "trace", required_argument, NULL, CLI_TD_OPT_TRACE },  \
	{ "trace-limit", required_argument, NULL, CLI_TD_OPT_TRACE_LIMIT }

void cli_td_opts_init(struct cli_td_opts *o);
/* One getopt result: 0 when it was a TD option, 2 when its value is bad
 * (message and usage printed), 1 when it is not a TD option. */
int cli_td_option(const char *cmd, const char *usage, int ch, const char *arg,
		  struct cli_td_opts *o);

struct cli_td_session {
	uint64_t seamcalls, free_before, free_after;
	bool booted;
	char *log;                      /* the kernel log (shown when TDX did not come up) */
	FILE *trace;                    /* --trace: opened before the run */
	uint64_t trace_events, trace_dropped;
	/* The platform's report key (docs/attestation.md), kept once the
	 * platform is gone so `run --report-key` can save it. */
	uint8_t report_key[32];
	bool have_report_key;
	char err[512];
	char failure[200];              /* the failed SEAMCALL by name, or "" */
};

/* Loads the platform (2 when that fails, printed), boots it, and runs
 * fn(vmm, arg) on LP 0. fn's value; -EIO in s->err when TDX did not come
 * up. cli_td_session_end() frees the log. With --trace the file is opened
 * first (2, printed, when it cannot be), recording starts before TDX
 * comes up, and the file is written once the host is torn down (-EIO in
 * s->err when that fails). */
int cli_td_session(const char *cmd, const struct cli_td_opts *o,
		   struct cli_td_session *s, int (*fn)(struct vmm *, void *),
		   void *arg);
void cli_td_session_end(struct cli_td_session *s);
/* A failure's message on stderr, with the kernel log if TDX never came up. */
void cli_td_session_report(const char *cmd, const struct cli_td_session *s);

/* A 48-byte measurement (6 elements) read with TDH.MNG.RD. */
int cli_read_measurement(struct vm *vm, uint64_t field, uint8_t out[48]);
void cli_hex_bytes(char *out, const uint8_t *b, size_t n);

#endif
