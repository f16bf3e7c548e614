/* SPDX-License-Identifier: MIT */
/*
 * The measurement and metadata TDCALLs (issue 5): TDG.MR.RTMR.EXTEND,
 * TDG.MR.REPORT, TDG.VM.RD/WR, each error in the module's check order
 * and in pairs, and the attest program end to end: RTMRs checked against
 * an independent SHA-384, the TDREPORT's MAC against the platform key,
 * and the quote GetQuote put in the shared buffer against its signature.
 *
 * The leaf tests run a probe program of this file's own, added to the
 * platform with platform_add_guest_program(); it records each TDCALL's
 * status and outputs for the test to check after the run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "helpers/host_machine.h"
#include "host/page_alloc.h"
#include "module/inspect.h"
#include "tdxsim/guest.h"
#include "tdxsim/inject.h"
#include "tdxsim/quote.h"
#include "tdxsim/tdcall.h"
#include "tdxsim/tdreport.h"
#include "vmm/vmm.h"
#include "vmm/vmm_internal.h"

#define SHARED_BIT   (1ULL << 47)           /* GPAW 48 */
#define BEYOND_GPAW  (1ULL << 48)
#define SCRATCH      TDX_GUEST_SCRATCH_GPA  /* vCPU 0's scratch page */
#define RTMR_DATA    (SCRATCH + 0x440)
#define REPORT_GPA   SCRATCH
#define RDATA_GPA    (SCRATCH + 0x400)
#define FRESH_GPA    0x300000ULL            /* never touched before its probe */
#define SHARED_GPA   0x400000ULL
#define LIST_GPA     0x500000ULL            /* TDG.SYS.RDALL's page, fresh */
#define MD_CONTEXT_BITS_TEST (MD_CONTEXT_MASK << MD_CONTEXT_SHIFT)

static const uint8_t fixed_key[TDX_REPORT_KEY_SIZE] = { 0x5a, 0x11, 0x7e };

/* ---- the probe: TDCALLs inside the TD, results kept for the test ---- */

enum probe_case {
	/* RTMR.EXTEND; the lock case first, so it takes the injected fault */
	P_EXT_LOCK, P_REP_LOCK,
	P_EXT_MISALIGNED, P_EXT_SHARED, P_EXT_BEYOND, P_EXT_INDEX,
	P_EXT_MISALIGNED_INDEX, P_EXT_SHARED_INDEX, P_EXT_OK1, P_EXT_OK2, P_EXT_FRESH,
	/* REPORT */
	P_REP_RCX_ALIGN, P_REP_RDX_ALIGN, P_REP_BOTH_ALIGN, P_REP_RDX_BEYOND,
	P_REP_SUBTYPE, P_REP_RDX_BEYOND_SUBTYPE, P_REP_RCX_BEYOND,
	P_REP_RCX_BEYOND_SUBTYPE, P_REP_SHARED, P_REP_OK,
	/* VM.RD / VM.WR */
	P_RD_VM1, P_RD_V2, P_WR_V1, P_RD_TDR, P_RD_UNKNOWN, P_RD_LAST_ELEM,
	P_RD_V1_NULL, P_RD_V1_ATTR, P_RD_ATTR, P_RD_XFAM, P_RD_MAX_VCPUS, P_RD_GPAW,
	P_RD_MRTD0, P_RD_RTMR2_0, P_WR_ATTR, P_WR_NOTIFY_SET, P_WR_NOTIFY_CLEAR,
	P_WR_NOTIFY_BAD_VALUE, P_WR_NOTIFY_NO_BITS, P_RD_UUID, P_RD_NUM_L2,
	P_RD_V1_NUM_VCPUS,
	P_LX_CONFIG, P_LX_TD_CTLS, P_LX_NOTIFY,
	/* SYS.RD */
	P_SYS_NULL, P_SYS_VENDOR, P_SYS_MAJOR, P_SYS_UPDATE, P_SYS_RESERVED,
	P_SYS_LAST_ELEM, P_SYS_UNKNOWN,
	/* SYS.RDALL */
	P_ALL_MISALIGNED, P_ALL_SHARED, P_ALL_OK, P_ALL_FROM_MAJOR, P_ALL_NOT_GUEST,
	P_N
};

struct probe_out {
	uint64_t status, rdx, r8;
};

static struct probe_results {
	struct probe_out out[P_N];
	uint8_t report[TDX_REPORT_SIZE];
	uint8_t shared_report[TDX_REPORT_SIZE];
	uint8_t rdata[TDX_REPORT_DATA_SIZE];
	uint8_t list[256], list_major[32];
	bool done;
} R;

