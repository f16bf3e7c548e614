/* SPDX-License-Identifier: MIT */
/*
 * Running `td create`: a TD built in one line (run_td_build.c makes the
 * SEAMCALLs), checked against its expect (success when none is given),
 * and what it made saved into variables.
 */
#include <stdlib.h>

#include "script_td.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/platform.h"

static int save_one(struct build *b, const struct td_save *sv)
{
	const struct rt_td *td = b->td;
	uint64_t v;

	if (!td->tdr && sv->what != TDW_STATUS)
		return rt_error(b->r, "td create: no TD to save from (MNG.CREATE failed)");
	switch (sv->what) {
	case TDW_TDR:    v = td->tdr; break;
	case TDW_HKID:   v = td->hkid; break;
	case TDW_STATUS: v = b->status; break;
	case TDW_TDCX:
		if (sv->index >= td->ntdcx)
			return rt_error(b->r, "save tdcx[%u]: the TD has %u TDCS pages",
					sv->index, td->ntdcx);
		v = td->tdcx[sv->index];
		break;
	default:
		if (sv->index >= td->nvcpus || !td->v[sv->index].tdvpr)
			return rt_error(b->r, "save tdvpr[%u]: the TD has no vCPU %u",
					sv->index, sv->index);
		v = td->v[sv->index].tdvpr;
	}
	rt_set_var(b->r, sv->var, v);
	return SCRIPT_OK;
}

/* The outcome against expect (success when none is given), then saves. */
static int finish(struct build *b)
{
	const struct td_create_step *c = b->c;
	struct status_spec ok = { .kind = ST_SUCCESS };
	const struct status_spec *want = c->has_expect ? &c->st : &ok;
	char w[96], g[96];
	int rc = SCRIPT_OK;

	if (!status_match(want, b->status))
		return rt_error(b->r, "td create: expected %s, got %s (0x%016llx)%s%s",
				status_spec_format(want, w, sizeof(w)),
				tdx_status_format(b->status, g, sizeof(g)),
				(unsigned long long)b->status, b->failed ? " from " : "",
				b->failed ? leaf_text(b->failed) : "");
	for (unsigned i = 0; rc == SCRIPT_OK && i < c->nsave; i++)
		rc = save_one(b, &c->save[i]);
	return rc;
}

static bool setup(struct build *b)
{
	const struct td_create_step *c = b->c;
	uint64_t n, v;
	int cur = platform_current_lp(b->r->p);

	if (!build_opt(b, c->has_vcpus, &c->vcpus, 1, &n))
		return false;
	if (n < 1 || n > SCRIPT_MAX_VCPUS) {
		b->rc = rt_error(b->r, "vcpus=%llu: a script TD has 1 to %d vCPUs",
				 (unsigned long long)n, SCRIPT_MAX_VCPUS);
		return false;
	}
	b->td->nvcpus = (unsigned)n;
	if (c->has_lp && !eval_lp(b->r, &c->lp, &b->lp)) {
		b->rc = SCRIPT_FAILED;
		return false;
	}
	if (!c->has_lp)
		b->lp = cur < 0 ? 0 : (unsigned)cur;
	if (c->has_pages) {
		if (!build_opt(b, true, &c->pages, 0, &v))
			return false;
		if (v & 0xFFF) {
			b->rc = rt_error(b->r, "pages=0x%llx is not 4 KiB aligned",
					 (unsigned long long)v);
			return false;
		}
		b->td->own_pages = true;
		b->td->page_next = v;
	}
	return true;
}

int exec_td_create(struct runner *r, const struct step *st)
{
	struct build b = { .r = r, .c = &st->u.tc };
	int rc = inject_none_pending(r, "td create");

	if (rc || !rt_need_platform(r))
		return SCRIPT_FAILED;
	if (r->ntds == SCRIPT_MAX_TDS)
		return rt_error(r, "at most %d TDs per script", SCRIPT_MAX_TDS);
	b.td = calloc(1, sizeof(*b.td));
	if (!b.td)
		return rt_error(r, "out of memory");
	b.td->sept_top = 3;
	b.td->shared_bit = 1ULL << 47;
	if (setup(&b))
		td_build(&b);
	rc = b.rc ? b.rc : finish(&b);
	if (!b.td->tdr)
		free(b.td);   /* never registered: MNG.CREATE did not make it */
	return rc;
}
