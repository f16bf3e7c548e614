/* SPDX-License-Identifier: MIT */
/* Platform unit tests: sparse memory, KeyIDs, TD-owner bits and poison,
 * LPs (binding, VMX, on_lp), MSR/CPUID overrides, topology, config checks. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "helpers/machine.h"
#include "platform/platform_internal.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)

static struct platform *default_machine(void)
{
	struct tdxsim_platform_config c;

	tdxsim_config_default(&c);
	return machine_new(&c);
}

/* ---- sparse memory ---- */

static void test_sparse_untouched_reads_zero(void **state)
{
	struct platform *p = default_machine();
	uint64_t f0 = platform_mem_frames(p);
	uint8_t buf[256];

	memset(buf, 0xAA, sizeof(buf));
	assert_int_equal(platform_mem_read(p, 0x40000000ULL + 100, buf, sizeof(buf)),
			 TDXSIM_MEM_OK);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(platform_mem_frames(p), f0);
	platform_destroy(p);
}

static void test_sparse_write_one_frame(void **state)
{
	struct platform *p = default_machine();
	uint64_t f0 = platform_mem_frames(p);
	uint64_t v = 0x1122334455667788ULL, r = 0;

	assert_int_equal(platform_mem_write(p, 0x40000010ULL, &v, 8), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_frames(p), f0 + 1);
	assert_int_equal(platform_mem_read(p, 0x40000010ULL, &r, 8), TDXSIM_MEM_OK);
	assert_int_equal(r, v);
	/* A second write in the same frame adds nothing. */
	assert_int_equal(platform_mem_write(p, 0x40000F00ULL, &v, 8), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_frames(p), f0 + 1);
	platform_destroy(p);
}

static void test_sparse_zero_untouched(void **state)
{
	struct platform *p = default_machine();
	uint64_t f0 = platform_mem_frames(p);
	uint64_t b0 = platform_mem_host_bytes(p);

	assert_int_equal(platform_mem_zero(p, 0x41000000ULL, 64 * 4096), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_zero(p, 0x42000123ULL, 100), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_frames(p), f0);
	assert_int_equal(platform_mem_host_bytes(p), b0);
	platform_destroy(p);
}

static void test_sparse_1tib(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	uint64_t b0, b1, f0;
	uint8_t x = 0x5A;

	tdxsim_config_default(&c);
	c.packages = 4;
	c.n_memmap = 1;
	c.memmap[0] = (struct tdxsim_mem_range){ 0, TiB, TDXSIM_MEM_RAM, 0 };
	p = machine_new(&c);
	b0 = platform_mem_host_bytes(p);
	assert_true(b0 < MiB);
	/* Prime the radix tables for this region, then grow page by page. */
	assert_int_equal(platform_mem_write(p, 512 * GiB, &x, 1), TDXSIM_MEM_OK);
	b0 = platform_mem_host_bytes(p);
	f0 = platform_mem_frames(p);
	for (unsigned i = 1; i <= 16; i++)
		assert_int_equal(platform_mem_write(p, 512 * GiB + i * 4096ULL, &x, 1),
				 TDXSIM_MEM_OK);
	b1 = platform_mem_host_bytes(p);
	assert_int_equal(platform_mem_frames(p), f0 + 16);
	assert_true(b1 - b0 >= 16 * 4096);
	assert_true(b1 - b0 <= 16 * (4096 + 256));
	/* Touching the top of the 1 TiB stays small. */
	assert_int_equal(platform_mem_write(p, TiB - 1, &x, 1), TDXSIM_MEM_OK);
	assert_true(platform_mem_host_bytes(p) < 2 * MiB);
	platform_destroy(p);
}

static void test_cross_frame(void **state)
{
	struct platform *p = default_machine();
	uint64_t f0 = platform_mem_frames(p);
	uint8_t in[300], out[300], z[16];

	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(platform_mem_write(p, 0x50000000ULL - 150, in, sizeof(in)),
			 TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_frames(p), f0 + 2);
	assert_int_equal(platform_mem_read(p, 0x50000000ULL - 150, out, sizeof(out)),
			 TDXSIM_MEM_OK);
	assert_memory_equal(in, out, sizeof(in));
	/* Bytes around the write are still zero. */
	assert_int_equal(platform_mem_read(p, 0x50000000ULL + 150, z, sizeof(z)),
			 TDXSIM_MEM_OK);
	for (unsigned i = 0; i < sizeof(z); i++)
		assert_int_equal(z[i], 0);
	/* A read spanning three frames. */
	{
		static uint8_t big[3 * 4096];
		assert_int_equal(platform_mem_read(p, 0x50000000ULL - 4096 - 150,
						   big, sizeof(big)), TDXSIM_MEM_OK);
		assert_memory_equal(big + 4096, in, sizeof(in));
	}
	platform_destroy(p);
}

