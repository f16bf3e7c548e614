/* SPDX-License-Identifier: MIT */
/*
 * TDH.MNG.ADDCX (abi §5.4): RCX = new TDCX page, RDX = TDR. Pages fill
 * by index: the MSR bitmaps all ones, the SEPT root all FREE entries.
 */
#include <string.h>

#include "td.h"

static void fill_tdcx(struct tdx_module *m, uint64_t pa, uint16_t hkid,
		      unsigned index)
{
	uint8_t *page = td_map(m, pa, hkid);

	if (index == TDCS_PAGE_MSR_BITMAPS) {
		memset(page, 0xFF, PAGE_4K);
	} else if (index == TDCS_PAGE_SEPT_ROOT) {
		uint64_t *e = (uint64_t *)page;

		for (unsigned i = 0; i < SEPT_ENTRIES_PER_PAGE; i++)
			e[i] = SEPTE_INIT_VALUE;
	} else {
		memset(page, 0, PAGE_4K);
	}
}

static uint64_t check_td(struct tdx_module *m, const struct td_ref *td)
{
	const struct tdr *tdr = td->tdr;

	if (tdr->fatal)
		return TDX_TD_FATAL;
	if (tdr->lifecycle_state != TD_KEYS_CONFIGURED)
		return TDX_TD_KEYS_NOT_CONFIGURED;
	if (tdr->num_tdcx >= TDX_MAX_NUM_TDCS_PAGES)
		return TDX_TDCX_NUM_INCORRECT;
	return TDX_SUCCESS;
}

/* The 6th page completes the TDCS (migration key); later pages are for
 * L2 VMs and need an uninitialised TD. */
static uint64_t check_index(struct tdx_module *m, const struct td_ref *td)
{
	unsigned n = td->tdr->num_tdcx;

	if (n + 1 == TDX_MIN_NUM_TDCS_PAGES && module_fault(m, TDXSIM_INJECT_RDRAND))
		return TDX_RND_NO_ENTROPY;
	if (n >= TDX_MIN_NUM_TDCS_PAGES &&
	    !op_state_allows(TDH_MNG_ADDCX, td->tdcs->op_state))
		return TDX_OP_STATE_INCORRECT;
	return TDX_SUCCESS;
}

uint64_t tdh_mng_addcx(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t pa = c->gpr[RCX], status;
	struct locked_page page;
	struct td_ref td;

	status = td_lock_tdr(m, c->gpr[RDX], TDX_OPERAND_ID_RDX, LOCK_EX, &td);
	if (status != TDX_SUCCESS)
		return status;
	status = check_td(m, &td);
	if (status == TDX_SUCCESS)
		status = page_lock(m, pa, TDX_OPERAND_ID_RCX, PT_NDA, LOCK_EX, &page);
	if (status != TDX_SUCCESS)
		goto out;
	/* tdh_mng_add_cx fills the page before the 6th page's entropy and
	 * a later page's op-state checks, which leave it NDA but filled. */
	fill_tdcx(m, pa, td.tdr->hkid, td.tdr->num_tdcx);
	status = check_index(m, &td);
	if (status == TDX_SUCCESS) {
		unsigned n = td.tdr->num_tdcx;

		td.tdr->tdcx_pa[n] = pa | ((uint64_t)td.tdr->hkid << m->hkid_start_bit);
		td.tdr->num_tdcx = n + 1;
		atomic_fetch_add(&td.tdr->chldcnt, 1);
		page_set(&page, PT_TDCX, td.tdr_pa);
		page_set_bepoch(&page, 0);
	}
	page_unlock(&page);
out:
	td_release(&td);
	return status;
}
