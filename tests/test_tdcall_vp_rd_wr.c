/* SPDX-License-Identifier: MIT */
/*
 * TDG.VP.RD (9) and TDG.VP.WR (10) from inside a TD, held against the
 * module's tdg_vp_rd_wr.c: the presets (RDX = -1 for a read, R8 = 0), the
 * RCX check, the null-ID query, the single-element check, the lookup,
 * the guest read and write masks of the 1.5.01 TDVPS table, the write
 * mask rules, the next-ID walk, and the dispatcher refusing a version.
 * The guest body records every TDCALL's registers; the test checks them.
 */
#include <string.h>

#include "helpers/td_guest.h"
#include "tdxsim/tdcall.h"

#define OPINV_RAX (TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX)
#define OPINV_RCX (TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX)
#define ID_BAD    TDX_METADATA_FIELD_ID_INCORRECT
#define NOT_RD    TDX_METADATA_FIELD_NOT_READABLE
#define NOT_WR    TDX_METADATA_FIELD_NOT_WRITABLE
#define BAD_VAL   TDX_METADATA_FIELD_VALUE_NOT_VALID
#define NONE      MD_FIELD_ID_NONE
#define CTL(i)    (MD_VP_CPUID_CONTROL + (i))
#define V1        (1ULL << TDX_VERSION_SHIFT)
#define MAX_CALLS 64

static struct {
	unsigned n;
	uint64_t in[MAX_CALLS][16];
	uint64_t out[MAX_CALLS][16];
	unsigned walked;           /* elements a null-ID walk visited */
	uint64_t walk_last;        /* the ID the walk ended on */
} gs;

/* One TDCALL: RAX, RCX, RDX, R8, R9 given, the other GPRs a pattern. */
static unsigned call(struct tdx_guest *g, uint64_t rax, uint64_t rcx, uint64_t rdx,
		     uint64_t r8, uint64_t r9)
{
	unsigned i = gs.n++;
	uint64_t *gpr = gs.out[i];

	assert_true(i < MAX_CALLS);
	for (unsigned r = 0; r < 16; r++)
		gpr[r] = 0xC0DE0000 + r;
	gpr[TDX_GPR_RAX] = rax;
	gpr[TDX_GPR_RCX] = rcx;
	gpr[TDX_GPR_RDX] = rdx;
	gpr[TDX_GPR_R8] = r8;
	gpr[TDX_GPR_R9] = r9;
	memcpy(gs.in[i], gpr, sizeof(gs.in[i]));
	tdx_tdcall(g, gpr);
	return i;
}

static unsigned rd(struct tdx_guest *g, uint64_t id)
{
	return call(g, TDG_VP_RD, 0, id, 0xDEAD, 0xBEEF);
}

static unsigned wr(struct tdx_guest *g, uint64_t id, uint64_t value, uint64_t mask)
{
	return call(g, TDG_VP_WR, 0, id, value, mask);
}

/* Call i ended with status st, RDX and R8 as given, every other GPR as
 * it went in. */
static void expect(unsigned i, uint64_t st, uint64_t rdx, uint64_t r8)
{
	if (gs.out[i][TDX_GPR_RAX] != st)
		fail_msg("call %u (rax 0x%llx rdx 0x%llx): 0x%016llx, want 0x%016llx", i,
			 (unsigned long long)gs.in[i][TDX_GPR_RAX],
			 (unsigned long long)gs.in[i][TDX_GPR_RDX],
			 (unsigned long long)gs.out[i][TDX_GPR_RAX], (unsigned long long)st);
	assert_int_equal(gs.out[i][TDX_GPR_RDX], rdx);
	assert_int_equal(gs.out[i][TDX_GPR_R8], r8);
	for (unsigned r = 0; r < 16; r++)
		if (r != TDX_GPR_RAX && r != TDX_GPR_RDX && r != TDX_GPR_R8)
			assert_int_equal(gs.out[i][r], gs.in[i][r]);
}