static const uint8_t ext1[48] = "first extension, 48 bytes of it .............";
static const uint8_t ext2[48] = "second one";

static void call(struct tdx_guest *g, enum probe_case k, uint64_t rax, uint64_t rcx,
		 uint64_t rdx, uint64_t r8, uint64_t r9)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = rax, [TDX_GPR_RCX] = rcx, [TDX_GPR_RDX] = rdx,
			     [TDX_GPR_R8] = r8, [TDX_GPR_R9] = r9 };

	R.out[k].status = tdx_tdcall(g, gpr);
	R.out[k].rdx = gpr[TDX_GPR_RDX];
	R.out[k].r8 = gpr[TDX_GPR_R8];
}

static void probe_rtmr(struct tdx_guest *g)
{
	const uint64_t ext = TDG_MR_RTMR_EXTEND;

	call(g, P_EXT_MISALIGNED, ext, RTMR_DATA + 8, 0, 0, 0);
	call(g, P_EXT_SHARED, ext, RTMR_DATA | SHARED_BIT, 0, 0, 0);
	call(g, P_EXT_BEYOND, ext, BEYOND_GPAW, 0, 0, 0);
	call(g, P_EXT_INDEX, ext, RTMR_DATA, TDX_NUM_RTMRS, 0, 0);
	call(g, P_EXT_MISALIGNED_INDEX, ext, RTMR_DATA + 8, TDX_NUM_RTMRS, 0, 0);
	call(g, P_EXT_SHARED_INDEX, ext, RTMR_DATA | SHARED_BIT, TDX_NUM_RTMRS, 0, 0);
	tdx_write(g, RTMR_DATA, ext1, 48);
	call(g, P_EXT_OK1, ext, RTMR_DATA, 2, 0, 0);
	tdx_write(g, RTMR_DATA, ext2, 48);
	call(g, P_EXT_OK2, ext, RTMR_DATA, 2, 0, 0);
	/* Data in a page nobody accepted: the TDCALL's read faults, the host
	 * AUGs, the #VE handler accepts (zeroing it), the TDCALL runs again. */
	call(g, P_EXT_FRESH, ext, FRESH_GPA, 3, 0, 0);
}

static void probe_report(struct tdx_guest *g)
{
	const uint64_t rep = TDG_MR_REPORT;

	memset(R.rdata, 0xA5, sizeof(R.rdata));
	tdx_write(g, RDATA_GPA, R.rdata, sizeof(R.rdata));
	call(g, P_REP_RCX_ALIGN, rep, REPORT_GPA + 0x40, RDATA_GPA, 0, 0);
	call(g, P_REP_RDX_ALIGN, rep, REPORT_GPA, RDATA_GPA + 8, 0, 0);
	call(g, P_REP_BOTH_ALIGN, rep, REPORT_GPA + 0x40, RDATA_GPA + 8, 0, 0);
	call(g, P_REP_RDX_BEYOND, rep, REPORT_GPA, BEYOND_GPAW, 0, 0);
	call(g, P_REP_SUBTYPE, rep, REPORT_GPA, RDATA_GPA, 1, 0);
	call(g, P_REP_RDX_BEYOND_SUBTYPE, rep, REPORT_GPA, BEYOND_GPAW, 1, 0);
	call(g, P_REP_RCX_BEYOND, rep, BEYOND_GPAW, RDATA_GPA, 0, 0);
	call(g, P_REP_RCX_BEYOND_SUBTYPE, rep, BEYOND_GPAW, RDATA_GPA, 1, 0);
	if (tdx_map_gpa(g, SHARED_GPA, 4096, true) == TDVMCALL_STATUS_SUCCESS) {
		call(g, P_REP_SHARED, rep, SHARED_GPA | SHARED_BIT, RDATA_GPA, 0, 0);
		tdx_read(g, SHARED_GPA | SHARED_BIT, R.shared_report, sizeof(R.shared_report));
	}
	call(g, P_REP_OK, rep, REPORT_GPA, RDATA_GPA, 0, 0);
	tdx_read(g, REPORT_GPA, R.report, sizeof(R.report));
}

#define RD(k, id)      call(g, k, TDG_VM_RD, 0, id, 0xDEAD, 0)
#define WR(k, id, v, m) call(g, k, TDG_VM_WR, 0, id, v, m)
#define V(n)           ((uint64_t)(n) << TDX_VERSION_SHIFT)

