/* SPDX-License-Identifier: MIT */
/*
 * Conformance of the S-EPT memory leaves (abi §5.5–5.7, §4.3, §6.3):
 * AUG, RANGE.BLOCK/UNBLOCK, TRACK, PAGE.REMOVE, SEPT.REMOVE, SEPT.RD,
 * PROMOTE/DEMOTE, MEM.RD/WR. Every error is checked with its operand ID
 * and, for S-EPT errors, the RCX/RDX details; effects are checked through
 * SEPT.RD, the PAMT and the TDR's child count (the final RECLAIM of the
 * TDR fails unless every page the leaves counted was given back).
 */
#include <stdlib.h>
#include <string.h>

#include "helpers/td_machine.h"
#include "host/page_alloc.h"

#define GPA_A    0x200000ULL       /* 4K pages share one page table */
#define GPA_B    0x201000ULL
#define GPA_C    0x202000ULL
#define GPA_2M   0x400000ULL       /* 2M leaves, own PD entries */
#define GPA_2M_B 0x600000ULL
#define GPA_FAR  0x40000000ULL     /* a PDPT entry nobody filled */
#define SHARED   (1ULL << 47)      /* GPAW 48 */
#define SZ_4K    0x1000ULL
#define SZ_2M    0x200000ULL
#define MAX_PAGES 1100
/* Page-info operand of the entry at `level` that maps gpa. */
#define AT(gpa, level) (((gpa) & ~((1ULL << (12 + 9 * (level))) - 1)) | (level))
#define STATUS_OP(code, id) tdx_status_with_operand((code), (uint32_t)(id))

struct env {
	struct tdm t;
	uint64_t free0;
	unsigned n;
	uint64_t pages[MAX_PAGES];     /* TD pages teardown reclaims */
};

/* ---- fixtures ------------------------------------------------------ */

static struct env *env_boot(void)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	tdm_boot(&e->t);
	e->free0 = page_alloc_free_bytes(e->t.hm.h->pages);
	return e;
}

/* A TD in INITIALIZED, without vCPUs, debug when asked. */
static struct env *env_init_attr(uint64_t attributes)
{
	struct env *e = env_boot();
	struct td_params p;

	tdm_create(&e->t);
	tdm_addcx_all(&e->t);
	tdm_default_params(&p);
	p.attributes = attributes;
	assert_int_equal(tdm_mng_init(&e->t, &p, NULL), TDX_SUCCESS);
	return e;
}

static struct env *env_init(void)
{
	return env_init_attr(0);
}

/* INITIALIZED → RUNNABLE: one vCPU, MR.FINALIZE. */
static void finalize(struct env *e)
{
	struct tdx_module_args a = { .rcx = e->t.tdr };

	tdm_vcpu(&e->t, 0);
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MR_FINALIZE, &a), TDX_SUCCESS);
}

static struct env *env_run(void)
{
	struct env *e = env_init();

	finalize(e);
	return e;
}

/* Teardown in the module's order; the TDR's RECLAIM inside asserts that
 * its child count came back to zero. The allocator ends as it began. */
static void finish(struct env *e)
{
	tdm_teardown(&e->t, e->pages, e->n);
	assert_int_equal(page_alloc_free_bytes(e->t.hm.h->pages), e->free0);
	tdm_free(&e->t);
	free(e);
}

static void list_page(struct env *e, uint64_t pa)
{
	assert_true(e->n < MAX_PAGES);
	e->pages[e->n++] = pa;
}

static void unlist_page(struct env *e, uint64_t pa)
{
	for (unsigned i = 0; i < e->n; i++) {
		if (e->pages[i] == pa) {
			e->pages[i] = e->pages[--e->n];
			return;
		}
	}
	fail_msg("page 0x%llx not listed", (unsigned long long)pa);
}

/* A page the module gave back (REMOVE) returns to the allocator. */
static void give_back(struct env *e, uint64_t pa, uint64_t size)
{
	unlist_page(e, pa);
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, pa, size), 0);
}

/* An S-EPT page the module gave back (SEPT.REMOVE, PROMOTE). */
static void give_back_sept(struct env *e, uint64_t pa)
{
	assert_true(tdm_forget_sept(&e->t, pa));
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, pa, SZ_4K), 0);
}

/* ---- calls ----------------------------------------------------------- */

/* A leaf with RCX = rcx, RDX = the TDR, R8 = r8; registers back in *a. */
static uint64_t op(struct env *e, uint64_t leaf, uint64_t rcx, uint64_t r8,
		   struct tdx_module_args *a)
{
	*a = (struct tdx_module_args){ .rcx = rcx, .rdx = e->t.tdr, .r8 = r8 };
	return tdm_sc(&e->t, 0, leaf, a);
}

static uint64_t op0(struct env *e, uint64_t leaf, uint64_t rcx, uint64_t r8)
{
	struct tdx_module_args a;

	return op(e, leaf, rcx, r8, &a);
}

static uint64_t track(struct env *e)
{
	struct tdx_module_args a = { .rcx = e->t.tdr };

	return tdm_sc(&e->t, 0, TDH_MEM_TRACK, &a);
}

static void inject(struct env *e, enum tdxsim_inject kind, unsigned n)
{
	assert_int_equal(tdxsim_inject(e->t.hm.p, kind, n), 0);
}

static uint64_t add_page(struct env *e, uint64_t gpa, uint8_t fill)
{
	uint64_t hpa;

	assert_int_equal(tdm_page_add(&e->t, gpa, fill, &hpa), TDX_SUCCESS);
	list_page(e, hpa);
	return hpa;
}

/* PAGE.ADD with a chosen target page. */
static void add_page_at(struct env *e, uint64_t gpa, uint64_t hpa, uint8_t fill)
{
	uint8_t buf[4096];
	struct tdx_module_args a = { .rcx = gpa, .rdx = e->t.tdr, .r8 = hpa,
				     .r9 = e->t.shared };

	memset(buf, fill, sizeof(buf));
	assert_int_equal(platform_mem_write(e->t.hm.p, e->t.shared, buf, sizeof(buf)),
			 TDXSIM_MEM_OK);
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MEM_PAGE_ADD, &a), TDX_SUCCESS);
	list_page(e, hpa);
}

static void aug(struct env *e, uint64_t gpa, unsigned level, uint64_t hpa)
{
	assert_int_equal(op0(e, TDH_MEM_PAGE_AUG, gpa | level, hpa), TDX_SUCCESS);
	list_page(e, hpa);
}

static uint64_t aug_new(struct env *e, uint64_t gpa)
{
	uint64_t hpa = tdm_page(&e->t);

	aug(e, gpa, 0, hpa);
	return hpa;
}

/* The 512 4K leaves of one page table: GPA gpa + i*4K → hpa + i*4K. */
static void aug_range(struct env *e, uint64_t gpa, uint64_t hpa, unsigned from,
		      unsigned to)
{
	for (unsigned i = from; i < to; i++)
		aug(e, gpa + i * SZ_4K, 0, hpa + i * SZ_4K);
}

/* ---- expectations ---------------------------------------------------- */

static uint64_t arch_leaf(uint64_t hpa, bool rwx)
{
	return hpa | SEPT_MT_WB | SEPT_IPAT | SEPT_PS | SEPT_SVE | (rwx ? SEPT_RWX : 0);
}

static uint64_t info_of(unsigned level, unsigned state)
{
	return level | ((uint64_t)state << SEPT_INFO_STATE_SHIFT);
}

static void expect_details(const struct tdx_module_args *a, uint64_t rcx,
			   unsigned level, unsigned state)
{
	assert_int_equal(a->rcx, rcx);
	assert_int_equal(a->rdx, info_of(level, state));
}

