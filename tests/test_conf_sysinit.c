/* SPDX-License-Identifier: MIT */
/* Conformance: the global-init leaves (abi §3.3), PAGE.RDMD (§4.3-4.4),
 * SYS.RD and SYS.RDALL (§8.1). */
#include <string.h>

#include "helpers/machine.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define RCX_INVALID tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX)
#define RDX_INVALID tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX)
#define RAX_INVALID tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX)
#define RCX_BUSY tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX)
#define RCX_RANGE tdx_status_with_operand(TDX_OPERAND_ADDR_RANGE_ERROR, TDX_OPERAND_ID_RCX)
#define NULL_ID 0xFFFFFFFFFFFFFFFFULL
#define LIST_PA 0x400000ULL

static struct platform *mk(unsigned pkgs, unsigned lps, unsigned gib,
			   enum tdxsim_profile prof)
{
	struct tdxsim_platform_config c;

	small_config(&c, pkgs, lps, gib, prof);
	return machine_new(&c);
}

static uint64_t sc_rcx(struct platform *p, unsigned lp, uint64_t leaf, uint64_t rcx)
{
	struct tdx_module_args a;

	memset(&a, 0, sizeof(a));
	a.rcx = rcx;
	return sc_on(p, lp, leaf, &a);
}

static uint64_t rd(struct platform *p, unsigned lp, uint64_t id, uint64_t *val,
		   uint64_t *next)
{
	struct tdx_module_args a;
	uint64_t st;

	memset(&a, 0, sizeof(a));
	a.rdx = id;
	st = sc_on(p, lp, TDH_SYS_RD, &a);
	if (val)
		*val = a.r8;
	if (next)
		*next = a.rdx;
	return st;
}

static uint64_t rd_val(struct platform *p, uint64_t id)
{
	uint64_t v;

	assert_int_equal(rd(p, 0, id, &v, NULL), TDX_SUCCESS);
	return v;
}

static uint64_t rdmd(struct platform *p, uint64_t pa, struct tdx_module_args *a)
{
	memset(a, 0, sizeof(*a));
	a->rcx = pa;
	return sc_on(p, 0, TDH_PHYMEM_PAGE_RDMD, a);
}

/* ===================== TDH.SYS.INIT ===================== */

static void test_sys_init_basic(void **state)
{
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_INIT, 1), RCX_INVALID);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_INIT, 1ULL << 63), RCX_INVALID);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_DONE);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SYS_INIT_NOT_PENDING);
	/* RCX != 0 wins over NOT_PENDING. */
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_INIT, 1), RCX_INVALID);
	platform_destroy(p);
}

static void test_sys_init_busy_and_entropy(void **state)
{
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_GLOBAL_LOCK, 1), 0);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SYS_BUSY);
	/* Busy wins over RCX != 0. */
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_GLOBAL_LOCK, 1), 0);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_INIT, 5), TDX_SYS_BUSY);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_RDRAND, 1), 0);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_RND_NO_ENTROPY);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_DONE);
	platform_destroy(p);
}

/* SYS.INIT needs CPUID max leaf >= 0x1F and max extended >= 0x80000008
 * (abi §3.3 step 2) on the LP it runs on: TDX_CPUID_LEAF_NOT_SUPPORTED
 * naming the leaf that must exist (tdh_sys_init). */
static void cpuid_max_case(uint32_t leaf, uint32_t eax, uint32_t needed)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	override_cpuid(&c, 0, (struct tdxsim_cpuid_override){ .leaf = leaf, .eax = eax });
	p = machine_new(&c);
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT),
			 tdx_status_with_operand(TDX_CPUID_LEAF_NOT_SUPPORTED, needed));
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	/* LP 1 has the common CPU model and may initialise the module. */
	assert_int_equal(sc0(p, 1, TDH_SYS_INIT), TDX_SUCCESS);
	platform_destroy(p);
}

static void test_sys_init_cpuid_max_leaf(void **state)
{
	cpuid_max_case(0x0, 0x1E, 0x1F);
}

static void test_sys_init_cpuid_max_ext_leaf(void **state)
{
	cpuid_max_case(0x80000000, 0x80000007, 0x80000008);
}

static void test_sys_init_tme_not_locked(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	uint64_t tme;

	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	p = machine_new(&c);
	assert_true(platform_rdmsr(p, 0, MSR_IA32_TME_ACTIVATE, &tme));
	assert_true(tme & 1);
	platform_destroy(p);
	override_msr(&c, 0, MSR_IA32_TME_ACTIVATE, tme & ~1ULL);
	p = machine_new(&c);
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT),
			 tdx_status_with_operand(TDX_INCORRECT_MSR_VALUE, 0x982));
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	platform_destroy(p);
}

static void test_sys_init_too_many_hkids(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	small_config(&c, 1, 1, 1, TDXSIM_PROFILE_1_5);
	c.mktme_keyids = 2000;
	c.tdx_keyids = 100;
	c.keyid_bits = 12;
	p = machine_new(&c);
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT),
			 tdx_status_with_operand(TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED, 2048));
	assert_int_equal(tdx_inspect_sys_state(p), SYSINIT_PENDING);
	platform_destroy(p);
}

/* ===================== TDH.SYS.LP.INIT ===================== */

static void test_lp_init_order(void **state)
{
	struct platform *p = mk(1, 2, 1, TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_NOT_PENDING);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SUCCESS);
	assert_true(tdx_inspect_lp_is_init(p, 0));
	assert_false(tdx_inspect_lp_is_init(p, 1));
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_DONE);
	assert_int_equal(tdx_inspect_num_init_lps(p), 1);
	platform_destroy(p);
}

