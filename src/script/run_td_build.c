/* SPDX-License-Identifier: MIT */
/*
 * `td create`'s SEAMCALLs, as a host makes them (src/vmm is not the
 * script's to call, and it hides what a script wants to see):
 * MNG.CREATE, KEY.CONFIG on each package, ADDCX, MNG.INIT, then per vCPU
 * VP.CREATE, VP.ADDCX and VP.INIT, the program's image and the add=
 * pages (PAGE.ADD, with their S-EPT paths), and MR.FINALIZE. The first
 * status that is not success stops the build and is the command's.
 */
#include <string.h>

#include "script_td.h"
#include "tdxsim/guest.h"
#include "tdxsim/platform.h"

/* One SEAMCALL of the build; false once the build must stop. */
static bool sc(struct build *b, int lp, uint64_t leaf, struct tdx_module_args *a)
{
	uint64_t s;

	b->rc = rt_seamcall(b->r, lp, leaf, a, &s);
	if (b->rc)
		return false;
	if (s >> 63) {
		b->status = s;
		b->failed = leaf;
	}
	return !(s >> 63);
}

bool build_page(struct build *b, uint64_t *pa)
{
	if (rt_page(b->r, b->td, pa))
		return true;
	b->rc = SCRIPT_FAILED;
	return false;
}

bool build_opt(struct build *b, bool has, const struct expr *e, uint64_t dflt,
	       uint64_t *v)
{
	*v = dflt;
	if (has && !expr_eval(b->r, e, v)) {
		b->rc = SCRIPT_FAILED;
		return false;
	}
	return true;
}

/* MNG.CREATE; without hkid= the lowest private KeyID the module finds
 * free (HKID_NOT_FREE moves on to the next). */
static bool create(struct build *b)
{
	struct platform *p = b->r->p;
	uint64_t first = platform_first_private_keyid(p), hkid, tdr;
	uint64_t last = first + platform_config(p)->tdx_keyids;

	if (!build_opt(b, b->c->has_hkid, &b->c->hkid, first, &hkid) || !build_page(b, &tdr))
		return false;
	for (;; hkid++) {
		struct tdx_module_args a = { .rcx = tdr, .rdx = hkid };

		if (sc(b, -1, TDH_MNG_CREATE, &a))
			break;
		if (b->rc || b->c->has_hkid || b->status != TDX_HKID_NOT_FREE || hkid + 1 >= last)
			return false;
		b->status = TDX_SUCCESS;
		b->failed = 0;
	}
	b->td->tdr = tdr;
	b->td->hkid = (uint16_t)hkid;
	return true;
}

/* An online LP of the package in VMX operation: the vCPUs' LP if it is
 * one, else the first. */
static int package_lp(struct build *b, unsigned pkg)
{
	struct platform *p = b->r->p;

	if (platform_lp_package(p, b->lp) == pkg)
		return (int)b->lp;
	for (unsigned lp = 0; lp < platform_nr_lps(p); lp++)
		if (platform_lp_package(p, lp) == pkg && platform_lp_online(p, lp) &&
		    platform_lp_in_vmx(p, lp))
			return (int)lp;
	return -1;
}

static bool key_config(struct build *b)
{
	for (unsigned pkg = 0; pkg < platform_nr_packages(b->r->p); pkg++) {
		struct tdx_module_args a = { .rcx = b->td->tdr };
		int lp = package_lp(b, pkg);

		if (lp < 0) {
			b->rc = rt_error(b->r, "package %u has no online LP in VMX operation "
					 "for TDH.MNG.KEY.CONFIG", pkg);
			return false;
		}
		if (!sc(b, lp, TDH_MNG_KEY_CONFIG, &a))
			return false;
	}
	return true;
}

static bool add_tdcs(struct build *b)
{
	for (unsigned i = 0; i < TDX_MIN_NUM_TDCS_PAGES; i++) {
		struct tdx_module_args a = { .rdx = b->td->tdr };

		if (!build_page(b, &a.rcx) || !sc(b, -1, TDH_MNG_ADDCX, &a))
			return false;
		b->td->tdcx[b->td->ntdcx++] = a.rcx;
	}
	return true;
}

/* TD_PARAMS: the script's (params=), or a default TD (4-level EPT,
 * 2.5 GHz, NO_RBP_MOD) with attributes= and xfam= applied. The TD's
 * GPAW and S-EPT depth are read back from what MNG.INIT got. */