/* SEPT.RD succeeds with this level and state; returns the arch entry. */
static uint64_t sept_rd(struct env *e, uint64_t gpa, unsigned level, unsigned state)
{
	struct tdx_module_args a;

	assert_int_equal(op(e, TDH_MEM_SEPT_RD, AT(gpa, level), 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rdx, info_of(level, state));
	return a.rcx;
}

static uint64_t pamt_pt(struct env *e, unsigned level, uint64_t pa)
{
	return pamt_entry_pt(tdx_inspect_pamt_word(e->t.hm.p, level, pa));
}

static uint64_t pamt_owner(struct env *e, unsigned level, uint64_t pa)
{
	return pamt_entry_owner_pa(tdx_inspect_pamt_word(e->t.hm.p, level, pa));
}

/* TDH.PHYMEM.PAGE.RDMD: registers back in *a. */
static void rdmd(struct env *e, uint64_t pa, struct tdx_module_args *a)
{
	*a = (struct tdx_module_args){ .rcx = pa };
	assert_int_equal(tdm_sc(&e->t, 0, TDH_PHYMEM_PAGE_RDMD, a), TDX_SUCCESS);
}

static uint64_t bepoch_of(struct env *e, uint64_t pa)
{
	struct tdx_module_args a;

	rdmd(e, pa, &a);
	return a.r9;
}

static void expect_reg(struct env *e, unsigned level, uint64_t pa)
{
	assert_int_equal(pamt_pt(e, level, pa), PT_REG);
	assert_int_equal(pamt_owner(e, level, pa), e->t.tdr);
}

/* A lock injection that a failing call never reached is still armed:
 * a SEPT.RD of a root-level entry (whose walk cannot fail) meets it. */
static void expect_still_armed(struct env *e, enum tdxsim_inject kind,
			       uint64_t probe_status)
{
	assert_int_equal(op0(e, TDH_MEM_SEPT_RD, AT(GPA_A, TDX_LVL_PML4), 0), probe_status);
	inject(e, kind, 0);
}

/* ---- the common gate, TDR operand and lock loops (abi §5.3, §6.3) ---- */

static const uint64_t leaves[] = {
	TDH_MEM_PAGE_AUG, TDH_MEM_RANGE_BLOCK, TDH_MEM_RANGE_UNBLOCK,
	TDH_MEM_PAGE_REMOVE, TDH_MEM_SEPT_REMOVE, TDH_MEM_SEPT_RD,
	TDH_MEM_PAGE_PROMOTE, TDH_MEM_PAGE_DEMOTE, TDH_MEM_RD, TDH_MEM_WR,
	TDH_MEM_TRACK,
};
#define N_LEAVES (sizeof(leaves) / sizeof(leaves[0]))
#define N_SEPT_LEAVES (N_LEAVES - 1)   /* all but TRACK use the tree */

/* An RCX that passes each leaf's own operand checks. */
static uint64_t good_rcx(uint64_t leaf)
{
	switch (leaf) {
	case TDH_MEM_SEPT_REMOVE:
	case TDH_MEM_PAGE_PROMOTE:
	case TDH_MEM_PAGE_DEMOTE:  return GPA_A | 1;
	default:                   return GPA_A;
	}
}

/* The leaf with its usual operands, but TDR = tdr. */
static uint64_t call_with_tdr(struct env *e, uint64_t leaf, uint64_t tdr,
			      struct tdx_module_args *a)
{
	if (leaf == TDH_MEM_TRACK)
		*a = (struct tdx_module_args){ .rcx = tdr };
	else
		*a = (struct tdx_module_args){ .rcx = good_rcx(leaf), .rdx = tdr,
					       .r8 = e->t.shared };
	return tdm_sc(&e->t, 0, leaf, a);
}

static uint64_t call(struct env *e, uint64_t leaf, struct tdx_module_args *a)
{
	return call_with_tdr(e, leaf, e->t.tdr, a);
}

static uint64_t tdr_opid(uint64_t leaf)
{
	return leaf == TDH_MEM_TRACK ? TDX_OPERAND_ID_RCX : TDX_OPERAND_ID_RDX;
}

static void gate_op_state_uninitialized(void **state)
{
	struct env *e = env_boot();
	struct tdx_module_args a;

	(void)state;
	tdm_create(&e->t);
	tdm_addcx_all(&e->t);
	for (unsigned i = 0; i < N_LEAVES; i++)
		assert_int_equal(call(e, leaves[i], &a), TDX_OP_STATE_INCORRECT);
	/* The op-state lock comes before the op-state lookup. */
	for (unsigned i = 0; i < N_LEAVES; i++) {
		inject(e, TDXSIM_INJECT_OP_STATE_LOCK, 1);
		assert_int_equal(call(e, leaves[i], &a),
				 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE));
	}
	finish(e);
}

static void gate_tdcs_not_allocated(void **state)
{
	struct env *e = env_boot();
	struct tdx_module_args a;

	(void)state;
	tdm_create(&e->t);
	for (unsigned i = 0; i < N_LEAVES; i++)
		assert_int_equal(call(e, leaves[i], &a), TDX_TDCS_NOT_ALLOCATED);
	finish(e);
}

static void gate_keys_not_configured(void **state)
{
	struct env *e = env_boot();
	struct tdx_module_args a;

	(void)state;
	e->t.hkid = tdm_first_hkid(&e->t);
	while (tdx_inspect_kot_state(e->t.hm.p, e->t.hkid) != KOT_STATE_HKID_FREE)
		e->t.hkid++;
	e->t.tdr = tdm_page(&e->t);
	a = (struct tdx_module_args){ .rcx = e->t.tdr, .rdx = e->t.hkid };
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MNG_CREATE, &a), TDX_SUCCESS);
	for (unsigned i = 0; i < N_LEAVES; i++)
		assert_int_equal(call(e, leaves[i], &a), TDX_TD_KEYS_NOT_CONFIGURED);
	finish(e);
}

static void tdr_operand_errors(void **state)
{
	struct env *e = env_init();
	uint64_t not_tdr = tdm_page(&e->t);
	struct tdx_module_args a;

	(void)state;
	for (unsigned i = 0; i < N_LEAVES; i++) {
		uint64_t id = tdr_opid(leaves[i]);

		assert_int_equal(call_with_tdr(e, leaves[i], not_tdr, &a),
				 STATUS_OP(TDX_PAGE_METADATA_INCORRECT, id));
		assert_int_equal(call_with_tdr(e, leaves[i], e->t.tdr + 0x800, &a),
				 STATUS_OP(TDX_OPERAND_INVALID, id));
		/* The PAMT lock on the TDR is the first lock every leaf takes. */
		inject(e, TDXSIM_INJECT_PAMT_LOCK, 1);
		assert_int_equal(call(e, leaves[i], &a), STATUS_OP(TDX_OPERAND_BUSY, id));
	}
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, not_tdr, SZ_4K), 0);
	finish(e);
}

static void op_state_lock_busy(void **state)
{
	struct env *e = env_init_attr(TDX_TD_ATTR_DEBUG);
	struct tdx_module_args a;

	(void)state;
	for (unsigned i = 0; i < N_LEAVES; i++) {
		inject(e, TDXSIM_INJECT_OP_STATE_LOCK, 1);
		assert_int_equal(call(e, leaves[i], &a),
				 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_OP_STATE));
	}
	finish(e);
}

static void sept_tree_lock_busy(void **state)
{
	struct env *e = env_init_attr(TDX_TD_ATTR_DEBUG);
	struct tdx_module_args a;

	(void)state;
	for (unsigned i = 0; i < N_SEPT_LEAVES; i++) {
		inject(e, TDXSIM_INJECT_SEPT_TREE_LOCK, 1);
		assert_int_equal(call(e, leaves[i], &a),
				 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE));
		/* No details: RCX and RDX come back zeroed. */
		assert_int_equal(a.rcx, 0);
		assert_int_equal(a.rdx, 0);
	}
	finish(e);
}

/* Each leaf reaches the entry lock of an existing entry: a MAPPED 4K
 * leaf, or the NL_MAPPED level-1 entry above it. */
