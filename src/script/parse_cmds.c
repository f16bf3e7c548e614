/* SPDX-License-Identifier: MIT */
/*
 * Parsers of the small commands (set, lp, vmxon/vmxoff, online/offline,
 * inject, echo, strict), of loops and assertions, and of `platform`.
 */
#include <string.h>

#include "script_int.h"
#include "tdxsim/inject.h"
#include "tdxsim/platform.h"

static bool usage(struct parser *ps, const struct tokens *t, unsigned min,
		  unsigned max, const char *syntax)
{
	if (t->n >= min && t->n <= max)
		return true;
	return ps_error(ps, "%s for '%s' (usage: %s)",
			t->n < min ? "missing argument" : "too many arguments",
			t->v[0], syntax);
}

static bool parse_on_off(struct parser *ps, const char *tok, bool *on)
{
	if (!strcmp(tok, "on") || !strcmp(tok, "yes")) {
		*on = true;
		return true;
	}
	if (!strcmp(tok, "off") || !strcmp(tok, "no")) {
		*on = false;
		return true;
	}
	return ps_error(ps, "expected on or off, not '%s'", tok);
}

/* inject KIND [COUNT] [nth=N] */
static bool parse_inject_args(struct parser *ps, const struct tokens *t,
			      struct simple_step *s)
{
	const char *v;

	for (unsigned i = 2; i < t->n; i++) {
		if (opt_value(t->v[i], "nth", &v)) {
			if (s->has_e2)
				return ps_error(ps, "nth= given twice");
			s->has_e2 = true;
			if (!parse_expr(ps, v, &s->e2))
				return false;
		} else if (!s->has_e && !s->has_e2 && !strchr(t->v[i], '=')) {
			s->has_e = true;
			if (!parse_expr(ps, t->v[i], &s->e))
				return false;
		} else {
			return ps_error(ps, "unexpected '%s' (usage: inject KIND [COUNT] [nth=N])",
					t->v[i]);
		}
	}
	return true;
}

static bool parse_inject(struct parser *ps, const struct tokens *t,
			 struct simple_step *s)
{
	char names[256] = "";

	if (!usage(ps, t, 2, 4, "inject KIND [COUNT] [nth=N]"))
		return false;
	s->kind = tdxsim_inject_parse(t->v[1]);
	if (s->kind >= 0)
		return parse_inject_args(ps, t, s);
	for (int i = 0; i < TDXSIM_INJECT_NR; i++) {
		const char *n = tdxsim_inject_name((enum tdxsim_inject)i);

		if (n && strlen(names) + strlen(n) + 3 < sizeof(names)) {
			if (i)
				strcat(names, ", ");
			strcat(names, n);
		}
	}
	return ps_error(ps, "unknown injection '%s' (one of: %s)", t->v[1], names);
}

static bool parse_vmx(struct parser *ps, const struct tokens *t,
		      struct simple_step *s)
{
	s->on = !strcmp(t->v[0], "vmxon");
	if (!usage(ps, t, 1, 2, s->on ? "vmxon [all]" : "vmxoff [all]"))
		return false;
	if (t->n == 2 && strcmp(t->v[1], "all"))
		return ps_error(ps, "expected 'all', not '%s'", t->v[1]);
	s->all = t->n == 2;
	return true;
}

bool parse_cmd_simple(struct parser *ps, const struct tokens *t,
		      struct step *st)
{
	struct simple_step *s = &st->u.s;

	switch (st->op) {
	case OP_SET:
		return usage(ps, t, 3, 3, "set NAME VALUE") &&
		       parse_expr(ps, t->v[2], &s->e) &&
		       parse_var_name(ps, t->v[1], &s->var);
	case OP_LP:
		return usage(ps, t, 2, 2, "lp N") && parse_expr(ps, t->v[1], &s->e);
	case OP_VMX:
		return parse_vmx(ps, t, s);
	case OP_ONLINE:
		s->on = !strcmp(t->v[0], "online");
		return usage(ps, t, 2, 2, s->on ? "online N" : "offline N") &&
		       parse_expr(ps, t->v[1], &s->e);
	case OP_INJECT:
		return parse_inject(ps, t, s);
	case OP_ECHO:
		/* The text is the step's own text after "echo ". */
		s->str = t->n > 1 ? st->text + 5 : SCRIPT_NO_STR;
		return t->n == 1 || check_echo_vars(ps, script_str(ps->s, s->str));
	case OP_STRICT:
		return usage(ps, t, 2, 2, "strict on|off") &&
		       parse_on_off(ps, t->v[1], &s->on);
	default:
		return ps_error(ps, "internal error: bad simple command");
	}
}

