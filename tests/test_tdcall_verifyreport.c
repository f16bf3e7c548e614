/* SPDX-License-Identifier: MIT */
/*
 * TDG.MR.VERIFYREPORT (22) from inside a TD, held against the module's
 * tdg_mr_verifyreport.c: SEAMVERIFYREPORT present (else OPERAND_INVALID
 * |RAX), RCX 256-aligned, a private GPA (shared or out of range:
 * OPERAND_INVALID|RCX; unmapped: an EPT-violation exit and the TDCALL
 * again), then the CPU's verdict: TDX_INVALID_CPUSVN, or
 * TDX_INVALID_REPORTMACSTRUCT when the MAC is not this platform's. The
 * reports checked are real ones from TDG.MR.REPORT, some changed after.
 */
#include <string.h>

#include "helpers/td_guest.h"
#include "tdxsim/tdcall.h"
#include "tdxsim/tdreport.h"

#define OPINV_RAX (TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX)
#define OPINV_RCX (TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX)
#define BAD_MAC   TDX_INVALID_REPORTMACSTRUCT
#define SHARED    (1ULL << 47)             /* GPAW 48 */
#define PAGE      0x200000ULL              /* AUGed, accepted by the body */
#define REPORT    PAGE                     /* TDG.MR.REPORT's output */
#define RDATA     (PAGE + 0x400)
#define COPY(i)   (PAGE + 0x500 + 0x100 * (i))   /* changed REPORTMACSTRUCTs */
#define WHOLE     (PAGE + 0xC00)           /* a whole TDREPORT, TDINFO changed */
#define UNMAPPED  0x40000000ULL            /* no S-EPT entry at all */
#define MAX_CALLS 32

static const uint8_t key[TDX_REPORT_KEY_SIZE] = { 0x33, 0x44, 0x55 };

static struct {
	unsigned n;
	uint64_t in[MAX_CALLS][16];
	uint64_t out[MAX_CALLS][16];
	uint64_t features0;        /* TDX_FEATURES0 as the guest reads it */
	bool done;
} gs;

static unsigned call(struct tdx_guest *g, uint64_t rax, uint64_t rcx, uint64_t rdx,
		     uint64_t r8)
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
	memcpy(gs.in[i], gpr, sizeof(gs.in[i]));
	tdx_tdcall(g, gpr);
	return i;
}

static unsigned verify(struct tdx_guest *g, uint64_t gpa)
{
	return call(g, TDG_MR_VERIFYREPORT, gpa, 0, 0);
}

/* Call i ended with status st and changed no other GPR. */
static void expect(unsigned i, uint64_t st)
{
	if (gs.out[i][TDX_GPR_RAX] != st)
		fail_msg("call %u (rcx 0x%llx): 0x%016llx, want 0x%016llx", i,
			 (unsigned long long)gs.in[i][TDX_GPR_RCX],
			 (unsigned long long)gs.out[i][TDX_GPR_RAX], (unsigned long long)st);
	assert_memory_equal(&gs.out[i][1], &gs.in[i][1], 15 * 8);
}

/* The page the body works in, accepted; a REPORT there with RDATA. */
static void make_report(struct tdx_guest *g, struct tdx_report *r)
{
	uint8_t rdata[TDX_REPORT_DATA_SIZE];

	assert_int_equal(tdx_accept(g, PAGE, 0), TDX_SUCCESS);
	memset(rdata, 0x5A, sizeof(rdata));
	tdx_write(g, RDATA, rdata, sizeof(rdata));
	assert_int_equal(gs.out[call(g, TDG_MR_REPORT, REPORT, RDATA, 0)][TDX_GPR_RAX],
			 TDX_SUCCESS);
	tdx_read(g, REPORT, r, sizeof(*r));
}

/* What the guest learns with TDG.SYS.RD before it relies on the leaf. */
static void read_features0(struct tdx_guest *g)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_SYS_RD, [TDX_GPR_RDX] = MD_SYS_TDX_FEATURES0 };

	assert_int_equal(tdx_tdcall(g, gpr), TDX_SUCCESS);
	gs.features0 = gpr[TDX_GPR_R8];
}