static void sept_entry_lock_busy(void **state)
{
	struct env *e = env_init_attr(TDX_TD_ATTR_DEBUG);
	uint64_t hpa, mapped;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	hpa = add_page(e, GPA_A, 0x11);
	mapped = arch_leaf(hpa, true);
	for (unsigned i = 0; i < N_SEPT_LEAVES; i++) {
		uint64_t leaf = leaves[i], rcx = good_rcx(leaf);
		bool at_pt = (rcx & 7) == 0;

		if (leaf == TDH_MEM_PAGE_AUG)
			rcx = GPA_B;
		inject(e, TDXSIM_INJECT_SEPT_ENTRY_LOCK, 1);
		assert_int_equal(op(e, leaf, rcx, e->t.shared, &a),
				 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
		if (leaf == TDH_MEM_PAGE_AUG)
			expect_details(&a, SEPT_SVE, 0, SEPT_STATE_FREE);
		else if (at_pt)
			expect_details(&a, mapped, 0, SEPT_STATE_MAPPED);
		else
			expect_details(&a, SEPT_RWX, 1, SEPT_STATE_NL_MAPPED);
	}
	/* Nothing changed, and no entry lock was left behind. */
	assert_int_equal(sept_rd(e, GPA_A, 0, SEPT_STATE_MAPPED), mapped);
	sept_rd(e, GPA_B, 0, SEPT_STATE_FREE);
	finish(e);
}

/* ---- page-info operand (abi §0) -------------------------------------- */

struct info_range {
	uint64_t leaf;
	unsigned min, max;
};

static const struct info_range info_ranges[] = {
	{ TDH_MEM_PAGE_AUG, 0, 1 },      { TDH_MEM_RANGE_BLOCK, 0, 3 },
	{ TDH_MEM_RANGE_UNBLOCK, 0, 3 }, { TDH_MEM_PAGE_REMOVE, 0, 2 },
	{ TDH_MEM_SEPT_REMOVE, 1, 3 },   { TDH_MEM_SEPT_RD, 0, 3 },
	{ TDH_MEM_PAGE_PROMOTE, 1, 2 },  { TDH_MEM_PAGE_DEMOTE, 1, 2 },
};

static void expect_bad_info(struct env *e, uint64_t leaf, uint64_t rcx)
{
	struct tdx_module_args a;

	assert_int_equal(op(e, leaf, rcx, e->t.shared, &a),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
}

static void page_info_invalid(void **state)
{
	struct env *e = env_init();

	(void)state;
	for (unsigned i = 0; i < sizeof(info_ranges) / sizeof(info_ranges[0]); i++) {
		const struct info_range *r = &info_ranges[i];

		expect_bad_info(e, r->leaf, r->max + 1);
		if (r->min)
			expect_bad_info(e, r->leaf, GPA_A | (r->min - 1));
		expect_bad_info(e, r->leaf, GPA_2M | r->min | 0x8);         /* bits 11:3 */
		expect_bad_info(e, r->leaf, GPA_2M | r->min | (1ULL << 52)); /* 63:52 */
		expect_bad_info(e, r->leaf, SZ_4K | r->max);                /* alignment */
		expect_bad_info(e, r->leaf, SHARED | r->min);               /* shared */
		expect_bad_info(e, r->leaf, (1ULL << 48) | r->min);         /* > GPAW */
		/* Operand checks come before the tree lock. */
		inject(e, TDXSIM_INJECT_SEPT_TREE_LOCK, 1);
		expect_bad_info(e, r->leaf, SHARED | r->min);
		expect_still_armed(e, TDXSIM_INJECT_SEPT_TREE_LOCK,
				   STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE));
	}
	finish(e);
}

/* ---- TDH.MEM.PAGE.AUG ------------------------------------------------- */

static void aug_4k(void **state)
{
	struct env *e = env_run();
	uint64_t hpa = tdm_page(&e->t), other = tdm_page(&e->t);
	uint8_t pat[64], back[64];
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	memset(pat, 0x5A, sizeof(pat));
	assert_int_equal(platform_mem_write(e->t.hm.p, hpa, pat, sizeof(pat)), TDXSIM_MEM_OK);
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, hpa, &a), TDX_SUCCESS);
	list_page(e, hpa);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r8, hpa);
	assert_int_equal(sept_rd(e, GPA_A, 0, SEPT_STATE_PENDING), arch_leaf(hpa, false));
	expect_reg(e, TDX_PS_4K, hpa);
	assert_int_equal(bepoch_of(e, hpa), 0);
	/* Not zeroed, not even touched through the TD's KeyID. */
	assert_int_equal(platform_mem_read(e->t.hm.p, hpa, back, sizeof(back)), TDXSIM_MEM_OK);
	assert_memory_equal(back, pat, sizeof(pat));
	assert_false(platform_line_td_owned(e->t.hm.p, hpa));
	/* The entry is taken, and so is the page. */
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, other, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, false), 0, SEPT_STATE_PENDING);
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_B, hpa, &a),
			 STATUS_OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	sept_rd(e, GPA_B, 0, SEPT_STATE_FREE);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, other), PT_NDA);
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, other, SZ_4K), 0);
	finish(e);
}

/* AUG also works before MR.FINALIZE; chldcnt counts the page: without
 * its RECLAIM, the TDR's fails. */
static void aug_counts_child(void **state)
{
	struct env *e = env_init();
	uint64_t hpa;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	hpa = aug_new(e, GPA_A);
	unlist_page(e, hpa);
	tdm_teardown_keep_tdr(&e->t, e->pages, e->n);
	assert_int_equal(tdm_reclaim(&e->t, e->t.tdr), TDX_TD_ASSOCIATED_PAGES_EXIST);
	assert_int_equal(tdm_reclaim(&e->t, hpa), TDX_SUCCESS);
	assert_int_equal(tdm_reclaim(&e->t, e->t.tdr), TDX_SUCCESS);
	assert_int_equal(page_alloc_free_bytes(e->t.hm.h->pages), e->free0);
	tdm_free(&e->t);
	free(e);
}

/* A 2M AUG counts 512 pages: one 2M RECLAIM (which subtracts 512) is
 * exactly what lets the TDR go. */
static void aug_2m(void **state)
{
	struct env *e = env_run();
	uint64_t hpa = tdm_page_2m(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 2);
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_2M | 1, hpa, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(sept_rd(e, GPA_2M, 1, SEPT_STATE_PENDING), arch_leaf(hpa, false));
	expect_reg(e, TDX_PS_2M, hpa);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, hpa + 5 * SZ_4K), PT_NDA);
	rdmd(e, hpa + 5 * SZ_4K, &a);
	assert_int_equal(a.rcx, PT_REG);
	assert_int_equal(a.r8, TDX_PS_2M);
	/* No 4K entry below a 2M leaf. */
	assert_int_equal(op(e, TDH_MEM_SEPT_RD, GPA_2M, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, false), 1, SEPT_STATE_PENDING);
	tdm_teardown_keep_tdr(&e->t, e->pages, e->n);
	assert_int_equal(tdm_reclaim(&e->t, e->t.tdr), TDX_TD_ASSOCIATED_PAGES_EXIST);
	assert_int_equal(tdm_reclaim(&e->t, hpa), TDX_SUCCESS);
	assert_int_equal(tdm_reclaim(&e->t, e->t.tdr), TDX_SUCCESS);
	assert_int_equal(page_alloc_free_bytes(e->t.hm.h->pages), e->free0);
	tdm_free(&e->t);
	free(e);
}

static void aug_2m_range_not_free(void **state)
{
	struct env *e = env_init();
	uint64_t base = tdm_page_2m(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 1);
	tdm_sept_path(&e->t, GPA_2M_B, 2);
	aug(e, GPA_2M + 3 * SZ_4K, 0, base + 3 * SZ_4K);
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_2M_B | 1, base, &a),
			 STATUS_OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_2M_B | 1, base + SZ_4K, &a),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	sept_rd(e, GPA_2M_B, 1, SEPT_STATE_FREE);
	assert_int_equal(pamt_pt(e, TDX_PS_2M, base), PT_NDA);
	/* Hand back the rest of the range around the one TD page. */
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, base, 3 * SZ_4K), 0);
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, base + 4 * SZ_4K,
					 SZ_2M - 4 * SZ_4K), 0);
	finish(e);
}

static void aug_sept_errors(void **state)
{
	struct env *e = env_init();
	uint64_t hpa = tdm_page(&e->t), mapped;
	struct tdx_module_args a;

	(void)state;
	/* No page table yet: the walk stops at the FREE root-level entry. */
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, hpa, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 3, SEPT_STATE_FREE);
	/* The walk comes before the entry lock. */
	inject(e, TDXSIM_INJECT_SEPT_ENTRY_LOCK, 1);
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, hpa, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_still_armed(e, TDXSIM_INJECT_SEPT_ENTRY_LOCK,
			   STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	tdm_sept_path(&e->t, GPA_A, 1);
	mapped = add_page(e, GPA_A, 0x22);
	/* The entry state comes before the page operand. */
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, hpa + 8, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(mapped, true), 0, SEPT_STATE_MAPPED);
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A | 1, hpa, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 1, SEPT_STATE_NL_MAPPED);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, hpa), PT_NDA);
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, hpa, SZ_4K), 0);
	finish(e);
}

