/* SPDX-License-Identifier: MIT */
/*
 * Pages the runner hands out: `pool BASE SIZE` gives it a range of TDX
 * memory it may use (a bump allocator: scripts are short), `pool take`
 * hands one page to the script, and a TD built with pages=ADDR takes its
 * own from ADDR upward. Also the S-EPT path a page at a GPA needs.
 */
#include <stdlib.h>

#include "script_td.h"
#include "tdxsim/platform.h"

#define PAGE 4096ULL

bool rt_page(struct runner *r, struct rt_td *td, uint64_t *pa)
{
	if (td && td->own_pages) {
		*pa = td->page_next;
		td->page_next += PAGE;
		return true;
	}
	if (!r->have_pool) {
		rt_error(r, "no page to give: set a pool first (pool BASE SIZE) or pages=ADDR");
		return false;
	}
	if (r->pool_next >= r->pool_end) {
		rt_error(r, "the pool is used up (it ends at 0x%llx)",
			 (unsigned long long)r->pool_end);
		return false;
	}
	*pa = r->pool_next;
	r->pool_next += PAGE;
	return true;
}

void rt_page_unget(struct runner *r, struct rt_td *td, uint64_t pa)
{
	if (td && td->own_pages && td->page_next == pa + PAGE)
		td->page_next = pa;
	else if ((!td || !td->own_pages) && r->pool_next == pa + PAGE)
		r->pool_next = pa;
}

static int exec_pool_set(struct runner *r, const struct simple_step *s)
{
	uint64_t base, size;

	if (!expr_eval(r, &s->e, &base) || !expr_eval(r, &s->e2, &size))
		return SCRIPT_FAILED;
	if ((base | size) & (PAGE - 1) || !size || base + size < base)
		return rt_error(r, "pool 0x%llx+0x%llx: base and size must be non-zero "
				"multiples of 4 KiB", (unsigned long long)base,
				(unsigned long long)size);
	r->have_pool = true;
	r->pool_next = base;
	r->pool_end = base + size;
	return SCRIPT_OK;
}

int exec_pool(struct runner *r, const struct step *st)
{
	uint64_t pa;

	if (st->op == OP_POOL)
		return exec_pool_set(r, &st->u.s);
	if (!rt_page(r, NULL, &pa))
		return SCRIPT_FAILED;
	rt_set_var(r, st->u.s.var, pa);
	return SCRIPT_OK;
}

struct rt_td *rt_td_find(struct runner *r, bool has, const struct expr *e)
{
	uint64_t tdr;

	if (!has) {
		if (r->ntds)
			return r->tds[r->ntds - 1];
		rt_error(r, "no TD: build one with 'td create' first");
		return NULL;
	}
	if (!expr_eval(r, e, &tdr))
		return NULL;
	for (unsigned i = 0; i < r->ntds; i++)
		if (r->tds[i]->tdr == tdr)
			return r->tds[i];
	rt_error(r, "0x%llx is not the TDR of a TD 'td create' built",
		 (unsigned long long)tdr);
	return NULL;
}

int rt_sept_path(struct runner *r, struct rt_td *td, uint64_t gpa,
		 unsigned level, int lp, uint64_t *status)
{
	*status = TDX_SUCCESS;
	for (unsigned l = td->sept_top; l >= level && l > 0; l--) {
		struct tdx_module_args a = {
			.rcx = (gpa & ~((1ULL << (12 + 9 * l)) - 1)) | l,
			.rdx = td->tdr | TDX_SEPT_ADD_ALLOW_EXISTING,
			.r9 = TDX_NULL_PA, .r10 = TDX_NULL_PA, .r11 = TDX_NULL_PA,
		};
		uint64_t page;
		int rc;

		if (!rt_page(r, td, &page))
			return SCRIPT_FAILED;
		a.r8 = page;
		rc = rt_seamcall(r, lp, TDH_MEM_SEPT_ADD | (1ULL << TDX_VERSION_SHIFT), &a,
				 status);
		if (rc || *status != TDX_SUCCESS || a.r8 != TDX_NULL_PA)
			rt_page_unget(r, td, page);   /* refused, or there already */
		if (rc || *status != TDX_SUCCESS)
			return rc;
	}
	return SCRIPT_OK;
}
