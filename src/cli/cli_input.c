/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_input.h"

bool cli_is_stdin(const char *path)
{
	return path && !strcmp(path, "-");
}

const char *cli_input_name(const char *path)
{
	return cli_is_stdin(path) ? "stdin" : path;
}

/* Reads f until EOF or max + 1 bytes, growing the buffer as it goes, so
 * a pipe costs what it holds, not the limit. */
static char *read_bounded(FILE *f, size_t max, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = NULL;

	for (;;) {
		char *nb;

		if (cap > max + 1)
			cap = max + 1;
		if (!(nb = realloc(buf, cap + 1))) {
			free(buf);
			errno = ENOMEM;
			return NULL;
		}
		buf = nb;
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f)) {
			free(buf);
			errno = errno ? errno : EIO;
			return NULL;
		}
		if (n < cap || cap == max + 1)
			break;
		cap *= 2;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *cli_read_input(const char *path, size_t max, size_t *len)
{
	FILE *f = cli_is_stdin(path) ? stdin : fopen(path, "rb");
	char *buf;
	int saved;

	if (!f)
		return NULL;
	errno = 0;
	buf = read_bounded(f, max, len);
	saved = errno;
	if (f != stdin)
		fclose(f);
	errno = saved;
	return buf;
}

char *cli_read_whole(const char *cmd, const char *path, size_t max, size_t *len)
{
	char *buf = cli_read_input(path, max, len);

	if (!buf) {
		fprintf(stderr, "tdxsim %s: %s: cannot read: %s\n", cmd, cli_input_name(path),
			strerror(errno));
		return NULL;
	}
	if (*len > max) {
		fprintf(stderr, "tdxsim %s: %s: larger than %zu MiB\n", cmd, cli_input_name(path),
			max >> 20);
		free(buf);
		return NULL;
	}
	return buf;
}

int cli_one_stdin(const char *cmd, const char *const paths[], size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += cli_is_stdin(paths[i]);
	if (k <= 1)
		return 0;
	fprintf(stderr, "tdxsim %s: '-' (standard input) given for more than one input\n", cmd);
	return 2;
}
