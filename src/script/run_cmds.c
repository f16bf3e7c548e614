/* SPDX-License-Identifier: MIT */
/*
 * Running the small commands: set, lp, vmxon/vmxoff, online/offline,
 * inject, echo, strict; and building the machine for `platform`.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "script_int.h"
#include "tdxsim/inject.h"
#include "tdxsim/platform.h"

bool eval_lp(struct runner *r, const struct expr *e, unsigned *lp)
{
	uint64_t v;

	if (!rt_need_platform(r) || !expr_eval(r, e, &v))
		return false;
	if (v >= platform_nr_lps(r->p)) {
		rt_error(r, "no LP %llu (the platform has %u)",
			 (unsigned long long)v, platform_nr_lps(r->p));
		return false;
	}
	*lp = (unsigned)v;
	return true;
}

static int exec_lp(struct runner *r, const struct simple_step *s)
{
	unsigned lp;
	int ret;

	if (!eval_lp(r, &s->e, &lp))
		return SCRIPT_FAILED;
	ret = platform_bind(r->p, lp);
	if (ret == -ENODEV)
		return rt_error(r, "LP %u is offline", lp);
	if (ret)
		return rt_error(r, "cannot bind to LP %u (%s)", lp, strerror(-ret));
	return SCRIPT_OK;
}

static int vmx_on(void *arg)
{
	return platform_vmxon(arg);
}

static int vmx_off(void *arg)
{
	return platform_vmxoff(arg);
}

/* `vmxon all`: every online LP not yet in that state, then back home. */
static int exec_vmx_all(struct runner *r, bool on)
{
	for (unsigned i = 0; i < platform_nr_lps(r->p); i++) {
		int ret;

		if (!platform_lp_online(r->p, i) ||
		    platform_lp_in_vmx(r->p, i) == on)
			continue;
		ret = platform_on_lp(r->p, i, on ? vmx_on : vmx_off, r->p);
		if (ret)
			return rt_error(r, "%s on LP %u failed (%s)",
					on ? "VMXON" : "VMXOFF", i, strerror(-ret));
	}
	return SCRIPT_OK;
}

static int exec_vmx(struct runner *r, const struct simple_step *s)
{
	int ret;

	if (!rt_need_platform(r))
		return SCRIPT_FAILED;
	if (s->all)
		return exec_vmx_all(r, s->on);
	ret = s->on ? platform_vmxon(r->p) : platform_vmxoff(r->p);
	if (ret == -EIO)
		return rt_error(r, "LP %d is %s in VMX operation",
				platform_current_lp(r->p), s->on ? "already" : "not");
	if (ret)
		return rt_error(r, "%s failed: no LP bound", s->on ? "VMXON" : "VMXOFF");
	return SCRIPT_OK;
}

static int exec_online(struct runner *r, const struct simple_step *s)
{
	unsigned lp;
	int ret;

	if (!eval_lp(r, &s->e, &lp))
		return SCRIPT_FAILED;
	ret = platform_lp_set_online(r->p, lp, s->on);
	if (ret == -EBUSY)
		return rt_error(r, "LP %u is busy: the script runs on it (move with 'lp')",
				lp);
	if (ret)
		return rt_error(r, "cannot set LP %u %s (%s)", lp,
				s->on ? "online" : "offline", strerror(-ret));
	return SCRIPT_OK;
}

/* Prints the text with every set $name replaced by its value in hex. */
static int exec_echo(struct runner *r, const struct simple_step *s)
{
	const char *p = script_str(r->s, s->str);

	while (*p) {
		size_t n = 0;
		int var;

		if (*p == '$')
			while (isalnum((unsigned char)p[1 + n]) || p[1 + n] == '_')
				n++;
		var = n ? script_var_find(r->s, p + 1, n) : SCRIPT_NO_VAR;
		if (var == SCRIPT_NO_VAR) {
			fputc(*p++, r->out);
			continue;
		}
		if (!r->set[var])
			return rt_error(r, "variable $%s is not set yet", r->s->vars[var]);
		fprintf(r->out, "0x%llx", (unsigned long long)r->vals[var]);
		p += n + 1;
	}
	fputc('\n', r->out);
	return SCRIPT_OK;
}

int exec_simple(struct runner *r, const struct step *st)
{
	const struct simple_step *s = &st->u.s;
	uint64_t v;

	switch (st->op) {
	case OP_SET:
		if (!expr_eval(r, &s->e, &v))
			return SCRIPT_FAILED;
		rt_set_var(r, s->var, v);
		return SCRIPT_OK;
	case OP_LP:      return exec_lp(r, s);
	case OP_VMX:     return exec_vmx(r, s);
	case OP_ONLINE:  return exec_online(r, s);
	case OP_INJECT:  return exec_inject(r, s);
	case OP_ECHO:    return exec_echo(r, s);
	default:
		r->strict = s->on;
		return SCRIPT_OK;
	}
}

/* ---- platform ---- */

static int load_config(struct runner *r, const struct plat_step *ps,
		       struct tdxsim_platform_config *cfg)
{
	char err[512];
	char *path;
	bool ok;

	if (ps->path == SCRIPT_NO_STR) {
		tdxsim_config_default(cfg);
		return SCRIPT_OK;
	}
	path = script_resolve(rt_file(r, rt_step(r)), script_str(r->s, ps->path));
	if (!path)
		return rt_error(r, "out of memory");
	ok = tdxsim_config_load_json(path, cfg, err, sizeof(err));
	free(path);
	return ok ? SCRIPT_OK : rt_error(r, "platform file: %s", err);
}

static int apply_options(struct runner *r, const struct plat_step *ps,
			 struct tdxsim_platform_config *cfg)
{
	uint64_t v;

	if (ps->packages) {
		cfg->packages = ps->packages;
		cfg->lps_per_package = ps->lpp;
	}
	if (ps->profile >= 0)
		cfg->profile = (enum tdxsim_profile)ps->profile;
	if (ps->module >= 0)
		cfg->module_loaded = ps->module;
	if (ps->has_tdx_keyids) {
		if (!expr_eval(r, &ps->tdx_keyids, &v))
			return SCRIPT_FAILED;
		if (v > UINT32_MAX)
			return rt_error(r, "tdx-keyids=%llu is too large",
					(unsigned long long)v);
		cfg->tdx_keyids = (uint32_t)v;
	}
	if (ps->has_mem) {
		if (!expr_eval(r, &ps->mem, &v))
			return SCRIPT_FAILED;
		cfg->n_memmap = 1;
		cfg->memmap[0] = (struct tdxsim_mem_range){
			.base = 0, .size = v, .type = TDXSIM_MEM_RAM, .node = 0,
		};
		cfg->cmrs_explicit = false;
		cfg->n_cmrs = 0;
	}
	return SCRIPT_OK;
}

int exec_platform(struct runner *r, const struct step *st)
{
	struct tdxsim_platform_config *cfg = malloc(sizeof(*cfg));
	char err[512];
	int rc;

	if (!cfg)
		return rt_error(r, "out of memory");
	rc = load_config(r, &st->u.plat, cfg);
	if (rc == SCRIPT_OK)
		rc = apply_options(r, &st->u.plat, cfg);
	if (rc == SCRIPT_OK) {
		r->p = platform_create(cfg, err, sizeof(err));
		if (!r->p)
			rc = rt_error(r, "cannot build the platform: %s", err);
	}
	free(cfg);
	if (rc == SCRIPT_OK && platform_bind(r->p, 0))
		rc = rt_error(r, "cannot bind to LP 0");
	return rc;
}
