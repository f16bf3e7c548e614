/* SPDX-License-Identifier: MIT */
/* `tdxsim script [-v] FILE`: run a scenario (docs/scripting.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_input.h"
#include "commands.h"
#include "script/script.h"

#define SCRIPT_USAGE "usage: tdxsim script [-v|--verbose] FILE\n"
const char cmd_script_synopsis[] = SCRIPT_USAGE;

static int script_usage(FILE *f, int rc)
{
	if (rc) {
		fputs(SCRIPT_USAGE, f);
		return rc;
	}
	fprintf(f, SCRIPT_USAGE
		"Runs a scenario script (docs/scripting.md); FILE - reads standard input.\n"
		"  -v, --verbose   print each step and SEAMCALL result as it runs\n"
		"Exit status: 0 every expectation held, 1 an expectation failed or a\n"
		"step errored, 2 usage error or malformed script (nothing ran).\n");
	return rc;
}

/* FILE, or standard input for "-" (its `platform file` paths are then
 * relative to the working directory). */
static int run_file(const char *file, const struct script_opts *o)
{
	char *text;
	size_t len;
	int rc;

	if (!cli_is_stdin(file))
		return script_run_file(file, o);
	/* script_run_text says when it is over the scripts' own limit. */
	if (!(text = cli_read_whole("script", file, CLI_INPUT_MAX, &len)))
		return SCRIPT_MALFORMED;
	rc = script_run_text(text, len, cli_input_name(file), o);
	free(text);
	return rc;
}

int cmd_script(int argc, char **argv)
{
	struct script_opts o = { .out = stdout, .err = stderr };
	const char *file = NULL;
	bool opts_done = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!opts_done && (!strcmp(a, "-h") || !strcmp(a, "--help")))
			return script_usage(stdout, 0);
		if (!opts_done && (!strcmp(a, "-v") || !strcmp(a, "--verbose"))) {
			o.verbose = true;
		} else if (!opts_done && !strcmp(a, "--")) {
			opts_done = true;
		} else if (!opts_done && a[0] == '-' && a[1]) {
			fprintf(stderr, "tdxsim script: unknown option '%s'\n", a);
			return script_usage(stderr, 2);
		} else if (file) {
			fprintf(stderr, "tdxsim script: more than one FILE\n");
			return script_usage(stderr, 2);
		} else {
			file = a;
		}
	}
	if (!file) {
		fprintf(stderr, "tdxsim script: missing FILE\n");
		return script_usage(stderr, 2);
	}
	return run_file(file, &o);
}
