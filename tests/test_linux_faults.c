/* SPDX-License-Identifier: MIT */
/*
 * Linux in the loop, differential (docs/linux.md): the kernel's own TDX
 * host code and src/host/ (following 6.12) on the same platform with the
 * same fault, compared in everything (tests/helpers/linux_compare.c):
 *  - every SEAMCALL the kernel's init makes, failed in turn, and the
 *    module's own failures (no entropy, key generation, busy PCONFIG);
 *  - 1,000 random memory maps, up to 4 TiB, with TDH.SYS.CONFIG failing
 *    so that the plans are compared without initialising their PAMTs,
 *    and 40 small ones booted all the way;
 *  - a 1.5.01 module with a CPU offline at init.
 */
#include <errno.h>
#include <string.h>

#include "helpers/linux_compare.h"
#include "helpers/random_map.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

/* Two packages of two LPs; RAM on both nodes with a hole, so init makes
 * two TDMRs, two KEY.CONFIGs and four LP.INITs. */
static void sweep_config(struct tdxsim_platform_config *c)
{
	small_config(c, 2, 2, 1, TDXSIM_PROFILE_1_5);
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){ 2 * GiB, GiB, TDXSIM_MEM_RAM, 1 };
}

static size_t nth_of(const struct tdxsim_linux_seamcall *s, size_t i)
{
	size_t k = 1;

	for (size_t j = 0; j < i; j++)
		k += (s[j].fn & 0xffff) == (s[i].fn & 0xffff);
	return k;
}

static size_t count_of(const struct tdxsim_linux_seamcall *s, size_t n, uint64_t leaf)
{
	size_t k = 0;

	for (size_t j = 0; j < n; j++)
		k += (s[j].fn & 0xffff) == leaf;
	return k;
}

/* Each SEAMCALL of a clean init fails in turn, every TDMR.INIT too, with
 * a status the kernel only reports: both hosts log the same lines, unwind
 * the same way (PAMTs reset, nothing left allocated), and refuse a second
 * tdx_enable() alike. */
static void test_every_seamcall_fails(void **state)
{
	static struct tdxsim_platform_config c;
	const struct tdxsim_linux_seamcall *s;
	struct lboot clean;
	size_t n, swept = 0, tdmr_inits;

	sweep_config(&c);
	clean = linux_boot(&c);
	assert_int_equal(clean.ret, 0);
	n = tdxsim_linux_seamcalls(clean.l, &s);
	tdmr_inits = count_of(s, n, TDH_SYS_TDMR_INIT);
	for (size_t i = 0; i < n; i++) {
		uint64_t leaf = s[i].fn & 0xffff;
		size_t k = nth_of(s, i);
		struct fault f = { .leaf = leaf, .nth = (unsigned)k,
				   .status = TDX_OPERAND_INVALID | 0x2 };

		assert_int_equal(compare_faulted(&c, &f, 0), -EIO);
		swept++;
	}
	/* SYS.INIT, 4 LP.INIT, 5 SYS.RD, CONFIG, 2 KEY.CONFIG, and every
	 * TDMR.INIT: 256 for each of the two 1 GiB TDMRs. */
	assert_int_equal(tdmr_inits, 512);
	assert_int_equal(swept, 13 + 512);
	linux_done(&clean);
}

/* The module's own failures. RDRAND: sc_retry() tries ten times, so nine
 * empty reads are survived and ten are not. */
static void test_module_failures(void **state)
{
	static struct tdxsim_platform_config c;
	static const struct { enum tdxsim_inject kind; unsigned count; int ret; } cases[] = {
		{ TDXSIM_INJECT_RDRAND, 9, 0 },
		{ TDXSIM_INJECT_RDRAND, 10, -EIO },
		{ TDXSIM_INJECT_KEYGEN, 1, -EIO },
		{ TDXSIM_INJECT_PCONFIG_BUSY, 1, -EIO },
		{ TDXSIM_INJECT_GLOBAL_LOCK, 1, -EIO },
	};

	sweep_config(&c);
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fault f = { .kind = cases[i].kind, .count = cases[i].count };

		assert_int_equal(compare_faulted(&c, &f, 0), cases[i].ret);
	}
}