/* R8 goes through the §4.4 page-operand checks, in their order. */
static void aug_page_operand_errors(void **state)
{
	struct env *e = env_init();
	uint64_t hpa = tdm_page(&e->t);
	uint64_t keyid = 1ULL << platform_keyid_shift(e->t.hm.p);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, hpa + 8, &a),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, hpa | keyid, &a),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, 1ULL << 34, &a),
			 STATUS_OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_R8));
	/* The TDR itself would be busy: this leaf holds it shared. */
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, e->t.tdr, &a),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_R8));
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, e->t.tdcx[0], &a),
			 STATUS_OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	tdm_pamt_hold(&e->t, TDX_PS_4K, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_AUG, GPA_A, hpa, &a),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_R8));
	tdm_pamt_release(&e->t, TDX_PS_4K, hpa);
	/* None of these touched the entry. */
	sept_rd(e, GPA_A, 0, SEPT_STATE_FREE);
	aug(e, GPA_A, 0, hpa);
	finish(e);
}

/* ---- TDH.MEM.RANGE.BLOCK / UNBLOCK, TDH.MEM.TRACK --------------------- */

/* Blocking stamps the page's PAMT bepoch with the TD epoch (3 here, so
 * neither the initial 0 nor the starting epoch 1 passes). */
static void block_states(void **state)
{
	struct env *e = env_init();
	uint64_t mapped, pending, pt;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	pt = e->t.sept[e->t.n_sept - 1];
	mapped = add_page(e, GPA_A, 0x33);
	pending = aug_new(e, GPA_B);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(track(e), TDX_SUCCESS);

	assert_int_equal(op(e, TDH_MEM_RANGE_BLOCK, GPA_A, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(sept_rd(e, GPA_A, 0, SEPT_STATE_BLOCKED), arch_leaf(mapped, false));
	assert_int_equal(bepoch_of(e, mapped), 3);
	assert_int_equal(op(e, TDH_MEM_RANGE_BLOCK, GPA_A, 0, &a),
			 STATUS_OP(TDX_GPA_RANGE_ALREADY_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(mapped, false), 0, SEPT_STATE_BLOCKED);

	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_B, 0), TDX_SUCCESS);
	assert_int_equal(sept_rd(e, GPA_B, 0, SEPT_STATE_PENDING_BLOCKED),
			 arch_leaf(pending, false));
	assert_int_equal(bepoch_of(e, pending), 3);
	assert_int_equal(op(e, TDH_MEM_RANGE_BLOCK, GPA_B, 0, &a),
			 STATUS_OP(TDX_GPA_RANGE_ALREADY_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(pending, false), 0, SEPT_STATE_PENDING_BLOCKED);

	/* A non-leaf: the child S-EPT page carries the epoch. */
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A | 1, 0), TDX_SUCCESS);
	assert_int_equal(sept_rd(e, GPA_A, 1, SEPT_STATE_NL_BLOCKED), 0);
	assert_int_equal(bepoch_of(e, pt), 3);
	assert_int_equal(op(e, TDH_MEM_RANGE_BLOCK, GPA_A | 1, 0, &a),
			 STATUS_OP(TDX_GPA_RANGE_ALREADY_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, 0, 1, SEPT_STATE_NL_BLOCKED);
	/* Nothing below a blocked non-leaf is reachable. */
	assert_int_equal(op(e, TDH_MEM_RANGE_BLOCK, GPA_C, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, 0, 1, SEPT_STATE_NL_BLOCKED);
	finish(e);
}

static void block_errors(void **state)
{
	struct env *e = env_init();
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	assert_int_equal(op(e, TDH_MEM_RANGE_BLOCK, GPA_C, 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 0, SEPT_STATE_FREE);
	assert_int_equal(op(e, TDH_MEM_RANGE_BLOCK, GPA_FAR | 1, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 2, SEPT_STATE_FREE);
	/* A root-level entry can be blocked too (level = PWL - 1). */
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, AT(GPA_A, 3), 0), TDX_SUCCESS);
	sept_rd(e, GPA_A, 3, SEPT_STATE_NL_BLOCKED);
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, AT(GPA_A, 3), 0), TDX_SUCCESS);
	assert_int_equal(sept_rd(e, GPA_A, 3, SEPT_STATE_NL_MAPPED), SEPT_RWX);
	finish(e);
}

/* While the TD may run, UNBLOCK waits for TRACK: TLB_TRACKING_NOT_DONE
 * names the S-EPT tree, without entry details. */
static void unblock_runnable(void **state)
{
	struct env *e = env_init();
	uint64_t hpa;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	hpa = add_page(e, GPA_A, 0x44);
	finalize(e);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A, 0), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_RANGE_UNBLOCK, GPA_A, 0, &a),
			 STATUS_OP(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_SEPT_TREE));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	sept_rd(e, GPA_A, 0, SEPT_STATE_BLOCKED);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_RANGE_UNBLOCK, GPA_A, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(sept_rd(e, GPA_A, 0, SEPT_STATE_MAPPED), arch_leaf(hpa, true));
	/* Not blocked any more: the state check fails first. */
	assert_int_equal(op(e, TDH_MEM_RANGE_UNBLOCK, GPA_A, 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, true), 0, SEPT_STATE_MAPPED);
	/* A non-leaf: the child S-EPT page's bepoch decides. */
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A | 1, 0), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, GPA_A | 1, 0),
			 STATUS_OP(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_SEPT_TREE));
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, GPA_A | 1, 0), TDX_SUCCESS);
	assert_int_equal(sept_rd(e, GPA_A, 1, SEPT_STATE_NL_MAPPED), SEPT_RWX);
	finish(e);
}

/* Before the TD can run there is nothing to track. */
static void unblock_initialized(void **state)
{
	struct env *e = env_init();
	uint64_t pending;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	pending = aug_new(e, GPA_B);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_B, 0), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, GPA_B, 0), TDX_SUCCESS);
	assert_int_equal(sept_rd(e, GPA_B, 0, SEPT_STATE_PENDING), arch_leaf(pending, false));
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A | 1, 0), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, GPA_A | 1, 0), TDX_SUCCESS);
	sept_rd(e, GPA_A, 1, SEPT_STATE_NL_MAPPED);
	assert_int_equal(op(e, TDH_MEM_RANGE_UNBLOCK, GPA_C, 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 0, SEPT_STATE_FREE);
	assert_int_equal(op(e, TDH_MEM_RANGE_UNBLOCK, GPA_FAR, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 2, SEPT_STATE_FREE);
	finish(e);
}

/* Each TRACK moves the epoch that BLOCK stamps; a busy epoch lock or a
 * busy previous epoch leaves it where it was. RDX is not an operand and
 * comes back as it went in. */
static void track_epochs(void **state)
{
	struct env *e = env_run();
	uint64_t p[4];
	struct tdx_module_args a = { .rcx = 0, .rdx = 0x55 };

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	for (unsigned i = 0; i < 4; i++)
		p[i] = aug_new(e, GPA_A + i * SZ_4K);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A, 0), TDX_SUCCESS);
	assert_int_equal(bepoch_of(e, p[0]), 1);
	a.rcx = e->t.tdr;
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MEM_TRACK, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, e->t.tdr);
	assert_int_equal(a.rdx, 0x55);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A + SZ_4K, 0), TDX_SUCCESS);
	assert_int_equal(bepoch_of(e, p[1]), 2);

	/* The epoch lock is checked before the refcounts. */
	tdm_set_epoch_refcount(&e->t, 1, 1);
	inject(e, TDXSIM_INJECT_EPOCH_LOCK, 1);
	assert_int_equal(track(e), STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_TD_EPOCH));
	/* Epoch 2: refcount[1] is the previous epoch's. */
	assert_int_equal(track(e), TDX_PREVIOUS_TLB_EPOCH_BUSY);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A + 2 * SZ_4K, 0), TDX_SUCCESS);
	assert_int_equal(bepoch_of(e, p[2]), 2);
	tdm_set_epoch_refcount(&e->t, 1, 0);
	/* refcount[0] is the current epoch's: it does not hold TRACK back. */
	tdm_set_epoch_refcount(&e->t, 0, 1);
	assert_int_equal(track(e), TDX_SUCCESS);
	tdm_set_epoch_refcount(&e->t, 0, 0);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A + 3 * SZ_4K, 0), TDX_SUCCESS);
	assert_int_equal(bepoch_of(e, p[3]), 3);
	finish(e);
}