static void probe_vm(struct tdx_guest *g)
{
	call(g, P_RD_VM1, TDG_VM_RD, 1, MD_TD_TDCS_ATTRIBUTES, 0xDEAD, 0);
	call(g, P_RD_V2, TDG_VM_RD | V(2), 0, MD_TD_TDCS_ATTRIBUTES, 0xDEAD, 0);
	call(g, P_WR_V1, TDG_VM_WR | V(1), 0, MD_TD_TDCS_NOTIFY_ENABLES, 1, 1);
	RD(P_RD_TDR, MD_TD_TDR_HKID);
	RD(P_RD_UNKNOWN, 0x1110000300000FFFULL);
	RD(P_RD_LAST_ELEM, MD_TD_TDCS_ATTRIBUTES | (1ULL << MD_LAST_ELEMENT_SHIFT));
	call(g, P_RD_V1_NULL, TDG_VM_RD | V(1), 0, UINT64_MAX, 0xDEAD, 0);   /* the null ID */
	call(g, P_RD_V1_ATTR, TDG_VM_RD | V(1), 0, MD_TD_TDCS_ATTRIBUTES, 0xDEAD, 0);
	RD(P_RD_ATTR, MD_TD_TDCS_ATTRIBUTES);
	RD(P_RD_XFAM, MD_TD_TDCS_XFAM);
	RD(P_RD_MAX_VCPUS, MD_TD_TDCS_MAX_VCPUS);
	RD(P_RD_GPAW, MD_TD_TDCS_GPAW);
	RD(P_RD_MRTD0, MD_TD_TDCS_MRTD);
	RD(P_RD_RTMR2_0, MD_TD_TDCS_RTMR + 12);
	WR(P_WR_ATTR, MD_TD_TDCS_ATTRIBUTES, 0, ~0ULL);
	WR(P_WR_NOTIFY_SET, MD_TD_TDCS_NOTIFY_ENABLES, 1, 1);
	WR(P_WR_NOTIFY_CLEAR, MD_TD_TDCS_NOTIFY_ENABLES, 0, 1);
	WR(P_WR_NOTIFY_BAD_VALUE, MD_TD_TDCS_NOTIFY_ENABLES, 2, 3);
	WR(P_WR_NOTIFY_NO_BITS, MD_TD_TDCS_NOTIFY_ENABLES, 2, 2);
	RD(P_RD_UUID, MD_TD_TDR_TD_UUID);
	RD(P_RD_NUM_L2, MD_TD_TDCS_NUM_L2_VMS);
	call(g, P_RD_V1_NUM_VCPUS, TDG_VM_RD | V(1), 0, MD_TD_TDCS_NUM_VCPUS, 0xDEAD, 0);
	/* What Linux 6.12's guest does (arch/x86/coco/tdx/tdx.c), with its
	 * own field IDs (asm/shared/tdx.h): read CONFIG_FLAGS and TD_CTLS,
	 * clear NOTIFY_ENABLES with a full mask. */
	RD(P_LX_CONFIG, 0x1110000300000016ULL);
	RD(P_LX_TD_CTLS, 0x1110000300000017ULL);
	WR(P_LX_NOTIFY, 0x9100000000000010ULL, 0, ~0ULL);
}

static void probe_sys(struct tdx_guest *g)
{
	call(g, P_SYS_NULL, TDG_SYS_RD, 0, UINT64_MAX, 0xDEAD, 0);
	call(g, P_SYS_VENDOR, TDG_SYS_RD, 0, MD_SYS_VENDOR_ID, 0xDEAD, 0);
	call(g, P_SYS_MAJOR, TDG_SYS_RD, 0, MD_SYS_MAJOR_VERSION, 0xDEAD, 0);
	call(g, P_SYS_UPDATE, TDG_SYS_RD, 0, MD_SYS_UPDATE_VERSION, 0xDEAD, 0);
	call(g, P_SYS_RESERVED, TDG_SYS_RD, 0, MD_SYS_VENDOR_ID | (1ULL << 24), 0xDEAD, 0);
	call(g, P_SYS_LAST_ELEM, TDG_SYS_RD, 0, MD_SYS_VENDOR_ID | (1ULL << 34), 0xDEAD, 0);
	call(g, P_SYS_UNKNOWN, TDG_SYS_RD, 0, 0x0800000200000FFFULL, 0xDEAD, 0);
	call(g, P_ALL_MISALIGNED, TDG_SYS_RDALL, 0, LIST_GPA + 8, UINT64_MAX, 0);
	call(g, P_ALL_SHARED, TDG_SYS_RDALL, 0, SHARED_GPA | SHARED_BIT, UINT64_MAX, 0);
	/* The page is fresh: the TDCALL's access faults, the #VE handler
	 * accepts, the TDCALL runs again. */
	call(g, P_ALL_OK, TDG_SYS_RDALL, 0, LIST_GPA, UINT64_MAX, 0);
	tdx_read(g, LIST_GPA, R.list, sizeof(R.list));
	call(g, P_ALL_FROM_MAJOR, TDG_SYS_RDALL, 0, LIST_GPA, MD_SYS_MAJOR_VERSION, 0);
	tdx_read(g, LIST_GPA, R.list_major, sizeof(R.list_major));
	call(g, P_ALL_NOT_GUEST, TDG_SYS_RDALL, 0, LIST_GPA, MD_SYS_BUILD_DATE, 0);
}

