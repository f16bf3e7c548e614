/* SPDX-License-Identifier: MIT */
/*
 * Page operands (abi §4.4): format, TDMR and 1 GiB readiness, the PAMT
 * walk with its locks, then the leaf's size and type. Every failure names
 * the operand that carried the page.
 */
#include <string.h>

#include "td.h"
#include "pamt.h"
#include "platform/platform_internal.h"

#define TWO_MB (1ULL << 21)

static bool leaf_at(uint64_t w0, unsigned level)
{
	return level == TDX_PS_4K || pamt_entry_pt(w0) == PT_REG;
}

static bool lock_node(struct tdx_module *m, _Atomic uint64_t *e,
		      enum lock_mode mode)
{
	if (module_fault(m, TDXSIM_INJECT_PAMT_LOCK))
		return false;
	return hp_lock_host_try(e, mode);
}

void page_unlock(struct locked_page *lp)
{
	for (unsigned l = 0; l < 3; l++) {
		if (!lp->node[l])
			continue;
		hp_lock_release(lp->node[l], l == lp->level ? lp->leaf_mode : LOCK_SH);
		lp->node[l] = NULL;
	}
}

/* Walks 1G → 2M → 4K, ancestors SH and the leaf in mode (pamt_walk). */
static uint64_t walk_lock(struct tdx_module *m, const struct tdmr_entry *t,
			  uint64_t pa, uint64_t opid, enum lock_mode mode,
			  struct locked_page *out)
{
	for (int l = TDX_PS_1G; l >= (int)TDX_PS_4K; l--) {
		_Atomic uint64_t *e = pamt_entry_map(m, pamt_entry_pa(t, l, pa));
		bool leaf = e && leaf_at(atomic_load(e), (unsigned)l);

		if (!e || !lock_node(m, e, leaf ? mode : LOCK_SH)) {
			page_unlock(out);
			return STATUS(TDX_OPERAND_BUSY, opid);
		}
		out->node[l] = e;
		/* level names the node held in the leaf's mode; page_unlock
		 * drops the others as SH. */
		if (leaf)
			out->level = (unsigned)l;
		if (leaf != leaf_at(atomic_load(e), (unsigned)l)) {
			/* The entry changed between the look and the lock. */
			page_unlock(out);
			return STATUS(TDX_OPERAND_BUSY, opid);
		}
		if (leaf)
			return TDX_SUCCESS;
	}
	return TDX_SUCCESS;
}

static uint64_t locate(struct tdx_module *m, uint64_t hpa, uint64_t align,
		       uint64_t opid, int *tdmr)
{
	if (!hpa_valid_private_format(m, hpa, align))
		return STATUS(TDX_OPERAND_INVALID, opid);
	if (pamt_get_block(m, hpa, tdmr) != TDX_SUCCESS)
		return STATUS(TDX_OPERAND_ADDR_RANGE_ERROR, opid);
	return TDX_SUCCESS;
}

uint64_t page_lock(struct tdx_module *m, uint64_t hpa, uint64_t opid,
		   uint64_t expect_pt, enum lock_mode mode,
		   struct locked_page *out)
{
	uint64_t status;
	int i;

	memset(out, 0, sizeof(*out));
	out->pa = hpa;
	out->leaf_mode = mode;
	status = locate(m, hpa, PAGE_4K, opid, &i);
	if (status == TDX_SUCCESS)
		status = walk_lock(m, &m->tdmr[i], hpa, opid, mode, out);
	if (status != TDX_SUCCESS)
		return status;
	if (out->level != TDX_PS_4K || pamt_entry_pt(page_word(out)) != expect_pt) {
		page_unlock(out);
		return STATUS(TDX_PAGE_METADATA_INCORRECT, opid);
	}
	return TDX_SUCCESS;
}

uint64_t page_lock_any(struct tdx_module *m, uint64_t hpa, uint64_t opid,
		       enum lock_mode mode, struct locked_page *out)
{
	uint64_t status;
	int i;

