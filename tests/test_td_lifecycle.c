/* SPDX-License-Identifier: MIT */
/*
 * TD lifecycle through the module's leaves: build, measure, finalize,
 * tear down; PAMT and host allocator return to where they started.
 */
#include <string.h>

#include "helpers/td_machine.h"
#include "host/page_alloc.h"

static void check_pamt_free(struct tdm *t, const uint64_t *pages, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(pamt_entry_pt(tdx_inspect_pamt_word(t->hm.p, 0, pages[i])),
				 PT_NDA);
}

static void build_and_teardown(void **state)
{
	struct tdm t;
	uint64_t free0, pages[8], hpa;
	unsigned n = 0;
	struct tdx_module_args a = { 0 };
	uint8_t buf[64];

	(void)state;
	tdm_boot(&t);
	free0 = page_alloc_free_bytes(t.hm.h->pages);
	tdm_td_init(&t);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_ASSIGNED);
	tdm_vcpu(&t, 0);
	tdm_sept_path(&t, 0x100000, 1);
	assert_int_equal(tdm_page_add(&t, 0x100000, 0xAB, &hpa), TDX_SUCCESS);
	/* The host sees zeros through its shared KeyID. */
	assert_int_equal(platform_mem_read(t.hm.p, hpa, buf, sizeof(buf)), TDXSIM_MEM_OK);
	for (unsigned i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_true(platform_line_td_owned(t.hm.p, hpa));
	for (unsigned k = 0; k < 16; k++) {
		memset(&a, 0, sizeof(a));
		a.rcx = 0x100000 + k * 256;
		a.rdx = t.tdr;
		assert_int_equal(tdm_sc(&t, 0, TDH_MR_EXTEND, &a), TDX_SUCCESS);
	}
	memset(&a, 0, sizeof(a));
	a.rcx = t.tdr;
	assert_int_equal(tdm_sc(&t, 0, TDH_MR_FINALIZE, &a), TDX_SUCCESS);
	pages[n++] = hpa;
	{
		uint64_t ctl[64];
		unsigned nctl = tdm_control_pages(&t, ctl, 64);

		tdm_teardown(&t, pages, n);
		check_pamt_free(&t, ctl, nctl);
	}
	check_pamt_free(&t, pages, n);
	check_pamt_free(&t, &t.tdr, 1);
	assert_int_equal(tdx_inspect_kot_state(t.hm.p, t.hkid), KOT_STATE_HKID_FREE);
	assert_int_equal(page_alloc_free_bytes(t.hm.h->pages), free0);
	tdm_free(&t);
}

/* A host write through a shared KeyID poisons the TD's line; the module
 * still reads the page as TD memory (the guest side sees the #MC). */
static void host_write_poisons(void **state)
{
	struct tdm t;
	uint64_t hpa, pages[1];
	uint8_t junk[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, buf[8];

	(void)state;
	tdm_boot(&t);
	tdm_td_init(&t);
	tdm_vcpu(&t, 0);
	tdm_sept_path(&t, 0x200000, 1);
	assert_int_equal(tdm_page_add(&t, 0x200000, 0x77, &hpa), TDX_SUCCESS);
	assert_false(platform_line_poisoned(t.hm.p, hpa + 64));
	assert_int_equal(platform_mem_write(t.hm.p, hpa + 64, junk, sizeof(junk)), TDXSIM_MEM_OK);
	assert_true(platform_line_poisoned(t.hm.p, hpa + 64));
	assert_false(platform_line_td_owned(t.hm.p, hpa + 64));
	assert_false(platform_line_poisoned(t.hm.p, hpa));   /* only that line */
	assert_int_equal(platform_mem_read(t.hm.p, platform_pa_with_keyid(t.hm.p, hpa + 64, t.hkid),
					   buf, sizeof(buf)), TDXSIM_MEM_POISON);
	pages[0] = hpa;
	tdm_teardown(&t, pages, 1);
	tdm_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_and_teardown),
		cmocka_unit_test(host_write_poisons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
