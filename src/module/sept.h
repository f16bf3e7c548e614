/* SPDX-License-Identifier: MIT */
/*
 * The secure EPT (abi §5.5–5.7): entries live in 4 KiB pages the host
 * donated, read and written through the TD's HKID. The walk, the 7-bit
 * state encoding, the per-leaf allowed-state matrix, the entry lock
 * (TDEL + host priority) and the RCX/RDX details on errors.
 */
#ifndef TDXSIM_MODULE_SEPT_H
#define TDXSIM_MODULE_SEPT_H

#include "td.h"

/* Internal state indices (abi §5.5 "Idx"). */
enum sept_state {
	SEPT_FREE = 0, SEPT_REMOVED, SEPT_NL_MAPPED, SEPT_NL_BLOCKED,
	SEPT_MAPPED, SEPT_BLOCKED, SEPT_BLOCKEDW, SEPT_EXP_BLOCKEDW,
	SEPT_EXP_DIRTY, SEPT_EXP_DIRTY_BLOCKEDW, SEPT_PENDING,
	SEPT_PENDING_BLOCKED, SEPT_PENDING_BLOCKEDW, SEPT_PENDING_EXP_BLOCKEDW,
	SEPT_PENDING_EXP_DIRTY, SEPT_PENDING_EXP_DIRTY_BLOCKEDW,
	SEPT_NR_STATES, SEPT_BAD = -1
};

#define SEPT_BIT(s) (1u << (s))

struct sept_walk {
	_Atomic uint64_t *entry;   /* the entry where the walk stopped */
	unsigned level;            /* its level */
	bool locked;               /* TDEL held by us */
};

int sept_state_of(uint64_t e);
unsigned sept_public_state(int state);
/* seamcall_sept_state_lookup (abi §5.5) as a bit set of states. */
unsigned sept_allowed(unsigned leaf);
bool sept_is_blocked_state(int state);
bool sept_state_tracking_required(int state);
bool sept_is_leaf_state(int state);

/* Raw entries for the states the host-side leaves create. */
uint64_t sept_make(int state, uint64_t hpa);
uint64_t sept_hpa(uint64_t e);

/* Root level of the TD's tree (PWL - 1). */
unsigned sept_root_level(const struct tdcs *tdcs);
/* secure_ept_walk: true when the walk reached `level`. */
bool sept_walk(struct tdx_module *m, const struct td_ref *td, uint64_t gpa,
	       unsigned level, struct sept_walk *w);
/* The TDEL lock in host mode: failure sets TDHP (abi §6.1). */
bool sept_lock_host(struct tdx_module *m, struct sept_walk *w);
void sept_unlock(struct sept_walk *w);
/* Stores a new value, keeping the lock bits. */
void sept_store(struct sept_walk *w, uint64_t value);
uint64_t sept_load(const struct sept_walk *w);
/* RCX = architectural entry, RDX = level/state (abi §5.6). */
void sept_set_details(struct seam_ctx *c, const struct sept_walk *w);
/* verify_page_info_input (abi §0). */
bool page_info_valid(uint64_t info, unsigned min_level, unsigned max_level);
bool gpa_private_valid(const struct tdcs *tdcs, uint64_t gpa);
uint64_t level_size(unsigned level);

#endif