static void test_lp_init_busy_and_entropy(void **state)
{
	struct platform *p = mk(1, 2, 1, TDXSIM_PROFILE_1_5);

	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_GLOBAL_LOCK, 1), 0);
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_INIT), TDX_SYS_BUSY);
	assert_false(tdx_inspect_lp_is_init(p, 1));
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_RDRAND, 1), 0);
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_INIT), TDX_RND_NO_ENTROPY);
	assert_false(tdx_inspect_lp_is_init(p, 1));
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_INIT), TDX_SUCCESS);
	assert_true(tdx_inspect_lp_is_init(p, 1));
	platform_destroy(p);
}

static void test_lp_init_inconsistent_msr(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	uint64_t v;

	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	p = machine_new(&c);
	assert_true(platform_rdmsr(p, 1, MSR_IA32_VMX_BASIC, &v));
	platform_destroy(p);
	override_msr(&c, 1, MSR_IA32_VMX_BASIC, v ^ 0x1);
	p = machine_new(&c);
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_INIT),
			 tdx_status_with_operand(TDX_INCONSISTENT_MSR, 0x480));
	assert_false(tdx_inspect_lp_is_init(p, 1));
	platform_destroy(p);
}

static void test_lp_init_inconsistent_cpuid(void **state)
{
	struct tdxsim_platform_config c;
	struct tdx_module_args a;
	struct platform *p;
	uint32_t r[4];

	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	p = machine_new(&c);
	platform_cpuid(p, 1, 7, 0, r);
	platform_destroy(p);
	c.n_overrides = 1;
	memset(&c.overrides[0], 0, sizeof(c.overrides[0]));
	c.overrides[0].lp = 1;
	c.overrides[0].n_cpuid = 1;
	c.overrides[0].cpuid[0] = (struct tdxsim_cpuid_override){
		7, 0, r[0], r[1] ^ (1u << 4), r[2], r[3] };
	p = machine_new(&c);
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SUCCESS);
	memset(&a, 0, sizeof(a));
	assert_int_equal(sc_on(p, 1, TDH_SYS_LP_INIT, &a), TDX_INCONSISTENT_CPUID_FIELD);
	assert_int_equal(a.rcx, 7 | (0ULL << 32));
	assert_true(a.rdx != 0);
	assert_true(a.r8 != 0);
	assert_false(tdx_inspect_lp_is_init(p, 1));
	platform_destroy(p);
}

/* An LP whose x2APIC ID puts it in package 9 (leaf 0x1F: the package
 * starts above the core level, shift 2 with four LPs a package) is
 * refused, TDX_INVALID_PKG_ID naming the package (tdh_sys_lp_init's
 * compare_cpuid_configuration). */
static void test_lp_init_pkg_id_too_big(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	small_config(&c, 1, 4, 1, TDXSIM_PROFILE_1_5);
	override_cpuid(&c, 1, (struct tdxsim_cpuid_override){
		.leaf = 0x1F, .subleaf = 0, .eax = 1, .ebx = 2, .ecx = 0x100, .edx = 9 << 2 });
	p = machine_new(&c);
	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_INIT),
			 tdx_status_with_operand(TDX_INVALID_PKG_ID, 9));
	assert_false(tdx_inspect_lp_is_init(p, 1));
	platform_destroy(p);
}

static void test_lp_init_after_config_strict(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = mk(1, 2, 1, TDXSIM_PROFILE_1_5_01);

	sys_init_all(p);
	plan_and_write(p, &b, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, &b), TDX_SUCCESS);
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_NOT_PENDING);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_NOT_PENDING);
	platform_destroy(p);
}

static void test_lp_init_strict_config_needs_all(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = mk(1, 2, 1, TDXSIM_PROFILE_1_5_01);

	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SUCCESS);
	plan_and_write(p, &b, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, &b), TDX_SYS_CONFIG_NOT_PENDING);
	platform_destroy(p);
}

static void test_lp_init_late_current(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = mk(1, 3, 1, TDXSIM_PROFILE_1_5);
	uint64_t v;

	vmxon_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SUCCESS);
	plan_and_write(p, &b, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, &b), TDX_SUCCESS);
	assert_int_equal(sc0(p, 1, TDH_SYS_LP_INIT), TDX_SUCCESS);
	key_config_all(p);
	assert_int_equal(tdx_inspect_sys_state(p), SYS_READY);
	/* LP 2 is READY-but-uninitialised: non-init leaves refuse. */
	assert_int_equal(rd(p, 2, MD_SYS_MAX_TDMRS, NULL, NULL), TDX_SYS_LP_INIT_NOT_DONE);
	assert_int_equal(sc_rcx(p, 2, TDH_PHYMEM_PAGE_RDMD, 0x100000), TDX_SYS_LP_INIT_NOT_DONE);
	assert_int_equal(sc0(p, 2, TDH_SYS_LP_INIT), TDX_SUCCESS);
	assert_int_equal(rd(p, 2, MD_SYS_MAX_TDMRS, &v, NULL), TDX_SUCCESS);
	assert_int_equal(v, 64);
	assert_int_equal(sc0(p, 2, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_DONE);
	platform_destroy(p);
}

/* The values the sweep found missing: ALLOWED_FMS from the module's
 * known-CPU table (cpuid_fms.c), the migration bundle sizes and the
 * service-TD attributes' fixed-0 bits. */
