/* SPDX-License-Identifier: MIT */
/*
 * Running `td run` (a TD's guest program to its end, with expectations
 * on how it ended and on its console), `td fatal` and `td sept`.
 */
#include <errno.h>
#include <string.h>

#include "script_td.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/agent.h"
#include "tdxsim/inject.h"
#include "tdxsim/platform.h"

static bool end_matches(struct runner *r, const struct td_step *d,
			const struct rt_vcpu *v, bool *ok)
{
	uint64_t want;

	*ok = d->end == v->end;
	if (*ok && d->end == END_ENTRY)
		*ok = status_match(&d->st, v->end_value);
	if (*ok && d->has_value) {
		if (!expr_eval(r, &d->value, &want))
			return false;
		*ok = v->end_value == want;
	}
	return true;
}

static int check_end(struct runner *r, const struct td_step *d, unsigned i,
		     const struct rt_vcpu *v)
{
	char got[128], want[128];
	uint64_t wv = 0;
	bool ok;

	if (r->verbose)
		fprintf(r->out, "  vCPU %u: %s\n", i, run_end_text(v->end, v->end_value, got,
							       sizeof(got)));
	if (d->end == END_NONE) {
		if (r->strict && !(v->end == END_EXIT && v->end_value == 0))
			return rt_error(r, "vCPU %u ended with %s (strict mode)", i,
					run_end_text(v->end, v->end_value, got, sizeof(got)));
		return SCRIPT_OK;
	}
	if (!end_matches(r, d, v, &ok))
		return SCRIPT_FAILED;
	if (ok)
		return SCRIPT_OK;
	if (d->has_value && !expr_eval(r, &d->value, &wv))
		return SCRIPT_FAILED;
	if (d->end == END_ENTRY)
		status_spec_format(&d->st, want, sizeof(want));
	else if (d->has_value)
		snprintf(want, sizeof(want), "%s=0x%llx", run_end_name(d->end),
			 (unsigned long long)wv);
	else
		snprintf(want, sizeof(want), "%s", run_end_name(d->end));
	return rt_error(r, "vCPU %u: expected %s, got %s", i, want,
			run_end_text(v->end, v->end_value, got, sizeof(got)));
}

/* Runs vCPU i to its end; an agent waiting for work is told to stop. */
static int run_one(struct runner *r, struct rt_td *td, unsigned i)
{
	struct rt_vcpu *v = &td->v[i];
	struct tdx_module_args reply = { 0 }, ex;
	char buf[128];
	bool agent;
	int rc;

	if (v->state == RV_ENDED)
		return rt_error(r, "vCPU %u of TD 0x%llx has ended (%s): nothing to run", i,
				(unsigned long long)td->tdr,
				run_end_text(v->end, v->end_value, buf, sizeof(buf)));
	if (v->state == RV_PARKED)
		reply.r10 = TDX_AGENT_CMD_STOP;
	for (;;) {
		rc = vcpu_run(r, td, i, &reply, &ex, &agent);
		if (rc || !agent)
			return rc;
		if (ex.r11 != TDX_AGENT_READY && ex.r11 != TDX_AGENT_RESULT_END)
			return rt_error(r, "vCPU %u: the agent said %llu out of turn", i,
					(unsigned long long)ex.r11);
		reply = (struct tdx_module_args){ .r10 = TDX_AGENT_CMD_STOP };
	}
}

static int vcpu_index(struct runner *r, const struct td_step *d,
		      const struct rt_td *td, unsigned *first, unsigned *last)
{
	uint64_t v;

	*first = 0;
	*last = td->nvcpus;
	if (!d->has_vcpu)
		return SCRIPT_OK;
	if (!expr_eval(r, &d->vcpu, &v))
		return SCRIPT_FAILED;
	if (v >= td->nvcpus || !td->v[v].tdvpr)
		return rt_error(r, "TD 0x%llx has no vCPU %llu", (unsigned long long)td->tdr,
				(unsigned long long)v);
	*first = (unsigned)v;
	*last = *first + 1;
	return SCRIPT_OK;
}

static int td_run(struct runner *r, const struct td_step *d)
{
	struct rt_td *td;
	unsigned first, last;
	size_t from;
	int rc = inject_none_pending(r, "td run");

	if (rc || !(td = rt_td_find(r, d->has_td, &d->td)) ||
	    vcpu_index(r, d, td, &first, &last))
		return SCRIPT_FAILED;
	from = td->console_len;
	for (unsigned i = first; rc == SCRIPT_OK && i < last && td->v[i].tdvpr; i++) {
		rc = run_one(r, td, i);
		console_show(r, td, true);
		if (rc == SCRIPT_OK)
			rc = check_end(r, d, i, &td->v[i]);
	}
	if (rc == SCRIPT_OK && d->console != SCRIPT_NO_STR &&
	    !strstr(td->console + from, script_str(r->s, d->console)))
		return rt_error(r, "console: expected \"%s\" in what the guest wrote (%zu bytes)",
				script_str(r->s, d->console), td->console_len - from);
	return rc;
}

static int td_fatal(struct runner *r, const struct td_step *d)
{
	uint64_t tdr;
	int ret;

	if (!rt_need_platform(r) || !expr_eval(r, &d->td, &tdr))
		return SCRIPT_FAILED;
	ret = tdxsim_inject_td_fatal(r->p, tdr);
	if (ret == -ENODEV)
		return rt_error(r, "td fatal: no TDX module is loaded");
	if (ret)
		return rt_error(r, "td fatal: 0x%llx is not a TDR page",
				(unsigned long long)tdr);
	return SCRIPT_OK;
}

static int td_sept(struct runner *r, const struct td_step *d)
{
	struct rt_td *td;
	uint64_t gpa, level = 1, s;
	char buf[96];
	int rc = inject_none_pending(r, "td sept");

	if (rc || !(td = rt_td_find(r, d->has_td, &d->td)) || !expr_eval(r, &d->gpa, &gpa) ||
	    (d->has_level && !expr_eval(r, &d->level, &level)))
		return SCRIPT_FAILED;
	if (level < 1 || level > td->sept_top)
		return rt_error(r, "level=%llu: an S-EPT page goes at level 1 to %u",
				(unsigned long long)level, td->sept_top);
	rc = rt_sept_path(r, td, gpa, (unsigned)level, -1, &s);
	if (rc == SCRIPT_OK && s != TDX_SUCCESS)
		return rt_error(r, "td sept: TDH.MEM.SEPT.ADD returned %s",
				tdx_status_format(s, buf, sizeof(buf)));
	return rc;
}

int exec_td(struct runner *r, const struct step *st)
{
	switch (st->op) {
	case OP_TD_RUN:   return td_run(r, &st->u.td);
	case OP_TD_FATAL: return td_fatal(r, &st->u.td);
	default:          return td_sept(r, &st->u.td);
	}
}
