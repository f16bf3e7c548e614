/* SPDX-License-Identifier: MIT */
#ifndef TDXSIM_CLI_COMMANDS_H
#define TDXSIM_CLI_COMMANDS_H
int cmd_script(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_td(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_linux(int argc, char **argv);

/* Each command's synopsis: the "usage: tdxsim ..." lines its --help
 * starts with, which `tdxsim --help` gathers (and the README shows). */
extern const char cmd_script_synopsis[], cmd_boot_synopsis[], cmd_plan_synopsis[],
	cmd_td_synopsis[], cmd_run_synopsis[], cmd_report_synopsis[], cmd_linux_synopsis[];
#endif