static void test_sys_rd_fms_and_counts(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p = mk(1, 2, 1, TDXSIM_PROFILE_1_5);

	sys_init_all(p);
	/* Sapphire Rapids, the oldest known: itself alone. */
	assert_int_equal(rd_val(p, MD_SYS_NUM_ALLOWED_FMS), 1);
	assert_int_equal(rd_val(p, MD_SYS_ALLOWED_FMS), 0x806F8);
	assert_int_equal(rd_val(p, MD_SYS_ALLOWED_FMS + 1), 0);
	assert_int_equal(rd_val(p, MD_SYS_NUM_DISALLOWED_FMS), 0);
	assert_int_equal(rd_val(p, MD_SYS_NUM_IMMUTABLE_STATE_PAGES), 3);
	assert_int_equal(rd_val(p, MD_SYS_NUM_TD_STATE_PAGES), 2);
	assert_int_equal(rd_val(p, MD_SYS_NUM_VP_STATE_PAGES), 5);
	assert_int_equal(rd_val(p, MD_SYS_SERVTD_ATTR_FIXED0), 0x000007FF00000001ULL);
	/* No feature is advertised whose leaf answers OPERAND_INVALID. */
	assert_int_equal(rd_val(p, MD_SYS_TDX_FEATURES0) & TDX_FEATURES0_CPUID_VIRT_GUEST_CTRL,
			 TDX_FEATURES0_CPUID_VIRT_GUEST_CTRL);   /* TDG.VP.CPUIDVE.SET is in */
	assert_int_equal(rd_val(p, MD_SYS_TDX_FEATURES0) &
			 (TDX_FEATURES0_FMS_CONFIG | TDX_FEATURES0_TD_MIGRATION |
			  TDX_FEATURES0_SERVICE_TD | TDX_FEATURES0_TD_PARTITIONING), 0);
	assert_true(rd_val(p, MD_SYS_TDX_FEATURES0) & TDX_FEATURES0_NO_RBP_MOD);
	/* TDG.VP.RD/WR and TDG.MR.VERIFYREPORT are there (the default CPU
	 * has SEAMVERIFYREPORT). */
	assert_true(rd_val(p, MD_SYS_TDX_FEATURES0) & TDX_FEATURES0_TDG_VP_RDWR);
	assert_true(rd_val(p, MD_SYS_TDX_FEATURES0) & TDX_FEATURES0_LOCAL_ATTESTATION);
	platform_destroy(p);
	/* Emerald Rapids: itself, then SPR at its latest stepping. */
	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	c.cpu_fms = 0xC06F2;
	p = machine_new(&c);
	vmxon_all(p);
	sys_init_all(p);
	assert_int_equal(rd_val(p, MD_SYS_NUM_ALLOWED_FMS), 2);
	assert_int_equal(rd_val(p, MD_SYS_ALLOWED_FMS), 0xC06F2);
	assert_int_equal(rd_val(p, MD_SYS_ALLOWED_FMS + 1), 0x806F8);
	assert_int_equal(rd_val(p, MD_SYS_ALLOWED_FMS + 2), 0);
	platform_destroy(p);
}

/* ===================== TDH.SYS.INFO ===================== */

#define OPINV(r) tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_##r)
#define INFO_PA 0x300000ULL
#define CMR_PA 0x301000ULL

static uint64_t sys_info(struct platform *p, unsigned lp, uint64_t rcx, uint64_t rdx,
			 uint64_t r8, uint64_t r9, struct tdx_module_args *a)
{
	*a = (struct tdx_module_args){ .rcx = rcx, .rdx = rdx, .r8 = r8, .r9 = r9 };
	return sc_on(p, lp, TDH_SYS_INFO, a);
}

static uint64_t u64_at(const uint8_t *b, unsigned off, unsigned n)
{
	uint64_t v = 0;

	memcpy(&v, b + off, n);
	return v;
}

/* The legacy leaf, in tdh_sys_info's order: the LP, RCX, RDX, the
 * buffer zeroed, R8, R9; RDX and R9 are 0 until success. The values are
 * those TDH.SYS.RD reads; the CMRs are the platform's. */
static void test_sys_info(void **state)
{
	struct platform *p = mk(1, 2, 1, TDXSIM_PROFILE_1_5);
	uint8_t b[1024], ff[1024], cmr[512];
	const struct tdxsim_platform_config *c = platform_config(p);
	struct tdx_module_args a;
	uint64_t v;

	vmxon_all(p);
	memset(ff, 0xff, sizeof(ff));
	assert_int_equal(sys_info(p, 0, INFO_PA, 1024, CMR_PA, 32, &a), TDX_SYS_LP_INIT_NOT_DONE);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r9, 0);
	sys_init_all(p);     /* before CONFIG: SYS.INFO answers before READY */
	assert_int_equal(sys_info(p, 0, INFO_PA + 0x200, 1024, CMR_PA, 32, &a), OPINV(RCX));
	assert_int_equal(sys_info(p, 0, INFO_PA, 1023, CMR_PA, 32, &a), OPINV(RDX));
	assert_int_equal(a.rcx, INFO_PA);
	assert_int_equal(platform_mem_write(p, INFO_PA, ff, sizeof(ff)), TDXSIM_MEM_OK);
	assert_int_equal(sys_info(p, 0, INFO_PA, 1024, CMR_PA + 0x100, 32, &a), OPINV(R8));
	assert_int_equal(platform_mem_read(p, INFO_PA, b, sizeof(b)), TDXSIM_MEM_OK);
	for (unsigned i = 0; i < sizeof(b); i++)
		assert_int_equal(b[i], 0);            /* zeroed before the R8 check */
	assert_int_equal(sys_info(p, 0, INFO_PA, 1024, CMR_PA, 31, &a), OPINV(R9));
	assert_int_equal(sys_info(p, 0, INFO_PA, 4096, CMR_PA, 64, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, INFO_PA);
	assert_int_equal(a.rdx, 1024);
	assert_int_equal(a.r8, CMR_PA);
	assert_int_equal(a.r9, 32);
	assert_int_equal(platform_mem_read(p, INFO_PA, b, sizeof(b)), TDXSIM_MEM_OK);
	assert_int_equal(u64_at(b, 4, 4), 0x8086);
	assert_int_equal(rd(p, 0, MD_SYS_MAJOR_VERSION, &v, NULL), TDX_SUCCESS);
	assert_int_equal(u64_at(b, 16, 2), v);
	assert_int_equal(u64_at(b, 18, 1), 1);                /* use TDH.SYS.RD */
	assert_int_equal(u64_at(b, 32, 2), 64);               /* MAX_TDMRS */
	assert_int_equal(u64_at(b, 34, 2), 16);
	assert_int_equal(u64_at(b, 36, 2), 16);               /* PAMT entry */
	assert_int_equal(rd(p, 0, MD_SYS_ATTRIBUTES_FIXED0, &v, NULL), TDX_SUCCESS);
	assert_int_equal(u64_at(b, 64, 8), v);
	assert_int_equal(rd(p, 0, MD_SYS_XFAM_FIXED0, &v, NULL), TDX_SUCCESS);
	assert_int_equal(u64_at(b, 80, 8), v);
	assert_int_equal(u64_at(b, 128, 4), 12);              /* NUM_CPUID_CONFIG */
	assert_int_equal(rd(p, 0, MD_SYS_CPUID_CONFIG_LEAVES, &v, NULL), TDX_SUCCESS);
	assert_int_equal(u64_at(b, 132, 8), v);
	assert_int_equal(platform_mem_read(p, CMR_PA, cmr, sizeof(cmr)), TDXSIM_MEM_OK);
	for (unsigned i = 0; i < 32; i++) {
		assert_int_equal(u64_at(cmr, 16 * i, 8), i < c->n_cmrs ? c->cmrs[i].base : 0);
		assert_int_equal(u64_at(cmr, 16 * i + 8, 8), i < c->n_cmrs ? c->cmrs[i].size : 0);
	}
	/* Only version 0. */
	a = (struct tdx_module_args){ .rcx = INFO_PA, .rdx = 1024, .r8 = CMR_PA, .r9 = 32 };
	assert_int_equal(sc_on(p, 0, TDH_SYS_INFO | (1ULL << 16), &a), OPINV(RAX));
	platform_destroy(p);
}

