/* SPDX-License-Identifier: MIT */
/*
 * The scenario runner: `tdxsim script FILE` (docs/scripting.md).
 *
 * A scenario is parsed whole before anything runs, so a malformed file
 * never half-runs. It then drives one platform through the public API
 * only: platform and LP operations, memory, SEAMCALLs and fault injection.
 */
#ifndef TDXSIM_SCRIPT_H
#define TDXSIM_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct script_opts {
	FILE *out;          /* echo, reads without expect, -v trace; NULL: stdout */
	FILE *err;          /* errors and failed expectations; NULL: stderr */
	bool verbose;       /* print each step as it runs */
	/* Most commands executed in one run (loop bodies count each time);
	 * 0 means the default, 100,000,000. Exceeding it is a run-time error. */
	uint64_t max_steps;
};

/* Exit codes of a run. */
#define SCRIPT_OK        0   /* every step and expectation held */
#define SCRIPT_FAILED    1   /* an expectation failed or a step errored */
#define SCRIPT_MALFORMED 2   /* syntax error (nothing ran) or unreadable file */

/*
 * Runs a scenario file. Returns SCRIPT_OK, SCRIPT_FAILED or
 * SCRIPT_MALFORMED; messages are "FILE:LINE: ..." on o->err.
 * `platform file` paths are relative to the script's directory.
 */
int script_run_file(const char *path, const struct script_opts *o);

/*
 * Runs a scenario held in memory (need not be NUL-terminated). name is
 * used in messages and its directory part resolves `platform file` paths.
 */
int script_run_text(const char *text, size_t len, const char *name,
		    const struct script_opts *o);

#ifdef __cplusplus
}
#endif
#endif
