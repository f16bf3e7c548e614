/* SPDX-License-Identifier: MIT */
/* tdxsim OBJECT COMMAND ...: exit 0 success, 1 failure, 2 usage. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "boot", cmd_boot, "bring TDX up on a platform as the kernel does, with its log and a summary" },
	{ "linux", cmd_linux, "the real kernel's TDX host code on a platform: linux boot (docs/linux.md)" },
	{ "plan", cmd_plan, "plan TDMRs and PAMTs for a memory map (iomem, e820, CMR lines or JSON)" },
	{ "td", cmd_td, "create, measure, finalize and tear down a TD; print MRTD and its metadata" },
	{ "run", cmd_run, "run a built-in guest program in a TD; print its console, MRTD, RTMRs and exits" },
	{ "report", cmd_report, "verify a TDREPORT or a simulated quote file (docs/attestation.md)" },
	{ "script", cmd_script, "run a scenario file (docs/scripting.md)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tdxsim COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tdxsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