static void run_to_end(struct tdg *x, unsigned lp, unsigned v)
{
	struct tdx_module_args a = { 0 };

	assert_int_equal(tdg_enter(x, lp, v, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.r11, TDX_EXIT_IO);
	assert_int_equal(a.r14, TDX_GUEST_PORT_EXIT);
}

static void start(struct tdg *x, int (*body)(struct tdx_guest *), unsigned n_vcpus,
		  bool debug)
{
	struct td_params p;

	memset(&gs, 0, sizeof(gs));
	tdg_body = body;
	tdm_default_params(&p);
	if (debug)
		p.attributes |= TDX_TD_ATTR_DEBUG;
	tdg_boot(x);
	tdg_build(x, &p, n_vcpus, true, true);
}

/* The host's TDH.VP.RD of vCPU v (associated with LP v). */
static uint64_t host_vp_rd(struct tdg *x, unsigned v, uint64_t id, uint64_t *value)
{
	struct tdx_module_args a = { .rcx = x->t.tdvpr[v], .rdx = id };
	uint64_t s = tdm_sc(&x->t, v, TDH_VP_RD, &a);

	*value = a.r8;
	return s;
}

/* ---- reads: the guest's fields, values and the next ID ---- */

/* CPUID_CONTROL[5] with a 64-bit size, the TD context, inc_size and
 * write_mask_valid: bits a single-element ID may carry. */
#define ODD_CTL5 ((CTL(5) | (MD_ELEMENT_SIZE_64BIT << MD_ELEMENT_SIZE_SHIFT) | \
		   (1ULL << 50) | (1ULL << 51)) & ~(MD_CONTEXT_MASK << MD_CONTEXT_SHIFT)) | \
		 (MD_CTX_TD << MD_CONTEXT_SHIFT)
#define AS_VP(id) (((id) & ~(MD_CONTEXT_MASK << MD_CONTEXT_SHIFT)) | \
		   (MD_CTX_VP << MD_CONTEXT_SHIFT))

static int body_reads(struct tdx_guest *g)
{
	rd(g, MD_VP_VCPU_INDEX);                         /* 0 */
	rd(g, MD_VP_CPUID_SUPERVISOR_VE);                /* 1 */
	rd(g, MD_VP_CPUID_USER_VE);                      /* 2 */
	rd(g, CTL(0));                                   /* 3 */
	rd(g, CTL(5));                                   /* 4 */
	rd(g, CTL(TDX_NUM_CPUID_CONTROL - 1));           /* 5: the last */
	/* Size, context, inc-size and write-mask-valid bits are ignored,
	 * and bit 63 is not compared (md_check_as_single_element_id). */
	rd(g, ODD_CTL5);                                 /* 6 */
	rd(g, MD_VP_VCPU_INDEX & ~(1ULL << 63));         /* 7 */
	return 0;
}

static void test_vp_rd_guest_fields(void **state)
{
	struct tdg x;

	(void)state;
	start(&x, body_reads, 2, false);
	run_to_end(&x, 1, 1);
	expect(0, TDX_SUCCESS, MD_VP_CPUID_SUPERVISOR_VE, 1);   /* vCPU 1 */
	expect(1, TDX_SUCCESS, MD_VP_CPUID_USER_VE, 0);
	/* L2_CTLS and TSC_DEADLINE come between in the module's table: TD
	 * partitioning, not modelled (docs/conformance.md). */
	expect(2, TDX_SUCCESS, CTL(0), 0);
	expect(3, TDX_SUCCESS, CTL(1), 0);
	expect(4, TDX_SUCCESS, CTL(6), 0);
	expect(5, TDX_SUCCESS, NONE, 0);
	/* Within a field the next ID keeps the caller's other bits, with the
	 * context forced to VP (md_get_next_item_with_iterator steps the
	 * field code of the ID it was given); the next field's ID is the
	 * table's. */
	expect(6, TDX_SUCCESS, AS_VP(ODD_CTL5) + 1, 0);
	expect(7, TDX_SUCCESS, MD_VP_CPUID_SUPERVISOR_VE, 1);
	tdg_teardown(&x);
}

