/* SPDX-License-Identifier: MIT */
/* Running `seamcall`: the door on the bound LP (or lp=N), then checks. */
#include <errno.h>
#include <string.h>

#include "script_int.h"
#include "tdxsim/abi_names.h"
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

static bool load_inputs(struct runner *r, const struct sc_step *sc,
			struct sc_call *c)
{
	uint64_t v;

	memset(c, 0, sizeof(*c));
	c->rax = sc->rax;
	for (unsigned i = 0; i < SCRIPT_NREGS; i++)
		if ((sc->in_mask >> i & 1) &&
		    !expr_eval(r, &sc->in[i], reg_ptr(&c->args, i)))
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
	c->rax |= v << 16;
	return true;
}

static int call(struct runner *r, const struct sc_step *sc, struct sc_call *c)
{
	uint64_t lp;
	int ret;

	if (!sc->has_lp)
		return do_call(c);
	if (!expr_eval(r, &sc->lp, &lp))
		return SCRIPT_FAILED;
	if (lp >= platform_nr_lps(r->p))
		return rt_error(r, "no LP %llu (the platform has %u)",
				(unsigned long long)lp, platform_nr_lps(r->p));
	ret = platform_on_lp(r->p, (unsigned)lp, do_call, c);
	if (ret == -ENODEV)
		return rt_error(r, "LP %llu is offline", (unsigned long long)lp);
	if (ret)
		return rt_error(r, "cannot run on LP %llu (%s)",
				(unsigned long long)lp, strerror(-ret));
	return SCRIPT_OK;
}

static const char *leaf_text(uint64_t rax)
{
	const char *n = tdx_leaf_name((unsigned)(rax & 0xFFFF));

	return n ? n : "SEAMCALL";
}

static void trace(struct runner *r, const struct sc_call *in,
		  const struct sc_call *out)
{
	char buf[96];

	fprintf(r->out, "  => %s (0x%016llx)",
		tdx_status_format(out->status, buf, sizeof(buf)),
		(unsigned long long)out->status);
	for (unsigned i = 0; i < SCRIPT_NREGS; i++) {
		uint64_t a = *reg_ptr((struct tdx_module_args *)&in->args, i);
		uint64_t b = *reg_ptr((struct tdx_module_args *)&out->args, i);

		if (a != b)
			fprintf(r->out, " %s=0x%llx", reg_name(i), (unsigned long long)b);
	}
	fputc('\n', r->out);
}

static int check_regs(struct runner *r, const struct sc_step *sc,
		      struct sc_call *c)
{
	uint64_t want;

	for (unsigned i = 0; i < SCRIPT_NREGS; i++) {
		uint64_t got = *reg_ptr(&c->args, i);

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

static int check(struct runner *r, const struct sc_step *sc, struct sc_call *c)
{
	char want[96], got[96];

	tdx_status_format(c->status, got, sizeof(got));
	if (!sc->has_expect) {
		if (r->strict && c->status >> 63)
			return rt_error(r, "%s returned %s (0x%016llx) (strict mode)",
					leaf_text(c->rax), got,
					(unsigned long long)c->status);
		return SCRIPT_OK;
	}
	if (!status_match(&sc->st, c->status))
		return rt_error(r, "expected %s, got %s (0x%016llx)",
				status_spec_format(&sc->st, want, sizeof(want)), got,
				(unsigned long long)c->status);
	return check_regs(r, sc, c);
}

int exec_seamcall(struct runner *r, const struct step *st)
{
	const struct sc_step *sc = &st->u.sc;
	struct sc_call c, in;
	int rc;

	if (!rt_need_platform(r) || !load_inputs(r, sc, &c))
		return SCRIPT_FAILED;
	in = c;
	rc = call(r, sc, &c);
	if (rc)
		return rc;
	r->have_last = true;
	r->last_status = c.status;
	r->last = c.args;
	if (r->verbose)
		trace(r, &in, &c);
	rc = check(r, sc, &c);
	for (unsigned i = 0; rc == SCRIPT_OK && i < SCRIPT_NREGS; i++)
		rt_set_var(r, sc->save[i], *reg_ptr(&c.args, i));
	if (rc == SCRIPT_OK)
		rt_set_var(r, sc->save[SCRIPT_NREGS], c.status);
	return rc;
}
