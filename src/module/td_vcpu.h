/* SPDX-License-Identifier: MIT */
/* A vCPU reached through its TDVPR page, and its TD through the owner. */
#ifndef TDXSIM_MODULE_TD_VCPU_H
#define TDXSIM_MODULE_TD_VCPU_H

#include "td.h"

struct vcpu_ref {
	struct locked_page tdvpr_lock;
	uint8_t *tdvpr;                 /* through the TD's HKID */
	struct tdvps_mgmt *mgmt;
	struct td_ref td;
};

/* Locks the TDVPR (operand opid) in mode, then its TDR shared (operand
 * TDR); the TD gate is the caller's. */
uint64_t vcpu_lock(struct tdx_module *m, uint64_t tdvpr_pa, uint64_t opid,
		   enum lock_mode mode, struct vcpu_ref *v);
void vcpu_release(struct vcpu_ref *v);
/* associate_vcpu: this LP takes a free vCPU; another LP's is refused
 * (TDX_VCPU_ASSOCIATED). */
uint64_t vcpu_associate(struct vcpu_ref *v, unsigned lp);
/* TDVPS pages a vCPU needs (abi §5.1). */
unsigned vcpu_required_pages(const struct tdcs *tdcs);

#endif
