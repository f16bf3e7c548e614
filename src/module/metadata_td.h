/* SPDX-License-Identifier: MIT */
/*
 * TD-scope and VP-scope metadata (abi §8.3): the field tables behind
 * TDH.MNG.RD/WR and TDH.VP.RD/WR, and the locking and register handling
 * the four leaves share.
 */
#ifndef TDXSIM_METADATA_TD_H
#define TDXSIM_METADATA_TD_H

#include "td_vcpu.h"

/* What one access reaches. debug = ATTRIBUTES.DEBUG: the host's read and
 * write masks of a debug TD apply instead of the production ones. */
struct md_target {
	unsigned ctx;                   /* MD_CTX_TD or MD_CTX_VP */
	bool debug;
	bool guest;                     /* TDG.VM/VP.RD/WR: the guest's masks */
	struct tdx_module *m;
	struct tdr *tdr;
	struct tdcs *tdcs;
	uint8_t *tdvpr;                 /* VP scope only */
	struct td_vmcs *vmcs;           /* VP scope only */
};

/* The registers of one call, SEAMCALL or TDCALL (abi §8.1): RDX = field ID; for a write R8 =
 * value and R9 = write mask. */
struct md_args {
	uint64_t id, value, mask;
	bool read;
	unsigned version;
};

/* Captures the inputs and sets the outputs every exit path leaves: R8 =
 * 0 and, for a version-1 read, RDX = -1. */
struct md_args md_leaf_args(uint64_t *gpr, unsigned version, bool read);
/* Field ID checks and the access itself; R8 (and RDX) out on success. */
uint64_t md_leaf_access(const struct md_target *t, uint64_t *gpr,
			const struct md_args *a);

/* TDH.MNG.RD/WR: TDR (RCX) SH, op state SH, the TD gate. Only on success
 * does the caller hold td, until td_release(). */
uint64_t md_open_td(struct tdx_module *m, struct seam_ctx *c, unsigned leaf,
		    struct td_ref *td, struct md_target *t);
/* TDH.VP.RD/WR: TDVPR (RCX) SH, TDR SH, op state SH, the TD gate, the
 * TDVPS pages, the vCPU state, then association with this LP (abi §6.3).
 * Only on success does the caller hold v, until vcpu_release(). */
uint64_t md_open_vp(struct tdx_module *m, struct seam_ctx *c, unsigned leaf,
		    struct vcpu_ref *v, struct md_target *t);

/* Field access without the registers; value and old are element-width. */
uint64_t md_read(const struct md_target *t, uint64_t id, uint64_t *value);
uint64_t md_write(const struct md_target *t, uint64_t id, uint64_t value,
		  uint64_t mask, uint64_t *old);
/* The readable element after id (which must be readable), or -1. */
uint64_t md_next_id(const struct md_target *t, uint64_t id);
uint64_t md_first_id(const struct md_target *t);

/* The vCPU's TD VMCS (TDVPS page 1). VP.INIT initialises the VMCS (abi
 * §5.4); this model fills in the initial values of the fields it keeps on
 * first use, which can only come after VP.INIT. */
struct td_vmcs *td_vmcs_of(struct tdx_module *m, const struct vcpu_ref *v);

#endif
