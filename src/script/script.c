/* SPDX-License-Identifier: MIT */
/* Entry points of the scenario runner: parse the whole text, then run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "script_int.h"

int script_run_text(const char *text, size_t len, const char *name,
		    const struct script_opts *o)
{
	struct script *s = calloc(1, sizeof(*s));
	struct parser ps = {
		.s = s,
		.name = name ? name : "<script>",
		.err = o && o->err ? o->err : stderr,
	};
	int rc;

	if (!s) {
		fprintf(ps.err, "%s: out of memory\n", ps.name);
		return SCRIPT_FAILED;
	}
	if (len > SCRIPT_MAX_FILE) {
		fprintf(ps.err, "%s: script too large (%zu bytes, at most %u)\n",
			ps.name, len, SCRIPT_MAX_FILE);
		rc = SCRIPT_MALFORMED;
	} else if (!parse_text(&ps, text, len)) {
		rc = SCRIPT_MALFORMED;
	} else {
		rc = run_script(s, ps.name, o);
	}
	script_free(s);
	free(s);
	return rc;
}

static char *read_file(FILE *f, size_t *len)
{
	size_t cap = SCRIPT_MAX_FILE + 1;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	*len = fread(buf, 1, cap, f);
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *script_resolve(const char *script, const char *path)
{
	const char *slash = strrchr(script, '/');
	size_t dir = slash ? (size_t)(slash - script) + 1 : 0;
	char *full;

	if (path[0] == '/')
		dir = 0;
	full = malloc(dir + strlen(path) + 1);
	if (full) {
		memcpy(full, script, dir);
		strcpy(full + dir, path);
	}
	return full;
}

int script_run_file(const char *path, const struct script_opts *o)
{
	FILE *err = o && o->err ? o->err : stderr;
	FILE *f = fopen(path, "r");
	size_t len = 0;
	char *text;
	int rc;

	if (!f) {
		fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
		return SCRIPT_MALFORMED;
	}
	text = read_file(f, &len);
	if (!text)
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno ? errno : EIO));
	fclose(f);
	if (!text)
		return SCRIPT_MALFORMED;
	rc = script_run_text(text, len, path, o);
	free(text);
	return rc;
}