/* ---- repeat / end / break-if / assert ---- */

static const struct {
	const char *text;
	uint8_t op;
} cmp_ops[] = {
	{ "==", CMP_EQ }, { "!=", CMP_NE }, { "<=", CMP_LE },
	{ ">=", CMP_GE }, { "<", CMP_LT }, { ">", CMP_GT },
};

static bool split_cond(struct parser *ps, char *buf, char **rhs, uint8_t *op)
{
	size_t at = strcspn(buf, "=!<>");

	if (!buf[at])
		return ps_error(ps, "expected a comparison (== != < <= > >=)");
	for (size_t i = 0; i < sizeof(cmp_ops) / sizeof(cmp_ops[0]); i++) {
		size_t n = strlen(cmp_ops[i].text);

		if (!strncmp(buf + at, cmp_ops[i].text, n)) {
			*op = cmp_ops[i].op;
			buf[at] = '\0';
			*rhs = buf + at + n;
			if (at == 0 || !**rhs || (*rhs)[strcspn(*rhs, "=!<>")])
				return ps_error(ps, "bad comparison");
			return true;
		}
	}
	return ps_error(ps, "bad comparison operator (use == != < <= > >=)");
}

/* LHS OP RHS over the tokens from `from`; blanks around OP optional. */
bool parse_cond(struct parser *ps, const struct tokens *t, unsigned from,
		struct cond *c)
{
	char buf[SCRIPT_MAX_LINE + 1] = "", *rhs = NULL;
	size_t n = 0;

	if (from >= t->n)
		return ps_error(ps, "missing condition for '%s'", t->v[0]);
	for (unsigned i = from; i < t->n; i++) {
		size_t l = strlen(t->v[i]);

		memcpy(buf + n, t->v[i], l + 1);   /* fits: one line */
		n += l;
	}
	if (!split_cond(ps, buf, &rhs, &c->op))
		return false;
	if (!strcmp(buf, "status")) {
		c->lhs = LHS_STATUS;
		if (c->op != CMP_EQ && c->op != CMP_NE)
			return ps_error(ps, "a status compares only with == or !=");
		return parse_status(ps, rhs, &c->st);
	}
	c->lhs = reg_parse(buf) >= 0 ? LHS_REG : LHS_EXPR;
	c->reg = (uint8_t)(c->lhs == LHS_REG ? reg_parse(buf) : 0);
	if (c->lhs == LHS_EXPR && !parse_expr(ps, buf, &c->a))
		return false;
	return parse_expr(ps, rhs, &c->b);
}

static bool parse_repeat(struct parser *ps, const struct tokens *t,
			 struct step *st)
{
	uint64_t n;

	if (!usage(ps, t, 2, 2, "repeat COUNT") ||
	    !parse_expr(ps, t->v[1], &st->u.ctl.count))
		return false;
	if (expr_const(ps->s, &st->u.ctl.count, &n) && n > SCRIPT_MAX_REPEAT)
		return ps_error(ps, "repeat count %llu is above the limit of %llu",
				(unsigned long long)n, SCRIPT_MAX_REPEAT);
	if (ps->depth == SCRIPT_MAX_DEPTH)
		return ps_error(ps, "repeat nested too deeply (at most %d)",
				SCRIPT_MAX_DEPTH);
	st->u.ctl.depth = (uint8_t)ps->depth;
	ps->open[ps->depth++] = (uint32_t)ps->s->nsteps;
	return true;
}

static bool parse_end(struct parser *ps, const struct tokens *t,
		      struct step *st)
{
	uint32_t rep;

	if (!usage(ps, t, 1, 1, "end"))
		return false;
	if (!ps->depth)
		return ps_error(ps, "'end' without 'repeat'");
	rep = ps->open[--ps->depth];
	st->u.ctl.partner = rep;
	st->u.ctl.depth = (uint8_t)ps->depth;
	ps->s->steps[rep].u.ctl.partner = (uint32_t)ps->s->nsteps;
	return true;
}