/* ---- TDH.MEM.PAGE.REMOVE ---------------------------------------------- */

/* The full zap of a running TD's page: BLOCK → TRACK → REMOVE. */
static void remove_zap_runnable(void **state)
{
	struct env *e = env_init();
	uint64_t hpa;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	hpa = add_page(e, GPA_A, 0x66);
	finalize(e);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0, &a),
			 STATUS_OP(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, true), 0, SEPT_STATE_MAPPED);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A, 0), TDX_SUCCESS);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, hpa);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(sept_rd(e, GPA_A, 0, SEPT_STATE_FREE), SEPT_SVE);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, hpa), PT_NDA);
	/* Gone from the TD: a second REMOVE finds a FREE entry. */
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 0, SEPT_STATE_FREE);
	/* Reused, the page starts from bepoch 0, not BLOCK's 1. */
	unlist_page(e, hpa);
	aug(e, GPA_B, 0, hpa);
	assert_int_equal(bepoch_of(e, hpa), 0);
	finish(e);
}

static void remove_tracking_not_done(void **state)
{
	struct env *e = env_run();
	uint64_t hpa;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	hpa = aug_new(e, GPA_A);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0, &a),
			 STATUS_OP(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, false), 0, SEPT_STATE_PENDING);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A, 0), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0, &a),
			 STATUS_OP(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	sept_rd(e, GPA_A, 0, SEPT_STATE_PENDING_BLOCKED);
	expect_reg(e, TDX_PS_4K, hpa);
	finish(e);
}

/* is_tlb_tracked: one TRACK is enough only once no vCPU of the blocking
 * epoch is left in the guest; a second TRACK waits for those vCPUs too. */
static void remove_waits_for_old_epoch(void **state)
{
	struct env *e = env_run();
	uint64_t hpa;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	hpa = aug_new(e, GPA_A);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A, 0), TDX_SUCCESS);
	tdm_set_epoch_refcount(&e->t, 1, 1);                 /* in epoch 1 */
	assert_int_equal(track(e), TDX_SUCCESS);             /* epoch 2 */
	assert_int_equal(op0(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0),
			 STATUS_OP(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_RCX));
	assert_int_equal(track(e), TDX_PREVIOUS_TLB_EPOCH_BUSY);
	tdm_set_epoch_refcount(&e->t, 1, 0);                 /* it left */
	assert_int_equal(op0(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0), TDX_SUCCESS);
	give_back(e, hpa, SZ_4K);
	finish(e);
}

/* Before the TD runs, no BLOCK or TRACK is needed; the child count
 * drops by one (else the TDR's RECLAIM in finish() fails). */
static void remove_initialized(void **state)
{
	struct env *e = env_init();
	uint64_t hpa, pending;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	hpa = add_page(e, GPA_A, 0x77);
	pending = aug_new(e, GPA_B);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_B, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, pending);
	sept_rd(e, GPA_A, 0, SEPT_STATE_FREE);
	sept_rd(e, GPA_B, 0, SEPT_STATE_FREE);
	give_back(e, hpa, SZ_4K);
	give_back(e, pending, SZ_4K);
	finish(e);
}

/* AUG 2M, then REMOVE at level 1 through BLOCK and TRACK; 512 pages
 * leave the child count. */
static void remove_2m(void **state)
{
	struct env *e = env_run();
	uint64_t hpa = tdm_page_2m(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 2);
	aug(e, GPA_2M, 1, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_2M | 1, 0, &a),
			 STATUS_OP(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, false), 1, SEPT_STATE_PENDING);
	/* A 4K remove inside it finds the 2M leaf. */
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_2M, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, false), 1, SEPT_STATE_PENDING);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_2M | 1, 0), TDX_SUCCESS);
	assert_int_equal(bepoch_of(e, hpa), 1);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_2M | 1, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, hpa);
	sept_rd(e, GPA_2M, 1, SEPT_STATE_FREE);
	assert_int_equal(pamt_pt(e, TDX_PS_2M, hpa), PT_NDA);
	give_back(e, hpa, SZ_2M);
	finish(e);
}

static void remove_errors(void **state)
{
	struct env *e = env_run();
	uint64_t hpa;
	struct tdx_module_args a;

	(void)state;
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 3, SEPT_STATE_FREE);
	tdm_sept_path(&e->t, GPA_A, 1);
	/* A non-leaf is not a page. */
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A | 1, 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 1, SEPT_STATE_NL_MAPPED);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, AT(GPA_A, 2), 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 2, SEPT_STATE_NL_MAPPED);
	hpa = aug_new(e, GPA_A);
	/* The page's PAMT lock comes before the blocked/tracked checks. */
	tdm_pamt_hold(&e->t, TDX_PS_4K, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_REMOVE, GPA_A, 0, &a),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	tdm_pamt_release(&e->t, TDX_PS_4K, hpa);
	sept_rd(e, GPA_A, 0, SEPT_STATE_PENDING);
	finish(e);
}

/* ---- TDH.MEM.SEPT.REMOVE ----------------------------------------------- */

static void sept_remove_initialized(void **state)
{
	struct env *e = env_init();
	uint64_t pt, pd;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	pt = e->t.sept[e->t.n_sept - 1];
	pd = e->t.sept[e->t.n_sept - 2];
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_A | 1, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, pt);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(sept_rd(e, GPA_A, 1, SEPT_STATE_FREE), SEPT_SVE);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, pt), PT_NDA);
	give_back_sept(e, pt);
	/* Version 1 also reports no L2 S-EPT pages in R9–R11. */
	a = (struct tdx_module_args){ .rcx = AT(GPA_A, 2), .rdx = e->t.tdr, .r9 = 1, .r10 = 2,
				      .r11 = 3 };
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MEM_SEPT_REMOVE | (1ULL << TDX_VERSION_SHIFT),
				&a), TDX_SUCCESS);
	assert_int_equal(a.rcx, pd);
	assert_int_equal(a.r9, TDX_NULL_PA);
	assert_int_equal(a.r10, TDX_NULL_PA);
	assert_int_equal(a.r11, TDX_NULL_PA);
	sept_rd(e, GPA_A, 2, SEPT_STATE_FREE);
	give_back_sept(e, pd);
	finish(e);
}

static void sept_remove_not_free(void **state)
{
	struct env *e = env_init();
	uint64_t pt;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	pt = e->t.sept[e->t.n_sept - 1];
	add_page(e, GPA_C, 0x88);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_A | 1, 0, &a),
			 STATUS_OP(TDX_EPT_PAGE_NOT_FREE, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 1, SEPT_STATE_NL_MAPPED);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, AT(GPA_A, 2), 0, &a),
			 STATUS_OP(TDX_EPT_PAGE_NOT_FREE, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 2, SEPT_STATE_NL_MAPPED);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, pt), PT_EPT);
	finish(e);
}

/* Running TD: not blocked, then not tracked, then not free, in that
 * order; the S-EPT page's PAMT lock comes before all three. */
static void sept_remove_runnable(void **state)
{
	struct env *e = env_init();
	uint64_t pt, hpa;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	pt = e->t.sept[e->t.n_sept - 1];
	hpa = add_page(e, GPA_C, 0x99);
	finalize(e);
	tdm_pamt_hold(&e->t, TDX_PS_4K, pt);
	assert_int_equal(op0(e, TDH_MEM_SEPT_REMOVE, GPA_A | 1, 0),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	tdm_pamt_release(&e->t, TDX_PS_4K, pt);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_A | 1, 0, &a),
			 STATUS_OP(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 1, SEPT_STATE_NL_MAPPED);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A | 1, 0), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_A | 1, 0, &a),
			 STATUS_OP(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_A | 1, 0, &a),
			 STATUS_OP(TDX_EPT_PAGE_NOT_FREE, TDX_OPERAND_ID_RCX));
	expect_details(&a, 0, 1, SEPT_STATE_NL_BLOCKED);
	/* Empty it: unblock, zap the page, block again, track, remove. */
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, GPA_A | 1, 0), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_C, 0), TDX_SUCCESS);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_PAGE_REMOVE, GPA_C, 0), TDX_SUCCESS);
	give_back(e, hpa, SZ_4K);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_A | 1, 0), TDX_SUCCESS);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_A | 1, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, pt);
	sept_rd(e, GPA_A, 1, SEPT_STATE_FREE);
	give_back_sept(e, pt);
	finish(e);
}

