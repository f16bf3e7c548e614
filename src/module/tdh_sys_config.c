/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.CONFIG (abi §3.3, §4.2): take the host's TDMR list and global
 * HKID. RCX = PA of an array of TDMR_INFO PAs, RDX = count, R8 = HKID.
 * Entries are checked in index order and each check in the module's
 * order, so the first failing condition decides the status.
 */
#include <string.h>

#include "module.h"
#include "pamt.h"
#include "platform/platform_internal.h"

#define GiB (1ULL << 30)
#define ALIGN TDX_TDMR_INFO_ENTRY_PTR_ARRAY_ALIGNMENT

static const uint64_t pamt_page_size[3] = { 1ULL << 12, 1ULL << 21, 1ULL << 30 };

static uint64_t tdmr_err(uint64_t code, unsigned i, unsigned b1, unsigned b2)
{
	return tdx_status_with_info(code, (uint8_t)i, (uint8_t)b1, (uint8_t)b2, 0);
}

static bool pa_ok(const struct tdx_module *m, uint64_t base, uint64_t size)
{
	uint64_t last = base + size - 1;

	return last < (1ULL << 52) && !(base & m->hkid_mask) && !(last & m->hkid_mask);
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static uint64_t check_tdmr_range(const struct tdx_module *m,
				 const struct tdmr_info_entry *e, unsigned i)
{
	if (e->tdmr_base + e->tdmr_size < e->tdmr_base)
		return tdmr_err(TDX_INVALID_TDMR, i, 0, 0);
	if (i) {
		const struct tdmr_entry *p = &m->tdmr[i - 1];

		if (e->tdmr_base < p->base + p->size)
			return tdmr_err(TDX_NON_ORDERED_TDMR, i, 0, 0);
	}
	if ((e->tdmr_base | e->tdmr_size) & (GiB - 1) || !e->tdmr_size ||
	    !pa_ok(m, e->tdmr_base, e->tdmr_size))
		return tdmr_err(TDX_INVALID_TDMR, i, 0, 0);
	return TDX_SUCCESS;
}

/* check_tdmr_reserved_areas, in its order of j. */
static uint64_t check_reserved(const struct tdmr_info_entry *e, unsigned i)
{
	for (unsigned j = 0; j < TDX_MAX_RESERVED_AREAS; j++) {
		const struct tdmr_reserved_area *r = &e->rsvd_areas[j];

		/* A null area may be followed only by null ones: the error
		 * names the null area right before a used one. */
		if (!r->size) {
			if (j + 1 < TDX_MAX_RESERVED_AREAS && e->rsvd_areas[j + 1].size)
				return tdmr_err(TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j, 0);
			continue;
		}
		if (r->offset + r->size < r->offset)
			return tdmr_err(TDX_INVALID_RESERVED_IN_TDMR, i, j, 0);
		if (j && r->offset < e->rsvd_areas[j - 1].offset +
				     e->rsvd_areas[j - 1].size)
			return tdmr_err(TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j, 0);
		if ((r->offset | r->size) & 4095 || r->offset + r->size > e->tdmr_size)
			return tdmr_err(TDX_INVALID_RESERVED_IN_TDMR, i, j, 0);
	}
	return TDX_SUCCESS;
}

/* PAMT base/size of an entry by level: 4K, 2M, 1G (TDX_PS_*). */
static void pamt_of(const struct tdmr_info_entry *e, uint64_t base[3],
		    uint64_t size[3])
{
	base[TDX_PS_4K] = e->pamt_4k_base;
	size[TDX_PS_4K] = e->pamt_4k_size;
	base[TDX_PS_2M] = e->pamt_2m_base;
	size[TDX_PS_2M] = e->pamt_2m_size;
	base[TDX_PS_1G] = e->pamt_1g_base;
	size[TDX_PS_1G] = e->pamt_1g_size;
}

static uint64_t check_pamt_sizes(const struct tdx_module *m,
				 const struct tdmr_info_entry *e, unsigned i)
{
	uint64_t base[3], size[3];

	pamt_of(e, base, size);
	for (int lvl = (int)TDX_PS_1G; lvl >= (int)TDX_PS_4K; lvl--) {
		uint64_t need = e->tdmr_size / pamt_page_size[lvl] * TDX_PAMT_ENTRY_SIZE;

		if (base[lvl] + size[lvl] < base[lvl] ||
		    (base[lvl] | size[lvl]) & 4095 || !size[lvl] ||
		    !pa_ok(m, base[lvl], size[lvl]) || size[lvl] < need)
			return tdmr_err(TDX_INVALID_PAMT, i, lvl, 0);
	}
	return TDX_SUCCESS;
}

/* Calls fn for each available (non-reserved) span of a TDMR; stops at
 * the first false. */
static bool for_each_available(const struct tdmr_entry *t,
			       bool (*fn)(uint64_t, uint64_t, const void *),
			       const void *arg)
{
	uint64_t cur = t->base;

	for (unsigned j = 0; j <= t->n_rsvd; j++) {
		uint64_t end = j < t->n_rsvd ? t->base + t->rsvd[j].offset
					     : t->base + t->size;

		if (end > cur && !fn(cur, end - cur, arg))
			return false;
		if (j < t->n_rsvd)
			cur = t->base + t->rsvd[j].offset + t->rsvd[j].size;
	}
	return true;
}

static bool misses(uint64_t base, uint64_t size, const void *arg)
{
	const uint64_t *r = arg;

	return !overlap(base, size, r[0], r[1]);
}

static bool pamt_hits(const struct tdmr_entry *k, uint64_t b, uint64_t s)
{
	for (int l2 = (int)TDX_PS_4K; l2 <= (int)TDX_PS_1G; l2++)
		if (overlap(b, s, k->pamt_base[l2], k->pamt_size[l2]))
			return true;
	return false;
}

/* check_all_pamt_overlap, then check_pamt_overlaps_available_areas: each
 * earlier TDMR in turn, and within it this TDMR's 4K, 2M, 1G PAMT. */
static uint64_t check_pamt_overlap(const struct tdx_module *m,
				   const struct tdmr_entry *t, unsigned i)
{
	for (unsigned k = 0; k < i; k++)
		for (int lvl = (int)TDX_PS_4K; lvl <= (int)TDX_PS_1G; lvl++)
			if (pamt_hits(&m->tdmr[k], t->pamt_base[lvl], t->pamt_size[lvl]))
				return tdmr_err(TDX_PAMT_OVERLAP, i, lvl, k);
	/* Within one TDMR: 4K/2M, 4K/1G, 2M/1G, reported at the lower level. */
	for (int lo = (int)TDX_PS_4K; lo < (int)TDX_PS_1G; lo++)
		for (int hi = lo + 1; hi <= (int)TDX_PS_1G; hi++)
			if (overlap(t->pamt_base[lo], t->pamt_size[lo],
				    t->pamt_base[hi], t->pamt_size[hi]))
				return tdmr_err(TDX_PAMT_OVERLAP, i, lo, i);
	/* A PAMT may sit in reserved areas but not in an available part of
	 * any TDMR so far: for each TDMR k, this TDMR's three PAMTs against
	 * k's available parts, then k's three against this one's. */
	for (unsigned k = 0; k <= i; k++) {
		for (int lvl = (int)TDX_PS_4K; lvl <= (int)TDX_PS_1G; lvl++) {
			uint64_t mine[2] = { t->pamt_base[lvl], t->pamt_size[lvl] };

			if (!for_each_available(&m->tdmr[k], misses, mine))
				return tdmr_err(TDX_PAMT_OVERLAP, i, lvl, k);
		}
		for (int lvl = (int)TDX_PS_4K; k < i && lvl <= (int)TDX_PS_1G; lvl++) {
			uint64_t theirs[2] = { m->tdmr[k].pamt_base[lvl], m->tdmr[k].pamt_size[lvl] };

			if (!for_each_available(t, misses, theirs))
				return tdmr_err(TDX_PAMT_OVERLAP, k, lvl, i);
		}
	}
	return TDX_SUCCESS;
}

/* is_area_in_cmr: inside one CMR, where exactly adjacent CMRs merge. */
static bool in_cmrs(uint64_t base, uint64_t size, const void *arg)
{
	const struct tdx_module *m = arg;
	uint64_t end = base + size;

	for (unsigned c = 0; c < m->n_cmrs; c++) {
		uint64_t cb = m->cmrs[c].base, ce = cb + m->cmrs[c].size;

		if (base < cb || base >= ce)
			continue;
		while (end > ce && c + 1 < m->n_cmrs && m->cmrs[c + 1].base == ce)
			ce += m->cmrs[++c].size;
		return end <= ce;
	}
	return false;
}

static uint64_t check_cmrs(const struct tdx_module *m, const struct tdmr_entry *t,
			   unsigned i)
{
	for (int lvl = (int)TDX_PS_1G; lvl >= (int)TDX_PS_4K; lvl--)
		if (!in_cmrs(t->pamt_base[lvl], t->pamt_size[lvl], m))
			return tdmr_err(TDX_PAMT_OUTSIDE_CMRS, i, lvl, 0);
	if (!for_each_available(t, in_cmrs, m))
		return tdmr_err(TDX_TDMR_OUTSIDE_CMRS, i, 0, 0);
	return TDX_SUCCESS;
}

static void record(struct tdmr_entry *t, const struct tdmr_info_entry *e)
{
	t->base = e->tdmr_base;
	t->size = e->tdmr_size;
	atomic_store(&t->last_initialized, e->tdmr_base);
	pamt_of(e, t->pamt_base, t->pamt_size);
	t->num_of_pamt_blocks = (uint32_t)(e->tdmr_size / GiB);
	t->n_rsvd = 0;
	for (unsigned j = 0; j < TDX_MAX_RESERVED_AREAS && e->rsvd_areas[j].size; j++)
		t->rsvd[t->n_rsvd++] = e->rsvd_areas[j];
	atomic_store(&t->mutex, 0);
}

static uint64_t check_entry(struct tdx_module *m, uint64_t entry_pa, unsigned i)
{
	struct tdmr_info_entry e;
	uint64_t status;

	if (!hpa_valid_shared(m, entry_pa, sizeof(e), ALIGN))
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	platform_mem_read(m->plat, entry_pa, &e, sizeof(e));
	status = check_tdmr_range(m, &e, i);
	if (status == TDX_SUCCESS)
		status = check_reserved(&e, i);
	if (status == TDX_SUCCESS)
		status = check_pamt_sizes(m, &e, i);
	if (status != TDX_SUCCESS)
		return status;
	record(&m->tdmr[i], &e);
	status = check_pamt_overlap(m, &m->tdmr[i], i);
	if (status == TDX_SUCCESS)
		status = check_cmrs(m, &m->tdmr[i], i);
	return status;
}

static uint64_t check_operands(struct tdx_module *m, uint64_t array, uint64_t n,
			       uint64_t hkid)
{
	if (!hpa_valid_shared(m, array, ALIGN, ALIGN))
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (n > TDX_MAX_TDMRS || n < 1)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	if (hkid >> 16 || hkid < m->private_hkid_min || hkid > m->private_hkid_max)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8);
	return TDX_SUCCESS;
}