static int probe_main(struct tdx_guest *g, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tdx_write(g, RTMR_DATA, ext1, 48);
	tdx_write(g, RDATA_GPA, ext1, 48);
	/* The test armed two RTMR-lock faults: these two take them. */
	call(g, P_EXT_LOCK, TDG_MR_RTMR_EXTEND, RTMR_DATA, 2, 0, 0);
	call(g, P_REP_LOCK, TDG_MR_REPORT, REPORT_GPA, RDATA_GPA, 0, 0);
	probe_rtmr(g);
	probe_report(g);
	probe_vm(g);
	probe_sys(g);
	R.done = true;
	return 0;
}

static const struct tdx_guest_program probe_prog = {
	"tdcall-mr-probe", "the leaf probe of test_tdcall_mr", probe_main,
};

/* ---- the machine ---- */

struct ctx {
	struct hm hm;
	struct vmm *vmm;
	uint64_t free0;
	const char *prog;
	char *arg;
	struct tdx_quoting_key *qe;
	int run_ret;
	struct vm_run_result res;
	uint8_t mrtd[48];
	uint8_t quote[TDX_QUOTE_SIZE];
	size_t quote_len;
	unsigned quotes;
	char console[1024];
	uint64_t ept_exits, getquotes, mapgpas;
	int exit_code;
};

static int build_and_run(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = { .vcpus = 1, .memory_bytes = 32ULL << 20 };
	struct vm_run_opts opts = { .qe = c->qe };
	uint8_t image[TDX_GUEST_IMAGE_BYTES];
	struct vm *vm;
	char err[320] = "";

	assert_int_equal(tdx_guest_image(c->prog, c->arg != NULL, &c->arg, image), 0);
	if (vm_create(c->vmm, &cfg, &vm, err, sizeof(err)))
		fail_msg("vm_create: %s", err);
	assert_int_equal(vm_init_vcpus(vm), 0);
	assert_int_equal(vm_init_mem_region(vm, 0, image, sizeof(image)), 0);
	assert_int_equal(vm_finalize(vm), 0);
	assert_true(tdx_inspect_td_mrtd(c->hm.p, vm_tdr(vm), c->mrtd));
	c->run_ret = vm_run(vm, &opts, &c->res);
	snprintf(c->console, sizeof(c->console), "%.*s", (int)c->res.console_len,
		 c->res.console);
	c->exit_code = c->res.vcpu[0].exit_code;
	c->ept_exits = c->res.vcpu[0].exits[TDX_EXIT_EPT_VIOLATION];
	c->getquotes = c->res.vcpu[0].vmcalls[VMCALL_GET_QUOTE];
	c->mapgpas = c->res.vcpu[0].vmcalls[VMCALL_MAP_GPA];
	c->quotes = c->res.quotes;
	c->quote_len = c->res.quote_len;
	if (c->quote_len)
		memcpy(c->quote, c->res.quote, c->quote_len);
	vm_destroy(vm);
	memset(&c->res, 0, sizeof(c->res));   /* vm_destroy freed what it pointed to */
	return 0;
}