static void sept_remove_errors(void **state)
{
	struct env *e = env_init();
	uint64_t hpa = tdm_page_2m(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 2);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_2M | 1, 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 1, SEPT_STATE_FREE);
	aug(e, GPA_2M, 1, hpa);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_2M | 1, 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, false), 1, SEPT_STATE_PENDING);
	assert_int_equal(op(e, TDH_MEM_SEPT_REMOVE, GPA_FAR | 1, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 2, SEPT_STATE_FREE);
	finish(e);
}

/* ---- TDH.MEM.SEPT.RD ---------------------------------------------------- */

static void sept_rd_entries(void **state)
{
	struct env *e = env_run();
	uint64_t hpa;
	struct tdx_module_args a;

	(void)state;
	assert_int_equal(sept_rd(e, GPA_A, 3, SEPT_STATE_FREE), SEPT_SVE);
	assert_int_equal(op(e, TDH_MEM_SEPT_RD, GPA_A, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 3, SEPT_STATE_FREE);
	tdm_sept_path(&e->t, GPA_A, 1);
	for (unsigned l = 1; l <= 3; l++)
		assert_int_equal(sept_rd(e, GPA_A, l, SEPT_STATE_NL_MAPPED), SEPT_RWX);
	assert_int_equal(sept_rd(e, GPA_A, 0, SEPT_STATE_FREE), SEPT_SVE);
	hpa = aug_new(e, GPA_A);
	assert_int_equal(sept_rd(e, GPA_A, 0, SEPT_STATE_PENDING), arch_leaf(hpa, false));
	/* A far GPA stops at the first missing level. */
	assert_int_equal(op(e, TDH_MEM_SEPT_RD, GPA_FAR, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 2, SEPT_STATE_FREE);
	finish(e);
}

/* ---- TDH.MEM.PAGE.DEMOTE / PROMOTE --------------------------------------- */

static void list_sept(struct env *e, uint64_t pa)
{
	assert_true(e->t.n_sept < TDM_MAX_SEPT);
	e->t.sept[e->t.n_sept++] = pa;
}

/* Teardown reclaims a range as one 2M page or as 512 4K pages. */
static void list_as_2m(struct env *e, uint64_t base)
{
	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++)
		unlist_page(e, base + i * SZ_4K);
	list_page(e, base);
}

static void list_as_4k(struct env *e, uint64_t base)
{
	unlist_page(e, base);
	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++)
		list_page(e, base + i * SZ_4K);
}

static void expect_children(struct env *e, uint64_t gpa, uint64_t hpa,
			    unsigned state, bool rwx)
{
	static const unsigned idx[] = { 0, 7, 511 };

	for (unsigned k = 0; k < 3; k++) {
		uint64_t off = idx[k] * SZ_4K;

		assert_int_equal(sept_rd(e, gpa + off, 0, state), arch_leaf(hpa + off, rwx));
		expect_reg(e, TDX_PS_4K, hpa + off);
	}
	assert_int_equal(pamt_pt(e, TDX_PS_2M, hpa), PT_NDA);
}

static void demote_promote_round_trip(void **state)
{
	struct env *e = env_init();
	uint64_t hpa = tdm_page_2m(&e->t), sp = tdm_page(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 2);
	aug(e, GPA_2M, 1, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp, &a), TDX_SUCCESS);
	list_sept(e, sp);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(sept_rd(e, GPA_2M, 1, SEPT_STATE_NL_MAPPED), SEPT_RWX);
	expect_children(e, GPA_2M, hpa, SEPT_STATE_PENDING, false);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, sp), PT_EPT);
	assert_int_equal(pamt_owner(e, TDX_PS_4K, sp), e->t.tdr);

	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, sp);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(sept_rd(e, GPA_2M, 1, SEPT_STATE_PENDING), arch_leaf(hpa, false));
	expect_reg(e, TDX_PS_2M, hpa);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, hpa), PT_NDA);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, hpa + 511 * SZ_4K), PT_NDA);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, sp), PT_NDA);
	give_back_sept(e, sp);
	finish(e);
}

/* While the TD may run, both need the entry blocked and tracked; the
 * tracking check comes before DEMOTE's new-page operand. */
static void demote_promote_runnable(void **state)
{
	struct env *e = env_run();
	uint64_t hpa = tdm_page_2m(&e->t), sp = tdm_page(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 2);
	aug(e, GPA_2M, 1, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp, &a),
			 STATUS_OP(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, false), 1, SEPT_STATE_PENDING);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_2M | 1, 0), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp + 8, &a),
			 STATUS_OP(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp), TDX_SUCCESS);
	list_sept(e, sp);
	/* The small leaves come out unblocked. */
	expect_children(e, GPA_2M, hpa, SEPT_STATE_PENDING, false);

	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a),
			 STATUS_OP(TDX_GPA_RANGE_NOT_BLOCKED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 1, SEPT_STATE_NL_MAPPED);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_2M | 1, 0), TDX_SUCCESS);
	assert_int_equal(bepoch_of(e, sp), 2);
	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a),
			 STATUS_OP(TDX_TLB_TRACKING_NOT_DONE, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, sp);
	/* The large leaf takes the first small leaf's (unblocked) state. */
	assert_int_equal(sept_rd(e, GPA_2M, 1, SEPT_STATE_PENDING), arch_leaf(hpa, false));
	give_back_sept(e, sp);
	finish(e);
}

static void expect_no_promote(struct env *e, uint64_t gpa)
{
	struct tdx_module_args a;

	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, gpa | 1, 0, &a),
			 STATUS_OP(TDX_EPT_INVALID_PROMOTE_CONDITIONS, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 1, SEPT_STATE_NL_MAPPED);
	/* Every child lock taken on the way was released. */
	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i += 73)
		assert_int_equal(op0(e, TDH_MEM_SEPT_RD, gpa + i * SZ_4K, 0), TDX_SUCCESS);
}

/* is_sept_page_valid_for_merge: the first child MAPPED or PENDING and
 * aligned to 2M, every next one the same entry 4K further. */
static void promote_conditions(void **state)
{
	struct env *e = env_init();
	uint64_t base = tdm_page_2m(&e->t), other = tdm_page(&e->t), last;
	uint64_t big = 0;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 1);
	expect_no_promote(e, GPA_2M);                      /* all FREE */
	aug_range(e, GPA_2M, base, 0, 511);
	expect_no_promote(e, GPA_2M);                      /* last FREE */
	last = GPA_2M + 511 * SZ_4K;
	aug(e, last, 0, other);
	expect_no_promote(e, GPA_2M);                      /* stride */
	assert_int_equal(op0(e, TDH_MEM_PAGE_REMOVE, last, 0), TDX_SUCCESS);
	give_back(e, other, SZ_4K);
	add_page_at(e, last, base + 511 * SZ_4K, 0x12);
	expect_no_promote(e, GPA_2M);                      /* MAPPED after PENDING */
	assert_int_equal(op0(e, TDH_MEM_PAGE_REMOVE, last, 0), TDX_SUCCESS);
	unlist_page(e, base + 511 * SZ_4K);
	aug(e, last, 0, base + 511 * SZ_4K);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_2M, 0), TDX_SUCCESS);
	expect_no_promote(e, GPA_2M);                      /* first BLOCKED */
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, GPA_2M, 0), TDX_SUCCESS);

	/* A contiguous run that starts 4K past a 2M boundary. */
	assert_true(page_alloc_contig(e->t.hm.h->pages, 0, 2 * SZ_2M, SZ_2M, true, &big));
	tdm_sept_path(&e->t, GPA_2M_B, 1);
	aug_range(e, GPA_2M_B, big + SZ_4K, 0, 512);
	expect_no_promote(e, GPA_2M_B);                    /* misaligned */
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, big, SZ_4K), 0);
	assert_int_equal(page_alloc_free(e->t.hm.h->pages, big + SZ_2M + SZ_4K,
					 SZ_2M - SZ_4K), 0);

	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a), TDX_SUCCESS);
	give_back_sept(e, a.rcx);
	list_as_2m(e, base);
	sept_rd(e, GPA_2M, 1, SEPT_STATE_PENDING);
	finish(e);
}