/* The null ID: the first guest-readable element, then the whole walk. */
static int body_walk(struct tdx_guest *g)
{
	uint64_t id;

	call(g, TDG_VP_RD, 0, UINT64_MAX, 0xDEAD, 0);   /* 0 */
	/* Context bits do not make it less null (abi §8.1). */
	call(g, TDG_VP_RD, 0, UINT64_MAX & ~(MD_CONTEXT_MASK << MD_CONTEXT_SHIFT),
	     0xDEAD, 0);                                  /* 1 */
	id = gs.out[0][TDX_GPR_RDX];
	while (id != NONE && gs.walked < 1000) {
		uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VP_RD, [TDX_GPR_RDX] = id };

		if (tdx_tdcall(g, gpr) != TDX_SUCCESS)
			break;
		gs.walked++;
		gs.walk_last = id;
		id = gpr[TDX_GPR_RDX];
	}
	rd(g, gs.walk_last);                             /* 2 */
	return 0;
}

static void test_vp_rd_null_id_and_walk(void **state)
{
	struct tdg x;

	(void)state;
	start(&x, body_walk, 1, false);
	run_to_end(&x, 0, 0);
	expect(0, TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT, MD_VP_VCPU_INDEX, 0);
	expect(1, TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT, MD_VP_VCPU_INDEX, 0);
	/* VCPU_INDEX, the two CPUID #VE flags, 128 CPUID_CONTROL bytes. */
	assert_int_equal(gs.walked, 3 + TDX_NUM_CPUID_CONTROL);
	assert_int_equal(gs.walk_last, CTL(TDX_NUM_CPUID_CONTROL - 1));
	expect(2, TDX_SUCCESS, NONE, 0);
	tdg_teardown(&x);
}

/* ---- read errors, each with the presets ---- */

static const uint64_t not_guest_readable[] = {
	MD_VP_POSTED_INTR_NV, MD_VP_SHARED_EPTP,        /* TD VMCS */
	MD_VP_VE_INFO_VALID, MD_VP_RAX, MD_VP_R15, MD_VP_DR0, MD_VP_DR6,
	MD_VP_VCPU_STATE, MD_VP_NUM_TDVPS_PAGES, MD_VP_ASSOC_LPID,
	MD_VP_VCPU_EPOCH, MD_VP_PEND_NMI,
};

