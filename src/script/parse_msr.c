/* SPDX-License-Identifier: MIT */
/*
 * Parsers of `wrmsr MSR VALUE [lp=N|all] [expect gp]` and
 * `rdmsr MSR [lp=N] [expect VALUE|gp] [save as NAME]`. MSR is a name of
 * the CPU model's (tdxsim_msr_parse) or a value.
 */
#include <string.h>

#include "script_int.h"
#include "tdxsim/platform.h"

#define WRMSR_USAGE "wrmsr MSR VALUE [lp=N|all] [expect gp]"
#define RDMSR_USAGE "rdmsr MSR [lp=N] [expect VALUE|gp] [save as NAME]"

static bool parse_msr_index(struct parser *ps, const char *tok, struct expr *e)
{
	uint32_t msr;
	char num[16];

	if (!tdxsim_msr_parse(tok, &msr))
		return parse_expr(ps, tok, e);
	snprintf(num, sizeof(num), "0x%x", msr);
	return parse_expr(ps, num, e);
}

static bool parse_lp_opt(struct parser *ps, const char *v, struct msr_step *m,
			 bool wr)
{
	if (m->has_lp)
		return ps_error(ps, "lp= given twice");
	m->has_lp = true;
	if (!strcmp(v, "all")) {
		m->all_lps = true;
		return wr ? true : ps_error(ps, "rdmsr reads one LP (lp=N)");
	}
	return parse_expr(ps, v, &m->lp);
}

static bool parse_expect(struct parser *ps, const struct tokens *t, unsigned *i,
			 struct msr_step *m, bool wr)
{
	if (m->expect != MSRX_NONE)
		return ps_error(ps, "'expect' given twice");
	if (++*i >= t->n)
		return ps_error(ps, "missing value after 'expect'");
	if (!strcmp(t->v[*i], "gp")) {
		m->expect = MSRX_GP;
		return true;
	}
	if (wr)
		return ps_error(ps, "wrmsr expects only 'gp' (the MSR is not there)");
	m->expect = MSRX_VALUE;
	return parse_expr(ps, t->v[*i], &m->value);
}

static bool parse_item(struct parser *ps, const struct tokens *t, unsigned *i,
		       struct msr_step *m, bool wr)
{
	const char *tok = t->v[*i], *v;

	if (opt_value(tok, "lp", &v))
		return parse_lp_opt(ps, v, m, wr);
	if (!strcmp(tok, "expect"))
		return parse_expect(ps, t, i, m, wr);
	if (!wr && !strcmp(tok, "save")) {
		if (m->save != SCRIPT_NO_VAR)
			return ps_error(ps, "'save' given twice");
		if (*i + 2 >= t->n || strcmp(t->v[*i + 1], "as"))
			return ps_error(ps, "usage: save as NAME");
		*i += 2;
		return parse_var_name(ps, t->v[*i], &m->save);
	}
	return ps_error(ps, "unexpected '%s' (usage: %s)", tok,
			wr ? WRMSR_USAGE : RDMSR_USAGE);
}

bool parse_cmd_msr(struct parser *ps, const struct tokens *t, struct step *st)
{
	struct msr_step *m = &st->u.msr;
	bool wr = st->op == OP_WRMSR;
	unsigned need = wr ? 3 : 2;

	m->save = SCRIPT_NO_VAR;
	if (t->n < need)
		return ps_error(ps, "missing argument for '%s' (usage: %s)", t->v[0],
				wr ? WRMSR_USAGE : RDMSR_USAGE);
	if (!parse_msr_index(ps, t->v[1], &m->msr) ||
	    (wr && !parse_expr(ps, t->v[2], &m->value)))
		return false;
	for (unsigned i = need; i < t->n; i++)
		if (!parse_item(ps, t, &i, m, wr))
			return false;
	return true;
}