/* A pending host interrupt stops both before any change, with RCX and
 * RDX as they came in; it is looked at only once every check passed. */
static void demote_promote_interrupted(void **state)
{
	struct env *e = env_init();
	uint64_t hpa = tdm_page_2m(&e->t), sp = tdm_page(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 2);
	aug(e, GPA_2M, 1, hpa);
	inject(e, TDXSIM_INJECT_INTERRUPT, 1);
	assert_int_equal(op(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp, &a),
			 TDX_INTERRUPTED_RESTARTABLE);
	assert_int_equal(a.rcx, GPA_2M | 1);
	assert_int_equal(a.rdx, e->t.tdr);
	assert_int_equal(sept_rd(e, GPA_2M, 1, SEPT_STATE_PENDING), arch_leaf(hpa, false));
	expect_reg(e, TDX_PS_2M, hpa);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, hpa), PT_NDA);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, sp), PT_NDA);
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp), TDX_SUCCESS);
	list_sept(e, sp);

	inject(e, TDXSIM_INJECT_INTERRUPT, 1);
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, e->t.shared),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	/* The PD's first entry is FREE: no merge to 1G, interrupt or not. */
	assert_int_equal(op0(e, TDH_MEM_PAGE_PROMOTE, AT(GPA_2M, 2), 0),
			 STATUS_OP(TDX_EPT_INVALID_PROMOTE_CONDITIONS, TDX_OPERAND_ID_RCX));
	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a),
			 TDX_INTERRUPTED_RESTARTABLE);
	assert_int_equal(a.rcx, GPA_2M | 1);
	assert_int_equal(a.rdx, e->t.tdr);
	assert_int_equal(sept_rd(e, GPA_2M, 1, SEPT_STATE_NL_MAPPED), SEPT_RWX);
	expect_children(e, GPA_2M, hpa, SEPT_STATE_PENDING, false);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, sp), PT_EPT);
	assert_int_equal(op0(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0), TDX_SUCCESS);
	give_back_sept(e, sp);
	finish(e);
}

static void promote_errors(void **state)
{
	struct env *e = env_init();
	uint64_t hpa = tdm_page_2m(&e->t), sp = tdm_page(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 2);
	aug(e, GPA_2M, 1, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(hpa, false), 1, SEPT_STATE_PENDING);
	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_FAR | 1, 0, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 2, SEPT_STATE_FREE);
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp), TDX_SUCCESS);
	list_sept(e, sp);
	/* The S-EPT page's PAMT entry, then the 2M PAMT entry of the merge. */
	tdm_pamt_hold(&e->t, TDX_PS_4K, sp);
	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	tdm_pamt_release(&e->t, TDX_PS_4K, sp);
	tdm_pamt_hold(&e->t, TDX_PS_2M, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	tdm_pamt_release(&e->t, TDX_PS_2M, hpa);
	expect_children(e, GPA_2M, hpa, SEPT_STATE_PENDING, false);
	/* Version 1 also reports no L2 S-EPT pages in R9–R11. */
	a = (struct tdx_module_args){ .rcx = GPA_2M | 1, .rdx = e->t.tdr, .r9 = 9 };
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MEM_PAGE_PROMOTE | (1ULL << TDX_VERSION_SHIFT),
				&a), TDX_SUCCESS);
	assert_int_equal(a.rcx, sp);
	assert_int_equal(a.r9, TDX_NULL_PA);
	assert_int_equal(a.r10, TDX_NULL_PA);
	assert_int_equal(a.r11, TDX_NULL_PA);
	give_back_sept(e, sp);
	finish(e);
}

static void demote_errors(void **state)
{
	struct env *e = env_init();
	uint64_t hpa = tdm_page_2m(&e->t), sp = tdm_page(&e->t);
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	tdm_sept_path(&e->t, GPA_2M, 2);
	aug(e, GPA_2M, 1, hpa);
	/* The TD handle's reserved bits, before the TDR itself. */
	a = (struct tdx_module_args){ .rcx = GPA_2M | 1, .rdx = e->t.tdr | 2, .r8 = sp };
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MEM_PAGE_DEMOTE, &a),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	a = (struct tdx_module_args){ .rcx = GPA_2M | 1, .rdx = sp | (1ULL << 52), .r8 = sp };
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MEM_PAGE_DEMOTE, &a),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX));
	assert_int_equal(op(e, TDH_MEM_PAGE_DEMOTE, GPA_A | 1, sp, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 1, SEPT_STATE_NL_MAPPED);
	assert_int_equal(op(e, TDH_MEM_PAGE_DEMOTE, AT(GPA_A, 2), sp, &a),
			 STATUS_OP(TDX_EPT_ENTRY_STATE_INCORRECT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_RWX, 2, SEPT_STATE_NL_MAPPED);
	assert_int_equal(op(e, TDH_MEM_PAGE_DEMOTE, GPA_FAR | 1, sp, &a),
			 STATUS_OP(TDX_EPT_WALK_FAILED, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 2, SEPT_STATE_FREE);
	/* The new S-EPT page (R8) goes through the §4.4 checks. */
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp + 8),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8));
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, 1ULL << 34),
			 STATUS_OP(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_R8));
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, e->t.tdcx[0]),
			 STATUS_OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, hpa),
			 STATUS_OP(TDX_PAGE_METADATA_INCORRECT, TDX_OPERAND_ID_R8));
	tdm_pamt_hold(&e->t, TDX_PS_4K, sp);
	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_R8));
	tdm_pamt_release(&e->t, TDX_PS_4K, sp);
	/* Then the PAMT split, which locks the 2M entry. */
	tdm_pamt_hold(&e->t, TDX_PS_2M, hpa);
	assert_int_equal(op(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp, &a),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX));
	assert_int_equal(a.rcx, 0);
	tdm_pamt_release(&e->t, TDX_PS_2M, hpa);
	assert_int_equal(sept_rd(e, GPA_2M, 1, SEPT_STATE_PENDING), arch_leaf(hpa, false));
	expect_reg(e, TDX_PS_2M, hpa);
	assert_int_equal(pamt_pt(e, TDX_PS_4K, sp), PT_NDA);
	/* Handle bit 0 is a flag, not reserved. */
	a = (struct tdx_module_args){ .rcx = GPA_2M | 1, .rdx = e->t.tdr | 1, .r8 = sp };
	assert_int_equal(tdm_sc(&e->t, 0, TDH_MEM_PAGE_DEMOTE, &a), TDX_SUCCESS);
	list_sept(e, sp);
	list_as_4k(e, hpa);
	expect_children(e, GPA_2M, hpa, SEPT_STATE_PENDING, false);
	finish(e);
}

/* ---- TDH.MEM.RD / TDH.MEM.WR --------------------------------------------- */

static uint64_t mem_rd(struct env *e, uint64_t gpa, struct tdx_module_args *a)
{
	return op(e, TDH_MEM_RD, gpa, 0x1234, a);
}

static uint64_t fill64(uint8_t b)
{
	return 0x0101010101010101ULL * b;
}

