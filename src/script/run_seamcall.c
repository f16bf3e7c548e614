/* SPDX-License-Identifier: MIT */
/* Running `seamcall`: the door on the bound LP (or lp=N), then checks. */
#include <errno.h>
#include <string.h>

#include "script_int.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/inject.h"
#include "tdxsim/platform.h"

struct sc_call {
	uint64_t rax;
	uint64_t status;
	struct tdx_module_args args;
};

static int do_call(void *arg)
{
	struct sc_call *c = arg;

	c->status = seamcall(c->rax, &c->args);
	return 0;
}

bool sc_inputs(struct runner *r, const struct sc_step *sc, uint64_t *rax,
	       struct tdx_module_args *a)
{
	uint64_t v;

	memset(a, 0, sizeof(*a));
	*rax = sc->rax;
	for (unsigned i = 0; i < SCRIPT_NREGS; i++)
		if ((sc->in_mask >> i & 1) && !expr_eval(r, &sc->in[i], reg_ptr(a, i)))
			return false;
	if (!sc->has_version)
		return true;
	if (!expr_eval(r, &sc->version, &v))
		return false;
	if (v > 0xFF) {
		rt_error(r, "version %llu does not fit in RAX[23:16]",
			 (unsigned long long)v);
		return false;
	}
	*rax |= v << 16;
	return true;
}

int rt_on_lp(struct runner *r, unsigned lp, int (*fn)(void *), void *arg)
{
	int ret;

	if (lp >= platform_nr_lps(r->p))
		return rt_error(r, "no LP %u (the platform has %u)", lp,
				platform_nr_lps(r->p));
	if ((int)lp == platform_current_lp(r->p))
		return fn(arg);
	ret = platform_on_lp(r->p, lp, fn, arg);
	if (ret == -ENODEV)
		return rt_error(r, "LP %u is offline", lp);
	if (ret)
		return rt_error(r, "cannot run on LP %u (%s)", lp, strerror(-ret));
	return SCRIPT_OK;
}

static int call(struct runner *r, const struct sc_step *sc, struct sc_call *c)
{
	uint64_t lp;

	if (!sc->has_lp)
		return do_call(c);
	if (!expr_eval(r, &sc->lp, &lp))
		return SCRIPT_FAILED;
	if (lp >= platform_nr_lps(r->p))
		return rt_error(r, "no LP %llu (the platform has %u)",
				(unsigned long long)lp, platform_nr_lps(r->p));
	return rt_on_lp(r, (unsigned)lp, do_call, c);
}

int rt_seamcall(struct runner *r, int lp, uint64_t rax,
		struct tdx_module_args *a, uint64_t *status)
{
	struct sc_call c = { .rax = rax, .args = *a };
	char buf[96];
	int rc = lp < 0 ? do_call(&c) : rt_on_lp(r, (unsigned)lp, do_call, &c);

	if (rc)
		return rc;
	*a = c.args;
	*status = c.status;
	rt_set_last(r, c.status, a);
	if (r->verbose)
		fprintf(r->out, "  . %s => %s\n", leaf_text(rax),
			tdx_status_format(c.status, buf, sizeof(buf)));
	return SCRIPT_OK;
}

void rt_set_last(struct runner *r, uint64_t status,
		 const struct tdx_module_args *a)
{
	r->have_last = true;
	r->last_status = status;
	r->last = *a;
}

const char *leaf_text(uint64_t rax)
{
	const char *n = tdx_leaf_name((unsigned)(rax & 0xFFFF));

	return n ? n : "SEAMCALL";
}

static void trace(struct runner *r, const struct tdx_module_args *in,
		  uint64_t status, const struct tdx_module_args *out)
{
	char buf[96];

	fprintf(r->out, "  => %s (0x%016llx)",
		tdx_status_format(status, buf, sizeof(buf)),
		(unsigned long long)status);
	for (unsigned i = 0; i < SCRIPT_NREGS; i++) {
		uint64_t a = *reg_ptr((struct tdx_module_args *)in, i);
		uint64_t b = *reg_ptr((struct tdx_module_args *)out, i);

		if (a != b)
			fprintf(r->out, " %s=0x%llx", reg_name(i), (unsigned long long)b);
	}
	fputc('\n', r->out);
}