static void test_bad_addr(void **state)
{
	struct platform *p = default_machine();
	uint64_t f0 = platform_mem_frames(p);
	uint8_t b[8] = { 1 };

	assert_int_equal(platform_mem_read(p, 1ULL << 52, b, 8), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_write(p, 1ULL << 52, b, 8), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_write(p, 1ULL << 63 | 0x1000, b, 8),
			 TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_zero(p, (1ULL << 60), 8), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_frames(p), f0);
	platform_destroy(p);
}

/* ---- KeyIDs ---- */

static void test_keyids(void **state)
{
	struct platform *p = default_machine();
	uint64_t pa = 0x123456789000ULL & ((1ULL << 46) - 1);

	assert_int_equal(platform_keyid_shift(p), 46);
	assert_int_equal(platform_first_private_keyid(p), 32);
	for (uint32_t k = 0; k < 64; k++) {
		uint64_t kp = platform_pa_with_keyid(p, pa, k);

		assert_int_equal(kp, pa | ((uint64_t)k << 46));
		assert_int_equal(platform_pa_keyid(p, kp), k);
		assert_int_equal(platform_pa_strip(p, kp), pa);
	}
	/* Replacing a KeyID drops the old one. */
	assert_int_equal(platform_pa_keyid(p, platform_pa_with_keyid(p,
				platform_pa_with_keyid(p, pa, 63), 1)), 1);
	assert_int_equal(platform_pa_keyid(p, pa), 0);
	platform_destroy(p);
}

/* ---- TD-owner bits and poison ---- */

static void test_td_owner_and_poison(void **state)
{
	struct platform *p = default_machine();
	const uint64_t base = 0x60000000ULL;
	uint64_t priv = platform_pa_with_keyid(p, base, 32);
	uint64_t shrd = platform_pa_with_keyid(p, base, 1);
	uint8_t host[64], td[128], out[128], zero[128];

	memset(host, 0x11, sizeof(host));
	memset(td, 0x22, sizeof(td));
	memset(zero, 0, sizeof(zero));
	/* Line 0 host data, lines 1-2 TD data. */
	assert_int_equal(platform_mem_write(p, base, host, 64), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_write(p, priv + 64, td, 128), TDXSIM_MEM_OK);
	assert_false(platform_line_td_owned(p, base));
	assert_true(platform_line_td_owned(p, base + 64));
	assert_true(platform_line_td_owned(p, base + 128));
	assert_true(platform_line_td_owned(p, base + 191));
	assert_false(platform_line_td_owned(p, base + 192));
	assert_false(platform_line_td_owned(p, base + 4032));

	/* Shared reads: zeros for TD lines, data for the neighbour. */
	assert_int_equal(platform_mem_read(p, shrd + 64, out, 128), TDXSIM_MEM_OK);
	assert_memory_equal(out, zero, 128);
	assert_int_equal(platform_mem_read(p, base + 64, out, 128), TDXSIM_MEM_OK);
	assert_memory_equal(out, zero, 128);
	assert_int_equal(platform_mem_read(p, base, out, 64), TDXSIM_MEM_OK);
	assert_memory_equal(out, host, 64);
	/* A shared read spanning both kinds of line. */
	assert_int_equal(platform_mem_read(p, base + 32, out, 64), TDXSIM_MEM_OK);
	assert_memory_equal(out, host, 32);
	assert_memory_equal(out + 32, zero, 32);
	/* Private read returns the data. */
	assert_int_equal(platform_mem_read(p, priv + 64, out, 128), TDXSIM_MEM_OK);
	assert_memory_equal(out, td, 128);

	/* Shared write to line 1: TD bit cleared, line poisoned, line 2 intact. */
	assert_int_equal(platform_mem_write(p, base + 64 + 8, host, 8), TDXSIM_MEM_OK);
	assert_false(platform_line_td_owned(p, base + 64));
	assert_true(platform_line_poisoned(p, base + 64));
	assert_true(platform_line_td_owned(p, base + 128));
	assert_false(platform_line_poisoned(p, base + 128));
	assert_false(platform_line_poisoned(p, base));
	assert_false(platform_line_poisoned(p, base + 192));
	/* Private read of the poisoned line: machine check. */
	assert_int_equal(platform_mem_read(p, priv + 64, out, 8), TDXSIM_MEM_POISON);
	assert_int_equal(platform_mem_read(p, priv + 64, out, 128), TDXSIM_MEM_POISON);
	/* The other TD line still reads privately. */
	assert_int_equal(platform_mem_read(p, priv + 128, out, 64), TDXSIM_MEM_OK);
	assert_memory_equal(out, td, 64);
	/* A shared write to a non-TD line poisons nothing. */
	assert_int_equal(platform_mem_write(p, base + 192, host, 8), TDXSIM_MEM_OK);
	assert_false(platform_line_poisoned(p, base + 192));

	/* Private write clears poison and sets the TD bit again. */
	assert_int_equal(platform_mem_write(p, priv + 64, td, 64), TDXSIM_MEM_OK);
	assert_false(platform_line_poisoned(p, base + 64));
	assert_true(platform_line_td_owned(p, base + 64));
	assert_int_equal(platform_mem_read(p, priv + 64, out, 64), TDXSIM_MEM_OK);
	assert_memory_equal(out, td, 64);
	platform_destroy(p);
}

