/* SPDX-License-Identifier: MIT */
/* `tdxsim script [-v] FILE`: run a scenario (docs/scripting.md). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "script/script.h"

#define SCRIPT_USAGE "usage: tdxsim script [-v|--verbose] FILE\n"

static int script_usage(FILE *f, int rc)
{
	if (rc) {
		fputs(SCRIPT_USAGE, f);
		return rc;
	}
	fprintf(f, SCRIPT_USAGE
		"Runs a scenario script (docs/scripting.md).\n"
		"  -v, --verbose   print each step and SEAMCALL result as it runs\n"
		"Exit status: 0 every expectation held, 1 an expectation failed or a\n"
		"step errored, 2 usage error or malformed script (nothing ran).\n");
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
	return script_run_file(file, &o);
}
