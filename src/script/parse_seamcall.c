/* SPDX-License-Identifier: MIT */
/*
 * Parser of `seamcall LEAF [REG=V ...] [version=V] [lp=N]
 *            [expect STATUS [REG=V ...]] [save REG|status as NAME ...]`.
 */
#include <ctype.h>
#include <string.h>

#include "script_int.h"
#include "tdxsim/abi.h"
#include "tdxsim/abi_names.h"

enum sc_phase { PH_IN, PH_EXPECT, PH_SAVE };

static bool parse_leaf(struct parser *ps, const char *tok, struct sc_step *sc)
{
	unsigned leaf;

	if (isdigit((unsigned char)tok[0]))
		return parse_number(ps, tok, strlen(tok), &sc->rax);
	if (!tdx_leaf_parse(tok, &leaf))
		return ps_error(ps, "unknown SEAMCALL leaf '%s'", tok);
	sc->rax = leaf;
	return true;
}

/* REG=VALUE into in[] or out[]; each register at most once. */
static bool parse_reg_value(struct parser *ps, const char *tok,
			    struct expr *regs, uint16_t *mask)
{
	char name[8];
	const char *eq = strchr(tok, '=');
	size_t n = eq ? (size_t)(eq - tok) : 0;
	int r;

	if (!eq || n == 0 || n >= sizeof(name))
		return ps_error(ps, "expected REG=VALUE, not '%s'", tok);
	memcpy(name, tok, n);
	name[n] = '\0';
	r = reg_parse(name);
	if (r < 0)
		return ps_error(ps, "unknown register '%s' (rcx rdx r8-r15 rbx rdi rsi)",
				name);
	if (*mask & (1u << r))
		return ps_error(ps, "register %s given twice", reg_name((unsigned)r));
	*mask |= (uint16_t)(1u << r);
	return parse_expr(ps, eq + 1, &regs[r]);
}

static bool parse_input(struct parser *ps, const char *tok, struct sc_step *sc)
{
	const char *v;

	if (opt_value(tok, "version", &v)) {
		if (sc->has_version)
			return ps_error(ps, "version= given twice");
		sc->has_version = true;
		return parse_expr(ps, v, &sc->version);
	}
	if (opt_value(tok, "lp", &v)) {
		if (sc->has_lp)
			return ps_error(ps, "lp= given twice");
		sc->has_lp = true;
		return parse_expr(ps, v, &sc->lp);
	}
	return parse_reg_value(ps, tok, sc->in, &sc->in_mask);
}

/* save REG as NAME / save status as NAME */
static bool parse_save(struct parser *ps, const struct tokens *t, unsigned *i,
		       struct sc_step *sc)
{
	int r, var;

	if (*i + 3 >= t->n || strcmp(t->v[*i + 2], "as"))
		return ps_error(ps, "usage: save REG|status as NAME");
	r = !strcmp(t->v[*i + 1], "status") ? SCRIPT_NREGS : reg_parse(t->v[*i + 1]);
	if (r < 0)
		return ps_error(ps, "cannot save '%s' (a register or status)",
				t->v[*i + 1]);
	if (!parse_var_name(ps, t->v[*i + 3], &var))
		return false;
	sc->save[r] = (int16_t)var;
	*i += 3;
	return true;
}

static bool parse_item(struct parser *ps, const struct tokens *t, unsigned *i,
		       struct sc_step *sc, enum sc_phase *ph)
{
	const char *tok = t->v[*i];

	if (!strcmp(tok, "expect")) {
		if (*ph != PH_IN)
			return ps_error(ps, "'expect' must follow the inputs, once");
		if (++*i >= t->n)
			return ps_error(ps, "missing status after 'expect'");
		*ph = PH_EXPECT;
		sc->has_expect = true;
		return parse_status(ps, t->v[*i], &sc->st);
	}
	if (!strcmp(tok, "save")) {
		*ph = PH_SAVE;
		return parse_save(ps, t, i, sc);
	}
	if (*ph == PH_SAVE)
		return ps_error(ps, "unexpected '%s' after 'save'", tok);
	if (*ph == PH_EXPECT)
		return parse_reg_value(ps, tok, sc->out, &sc->out_mask);
	return parse_input(ps, tok, sc);
}

bool parse_cmd_seamcall(struct parser *ps, const struct tokens *t,
			struct step *st)
{
	struct sc_step *sc = &st->u.sc;
	enum sc_phase ph = PH_IN;

	for (unsigned r = 0; r <= SCRIPT_NREGS; r++)
		sc->save[r] = SCRIPT_NO_VAR;
	if (t->n < 2)
		return ps_error(ps, "missing leaf (usage: seamcall LEAF [REG=VALUE ...] [expect STATUS ...])");
	if (!parse_leaf(ps, t->v[1], sc))
		return false;
	for (unsigned i = 2; i < t->n; i++)
		if (!parse_item(ps, t, &i, sc, &ph))
			return false;
	return true;
}