/* The per-LP keyhole cache: repeated lookups hit, a hit still marks the
 * page TD-owned for a private write, and a freed frame is never handed
 * out again (ASan would see the use after free). */
static void test_keyhole_cache(void **state)
{
	struct platform *p = default_machine();
	const uint64_t base = 0x61000000ULL;
	uint64_t priv = platform_pa_with_keyid(p, base, 32);
	struct keyhole_cache *kc = &p->lps[0].keyholes;
	uint64_t hits, gen, junk = 0x5A5A5A5A5A5A5A5AULL;
	uint8_t *w, *w2;
	const uint8_t *r;

	assert_int_equal(platform_bind(p, 0), 0);
	w = platform_keyhole_write(p, priv);
	assert_non_null(w);
	memset(w, 0x77, 4096);
	hits = kc->hits;
	w2 = platform_keyhole_write(p, priv + 0x800);
	assert_ptr_equal(w2, w);
	assert_int_equal(kc->hits, hits + 1);
	/* The same frame through another KeyID is another key. */
	r = platform_keyhole_read(p, platform_pa_with_keyid(p, base, 33));
	assert_ptr_equal(r, w);
	assert_int_equal(kc->hits, hits + 1);

	/* A host write poisons a line; the module's next write (a hit)
	 * owns the whole page again, as an uncached one would. */
	assert_int_equal(platform_mem_write(p, base + 64, &junk, 8), TDXSIM_MEM_OK);
	assert_true(platform_line_poisoned(p, base + 64));
	assert_ptr_equal(platform_keyhole_write(p, priv), w);
	assert_int_equal(kc->hits, hits + 2);
	assert_false(platform_line_poisoned(p, base + 64));
	assert_true(platform_line_td_owned(p, base + 64));

	/* Resetting the page to shared zeros frees its frame: the cached
	 * pointer must not come back. */
	gen = physmem_generation(p->mem);
	assert_int_equal(platform_mem_reset_lines(p, base, 4096), TDXSIM_MEM_OK);
	assert_true(physmem_generation(p->mem) != gen);
	r = platform_keyhole_read(p, priv);
	assert_non_null(r);
	for (unsigned i = 0; i < 4096; i++)
		assert_int_equal(r[i], 0);
	/* An absent frame is not cached: a write then materialises it. */
	hits = kc->hits;
	w = platform_keyhole_write(p, priv);
	assert_ptr_not_equal(w, r);
	assert_int_equal(kc->hits, hits);
	w[0] = 0x99;
	assert_int_equal(platform_keyhole_read(p, priv)[0], 0x99);
	assert_int_equal(kc->hits, hits + 1);
	platform_unbind(p);

	/* Off any LP the keyholes still work, uncached. */
	hits = kc->hits;
	assert_int_equal(platform_keyhole_read(p, priv)[0], 0x99);
	assert_int_equal(kc->hits, hits);
	platform_destroy(p);
}

/* Two pages whose lookups share a set both stay cached (a direct-mapped
 * cache missed on every alternation); a third one in the set evicts the
 * one filled first. */
static void test_keyhole_cache_ways(void **state)
{
	struct platform *p = default_machine();
	struct keyhole_cache *kc = &p->lps[0].keyholes;
	uint64_t pa[3], hits, misses;
	unsigned n = 0;

	pa[0] = platform_pa_with_keyid(p, 0x61000000ULL, 32);
	for (uint64_t off = 4096; n < 2 && off < (1ULL << 30); off += 4096) {
		uint64_t q = platform_pa_with_keyid(p, 0x61000000ULL + off, 32);

		if (keyhole_set_of(q) == keyhole_set_of(pa[0]))
			pa[++n] = q;
	}
	assert_int_equal(n, 2);
	assert_int_equal(platform_bind(p, 0), 0);
	assert_non_null(platform_keyhole_write(p, pa[0]));
	assert_non_null(platform_keyhole_write(p, pa[1]));
	hits = kc->hits;
	misses = kc->misses;
	for (int i = 0; i < 10; i++) {
		assert_non_null(platform_keyhole_write(p, pa[0]));
		assert_non_null(platform_keyhole_write(p, pa[1]));
	}
	assert_int_equal(kc->hits, hits + 20);
	assert_int_equal(kc->misses, misses);

	/* pa[1] was filled last: the third page pushes pa[0] out. */
	assert_non_null(platform_keyhole_write(p, pa[2]));
	assert_int_equal(kc->misses, misses + 1);
	assert_non_null(platform_keyhole_write(p, pa[1]));
	assert_int_equal(kc->misses, misses + 1);
	assert_non_null(platform_keyhole_write(p, pa[0]));
	assert_int_equal(kc->misses, misses + 2);
	platform_unbind(p);
	platform_destroy(p);
}

