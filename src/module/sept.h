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
/* Whether the leaf may act on an entry in this state (SEPT_BAD: no). */
bool sept_leaf_allows(unsigned leaf, int state);
bool sept_is_blocked_state(int state);
bool sept_state_tracking_required(int state);
bool sept_is_leaf_state(int state);
/* The guest-accessible leaves: MAPPED, BLOCKEDW and the exported ones. */
bool sept_guest_readable(int state);

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
/* The TDEL lock in guest mode (abi §6.1): a host-priority request makes
 * the guest back off; it sees plain BUSY (abi §6.2). */
bool sept_lock_guest(struct sept_walk *w);
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
/* The page a leaf maps, without the accept counter a pending 2M leaf
 * keeps in its low HPA bits (abi §5.5). */
uint64_t sept_leaf_hpa(uint64_t e, unsigned level);
/* Page-info operand in [min, max] with a private GPA: else the caller
 * returns OPERAND_INVALID|RCX (abi §0, lock_sept_check_and_walk). */
bool page_info_private(const struct tdcs *tdcs, uint64_t info,
		       unsigned min_level, unsigned max_level);

/*
 * The start most S-EPT leaves share (abi §5.6, §6.3): the tree lock in
 * `tree` mode, a walk to `level`, the entry lock. On failure nothing is
 * held; walk and entry-lock failures leave the §5.6 details in RCX/RDX.
 */
uint64_t sept_enter(struct tdx_module *m, struct seam_ctx *c,
		    const struct td_ref *td, uint64_t gpa, unsigned level,
		    enum lock_mode tree, struct sept_walk *w);
typedef uint64_t (*sept_entry_fn)(struct tdx_module *m, struct seam_ctx *c,
				  struct td_ref *td, struct sept_walk *w);
/* The page-info check (levels min..max, private GPA: OPERAND_INVALID|RCX),
 * sept_enter() with the tree in mode tree, fn on the locked entry, then
 * sept_leave(). */
uint64_t sept_on_entry(struct tdx_module *m, struct seam_ctx *c,
		       struct td_ref *td, uint64_t info, unsigned min_level,
		       unsigned max_level, enum lock_mode tree, sept_entry_fn fn);
void sept_leave(const struct td_ref *td, struct sept_walk *w,
		enum lock_mode tree);
/* When both the entry's state and the TD's op state need TLB tracking,
 * the entry must be blocked and bepoch tracked (abi §5.7 PAGE.REMOVE). */
uint64_t sept_check_tracked(struct seam_ctx *c, const struct td_ref *td,
			    const struct sept_walk *w, uint64_t bepoch);

/* tdh_mem_rd.c: TDH.MEM.RD and TDH.MEM.WR share everything but the
 * store (abi §5.7). */
uint64_t tdh_mem_rd_wr(struct tdx_module *m, struct seam_ctx *c, bool write);

#endif
