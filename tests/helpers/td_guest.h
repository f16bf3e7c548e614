/* SPDX-License-Identifier: MIT */
/*
 * Test helpers for running a TD's vCPUs directly with TDH.VP.ENTER (no
 * VMM): a struct tdm TD whose measured image at GPA 0 names the guest
 * program "tdg", which runs the test's own body function (tdg_body) on
 * the vCPU. The test and the guest share the process, so the body passes
 * its observations out through the test's static variables.
 */
#ifndef TDXSIM_TEST_TD_GUEST_H
#define TDXSIM_TEST_TD_GUEST_H

#include "td_machine.h"
#include "tdxsim/guest.h"

#define TDG_MAX_DATA 64

struct tdg {
	struct tdm t;
	uint64_t data[TDG_MAX_DATA];   /* PAGE.ADD/AUG pages, for teardown */
	unsigned n_data;
};

/* What the guest program "tdg" runs; its return value is the exit code. */
extern int (*tdg_body)(struct tdx_guest *g);

/* Boots the machine and adds the "tdg" program. */
void tdg_boot(struct tdg *x);
/* tdg_boot on a platform of one's own (small_config and changes). */
void tdg_boot_config(struct tdg *x, const struct tdxsim_platform_config *c);
/* tdg_boot where LP lp implements msr (reset value value), an MSR the
 * common CPU model lacks. */
void tdg_boot_msr(struct tdg *x, unsigned lp, uint32_t msr, uint64_t value);
/* MNG.CREATE/ADDCX/INIT with p (NULL: tdm defaults), n_vcpus vCPUs (vCPU i
 * on LP i), the image page at GPA 0 (naming "tdg", or all zeros when
 * !good_image: the firmware triple-faults) and, with finalize, MR.FINALIZE. */
void tdg_build(struct tdg *x, const struct td_params *p, unsigned n_vcpus,
	       bool good_image, bool finalize);
/* tdg_boot + tdg_build(NULL, 1 vCPU, good image, finalized). */
void tdg_simple(struct tdg *x);
void tdg_finalize(struct tdg *x);
/* TDH.VP.ENTER of vCPU v on LP lp with a (RCX set here). */
uint64_t tdg_enter(struct tdg *x, unsigned lp, unsigned v, struct tdx_module_args *a);
/* PAGE.AUG of a fresh page at gpa (level 0: 4K, 1: 2M), S-EPT path added
 * first; the page's HPA out. The host's bytes fill the page first. */
uint64_t tdg_aug(struct tdg *x, uint64_t gpa, unsigned level, uint8_t fill,
		 uint64_t *hpa);
/* The vCPU's TDVPS state (enum vcpu state of td.h). */
unsigned tdg_vcpu_state(struct tdg *x, unsigned v);
bool tdg_td_fatal(struct tdg *x);
/* TDCS epoch refcount of a parity (vCPUs counted inside the guest). */
unsigned tdg_epoch_refcount(struct tdg *x, unsigned parity);
/* The module's zero-step list length of vCPU v (0 before its first entry). */
unsigned tdg_epf_list_len(struct tdg *x, unsigned v);
/* Full teardown (VP.FLUSH, VPFLUSHDONE, CACHE.WB, FREEID, reclaim all). */
void tdg_teardown(struct tdg *x);

#endif