/* ---- LPs ---- */

static void test_bind_unbind(void **state)
{
	struct platform *p = default_machine();

	assert_int_equal(platform_current_lp(p), -1);
	assert_int_equal(platform_bind(p, 2), 0);
	assert_int_equal(platform_current_lp(p), 2);
	assert_int_equal(platform_bind(p, 3), 0);   /* moves */
	assert_int_equal(platform_current_lp(p), 3);
	platform_unbind(p);
	assert_int_equal(platform_current_lp(p), -1);
	assert_int_equal(platform_bind(p, 2), 0);   /* LP 2 was released */
	platform_unbind(p);
	assert_int_equal(platform_bind(p, 999), -EINVAL);

	assert_int_equal(platform_lp_set_online(p, 5, false), 0);
	assert_false(platform_lp_online(p, 5));
	assert_int_equal(platform_bind(p, 5), -ENODEV);
	assert_int_equal(platform_current_lp(p), -1);
	assert_int_equal(platform_lp_set_online(p, 5, true), 0);
	assert_int_equal(platform_bind(p, 5), 0);
	/* Own LP cannot be taken offline. */
	assert_int_equal(platform_lp_set_online(p, 5, false), -EBUSY);
	platform_unbind(p);
	assert_int_equal(platform_lp_set_online(p, 8, false), -EINVAL);
	assert_int_equal(platform_lp_set_online(p, 1000, true), -EINVAL);
	platform_destroy(p);
}

static void test_vmx(void **state)
{
	struct platform *p = default_machine();

	assert_int_equal(platform_vmxon(p), -EPERM);
	assert_int_equal(platform_vmxoff(p), -EPERM);
	assert_int_equal(platform_bind(p, 1), 0);
	assert_int_equal(platform_vmxoff(p), -EIO);
	assert_int_equal(platform_vmxon(p), 0);
	assert_true(platform_lp_in_vmx(p, 1));
	assert_false(platform_lp_in_vmx(p, 0));
	assert_int_equal(platform_vmxon(p), -EIO);
	platform_unbind(p);
	assert_true(platform_lp_in_vmx(p, 1));     /* VMX is LP state */
	assert_int_equal(platform_lp_set_online(p, 1, false), 0);
	assert_false(platform_lp_in_vmx(p, 1));
	assert_int_equal(platform_lp_set_online(p, 1, true), 0);
	assert_false(platform_lp_in_vmx(p, 1));
	assert_int_equal(platform_bind(p, 1), 0);
	assert_int_equal(platform_vmxon(p), 0);
	assert_int_equal(platform_vmxoff(p), 0);
	assert_false(platform_lp_in_vmx(p, 1));
	platform_unbind(p);
	platform_destroy(p);
}

struct where {
	struct platform *p;
	int seen;
};

static int record_lp(void *arg)
{
	struct where *w = arg;

	w->seen = platform_current_lp(w->p);
	return 42;
}

static void test_on_lp(void **state)
{
	struct platform *p = default_machine();
	struct where w = { p, -100 };

	/* Caller bound. */
	assert_int_equal(platform_bind(p, 0), 0);
	assert_int_equal(platform_on_lp(p, 3, record_lp, &w), 42);
	assert_int_equal(w.seen, 3);
	assert_int_equal(platform_current_lp(p), 0);
	/* Same LP. */
	assert_int_equal(platform_on_lp(p, 0, record_lp, &w), 42);
	assert_int_equal(w.seen, 0);
	assert_int_equal(platform_current_lp(p), 0);
	/* Offline target: -ENODEV, binding intact, fn not run. */
	assert_int_equal(platform_lp_set_online(p, 6, false), 0);
	w.seen = -100;
	assert_int_equal(platform_on_lp(p, 6, record_lp, &w), -ENODEV);
	assert_int_equal(w.seen, -100);
	assert_int_equal(platform_current_lp(p), 0);
	assert_int_equal(platform_on_lp(p, 77, record_lp, &w), -EINVAL);
	assert_int_equal(platform_current_lp(p), 0);
	platform_unbind(p);

	/* Caller unbound. */
	assert_int_equal(platform_on_lp(p, 5, record_lp, &w), 42);
	assert_int_equal(w.seen, 5);
	assert_int_equal(platform_current_lp(p), -1);
	assert_int_equal(platform_on_lp(p, 6, record_lp, &w), -ENODEV);
	assert_int_equal(platform_current_lp(p), -1);
	/* LP 5 was released: we can bind it. */
	assert_int_equal(platform_bind(p, 5), 0);
	platform_unbind(p);
	platform_destroy(p);
}