static void put_mac_struct(struct tdx_guest *g, unsigned i, const struct tdx_report_mac *m)
{
	tdx_write(g, COPY(i), m, sizeof(*m));
}

static void boot(struct tdg *x, int (*body)(struct tdx_guest *), bool seamverifyreport)
{
	struct tdxsim_platform_config c;

	memset(&gs, 0, sizeof(gs));
	tdg_body = body;
	small_config(&c, 2, 2, 4, TDXSIM_PROFILE_1_5);
	c.seamverifyreport = seamverifyreport;
	tdg_boot_config(x, &c);
	platform_set_report_key(x->t.hm.p, key);
	tdg_build(x, NULL, 1, true, true);
	assert_int_equal(tdg_aug(x, PAGE, 0, 0xEE, NULL), TDX_SUCCESS);
}

static void run_to_end(struct tdg *x)
{
	struct tdx_module_args a = { 0 };

	assert_int_equal(tdg_enter(x, 0, 0, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.r11, TDX_EXIT_IO);
	assert_int_equal(a.r14, TDX_GUEST_PORT_EXIT);
	assert_true(gs.done);
}

/* ---- the verdicts ---- */

static int body_verdicts(struct tdx_guest *g)
{
	struct tdx_report r, w;
	struct tdx_report_mac m;
	uint8_t other[TDX_REPORT_KEY_SIZE] = { 1 };

	read_features0(g);
	make_report(g, &r);                                     /* call 0 */
	verify(g, REPORT);                                      /* 1: as made */
	m = r.mac;
	m.mac[31] ^= 1;                                         /* 2: MAC corrupted */
	put_mac_struct(g, 0, &m);
	verify(g, COPY(0));
	m = r.mac;
	m.report_type.type = 0;                                 /* 3: type changed */
	put_mac_struct(g, 1, &m);
	verify(g, COPY(1));
	m = r.mac;
	m.report_data[0] ^= 0x80;                               /* 4: REPORTDATA changed */
	put_mac_struct(g, 2, &m);
	verify(g, COPY(2));
	m = r.mac;
	tdx_report_compute_mac(&m, other, m.mac);               /* 5: another platform */
	put_mac_struct(g, 3, &m);
	verify(g, COPY(3));
	m = r.mac;
	m.cpusvn[15] = 1;                                       /* 6: a newer CPUSVN, */
	tdx_report_compute_mac(&m, key, m.mac);                 /*    MACed with this key */
	put_mac_struct(g, 4, &m);
	verify(g, COPY(4));
	m.mac[0] ^= 1;                                          /* 7: and a bad MAC too */
	put_mac_struct(g, 5, &m);
	verify(g, COPY(5));
	/* The CPU reads the REPORTMACSTRUCT only: TDINFO is the verifier's
	 * to hash against TEE_INFO_HASH. */
	w = r;
	w.td_info.rtmr[1][0] ^= 1;                              /* 8 */
	tdx_write(g, WHOLE, &w, sizeof(w));
	verify(g, WHOLE);
	verify(g, COPY(2));                                     /* 9: still bad */
	verify(g, REPORT);                                      /* 10: still good */
	gs.done = true;
	return 0;
}

static void test_verifyreport_verdicts(void **state)
{
	struct tdg x;

	(void)state;
	boot(&x, body_verdicts, true);
	run_to_end(&x);
	assert_true(gs.features0 & TDX_FEATURES0_LOCAL_ATTESTATION);
	assert_int_equal(gs.n, 11);
	expect(1, TDX_SUCCESS);
	expect(2, BAD_MAC);
	expect(3, BAD_MAC);
	expect(4, BAD_MAC);
	expect(5, BAD_MAC);
	expect(6, TDX_INVALID_CPUSVN);
	expect(7, TDX_INVALID_CPUSVN);     /* the CPUSVN is checked first */
	expect(8, TDX_SUCCESS);
	expect(9, BAD_MAC);
	expect(10, TDX_SUCCESS);
	tdg_teardown(&x);
}

/* ---- the operand ---- */

static const uint64_t bad_gpas[] = {
	REPORT + 1, REPORT + 0x80, REPORT + 0x110,         /* not 256-aligned */
	REPORT | SHARED,                                   /* shared: private only */
	(REPORT + 0x80) | SHARED,                          /* both */
	1ULL << 48,                                        /* beyond GPAW */
	REPORT | (1ULL << 52),                             /* above any GPA */
};

#define N_BAD (sizeof(bad_gpas) / sizeof(bad_gpas[0]))

static int body_operands(struct tdx_guest *g)
{
	struct tdx_report r;

	make_report(g, &r);
	for (unsigned i = 0; i < N_BAD; i++)
		verify(g, bad_gpas[i]);
	verify(g, REPORT);
	gs.done = true;
	return 0;
}

static void test_verifyreport_operand(void **state)
{
	struct tdg x;

	(void)state;
	boot(&x, body_operands, true);
	run_to_end(&x);
	assert_int_equal(gs.n, 1 + N_BAD + 1);
	for (unsigned i = 0; i < N_BAD; i++)
		expect(1 + i, OPINV_RCX);
	expect(1 + N_BAD, TDX_SUCCESS);
	tdg_teardown(&x);
}

/* An unmapped private GPA is no error: the walk exits to the host (EPT
 * violation, a read), the host AUGs, the TDCALL runs again, meets the
 * pending page (#VE: the firmware accepts it, zeroed) and runs once more
 * over 256 zero bytes, whose MAC is not this platform's. */
static int body_unmapped(struct tdx_guest *g)
{
	verify(g, UNMAPPED);
	gs.done = true;
	return 0;
}

static void test_verifyreport_unmapped(void **state)
{
	struct tdx_module_args a = { 0 };
	struct tdg x;

	(void)state;
	boot(&x, body_unmapped, true);
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION);
	assert_int_equal(a.r8, UNMAPPED);
	assert_int_equal(a.rcx, TDX_EPT_QUAL_READ);
	assert_int_equal(gs.n, 1);
	assert_int_equal(gs.out[0][TDX_GPR_RAX], TDG_MR_VERIFYREPORT);   /* not done */
	assert_int_equal(tdg_aug(&x, UNMAPPED, 0, 0xAB, NULL), TDX_SUCCESS);
	run_to_end(&x);
	expect(0, BAD_MAC);
	tdg_teardown(&x);
}

