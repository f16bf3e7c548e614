/* SPDX-License-Identifier: MIT */
/*
 * TDH.VP.INIT (abi §5.4): RCX = TDVPR, RDX = the guest's initial RCX;
 * version 1 (Linux, linux §1.3) also takes the x2APIC ID in R8. The vCPU
 * becomes READY and associated with this LP.
 */
#include "td_vcpu.h"
#include "platform/platform_internal.h"

#define INIT_DR6   0xFFFF0FF0ULL   /* abi §5.4 */
#define INIT_FMASK 0x20200ULL      /* abi §5.4 */

static void init_guest(struct tdx_module *m, struct seam_ctx *c,
		       struct vcpu_ref *v, uint32_t index)
{
	struct tdvps_guest *g = tdvps_guest_of(v->tdvpr);
	uint32_t r[4];

	platform_cpuid(m->plat, c->lp, 1, 0, r);
	g->gpr[RCX] = g->gpr[R8] = c->gpr[RDX];
	g->gpr[RBX] = v->td.tdcs->gpaw;
	g->gpr[RDX] = r[0];
	g->gpr[RSI] = index;
	g->xcr0 = 1;
	g->dr6 = INIT_DR6;
	g->ia32_fmask = INIT_FMASK;
}

static uint64_t take_index(struct tdcs *t, uint32_t *index)
{
	*index = atomic_fetch_add(&t->num_vcpus, 1);
	if (*index >= t->max_vcpus) {
		atomic_fetch_sub(&t->num_vcpus, 1);
		return TDX_MAX_VCPUS_EXCEEDED;
	}
	return TDX_SUCCESS;
}

uint64_t tdh_vp_init(struct tdx_module *m, struct seam_ctx *c)
{
	struct vcpu_ref v;
	uint64_t status;
	uint32_t index;

	status = vcpu_lock(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_EX, &v);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &v.td, TDH_VP_INIT, LOCK_SH);
	if (status == TDX_SUCCESS && v.mgmt->num_tdvps_pages < vcpu_required_pages(v.td.tdcs))
		status = TDX_TDCX_NUM_INCORRECT;
	else if (status == TDX_SUCCESS && v.mgmt->state != VCPU_UNINITIALIZED)
		status = TDX_VCPU_STATE_INCORRECT;
	if (status == TDX_SUCCESS)
		status = take_index(v.td.tdcs, &index);
	if (status == TDX_SUCCESS) {
		v.mgmt->vcpu_index = index;
		v.mgmt->x2apic_id = c->version ? (uint32_t)c->gpr[R8] : index;
		init_guest(m, c, &v, index);
		v.mgmt->state = VCPU_READY;
		atomic_store(&v.mgmt->assoc_lpid, (int32_t)c->lp);
		atomic_fetch_add(&v.td.tdcs->num_assoc_vcpus, 1);
	}
	vcpu_release(&v);
	return status;
}