static atomic_int inside;
static atomic_int overlaps;

static int crit(void *arg)
{
	(void)arg;
	if (atomic_fetch_add(&inside, 1) + 1 != 1)
		atomic_fetch_add(&overlaps, 1);
	for (volatile int i = 0; i < 20; i++)
		;
	atomic_fetch_sub(&inside, 1);
	return 0;
}

struct thr {
	struct platform *p;
	int home;
	int errors;
};

static void *hammer(void *arg)
{
	struct thr *t = arg;

	if (t->home >= 0 && platform_bind(t->p, (unsigned)t->home) != 0)
		t->errors++;
	for (int i = 0; i < 2000; i++) {
		if (platform_on_lp(t->p, 0, crit, NULL) != 0)
			t->errors++;
		if (platform_current_lp(t->p) != t->home)
			t->errors++;
	}
	if (t->home >= 0)
		platform_unbind(t->p);
	return NULL;
}

static void test_on_lp_exclusive(void **state)
{
	struct platform *p = default_machine();
	struct thr t[3] = { { p, -1, 0 }, { p, -1, 0 }, { p, 2, 0 } };
	pthread_t th[3];

	atomic_store(&inside, 0);
	atomic_store(&overlaps, 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&th[i], NULL, hammer, &t[i]), 0);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&overlaps), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(t[i].errors, 0);
	platform_destroy(p);
}

/* ---- MSRs, CPUID, topology ---- */

static void test_overrides(void **state)
{
	struct tdxsim_platform_config c;
	struct tdxsim_lp_override *o;
	struct platform *p;
	uint32_t r[4];
	uint64_t v;

	tdxsim_config_default(&c);
	override_msr(&c, 3, 0x480, 0x00da040000000012ULL);
	o = &c.overrides[0];
	o->n_cpuid = 1;
	o->cpuid[0] = (struct tdxsim_cpuid_override){ 7, 0, 2, 0x12345678, 0, 0 };
	p = machine_new(&c);

	for (unsigned lp = 0; lp < platform_nr_lps(p); lp++) {
		assert_true(platform_rdmsr(p, lp, 0x480, &v));
		platform_cpuid(p, lp, 7, 0, r);
		if (lp == 3) {
			assert_int_equal(v, 0x00da040000000012ULL);
			assert_int_equal(r[1], 0x12345678);
		} else {
			assert_int_not_equal(v, 0x00da040000000012ULL);
			assert_int_not_equal(r[1], 0x12345678);
		}
	}
	/* Unimplemented MSR: #GP. */
	assert_false(platform_rdmsr(p, 0, 0xDEAD, &v));
	assert_false(platform_wrmsr(p, 0, 0xDEAD, 1));
	assert_true(platform_wrmsr(p, 3, 0x480, 7));
	assert_true(platform_rdmsr(p, 3, 0x480, &v));
	assert_int_equal(v, 7);
	platform_destroy(p);
}

/* Every MSR an LP lists holds its own value, per LP: the MSRs with a
 * fixed slot (STAR, DEBUGCTL, ...) and the hashed ones alike. An
 * override of a fixed-slot MSR lands in that slot. */
static bool layout_msr(uint32_t msr)
{
	return msr == MSR_IA32_TME_ACTIVATE || msr == MSR_IA32_MKTME_KEYID_PARTITIONING;
}

/* The KeyID layout's fields refuse a new value; TME_ACTIVATE's other
 * bits (lock, enable) take one. */
static void test_msr_keyid_layout(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	uint64_t tme, part, v;

	(void)state;
	tdxsim_config_default(&c);
	p = machine_new(&c);
	assert_true(platform_rdmsr(p, 1, MSR_IA32_TME_ACTIVATE, &tme));
	assert_true(platform_rdmsr(p, 1, MSR_IA32_MKTME_KEYID_PARTITIONING, &part));
	assert_int_equal((tme >> 32) & 0xF, c.keyid_bits);
	assert_false(platform_wrmsr(p, 1, MSR_IA32_TME_ACTIVATE, tme ^ (1ULL << 32)));
	assert_false(platform_wrmsr(p, 1, MSR_IA32_TME_ACTIVATE, tme | (0xFULL << 32)));
	assert_false(platform_wrmsr(p, 1, MSR_IA32_MKTME_KEYID_PARTITIONING, part + 1));
	assert_false(platform_wrmsr(p, 1, MSR_IA32_MKTME_KEYID_PARTITIONING, 0));
	assert_true(platform_wrmsr(p, 1, MSR_IA32_MKTME_KEYID_PARTITIONING, part));
	assert_true(platform_wrmsr(p, 1, MSR_IA32_TME_ACTIVATE, tme & ~3ULL));
	assert_true(platform_rdmsr(p, 1, MSR_IA32_TME_ACTIVATE, &v));
	assert_int_equal(v, tme & ~3ULL);
	assert_true(platform_rdmsr(p, 1, MSR_IA32_MKTME_KEYID_PARTITIONING, &v));
	assert_int_equal(v, part);
	platform_destroy(p);
}