static bool mng_init(struct build *b)
{
	struct td_params p;
	struct tdx_module_args a = { .rcx = b->td->tdr };

	/* The host page for TD_PARAMS and page sources comes after the TDR
	 * and TDCS pages, so pages=ADDR starts with the TDR. */
	if (!build_page(b, &b->src))
		return false;
	a.rdx = b->src;
	memset(&p, 0, sizeof(p));
	p.max_vcpus = (uint16_t)b->td->nvcpus;
	p.eptp_controls = TDX_EPTP_MT_WB | (TDX_EPTP_PWL_4 << TDX_EPTP_PWL_SHIFT);
	p.config_flags = TDX_CONFIG_FLAGS_NO_RBP_MOD;
	p.tsc_frequency = 100;
	if (!build_opt(b, b->c->has_attributes, &b->c->attributes, 0, &p.attributes) ||
	    !build_opt(b, b->c->has_xfam, &b->c->xfam, TDX_XFAM_FIXED1, &p.xfam) ||
	    !build_opt(b, b->c->has_params, &b->c->params, b->src, &a.rdx))
		return false;
	if (!b->c->has_params)
		platform_mem_write(b->r->p, b->src, &p, sizeof(p));
	else if (platform_mem_read(b->r->p, a.rdx, &p, sizeof(p)) != TDXSIM_MEM_OK)
		memset(&p, 0, sizeof(p));   /* the module will say what is wrong */
	b->td->shared_bit = 1ULL << ((p.config_flags & TDX_CONFIG_FLAGS_GPAW) ? 51 : 47);
	b->td->sept_top = ((p.eptp_controls >> TDX_EPTP_PWL_SHIFT) & TDX_EPTP_PWL_MASK) ==
			  TDX_EPTP_PWL_5 ? 4 : 3;
	return sc(b, -1, TDH_MNG_INIT, &a);
}

/* VP.INIT version 1 (x2APIC ID = index) where TDX_FEATURES0 has
 * TOPOLOGY_ENUM, else version 0, as src/vmm decides. */
static uint64_t vp_init_leaf(struct build *b)
{
	struct tdx_module_args a = { .rdx = MD_SYS_TDX_FEATURES0 };
	uint64_t s;

	if (rt_seamcall(b->r, (int)b->lp, TDH_SYS_RD, &a, &s) || s != TDX_SUCCESS ||
	    !(a.r8 & TDX_FEATURES0_TOPOLOGY_ENUM))
		return TDH_VP_INIT;
	return TDH_VP_INIT | (1ULL << TDX_VERSION_SHIFT);
}

static bool add_vcpu(struct build *b, unsigned i, uint64_t init_leaf)
{
	struct rt_vcpu *v = &b->td->v[i];
	struct tdx_module_args a = { .rdx = b->td->tdr };
	int lp = (int)b->lp;

	if (!build_page(b, &a.rcx) || !sc(b, lp, TDH_VP_CREATE, &a))
		return false;
	v->tdvpr = a.rcx;
	v->lp = b->lp;
	for (unsigned k = 1; k < TDX_MIN_TDVPS_PAGES; k++) {
		a = (struct tdx_module_args){ .rdx = v->tdvpr };
		if (!build_page(b, &a.rcx) || !sc(b, lp, TDH_VP_ADDCX, &a))
			return false;
	}
	a = (struct tdx_module_args){ .rcx = v->tdvpr, .r8 = i };
	return sc(b, lp, init_leaf, &a);
}

static bool page_add(struct build *b, uint64_t gpa)
{
	struct tdx_module_args a = { .rcx = gpa, .rdx = b->td->tdr, .r9 = b->src };
	uint64_t s;

	b->rc = rt_sept_path(b->r, b->td, gpa, 1, -1, &s);
	if (b->rc || s != TDX_SUCCESS) {
		b->status = s;
		b->failed = TDH_MEM_SEPT_ADD;
		return false;
	}
	return build_page(b, &a.r8) && sc(b, -1, TDH_MEM_PAGE_ADD, &a);
}

/* The program's image at GPA 0 (docs/guest.md), then zero pages. */
static bool add_pages(struct build *b)
{
	const struct script *s = b->r->s;
	uint8_t img[TDX_GUEST_IMAGE_BYTES];
	char args[SCRIPT_MAX_LINE + 1], *argv[32];
	int argc;

	if (!b->c->no_program) {
		snprintf(args, sizeof(args), "%s", script_str(s, b->c->args));
		argc = split_commas(args, argv, 32);
		tdx_guest_image(b->c->program == SCRIPT_NO_STR ? "agent" :
				script_str(s, b->c->program), argc, argv, img);
		platform_mem_write(b->r->p, b->src, img, sizeof(img));
		if (!page_add(b, 0))
			return false;
	}
	platform_mem_zero(b->r->p, b->src, TDX_GUEST_IMAGE_BYTES);
	for (unsigned i = 0; i < b->c->nadd; i++) {
		uint64_t gpa;

		if (!build_opt(b, true, &b->c->add[i], 0, &gpa) || !page_add(b, gpa))
			return false;
	}
	return true;
}

bool td_build(struct build *b)
{
	uint64_t init_leaf;
	struct tdx_module_args a;

	if (!create(b))
		return false;
	b->r->tds[b->r->ntds++] = b->td;   /* from now on the script may name it */
	if (!key_config(b) || !add_tdcs(b) || !mng_init(b))
		return false;
	init_leaf = vp_init_leaf(b);
	for (unsigned i = 0; i < b->td->nvcpus; i++)
		if (!add_vcpu(b, i, init_leaf))
			return false;
	if (!add_pages(b))
		return false;
	a = (struct tdx_module_args){ .rcx = b->td->tdr };
	return !b->c->finalize || sc(b, -1, TDH_MR_FINALIZE, &a);
}

