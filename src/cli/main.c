/* SPDX-License-Identifier: MIT */
/* tdxsim OBJECT COMMAND ...: exit 0 success, 1 failure, 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
	const char *synopsis;
} commands[] = {
	{ "boot", cmd_boot, "bring TDX up on a platform as the kernel does, with its log and a summary",
	  cmd_boot_synopsis },
	{ "linux", cmd_linux, "the real kernel's TDX host code on a platform: linux boot (docs/linux.md)",
	  cmd_linux_synopsis },
	{ "plan", cmd_plan, "plan TDMRs and PAMTs for a memory map (iomem, e820, CMR lines or JSON)",
	  cmd_plan_synopsis },
	{ "td", cmd_td, "create, measure, finalize and tear down a TD; print MRTD and its metadata",
	  cmd_td_synopsis },
	{ "run", cmd_run, "run a built-in guest program in a TD; print its console, MRTD, RTMRs and exits",
	  cmd_run_synopsis },
	{ "report", cmd_report, "verify a TDREPORT or a simulated quote file (docs/attestation.md)",
	  cmd_report_synopsis },
	{ "script", cmd_script, "run a scenario file (docs/scripting.md)", cmd_script_synopsis },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: tdxsim COMMAND [ARGS]\n"
		"       tdxsim help [COMMAND]   (or tdxsim COMMAND --help)\n"
		"       tdxsim --version\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

/* A synopsis without its "usage: " (7 characters), which the lines after
 * the first are indented to match. */
static void print_synopsis(FILE *f, const char *s)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		if (n > 7)
			fprintf(f, "  %.*s\n", (int)(n - 7), s + 7);
		s += n + (nl != NULL);
	}
}

/* tdxsim --help: the commands, then every command's synopsis, so one
 * screen shows every option (README.md shows this very text). */
static void full_help(FILE *f)
{
	usage(f);
	fputs("\nsynopsis:\n", f);
	for (size_t i = 0; i < N_COMMANDS; i++)
		print_synopsis(f, commands[i].synopsis);
	fputs("\nA FILE given as - is read from standard input. --json output: docs/json.md.\n"
	      "Exit status: 0 success, 1 failure, 2 usage (report verify: 3 unverified).\n", f);
}

static int find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return (int)i;
	return -1;
}

static int unknown(const char *name)
{
	fprintf(stderr, "tdxsim: unknown command '%s'\n", name);
	usage(stderr);
	return 2;
}

/* tdxsim help [COMMAND]: the command's own --help. */
static int help(int argc, char **argv)
{
	char flag[] = "--help", *args[3] = { NULL, flag, NULL };
	int i;

	if (argc < 3) {
		full_help(stdout);
		return 0;
	}
	if ((i = find(argv[2])) < 0)
		return unknown(argv[2]);
	args[0] = argv[2];
	return commands[i].fn(2, args);
}

/* Output that never reached stdout (a full disk, a closed pipe, /dev/full)
 * is a failure, not a success with nothing to show: stdio reports it only
 * at the flush. */
static int check_stdout(const char *cmd, int ret)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return ret;
	fprintf(stderr, "tdxsim%s%s: cannot write the output: %s\n", cmd ? " " : "",
		cmd ? cmd : "", strerror(errno ? errno : EIO));
	return ret ? ret : 1;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		full_help(stdout);
	else if (!strcmp(argv[1], "--version"))
		printf("tdxsim %s\n", TDXSIM_VERSION);
	else if (!strcmp(argv[1], "help"))
		return check_stdout(NULL, help(argc, argv));
	else if ((i = find(argv[1])) >= 0)
		return check_stdout(argv[1], commands[i].fn(argc - 1, argv + 1));
	else
		return unknown(argv[1]);
	return check_stdout(NULL, 0);
}