static void test_msr_file(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	uint32_t msr;
	uint64_t v;
	unsigned n;

	(void)state;
	tdxsim_config_default(&c);
	override_msr(&c, 1, MSR_IA32_LSTAR, 0xFFFFFFFF81000000ULL);
	p = machine_new(&c);
	assert_true(platform_rdmsr(p, 1, MSR_IA32_LSTAR, &v));
	assert_int_equal(v, 0xFFFFFFFF81000000ULL);
	assert_true(platform_rdmsr(p, 0, MSR_IA32_LSTAR, &v));
	assert_int_not_equal(v, 0xFFFFFFFF81000000ULL);
	n = platform_lp_msr_count(p, 0);
	assert_true(n > 20);
	/* Every MSR takes any value, but for the KeyID layout (below). */
	for (unsigned lp = 0; lp < 2; lp++)
		for (unsigned i = 0; i < n; i++) {
			assert_true(platform_lp_msr_at(p, 0, i, &msr, &v));
			if (!layout_msr(msr))
				assert_true(platform_wrmsr(p, lp, msr, (uint64_t)lp << 32 | i));
		}
	for (unsigned lp = 0; lp < 2; lp++)
		for (unsigned i = 0; i < n; i++) {
			assert_true(platform_lp_msr_at(p, 0, i, &msr, &v));
			assert_true(platform_rdmsr(p, lp, msr, &v));
			if (!layout_msr(msr))
				assert_int_equal(v, (uint64_t)lp << 32 | i);
		}
	/* Listed exactly when readable: the low MSRs and the 0xC00000xx block
	 * (STAR, LSTAR, FMASK, KERNEL_GS_BASE, TSC_AUX). */
	for (uint32_t k = 0; k < 0x2000 + 0x200; k++) {
		uint32_t m = k < 0x2000 ? k : 0xC0000000u + (k - 0x2000);
		bool listed = false;

		for (unsigned i = 0; i < n && !listed; i++)
			listed = platform_lp_msr_at(p, 0, i, &msr, &v) && msr == m;
		assert_int_equal(platform_rdmsr(p, 0, m, &v), listed);
	}
	platform_destroy(p);
}

/* Every name the model gives parses back to its MSR, in any case; a
 * number or an unknown name does not parse. */
static void test_msr_names(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	unsigned named = 0;
	uint32_t msr, back;
	uint64_t v;

	(void)state;
	tdxsim_config_default(&c);
	p = machine_new(&c);
	for (unsigned i = 0; platform_lp_msr_at(p, 0, i, &msr, &v); i++) {
		const char *name = tdxsim_msr_name(msr);

		if (!strncmp(name, "MSR 0x", 6)) {
			assert_false(tdxsim_msr_parse(name, &back));
			continue;
		}
		named++;
		assert_true(tdxsim_msr_parse(name, &back));
		assert_int_equal(back, msr);
	}
	assert_true(named > 20);
	assert_true(tdxsim_msr_parse("ia32_tme_activate", &back));
	assert_int_equal(back, MSR_IA32_TME_ACTIVATE);
	assert_false(tdxsim_msr_parse("IA32_TME", &back));
	assert_false(tdxsim_msr_parse("0x982", &back));
	assert_false(tdxsim_msr_parse("", &back));
	platform_destroy(p);
}

static void check_x2apic(unsigned pkgs, unsigned lps)
{
	struct tdxsim_platform_config c;
	struct platform *p;

	small_config(&c, pkgs, lps, 2, TDXSIM_PROFILE_1_5);
	p = machine_new(&c);
	assert_int_equal(platform_nr_lps(p), pkgs * lps);
	assert_int_equal(platform_nr_packages(p), pkgs);
	for (unsigned lp = 0; lp < pkgs * lps; lp++) {
		uint32_t r[4], id = platform_lp_x2apic_id(p, lp);
		unsigned shift;

		assert_int_equal(platform_lp_package(p, lp), lp / lps);
		platform_cpuid(p, lp, 0x1F, 1, r);
		assert_int_equal((r[2] >> 8) & 0xff, 2);   /* core level */
		shift = r[0] & 0x1f;
		assert_int_equal(r[3], id);
		assert_int_equal(id >> shift, lp / lps);
		for (unsigned o = 0; o < lp; o++)
			assert_int_not_equal(platform_lp_x2apic_id(p, o), id);
	}
	platform_destroy(p);
}

