/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "td_machine.h"
#include "host/page_alloc.h"
#include "module/td.h"
#include "module/pamt.h"

void tdm_boot(struct tdm *t)
{
	memset(t, 0, sizeof(*t));
	hm_boot_small(&t->hm, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	t->shared = tdm_page(t);
}

void tdm_boot_config(struct tdm *t, const struct tdxsim_platform_config *c)
{
	memset(t, 0, sizeof(*t));
	hm_new(&t->hm, c, MEMHP_STRICT);
	assert_int_equal(host_boot(t->hm.h), 0);
	t->shared = tdm_page(t);
}

void tdm_free(struct tdm *t)
{
	hm_free(&t->hm);
}

uint64_t tdm_page(struct tdm *t)
{
	uint64_t pa = 0;

	assert_true(page_alloc_page(t->hm.h->pages, 0, true, &pa));
	return pa;
}

uint64_t tdm_page_2m(struct tdm *t)
{
	uint64_t pa = 0;

	assert_true(page_alloc_contig(t->hm.h->pages, 0, 1ULL << 21, 1ULL << 21,
				      true, &pa));
	return pa;
}

uint64_t tdm_sc(struct tdm *t, unsigned lp, uint64_t leaf, struct tdx_module_args *a)
{
	return sc_on(t->hm.p, lp, leaf, a);
}

uint16_t tdm_first_hkid(struct tdm *t)
{
	return (uint16_t)platform_first_private_keyid(t->hm.p);
}

void tdm_default_params(struct td_params *p)
{
	memset(p, 0, sizeof(*p));
	p->xfam = TDX_XFAM_FIXED1;
	p->max_vcpus = 4;
	p->eptp_controls = TDX_EPTP_MT_WB | (TDX_EPTP_PWL_4 << TDX_EPTP_PWL_SHIFT);
	p->config_flags = TDX_CONFIG_FLAGS_NO_RBP_MOD;
	p->tsc_frequency = 100;   /* 2.5 GHz */
}

void tdm_create(struct tdm *t)
{
	struct tdx_module_args a = { 0 };

	t->hkid = tdm_first_hkid(t);
	while (tdx_inspect_kot_state(t->hm.p, t->hkid) != KOT_STATE_HKID_FREE)
		t->hkid++;
	t->tdr = tdm_page(t);
	a.rcx = t->tdr;
	a.rdx = t->hkid;
	assert_int_equal(tdm_sc(t, 0, TDH_MNG_CREATE, &a), TDX_SUCCESS);
	for (unsigned pkg = 0; pkg < platform_nr_packages(t->hm.p); pkg++) {
		unsigned lp = 0;

		while (platform_lp_package(t->hm.p, lp) != pkg)
			lp++;
		memset(&a, 0, sizeof(a));
		a.rcx = t->tdr;
		assert_int_equal(tdm_sc(t, lp, TDH_MNG_KEY_CONFIG, &a), TDX_SUCCESS);
	}
}

void tdm_addcx_all(struct tdm *t)
{
	while (t->n_tdcx < TDX_MIN_NUM_TDCS_PAGES) {
		struct tdx_module_args a = { .rcx = tdm_page(t), .rdx = t->tdr };

		assert_int_equal(tdm_sc(t, 0, TDH_MNG_ADDCX, &a), TDX_SUCCESS);
		t->tdcx[t->n_tdcx++] = a.rcx;
	}
}

uint64_t tdm_mng_init(struct tdm *t, const struct td_params *p, uint64_t *rcx_out)
{
	struct tdx_module_args a = { .rcx = t->tdr, .rdx = t->shared };
	uint64_t status;

	assert_int_equal(platform_mem_write(t->hm.p, t->shared, p, sizeof(*p)),
			 TDXSIM_MEM_OK);
	status = tdm_sc(t, 0, TDH_MNG_INIT, &a);
	if (rcx_out)
		*rcx_out = a.rcx;
	return status;
}

void tdm_td_init(struct tdm *t)
{
	struct td_params p;

	tdm_create(t);
	tdm_addcx_all(t);
	tdm_default_params(&p);
	assert_int_equal(tdm_mng_init(t, &p, NULL), TDX_SUCCESS);
}

unsigned tdm_vcpu(struct tdm *t, unsigned lp)
{
	unsigned v = t->n_vcpus++;
	struct tdx_module_args a = { .rcx = tdm_page(t), .rdx = t->tdr };

	assert_true(v < TDM_MAX_VCPUS);
	assert_int_equal(tdm_sc(t, lp, TDH_VP_CREATE, &a), TDX_SUCCESS);
	t->tdvpr[v] = a.rcx;
	for (unsigned i = 0; i + 1 < TDX_MIN_TDVPS_PAGES; i++) {
		struct tdx_module_args b = { .rcx = tdm_page(t), .rdx = t->tdvpr[v] };

		assert_int_equal(tdm_sc(t, lp, TDH_VP_ADDCX, &b), TDX_SUCCESS);
		t->tdvpx[v][i] = b.rcx;
	}
	memset(&a, 0, sizeof(a));
	a.rcx = t->tdvpr[v];
	a.rdx = 0x1234;
	a.r8 = v;
	assert_int_equal(tdm_sc(t, lp, TDH_VP_INIT | (1ULL << TDX_VERSION_SHIFT), &a),
			 TDX_SUCCESS);
	return v;
}

void tdm_sept_path(struct tdm *t, uint64_t gpa, unsigned level)
{
	for (unsigned l = TDX_LVL_PML4 - 1 + 1; l >= level && l > 0; l--) {
		/* Version 1 says in R8 whether the page went in (NULL_PA). */
		struct tdx_module_args a = {
			.rcx = (gpa & ~((1ULL << (12 + 9 * l)) - 1)) | l,
			.rdx = t->tdr | TDX_SEPT_ADD_ALLOW_EXISTING,
			.r8 = tdm_page(t),
			.r9 = TDX_NULL_PA, .r10 = TDX_NULL_PA, .r11 = TDX_NULL_PA,
		};
		uint64_t page = a.r8;

		assert_int_equal(tdm_sc(t, 0, TDH_MEM_SEPT_ADD | (1ULL << TDX_VERSION_SHIFT), &a),
				 TDX_SUCCESS);
		if (a.r8 != TDX_NULL_PA) {
			assert_int_equal(a.r8, page | TDX_SEPT_ADD_NOT_USED);
			assert_int_equal(page_alloc_free(t->hm.h->pages, page, 4096), 0);
		} else {
			assert_true(t->n_sept < TDM_MAX_SEPT);
			t->sept[t->n_sept++] = page;
		}
	}
}

uint64_t tdm_page_add(struct tdm *t, uint64_t gpa, uint8_t fill, uint64_t *hpa)
{
	uint8_t buf[4096];
	struct tdx_module_args a = { .rcx = gpa, .rdx = t->tdr, .r8 = tdm_page(t),
				     .r9 = t->shared };

	memset(buf, fill, sizeof(buf));
	assert_int_equal(platform_mem_write(t->hm.p, t->shared, buf, sizeof(buf)),
			 TDXSIM_MEM_OK);
	if (hpa)
		*hpa = a.r8;
	return tdm_sc(t, 0, TDH_MEM_PAGE_ADD, &a);
}

void tdm_runnable(struct tdm *t)
{
	struct tdx_module_args a = { 0 };

	tdm_td_init(t);
	tdm_vcpu(t, 0);
	a.rcx = t->tdr;
	assert_int_equal(tdm_sc(t, 0, TDH_MR_FINALIZE, &a), TDX_SUCCESS);
}

unsigned tdm_control_pages(struct tdm *t, uint64_t *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned v = 0; v < t->n_vcpus; v++) {
		for (unsigned i = 0; i + 1 < TDX_MIN_TDVPS_PAGES && n < max; i++)
			out[n++] = t->tdvpx[v][i];
		if (n < max)
			out[n++] = t->tdvpr[v];
	}
	for (unsigned i = 0; i < t->n_sept && n < max; i++)
		out[n++] = t->sept[i];
	for (unsigned i = 0; i < t->n_tdcx && n < max; i++)
		out[n++] = t->tdcx[i];
	return n;
}

