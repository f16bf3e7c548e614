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
#endif