/* ===================== TDH.SYS.KEY.CONFIG ===================== */

static struct platform *configured(struct tdmr_plan *b, unsigned pkgs, unsigned lps)
{
	struct platform *p = mk(pkgs, lps, 1, TDXSIM_PROFILE_1_5);

	sys_init_all(p);
	assert_int_equal(sc0(p, 0, TDH_SYS_KEY_CONFIG), TDX_SYS_KEY_CONFIG_NOT_PENDING);
	plan_and_write(p, b, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, b), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYSCONFIG_DONE);
	return p;
}

static void test_key_config_sequence(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = configured(&b, 2, 2);

	assert_int_equal(sc0(p, 0, TDH_SYS_KEY_CONFIG), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYSCONFIG_DONE);
	assert_int_equal(sc0(p, 0, TDH_SYS_KEY_CONFIG), 0x0000081500000000ULL);
	assert_int_equal(sc0(p, 1, TDH_SYS_KEY_CONFIG), 0x0000081500000000ULL);
	assert_int_equal(tdx_inspect_sys_state(p), SYSCONFIG_DONE);
	assert_int_equal(tdx_inspect_num_init_pkgs(p), 1);
	assert_int_equal(sc0(p, 3, TDH_SYS_KEY_CONFIG), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYS_READY);
	assert_int_equal(sc0(p, 2, TDH_SYS_KEY_CONFIG), TDX_SYS_KEY_CONFIG_NOT_PENDING);
	assert_int_equal(sc0(p, 0, TDH_SYS_KEY_CONFIG), TDX_SYS_KEY_CONFIG_NOT_PENDING);
	platform_destroy(p);
}

static void test_key_config_faults(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = configured(&b, 2, 1);

	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_PCONFIG_BUSY, 1), 0);
	assert_int_equal(sc0(p, 0, TDH_SYS_KEY_CONFIG),
			 tdx_status_with_operand(TDX_OPERAND_BUSY, 187));
	assert_int_equal(sc0(p, 0, TDH_SYS_KEY_CONFIG), TDX_SUCCESS);
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_KEYGEN, 1), 0);
	assert_int_equal(sc0(p, 1, TDH_SYS_KEY_CONFIG), TDX_KEY_GENERATION_FAILED);
	assert_int_equal(tdx_inspect_sys_state(p), SYSCONFIG_DONE);
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_GLOBAL_LOCK, 1), 0);
	assert_int_equal(sc0(p, 1, TDH_SYS_KEY_CONFIG), TDX_SYS_BUSY);
	assert_int_equal(sc0(p, 1, TDH_SYS_KEY_CONFIG), TDX_SUCCESS);
	assert_int_equal(tdx_inspect_sys_state(p), SYS_READY);
	platform_destroy(p);
}

/* ===================== TDH.SYS.TDMR.INIT ===================== */

static void test_tdmr_init_checks(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = mk(1, 1, 2, TDXSIM_PROFILE_1_5);
	uint64_t base;

	sys_init_all(p);
	plan_and_write(p, &b, TEST_ARRAY_PA);
	base = b.tdmr[0].info.tdmr_base;
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT, base), TDX_SYS_NOT_READY);
	assert_int_equal(do_config(p, &b), TDX_SUCCESS);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT, base), TDX_SYS_NOT_READY);
	key_config_all(p);

	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT, base + 0x1000), RCX_INVALID);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT, base + 2 * MiB), RCX_INVALID);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT, 64 * GiB), RCX_INVALID);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT,
				platform_pa_with_keyid(p, base, 1)), RCX_INVALID);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT, base | (1ULL << 52)), RCX_INVALID);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT, 1ULL << 63), RCX_INVALID);
	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_TDMR_LOCK, 1), 0);
	assert_int_equal(sc_rcx(p, 0, TDH_SYS_TDMR_INIT, base), RCX_BUSY);
	assert_int_equal(tdx_inspect_tdmr_last_initialized(p, 0), base);
	platform_destroy(p);
}

/* 2 GiB of RAM: one TDMR [0, 2G); steps of 4 MiB; RDMD usable per whole
 * initialised 1 GiB block. */