static void test_x2apic(void **state)
{
	check_x2apic(2, 4);
	check_x2apic(3, 3);
	check_x2apic(4, 1);
	check_x2apic(2, 6);
}

/* ---- configuration checks ---- */

/* SEAMRR is the top 32 MiB below the KeyID bits (the module reads it
 * from the LP's SEAMRR MSRs); memory there is refused. */
static void test_config_seamrr(void **state)
{
	struct tdxsim_platform_config c;
	struct platform *p;
	uint64_t base, mask;
	char err[256];

	small_config(&c, 1, 2, 2, TDXSIM_PROFILE_1_5);
	assert_int_equal(tdxsim_seamrr_base(&c), (1ULL << 46) - (32ULL << 20));
	p = machine_new(&c);
	assert_true(platform_rdmsr(p, 1, MSR_IA32_SEAMRR_PHYS_BASE, &base));
	assert_true(platform_rdmsr(p, 1, MSR_IA32_SEAMRR_PHYS_MASK, &mask));
	assert_int_equal(base, tdxsim_seamrr_base(&c));
	assert_int_equal(mask & ((1ULL << 46) - 1) & ~0xFFFULL, (1ULL << 46) - (32ULL << 20));
	platform_destroy(p);
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){
		tdxsim_seamrr_base(&c) - (1ULL << 30), (1ULL << 30) + 4096, TDXSIM_MEM_RAM, 0 };
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));
	assert_non_null(strstr(err, "reaches SEAMRR"));
	/* Reserved memory may sit there (a BIOS reports SEAMRR so). */
	c.memmap[c.n_memmap - 1].type = TDXSIM_MEM_RESERVED;
	assert_true(tdxsim_config_finish(&c, err, sizeof(err)));
}

/* More RAM ranges than a BIOS has CMRs: the smallest hole between two
 * CMRs joins them until 32 remain; the RAM itself is left as it is. */
static void test_config_merges_smallest_holes(void **state)
{
	struct tdxsim_platform_config c;
	char err[256];

	small_config(&c, 1, 2, 1, TDXSIM_PROFILE_1_5);
	c.n_memmap = 0;
	/* 34 RAM ranges of 1 MiB every 4 MiB from 4 GiB, but the holes
	 * after ranges 9 and 19 are 1 MiB smaller. */
	for (unsigned i = 0, at = 0; i < 34; i++) {
		c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){
			(4ULL << 30) + ((uint64_t)at << 20), 1ULL << 20, TDXSIM_MEM_RAM, 0 };
		at += (i == 9 || i == 19) ? 3 : 4;
	}
	assert_true(tdxsim_config_finish(&c, err, sizeof(err)));
	assert_int_equal(c.n_memmap, 34);
	assert_int_equal(c.n_cmrs, 32);
	/* CMR 9 is ranges 9 and 10, CMR 18 ranges 19 and 20. */
	assert_int_equal(c.cmrs[9].base, c.memmap[9].base);
	assert_int_equal(c.cmrs[9].base + c.cmrs[9].size, c.memmap[10].base + c.memmap[10].size);
	assert_int_equal(c.cmrs[18].base, c.memmap[19].base);
	assert_int_equal(c.cmrs[18].base + c.cmrs[18].size, c.memmap[20].base + c.memmap[20].size);
	assert_int_equal(c.cmrs[31].base, c.memmap[33].base);
}

static void test_config_checks(void **state)
{
	struct tdxsim_platform_config c;
	char err[256];

	tdxsim_config_default(&c);
	assert_true(tdxsim_config_finish(&c, err, sizeof(err)));

	tdxsim_config_default(&c);
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){
		33 * GiB, 2 * GiB, TDXSIM_MEM_RAM, 0 };
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));
	assert_non_null(strstr(err, "overlap"));

	tdxsim_config_default(&c);
	c.memmap[8].node = 2;
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));

	tdxsim_config_default(&c);
	c.packages = 0;
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));

	/* The module's MAX_PKGS is 8: LP.INIT refuses package ID 8 and up,
	 * so a 9-package platform could never bring TDX up. 8 are fine. */
	tdxsim_config_default(&c);
	c.packages = 8;
	c.lps_per_package = 1;
	assert_true(tdxsim_config_finish(&c, err, sizeof(err)));
	c.packages = 9;
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));
	assert_string_equal(err, "packages must be 1..8, not 9: the TDX module "
			    "supports at most 8 packages (MAX_PKGS)");
	c.packages = 16;
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));

	tdxsim_config_default(&c);
	c.tdx_keyids = 33;         /* 31 + 33 + 1 = 65 > 64 */
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));
	tdxsim_config_default(&c);
	c.keyid_bits = 5;
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));

	tdxsim_config_default(&c);
	c.cmrs_explicit = true;
	c.n_cmrs = 1;
	c.cmrs[0] = (struct tdxsim_cmr){ 0x100800, 0x100000 };
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));
	c.cmrs[0] = (struct tdxsim_cmr){ 0x100000, 0x100800 };
	assert_false(tdxsim_config_finish(&c, err, sizeof(err)));
	c.cmrs[0] = (struct tdxsim_cmr){ 0x100000, 0x100000 };
	assert_true(tdxsim_config_finish(&c, err, sizeof(err)));
	assert_int_equal(c.n_cmrs, 1);
}

