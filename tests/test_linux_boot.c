/* SPDX-License-Identifier: MIT */
/*
 * Linux in the loop (docs/linux.md): the kernel's own TDX host code
 * (the tree the build was configured with; Debian's 6.12 by default)
 * brings TDX up on the default platform, the example platforms and the
 * real machines' maps, and src/host/ (linux policy) builds the same
 * TDMRs, reserved areas and PAMTs and prints the same lines. Also: a
 * fresh kernel instance per boot, the unwind of a failed init (ledger
 * empty, later tdx_enable() refused), memory and CPU hotplug through the
 * kernel's own paths, and its machine-check helper.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers/machine.h"
#include "host/host.h"
#include "helpers/linux_compare.h"
#include "host/memmap_parse.h"

static void test_default_platform(void **state)
{
	struct tdxsim_platform_config c;

	tdxsim_config_default(&c);
	compare_with_host(&c, 262668);   /* what `tdxsim boot` prints */
}

static uint64_t ram_bytes(const struct tdxsim_platform_config *c)
{
	uint64_t n = 0;

	for (size_t i = 0; i < c->n_memmap; i++)
		if (c->memmap[i].type == TDXSIM_MEM_RAM)
			n += c->memmap[i].size;
	return n;
}

static void test_example_platforms(void **state)
{
	const char *src = getenv("TDXSIM_SOURCE_DIR");
	static struct tdxsim_platform_config c;
	char dir[1024], path[1400], err[256];
	struct dirent *d;
	unsigned booted = 0;
	DIR *dp;

	assert_non_null(src);
	snprintf(dir, sizeof(dir), "%s/examples/platforms", src);
	dp = opendir(dir);
	assert_non_null(dp);
	while ((d = readdir(dp))) {
		if (!strstr(d->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		assert_true(tdxsim_config_load_json(path, &c, err, sizeof(err)));
		assert_true(tdxsim_config_finish(&c, err, sizeof(err)));
		/* The 2 and 4 TiB machines make a million TDMR.INITs each way:
		 * too slow with the per-SEAMCALL invariant check of the test
		 * builds, which is off for them. hetero-lp has an LP whose VMX
		 * MSRs differ: the module refuses its LP.INIT, and both hosts
		 * stop there alike. */
		{
			struct fault big = { .no_invariants = ram_bytes(&c) > (512ULL << 30) };

			assert_int_equal(compare_faulted(&c, &big, 0),
					 strcmp(d->d_name, "hetero-lp.json") ? 0 : -EIO);
		}
		booted++;
	}
	closedir(dp);
	assert_true(booted >= 5);
}

/* The real machines' maps (../shared/data, copied under tests/data):
 * the 2-socket HPE /proc/iomem with legacy PMEM is a whole machine. */
static void test_real_machine_map(void **state)
{
	const char *src = getenv("TDXSIM_SOURCE_DIR");
	static struct tdxsim_platform_config c;
	char path[1024], err[256];

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/tests/data/memmaps/"
		 "01-intel-2s-hpe-proc-iomem-memmap-legacy-pmem.txt", src);
	assert_int_equal(memmap_load_file(path, MEMMAP_AUTO, &c, NULL, err, sizeof(err)), 0);
	compare_with_host(&c, 119028);
}

/* RAM up to 2 GiB: the top of node 0, where both hosts put the TDMR
 * array, was SEAMRR's [0x7E000000, 2G) once, and TDH.SYS.CONFIG refused
 * the array there; SEAMRR is outside every map's RAM now. */
static void test_ram_through_seamrr(void **state)
{
	static struct tdxsim_platform_config c;

	small_config(&c, 1, 2, 2, TDXSIM_PROFILE_1_5);
	compare_with_host(&c, 0);
}

/* A small machine's own RAM under the real CXL excerpts (03, and 04's
 * machine A), which hold only their CXL windows: the firmware marks
 * those soft reserved, so they are not in memblock when TDX comes up,
 * and dax/kmem onlines them later as hot-added memory. */
static const char base_ram[] =
	"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
	"BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
	"BIOS-e820: [mem 0x0000000100000000-0x000000047fffffff] usable\n";

/* base_ram, then the file's lines from the one starting with from (NULL:
 * the first) up to the one starting with to (NULL: the end). */
static char *excerpt(const char *file, const char *from, const char *to)
{
	const char *src = getenv("TDXSIM_SOURCE_DIR");
	char path[1024], *text = malloc(64 << 10), *out = malloc(80 << 10);
	char *a, *b;
	size_t n;
	FILE *f;

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/tests/data/memmaps/%s", src, file);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, (64 << 10) - 1, f);
	fclose(f);
	text[n] = '\0';
	a = from ? strstr(text, from) : text;
	assert_non_null(a);
	b = to ? strstr(a, to) : NULL;
	if (b)
		*b = '\0';
	snprintf(out, 80 << 10, "%s%s", base_ram, a);
	free(text);
	return out;
}

/* The real CXL machines: the kernel brings TDX up on the RAM the machine
 * booted with, as src/host does (same TDMRs, PAMT, log, SEAMCALLs), and
 * when each soft-reserved CXL window is onlined afterwards the kernel's
 * memory notifier refuses it (not TDX memory: a CMR never covers it),
 * as src/host's does. */
static void cxl_machine(const char *file, const char *from, const char *to,
			unsigned want_windows)
{
	static struct tdxsim_platform_config c;
	struct tdxsim_mem_range w[8];
	char *text = excerpt(file, from, to), err[256];
	unsigned n = 0;

	assert_int_equal(memmap_parse_text(text, strlen(text), file, MEMMAP_E820, &c,
					   NULL, err, sizeof(err)), 0);
	free(text);
	compare_with_host(&c, 0);
	for (size_t i = 0; i < c.n_memmap && n < 8; i++)
		if (c.memmap[i].type == TDXSIM_MEM_SOFT_RESERVED)
			w[n++] = c.memmap[i];
	assert_int_equal(n, want_windows);
	assert_int_equal(compare_memory_online(&c, w, n), n);
}

static void test_real_cxl_machines(void **state)
{
	const char *f4 = "04-intel-cxl-platform-e820-srat-iomem-and-fujitsu-rdma-server.txt";
	static struct tdxsim_platform_config c;
	char path[1024], err[256];

	cxl_machine("03-amd-cxl-2-expanders-e820-soft-reserved-cedt.txt", NULL, NULL, 2);
	cxl_machine(f4, "## (A)", "## (B)", 1);
	/* The file whole is two machines: refused where the second starts. */
	snprintf(path, sizeof(path), "%s/tests/data/memmaps/%s", getenv("TDXSIM_SOURCE_DIR"), f4);
	assert_int_equal(memmap_load_file(path, MEMMAP_AUTO, &c, NULL, err, sizeof(err)), 2);
	assert_non_null(strstr(err, ":29: range 0x180000000-0x1ffffffff is below the previous one"));
}

static size_t count_leaf(struct tdxsim_linux *l, uint64_t leaf)
{
	const struct tdxsim_linux_seamcall *s;
	size_t n = tdxsim_linux_seamcalls(l, &s), k = 0;

	for (size_t i = 0; i < n; i++)
		k += (s[i].fn & 0xffff) == leaf;
	return k;
}

/* Two boots in one program: the second kernel starts from scratch (it
 * logs its early-boot line and runs TDH.SYS.INIT itself, on its own
 * platform), while the first keeps its state (tdx_enable() again is 0
 * with no new SEAMCALL). */
static void test_fresh_instance_per_boot(void **state)
{
	struct tdxsim_platform_config c;
	struct lboot a, b;
	size_t calls_a;
	const struct tdxsim_linux_seamcall *s;

	tdxsim_config_default(&c);
	a = linux_boot(&c);
	assert_int_equal(a.ret, 0);
	b = linux_boot(&c);
	assert_int_equal(b.ret, 0);
	assert_int_equal(count_leaf(b.l, TDH_SYS_INIT), 1);
	assert_non_null(strstr(tdxsim_linux_log(b.l), "BIOS enabled: private KeyID range [32, 64)"));
	assert_non_null(strstr(tdxsim_linux_log(b.l), "module initialized"));
	calls_a = tdxsim_linux_seamcalls(a.l, &s);
	assert_int_equal(tdxsim_linux_tdx_enable(a.l), 0);
	assert_int_equal(tdxsim_linux_seamcalls(a.l, &s), calls_a);
	linux_done(&a);
	linux_done(&b);
}

/* TDH.SYS.CONFIG fails: the kernel's error lines, everything it took
 * freed, and a later tdx_enable() is -EINVAL without a SEAMCALL. */
static void test_config_failure_unwinds(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	struct tdxsim_linux *l;
	struct tdxsim_linux_options o = { 0 };
	struct tdxsim_linux_counts k;
	const struct tdxsim_linux_seamcall *s;
	char err[256];
	size_t n;

	tdxsim_config_default(&c);
	p = platform_create(&c, err, sizeof(err));
	assert_non_null(p);
	l = tdxsim_linux_create(p, &o, err, sizeof(err));
	assert_non_null(l);
	assert_int_equal(tdxsim_inject_status(p, TDH_SYS_CONFIG, TDXSIM_INJECT_ANY_LP, 1,
					      TDX_INVALID_TDMR), 0);
	tdxsim_linux_tdx_init(l);
	assert_int_equal(tdxsim_linux_kvm_bringup(l), -EIO);
	assert_non_null(strstr(tdxsim_linux_log(l),
		"virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a0000000000\n"
		"virt/tdx: module initialization failed (-5)\n"));
	tdxsim_linux_counts(l, &k);
	assert_int_equal(k.live_allocs, 0);
	assert_int_equal(k.live_bytes, 0);
	assert_true(k.allocs > 0);
	n = tdxsim_linux_seamcalls(l, &s);
	assert_int_equal(tdxsim_linux_tdx_enable(l), -EINVAL);
	assert_int_equal(tdxsim_linux_seamcalls(l, &s), n);
	tdxsim_linux_destroy(l);
	platform_destroy(p);
}

/* After init the kernel's notifier lets memory inside a TDX memory
 * block online and refuses memory outside every block. */
static void test_memory_hotplug_notifier(void **state)
{
	static struct tdxsim_platform_config c;
	struct lboot b;

	small_config(&c, 1, 2, 4, TDXSIM_PROFILE_1_5);
	b = linux_boot(&c);
	assert_int_equal(b.ret, 0);
	assert_int_equal(tdxsim_linux_memory_online(b.l, 1ULL << 30, 128ULL << 20, 0), 0);
	assert_int_equal(tdxsim_linux_memory_online(b.l, 64ULL << 30, 128ULL << 20, 0), -EPERM);
	linux_done(&b);
}

/* A CPU onlined after init: LP.INIT is accepted by the 1.5 profile. */
static void test_cpu_online_late(void **state)
{
	static struct tdxsim_platform_config c;
	struct fault lp3_off = { .offline_lps = 1u << 3 };
	struct lboot b;

	small_config(&c, 1, 4, 4, TDXSIM_PROFILE_1_5);
	b = linux_boot_faulted(&c, &lp3_off);
	assert_int_equal(b.ret, 0);
	assert_int_equal(count_leaf(b.l, TDH_SYS_LP_INIT), 3);
	assert_int_equal(tdxsim_linux_cpu_online(b.l, 3), 0);
	assert_true(platform_lp_online(b.p, 3));
	assert_int_equal(count_leaf(b.l, TDH_SYS_LP_INIT), 4);
	linux_done(&b);
}

struct onliner {
	struct tdxsim_linux *l;
	atomic_int done;
	int ret;
};

static void *online_lp3(void *arg)
{
	struct onliner *o = arg;

	o->ret = tdxsim_linux_cpu_online(o->l, 3);
	atomic_store(&o->done, 1);
	return NULL;
}

/* The kernel's CPU-hotplug lock is the platform's: while anyone else on
 * the machine reads it (here the test, as src/host's cpus_read_lock()
 * would), the kernel's CPU onlining waits, and it goes on once the lock
 * is free. A lock of the kernel instance's own would not wait. */
static void test_cpu_hotplug_lock_is_platforms(void **state)
{
	static struct tdxsim_platform_config c;
	struct fault lp3_off = { .offline_lps = 1u << 3 };
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	struct onliner o = { 0 };
	pthread_t t;
	struct lboot b;

	small_config(&c, 1, 4, 4, TDXSIM_PROFILE_1_5);
	b = linux_boot_faulted(&c, &lp3_off);
	assert_int_equal(b.ret, 0);
	o.l = b.l;
	platform_hotplug_lock(b.p, PLATFORM_CPU_HOTPLUG, false);
	assert_int_equal(pthread_create(&t, NULL, online_lp3, &o), 0);
	nanosleep(&pause, NULL);
	assert_int_equal(atomic_load(&o.done), 0);
	assert_false(platform_lp_online(b.p, 3));
	platform_hotplug_unlock(b.p, PLATFORM_CPU_HOTPLUG);
	pthread_join(t, NULL);
	assert_int_equal(o.ret, 0);
	assert_true(platform_lp_online(b.p, 3));
	/* And the kernel holds it while it works: nobody is in it now. */
	assert_true(platform_hotplug_trylock(b.p, PLATFORM_CPU_HOTPLUG, true));
	platform_hotplug_unlock(b.p, PLATFORM_CPU_HOTPLUG);
	linux_done(&b);
}

/* tdx_dump_mce_info(): a PAMT page is TDX private memory (PT_RSVD inside
 * a PAMT); an ordinary free page is not. */
static void test_mce_helper(void **state)
{
	struct tdxsim_platform_config c;
	const struct tdxsim_linux_tdmr *t;
	struct lboot b;

	tdxsim_config_default(&c);
	b = linux_boot(&c);
	assert_int_equal(b.ret, 0);
	assert_true(tdxsim_linux_tdmrs(b.l, &t) > 0);
	assert_string_equal(tdxsim_linux_mce_info(b.l, t[0].info.pamt_4k_base + 0x1000),
			    "TDX private memory error. Possible kernel bug.");
	assert_null(tdxsim_linux_mce_info(b.l, 0x40000000));
	/* A TD's page: TDH.MNG.CREATE makes a free page its TDR. */
	{
		struct tdx_module_args a = { .rcx = 0x40000000, .rdx = 33 };

		assert_int_equal(sc_on(b.p, 0, TDH_MNG_CREATE, &a), TDX_SUCCESS);
	}
	assert_string_equal(tdxsim_linux_mce_info(b.l, 0x40000000 + 0x80),
			    "TDX private memory error. Possible kernel bug.");
	linux_done(&b);
}

/* The kernel's lockdep assertion in tdx_enable() is a real check: a
 * caller without cpus_read_lock() is counted and logged, once per call. */
static void test_lockdep_assertion(void **state)
{
	struct tdxsim_platform_config c;
	struct tdxsim_linux_counts k;
	struct lboot b;

	tdxsim_config_default(&c);
	b = linux_boot(&c);
	assert_int_equal(b.ret, 0);
	tdxsim_linux_counts(b.l, &k);
	assert_int_equal(k.lockdep, 0);
	assert_int_equal(tdxsim_linux_tdx_enable_unlocked(b.l), 0);
	tdxsim_linux_counts(b.l, &k);
	assert_int_equal(k.lockdep, 1);
	assert_int_equal(k.warns, 0);
	assert_non_null(strstr(tdxsim_linux_log(b.l), "WARNING: CPU: 0 at tdx.c:"));
	assert_non_null(strstr(tdxsim_linux_log(b.l), ": lockdep: cpu_hotplug_lock not held\n"));
	assert_int_equal(tdxsim_linux_tdx_enable(b.l), 0);   /* with the lock: quiet */
	tdxsim_linux_counts(b.l, &k);
	assert_int_equal(k.lockdep, 1);
	linux_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_platform),
		cmocka_unit_test(test_example_platforms),
		cmocka_unit_test(test_real_machine_map),
		cmocka_unit_test(test_real_cxl_machines),
		cmocka_unit_test(test_ram_through_seamrr),
		cmocka_unit_test(test_fresh_instance_per_boot),
		cmocka_unit_test(test_config_failure_unwinds),
		cmocka_unit_test(test_memory_hotplug_notifier),
		cmocka_unit_test(test_cpu_online_late),
		cmocka_unit_test(test_cpu_hotplug_lock_is_platforms),
		cmocka_unit_test(test_mce_helper),
		cmocka_unit_test(test_lockdep_assertion),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
