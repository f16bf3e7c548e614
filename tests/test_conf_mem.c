/* SPDX-License-Identifier: MIT */
/*
 * The memory leaves held against Intel's module (docs/conformance.md):
 * what each leaf leaves in RCX, RDX and R8-R11 on success and failure,
 * how versions 1 and 2 change them, and the PAMT owner a freed page
 * keeps. Each case is a difference the sweep found; the real module's
 * handler that decides it is named at each.
 */
#include <string.h>

#include "helpers/td_machine.h"
#include "module/pamt.h"
#include "module/inspect.h"

#define OP(code, id) tdx_status_with_operand((code), (uint32_t)(id))
#define RAX_INVALID OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX)
#define V(n) ((uint64_t)(n) << TDX_VERSION_SHIFT)
#define GPA 0x40000000ULL
#define MD_NULL_ID UINT64_MAX     /* MD_FIELD_ID_NA */

static uint64_t pt_of(struct tdm *t, uint64_t pa)
{
	return pamt_entry_pt(tdx_inspect_pamt_word(t->hm.p, 0, pa));
}

static uint64_t owner_of(struct tdm *t, uint64_t pa)
{
	return pamt_entry_owner_pa(tdx_inspect_pamt_word(t->hm.p, 0, pa));
}

static uint64_t info(unsigned level, uint64_t state)
{
	return level | (state << SEPT_INFO_STATE_SHIFT);
}

static uint64_t sept_add(struct tdm *t, uint64_t leaf, uint64_t rcx, uint64_t rdx,
			 const uint64_t r8_r11[4], struct tdx_module_args *a)
{
	*a = (struct tdx_module_args){ .rcx = rcx, .rdx = rdx, .r8 = r8_r11[0],
				       .r9 = r8_r11[1], .r10 = r8_r11[2], .r11 = r8_r11[3] };
	return tdm_sc(t, 0, TDH_MEM_SEPT_ADD | leaf, a);
}