static void flush_vcpus(struct tdm *t)
{
	for (unsigned v = 0; v < t->n_vcpus; v++) {
		for (unsigned lp = 0; lp < platform_nr_lps(t->hm.p); lp++) {
			struct tdx_module_args a = { .rcx = t->tdvpr[v] };
			uint64_t s = tdm_sc(t, lp, TDH_VP_FLUSH, &a);

			assert_true(s == TDX_SUCCESS || s == TDX_VCPU_NOT_ASSOCIATED);
		}
	}
}

static void cache_wb_all(struct tdm *t)
{
	for (unsigned pkg = 0; pkg < platform_nr_packages(t->hm.p); pkg++) {
		unsigned lp = 0;
		uint64_t s;
		struct tdx_module_args a = { .rcx = TDH_PHYMEM_CACHEWB_START_CMD };

		while (platform_lp_package(t->hm.p, lp) != pkg)
			lp++;
		while ((s = tdm_sc(t, lp, TDH_PHYMEM_CACHE_WB, &a)) == TDX_INTERRUPTED_RESUMABLE)
			a.rcx = TDH_PHYMEM_CACHEWB_RESUME_CMD;
		assert_true(s == TDX_SUCCESS || s == TDX_NO_HKID_READY_TO_WBCACHE);
	}
}

