/* SPDX-License-Identifier: MIT */
/* Input files: wherever a command reads a file, "-" is standard input,
 * so a map or a platform can come straight out of a pipe. */
#ifndef TDXSIM_CLI_INPUT_H
#define TDXSIM_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

/* The largest platform, memory map or script read whole: 16 MiB, the
 * limit the library's own file readers keep. */
#define CLI_INPUT_MAX (16u << 20)

bool cli_is_stdin(const char *path);
/* The name messages give an input: "stdin" for "-", else the path. */
const char *cli_input_name(const char *path);

/* Up to max + 1 bytes of PATH (or of standard input for "-"), with a NUL
 * after them: *len > max says the input is longer than max. NULL with
 * errno set when it cannot be opened or read. */
char *cli_read_input(const char *path, size_t max, size_t *len);

/* The whole input, at most max bytes; NULL with "tdxsim CMD: NAME: why"
 * printed when it cannot be read or is longer. */
char *cli_read_whole(const char *cmd, const char *path, size_t max, size_t *len);

/* Standard input can be read once: 2 with a message when more than one
 * of the n paths (NULLs allowed) is "-", else 0. */
int cli_one_stdin(const char *cmd, const char *const paths[], size_t n);

#endif
