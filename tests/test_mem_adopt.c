/* SPDX-License-Identifier: MIT */
/*
 * Host-backed memory (platform_mem_adopt/release): host code and the
 * simulated machine see the same bytes through either door, line state
 * survives both moves, and nothing drops an adopted page behind the
 * adopter's back.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers/machine.h"

#define BASE 0x40000000ULL

static struct platform *default_machine(void)
{
	struct tdxsim_platform_config c;

	tdxsim_config_default(&c);
	return machine_new(&c);
}

static uint8_t *page_buf(size_t pages)
{
	uint8_t *b = aligned_alloc(4096, pages * 4096);

	assert_non_null(b);
	memset(b, 0xEE, pages * 4096);   /* adopt must overwrite all of it */
	return b;
}

static uint64_t priv(struct platform *p, uint64_t pa)
{
	return platform_pa_with_keyid(p, pa, platform_first_private_keyid(p));
}

/* What was in memory moves into the buffer; buffer stores are memory
 * stores, and memory stores land in the buffer, across page edges. */
static void test_adopt_shares_bytes(void **state)
{
	struct platform *p = default_machine();
	uint8_t *b = page_buf(3), rd[64];
	uint64_t v = 0x1122334455667788ULL;

	assert_int_equal(platform_mem_write(p, BASE + 4096 + 8, &v, 8), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_adopt(p, BASE, b, 3 * 4096), TDXSIM_MEM_OK);
	assert_memory_equal(b + 4096 + 8, &v, 8);
	for (unsigned i = 0; i < 4096; i++)
		assert_int_equal(b[i], 0);           /* absent page: zeros */
	memcpy(b + 4096 - 4, "abcdefgh", 8);         /* straddles two frames */
	assert_int_equal(platform_mem_read(p, BASE + 4096 - 4, rd, 8), TDXSIM_MEM_OK);
	assert_memory_equal(rd, "abcdefgh", 8);
	assert_int_equal(platform_mem_write(p, BASE + 2 * 4096 + 100, "xyz", 3), TDXSIM_MEM_OK);
	assert_memory_equal(b + 2 * 4096 + 100, "xyz", 3);
	assert_int_equal(platform_mem_release(p, BASE, 3 * 4096), TDXSIM_MEM_OK);
	memset(b, 0, 3 * 4096);                      /* no longer memory */
	free(b);
	assert_int_equal(platform_mem_read(p, BASE + 4096 - 4, rd, 8), TDXSIM_MEM_OK);
	assert_memory_equal(rd, "abcdefgh", 8);
	assert_int_equal(platform_mem_read(p, BASE + 2 * 4096 + 100, rd, 3), TDXSIM_MEM_OK);
	assert_memory_equal(rd, "xyz", 3);
	platform_destroy(p);
}

/* TD ownership and poison move with the page both ways, and a MOVDIR64B
 * reset that leaves an adopted page all zeros keeps it adopted. */
static void test_adopt_keeps_line_state(void **state)
{
	struct platform *p = default_machine();
	uint8_t *b = page_buf(1), rd[8], one = 1;

	assert_int_equal(platform_mem_write(p, priv(p, BASE + 64), "secret!!", 8), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_write(p, priv(p, BASE + 128), "owned...", 8), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_write(p, BASE + 128, &one, 1), TDXSIM_MEM_OK); /* poisons */
	assert_int_equal(platform_mem_adopt(p, BASE, b, 4096), TDXSIM_MEM_OK);
	assert_true(platform_line_td_owned(p, BASE + 64));
	assert_true(platform_line_poisoned(p, BASE + 128));
	assert_int_equal(platform_mem_read(p, BASE + 64, rd, 8), TDXSIM_MEM_OK);
	assert_memory_equal(rd, "\0\0\0\0\0\0\0\0", 8);   /* shared read of TD line */
	assert_int_equal(platform_mem_read(p, priv(p, BASE + 128), rd, 8), TDXSIM_MEM_POISON);
	assert_int_equal(platform_mem_reset_lines(p, BASE, 4096), TDXSIM_MEM_OK);
	assert_false(platform_line_td_owned(p, BASE + 64));
	assert_false(platform_line_poisoned(p, BASE + 128));
	b[7] = 0x5A;                                  /* still the page */
	assert_int_equal(platform_mem_read(p, BASE + 7, rd, 1), TDXSIM_MEM_OK);
	assert_int_equal(rd[0], 0x5A);
	assert_int_equal(platform_mem_write(p, priv(p, BASE + 256), "td", 2), TDXSIM_MEM_OK);
	assert_int_equal(platform_mem_release(p, BASE, 4096), TDXSIM_MEM_OK);
	free(b);
	assert_true(platform_line_td_owned(p, BASE + 256));
	assert_int_equal(platform_mem_read(p, priv(p, BASE + 256), rd, 2), TDXSIM_MEM_OK);
	assert_memory_equal(rd, "td", 2);
	platform_destroy(p);
}

static void test_adopt_bad_arguments(void **state)
{
	struct platform *p = default_machine();
	uint8_t *b = page_buf(2);

	assert_int_equal(platform_mem_adopt(p, BASE + 1, b, 4096), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_adopt(p, BASE, b + 1, 4096), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_adopt(p, BASE, b, 100), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_adopt(p, BASE, b, 0), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_adopt(p, BASE, NULL, 4096), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_adopt(p, priv(p, BASE), b, 4096), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_adopt(p, 1ULL << 60, b, 4096), TDXSIM_MEM_BAD_ADDR);
	assert_int_equal(platform_mem_release(p, BASE + 8, 4096), TDXSIM_MEM_BAD_ADDR);
	/* Nothing was adopted: the buffer is still the caller's. */
	assert_int_equal(b[0], 0xEE);
	assert_int_equal(platform_mem_release(p, BASE, 4096), TDXSIM_MEM_OK);
	free(b);
	platform_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adopt_shares_bytes),
		cmocka_unit_test(test_adopt_keeps_line_state),
		cmocka_unit_test(test_adopt_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
