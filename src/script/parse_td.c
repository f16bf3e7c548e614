/* SPDX-License-Identifier: MIT */
/*
 * Parsers of `pool BASE SIZE`, `pool take NAME` and the `td` commands but
 * create: `td run [td=TDR] [vcpu=I] [expect END] [console TEXT...]`,
 * `td fatal TDR` and `td sept GPA [td=TDR] [level=L]`.
 */
#include <string.h>
#include <strings.h>

#include "script_int.h"
#include "tdxsim/abi_names.h"

#define TD_RUN_USAGE "td run [td=TDR] [vcpu=I] [expect exit[=N]|halted|" \
	"guest-fatal[=N]|shutdown|td-fatal|STATUS] [console TEXT...]"

bool parse_cmd_pool(struct parser *ps, const struct tokens *t, struct step *st)
{
	struct simple_step *s = &st->u.s;

	if (t->n == 3 && !strcmp(t->v[1], "take")) {
		st->op = OP_POOL_TAKE;
		return parse_var_name(ps, t->v[2], &s->var);
	}
	if (t->n != 3)
		return ps_error(ps, "usage: pool BASE SIZE | pool take NAME");
	return parse_expr(ps, t->v[1], &s->e) && parse_expr(ps, t->v[2], &s->e2);
}

static bool opt_once(struct parser *ps, const char *v, const char *key,
		     bool *has, struct expr *e)
{
	if (*has)
		return ps_error(ps, "%s= given twice", key);
	*has = true;
	return parse_expr(ps, v, e);
}

/* exit[=N], halted, guest-fatal[=N], shutdown, td-fatal, or a status. */
static bool parse_end(struct parser *ps, const char *tok, struct td_step *d)
{
	static const struct { const char *name; uint8_t end; bool value; } ends[] = {
		{ "exit", END_EXIT, true }, { "halted", END_HALT, false },
		{ "guest-fatal", END_GUEST_FATAL, true }, { "shutdown", END_SHUTDOWN, false },
		{ "td-fatal", END_TD_FATAL, false },
	};
	const char *v;

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		if (!strcmp(tok, ends[i].name)) {
			d->end = ends[i].end;
			return true;
		}
		if (ends[i].value && opt_value(tok, ends[i].name, &v)) {
			d->end = ends[i].end;
			d->has_value = true;
			return parse_expr(ps, v, &d->value);
		}
	}
	d->end = END_ENTRY;
	if (!tdx_status_parse(tok, &d->st.value) && strcasecmp(tok, "any") &&
	    strcasecmp(tok, "success") && strcasecmp(tok, "error"))
		return ps_error(ps, "expected exit[=N], halted, guest-fatal[=N], shutdown, "
				"td-fatal or the status of a refused entry, not '%s'", tok);
	return parse_status(ps, tok, &d->st);
}

/* The text after `console`: the rest of the step's own text. */
static uint32_t rest_of_line(const struct step *st, const struct tokens *t,
			     unsigned from)
{
	uint32_t off = st->text;

	for (unsigned k = 0; k < from; k++)
		off += (uint32_t)strlen(t->v[k]) + 1;
	return off;
}

static bool parse_run(struct parser *ps, const struct tokens *t, struct step *st)
{
	struct td_step *d = &st->u.td;
	const char *v;

	d->console = SCRIPT_NO_STR;
	for (unsigned i = 2; i < t->n; i++) {
		const char *tok = t->v[i];

		if (opt_value(tok, "td", &v) && !d->end) {
			if (!opt_once(ps, v, "td", &d->has_td, &d->td))
				return false;
		} else if (opt_value(tok, "vcpu", &v) && !d->end) {
			if (!opt_once(ps, v, "vcpu", &d->has_vcpu, &d->vcpu))
				return false;
		} else if (!strcmp(tok, "expect") && !d->end) {
			if (++i >= t->n)
				return ps_error(ps, "missing outcome after 'expect'");
			if (!parse_end(ps, t->v[i], d))
				return false;
		} else if (!strcmp(tok, "console")) {
			if (i + 1 >= t->n)
				return ps_error(ps, "missing text after 'console'");
			d->console = rest_of_line(st, t, i + 1);
			return true;
		} else {
			return ps_error(ps, "unexpected '%s' (usage: %s)", tok, TD_RUN_USAGE);
		}
	}
	return true;
}

static bool parse_sept(struct parser *ps, const struct tokens *t, struct td_step *d)
{
	const char *v;

	if (t->n < 3)
		return ps_error(ps, "missing GPA (usage: td sept GPA [td=TDR] [level=L])");
	if (!parse_expr(ps, t->v[2], &d->gpa))
		return false;
	for (unsigned i = 3; i < t->n; i++) {
		if (opt_value(t->v[i], "td", &v)) {
			if (!opt_once(ps, v, "td", &d->has_td, &d->td))
				return false;
		} else if (opt_value(t->v[i], "level", &v)) {
			if (!opt_once(ps, v, "level", &d->has_level, &d->level))
				return false;
		} else {
			return ps_error(ps, "unexpected '%s' (usage: td sept GPA [td=TDR] [level=L])",
					t->v[i]);
		}
	}
	return true;
}

bool parse_cmd_td(struct parser *ps, const struct tokens *t, struct step *st)
{
	const char *sub = t->n > 1 ? t->v[1] : "";

	if (!strcmp(sub, "create"))
		return parse_td_create(ps, t, st);
	if (!strcmp(sub, "run")) {
		st->op = OP_TD_RUN;
		return parse_run(ps, t, st);
	}
	if (!strcmp(sub, "sept")) {
		st->op = OP_TD_SEPT;
		return parse_sept(ps, t, &st->u.td);
	}
	if (!strcmp(sub, "fatal")) {
		st->op = OP_TD_FATAL;
		if (t->n != 3)
			return ps_error(ps, "usage: td fatal TDR");
		return parse_expr(ps, t->v[2], &st->u.td.td);
	}
	if (t->n == 1)
		return ps_error(ps, "missing subcommand (td create, td run, td sept or td fatal)");
	return ps_error(ps, "unknown command 'td %s' (td create, td run, td sept or td fatal)",
			sub);
}
