/* SPDX-License-Identifier: MIT */
/*
 * Scenario text to steps: lines, tokens, the command table. The whole
 * file is parsed before anything runs; the first error stops the parse.
 */
#include <stdarg.h>
#include <string.h>

#include "script_int.h"

bool ps_error(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	fprintf(ps->err, "%s:%u: ", ps->name, ps->line);
	va_start(ap, fmt);
	vfprintf(ps->err, fmt, ap);
	va_end(ap);
	fputc('\n', ps->err);
	return false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool check_chars(struct parser *ps, const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == 0)
			return ps_error(ps, "NUL byte in line (column %zu)", i + 1);
		if ((c < 0x20 && !is_space((char)c)) || c == 0x7f)
			return ps_error(ps, "control character 0x%02x (column %zu)",
					c, i + 1);
	}
	return true;
}

/* Splits a line on blanks; a '#' at the start of a token begins a comment. */
bool lex_line(struct parser *ps, const char *line, size_t len,
	      struct tokens *t)
{
	char *p;

	t->n = 0;
	if (len > SCRIPT_MAX_LINE)
		return ps_error(ps, "line too long (%zu characters, at most %d)",
				len, SCRIPT_MAX_LINE);
	if (!check_chars(ps, line, len))
		return false;
	memcpy(t->buf, line, len);
	t->buf[len] = '\0';
	for (p = t->buf; *p; ) {
		while (is_space(*p))
			*p++ = '\0';
		if (!*p || *p == '#')
			break;
		if (t->n == SCRIPT_MAX_TOKENS)
			return ps_error(ps, "too many tokens (at most %d)",
					SCRIPT_MAX_TOKENS);
		t->v[t->n++] = p;
		while (*p && !is_space(*p))
			p++;
	}
	return true;
}

typedef bool (*parse_fn)(struct parser *, const struct tokens *,
			 struct step *);

static const struct command {
	const char *name;
	enum op op;
	bool machine;           /* needs `platform` before it */
	parse_fn parse;
} commands[] = {
	{ "platform", OP_PLATFORM, false, parse_cmd_platform },
	{ "set", OP_SET, false, parse_cmd_simple },
	{ "lp", OP_LP, true, parse_cmd_simple },
	{ "vmxon", OP_VMX, true, parse_cmd_simple },
	{ "vmxoff", OP_VMX, true, parse_cmd_simple },
	{ "online", OP_ONLINE, true, parse_cmd_simple },
	{ "offline", OP_ONLINE, true, parse_cmd_simple },
	{ "write", OP_WRITE, true, parse_cmd_write },
	{ "read", OP_READ, true, parse_cmd_read },
	{ "seamcall", OP_SEAMCALL, true, parse_cmd_seamcall },
	{ "repeat", OP_REPEAT, false, parse_cmd_ctl },
	{ "end", OP_END, false, parse_cmd_ctl },
	{ "break-if", OP_BREAK_IF, false, parse_cmd_ctl },
	{ "assert", OP_ASSERT, false, parse_cmd_ctl },
	{ "inject", OP_INJECT, true, parse_cmd_simple },
	{ "echo", OP_ECHO, false, parse_cmd_simple },
	{ "strict", OP_STRICT, false, parse_cmd_simple },
	{ "wrmsr", OP_WRMSR, true, parse_cmd_msr },
	{ "rdmsr", OP_RDMSR, true, parse_cmd_msr },
	{ "pool", OP_POOL, true, parse_cmd_pool },
	{ "td", OP_TD_CREATE, true, parse_cmd_td },
	{ "tdcall", OP_TDCALL, true, parse_cmd_tdcall },
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* The tokens joined by single blanks, kept for -v and echo. */
static uint32_t join_tokens(struct script *s, const struct tokens *t)
{
	char buf[SCRIPT_MAX_LINE + 1];
	size_t n = 0;

	for (unsigned i = 0; i < t->n; i++) {
		size_t l = strlen(t->v[i]);

		if (i)
			buf[n++] = ' ';
		memcpy(buf + n, t->v[i], l);   /* fits: tokens came from one line */
		n += l;
	}
	buf[n] = '\0';
	return script_add_str(s, buf, n);
}

static struct step *new_step(struct parser *ps, const struct tokens *t,
			     enum op op)
{
	struct script *s = ps->s;
	struct step *st;

	if (s->nsteps == SCRIPT_MAX_CMDS) {
		ps_error(ps, "too many commands (at most %d)", SCRIPT_MAX_CMDS);
		return NULL;
	}
	if (!pool_grow((void **)&s->steps, &s->capsteps, s->nsteps + 1,
		       sizeof(*st))) {
		ps_error(ps, "out of memory");
		return NULL;
	}
	st = &s->steps[s->nsteps];
	memset(st, 0, sizeof(*st));
	st->line = ps->line;
	st->file = ps->file;
	st->op = op;
	st->text = join_tokens(s, t);
	if (st->text == SCRIPT_NO_STR) {
		ps_error(ps, "out of memory");
		return NULL;
	}
	return st;
}

static bool parse_line(struct parser *ps, const char *line, size_t len)
{
	struct tokens t;
	const struct command *c;
	struct step *st;

	if (!lex_line(ps, line, len, &t))
		return false;
	if (t.n == 0)
		return true;
	if (!strcmp(t.v[0], "include"))
		return parse_include(ps, &t);
	c = find_command(t.v[0]);
	if (!c)
		return ps_error(ps, "unknown command '%s'", t.v[0]);
	if (c->machine && !ps->have_platform)
		return ps_error(ps, "'%s' needs a machine: put 'platform ...' before it",
				t.v[0]);
	st = new_step(ps, &t, c->op);
	if (!st || !c->parse(ps, &t, st))
		return false;
	ps->s->nsteps++;
	return true;
}

bool parse_lines(struct parser *ps, const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		ps->line++;
		if (!parse_line(ps, text + pos, end - pos))
			return false;
		pos = end + 1;
	}
	return true;
}

bool parse_text(struct parser *ps, const char *text, size_t len)
{
	ps->file = SCRIPT_NO_STR;
	if (!parse_lines(ps, text, len))
		return false;
	if (ps->depth) {
		ps->line = ps->s->steps[ps->open[ps->depth - 1]].line;
		return ps_error(ps, "'repeat' without 'end'");
	}
	return true;
}
