/* SPDX-License-Identifier: MIT */
/*
 * `inject`: a fault aimed inside the next seamcall or tdcall, and only
 * there (tdxsim_inject_next). The line only records it; the call that
 * follows arms it for its own scope, and afterwards the runner reports
 * what it did. One that did not fire as asked fails the run: the call
 * then did not test what the script says it tested.
 */
#include <errno.h>
#include <string.h>

#include "script_int.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/platform.h"

#define INJECT_MAX 1000000u

static bool eval_count(struct runner *r, bool given, const struct expr *e,
		       const char *what, unsigned *out)
{
	uint64_t v = 1;

	if (given && !expr_eval(r, e, &v))
		return false;
	if (v == 0 || v > INJECT_MAX) {
		rt_error(r, "%s %llu is not in 1..%u", what, (unsigned long long)v,
			 INJECT_MAX);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

int exec_inject(struct runner *r, const struct simple_step *s)
{
	struct pending_inject pi = { .kind = s->kind, .line = rt_step(r)->line,
				     .file = rt_step(r)->file };
	const char *name = tdxsim_inject_name((enum tdxsim_inject)s->kind);

	if (!rt_need_platform(r))
		return SCRIPT_FAILED;
	if (!platform_config(r->p)->module_loaded)
		return rt_error(r, "cannot inject: no TDX module is loaded");
	if (!eval_count(r, s->has_e, &s->e, "count", &pi.count) ||
	    !eval_count(r, s->has_e2, &s->e2, "nth=", &pi.nth))
		return SCRIPT_FAILED;
	for (unsigned i = 0; i < r->npending; i++)
		if (r->pending[i].kind == s->kind)
			return rt_error(r, "%s is already armed for the next call (line %u)",
					name, r->pending[i].line);
	r->pending[r->npending++] = pi;
	return SCRIPT_OK;
}

bool inject_arm(struct runner *r, int scope)
{
	tdxsim_inject_next_clear(r->p);
	for (unsigned i = 0; i < r->npending; i++) {
		const struct pending_inject *pi = &r->pending[i];

		if (tdxsim_inject_next(r->p, (enum tdxsim_inject)pi->kind, pi->nth, pi->count,
				       (enum tdxsim_inject_scope)scope)) {
			rt_error(r, "cannot arm %s (line %u)",
				 tdxsim_inject_name((enum tdxsim_inject)pi->kind), pi->line);
			return false;
		}
	}
	return true;
}

static const char *call_name(const struct tdxsim_inject_result *res, bool tdcall)
{
	const char *n = tdcall ? tdg_leaf_name(res->leaf) : tdx_leaf_name(res->leaf);

	return n ? n : tdcall ? "the TDCALL" : "the SEAMCALL";
}

/* "inject pamt-lock nth=2 (line 7)", with count when it is not 1. */
static void describe(char *buf, size_t len, const struct pending_inject *pi)
{
	char count[24] = "";

	if (pi->count != 1)
		snprintf(count, sizeof(count), " count=%u", pi->count);
	snprintf(buf, len, "inject %s nth=%u%s (line %u)",
		 tdxsim_inject_name((enum tdxsim_inject)pi->kind), pi->nth, count, pi->line);
}

/* Why it did not fire: no call took it, or the call had too few. */
static int unfired(struct runner *r, const struct pending_inject *pi,
		   const struct tdxsim_inject_result *res, bool tdcall)
{
	char what[128];

	describe(what, sizeof(what), pi);
	if (!res->taken)
		return rt_error(r, "%s did not fire: no %s reached the module", what,
				tdcall ? "TDCALL" : "SEAMCALL");
	return rt_error(r, "%s %s: %s had %u %s occurrence%s", what,
			res->fired ? "fired too few times" : "did not fire",
			call_name(res, tdcall), res->seen,
			tdxsim_inject_name((enum tdxsim_inject)pi->kind),
			res->seen == 1 ? "" : "s");
}

int inject_settle(struct runner *r, const struct sc_step *sc, uint64_t *fired)
{
	/* A line that expects or saves the count takes "did not fire" as an
	 * outcome to check, not as a mistake. */
	bool checked = sc->has_fired || sc->save[SC_SAVE_FIRED] != SCRIPT_NO_VAR;
	int rc = SCRIPT_OK;

	*fired = 0;
	for (unsigned i = 0; i < r->npending; i++) {
		const struct pending_inject *pi = &r->pending[i];
		struct tdxsim_inject_result res;
		char what[128];

		tdxsim_inject_next_result(r->p, (enum tdxsim_inject)pi->kind, &res);
		*fired += res.fired;
		if (r->verbose) {
			describe(what, sizeof(what), pi);
			fprintf(r->out, "  %s: %u fired, %u occurrence%s in %s\n", what,
				res.fired, res.seen, res.seen == 1 ? "" : "s",
				res.taken ? call_name(&res, sc->tdcall) : "no call");
		}
		if (rc == SCRIPT_OK && !checked && res.fired != pi->count)
			rc = unfired(r, pi, &res, sc->tdcall);
	}
	tdxsim_inject_next_clear(r->p);
	r->npending = 0;
	return rc;
}

int inject_none_pending(struct runner *r, const char *what)
{
	if (!r->npending)
		return SCRIPT_OK;
	return rt_error(r, "inject %s (line %u) waits for a seamcall or tdcall; "
			"'%s' cannot take it",
			tdxsim_inject_name((enum tdxsim_inject)r->pending[0].kind),
			r->pending[0].line, what);
}