	memset(out, 0, sizeof(*out));
	out->pa = hpa;
	out->leaf_mode = mode;
	status = locate(m, hpa, PAGE_4K, opid, &i);
	if (status == TDX_SUCCESS)
		status = walk_lock(m, &m->tdmr[i], hpa, opid, mode, out);
	return status;
}

/* The 512 4K entries below a free 2M node must all be free and unlocked. */
static uint64_t children_free(struct tdx_module *m, const struct tdmr_entry *t,
			      uint64_t hpa, uint64_t opid)
{
	for (uint64_t k = 0; k < PAMT_ENTRIES_PER_NODE; k++) {
		uint64_t w0 = pamt_entry_peek(m, pamt_entry_pa(t, TDX_PS_4K, hpa + k * PAGE_4K));

		if (w0 & PAMT_ENTRY_LOCK_MASK & ~2ULL)
			return STATUS(TDX_OPERAND_BUSY, opid);
		if (pamt_entry_pt(w0) != PT_NDA)
			return STATUS(TDX_PAGE_METADATA_INCORRECT, opid);
	}
	return TDX_SUCCESS;
}

uint64_t page_lock_free_2m(struct tdx_module *m, uint64_t hpa, uint64_t opid,
			   struct locked_page *out)
{
	const struct tdmr_entry *t;
	uint64_t status;
	int i;

	memset(out, 0, sizeof(*out));
	out->pa = hpa;
	out->leaf_mode = LOCK_EX;
	status = locate(m, hpa, TWO_MB, opid, &i);
	if (status != TDX_SUCCESS)
		return status;
	t = &m->tdmr[i];
	for (int l = TDX_PS_1G; l >= (int)TDX_PS_2M; l--) {
		_Atomic uint64_t *e = pamt_entry_map(m, pamt_entry_pa(t, l, hpa));

		if (!e || !lock_node(m, e, l == TDX_PS_2M ? LOCK_EX : LOCK_SH)) {
			page_unlock(out);
			return STATUS(TDX_OPERAND_BUSY, opid);
		}
		out->node[l] = e;
		if (l == TDX_PS_2M)
			out->level = (unsigned)l;   /* the node held EX */
		if (pamt_entry_pt(atomic_load(e)) != PT_NDA) {
			page_unlock(out);
			return STATUS(TDX_PAGE_METADATA_INCORRECT, opid);
		}
	}
	status = children_free(m, t, hpa, opid);
	if (status != TDX_SUCCESS)
		page_unlock(out);
	return status;
}

uint64_t page_word(const struct locked_page *lp)
{
	return atomic_load(lp->node[lp->level]);
}

/* The lock bits belong to whoever races us for the entry; keep them. */
static void set_type(_Atomic uint64_t *e, uint64_t pt, uint64_t owner_pa)
{
	uint64_t v = atomic_load(e), n;

	do {
		n = pamt_entry_make(pt, owner_pa, v & PAMT_ENTRY_LOCK_MASK);
	} while (!atomic_compare_exchange_weak(e, &v, n));
}

void page_set(struct locked_page *lp, uint64_t pt, uint64_t owner_pa)
{
	set_type(lp->node[lp->level], pt, owner_pa);
}

/* The module frees a page by its type alone (pamt_entry->pt = PT_NDA in
 * every freeing leaf): the owner stays, and TDH.PHYMEM.PAGE.RDMD shows
 * it until the page is used again. */
static void set_free(_Atomic uint64_t *e)
{
	set_type(e, PT_NDA, pamt_entry_owner_pa(atomic_load(e)));
}

void page_set_free(struct locked_page *lp)
{
	set_free(lp->node[lp->level]);
}

void page_set_bepoch(struct locked_page *lp, uint64_t bepoch)
{
	atomic_store(lp->node[lp->level] + 1, bepoch);
}

