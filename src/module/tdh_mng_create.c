/* SPDX-License-Identifier: MIT */
/*
 * TDH.MNG.CREATE (abi §5.4): RCX = TDR page, RDX = HKID. Takes the HKID
 * in the KOT and turns the page into a TDR.
 */
#include <string.h>

#include "td.h"

static bool hkid_private(const struct tdx_module *m, uint64_t hkid)
{
	return !(hkid >> 16) && hkid >= m->private_hkid_min &&
	       hkid <= m->private_hkid_max;
}

static void tdr_init(struct tdx_module *m, struct tdr *tdr, uint16_t hkid)
{
	memset(tdr, 0, PAGE_4K);
	for (unsigned i = 0; i < sizeof(tdr->td_uuid); i += 8) {
		uint64_t r = module_random(m);

		memcpy(tdr->td_uuid + i, &r, 8);
	}
	tdr->hkid = hkid;
	tdr->lifecycle_state = TD_HKID_ASSIGNED;
	tdr->seamdb_index = 0;
	for (unsigned i = 0; i < sizeof(tdr->seamdb_nonce); i += 8) {
		uint64_t r = module_random(m);

		memcpy(tdr->seamdb_nonce + i, &r, 8);
	}
}

uint64_t tdh_mng_create(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t tdr_pa = c->gpr[RCX], hkid = c->gpr[RDX], status;
	struct locked_page tdr;

	if (!hkid_private(m, hkid))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	status = page_lock(m, tdr_pa, TDX_OPERAND_ID_RCX, PT_NDA, LOCK_EX, &tdr);
	if (status != TDX_SUCCESS)
		return status;
	if (!module_lock_kot(m, LOCK_EX)) {
		status = STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KOT);
		goto out_page;
	}
	if (atomic_load(&m->kot[hkid].state) != KOT_STATE_HKID_FREE)
		status = TDX_HKID_NOT_FREE;
	else if (module_fault(m, TDXSIM_INJECT_RDRAND)) {
		/* tdh_mng_create zeroes the page (with the module's KeyID)
		 * before it draws the TD's UUID: it stays NDA, its old
		 * contents gone. */
		td_page_clear(m, tdr_pa, m->global_hkid);
		status = TDX_RND_NO_ENTROPY;
	}
	if (status == TDX_SUCCESS) {
		tdr_init(m, (struct tdr *)td_map(m, tdr_pa, m->global_hkid),
			 (uint16_t)hkid);
		atomic_store(&m->kot[hkid].state, KOT_STATE_HKID_ASSIGNED);
		page_set(&tdr, PT_TDR, 0);
		page_set_bepoch(&tdr, 0);
	}
	module_unlock_kot(m, LOCK_EX);
out_page:
	page_unlock(&tdr);
	return status;
}