/* ---- a CPU without SEAMVERIFYREPORT ---- */

static int body_unavailable(struct tdx_guest *g)
{
	struct tdx_report r;

	read_features0(g);
	make_report(g, &r);                /* SEAMDB_REPORT is still there */
	verify(g, REPORT);
	verify(g, REPORT + 1);             /* RAX before the alignment */
	verify(g, REPORT | SHARED);
	verify(g, UNMAPPED);               /* ... and before any walk */
	gs.done = true;
	return 0;
}

static void test_verifyreport_without_seamverifyreport(void **state)
{
	struct tdg x;

	(void)state;
	boot(&x, body_unavailable, false);
	run_to_end(&x);
	/* The guest is told: no LOCAL_ATTESTATION (TDG.VP.RD/WR still). */
	assert_false(gs.features0 & TDX_FEATURES0_LOCAL_ATTESTATION);
	assert_true(gs.features0 & TDX_FEATURES0_TDG_VP_RDWR);
	assert_int_equal(gs.n, 5);
	for (unsigned i = 1; i < 5; i++)
		expect(i, OPINV_RAX);
	tdg_teardown(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verifyreport_verdicts),
		cmocka_unit_test(test_verifyreport_operand),
		cmocka_unit_test(test_verifyreport_unmapped),
		cmocka_unit_test(test_verifyreport_without_seamverifyreport),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
