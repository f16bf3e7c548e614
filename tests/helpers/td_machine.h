/* SPDX-License-Identifier: MIT */
/*
 * Test helpers for the module's TD leaves: a booted host (2 packages x 2
 * LPs, 4 GiB) that hands out TDX pages, and the build steps of a TD done
 * directly with SEAMCALLs, each asserting success. Conformance tests
 * take a TD to the state they need and then break one thing.
 */
#ifndef TDXSIM_TEST_TD_MACHINE_H
#define TDXSIM_TEST_TD_MACHINE_H

#include "host_machine.h"

#define TDM_MAX_VCPUS 8
#define TDM_MAX_SEPT 64

struct tdm {
	struct hm hm;
	uint64_t shared;   /* a host page for TD_PARAMS and page sources */
	uint16_t hkid;
	uint64_t tdr;
	uint64_t tdcx[TDX_MAX_NUM_TDCS_PAGES];
	unsigned n_tdcx;
	unsigned n_vcpus;
	uint64_t tdvpr[TDM_MAX_VCPUS];
	uint64_t tdvpx[TDM_MAX_VCPUS][TDX_MAX_TDVPS_PAGES];
	unsigned n_sept;
	uint64_t sept[TDM_MAX_SEPT];   /* SEPT pages added by tdm_sept_path */
};

void tdm_boot(struct tdm *t);
/* tdm_boot on a platform of one's own. */
void tdm_boot_config(struct tdm *t, const struct tdxsim_platform_config *c);
void tdm_free(struct tdm *t);
/* A fresh 4 KiB TDX page from the host allocator. */
uint64_t tdm_page(struct tdm *t);
/* A free 2 MiB-aligned TDX range. */
uint64_t tdm_page_2m(struct tdm *t);
uint64_t tdm_sc(struct tdm *t, unsigned lp, uint64_t leaf, struct tdx_module_args *a);
/* The first private HKID. */
uint16_t tdm_first_hkid(struct tdm *t);

/* TD_PARAMS a TD accepts: 4-level EPT, 2.5 GHz, x87|SSE, max vCPUs 4. */
void tdm_default_params(struct td_params *p);
/* MNG.CREATE with the next free HKID, KEY.CONFIG on each package. */
void tdm_create(struct tdm *t);
/* The 6 TDCS pages. */
void tdm_addcx_all(struct tdm *t);
/* Writes p to the shared page and calls MNG.INIT; returns the status. */
uint64_t tdm_mng_init(struct tdm *t, const struct td_params *p, uint64_t *rcx_out);
/* create + addcx + init with the default parameters. */
void tdm_td_init(struct tdm *t);
/* VP.CREATE, 5 VP.ADDCX, VP.INIT (version 1) on LP lp; index returned. */
unsigned tdm_vcpu(struct tdm *t, unsigned lp);
/* SEPT.ADD for every missing non-leaf entry above gpa down to level
 * `level` (level 1: a 4K page table exists). */
void tdm_sept_path(struct tdm *t, uint64_t gpa, unsigned level);
/* PAGE.ADD of a 4K page from the shared page filled with byte fill. */
uint64_t tdm_page_add(struct tdm *t, uint64_t gpa, uint8_t fill, uint64_t *hpa);
/* A TD up to RUNNABLE: init, one vCPU on LP 0, finalize. */
void tdm_runnable(struct tdm *t);
/* Full teardown in the module's order and reclaim of every page in
 * pages[] (TDR last); asserts each step. */
void tdm_teardown(struct tdm *t, const uint64_t *pages, unsigned n);
/* Every control page the helper made (TDVPX, TDVPR, SEPT, TDCX), for
 * teardown. */
unsigned tdm_control_pages(struct tdm *t, uint64_t *out, unsigned max);
/* tdm_teardown without the final reclaim of the TDR, for tests that
 * check the TDR's child count through that reclaim. */
void tdm_teardown_keep_tdr(struct tdm *t, const uint64_t *pages, unsigned n);
/* PHYMEM.PAGE.RECLAIM of pa; on success the page, at the size the
 * module reports, goes back to the host allocator. */
uint64_t tdm_reclaim(struct tdm *t, uint64_t pa);
/* Drops pa from the S-EPT pages teardown reclaims, once the module has
 * handed it back (SEPT.REMOVE, PROMOTE); true if it was listed. */
bool tdm_forget_sept(struct tdm *t, uint64_t pa);
/* Stand-in for vCPUs still in the guest since an epoch of that parity
 * (TDH.VP.ENTER is not modelled): sets TDCS refcount[parity]. */
void tdm_set_epoch_refcount(struct tdm *t, unsigned parity, uint16_t n);
/* Holds, then drops, the exclusive lock of the PAMT entry of pa at a
 * level (TDX_PS_*), as another LP inside the module would. */
void tdm_pamt_hold(struct tdm *t, unsigned level, uint64_t pa);
void tdm_pamt_release(struct tdm *t, unsigned level, uint64_t pa);

#endif
