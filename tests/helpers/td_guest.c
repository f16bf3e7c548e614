/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "td_guest.h"
#include "host/page_alloc.h"
#include "module/td.h"
#include "module/td_run.h"

int (*tdg_body)(struct tdx_guest *g);

static int tdg_main(struct tdx_guest *g, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return tdg_body ? tdg_body(g) : 0;
}

static const struct tdx_guest_program tdg_prog = {
	.name = "tdg", .usage = "tdg (a test's guest body)", .main = tdg_main,
};

void tdg_boot(struct tdg *x)
{
	memset(x, 0, sizeof(*x));
	tdm_boot(&x->t);
	assert_int_equal(platform_add_guest_program(x->t.hm.p, &tdg_prog), 0);
}

void tdg_boot_config(struct tdg *x, const struct tdxsim_platform_config *c)
{
	memset(x, 0, sizeof(*x));
	tdm_boot_config(&x->t, c);
	assert_int_equal(platform_add_guest_program(x->t.hm.p, &tdg_prog), 0);
}

void tdg_boot_msr(struct tdg *x, unsigned lp, uint32_t msr, uint64_t value)
{
	struct tdxsim_platform_config c;
	struct tdxsim_lp_override *o;

	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	o = &c.overrides[c.n_overrides++];
	memset(o, 0, sizeof(*o));
	o->lp = lp;
	o->n_msrs = 1;
	o->msrs[0] = (struct tdxsim_msr_override){ msr, value };
	tdg_boot_config(x, &c);
}

static void add_data(struct tdg *x, uint64_t pa)
{
	assert_true(x->n_data < TDG_MAX_DATA);
	x->data[x->n_data++] = pa;
}

void tdg_build(struct tdg *x, const struct td_params *p, unsigned n_vcpus,
	       bool good_image, bool finalize)
{
	struct tdm *t = &x->t;
	uint8_t image[TDX_GUEST_IMAGE_BYTES] = { 0 };
	struct td_params def;
	struct tdx_module_args a;

	if (!p) {
		tdm_default_params(&def);
		p = &def;
	}
	tdm_create(t);
	tdm_addcx_all(t);
	assert_int_equal(tdm_mng_init(t, p, NULL), TDX_SUCCESS);
	for (unsigned i = 0; i < n_vcpus; i++)
		assert_int_equal(tdm_vcpu(t, i), i);
	if (good_image)
		assert_int_equal(tdx_guest_image("tdg", 0, NULL, image), 0);
	assert_int_equal(platform_mem_write(t->hm.p, t->shared, image, sizeof(image)),
			 TDXSIM_MEM_OK);
	tdm_sept_path(t, 0, 1);
	a = (struct tdx_module_args){ .rcx = 0, .rdx = t->tdr, .r8 = tdm_page(t),
				      .r9 = t->shared };
	add_data(x, a.r8);
	assert_int_equal(tdm_sc(t, 0, TDH_MEM_PAGE_ADD, &a), TDX_SUCCESS);
	if (finalize)
		tdg_finalize(x);
}

void tdg_finalize(struct tdg *x)
{
	struct tdx_module_args a = { .rcx = x->t.tdr };

	assert_int_equal(tdm_sc(&x->t, 0, TDH_MR_FINALIZE, &a), TDX_SUCCESS);
}

void tdg_simple(struct tdg *x)
{
	tdg_boot(x);
	tdg_build(x, NULL, 1, true, true);
}

uint64_t tdg_enter(struct tdg *x, unsigned lp, unsigned v, struct tdx_module_args *a)
{
	a->rcx = x->t.tdvpr[v];
	return tdm_sc(&x->t, lp, TDH_VP_ENTER, a);
}

uint64_t tdg_aug(struct tdg *x, uint64_t gpa, unsigned level, uint8_t fill,
		 uint64_t *hpa)
{
	struct tdm *t = &x->t;
	uint64_t pa = level ? tdm_page_2m(t) : tdm_page(t), size = 4096ULL << (9 * level);
	uint8_t buf[4096];
	struct tdx_module_args a;
	uint64_t s;

	memset(buf, fill, sizeof(buf));
	for (uint64_t off = 0; off < size; off += sizeof(buf))
		assert_int_equal(platform_mem_write(t->hm.p, pa + off, buf, sizeof(buf)),
				 TDXSIM_MEM_OK);
	tdm_sept_path(t, gpa, level + 1);
	a = (struct tdx_module_args){ .rcx = gpa | level, .rdx = t->tdr, .r8 = pa };
	s = tdm_sc(t, 0, TDH_MEM_PAGE_AUG, &a);
	if (s == TDX_SUCCESS)
		add_data(x, pa);
	else
		assert_int_equal(page_alloc_free(t->hm.h->pages, pa, size), 0);
	if (hpa)
		*hpa = pa;
	return s;
}

static struct tdx_module *mod(struct tdg *x)
{
	return module_of(x->t.hm.p);
}

unsigned tdg_vcpu_state(struct tdg *x, unsigned v)
{
	return tdvps_mgmt_of(td_map(mod(x), x->t.tdvpr[v], x->t.hkid))->state;
}

static const struct tdr *tdr_of(struct tdg *x)
{
	return (const struct tdr *)td_map(mod(x), x->t.tdr, mod(x)->global_hkid);
}

bool tdg_td_fatal(struct tdg *x)
{
	return tdr_of(x)->fatal;
}

unsigned tdg_epoch_refcount(struct tdg *x, unsigned parity)
{
	struct tdcs *tdcs = tdcs_page(mod(x), tdr_of(x), TDCS_PAGE_MGMT);

	return atomic_load(&tdcs->refcount[parity & 1]);
}

unsigned tdg_epf_list_len(struct tdg *x, unsigned v)
{
	struct tdx_module *m = mod(x);
	unsigned n = 0;

	pthread_mutex_lock(&m->runs_lock);
	for (struct tdx_vcpu *gv = m->runs; gv; gv = gv->next)
		if (gv->tdvpr_pa == x->t.tdvpr[v])
			n = gv->n_epf;
	pthread_mutex_unlock(&m->runs_lock);
	return n;
}

void tdg_teardown(struct tdg *x)
{
	tdm_teardown(&x->t, x->data, x->n_data);
	tdm_free(&x->t);
}
