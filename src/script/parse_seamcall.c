/* SPDX-License-Identifier: MIT */
/*
 * Parsers of `seamcall LEAF [REG=V ...] [version=V] [lp=N]
 *             [expect STATUS [REG=V ...] [fired=N]] [save REG|status|fired as NAME ...]`
 * and of `tdcall`, the same with td=TDR vcpu=I instead of lp=N.
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
	bool ok = sc->tdcall ? tdg_leaf_parse(tok, &leaf) : tdx_leaf_parse(tok, &leaf);

	if (isdigit((unsigned char)tok[0]))
		ok = parse_number(ps, tok, strlen(tok), &sc->rax);
	else if (!ok)
		return ps_error(ps, "unknown %s leaf '%s'", sc->tdcall ? "TDCALL" : "SEAMCALL",
				tok);
	else
		sc->rax = leaf;
	/* TDG.VP.VMCALL leaves the TD for the host: the runner is that host
	 * and speaks to the guest through it, so no script line may. */
	if (ok && sc->tdcall && (sc->rax & 0xFFFF) == TDG_VP_VMCALL)
		return ps_error(ps, "tdcall cannot issue TDG.VP.VMCALL (the runner is the "
				"VMM; use td run for a program's TDVMCALLs)");
	return ok;
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

static bool opt_once(struct parser *ps, const char *v, const char *key,
		     bool *has, struct expr *e)
{
	if (*has)
		return ps_error(ps, "%s= given twice", key);
	*has = true;
	return parse_expr(ps, v, e);
}

static bool parse_input(struct parser *ps, const char *tok, struct sc_step *sc)
{
	const char *v;

	if (opt_value(tok, "version", &v))
		return opt_once(ps, v, "version", &sc->has_version, &sc->version);
	if (!sc->tdcall && opt_value(tok, "lp", &v))
		return opt_once(ps, v, "lp", &sc->has_lp, &sc->lp);
	if (sc->tdcall && opt_value(tok, "td", &v))
		return opt_once(ps, v, "td", &sc->has_td, &sc->td);
	if (sc->tdcall && opt_value(tok, "vcpu", &v))
		return opt_once(ps, v, "vcpu", &sc->has_vcpu, &sc->vcpu);
	if (opt_value(tok, "lp", &v))
		return ps_error(ps, "a tdcall runs on its vCPU's LP: no lp=");
	if (opt_value(tok, "td", &v) || opt_value(tok, "vcpu", &v))
		return ps_error(ps, "td= and vcpu= belong to tdcall");
	if (opt_value(tok, "fired", &v))
		return ps_error(ps, "fired= is an expectation: put it after expect STATUS");
	return parse_reg_value(ps, tok, sc->in, &sc->in_mask);
}

/* After expect: REG=VALUE, or fired=N (injected failures that fired). */
static bool parse_output(struct parser *ps, const char *tok, struct sc_step *sc)
{
	const char *v;

	if (opt_value(tok, "fired", &v))
		return opt_once(ps, v, "fired", &sc->has_fired, &sc->fired);
	return parse_reg_value(ps, tok, sc->out, &sc->out_mask);
}

/* save REG as NAME / save status as NAME / save fired as NAME */
static bool parse_save(struct parser *ps, const struct tokens *t, unsigned *i,
		       struct sc_step *sc)
{
	int r, var;

	if (*i + 3 >= t->n || strcmp(t->v[*i + 2], "as"))
		return ps_error(ps, "usage: save REG|status|fired as NAME");
	r = !strcmp(t->v[*i + 1], "status") ? SC_SAVE_STATUS :
	    !strcmp(t->v[*i + 1], "fired") ? SC_SAVE_FIRED : reg_parse(t->v[*i + 1]);
	if (r < 0)
		return ps_error(ps, "cannot save '%s' (a register, status or fired)",
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
		return parse_output(ps, tok, sc);
	return parse_input(ps, tok, sc);
}

bool parse_sc_items(struct parser *ps, const struct tokens *t, unsigned from,
		    struct sc_step *sc)
{
	enum sc_phase ph = PH_IN;

	for (unsigned r = 0; r < SCRIPT_NREGS + 2; r++)
		sc->save[r] = SCRIPT_NO_VAR;
	if (t->n <= from)
		return ps_error(ps, "missing leaf (usage: %s LEAF [REG=VALUE ...] [expect STATUS ...])",
				t->v[0]);
	if (!parse_leaf(ps, t->v[from], sc))
		return false;
	for (unsigned i = from + 1; i < t->n; i++)
		if (!parse_item(ps, t, &i, sc, &ph))
			return false;
	return true;
}

bool parse_cmd_seamcall(struct parser *ps, const struct tokens *t,
			struct step *st)
{
	return parse_sc_items(ps, t, 1, &st->u.sc);
}

bool parse_cmd_tdcall(struct parser *ps, const struct tokens *t,
		      struct step *st)
{
	st->u.sc.tdcall = true;
	return parse_sc_items(ps, t, 1, &st->u.sc);
}