static const uint64_t bad_ids[] = {
	CTL(TDX_NUM_CPUID_CONTROL),                      /* past the last byte */
	MD_VP_R15 + 1, 0x3FULL << MD_CLASS_SHIFT,        /* no such field, class */
	MD_VP_VCPU_INDEX | (1ULL << 24),                 /* reserved_0 (31:24) */
	MD_VP_VCPU_INDEX | (1ULL << 34),                 /* last element in field */
	MD_VP_VCPU_INDEX | (1ULL << 38),                 /* last field in sequence */
	MD_VP_VCPU_INDEX | (1ULL << 47),                 /* reserved_1 (49:47) */
	MD_VP_VCPU_INDEX | (1ULL << 55),                 /* reserved_2 */
	MD_VP_VCPU_INDEX | (1ULL << 62),                 /* reserved_3 */
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int body_read_errors(struct tdx_guest *g)
{
	call(g, TDG_VP_RD, 1, MD_VP_VCPU_INDEX, 0xDEAD, 0);        /* RCX */
	call(g, TDG_VP_RD, 1ULL << 63, MD_VP_VCPU_INDEX, 0xDEAD, 0);
	call(g, TDG_VP_RD, 1, MD_VP_VCPU_INDEX | (1ULL << 24), 0xDEAD, 0); /* RCX first */
	for (unsigned i = 0; i < N(bad_ids); i++)
		rd(g, bad_ids[i]);
	for (unsigned i = 0; i < N(not_guest_readable); i++)
		rd(g, not_guest_readable[i]);
	return 0;
}

static void test_vp_rd_errors(void **state)
{
	unsigned k = 0;
	struct tdg x;

	(void)state;
	start(&x, body_read_errors, 1, false);
	run_to_end(&x, 0, 0);
	assert_int_equal(gs.n, 3 + N(bad_ids) + N(not_guest_readable));
	/* RDX = -1 and R8 = 0 are set before the RCX check. */
	for (; k < 3; k++)
		expect(k, OPINV_RCX, NONE, 0);
	for (unsigned i = 0; i < N(bad_ids); i++, k++)
		expect(k, ID_BAD, NONE, 0);
	for (unsigned i = 0; i < N(not_guest_readable); i++, k++)
		expect(k, NOT_RD, NONE, 0);
	tdg_teardown(&x);
}

/* ---- writes ---- */

static int body_writes(struct tdx_guest *g)
{
	/* Whole-byte flags. */
	wr(g, MD_VP_CPUID_SUPERVISOR_VE, 1, 0xFF);                 /* 0 */
	wr(g, MD_VP_CPUID_SUPERVISOR_VE, 0x81, ~0ULL);             /* 1 */
	wr(g, MD_VP_CPUID_USER_VE, 0x100, ~0ULL);                  /* 2: above the byte */
	wr(g, MD_VP_CPUID_USER_VE, 0x1FF, 0xFF);                   /* 3: mask cuts it */
	/* CPUID_CONTROL: bits 1:0 only. */
	wr(g, CTL(3), 3, 3);                                       /* 4 */
	wr(g, CTL(3), 0x7, 0xFF);                                  /* 5: bit 2 fixed */
	wr(g, CTL(3), 0x4, 0x4);                                   /* 6: no writable bit */
	wr(g, CTL(3), 0xFD, 0x3);                                  /* 7: bit 1 cleared */
	wr(g, CTL(3), 0x1, 0xFF);                                  /* 8: 0 in bit 2 kept */
	/* Not the guest's to write. */
	wr(g, MD_VP_VCPU_INDEX, 5, ~0ULL);                         /* 9 */
	wr(g, MD_VP_POSTED_INTR_NV, 0xF2, ~0ULL);                  /* 10 */
	wr(g, MD_VP_PEND_NMI, 1, 1);                               /* 11 */
	wr(g, MD_VP_RAX, 1, 1);                                    /* 12 */
	/* ID errors; a write has no null-ID query. */
	wr(g, UINT64_MAX, 1, 1);                                   /* 13 */
	wr(g, CTL(TDX_NUM_CPUID_CONTROL), 1, 1);                   /* 14 */
	wr(g, MD_VP_CPUID_USER_VE | (1ULL << 34), 1, 1);           /* 15 */
	call(g, TDG_VP_WR, 2, MD_VP_CPUID_USER_VE, 1, 1);          /* 16: RCX */
	/* What stuck. */
	rd(g, MD_VP_CPUID_SUPERVISOR_VE);                          /* 17 */
	rd(g, MD_VP_CPUID_USER_VE);                                /* 18 */
	rd(g, CTL(3));                                             /* 19 */
	rd(g, CTL(2));                                             /* 20 */
	return 0;
}

static void test_vp_wr(void **state)
{
	uint64_t v = 0;
	struct tdg x;

	(void)state;
	start(&x, body_writes, 1, true);
	run_to_end(&x, 0, 0);
	/* A write leaves RDX alone; R8 is the old value (0 on failure). */
	expect(0, TDX_SUCCESS, MD_VP_CPUID_SUPERVISOR_VE, 0);
	expect(1, TDX_SUCCESS, MD_VP_CPUID_SUPERVISOR_VE, 1);
	expect(2, BAD_VAL, MD_VP_CPUID_USER_VE, 0);
	expect(3, TDX_SUCCESS, MD_VP_CPUID_USER_VE, 0);
	expect(4, TDX_SUCCESS, CTL(3), 0);
	expect(5, BAD_VAL, CTL(3), 0);
	expect(6, NOT_WR, CTL(3), 0);
	expect(7, TDX_SUCCESS, CTL(3), 3);
	expect(8, TDX_SUCCESS, CTL(3), 1);
	expect(9, NOT_WR, MD_VP_VCPU_INDEX, 0);
	expect(10, NOT_WR, MD_VP_POSTED_INTR_NV, 0);
	expect(11, NOT_WR, MD_VP_PEND_NMI, 0);
	expect(12, NOT_WR, MD_VP_RAX, 0);
	expect(13, ID_BAD, UINT64_MAX, 0);
	expect(14, ID_BAD, CTL(TDX_NUM_CPUID_CONTROL), 0);
	expect(15, ID_BAD, MD_VP_CPUID_USER_VE | (1ULL << 34), 0);
	expect(16, OPINV_RCX, MD_VP_CPUID_USER_VE, 0);
	expect(17, TDX_SUCCESS, MD_VP_CPUID_USER_VE, 0x81);
	expect(18, TDX_SUCCESS, CTL(0), 0xFF);
	expect(19, TDX_SUCCESS, CTL(4), 1);
	expect(20, TDX_SUCCESS, CTL(3), 0);
	/* The host sees the same TDVPS fields (a debug TD: CPUID_CONTROL too). */
	assert_int_equal(host_vp_rd(&x, 0, MD_VP_CPUID_SUPERVISOR_VE, &v), TDX_SUCCESS);
	assert_int_equal(v, 0x81);
	assert_int_equal(host_vp_rd(&x, 0, MD_VP_CPUID_USER_VE, &v), TDX_SUCCESS);
	assert_int_equal(v, 0xFF);
	assert_int_equal(host_vp_rd(&x, 0, CTL(3), &v), TDX_SUCCESS);
	assert_int_equal(v, 1);
	tdg_teardown(&x);
}

/* Each vCPU has its own TDVPS: vCPU 0's write is not vCPU 1's. */
static int body_per_vcpu(struct tdx_guest *g)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VP_RD, [TDX_GPR_RDX] = MD_VP_VCPU_INDEX };

	tdx_tdcall(g, gpr);
	if (gpr[TDX_GPR_R8] == 0)
		wr(g, MD_VP_CPUID_USER_VE, 1, 1);
	else
		rd(g, MD_VP_CPUID_USER_VE);
	return 0;
}