static void mem_rd_wr_debug(void **state)
{
	struct env *e = env_init_attr(TDX_TD_ATTR_DEBUG);
	uint64_t hpa;
	uint8_t host[32];
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	hpa = add_page(e, GPA_A, 0xAB);
	assert_int_equal(mem_rd(e, GPA_A + 8, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, fill64(0xAB));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	/* WR returns the value it replaced. */
	assert_int_equal(op(e, TDH_MEM_WR, GPA_A + 16, 0x1122334455667788ULL, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, fill64(0xAB));
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(mem_rd(e, GPA_A + 16, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, 0x1122334455667788ULL);
	assert_int_equal(mem_rd(e, GPA_A + 24, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, fill64(0xAB));
	/* Still private: the host's KeyID sees zeros. */
	assert_int_equal(platform_mem_read(e->t.hm.p, hpa, host, sizeof(host)), TDXSIM_MEM_OK);
	for (unsigned i = 0; i < sizeof(host); i++)
		assert_int_equal(host[i], 0);
	finalize(e);
	assert_int_equal(mem_rd(e, GPA_A + 16, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, 0x1122334455667788ULL);
	finish(e);
}

static void mem_rd_wr_non_debug(void **state)
{
	struct env *e = env_init();
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_A, 1);
	add_page(e, GPA_A, 0xCD);
	assert_int_equal(mem_rd(e, GPA_A, &a), TDX_TD_NON_DEBUG);
	assert_int_equal(a.r8, 0);
	assert_int_equal(op(e, TDH_MEM_WR, GPA_A, 7, &a), TDX_TD_NON_DEBUG);
	assert_int_equal(a.r8, 0);
	/* The debug attribute is checked before the operands and locks. */
	assert_int_equal(mem_rd(e, GPA_A + 1, &a), TDX_TD_NON_DEBUG);
	inject(e, TDXSIM_INJECT_SEPT_TREE_LOCK, 1);
	assert_int_equal(op0(e, TDH_MEM_WR, SHARED, 7), TDX_TD_NON_DEBUG);
	expect_still_armed(e, TDXSIM_INJECT_SEPT_TREE_LOCK,
			   STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE));
	finish(e);
}

static void mem_rd_wr_errors(void **state)
{
	struct env *e = env_init_attr(TDX_TD_ATTR_DEBUG);
	uint64_t pending, mapped;
	struct tdx_module_args a;

	(void)state;
	for (unsigned off = 1; off < 8; off++)
		assert_int_equal(mem_rd(e, GPA_A + off, &a),
				 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* Alignment, then the tree lock, then the GPA's private check. */
	inject(e, TDXSIM_INJECT_SEPT_TREE_LOCK, 1);
	assert_int_equal(op0(e, TDH_MEM_WR, GPA_A + 4, 0),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	inject(e, TDXSIM_INJECT_SEPT_TREE_LOCK, 1);
	assert_int_equal(mem_rd(e, SHARED | GPA_A, &a),
			 STATUS_OP(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE));
	assert_int_equal(mem_rd(e, SHARED | GPA_A, &a),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(mem_rd(e, 1ULL << 48, &a),
			 STATUS_OP(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	/* Nothing mapped: a walk that ends anywhere but a present leaf. */
	assert_int_equal(mem_rd(e, GPA_A, &a),
			 STATUS_OP(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 3, SEPT_STATE_FREE);
	tdm_sept_path(&e->t, GPA_A, 1);
	assert_int_equal(op(e, TDH_MEM_WR, GPA_A, 5, &a),
			 STATUS_OP(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX));
	expect_details(&a, SEPT_SVE, 0, SEPT_STATE_FREE);
	assert_int_equal(a.r8, 0);
	pending = aug_new(e, GPA_B);
	assert_int_equal(mem_rd(e, GPA_B, &a),
			 STATUS_OP(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(pending, false), 0, SEPT_STATE_PENDING);
	mapped = add_page(e, GPA_C, 0x5C);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_C, 0), TDX_SUCCESS);
	assert_int_equal(op(e, TDH_MEM_WR, GPA_C, 5, &a),
			 STATUS_OP(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(mapped, false), 0, SEPT_STATE_BLOCKED);
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, GPA_C, 0), TDX_SUCCESS);
	assert_int_equal(mem_rd(e, GPA_C, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, fill64(0x5C));
	finish(e);
}

/* 512 MAPPED 4K pages merge into one 2M leaf that MEM.RD reads at the
 * right offsets; BLOCK stamps the 2M PAMT entry; DEMOTE of the blocked
 * leaf gives MAPPED small pages with fresh bepochs. */
static void promote_mapped_and_read(void **state)
{
	struct env *e = env_init_attr(TDX_TD_ATTR_DEBUG);
	uint64_t base = tdm_page_2m(&e->t), sp = tdm_page(&e->t), c5 = GPA_2M + 5 * SZ_4K;
	struct tdx_module_args a;

	(void)state;
	tdm_sept_path(&e->t, GPA_2M, 1);
	for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++)
		add_page_at(e, GPA_2M + i * SZ_4K, base + i * SZ_4K, (uint8_t)i);
	assert_int_equal(track(e), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, c5, 0), TDX_SUCCESS);
	assert_int_equal(op0(e, TDH_MEM_RANGE_UNBLOCK, c5, 0), TDX_SUCCESS);
	assert_int_equal(bepoch_of(e, base + 5 * SZ_4K), 2);

	assert_int_equal(op(e, TDH_MEM_PAGE_PROMOTE, GPA_2M | 1, 0, &a), TDX_SUCCESS);
	give_back_sept(e, a.rcx);
	list_as_2m(e, base);
	assert_int_equal(sept_rd(e, GPA_2M, 1, SEPT_STATE_MAPPED), arch_leaf(base, true));
	assert_int_equal(mem_rd(e, c5 + 8, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, fill64(5));
	assert_int_equal(mem_rd(e, GPA_2M + 300 * SZ_4K, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, fill64(300 & 0xFF));
	assert_int_equal(op0(e, TDH_MEM_WR, GPA_2M + 7 * SZ_4K, 0x77), TDX_SUCCESS);

	assert_int_equal(op0(e, TDH_MEM_RANGE_BLOCK, GPA_2M | 1, 0), TDX_SUCCESS);
	assert_int_equal(bepoch_of(e, base + 9 * SZ_4K), 2);
	assert_int_equal(mem_rd(e, c5, &a),
			 STATUS_OP(TDX_EPT_ENTRY_NOT_PRESENT, TDX_OPERAND_ID_RCX));
	expect_details(&a, arch_leaf(base, false), 1, SEPT_STATE_BLOCKED);

	assert_int_equal(op0(e, TDH_MEM_PAGE_DEMOTE, GPA_2M | 1, sp), TDX_SUCCESS);
	list_sept(e, sp);
	list_as_4k(e, base);
	expect_children(e, GPA_2M, base, SEPT_STATE_MAPPED, true);
	assert_int_equal(bepoch_of(e, base + 5 * SZ_4K), 0);
	assert_int_equal(mem_rd(e, GPA_2M + 7 * SZ_4K, &a), TDX_SUCCESS);
	assert_int_equal(a.r8, 0x77);
	finish(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gate_op_state_uninitialized),
		cmocka_unit_test(gate_tdcs_not_allocated),
		cmocka_unit_test(gate_keys_not_configured),
		cmocka_unit_test(tdr_operand_errors),
		cmocka_unit_test(op_state_lock_busy),
		cmocka_unit_test(sept_tree_lock_busy),
		cmocka_unit_test(sept_entry_lock_busy),
		cmocka_unit_test(page_info_invalid),
		cmocka_unit_test(aug_4k),
		cmocka_unit_test(aug_counts_child),
		cmocka_unit_test(aug_2m),
		cmocka_unit_test(aug_2m_range_not_free),
		cmocka_unit_test(aug_sept_errors),
		cmocka_unit_test(aug_page_operand_errors),
		cmocka_unit_test(block_states),
		cmocka_unit_test(block_errors),
		cmocka_unit_test(unblock_runnable),
		cmocka_unit_test(unblock_initialized),
		cmocka_unit_test(track_epochs),
		cmocka_unit_test(remove_zap_runnable),
		cmocka_unit_test(remove_tracking_not_done),
		cmocka_unit_test(remove_waits_for_old_epoch),
		cmocka_unit_test(remove_initialized),
		cmocka_unit_test(remove_2m),
		cmocka_unit_test(remove_errors),
		cmocka_unit_test(sept_remove_initialized),
		cmocka_unit_test(sept_remove_not_free),
		cmocka_unit_test(sept_remove_runnable),
		cmocka_unit_test(sept_remove_errors),
		cmocka_unit_test(sept_rd_entries),
		cmocka_unit_test(demote_promote_round_trip),
		cmocka_unit_test(demote_promote_runnable),
		cmocka_unit_test(promote_conditions),
		cmocka_unit_test(demote_promote_interrupted),
		cmocka_unit_test(promote_errors),
		cmocka_unit_test(demote_errors),
		cmocka_unit_test(mem_rd_wr_debug),
		cmocka_unit_test(mem_rd_wr_non_debug),
		cmocka_unit_test(mem_rd_wr_errors),
		cmocka_unit_test(promote_mapped_and_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