/* tdh_mem_sept_add zeroes RCX and RDX before its checks. */
static void sept_add_zeroes_rcx_rdx(void **state)
{
	const uint64_t n[4] = { 0 };
	struct tdx_module_args a;
	uint64_t pages[4];
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	pages[0] = tdm_page(&t);
	assert_int_equal(sept_add(&t, 0, 3, t.tdr, pages, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r8, pages[0]);                /* version 0: as given */
	assert_int_equal(sept_add(&t, 0, 3, t.tdr | 2, n, &a),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	tdm_free(&t);
}

/* Version 1 (process_l1_page, process_l2_pages, and R8-R11 at EXIT). */
static void sept_add_version_1(void **state)
{
	const uint64_t null4[4] = { TDX_NULL_PA, TDX_NULL_PA, TDX_NULL_PA, TDX_NULL_PA };
	uint64_t p, q, r[4];
	struct tdx_module_args a;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	p = tdm_page(&t);
	q = tdm_page(&t);
	/* NULL_PA asks that the entry exist: a FREE one is the wrong state,
	 * with its details (FREE: SVE only). */
	assert_int_equal(sept_add(&t, V(1), 3, t.tdr, null4, &a),
			 OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, SEPT_SVE);
	assert_int_equal(a.rdx, info(3, SEPT_STATE_FREE));
	/* An L2 page on a TD without L2 VMs names its register, after the
	 * L1 checks; the L1 page is not used. */
	r[0] = p, r[1] = 0, r[2] = r[3] = TDX_NULL_PA;
	assert_int_equal(sept_add(&t, V(1), 3, t.tdr, r, &a),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R9));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.r8, p);
	assert_int_equal(a.r9, 0);
	assert_int_equal(pt_of(&t, p), PT_NDA);
	r[1] = TDX_NULL_PA, r[3] = q;
	assert_int_equal(sept_add(&t, V(1), 3, t.tdr, r, &a),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R11));
	/* The page goes in: R8 comes back NULL_PA. */
	r[3] = TDX_NULL_PA;
	assert_int_equal(sept_add(&t, V(1), 3, t.tdr, r, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, TDX_NULL_PA);
	assert_int_equal(a.r9, TDX_NULL_PA);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(pt_of(&t, p), PT_EPT);
	/* Now the entry exists: NULL_PA succeeds without allow_existing. */
	assert_int_equal(sept_add(&t, V(1), 3, t.tdr, null4, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, TDX_NULL_PA);
	/* A page for an existing entry: refused with details without
	 * allow_existing (R8 back without bit 63), flagged with it. */
	r[0] = q | TDX_SEPT_ADD_NOT_USED;
	assert_int_equal(sept_add(&t, V(1), 3, t.tdr, r, &a),
			 OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, SEPT_RWX);
	assert_int_equal(a.rdx, info(3, SEPT_STATE_NL_MAPPED));
	assert_int_equal(a.r8, q);
	assert_int_equal(sept_add(&t, V(1), 3, t.tdr | TDX_SEPT_ADD_ALLOW_EXISTING, r, &a),
			 TDX_SUCCESS);
	assert_int_equal(a.r8, q | TDX_SEPT_ADD_NOT_USED);
	assert_int_equal(pt_of(&t, q), PT_NDA);
	/* Version 0 with NULL_PA: R8 is the operand, before the state. */
	assert_int_equal(sept_add(&t, 0, 3, t.tdr, null4, &a),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	assert_int_equal(a.rdx, 0);
	tdm_free(&t);
}

/* The versioned leaves refuse version 2 in their handlers, after their
 * register presets (RCX/RDX 0; R9-R11 NULL_PA for SEPT.REMOVE and
 * PROMOTE; RDX -1 and R8 0 for MNG.RD and VP.RD); R8 of SEPT.ADD is
 * untouched (EXIT_NO_GPR_CHANGE). */
static void version_2_presets(void **state)
{
	static const uint64_t leaves[] = { TDH_MEM_SEPT_REMOVE, TDH_MEM_PAGE_PROMOTE };
	struct tdx_module_args a;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_vcpu(&t, 0);
	a = (struct tdx_module_args){ .rcx = GPA | 1, .rdx = t.tdr, .r8 = 0x5000 };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_SEPT_ADD | V(2), &a), RAX_INVALID);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r8, 0x5000);
	for (unsigned i = 0; i < 2; i++) {
		a = (struct tdx_module_args){ .rcx = GPA | 1, .rdx = t.tdr, .r9 = 5, .r10 = 6, .r11 = 7 };
		assert_int_equal(tdm_sc(&t, 0, leaves[i] | V(2), &a), RAX_INVALID);
		assert_int_equal(a.rcx, 0);
		assert_int_equal(a.rdx, 0);
		assert_int_equal(a.r9, TDX_NULL_PA);
		assert_int_equal(a.r10, TDX_NULL_PA);
		assert_int_equal(a.r11, TDX_NULL_PA);
	}
	a = (struct tdx_module_args){ .rcx = t.tdr, .rdx = 0x1234, .r8 = 0x5678 };
	assert_int_equal(tdm_sc(&t, 0, TDH_MNG_RD | V(2), &a), RAX_INVALID);
	assert_int_equal(a.rdx, MD_NULL_ID);
	assert_int_equal(a.r8, 0);
	a = (struct tdx_module_args){ .rcx = t.tdvpr[0], .rdx = 0x1234, .r8 = 0x5678 };
	assert_int_equal(tdm_sc(&t, 0, TDH_VP_RD | V(2), &a), RAX_INVALID);
	assert_int_equal(a.rdx, MD_NULL_ID);
	assert_int_equal(a.r8, 0);
	/* A leaf without versions is still refused by the dispatcher, with
	 * its registers as they were. */
	a = (struct tdx_module_args){ .rcx = GPA, .rdx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_PAGE_AUG | V(1), &a), RAX_INVALID);
	assert_int_equal(a.rcx, GPA);
	tdm_free(&t);
}

static void debug_td(struct tdm *t)
{
	struct td_params p;

	tdm_create(t);
	tdm_addcx_all(t);
	tdm_default_params(&p);
	p.attributes |= TDX_TD_ATTR_DEBUG;
	assert_int_equal(tdm_mng_init(t, &p, NULL), TDX_SUCCESS);
}

static uint64_t sept_rd(struct tdm *t, uint64_t rcx, uint64_t rdx, struct tdx_module_args *a)
{
	*a = (struct tdx_module_args){ .rcx = rcx, .rdx = rdx, .r8 = 0x55 };
	return tdm_sc(t, 0, TDH_MEM_SEPT_RD, a);
}

