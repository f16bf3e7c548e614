/* SPDX-License-Identifier: MIT */
/* Sparse memory internals: pattern sharing stays exact and cheap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "platform/physmem.h"

#define MiB (1ULL << 20)

static const uint8_t pat[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void assert_frame_is(const struct physmem *m, uint64_t pa, const uint8_t p[16],
			    bool td)
{
	const struct frame *f = physmem_peek(m, pa);

	assert_non_null(f);
	for (unsigned i = 0; i < 4096; i += 16)
		assert_memory_equal(f->data + i, p, 16);
	assert_true(atomic_load(&f->td_bits) == (td ? ~0ULL : 0));
}

/* 64 MiB filled 16 KiB at a time, as TDMR.INIT does: two whole leaf
 * tables collapse to the shared one, so the cost is a few tables. */
static void test_chunked_fill_collapses(void **state)
{
	struct physmem *m = physmem_create(46);
	uint64_t base = 1ULL << 32, empty = physmem_host_bytes(m);

	for (uint64_t pa = base; pa < base + 64 * MiB; pa += 16384)
		physmem_fill_pattern(m, pa, 16384, pat, true);
	for (uint64_t pa = base; pa < base + 64 * MiB; pa += 4096 * 97)
		assert_frame_is(m, pa, pat, true);
	assert_frame_is(m, base + 64 * MiB - 4096, pat, true);
	assert_int_equal(physmem_frames(m), 0);
	/* One mid table (64 KiB) and no leaf table of its own. */
	assert_int_equal(physmem_host_bytes(m) - empty, 8192 * sizeof(void *));
	physmem_destroy(m);
}

/* Writing into a collapsed leaf copies it; the neighbours still hold
 * the pattern and the written frame alone changes. */
static void test_write_into_shared_leaf(void **state)
{
	struct physmem *m = physmem_create(46);
	uint64_t base = 1ULL << 32, pa = base + 5 * MiB;
	struct frame *f;

	physmem_fill_pattern(m, base, 32 * MiB, pat, true);
	f = physmem_touch(m, pa);
	memset(f->data, 0xAB, 64);
	assert_int_equal(physmem_frames(m), 1);
	assert_int_equal(physmem_peek(m, pa)->data[0], 0xAB);
	assert_memory_equal(physmem_peek(m, pa)->data + 64, pat, 16);
	assert_frame_is(m, pa - 4096, pat, true);
	assert_frame_is(m, pa + 4096, pat, true);
	physmem_discard(m, base, 32 * MiB);
	assert_null(physmem_peek(m, pa));
	assert_null(physmem_peek(m, pa + 4096));
	assert_int_equal(physmem_frames(m), 0);
	physmem_destroy(m);
}

/* A table written 32 bytes at a time (the PAMT's 2M entries) becomes the
 * shared frame when its last piece lands, and stays exact. */
static void test_piecewise_frame_shares(void **state)
{
	struct physmem *m = physmem_create(46);
	uint64_t base = 1ULL << 33;

	for (uint64_t pa = base; pa < base + 8192; pa += 32)
		physmem_fill_pattern(m, pa, 32, pat, true);
	assert_int_equal(physmem_frames(m), 0);
	assert_frame_is(m, base, pat, true);
	assert_frame_is(m, base + 4096, pat, true);
	physmem_destroy(m);
}

/* A frame that differs anywhere is never collapsed. */
static void test_no_false_sharing(void **state)
{
	struct physmem *m = physmem_create(46);
	uint64_t base = 1ULL << 33;
	static const uint8_t other[16] = { 9 };

	physmem_fill_pattern(m, base, 16, other, true);
	for (uint64_t pa = base + 16; pa < base + 4096; pa += 16)
		physmem_fill_pattern(m, pa, 16, pat, true);
	assert_int_equal(physmem_frames(m), 1);
	assert_memory_equal(physmem_peek(m, base)->data, other, 16);
	/* Same bytes but not TD-owned: a different frame. */
	physmem_fill_pattern(m, base + 4096, 4096 - 16, pat, false);
	physmem_fill_pattern(m, base + 8192 - 16, 16, pat, true);
	assert_int_equal(physmem_frames(m), 2);
	physmem_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chunked_fill_collapses),
		cmocka_unit_test(test_write_into_shared_leaf),
		cmocka_unit_test(test_piecewise_frame_shares),
		cmocka_unit_test(test_no_false_sharing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