static void test_tdmr_init_steps_and_rdmd(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = mk(1, 1, 2, TDXSIM_PROFILE_1_5);
	const struct tdmr_info_entry *e;
	struct tdx_module_args a;
	uint64_t base, end;
	unsigned calls = 0;

	bring_to_ready(p, &b);
	e = &b.tdmr[0].info;
	base = e->tdmr_base;
	end = base + e->tdmr_size;
	assert_true(e->tdmr_size >= 2 * GiB);

	assert_int_equal(rdmd(p, base + 0x100000, &a), RCX_RANGE);
	for (calls = 1; calls <= 255; calls++) {
		memset(&a, 0, sizeof(a));
		a.rcx = base;
		a.rdx = 0xDEAD;
		assert_int_equal(sc_on(p, 0, TDH_SYS_TDMR_INIT, &a), TDX_SUCCESS);
		assert_int_equal(a.rdx, base);
		assert_int_equal(tdx_inspect_tdmr_last_initialized(p, 0), base + calls * 4 * MiB);
	}
	/* Block 0 partly initialised: not usable yet. */
	assert_int_equal(rdmd(p, base + 0x100000, &a), RCX_RANGE);
	assert_int_equal(rdmd(p, base + 0x101000, &a), RCX_RANGE);
	memset(&a, 0, sizeof(a));
	a.rcx = base;
	assert_int_equal(sc_on(p, 0, TDH_SYS_TDMR_INIT, &a), TDX_SUCCESS);
	assert_int_equal(a.rdx, base + GiB);
	assert_int_equal(rdmd(p, base + 0x100000, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, PT_NDA);
	assert_int_equal(a.r8, TDX_PS_4K);
	assert_int_equal(rdmd(p, base + GiB + 0x100000, &a), RCX_RANGE);

	while (1) {
		memset(&a, 0, sizeof(a));
		a.rcx = base;
		assert_int_equal(sc_on(p, 0, TDH_SYS_TDMR_INIT, &a), TDX_SUCCESS);
		calls++;
		assert_int_equal(a.rdx, tdx_inspect_tdmr_last_initialized(p, 0) & ~(GiB - 1));
		if (tdx_inspect_tdmr_last_initialized(p, 0) >= end)
			break;
		assert_true(calls < 10000);
	}
	assert_int_equal(calls, e->tdmr_size / (4 * MiB));
	assert_int_equal(a.rdx, end);
	memset(&a, 0, sizeof(a));
	a.rcx = base;
	a.rdx = 0x1234;
	assert_int_equal(sc_on(p, 0, TDH_SYS_TDMR_INIT, &a), TDX_TDMR_ALREADY_INITIALIZED);
	assert_int_equal(TDX_TDMR_ALREADY_INITIALIZED >> 63, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(rdmd(p, base + GiB + 0x100000, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, PT_NDA);
	platform_destroy(p);
}

static void test_rdmd(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);
	const struct tdmr_info_entry *e;
	struct tdx_module_args a;
	uint64_t base, end, pa;
	bool any_rsvd = false;

	bring_to_ready(p, &b);
	tdmr_init_all(p, &b);
	e = &b.tdmr[0].info;
	base = e->tdmr_base;
	end = base + e->tdmr_size;

	assert_int_equal(rdmd(p, 0x100800, &a), RCX_INVALID);
	assert_int_equal(rdmd(p, 0x100001, &a), RCX_INVALID);
	assert_int_equal(rdmd(p, platform_pa_with_keyid(p, 0x100000, 1), &a), RCX_INVALID);
	assert_int_equal(rdmd(p, platform_pa_with_keyid(p, 0x100000,
							platform_first_private_keyid(p)), &a),
			 RCX_INVALID);
	assert_int_equal(rdmd(p, 1ULL << 52, &a), RCX_INVALID);
	assert_int_equal(rdmd(p, end, &a), RCX_RANGE);
	assert_int_equal(rdmd(p, 16 * GiB, &a), RCX_RANGE);

	/* A normal page. */
	assert_int_equal(rdmd(p, 0x100000, &a), TDX_SUCCESS);
	assert_int_equal(a.rcx, PT_NDA);
	assert_int_equal(a.r8, TDX_PS_4K);

	/* Reserved areas (holes, the PAMT itself) read as PT_RSVD. */
	for (unsigned i = 0; i < TDX_MAX_RESERVED_AREAS; i++) {
		const struct tdmr_reserved_area *r = &e->rsvd_areas[i];

		if (!r->size)
			continue;
		any_rsvd = true;
		assert_int_equal(rdmd(p, base + r->offset, &a), TDX_SUCCESS);
		assert_int_equal(a.rcx, PT_RSVD);
		assert_int_equal(rdmd(p, base + r->offset + r->size - 4096, &a), TDX_SUCCESS);
		assert_int_equal(a.rcx, PT_RSVD);
	}
	assert_true(any_rsvd);
	pa = e->pamt_4k_base;
	if (pa >= base && pa < end) {
		assert_int_equal(rdmd(p, pa, &a), TDX_SUCCESS);
		assert_int_equal(a.rcx, PT_RSVD);
	}
	/* The [640K, 1M) hole. */
	if (base == 0) {
		assert_int_equal(rdmd(p, 0xA0000, &a), TDX_SUCCESS);
		assert_int_equal(a.rcx, PT_RSVD);
	}

	assert_int_equal(tdxsim_inject(p, TDXSIM_INJECT_PAMT_LOCK, 1), 0);
	assert_int_equal(rdmd(p, 0x100000, &a), RCX_BUSY);
	assert_int_equal(rdmd(p, 0x100000, &a), TDX_SUCCESS);
	platform_destroy(p);
}

/* ===================== TDH.SYS.RD ===================== */

static void test_sys_rd_needs_lp_init(void **state)
{
	struct platform *p = mk(1, 2, 1, TDXSIM_PROFILE_1_5);
	struct tdx_module_args a;

	vmxon_all(p);
	assert_int_equal(rd(p, 0, MD_SYS_MAX_TDMRS, NULL, NULL), TDX_SYS_LP_INIT_NOT_DONE);
	assert_int_equal(sc0(p, 0, TDH_SYS_INIT), TDX_SUCCESS);
	assert_int_equal(rd(p, 0, MD_SYS_MAX_TDMRS, NULL, NULL), TDX_SYS_LP_INIT_NOT_DONE);
	memset(&a, 0, sizeof(a));
	a.rdx = LIST_PA;
	assert_int_equal(sc_on(p, 0, TDH_SYS_RDALL, &a), TDX_SYS_LP_INIT_NOT_DONE);
	assert_int_equal(sc0(p, 0, TDH_SYS_LP_INIT), TDX_SUCCESS);
	assert_int_equal(rd(p, 0, MD_SYS_MAX_TDMRS, NULL, NULL), TDX_SUCCESS);
	assert_int_equal(rd(p, 1, MD_SYS_MAX_TDMRS, NULL, NULL), TDX_SYS_LP_INIT_NOT_DONE);
	platform_destroy(p);
}

static void test_sys_rd_null_id(void **state)
{
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);
	uint64_t v = 1, next = 0;

	sys_init_all(p);
	assert_int_equal(rd(p, 0, NULL_ID, &v, &next), TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	assert_int_equal(next, 0x0000000200000000ULL);
	assert_int_equal(v, 0);
	assert_int_equal(rd(p, 0, MD_FIELD_ID_NULL(MD_CTX_SYS), &v, &next),
			 TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	assert_int_equal(next, 0x0000000200000000ULL);
	assert_int_equal(MD_FIELD_ID_NULL(MD_CTX_SYS), ~(7ULL << 52));
	platform_destroy(p);
}

static void test_sys_rd_values(void **state)
{
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);
	const struct tdxsim_platform_config *c;

	sys_init_all(p);
	c = platform_config(p);
	assert_int_equal(rd_val(p, MD_SYS_MAX_TDMRS), 64);
	assert_int_equal(rd_val(p, MD_SYS_MAX_RESERVED_PER_TDMR), 16);
	assert_int_equal(rd_val(p, MD_SYS_PAMT_4K_ENTRY_SIZE), 16);
	assert_int_equal(rd_val(p, MD_SYS_PAMT_2M_ENTRY_SIZE), 16);
	assert_int_equal(rd_val(p, MD_SYS_PAMT_1G_ENTRY_SIZE), 16);
	assert_int_equal(rd_val(p, MD_SYS_NUM_CMRS), 32);
	assert_true(c->n_cmrs >= 1 && c->n_cmrs < 32);
	for (unsigned i = 0; i < c->n_cmrs; i++) {
		assert_int_equal(rd_val(p, MD_SYS_CMR_BASE + i), c->cmrs[i].base);
		assert_int_equal(rd_val(p, MD_SYS_CMR_SIZE + i), c->cmrs[i].size);
	}
	assert_int_equal(rd_val(p, MD_SYS_MINOR_VERSION), 5);
	assert_int_equal(rd_val(p, MD_SYS_MAJOR_VERSION), 1);
	assert_int_equal(rd_val(p, MD_SYS_VENDOR_ID), 0x8086);
	assert_true(rd_val(p, MD_SYS_TDX_FEATURES0) & TDX_FEATURES0_NO_RBP_MOD);
	assert_int_equal(rd_val(p, MD_SYS_NUM_PKGS), 1);
	assert_int_equal(rd_val(p, MD_SYS_NUM_CPUID_CONFIG), 12);
	assert_int_equal(rd_val(p, MD_SYS_ATTRIBUTES_FIXED0), 0x8000000070000001ULL);
	assert_int_equal(rd_val(p, MD_SYS_CONFIG_FLAGS_FIXED0), 0x7);
	/* Element size code ignored on single-element reads. */
	assert_int_equal(rd_val(p, (MD_SYS_MAX_TDMRS & ~(3ULL << 32)) | (3ULL << 32)), 64);
	assert_int_equal(rd_val(p, MD_SYS_MAX_TDMRS & ~(3ULL << 32)), 64);
	/* Context bits ignored (forced to SYS). */
	assert_int_equal(rd_val(p, MD_SYS_MAX_TDMRS | (1ULL << 52)), 64);
	platform_destroy(p);
}

static void test_sys_rd_bad_ids(void **state)
{
	static const unsigned rsvd_bits[] = { 24, 31, 47, 49, 55, 62 };
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);
	uint64_t v = 7, next = 0;

	sys_init_all(p);
	for (unsigned i = 0; i < sizeof(rsvd_bits) / sizeof(rsvd_bits[0]); i++) {
		assert_int_equal(rd(p, 0, MD_SYS_MAX_TDMRS | (1ULL << rsvd_bits[i]), &v, &next),
				 TDX_METADATA_FIELD_ID_INCORRECT);
		assert_int_equal(v, 0);
		assert_int_equal(next, NULL_ID);
	}
	assert_int_equal(rd(p, 0, MD_SYS_MAX_TDMRS | (1ULL << 34), NULL, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(rd(p, 0, MD_SYS_CMR_BASE | (31ULL << 34), NULL, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(rd(p, 0, MD_SYS_MAX_TDMRS | (1ULL << 38), NULL, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	/* Unknown field codes. */
	assert_int_equal(rd(p, 0, 0x9100000100000100ULL, NULL, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(rd(p, 0, MD_SYS_CMR_BASE + 32 + 0x1000, NULL, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	platform_destroy(p);
}

static void test_sys_rd_profile_fields(void **state)
{
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);

	sys_init_all(p);
	assert_true(rd_val(p, MD_SYS_TDX_FEATURES0) & TDX_FEATURES0_TOPOLOGY_ENUM);
	assert_int_equal(rd(p, 0, MD_SYS_MAX_VCPUS_PER_TD, NULL, NULL), TDX_SUCCESS);
	platform_destroy(p);

	p = mk(1, 1, 1, TDXSIM_PROFILE_1_5_01);
	sys_init_all(p);
	assert_false(rd_val(p, MD_SYS_TDX_FEATURES0) & TDX_FEATURES0_TOPOLOGY_ENUM);
	assert_true(rd_val(p, MD_SYS_TDX_FEATURES0) & TDX_FEATURES0_NO_RBP_MOD);
	assert_int_equal(rd(p, 0, MD_SYS_MAX_VCPUS_PER_TD, NULL, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	platform_destroy(p);
}

/* LOCAL_ATTESTATION follows the CPU's SEAMVERIFYREPORT, as the module
 * reads it from SEAMOPS capabilities at SYS.INIT; nothing else changes. */
static void test_sys_rd_features0_without_seamverifyreport(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);
	uint64_t with;

	sys_init_all(p);
	with = rd_val(p, MD_SYS_TDX_FEATURES0);
	platform_destroy(p);
	small_config(&c, 1, 1, 1, TDXSIM_PROFILE_1_5);
	c.seamverifyreport = false;
	p = machine_new(&c);
	vmxon_all(p);
	sys_init_all(p);
	assert_int_equal(rd_val(p, MD_SYS_TDX_FEATURES0),
			 with & ~TDX_FEATURES0_LOCAL_ATTESTATION);
	assert_true(with & TDX_FEATURES0_LOCAL_ATTESTATION);
	platform_destroy(p);
}

static void walk_chain(enum tdxsim_profile prof)
{
	struct platform *p = mk(1, 1, 1, prof);
	uint64_t id, next, v, last = 0;
	unsigned steps = 0;

	sys_init_all(p);
	assert_int_equal(rd(p, 0, NULL_ID, NULL, &id), TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	while (id != NULL_ID) {
		assert_int_equal(rd(p, 0, id, &v, &next), TDX_SUCCESS);
		if (prof == TDXSIM_PROFILE_1_5_01)
			assert_true(id != MD_SYS_MAX_VCPUS_PER_TD);
		last = id;
		id = next;
		assert_true(++steps < 1000);
	}
	assert_int_equal(last, 0xA200000300000006ULL);
	assert_true(steps > 100);
	platform_destroy(p);
}

static void test_sys_rd_walk_current(void **state) { walk_chain(TDXSIM_PROFILE_1_5); }
static void test_sys_rd_walk_strict(void **state) { walk_chain(TDXSIM_PROFILE_1_5_01); }

static void test_sys_rd_1_0(void **state)
{
	static struct tdmr_plan b;
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_0);
	struct tdx_module_args a;

	sys_init_all(p);
	assert_int_equal(rd(p, 0, MD_SYS_MAX_TDMRS, NULL, NULL), TDX_SYS_NOT_READY);
	memset(&a, 0, sizeof(a));
	a.rdx = LIST_PA;
	assert_int_equal(sc_on(p, 0, TDH_SYS_RDALL, &a), TDX_SYS_NOT_READY);
	plan_and_write(p, &b, TEST_ARRAY_PA);
	assert_int_equal(do_config(p, &b), TDX_SUCCESS);
	key_config_all(p);
	assert_int_equal(tdx_inspect_sys_state(p), SYS_READY);
	assert_int_equal(rd(p, 0, MD_SYS_MAX_TDMRS, NULL, NULL), RAX_INVALID);
	memset(&a, 0, sizeof(a));
	a.rdx = LIST_PA;
	assert_int_equal(sc_on(p, 0, TDH_SYS_RDALL, &a), RAX_INVALID);
	platform_destroy(p);
}

/* ===================== TDH.SYS.RDALL ===================== */

static uint64_t rdall(struct platform *p, uint64_t list_pa, uint64_t first, uint64_t *r8)
{
	struct tdx_module_args a;
	uint64_t st;

	memset(&a, 0, sizeof(a));
	a.rdx = list_pa;
	a.r8 = first;
	st = sc_on(p, 0, TDH_SYS_RDALL, &a);
	if (r8)
		*r8 = a.r8;
	return st;
}

static void test_rdall_bad_page(void **state)
{
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);

	sys_init_all(p);
	assert_int_equal(rdall(p, LIST_PA + 8, NULL_ID, NULL), RDX_INVALID);
	assert_int_equal(rdall(p, LIST_PA + 0x800, NULL_ID, NULL), RDX_INVALID);
	assert_int_equal(rdall(p, platform_pa_with_keyid(p, LIST_PA,
							 platform_first_private_keyid(p)),
			       NULL_ID, NULL), RDX_INVALID);
	assert_int_equal(rdall(p, 1ULL << 52, NULL_ID, NULL), RDX_INVALID);
	assert_int_equal(rdall(p, LIST_PA, 0x9100000100000100ULL, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	platform_destroy(p);
}

/* A start ID may be any field's first element; it must not be a later
 * element of a multi-element field, nor carry another element size. */
static void test_rdall_start_mid_entry(void **state)
{
	struct platform *p = mk(1, 1, 1, TDXSIM_PROFILE_1_5);
	uint64_t r8, hdr, first, v;
	uint8_t page[16];

	sys_init_all(p);
	assert_int_equal(rdall(p, LIST_PA, MD_SYS_CMR_BASE + 5, &r8), TDX_SUCCESS);
	assert_int_equal(r8, NULL_ID);
	assert_int_equal(platform_mem_read(p, LIST_PA + 8, page, 16), TDXSIM_MEM_OK);
	memcpy(&hdr, page, 8);
	memcpy(&first, page + 8, 8);
	assert_int_equal(hdr & 0xFFFFFF, (MD_SYS_CMR_BASE + 5) & 0xFFFFFF);
	assert_int_equal((hdr >> 38) & 0x1FF, 32 - 5 - 1);   /* fields 5..31 */
	assert_int_equal(rd(p, 0, MD_SYS_CMR_BASE + 5, &v, NULL), TDX_SUCCESS);
	assert_int_equal(first, v);
	assert_int_equal(rdall(p, LIST_PA, MD_SYS_CPUID_CONFIG_VALUES + 1, NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	assert_int_equal(rdall(p, LIST_PA, MD_SYS_CPUID_CONFIG_VALUES + 2, NULL),
			 TDX_SUCCESS);
	assert_int_equal(rdall(p, LIST_PA, MD_SYS_MAX_TDMRS | (3ULL << 32), NULL),
			 TDX_METADATA_FIELD_ID_INCORRECT);
	platform_destroy(p);
}

static void check_rdall(enum tdxsim_profile prof)
{
	struct platform *p = mk(1, 1, 1, prof);
	uint8_t page[4096];
	uint16_t size, nseq;
	uint64_t r8 = 0, total = 0;
	unsigned off = 8;

	sys_init_all(p);
	memset(page, 0xCC, sizeof(page));
	assert_int_equal(platform_mem_write(p, LIST_PA, page, sizeof(page)), TDXSIM_MEM_OK);
	assert_int_equal(rdall(p, LIST_PA, NULL_ID, &r8), TDX_SUCCESS);
	assert_int_equal(r8, NULL_ID);
	assert_int_equal(platform_mem_read(p, LIST_PA, page, sizeof(page)), TDXSIM_MEM_OK);
	memcpy(&size, page, 2);
	memcpy(&nseq, page + 2, 2);
	assert_int_equal(page[4] | page[5] | page[6] | page[7], 0);   /* u32 0 */
	assert_true(size <= 4096);
	assert_true(nseq > 0);
	for (unsigned s = 0; s < nseq; s++) {
		uint64_t hdr, base;
		unsigned le, lf, n;

		assert_true(off + 8 <= size);
		memcpy(&hdr, page + off, 8);
		off += 8;
		le = (hdr >> 34) & 0xF;
		lf = (hdr >> 38) & 0x1FF;
		n = (lf + 1) * (le + 1);
		base = hdr & ~((0xFULL << 34) | (0x1FFULL << 38) | (1ULL << 51));
		assert_true(off + 8 * n <= size);
		for (unsigned k = 0; k < n; k++) {
			uint64_t lv, v;

			memcpy(&lv, page + off, 8);
			off += 8;
			assert_int_equal(rd(p, 0, base + k, &v, NULL), TDX_SUCCESS);
			/* CPUID_CONFIG_VALUES past the 12 leaves: only element 0
			 * is written; element 1 keeps the page's bytes. */
			if (base + k >= MD_SYS_CPUID_CONFIG_VALUES + 2 * TDX_NUM_CPUID_CONFIG &&
			    base + k < MD_SYS_CPUID_CONFIG_VALUES + MD_SYS_CPUID_CONFIG_VALUES_NUM &&
			    (base + k - MD_SYS_CPUID_CONFIG_VALUES) % 2)
				v = 0xCCCCCCCCCCCCCCCCULL;
			if (lv != v)
				fail_msg("RDALL %llx[%u]: %llx, SYS.RD: %llx",
					 (unsigned long long)base, k,
					 (unsigned long long)lv, (unsigned long long)v);
			total++;
		}
	}
	assert_int_equal(off, size);
	assert_true(total > 100);
	platform_destroy(p);
}

static void test_rdall_current(void **state) { check_rdall(TDXSIM_PROFILE_1_5); }
static void test_rdall_strict(void **state) { check_rdall(TDXSIM_PROFILE_1_5_01); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sys_init_basic),
		cmocka_unit_test(test_sys_init_busy_and_entropy),
		cmocka_unit_test(test_sys_init_cpuid_max_leaf),
		cmocka_unit_test(test_sys_init_cpuid_max_ext_leaf),
		cmocka_unit_test(test_sys_init_tme_not_locked),
		cmocka_unit_test(test_sys_init_too_many_hkids),
		cmocka_unit_test(test_lp_init_order),
		cmocka_unit_test(test_lp_init_busy_and_entropy),
		cmocka_unit_test(test_lp_init_inconsistent_msr),
		cmocka_unit_test(test_lp_init_inconsistent_cpuid),
		cmocka_unit_test(test_lp_init_pkg_id_too_big),
		cmocka_unit_test(test_sys_info),
		cmocka_unit_test(test_sys_rd_fms_and_counts),
		cmocka_unit_test(test_lp_init_after_config_strict),
		cmocka_unit_test(test_lp_init_strict_config_needs_all),
		cmocka_unit_test(test_lp_init_late_current),
		cmocka_unit_test(test_key_config_sequence),
		cmocka_unit_test(test_key_config_faults),
		cmocka_unit_test(test_tdmr_init_checks),
		cmocka_unit_test(test_tdmr_init_steps_and_rdmd),
		cmocka_unit_test(test_rdmd),
		cmocka_unit_test(test_sys_rd_needs_lp_init),
		cmocka_unit_test(test_sys_rd_null_id),
		cmocka_unit_test(test_sys_rd_values),
		cmocka_unit_test(test_sys_rd_bad_ids),
		cmocka_unit_test(test_sys_rd_profile_fields),
		cmocka_unit_test(test_sys_rd_features0_without_seamverifyreport),
		cmocka_unit_test(test_sys_rd_walk_current),
		cmocka_unit_test(test_sys_rd_walk_strict),
		cmocka_unit_test(test_sys_rd_1_0),
		cmocka_unit_test(test_rdall_bad_page),
		cmocka_unit_test(test_rdall_start_mid_entry),
		cmocka_unit_test(test_rdall_current),
		cmocka_unit_test(test_rdall_strict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
