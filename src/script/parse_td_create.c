/* SPDX-License-Identifier: MIT */
/*
 * Parser of `td create [OPTION=VALUE ...] [expect STATUS]
 *                      [save tdr|hkid|tdvpr[I]|tdcx[I]|status as NAME ...]`.
 */
#include <stdlib.h>
#include <string.h>

#include "script_int.h"
#include "tdxsim/guest.h"

#define TD_CREATE_USAGE "td create [vcpus=N] [program=NAME|none] [args=A,B] " \
	"[params=ADDR | attributes=V xfam=V] [hkid=K] [lp=N] [pages=ADDR] " \
	"[add=GPA ...] [finalize=no] [expect STATUS] [save WHAT as NAME ...]"

struct td_opt {
	const char *key;
	size_t has, expr;       /* offsets of the flag and the expression */
};

#define TC_OPT(k, f) { k, offsetof(struct td_create_step, has_##f), \
		       offsetof(struct td_create_step, f) }
static const struct td_opt opts[] = {
	TC_OPT("vcpus", vcpus), TC_OPT("params", params),
	TC_OPT("attributes", attributes), TC_OPT("xfam", xfam),
	TC_OPT("hkid", hkid), TC_OPT("lp", lp), TC_OPT("pages", pages),
};

int split_commas(char *buf, char **argv, int max)
{
	int argc = 0;

	for (char *p = buf; *p && argc < max; ) {
		argv[argc++] = p;
		p += strcspn(p, ",");
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

/* The guest program and its comma-separated arguments, checked now as
 * the program will check them. */
static bool check_program(struct parser *ps, const char *prog, const char *args)
{
	char buf[SCRIPT_MAX_LINE + 1], why[256], *argv[32];
	int argc = 0;

	if (!tdx_guest_program_find(prog))
		return ps_error(ps, "no guest program '%s' (docs/guest.md lists them)", prog);
	snprintf(buf, sizeof(buf), "%s", args);
	argc = split_commas(buf, argv, 32);
	if (tdx_guest_check_args(prog, argc, argv, 0, why, sizeof(why)))   /* memory: at run time */
		return ps_error(ps, "%s", why);
	return true;
}

static bool set_str(struct parser *ps, const char *v, uint32_t *out)
{
	*out = script_add_str(ps->s, v, strlen(v));
	return *out != SCRIPT_NO_STR || ps_error(ps, "out of memory");
}

static bool parse_string_opt(struct parser *ps, const char *tok,
			     struct td_create_step *c, bool *done)
{
	const char *v;
	bool on;

	*done = true;
	if (opt_value(tok, "program", &v)) {
		c->no_program = !strcmp(v, "none");
		return c->no_program || set_str(ps, v, &c->program);
	}
	if (opt_value(tok, "args", &v))
		return set_str(ps, v, &c->args);
	if (opt_value(tok, "add", &v)) {
		if (c->nadd == SCRIPT_MAX_ADDS)
			return ps_error(ps, "at most %d add= pages", SCRIPT_MAX_ADDS);
		return parse_expr(ps, v, &c->add[c->nadd++]);
	}
	if (opt_value(tok, "finalize", &v)) {
		on = !strcmp(v, "yes");
		if (!on && strcmp(v, "no"))
			return ps_error(ps, "finalize=yes or finalize=no, not '%s'", v);
		c->finalize = on;
		return true;
	}
	*done = false;
	return true;
}

static bool parse_opt(struct parser *ps, const char *tok, struct td_create_step *c)
{
	const char *v;
	bool done;

	if (!parse_string_opt(ps, tok, c, &done))
		return false;
	if (done)
		return true;
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		bool *has = (bool *)((char *)c + opts[i].has);

		if (!opt_value(tok, opts[i].key, &v))
			continue;
		if (*has)
			return ps_error(ps, "%s= given twice", opts[i].key);
		*has = true;
		return parse_expr(ps, v, (struct expr *)((char *)c + opts[i].expr));
	}
	return ps_error(ps, "unexpected '%s' (usage: %s)", tok, TD_CREATE_USAGE);
}

/* tdr, hkid, status, tdvpr (= tdvpr[0]), tdvpr[I], tdcx[I]. */
static bool parse_what(struct parser *ps, const char *w, struct td_save *sv)
{
	static const struct { const char *name; uint8_t what; bool indexed; } whats[] = {
		{ "tdr", TDW_TDR, false }, { "hkid", TDW_HKID, false },
		{ "status", TDW_STATUS, false }, { "tdvpr", TDW_TDVPR, true },
		{ "tdcx", TDW_TDCX, true },
	};

	for (size_t i = 0; i < sizeof(whats) / sizeof(whats[0]); i++) {
		size_t n = strlen(whats[i].name);
		char *end;
		unsigned long idx;

		if (strncmp(w, whats[i].name, n))
			continue;
		sv->what = whats[i].what;
		if (!w[n])
			return true;
		idx = whats[i].indexed && w[n] == '[' ? strtoul(w + n + 1, &end, 10) : 256;
		if (idx < 64 && end != w + n + 1 && !strcmp(end, "]")) {
			sv->index = (uint8_t)idx;
			return true;
		}
	}
	return ps_error(ps, "cannot save '%s' (tdr, hkid, status, tdvpr[I], tdcx[I])", w);
}

static bool parse_save(struct parser *ps, const struct tokens *t, unsigned *i,
		       struct td_create_step *c)
{
	struct td_save *sv;
	int var;

	if (*i + 3 >= t->n || strcmp(t->v[*i + 2], "as"))
		return ps_error(ps, "usage: save WHAT as NAME");
	if (c->nsave == SCRIPT_MAX_TD_SAVES)
		return ps_error(ps, "at most %d saves", SCRIPT_MAX_TD_SAVES);
	sv = &c->save[c->nsave];
	if (!parse_what(ps, t->v[*i + 1], sv) || !parse_var_name(ps, t->v[*i + 3], &var))
		return false;
	sv->var = (int16_t)var;
	c->nsave++;
	*i += 3;
	return true;
}

static bool parse_item(struct parser *ps, const struct tokens *t, unsigned *i,
		       struct td_create_step *c, bool *saving)
{
	if (!strcmp(t->v[*i], "save")) {
		*saving = true;
		return parse_save(ps, t, i, c);
	}
	if (*saving)
		return ps_error(ps, "unexpected '%s' after 'save'", t->v[*i]);
	if (!strcmp(t->v[*i], "expect")) {
		if (c->has_expect)
			return ps_error(ps, "'expect' given twice");
		if (++*i >= t->n)
			return ps_error(ps, "missing status after 'expect'");
		c->has_expect = true;
		return parse_status(ps, t->v[*i], &c->st);
	}
	if (c->has_expect)
		return ps_error(ps, "'%s' after 'expect' (options come first)", t->v[*i]);
	return parse_opt(ps, t->v[*i], c);
}

bool parse_td_create(struct parser *ps, const struct tokens *t, struct step *st)
{
	struct td_create_step *c = &st->u.tc;
	bool saving = false;

	c->program = c->args = SCRIPT_NO_STR;
	c->finalize = true;
	for (unsigned i = 2; i < t->n; i++)
		if (!parse_item(ps, t, &i, c, &saving))
			return false;
	if (c->has_params && (c->has_attributes || c->has_xfam))
		return ps_error(ps, "params= is the whole TD_PARAMS: no attributes= or xfam= with it");
	if (c->no_program && (c->args != SCRIPT_NO_STR))
		return ps_error(ps, "args= without a program");
	if (c->no_program)
		return true;
	return check_program(ps, c->program == SCRIPT_NO_STR ? "agent" :
			     script_str(ps->s, c->program),
			     c->args == SCRIPT_NO_STR ? "" : script_str(ps->s, c->args));
}