static void test_derive_cmrs(void **state)
{
	struct tdxsim_platform_config c;
	struct tdxsim_cmr cmr[TDXSIM_MAX_CMRS];
	char err[256];
	size_t n;

	memset(&c, 0, sizeof(c));
	c.packages = 2;
	c.n_memmap = 0;
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ 0, 0x9F000, TDXSIM_MEM_RAM, 0 };
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ 0x9F000, 0x61000, TDXSIM_MEM_RESERVED, 0 };
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ MiB, 2 * GiB - MiB, TDXSIM_MEM_RAM, 0 };
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ 2 * GiB, 2 * GiB, TDXSIM_MEM_RAM, 1 };
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ 4 * GiB, GiB, TDXSIM_MEM_PMEM_LEGACY, 1 };
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ 5 * GiB, GiB, TDXSIM_MEM_RAM, 1 };
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ 6 * GiB, GiB, TDXSIM_MEM_ACPI, 1 };
	c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){ 7 * GiB, GiB, TDXSIM_MEM_RAM, 1 };
	n = tdxsim_derive_cmrs(&c, cmr, TDXSIM_MAX_CMRS);
	assert_int_equal(n, 3);
	assert_int_equal(cmr[0].base, MiB);
	assert_int_equal(cmr[0].size, 4 * GiB - MiB);
	assert_int_equal(cmr[1].base, 5 * GiB);
	assert_int_equal(cmr[1].size, GiB);
	assert_int_equal(cmr[2].base, 7 * GiB);
	assert_int_equal(cmr[2].size, GiB);
	/* With room for two, two are written and the true count returned. */
	memset(cmr, 0, sizeof(cmr));
	assert_int_equal(tdxsim_derive_cmrs(&c, cmr, 2), 3);
	assert_int_equal(cmr[1].base, 5 * GiB);
	assert_int_equal(cmr[2].base, 0);

	/* More than 32 CMRs cannot be reported: two holes are taken in,
	 * the first two of the equal ones (test_config_merges_smallest_holes). */
	c.n_memmap = 0;
	for (unsigned i = 0; i < 33; i++)
		c.memmap[c.n_memmap++] = (struct tdxsim_mem_range){
			(uint64_t)(2 * i + 1) * GiB, GiB, TDXSIM_MEM_RAM, 0 };
	c.pa_width = 52;
	c.lps_per_package = 1;
	c.mktme_keyids = 31;
	c.tdx_keyids = 32;
	assert_true(tdxsim_config_finish(&c, err, sizeof(err)));
	assert_int_equal(c.n_cmrs, 32);
	assert_int_equal(c.cmrs[0].base, GiB);
	assert_int_equal(c.cmrs[0].size, 3 * GiB);

	/* The default platform: first CMR starts at 1 MiB, none in PMEM. */
	tdxsim_config_default(&c);
	assert_true(tdxsim_config_finish(&c, err, sizeof(err)));
	assert_true(c.n_cmrs >= 1);
	assert_int_equal(c.cmrs[0].base, MiB);
	for (size_t i = 0; i < c.n_cmrs; i++)
		assert_true(c.cmrs[i].base + c.cmrs[i].size <= 66 * GiB);
	assert_int_equal(c.cmrs[c.n_cmrs - 1].base + c.cmrs[c.n_cmrs - 1].size, 66 * GiB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sparse_untouched_reads_zero),
		cmocka_unit_test(test_sparse_write_one_frame),
		cmocka_unit_test(test_sparse_zero_untouched),
		cmocka_unit_test(test_sparse_1tib),
		cmocka_unit_test(test_cross_frame),
		cmocka_unit_test(test_bad_addr),
		cmocka_unit_test(test_keyids),
		cmocka_unit_test(test_td_owner_and_poison),
		cmocka_unit_test(test_keyhole_cache),
		cmocka_unit_test(test_keyhole_cache_ways),
		cmocka_unit_test(test_bind_unbind),
		cmocka_unit_test(test_vmx),
		cmocka_unit_test(test_on_lp),
		cmocka_unit_test(test_on_lp_exclusive),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_msr_file),
		cmocka_unit_test(test_msr_names),
		cmocka_unit_test(test_msr_keyid_layout),
		cmocka_unit_test(test_x2apic),
		cmocka_unit_test(test_config_seamrr),
		cmocka_unit_test(test_config_merges_smallest_holes),
		cmocka_unit_test(test_config_checks),
		cmocka_unit_test(test_derive_cmrs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