/* The strict orders need every LP initialised; the current profile lets
 * late LPs initialise after configuration. */
static bool config_pending(const struct tdx_module *m)
{
	if (atomic_load(&m->sys_state) != SYSINIT_DONE)
		return false;
	return m->profile == TDXSIM_PROFILE_1_5 ||
	       atomic_load(&m->num_of_init_lps) >= m->num_of_lps;
}

static uint64_t sys_config(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t array = c->gpr[RCX], n = c->gpr[RDX], status;

	if (!config_pending(m))
		return TDX_SYS_CONFIG_NOT_PENDING;
	status = check_operands(m, array, n, c->gpr[R8]);
	if (status != TDX_SUCCESS)
		return status;
	/* Reserved before the entries are checked, and never undone. */
	m->global_hkid = (uint16_t)c->gpr[R8];
	atomic_store(&m->kot[m->global_hkid].state, KOT_STATE_HKID_RESERVED);
	for (unsigned i = 0; i < n; i++) {
		uint64_t entry_pa = 0;

		platform_mem_read(m->plat, array + 8 * i, &entry_pa, 8);
		status = check_entry(m, entry_pa, i);
		if (status != TDX_SUCCESS)
			return status;
	}
	m->num_of_tdmr_entries = (uint32_t)n;
	cpuid_complete(m);
	atomic_store(&m->pkg_config_bitmap, 0);
	atomic_store(&m->sys_state, SYSCONFIG_DONE);
	return TDX_SUCCESS;
}

uint64_t tdh_sys_config(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t status;

	if (!module_lock_global(m, LOCK_EX))
		return TDX_SYS_BUSY;
	status = sys_config(m, c);
	module_unlock_global(m, LOCK_EX);
	return status;
}