/* rtmr_faults: RTMR-lock faults armed before the run. */
static void run(struct ctx *c, const char *prog, char *arg, bool with_qe,
		unsigned rtmr_faults)
{
	static const uint8_t seed[TDX_QUOTE_SEED_SIZE] = { 7 };

	memset(c, 0, sizeof(*c));
	hm_boot_small(&c->hm, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	platform_set_report_key(c->hm.p, fixed_key);
	assert_int_equal(platform_add_guest_program(c->hm.p, &probe_prog), 0);
	if (rtmr_faults)
		assert_int_equal(tdxsim_inject(c->hm.p, TDXSIM_INJECT_RTMR_LOCK, rtmr_faults), 0);
	c->vmm = vmm_create(c->hm.h);
	assert_non_null(c->vmm);
	c->free0 = page_alloc_free_bytes(c->hm.h->pages);
	c->prog = prog;
	c->arg = arg;
	if (with_qe)
		assert_non_null(c->qe = tdx_qe_create(seed));
	assert_int_equal(hm_on_lp(&c->hm, 0, build_and_run, c), 0);
	assert_int_equal(page_alloc_free_bytes(c->hm.h->pages), c->free0);
	tdx_qe_destroy(c->qe);
	vmm_destroy(c->vmm);
	hm_free(&c->hm);
}

static void sha384(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[48])
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	unsigned int n = 0;

	assert_non_null(x);
	assert_true(EVP_DigestInit_ex(x, EVP_sha384(), NULL));
	assert_true(EVP_DigestUpdate(x, a, alen));
	assert_true(EVP_DigestUpdate(x, b, blen));
	assert_true(EVP_DigestFinal_ex(x, out, &n));
	assert_int_equal(n, 48);
	EVP_MD_CTX_free(x);
}

/* RTMR after extending a zero register with each 48-byte block in turn. */
static void rtmr_of(const uint8_t (*blocks)[48], unsigned n, uint8_t out[48])
{
	memset(out, 0, 48);
	for (unsigned i = 0; i < n; i++)
		sha384(out, 48, blocks[i], 48, out);
}

/* ---- the probe's findings ---- */

static struct ctx probe_ctx;

static void run_probe(void)
{
	memset(&R, 0, sizeof(R));
	/* The probe's first two RTMR users take the two faults. */
	run(&probe_ctx, probe_prog.name, NULL, true, 2);
}

#define ST(k) (R.out[k].status)

static void test_probe_ran(void **state)
{
	(void)state;
	run_probe();
	assert_true(R.done);
	assert_int_equal(probe_ctx.run_ret, 0);
}

static void test_rtmr_extend_errors(void **state)
{
	const uint64_t inv_rcx = tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	const uint64_t inv_rdx = tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);

	(void)state;
	assert_int_equal(ST(P_EXT_LOCK),
			 tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RTMR));
	assert_int_equal(ST(P_EXT_MISALIGNED), inv_rcx);
	assert_int_equal(ST(P_EXT_SHARED), inv_rcx);
	assert_int_equal(ST(P_EXT_BEYOND), inv_rcx);
	assert_int_equal(ST(P_EXT_INDEX), inv_rdx);
	/* The GPA is checked (and walked) before the index. */
	assert_int_equal(ST(P_EXT_MISALIGNED_INDEX), inv_rcx);
	assert_int_equal(ST(P_EXT_SHARED_INDEX), inv_rcx);
	assert_int_equal(ST(P_EXT_OK1), TDX_SUCCESS);
	assert_int_equal(ST(P_EXT_OK2), TDX_SUCCESS);
	assert_int_equal(ST(P_EXT_FRESH), TDX_SUCCESS);
}

static void test_rtmr_values(void **state)
{
	const uint8_t blocks2[2][48] = { { 0 }, { 0 } };
	uint8_t want2[48], want3[48], b[2][48];

	(void)state;
	/* RTMR2: ext1 then ext2 (the BUSY extend changed nothing); RTMR3:
	 * one block of zeros, read from the freshly accepted page. */
	memcpy(b[0], ext1, 48);
	memcpy(b[1], ext2, 48);
	rtmr_of(b, 2, want2);
	rtmr_of(blocks2, 1, want3);
	assert_memory_equal(((struct tdx_report *)R.report)->td_info.rtmr[2], want2, 48);
	assert_memory_equal(((struct tdx_report *)R.report)->td_info.rtmr[3], want3, 48);
	assert_memory_equal(&R.out[P_RD_RTMR2_0].r8, want2, 8);
	/* The fresh page cost an EPT violation (plus the probe's others). */
	assert_true(probe_ctx.ept_exits >= 1);
}

static void test_report_errors(void **state)
{
	const uint64_t inv_rcx = tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	const uint64_t inv_rdx = tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	const uint64_t inv_r8 = tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8);

	(void)state;
	assert_int_equal(ST(P_REP_LOCK),
			 tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RTMR));
	assert_int_equal(ST(P_REP_RCX_ALIGN), inv_rcx);
	assert_int_equal(ST(P_REP_RDX_ALIGN), inv_rdx);
	assert_int_equal(ST(P_REP_BOTH_ALIGN), inv_rcx);
	assert_int_equal(ST(P_REP_RDX_BEYOND), inv_rdx);
	assert_int_equal(ST(P_REP_SUBTYPE), inv_r8);
	assert_int_equal(ST(P_REP_RDX_BEYOND_SUBTYPE), inv_rdx);
	/* The report's own GPA is walked last, after the subtype. */
	assert_int_equal(ST(P_REP_RCX_BEYOND), inv_rcx);
	assert_int_equal(ST(P_REP_RCX_BEYOND_SUBTYPE), inv_r8);
	assert_int_equal(ST(P_REP_SHARED), TDX_SUCCESS);
	assert_int_equal(ST(P_REP_OK), TDX_SUCCESS);
}