static void config_from_map(struct tdxsim_platform_config *c, const struct tdx_memlist *l)
{
	char err[256];

	tdxsim_config_default(c);
	c->packages = 4;
	c->lps_per_package = 1;
	c->n_memmap = 0;
	for (size_t i = 0; i < l->n; i++)
		c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){
			l->b[i].start, l->b[i].end - l->b[i].start, TDXSIM_MEM_RAM, l->b[i].node };
	/* More RAM ranges than a BIOS has CMRs: one CMR over all of them. */
	if (tdxsim_derive_cmrs(c, NULL, 0) > TDX_MAX_CMR) {
		c->cmrs_explicit = true;
		c->n_cmrs = 1;
		c->cmrs[0] = (struct tdxsim_cmr){ c->memmap[0].base,
			c->memmap[c->n_memmap - 1].base + c->memmap[c->n_memmap - 1].size -
			c->memmap[0].base };
	}
	if (!tdxsim_config_finish(c, err, sizeof(err)))
		fail_msg("random map: %s", err);
}

/* 1,000 maps of up to 4 TiB: TDH.SYS.CONFIG fails on both, so the plans
 * (or their -ENOSPC / -ENOMEM) are compared without a million
 * TDMR.INITs; then 40 maps of up to 4 GiB boot all the way. */
static void test_random_maps(void **state)
{
	static struct tdxsim_platform_config c;
	static struct tdx_memlist l;
	uint64_t seed = 0x11A7C0DE5EEDULL;
	unsigned planned = 0, refused = 0, booted = 0;
	struct fault f = { .leaf = TDH_SYS_CONFIG, .nth = 1, .status = TDX_INVALID_TDMR };

	for (unsigned m = 0; m < 1000; m++) {
		int ret;

		random_map(&seed, &l, 4096);
		config_from_map(&c, &l);
		ret = compare_faulted(&c, &f, 0);
		assert_true(ret == -EIO || ret == -ENOSPC || ret == -ENOMEM);
		planned += ret == -EIO;
		refused += ret != -EIO;
	}
	for (unsigned m = 0; m < 40; m++) {
		random_map(&seed, &l, 4);
		config_from_map(&c, &l);
		booted += compare_faulted(&c, NULL, 0) == 0;
	}
	print_message("random maps: %u planned and handed to CONFIG, %u refused by both "
		      "planners, %u of 40 small maps booted\n", planned, refused, booted);
	assert_true(planned > 400);
	assert_true(refused > 0);
	assert_true(booted > 30);
}

/* A 1.5.01 module configures only once every LP has run LP.INIT: with a
 * CPU offline at init both hosts fail at TDH.SYS.CONFIG alike. The CPU
 * onlined afterwards still gets LP.INIT (CONFIG never happened), but the
 * kernel's module status is ERROR for good: tdx_enable() is -EINVAL. */
static void test_cpu_offline_at_init_1_5_01(void **state)
{
	static struct tdxsim_platform_config c;
	struct fault lp3_off = { .offline_lps = 1u << 3 };
	const struct tdxsim_linux_seamcall *s;
	struct lboot b;
	size_t n;

	small_config(&c, 1, 4, 4, TDXSIM_PROFILE_1_5_01);
	b = linux_boot(&c);   /* all online: the 1.5.01 module comes up */
	assert_int_equal(b.ret, 0);
	linux_done(&b);
	assert_int_equal(compare_faulted(&c, &lp3_off, 0), -EIO);
	b = linux_boot_faulted(&c, &lp3_off);
	assert_int_equal(b.ret, -EIO);
	assert_non_null(strstr(tdxsim_linux_log(b.l),
		"virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc000050c00000000\n"
		"virt/tdx: module initialization failed (-5)\n"));
	n = tdxsim_linux_seamcalls(b.l, &s);
	assert_int_equal(tdxsim_linux_cpu_online(b.l, 3), 0);
	assert_true(platform_lp_online(b.p, 3));
	assert_int_equal(tdxsim_linux_seamcalls(b.l, &s), n + 1);
	assert_int_equal(s[n].fn, TDH_SYS_LP_INIT);
	assert_int_equal(s[n].cpu, 3);
	assert_int_equal(s[n].status, TDX_SUCCESS);
	assert_int_equal(tdxsim_linux_tdx_enable(b.l), -EINVAL);
	linux_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_seamcall_fails),
		cmocka_unit_test(test_module_failures),
		cmocka_unit_test(test_random_maps),
		cmocka_unit_test(test_cpu_offline_at_init_1_5_01),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