static void reclaim(struct tdm *t, uint64_t pa)
{
	struct tdx_module_args a = { .rcx = pa };

	assert_int_equal(tdm_sc(t, 0, TDH_PHYMEM_PAGE_RECLAIM, &a), TDX_SUCCESS);
	assert_int_equal(page_alloc_free(t->hm.h->pages, pa, 4096ULL << (9 * a.r8)), 0);
}

void tdm_teardown_keep_tdr(struct tdm *t, const uint64_t *pages, unsigned n)
{
	uint64_t ctl[TDM_MAX_VCPUS * TDX_MAX_TDVPS_PAGES + TDM_MAX_SEPT +
		     TDX_MAX_NUM_TDCS_PAGES];
	unsigned nctl = tdm_control_pages(t, ctl, sizeof(ctl) / sizeof(ctl[0]));
	struct tdx_module_args a = { .rcx = t->tdr };

	flush_vcpus(t);
	assert_int_equal(tdm_sc(t, 0, TDH_MNG_VPFLUSHDONE, &a), TDX_SUCCESS);
	cache_wb_all(t);
	a.rcx = t->tdr;
	assert_int_equal(tdm_sc(t, 0, TDH_MNG_KEY_FREEID, &a), TDX_SUCCESS);
	for (unsigned i = 0; i < n; i++)
		reclaim(t, pages[i]);
	for (unsigned i = 0; i < nctl; i++)
		reclaim(t, ctl[i]);
}

void tdm_teardown(struct tdm *t, const uint64_t *pages, unsigned n)
{
	tdm_teardown_keep_tdr(t, pages, n);
	reclaim(t, t->tdr);
}

uint64_t tdm_reclaim(struct tdm *t, uint64_t pa)
{
	struct tdx_module_args a = { .rcx = pa };
	uint64_t s = tdm_sc(t, 0, TDH_PHYMEM_PAGE_RECLAIM, &a);

	if (s == TDX_SUCCESS)
		assert_int_equal(page_alloc_free(t->hm.h->pages, pa, 4096ULL << (9 * a.r8)), 0);
	return s;
}

bool tdm_forget_sept(struct tdm *t, uint64_t pa)
{
	for (unsigned i = 0; i < t->n_sept; i++) {
		if (t->sept[i] == pa) {
			t->sept[i] = t->sept[--t->n_sept];
			return true;
		}
	}
	return false;
}

void tdm_set_epoch_refcount(struct tdm *t, unsigned parity, uint16_t n)
{
	struct tdx_module *m = module_of(t->hm.p);
	const struct tdr *tdr = (const struct tdr *)td_map(m, t->tdr, m->global_hkid);
	struct tdcs *tdcs = tdcs_page(m, tdr, TDCS_PAGE_MGMT);

	atomic_store(&tdcs->refcount[parity & 1], n);
}

static _Atomic uint64_t *pamt_word(struct tdm *t, unsigned level, uint64_t pa)
{
	struct tdx_module *m = module_of(t->hm.p);
	int i = pamt_tdmr_of(m, pa);

	assert_true(i >= 0);
	return pamt_entry_map(m, pamt_entry_pa(&m->tdmr[i], level, pa));
}

void tdm_pamt_hold(struct tdm *t, unsigned level, uint64_t pa)
{
	assert_true(hp_lock_host_try(pamt_word(t, level, pa), LOCK_EX));
}

void tdm_pamt_release(struct tdm *t, unsigned level, uint64_t pa)
{
	hp_lock_release(pamt_word(t, level, pa), LOCK_EX);
}
