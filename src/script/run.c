/* SPDX-License-Identifier: MIT */
/*
 * The runner: steps one parsed scenario through its commands, with
 * variables, bounded loops, assertions and a budget of executed steps.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "script_int.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/inject.h"
#include "tdxsim/platform.h"

const struct step *rt_step(const struct runner *r)
{
	return &r->s->steps[r->pc];
}

const char *rt_file(const struct runner *r, const struct step *st)
{
	return st->file == SCRIPT_NO_STR ? r->name : script_str(r->s, st->file);
}

int rt_error(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->err, "%s:%u: ", rt_file(r, rt_step(r)), rt_step(r)->line);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
	return SCRIPT_FAILED;
}

bool rt_need_platform(struct runner *r)
{
	if (r->p)
		return true;
	rt_error(r, "no platform");
	return false;
}

void rt_set_var(struct runner *r, int var, uint64_t v)
{
	if (var == SCRIPT_NO_VAR)
		return;
	r->vals[var] = v;
	r->set[var] = true;
}

/* Sums the terms modulo 2^64. */
bool expr_eval(struct runner *r, const struct expr *e, uint64_t *out)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < e->n; i++) {
		const struct term *t = &r->s->terms[e->first + i];
		uint64_t x = t->num;

		if (t->kind == TERM_VAR) {
			if (!r->set[t->var]) {
				rt_error(r, "variable $%s is not set yet", r->s->vars[t->var]);
				return false;
			}
			x = r->vals[t->var];
		}
		v = t->neg ? v - x : v + x;
	}
	*out = v;
	return true;
}

bool status_match(const struct status_spec *sp, uint64_t status)
{
	switch (sp->kind) {
	case ST_ANY:     return true;
	case ST_SUCCESS: return !(status >> 63);
	case ST_ERROR:   return status >> 63;
	case ST_CLASS:   return (status & ~0xFFFFFFFFULL) == sp->value;
	default:         return status == sp->value;
	}
}

char *status_spec_format(const struct status_spec *sp, char *buf, size_t len)
{
	static const char *const words[] = {
		[ST_ANY] = "any", [ST_SUCCESS] = "success (bit 63 clear)",
		[ST_ERROR] = "error (bit 63 set)",
	};

	if (sp->kind <= ST_ERROR)
		snprintf(buf, len, "%s", words[sp->kind]);
	else
		tdx_status_format(sp->value, buf, len);
	return buf;
}

static bool compare(uint8_t op, uint64_t a, uint64_t b)
{
	switch (op) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	default:     return a >= b;
	}
}

static bool cond_values(struct runner *r, const struct cond *c, uint64_t v[2])
{
	if (c->lhs != LHS_EXPR && !r->have_last) {
		rt_error(r, "'%s' needs an earlier seamcall", script_str(r->s, c->text));
		return false;
	}
	if (c->lhs == LHS_STATUS) {
		v[0] = r->last_status;
		return true;
	}
	if (c->lhs == LHS_REG)
		v[0] = *reg_ptr(&r->last, c->reg);
	else if (!expr_eval(r, &c->a, &v[0]))
		return false;
	return expr_eval(r, &c->b, &v[1]);
}

static bool cond_check(struct runner *r, const struct cond *c, bool *res,
		       uint64_t v[2])
{
	if (!cond_values(r, c, v))
		return false;
	if (c->lhs == LHS_STATUS)
		*res = status_match(&c->st, v[0]) == (c->op == CMP_EQ);
	else
		*res = compare(c->op, v[0], v[1]);
	return true;
}

bool cond_eval(struct runner *r, const struct cond *c, bool *res)
{
	uint64_t v[2];

	return cond_check(r, c, res, v);
}

static int exec_assert(struct runner *r, const struct cond *c)
{
	char buf[96];
	uint64_t v[2] = { 0, 0 };
	bool ok;

	if (!cond_check(r, c, &ok, v))
		return SCRIPT_FAILED;
	if (ok)
		return SCRIPT_OK;
	if (c->lhs == LHS_STATUS)
		return rt_error(r, "assertion failed: %s (status is %s, 0x%016llx)",
				script_str(r->s, c->text),
				tdx_status_format(v[0], buf, sizeof(buf)),
				(unsigned long long)v[0]);
	return rt_error(r, "assertion failed: %s (0x%llx vs 0x%llx)",
			script_str(r->s, c->text), (unsigned long long)v[0],
			(unsigned long long)v[1]);
}