/* tdh_mem_sept_rd: RDX bit 0 asks for the L2 attributes, not a TDR
 * misalignment; only a debug TD may, checked after the TD's state. */
static void sept_rd_l2_flag(void **state)
{
	struct tdx_module_args a;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_sept_path(&t, GPA, 3);
	assert_int_equal(sept_rd(&t, 3, t.tdr | 1, &a), OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	/* The TDR checks come first: a TDCX page is the wrong page. */
	assert_int_equal(sept_rd(&t, 3, t.tdcx[0] | 1, &a),
			 OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_RDX));
	/* Without the flag R8 is not written. */
	assert_int_equal(sept_rd(&t, 3, t.tdr, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, 0x55);
	tdm_free(&t);

	tdm_boot(&t);
	debug_td(&t);
	tdm_sept_path(&t, GPA, 3);
	assert_int_equal(sept_rd(&t, 3, t.tdr | 1, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, SEPT_RWX);
	assert_int_equal(a.rdx, info(3, SEPT_STATE_NL_MAPPED));
	assert_int_equal(a.r8, 0);                      /* no L2 VMs */
	tdm_free(&t);
}

static uint64_t mr_extend(struct tdm *t, uint64_t gpa, struct tdx_module_args *a)
{
	*a = (struct tdx_module_args){ .rcx = gpa, .rdx = t->tdr };
	return tdm_sc(t, 0, TDH_MR_EXTEND, a);
}

/* tdh_mr_extend: RCX/RDX zeroed first; a leaf with no access rights
 * (BLOCKED here) fails the walk to the leaf: NOT_PRESENT|RCX with that
 * entry's details, the same SEPT.RD gives. */
static void mr_extend_outputs(void **state)
{
	struct tdx_module_args a, rd;
	uint64_t hpa;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_sept_path(&t, GPA, 1);
	assert_int_equal(tdm_page_add(&t, GPA, 0xab, &hpa), TDX_SUCCESS);
	assert_int_equal(mr_extend(&t, GPA, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(mr_extend(&t, GPA + 0x80, &a), OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	/* No page at GPA + 4K: the non-present entry's details, too. */
	assert_int_equal(mr_extend(&t, GPA + 0x1000, &a),
			 OP(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rdx, info(0, SEPT_STATE_FREE));
	a = (struct tdx_module_args){ .rcx = GPA, .rdx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_RANGE_BLOCK, &a), TDX_SUCCESS);
	assert_int_equal(sept_rd(&t, GPA, t.tdr, &rd), TDX_SUCCESS);
	assert_int_equal(rd.rdx, info(0, SEPT_STATE_BLOCKED));
	assert_int_equal(mr_extend(&t, GPA, &a), OP(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, rd.rcx);
	assert_int_equal(a.rcx & SEPT_HPA_MASK, hpa);
	assert_int_equal(a.rdx, rd.rdx);
	tdm_free(&t);
}

static void rdmd(struct tdm *t, uint64_t pa, struct tdx_module_args *a)
{
	*a = (struct tdx_module_args){ .rcx = pa };
	assert_int_equal(tdm_sc(t, 0, TDH_PHYMEM_PAGE_RDMD, a), TDX_SUCCESS);
}

/* A freed page keeps its owner (the freeing leaves set pt = PT_NDA and
 * nothing else): TDH.PHYMEM.PAGE.RDMD shows it. PAGE.REMOVE here, and
 * SEPT.REMOVE of the emptied page table. */
static void freed_page_keeps_owner(void **state)
{
	struct tdx_module_args a;
	uint64_t hpa, pt_page;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_sept_path(&t, GPA, 1);
	pt_page = t.sept[t.n_sept - 1];
	assert_int_equal(tdm_page_add(&t, GPA, 0, &hpa), TDX_SUCCESS);
	a = (struct tdx_module_args){ .rcx = GPA, .rdx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_PAGE_REMOVE, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, hpa);
	rdmd(&t, hpa, &a);
	assert_int_equal(a.rcx, PT_NDA);
	assert_int_equal(a.rdx, t.tdr);
	assert_int_equal(a.r9, 0);                       /* bepoch: REG/EPT only */
	a = (struct tdx_module_args){ .rcx = GPA | 1, .rdx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_SEPT_REMOVE, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, pt_page);
	assert_true(tdm_forget_sept(&t, pt_page));
	assert_int_equal(pt_of(&t, pt_page), PT_NDA);
	assert_int_equal(owner_of(&t, pt_page), t.tdr);
	/* A freed page is free: it can be used again, by its new owner. */
	a = (struct tdx_module_args){ .rcx = GPA | 1, .rdx = t.tdr, .r8 = hpa };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_SEPT_ADD, &a), TDX_SUCCESS);
	assert_int_equal(pt_of(&t, hpa), PT_EPT);
	t.sept[t.n_sept++] = hpa;
	tdm_free(&t);
}

/* tdh_phymem_page_reclaim: the page's type, owner and size are out
 * before the large-page alignment check, so its failure reports them. */
static void reclaim_reports_before_alignment(void **state)
{
	struct tdx_module_args a;
	uint64_t page;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_runnable(&t);
	tdm_sept_path(&t, GPA, 2);
	page = tdm_page_2m(&t);
	a = (struct tdx_module_args){ .rcx = GPA | 1, .rdx = t.tdr, .r8 = page };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_PAGE_AUG, &a), TDX_SUCCESS);
	tdm_teardown_keep_tdr(&t, NULL, 0);
	a = (struct tdx_module_args){ .rcx = page + 0x1000 };
	assert_int_equal(tdm_sc(&t, 0, TDH_PHYMEM_PAGE_RECLAIM, &a),
			 OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, PT_REG);
	assert_int_equal(a.rdx, t.tdr);
	assert_int_equal(a.r8, TDX_PS_2M);
	assert_int_equal(tdm_reclaim(&t, page), TDX_SUCCESS);
	assert_int_equal(tdm_reclaim(&t, t.tdr), TDX_SUCCESS);
	tdm_free(&t);
}

/* ---- TDH.MEM.PAGE.RELOCATE (tdh_mem_page_relocate.c) ---- */

static uint64_t relocate(struct tdm *t, uint64_t rcx, uint64_t r8, struct tdx_module_args *a)
{
	*a = (struct tdx_module_args){ .rcx = rcx, .rdx = t->tdr, .r8 = r8 };
	return tdm_sc(t, 0, TDH_MEM_PAGE_RELOCATE, a);
}

/* A debug TD during build: the page moves with its bytes, the entry
 * points at the new page, the PAMT follows, and the old page is free
 * (its owner kept). */
static void relocate_moves_page(void **state)
{
	struct tdx_module_args a;
	uint64_t h, n;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	debug_td(&t);
	tdm_sept_path(&t, GPA, 1);
	assert_int_equal(tdm_page_add(&t, GPA, 0xab, &h), TDX_SUCCESS);
	n = tdm_page(&t);
	assert_int_equal(relocate(&t, GPA, n, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, h);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(sept_rd(&t, GPA, t.tdr, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx & SEPT_HPA_MASK, n);
	assert_int_equal(a.rdx, info(0, SEPT_STATE_MAPPED));
	rdmd(&t, n, &a);
	assert_int_equal(a.rcx, PT_REG);
	assert_int_equal(a.rdx, t.tdr);
	rdmd(&t, h, &a);
	assert_int_equal(a.rcx, PT_NDA);
	assert_int_equal(a.rdx, t.tdr);
	a = (struct tdx_module_args){ .rcx = GPA + 0x100, .rdx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_RD, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, 0xababababababababULL);
	/* The page it is on now is not a page to move to. */
	assert_int_equal(relocate(&t, GPA, n, &a), OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	assert_int_equal(a.rcx, 0);
	tdm_free(&t);
}

/* The operand checks, in the handler's order. */
static void relocate_operands(void **state)
{
	struct tdx_module_args a;
	uint64_t h, n;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_sept_path(&t, GPA, 1);
	assert_int_equal(tdm_page_add(&t, GPA, 0, &h), TDX_SUCCESS);
	n = tdm_page(&t);
	/* 4 KiB only: level 1 is not a RELOCATE level. */
	assert_int_equal(relocate(&t, GPA | 1, n, &a), OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* No page at GPA + 4K: the FREE entry's details. */
	assert_int_equal(relocate(&t, GPA + 0x1000, n, &a),
			 OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, SEPT_SVE);
	assert_int_equal(a.rdx, info(0, SEPT_STATE_FREE));
	/* The new page: a TD page is not free (the TDR itself is locked by
	 * this very call: busy); a misaligned one is invalid. */
	assert_int_equal(relocate(&t, GPA, t.tdcx[1], &a), OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	assert_int_equal(relocate(&t, GPA, t.tdr, &a), OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_R8));
	assert_int_equal(relocate(&t, GPA, n | 0x80, &a), OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	assert_int_equal(pt_of(&t, n), PT_NDA);
	/* Only version 0. */
	a = (struct tdx_module_args){ .rcx = GPA, .rdx = t.tdr, .r8 = n };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_PAGE_RELOCATE | V(1), &a), RAX_INVALID);
	tdm_free(&t);
}

/* A TD that may run: the entry must be blocked, then tracked; the move
 * unblocks it. A pending page moves without its bytes and stays
 * pending. */
static void relocate_running_td(void **state)
{
	struct tdx_module_args a, rd;
	uint64_t h, n;
	struct tdm t;

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_vcpu(&t, 0);
	tdm_sept_path(&t, GPA, 1);
	assert_int_equal(tdm_page_add(&t, GPA, 0, &h), TDX_SUCCESS);
	a = (struct tdx_module_args){ .rcx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MR_FINALIZE, &a), TDX_SUCCESS);
	n = tdm_page(&t);
	assert_int_equal(sept_rd(&t, GPA, t.tdr, &rd), TDX_SUCCESS);
	assert_int_equal(relocate(&t, GPA, n, &a), OP(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, rd.rcx);
	assert_int_equal(a.rdx, rd.rdx);
	a = (struct tdx_module_args){ .rcx = GPA, .rdx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_RANGE_BLOCK, &a), TDX_SUCCESS);
	assert_int_equal(relocate(&t, GPA, n, &a), OP(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	a = (struct tdx_module_args){ .rcx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_TRACK, &a), TDX_SUCCESS);
	assert_int_equal(relocate(&t, GPA, n, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, h);
	assert_int_equal(sept_rd(&t, GPA, t.tdr, &rd), TDX_SUCCESS);
	assert_int_equal(rd.rdx, info(0, SEPT_STATE_MAPPED));
	assert_int_equal(rd.rcx & SEPT_HPA_MASK, n);
	/* A pending page (AUG) needs blocking and tracking too; it moves
	 * and is pending again. */
	h = tdm_page(&t);
	a = (struct tdx_module_args){ .rcx = GPA + 0x1000, .rdx = t.tdr, .r8 = h };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_PAGE_AUG, &a), TDX_SUCCESS);
	n = tdm_page(&t);
	assert_int_equal(relocate(&t, GPA + 0x1000, n, &a), OP(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX));
	a = (struct tdx_module_args){ .rcx = GPA + 0x1000, .rdx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_RANGE_BLOCK, &a), TDX_SUCCESS);
	a = (struct tdx_module_args){ .rcx = t.tdr };
	assert_int_equal(tdm_sc(&t, 0, TDH_MEM_TRACK, &a), TDX_SUCCESS);
	assert_int_equal(relocate(&t, GPA + 0x1000, n, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, h);
	assert_int_equal(sept_rd(&t, GPA + 0x1000, t.tdr, &rd), TDX_SUCCESS);
	assert_int_equal(rd.rdx, info(0, SEPT_STATE_PENDING));
	assert_int_equal(rd.rcx & SEPT_HPA_MASK, n);
	tdm_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sept_add_zeroes_rcx_rdx),
		cmocka_unit_test(sept_add_version_1),
		cmocka_unit_test(version_2_presets),
		cmocka_unit_test(sept_rd_l2_flag),
		cmocka_unit_test(mr_extend_outputs),
		cmocka_unit_test(freed_page_keeps_owner),
		cmocka_unit_test(reclaim_reports_before_alignment),
		cmocka_unit_test(relocate_moves_page),
		cmocka_unit_test(relocate_operands),
		cmocka_unit_test(relocate_running_td),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