uint64_t page_bepoch(const struct locked_page *lp)
{
	return atomic_load(lp->node[lp->level] + 1);
}

uint8_t *td_map(struct tdx_module *m, uint64_t pa, uint16_t hkid)
{
	return platform_keyhole_write(m->plat, (pa & ~m->hkid_mask) |
				      ((uint64_t)hkid << m->hkid_start_bit));
}

void td_page_clear(struct tdx_module *m, uint64_t pa, uint16_t hkid)
{
	platform_keyhole_zero(m->plat, (pa & ~m->hkid_mask) |
			      ((uint64_t)hkid << m->hkid_start_bit));
}

/* The module halts when an S-EPT page lacks a PAMT entry; here the
 * callers only pass pages the S-EPT maps, so the lookup cannot fail. */
static _Atomic uint64_t *implicit_entry(struct tdx_module *m, uint64_t hpa,
					unsigned level)
{
	int i = pamt_tdmr_of(m, hpa);

	return pamt_entry_map(m, pamt_entry_pa(&m->tdmr[i], level, hpa));
}

uint64_t page_lock_implicit(struct tdx_module *m, uint64_t hpa, unsigned level,
			    uint64_t opid, enum lock_mode mode,
			    struct locked_page *out)
{
	_Atomic uint64_t *e = implicit_entry(m, hpa, level);

	memset(out, 0, sizeof(*out));
	out->pa = hpa;
	out->leaf_mode = mode;
	out->level = level;
	if (!lock_node(m, e, mode))
		return STATUS(TDX_OPERAND_BUSY, opid);
	out->node[level] = e;
	return TDX_SUCCESS;
}

uint64_t page_implicit_bepoch(struct tdx_module *m, uint64_t hpa, unsigned level)
{
	return atomic_load(implicit_entry(m, hpa, level) + 1);
}

void page_implicit_set_bepoch(struct tdx_module *m, uint64_t hpa, unsigned level,
			      uint64_t bepoch)
{
	atomic_store(implicit_entry(m, hpa, level) + 1, bepoch);
}

static _Atomic uint64_t *child_entry(struct tdx_module *m, uint64_t hpa,
				     unsigned level, uint64_t k)
{
	return implicit_entry(m, hpa + k * (PAGE_4K << (9 * (level - 1))), level - 1);
}

/* The children's pt and owner move up to the entry at `level`, which
 * becomes the leaf; the children become NDA. */
uint64_t page_promote(struct tdx_module *m, uint64_t hpa, unsigned level)
{
	_Atomic uint64_t *top = implicit_entry(m, hpa, level);
	uint64_t first;

	if (!lock_node(m, top, LOCK_EX))
		return TDX_OPERAND_BUSY;
	first = atomic_load(child_entry(m, hpa, level, 0));
	set_type(top, pamt_entry_pt(first), pamt_entry_owner_pa(first));
	for (uint64_t k = 0; k < PAMT_ENTRIES_PER_NODE; k++)
		set_free(child_entry(m, hpa, level, k));
	hp_lock_release(top, LOCK_EX);
	return TDX_SUCCESS;
}

/* The leaf at `level` hands its pt and owner to all 512 children, whose
 * bepoch restarts at 0, and becomes NDA. */
uint64_t page_demote(struct tdx_module *m, uint64_t hpa, unsigned level)
{
	_Atomic uint64_t *top = implicit_entry(m, hpa, level);
	uint64_t w0;

	if (!lock_node(m, top, LOCK_EX))
		return TDX_OPERAND_BUSY;
	w0 = atomic_load(top);
	for (uint64_t k = 0; k < PAMT_ENTRIES_PER_NODE; k++) {
		_Atomic uint64_t *e = child_entry(m, hpa, level, k);

		set_type(e, pamt_entry_pt(w0), pamt_entry_owner_pa(w0));
		atomic_store(e + 1, 0);
	}
	set_free(top);
	hp_lock_release(top, LOCK_EX);
	return TDX_SUCCESS;
}