static int exec_repeat(struct runner *r, const struct ctl_step *c)
{
	uint64_t n;

	if (!expr_eval(r, &c->count, &n))
		return SCRIPT_FAILED;
	if (n > SCRIPT_MAX_REPEAT)
		return rt_error(r, "repeat count %llu is above the limit of %llu",
				(unsigned long long)n, SCRIPT_MAX_REPEAT);
	if (n == 0)
		r->next = c->partner + 1;
	else
		r->loops[c->depth] = n - 1;
	return SCRIPT_OK;
}

int exec_ctl(struct runner *r, const struct step *st)
{
	const struct ctl_step *c = &st->u.ctl;
	bool hit;

	switch (st->op) {
	case OP_REPEAT:
		return exec_repeat(r, c);
	case OP_END:
		if (r->loops[c->depth]) {
			r->loops[c->depth]--;
			r->next = c->partner + 1;
		}
		return SCRIPT_OK;
	case OP_BREAK_IF:
		if (!cond_eval(r, &c->c, &hit))
			return SCRIPT_FAILED;
		if (hit)
			r->next = r->s->steps[c->partner].u.ctl.partner + 1;
		return SCRIPT_OK;
	default:
		return exec_assert(r, &c->c);
	}
}

typedef int (*exec_fn)(struct runner *, const struct step *);

static exec_fn exec_of(enum op op)
{
	switch (op) {
	case OP_PLATFORM: return exec_platform;
	case OP_WRITE:    return exec_write;
	case OP_READ:     return exec_read;
	case OP_SEAMCALL: return exec_seamcall;
	case OP_REPEAT: case OP_END: case OP_BREAK_IF: case OP_ASSERT:
		return exec_ctl;
	case OP_WRMSR: case OP_RDMSR:
		return exec_msr;
	case OP_POOL: case OP_POOL_TAKE:
		return exec_pool;
	case OP_TD_CREATE: return exec_td_create;
	case OP_TD_RUN: case OP_TD_FATAL: case OP_TD_SEPT:
		return exec_td;
	case OP_TDCALL:   return exec_tdcall;
	default:          return exec_simple;
	}
}

static int run_steps(struct runner *r)
{
	const struct script *s = r->s;
	int rc = SCRIPT_OK;

	for (r->pc = 0; r->pc < s->nsteps && rc == SCRIPT_OK; r->pc = r->next) {
		const struct step *st = &s->steps[r->pc];

		r->next = r->pc + 1;
		if (++r->steps > r->max_steps)
			return rt_error(r, "step limit of %llu exceeded",
					(unsigned long long)r->max_steps);
		if (r->verbose)
			fprintf(r->out, "%s:%u: %s\n", rt_file(r, st), st->line,
				script_str(s, st->text));
		rc = exec_of(st->op)(r, st);
	}
	if (rc == SCRIPT_OK && r->npending) {
		/* An inject whose call never came tested nothing. */
		fprintf(r->err, "%s:%u: inject %s was never used: no seamcall or tdcall "
			"followed it\n", r->pending[0].file == SCRIPT_NO_STR ? r->name :
			script_str(r->s, r->pending[0].file), r->pending[0].line,
			tdxsim_inject_name((enum tdxsim_inject)r->pending[0].kind));
		rc = SCRIPT_FAILED;
	}
	return rc;
}

int run_script(const struct script *s, const char *name,
	       const struct script_opts *o)
{
	struct runner *r = calloc(1, sizeof(*r));
	int rc;

	if (!r) {
		fprintf(o && o->err ? o->err : stderr, "%s: out of memory\n", name);
		return SCRIPT_FAILED;
	}
	r->s = s;
	r->name = name;
	r->out = o && o->out ? o->out : stdout;
	r->err = o && o->err ? o->err : stderr;
	r->verbose = o && o->verbose;
	r->max_steps = o && o->max_steps ? o->max_steps : SCRIPT_DEFAULT_STEPS;
	rc = run_steps(r);
	for (unsigned i = 0; i < r->ntds; i++)
		free(r->tds[i]);
	if (r->p) {
		platform_unbind(r->p);
		platform_destroy(r->p);
	}
	fflush(r->out);
	free(r);
	return rc;
}
