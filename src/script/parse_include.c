/* SPDX-License-Identifier: MIT */
/*
 * `include PATH`: another file's lines parsed in place, PATH taken from
 * the including file's directory. A shared bring-up sequence thus lives
 * in one file. Messages name the file each line came from; an included
 * file closes every repeat it opens; includes nest up to 8 deep.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "script_int.h"

/* Only a regular file: a FIFO or a device could block the parse or
 * never end. NULL with "<where>PATH: why" on err. */
static char *read_include(const char *path, size_t *len, FILE *err, const char *where)
{
	struct stat st;
	char *buf = NULL;
	const char *why = NULL;
	FILE *f;

	/* Looked at before it is opened: opening a FIFO would block. */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		fprintf(err, "%s%s: not a regular file\n", where, path);
		return NULL;
	}
	f = fopen(path, "r");
	if (!f) {
		fprintf(err, "%s%s: cannot open: %s\n", where, path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size > SCRIPT_MAX_FILE)
		why = "script too large (at most 4 MiB)";
	else if (!(buf = malloc((size_t)st.st_size + 1)))
		why = "out of memory";
	else if ((*len = fread(buf, 1, (size_t)st.st_size + 1, f)) > SCRIPT_MAX_FILE ||
		 ferror(f))
		why = "cannot read it whole";
	fclose(f);
	if (!why)
		return buf;
	fprintf(err, "%s%s: %s\n", where, path, why);
	free(buf);
	return NULL;
}

static bool parse_file(struct parser *ps, const char *from, unsigned line)
{
	char where[SCRIPT_MAX_LINE + 64];
	size_t len = 0;
	unsigned depth = ps->depth;
	char *text;
	bool ok;

	snprintf(where, sizeof(where), "%s:%u: include ", from, line);
	text = read_include(ps->name, &len, ps->err, where);
	if (!text)
		return false;
	ok = parse_lines(ps, text, len);
	free(text);
	if (ok && ps->depth != depth) {
		ps->line = ps->s->steps[ps->open[ps->depth - 1]].line;
		ok = ps_error(ps, "'repeat' without 'end' (an included file closes its own)");
	}
	if (!ok)   /* the reason is printed; say where the include was */
		fprintf(ps->err, "%s:%u: in the file included here\n", from, line);
	return ok;
}

bool parse_include(struct parser *ps, const struct tokens *t)
{
	const char *name = ps->name;
	uint32_t file = ps->file;
	unsigned line = ps->line;
	char *path;
	bool ok;

	if (t->n != 2)
		return ps_error(ps, "usage: include PATH");
	if (ps->no_include)
		return ps_error(ps, "include is not allowed here");
	if (ps->includes == SCRIPT_MAX_INCLUDE)
		return ps_error(ps, "include nested too deeply (at most %d)", SCRIPT_MAX_INCLUDE);
	path = script_resolve(name, t->v[1]);
	if (!path)
		return ps_error(ps, "out of memory");
	/* Steps name their file by its place in the string pool; the parser
	 * keeps its own copy, as the pool may move while the file parses. */
	ps->file = script_add_str(ps->s, path, strlen(path));
	if (ps->file == SCRIPT_NO_STR) {
		free(path);
		ps->file = file;
		return ps_error(ps, "out of memory");
	}
	ps->name = path;
	ps->line = 0;
	ps->includes++;
	ok = parse_file(ps, name, line);
	ps->includes--;
	ps->name = name;
	ps->file = file;
	ps->line = line;
	free(path);
	return ok;
}