static void test_report_contents(void **state)
{
	const struct tdx_report *r = (const struct tdx_report *)R.report;
	const struct tdx_report *s = (const struct tdx_report *)R.shared_report;
	struct tdx_report bad;
	char why[128];

	(void)state;
	assert_int_equal(tdx_report_check(r, fixed_key, why, sizeof(why)), 0);
	assert_int_equal(tdx_report_check(s, fixed_key, why, sizeof(why)), 0);
	assert_int_equal(r->mac.report_type.type, TDX_REPORT_TYPE_TDX);
	assert_memory_equal(r->mac.report_data, R.rdata, sizeof(R.rdata));
	assert_memory_equal(r->td_info.mr_td, probe_ctx.mrtd, 48);
	assert_int_equal(r->td_info.xfam, R.out[P_RD_XFAM].r8);
	assert_int_equal(r->td_info.attributes, R.out[P_RD_ATTR].r8);
	/* Another platform's key does not verify it. */
	{
		uint8_t other[TDX_REPORT_KEY_SIZE] = { 1 };

		assert_int_not_equal(tdx_report_check(r, other, why, sizeof(why)), 0);
	}
	bad = *r;
	bad.td_info.rtmr[2][0] ^= 1;
	assert_int_not_equal(tdx_report_check(&bad, fixed_key, why, sizeof(why)), 0);
}