static int check_regs(struct runner *r, const struct sc_step *sc,
		      const struct tdx_module_args *out)
{
	uint64_t want;

	for (unsigned i = 0; i < SCRIPT_NREGS; i++) {
		uint64_t got = *reg_ptr((struct tdx_module_args *)out, i);

		if (!(sc->out_mask >> i & 1))
			continue;
		if (!expr_eval(r, &sc->out[i], &want))
			return SCRIPT_FAILED;
		if (got != want)
			return rt_error(r, "%s: expected 0x%llx, got 0x%llx", reg_name(i),
					(unsigned long long)want, (unsigned long long)got);
	}
	return SCRIPT_OK;
}

static int check_fired(struct runner *r, const struct sc_step *sc, uint64_t fired)
{
	uint64_t want;

	if (!sc->has_fired)
		return SCRIPT_OK;
	if (!expr_eval(r, &sc->fired, &want))
		return SCRIPT_FAILED;
	if (fired != want)
		return rt_error(r, "fired: expected %llu injected failure%s, got %llu",
				(unsigned long long)want, want == 1 ? "" : "s",
				(unsigned long long)fired);
	return SCRIPT_OK;
}

static int check(struct runner *r, const struct sc_step *sc, uint64_t status,
		 const struct tdx_module_args *out, const char *what)
{
	char want[96], got[96];

	tdx_status_format(status, got, sizeof(got));
	if (!sc->has_expect) {
		if (r->strict && status >> 63)
			return rt_error(r, "%s returned %s (0x%016llx) (strict mode)",
					what, got, (unsigned long long)status);
		return SCRIPT_OK;
	}
	if (!status_match(&sc->st, status))
		return rt_error(r, "expected %s, got %s (0x%016llx)",
				status_spec_format(&sc->st, want, sizeof(want)), got,
				(unsigned long long)status);
	return check_regs(r, sc, out);
}

int sc_finish(struct runner *r, const struct sc_step *sc, const char *what,
	      const struct tdx_module_args *in, uint64_t status,
	      const struct tdx_module_args *out)
{
	uint64_t fired = 0;
	int rc;

	rt_set_last(r, status, out);
	if (r->verbose)
		trace(r, in, status, out);
	rc = inject_settle(r, sc, &fired);
	if (rc == SCRIPT_OK)
		rc = check(r, sc, status, out, what);
	if (rc == SCRIPT_OK)
		rc = check_fired(r, sc, fired);
	for (unsigned i = 0; rc == SCRIPT_OK && i < SCRIPT_NREGS; i++)
		rt_set_var(r, sc->save[i], *reg_ptr((struct tdx_module_args *)out, i));
	if (rc == SCRIPT_OK) {
		rt_set_var(r, sc->save[SC_SAVE_STATUS], status);
		rt_set_var(r, sc->save[SC_SAVE_FIRED], fired);
	}
	return rc;
}

int exec_seamcall(struct runner *r, const struct step *st)
{
	const struct sc_step *sc = &st->u.sc;
	struct sc_call c, in;
	int rc;

	memset(&c, 0, sizeof(c));
	if (!rt_need_platform(r) || !sc_inputs(r, sc, &c.rax, &c.args))
		return SCRIPT_FAILED;
	if (r->npending && !inject_arm(r, TDXSIM_INJECT_NEXT_SEAMCALL))
		return SCRIPT_FAILED;
	in = c;
	rc = call(r, sc, &c);
	if (rc) {
		tdxsim_inject_next_clear(r->p);
		r->npending = 0;
		return rc;
	}
	return sc_finish(r, sc, leaf_text(c.rax), &in.args, c.status, &c.args);
}