static void test_vp_wr_per_vcpu(void **state)
{
	struct tdg x;

	(void)state;
	start(&x, body_per_vcpu, 2, false);
	run_to_end(&x, 0, 0);
	run_to_end(&x, 1, 1);
	expect(0, TDX_SUCCESS, MD_VP_CPUID_USER_VE, 0);
	expect(1, TDX_SUCCESS, CTL(0), 0);
	tdg_teardown(&x);
}

/* ---- the dispatcher: neither leaf takes a version ---- */

static int body_versions(struct tdx_guest *g)
{
	call(g, TDG_VP_RD | V1, 0, MD_VP_VCPU_INDEX, 0xDEAD, 0);
	call(g, TDG_VP_WR | V1, 0, MD_VP_CPUID_USER_VE, 1, 1);
	call(g, TDG_VP_RD | (1ULL << 24), 0, MD_VP_VCPU_INDEX, 0xDEAD, 0);
	call(g, TDG_VP_WR | (1ULL << 32), 0, MD_VP_CPUID_USER_VE, 1, 1);
	rd(g, MD_VP_CPUID_USER_VE);
	return 0;
}

static void test_vp_rd_wr_version_refused(void **state)
{
	struct tdg x;

	(void)state;
	start(&x, body_versions, 1, false);
	run_to_end(&x, 0, 0);
	/* Refused before the leaf runs: no presets, nothing written. */
	expect(0, OPINV_RAX, MD_VP_VCPU_INDEX, 0xDEAD);
	expect(1, OPINV_RAX, MD_VP_CPUID_USER_VE, 1);
	expect(2, OPINV_RAX, MD_VP_VCPU_INDEX, 0xDEAD);
	expect(3, OPINV_RAX, MD_VP_CPUID_USER_VE, 1);
	expect(4, TDX_SUCCESS, CTL(0), 0);
	tdg_teardown(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vp_rd_guest_fields),
		cmocka_unit_test(test_vp_rd_null_id_and_walk),
		cmocka_unit_test(test_vp_rd_errors),
		cmocka_unit_test(test_vp_wr),
		cmocka_unit_test(test_vp_wr_per_vcpu),
		cmocka_unit_test(test_vp_rd_wr_version_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