static void test_vm_rd_wr(void **state)
{
	(void)state;
	assert_int_equal(ST(P_RD_VM1), tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX));
	assert_int_equal(R.out[P_RD_VM1].r8, 0);   /* cleared before the checks */
	assert_int_equal(ST(P_RD_V2), tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX));
	assert_int_equal(ST(P_WR_V1), tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX));
	assert_int_equal(ST(P_RD_TDR), TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(R.out[P_RD_TDR].r8, 0);
	assert_int_equal(ST(P_RD_UNKNOWN), TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(ST(P_RD_LAST_ELEM), TDX_METADATA_FIELD_ID_INCORRECT);
	/* Version 1: the first guest-readable field (TD_UUID, as in the
	 * module's table), then the next one. */
	assert_int_equal(ST(P_RD_V1_NULL), TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	assert_int_equal(R.out[P_RD_V1_NULL].rdx, MD_TD_TDR_TD_UUID);
	assert_int_equal(ST(P_RD_V1_ATTR), TDX_SUCCESS);
	assert_int_equal(R.out[P_RD_V1_ATTR].rdx, MD_TD_TDCS_XFAM);
	/* Values are the TD's. */
	assert_int_equal(ST(P_RD_ATTR), TDX_SUCCESS);
	assert_int_equal(R.out[P_RD_ATTR].r8, 0);
	assert_int_equal(ST(P_RD_XFAM), TDX_SUCCESS);
	assert_int_equal(R.out[P_RD_XFAM].r8 & 3, 3);   /* x87 | SSE */
	assert_int_equal(ST(P_RD_MAX_VCPUS), TDX_SUCCESS);
	assert_true(R.out[P_RD_MAX_VCPUS].r8 >= 1);
	assert_int_equal(ST(P_RD_GPAW), TDX_SUCCESS);
	assert_int_equal(R.out[P_RD_GPAW].r8, 0);       /* GPAW 48 */
	assert_int_equal(ST(P_RD_MRTD0), TDX_SUCCESS);
	assert_memory_equal(&R.out[P_RD_MRTD0].r8, probe_ctx.mrtd, 8);
	/* Writes: only NOTIFY_ENABLES bit 0. */
	assert_int_equal(ST(P_WR_ATTR), TDX_METADATA_FIELD_NOT_WRITABLE);
	assert_int_equal(ST(P_WR_NOTIFY_SET), TDX_SUCCESS);
	assert_int_equal(R.out[P_WR_NOTIFY_SET].r8, 0);
	assert_int_equal(ST(P_WR_NOTIFY_CLEAR), TDX_SUCCESS);
	assert_int_equal(R.out[P_WR_NOTIFY_CLEAR].r8, 1);
	assert_int_equal(ST(P_WR_NOTIFY_BAD_VALUE), TDX_METADATA_FIELD_VALUE_NOT_VALID);
	assert_int_equal(ST(P_WR_NOTIFY_NO_BITS), TDX_METADATA_FIELD_NOT_WRITABLE);
	/* The 1.5.01 guest masks: TD_UUID and NUM_L2_VMS are the guest's to
	 * read, and NUM_L2_VMS follows NUM_VCPUS in the walk. */
	assert_int_equal(ST(P_RD_UUID), TDX_SUCCESS);
	assert_int_not_equal(R.out[P_RD_UUID].r8, 0);    /* 64 random bits */
	assert_int_equal(ST(P_RD_NUM_L2), TDX_SUCCESS);
	assert_int_equal(R.out[P_RD_NUM_L2].r8, 0);
	assert_int_equal(ST(P_RD_V1_NUM_VCPUS), TDX_SUCCESS);
	assert_int_equal(R.out[P_RD_V1_NUM_VCPUS].rdx, MD_TD_TDCS_NUM_L2_VMS);
	/* Linux's IDs name the same fields; the other NOTIFY_ENABLES bits are
	 * 0 already, so the full mask is accepted. */
	assert_int_equal(ST(P_LX_CONFIG), TDX_SUCCESS);
	assert_int_equal(ST(P_LX_TD_CTLS), TDX_SUCCESS);
	assert_int_equal(ST(P_LX_NOTIFY), TDX_SUCCESS);
	assert_int_equal(R.out[P_LX_NOTIFY].r8, 0);
}

/* TDG.SYS.RD: the guest's few global fields (the 1.5.01 guest masks),
 * walked in table order; others are NOT_READABLE. */
static void test_sys_rd(void **state)
{
	(void)state;
	assert_int_equal(ST(P_SYS_NULL), TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	assert_int_equal(R.out[P_SYS_NULL].rdx, MD_SYS_VENDOR_ID);
	assert_int_equal(R.out[P_SYS_NULL].r8, 0);
	assert_int_equal(ST(P_SYS_VENDOR), TDX_SUCCESS);
	assert_int_equal(R.out[P_SYS_VENDOR].r8, 0x8086);
	assert_int_equal(R.out[P_SYS_VENDOR].rdx, MD_SYS_MINOR_VERSION);
	assert_int_equal(ST(P_SYS_MAJOR), TDX_SUCCESS);
	assert_int_equal(R.out[P_SYS_MAJOR].r8, 1);
	assert_int_equal(R.out[P_SYS_MAJOR].rdx, MD_SYS_SYS_ATTRIBUTES);
	assert_int_equal(ST(P_SYS_UPDATE), TDX_METADATA_FIELD_NOT_READABLE);
	assert_int_equal(R.out[P_SYS_UPDATE].r8, 0);
	assert_int_equal(R.out[P_SYS_UPDATE].rdx, UINT64_MAX);
	assert_int_equal(ST(P_SYS_RESERVED), TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(R.out[P_SYS_RESERVED].rdx, UINT64_MAX);
	assert_int_equal(ST(P_SYS_LAST_ELEM), TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(ST(P_SYS_UNKNOWN), TDX_METADATA_FIELD_ID_INCORRECT);
}

static uint64_t le(const uint8_t *b, unsigned off, unsigned n)
{
	uint64_t v = 0;

	memcpy(&v, b + off, n);
	return v;
}

/* TDG.SYS.RDALL: the guest's twelve fields as a metadata list, eight
 * sequences of fields of one class, contiguous codes and one size. */
static void test_sys_rdall(void **state)
{
	const uint64_t inv_rdx = tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);

	(void)state;
	assert_int_equal(ST(P_ALL_MISALIGNED), inv_rdx);
	assert_int_equal(R.out[P_ALL_MISALIGNED].r8, UINT64_MAX);
	assert_int_equal(ST(P_ALL_SHARED), inv_rdx);
	assert_int_equal(ST(P_ALL_OK), TDX_SUCCESS);
	assert_int_equal(R.out[P_ALL_OK].r8, UINT64_MAX);
	assert_int_equal(le(R.list, 2, 2), 8);                 /* sequences */
	assert_int_equal(le(R.list, 4, 4), 0);                 /* reserved */
	assert_int_equal(le(R.list, 0, 2), 8 + 8 * 8 + 8 * 12); /* bytes */
	/* First sequence: VENDOR_ID alone, then its value. */
	assert_int_equal(le(R.list, 8, 8) & ~MD_CONTEXT_BITS_TEST, MD_SYS_VENDOR_ID);
	assert_int_equal(le(R.list, 16, 8), 0x8086);
	/* From MAJOR_VERSION: it heads the list. */
	assert_int_equal(ST(P_ALL_FROM_MAJOR), TDX_SUCCESS);
	assert_int_equal(le(R.list_major, 8, 8) & ~MD_CONTEXT_BITS_TEST, MD_SYS_MAJOR_VERSION);
	assert_int_equal(le(R.list_major, 16, 8), 1);
	/* A field the guest may not read is no start. */
	assert_int_equal(ST(P_ALL_NOT_GUEST), TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(R.out[P_ALL_NOT_GUEST].r8, UINT64_MAX);
}

/* ---- attest, end to end ---- */

static void test_attest(void **state)
{
	struct ctx *c = malloc(sizeof(*c));
	uint8_t want2[48], want3[48], b[1][48] = { { 0 } };
	struct tdx_report body;
	char why[160], line[200];

	(void)state;
	assert_non_null(c);
	run(c, "attest", "nonce-1234", true, 0);
	assert_int_equal(c->run_ret, 0);
	memcpy(b[0], "nonce-1234", 10);
	rtmr_of((const uint8_t (*)[48])b, 1, want2);
	memset(b[0], 0, 48);
	memcpy(b[0], "tdxsim attest", 13);
	rtmr_of((const uint8_t (*)[48])b, 1, want3);
	strcpy(line, "RTMR2 ");
	for (unsigned i = 0; i < 48; i++)
		sprintf(line + 6 + 2 * i, "%02x", want2[i]);
	assert_non_null(strstr(c->console, line));
	assert_non_null(strstr(c->console, "TDREPORT: RTMRs, MRTD and REPORTDATA match\n"));
	assert_non_null(strstr(c->console, "quote: 1185 bytes\n"));
	assert_int_equal(c->getquotes, 1);
	assert_int_equal(c->mapgpas, 2);           /* to shared and back */
	assert_int_equal(c->quotes, 1);
	assert_int_equal(c->quote_len, TDX_QUOTE_SIZE);
	assert_int_equal(tdx_quote_verify(c->quote, c->quote_len, &body, why, sizeof(why)), 0);
	assert_int_equal(tdx_report_check(&body, fixed_key, why, sizeof(why)), 0);
	assert_memory_equal(body.td_info.rtmr[2], want2, 48);
	assert_memory_equal(body.td_info.rtmr[3], want3, 48);
	assert_memory_equal(body.td_info.mr_td, c->mrtd, 48);
	assert_memory_equal(body.mac.report_data, "nonce-1234\0", 11);
	/* A changed byte anywhere fails the signature. */
	c->quote[600] ^= 0x10;
	assert_int_not_equal(tdx_quote_verify(c->quote, c->quote_len, &body, why, sizeof(why)), 0);
	free(c);
}

static void test_attest_without_quoting_service(void **state)
{
	struct ctx *c = malloc(sizeof(*c));

	(void)state;
	assert_non_null(c);
	run(c, "attest", NULL, false, 0);
	assert_int_equal(c->run_ret, 1);
	assert_int_equal(c->exit_code, 2);
	assert_non_null(strstr(c->console, "attest: quote status 0x8000000000000001\n"));
	assert_int_equal(c->quotes, 0);
	free(c);
}

static void test_add_program_errors(void **state)
{
	static const struct tdx_guest_program nameless = { "", "", probe_main };
	static const struct tdx_guest_program no_main = { "x", "", NULL };
	struct hm hm;

	(void)state;
	hm_boot_small(&hm, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	assert_int_equal(platform_add_guest_program(hm.p, NULL), -EINVAL);
	assert_int_equal(platform_add_guest_program(hm.p, &nameless), -EINVAL);
	assert_int_equal(platform_add_guest_program(hm.p, &no_main), -EINVAL);
	assert_int_equal(platform_add_guest_program(hm.p, &probe_prog), 0);
	assert_int_equal(platform_add_guest_program(hm.p, &probe_prog), -EEXIST);
	hm_free(&hm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* The probe runs once; the tests after it read its results. */
		cmocka_unit_test(test_probe_ran),
		cmocka_unit_test(test_rtmr_extend_errors),
		cmocka_unit_test(test_rtmr_values),
		cmocka_unit_test(test_report_errors),
		cmocka_unit_test(test_report_contents),
		cmocka_unit_test(test_vm_rd_wr),
		cmocka_unit_test(test_sys_rd),
		cmocka_unit_test(test_sys_rdall),
		cmocka_unit_test(test_attest),
		cmocka_unit_test(test_attest_without_quoting_service),
		cmocka_unit_test(test_add_program_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