bool parse_cmd_ctl(struct parser *ps, const struct tokens *t, struct step *st)
{
	struct ctl_step *c = &st->u.ctl;

	switch (st->op) {
	case OP_REPEAT:
		return parse_repeat(ps, t, st);
	case OP_END:
		return parse_end(ps, t, st);
	case OP_BREAK_IF:
		if (!ps->depth)
			return ps_error(ps, "'break-if' outside 'repeat'");
		c->partner = ps->open[ps->depth - 1];
		break;
	case OP_ASSERT:
		break;
	default:
		return ps_error(ps, "internal error: bad control command");
	}
	c->c.text = st->text + (uint32_t)strlen(t->v[0]) + 1;
	return parse_cond(ps, t, 1, &c->c);
}

/* ---- platform ---- */

static bool parse_lps(struct parser *ps, const char *v, struct plat_step *p)
{
	unsigned long a = 0, b = 0;
	const char *x = strchr(v, 'x');
	uint64_t n;

	if (!x || !parse_number(ps, v, (size_t)(x - v), &n))
		return x ? false : ps_error(ps, "lps= wants PACKAGESxLPS, e.g. 2x4");
	a = n;
	if (!parse_number(ps, x + 1, strlen(x + 1), &n))
		return false;
	b = n;
	if (a < 1 || a > TDXSIM_MAX_PACKAGES || b < 1 || b > TDXSIM_MAX_LPS ||
	    a * b > TDXSIM_MAX_LPS)
		return ps_error(ps, "lps=%s: at most %d packages (the TDX module's MAX_PKGS) "
				"and %d LPs in all",
				v, TDXSIM_MAX_PACKAGES, TDXSIM_MAX_LPS);
	p->packages = (unsigned)a;
	p->lpp = (unsigned)b;
	return true;
}

static bool parse_plat_opt(struct parser *ps, const char *tok,
			   struct plat_step *p)
{
	enum tdxsim_profile prof;
	const char *v;
	bool on = false;

	if (opt_value(tok, "lps", &v))
		return parse_lps(ps, v, p);
	if (opt_value(tok, "memory", &v))
		return (p->has_mem = true) && parse_expr(ps, v, &p->mem);
	if (opt_value(tok, "tdx-keyids", &v))
		return (p->has_tdx_keyids = true) && parse_expr(ps, v, &p->tdx_keyids);
	if (opt_value(tok, "profile", &v)) {
		if (!tdxsim_profile_parse(v, &prof))
			return ps_error(ps, "unknown profile '%s' (1.5, 1.5.01, 1.0)", v);
		p->profile = (int)prof;
		return true;
	}
	if (opt_value(tok, "module", &v)) {
		if (!parse_on_off(ps, v, &on))
			return false;
		p->module = on;
		return true;
	}
	return ps_error(ps, "unknown platform option '%s'", tok);
}

bool parse_cmd_platform(struct parser *ps, const struct tokens *t,
			struct step *st)
{
	struct plat_step *p = &st->u.plat;
	unsigned i = 2;

	if (ps->have_platform)
		return ps_error(ps, "a second 'platform' (one machine per script)");
	if (ps->depth)
		return ps_error(ps, "'platform' inside 'repeat'");
	p->path = SCRIPT_NO_STR;
	p->profile = p->module = -1;
	if (t->n < 2 || (strcmp(t->v[1], "default") && strcmp(t->v[1], "file")))
		return ps_error(ps, "usage: platform default|file PATH [OPTION=VALUE ...]");
	if (!strcmp(t->v[1], "file")) {
		if (t->n < 3)
			return ps_error(ps, "missing path (usage: platform file PATH)");
		p->path = script_add_str(ps->s, t->v[2], strlen(t->v[2]));
		if (p->path == SCRIPT_NO_STR)
			return ps_error(ps, "out of memory");
		i = 3;
	}
	for (; i < t->n; i++)
		if (!parse_plat_opt(ps, t->v[i], p))
			return false;
	ps->have_platform = true;
	return true;
}
