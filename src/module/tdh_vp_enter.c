/* SPDX-License-Identifier: MIT */
/*
 * TDH.VP.ENTER (abi §7.1–7.3, §6.3–6.4): RCX = TDVPR | flags. Checks in
 * the module's order, then the TD runs on this LP until its next exit.
 * The TDVPR and TDR stay locked SH while the guest runs; the op-state
 * lock is dropped just before entry; the epoch lock is taken briefly to
 * count this vCPU in the current TD epoch until it exits.
 *
 * Exit registers (abi §7.2–7.3): RAX = status class | exit reason, RCX
 * qualification, RDX extended qualification, R8 GPA, R9 interruption
 * info, the rest zero; a TDG.VP.VMCALL exit instead passes the GPRs the
 * guest selected. Under NO_RBP_MOD the module never writes RBP: we read
 * that flag as covering every exit, which is what KVM relies on.
 */
#include "module.h"
#include "sept.h"
#include "td_run.h"
#include "platform/platform_internal.h"
#include "platform/trace.h"


/* Step 3: the vCPU itself. */
static uint64_t check_vcpu(struct vcpu_ref *v, unsigned lp)
{
	if (v->mgmt->num_tdvps_pages < vcpu_required_pages(v->td.tdcs))
		return TDX_TDCX_NUM_INCORRECT;
	if (v->mgmt->state != VCPU_READY)
		return TDX_VCPU_STATE_INCORRECT;
	return vcpu_associate(v, lp);
}

/* Step 4: flags. The recoverability hint only follows an ASYNC_TRAP exit;
 * resume_l1 needs an L2 VM, which this model has none of. (RCX's
 * reserved bits were the first check.) */
static bool flags_valid(const struct vcpu_ref *v, uint64_t rcx)
{
	if ((rcx & TDX_VP_ENTER_HOST_RECOVERABILITY_HINT) &&
	    v->mgmt->last_td_exit != LAST_EXIT_ASYNC_TRAP)
		return false;
	return !(rcx & TDX_VP_ENTER_RESUME_L1);
}

/* Step 5: count this vCPU in the TD's current epoch. */
static uint64_t epoch_enter(struct tdx_module *m, struct vcpu_ref *v)
{
	struct tdcs *tdcs = v->td.tdcs;

	if (module_fault(m, TDXSIM_INJECT_EPOCH_LOCK) ||
	    !sharex_try(&tdcs->epoch_lock, LOCK_SH))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_TD_EPOCH);
	v->mgmt->vcpu_epoch = atomic_load(&tdcs->td_epoch);
	atomic_fetch_add(&tdcs->refcount[v->mgmt->vcpu_epoch & 1], 1);
	sharex_release(&tdcs->epoch_lock, LOCK_SH);
	return TDX_SUCCESS;
}

static void epoch_leave(struct vcpu_ref *v)
{
	atomic_fetch_sub(&v->td.tdcs->refcount[v->mgmt->vcpu_epoch & 1], 1);
}

static void zero_exit_gprs(struct seam_ctx *c, bool keep_rbp)
{
	static const unsigned regs[] = { RBX, RSI, RDI, R10, R11, R12, R13, R14, R15 };

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		c->gpr[regs[i]] = 0;
	if (!keep_rbp)
		c->gpr[RBP] = 0;
}

/* A listed GPA is fixed once its walk reaches a guest-usable leaf. */
static bool epf_gpa_mapped(struct tdx_module *m, struct vcpu_ref *v, uint64_t gpa)
{
	struct sept_walk w;
	int s;

	sept_walk(m, &v->td, gpa, TDX_LVL_PT, &w);
	s = sept_state_of(sept_load(&w));
	return s == SEPT_MAPPED || s == SEPT_PENDING;
}

/* FILTER_OK_NOTIFY_EPS_FAULT and can_inject_epf_ve: a TD that asked
 * (NOTIFY_ENABLES bit 0) learns of the suspected attack by a #VE on entry,
 * when the last exit was an EPT violation on a private GPA and no #VE
 * information is unread. */
static void notify_zero_step(struct vcpu_ref *v, struct tdx_vcpu *gv)
{
	const struct tdvps_ve_info *ve = (const struct tdvps_ve_info *)(v->tdvpr + TDVPS_VE_INFO_OFFSET);
	uint64_t shared = 1ULL << (v->td.tdcs->gpaw - 1);

	if (!(v->td.tdcs->notify_enables & TDX_NOTIFY_ENABLES_ZERO_STEP) ||
	    gv->exit.reason != TDX_EXIT_EPT_VIOLATION || (gv->exit.gpa & shared) ||
	    ve->valid == TDX_VE_INFO_VALID)
		return;
	gv->notify_ve = true;
	gv->notify_qual = gv->exit.qual;
	gv->notify_gpa = gv->exit.gpa;
}

/*
 * The zero-step filter (abi §6.4, td_entry_stepping_filter): with GPAs on
 * the vCPU's list, entry takes the S-EPT tree lock EX and re-walks them;
 * one still unmapped means an emulated EPT-violation exit instead of an
 * entry (true). The list stays until the guest makes progress.
 */
static uint64_t stepping_filter(struct tdx_module *m, struct seam_ctx *c,
				struct vcpu_ref *v, struct tdx_vcpu *gv,
				bool *emulated_exit)
{
	*emulated_exit = false;
	if (!gv->n_epf)
		return TDX_SUCCESS;
	if (!td_tree_lock(m, v->td.tdcs, LOCK_EX))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_SEPT_TREE);
	for (unsigned i = 0; i < gv->n_epf; i++) {
		if (epf_gpa_mapped(m, v, gv->epf_gpa[i]))
			continue;
		c->gpr[RCX] = TDX_EPT_QUAL_WRITE;
		c->gpr[RDX] = 0;
		c->gpr[R8] = gv->epf_gpa[i];
		c->gpr[R9] = 0;
		zero_exit_gprs(c, true);   /* RBP keeps the VMM's value (§6.4) */
		*emulated_exit = true;
		td_tree_unlock(v->td.tdcs, LOCK_EX);
		return TDX_SUCCESS | TDX_EXIT_EPT_VIOLATION;
	}
	td_tree_unlock(v->td.tdcs, LOCK_EX);
	notify_zero_step(v, gv);
	return TDX_SUCCESS;
}

/* After a TDVMCALL exit the guest's selected GPRs come from the VMM. */
static void load_vmcall_regs(struct seam_ctx *c, struct vcpu_ref *v,
			     const struct tdx_vcpu *gv)
{
	struct tdvps_guest *g = tdvps_guest_of(v->tdvpr);

	for (unsigned i = RDX; i < NR_GPRS && i < TDX_NR_GPRS; i++)
		if (gv->exit.vmcall_ctl >> i & 1)
			g->gpr[i] = c->gpr[i];
}

static uint64_t exit_regs(struct seam_ctx *c, struct vcpu_ref *v,
			  const struct tdx_vcpu *gv)
{
	const struct td_exit *x = &gv->exit;
	bool keep_rbp = v->td.tdcs->config_flags & TDX_CONFIG_FLAGS_NO_RBP_MOD;

	if (x->vmcall) {
		const struct tdvps_guest *g = tdvps_guest_of(v->tdvpr);

		c->gpr[RCX] = x->vmcall_ctl & 0xFFFFFFFFULL;
		for (unsigned i = RDX; i < TDX_NR_GPRS; i++) {
			if (i == RSP)
				continue;
			if (x->vmcall_ctl >> i & 1)
				c->gpr[i] = g->gpr[i];
			else if (!(i == RBP && keep_rbp))
				c->gpr[i] = 0;
		}
		return TDX_EXIT_TDCALL;
	}
	c->gpr[RCX] = x->qual;
	c->gpr[RDX] = x->ext_qual;
	c->gpr[R8] = x->gpa;
	c->gpr[R9] = x->intr_info;
	zero_exit_gprs(c, keep_rbp);
	return x->status | x->reason;
}

/* The vCPU's and TD's state after the exit (abi §7.2). */
static void after_exit(struct vcpu_ref *v, const struct tdx_vcpu *gv)
{
	uint64_t class = gv->exit.status & ~0xFFFFFFFFULL;

	if (class == TDX_NON_RECOVERABLE_VCPU) {
		v->mgmt->state = VCPU_DISABLED;
		return;
	}
	if (gv->exit.status & TDX_STATUS_NON_RECOVERABLE) {
		v->td.tdr->fatal = 1;
		v->mgmt->state = VCPU_DISABLED;
		return;
	}
	v->mgmt->state = VCPU_READY;
	if (!gv->exit.vmcall)
		v->mgmt->last_td_exit = LAST_EXIT_ASYNC_FAULT;
}

/* --trace (docs/trace.md): the exit as the host sees it, an instant on
 * the LP; status is the exit RAX, the registers are the exit's. */
static void trace_exit(struct trace *t, const struct seam_ctx *c,
		       const struct vcpu_ref *v, const struct tdx_vcpu *gv,
		       uint64_t status, bool emulated)
{
	struct trace_td_exit x = {
		.status = status, .vcpu_index = v->mgmt->vcpu_index,
		.tdvpr = gv->tdvpr_pa, .qual = c->gpr[RCX], .gpa = c->gpr[R8],
		.r10 = c->gpr[R10], .r11 = c->gpr[R11],
		.vmcall = !emulated && gv->exit.vmcall, .emulated = emulated,
	};

	trace_td_exit(t, c->lp, &x);
}

static uint64_t enter(struct tdx_module *m, struct seam_ctx *c, struct vcpu_ref *v)
{
	struct td_exit_host_saved saved;
	struct tdx_vcpu *gv;
	uint64_t status;
	struct trace *t;
	bool emulated;

	if (!flags_valid(v, c->gpr[RCX]))
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	gv = td_run_get(m, c->lp, c->gpr[RCX] & TDX_VP_ENTER_TDVPR_MASK);
	if (!gv || gv->dead)
		return TDX_VCPU_STATE_INCORRECT;
	status = epoch_enter(m, v);
	if (status != TDX_SUCCESS)
		return status;
	status = stepping_filter(m, c, v, gv, &emulated);
	if (status != TDX_SUCCESS || emulated) {
		epoch_leave(v);
		t = TRACE_OF(m->plat);
		if (__builtin_expect(t != NULL, 0) && emulated)
			trace_exit(t, c, v, gv, status, true);
		return status;
	}
	td_release_op(&v->td);
	if (v->mgmt->last_td_exit == LAST_EXIT_TDVMCALL && gv->exit.vmcall)
		load_vmcall_regs(c, v, gv);
	v->mgmt->state = VCPU_ACTIVE;
	td_entry_save_host(m->plat, c->lp, &saved);
	td_run_enter(gv, v, c->lp);
	td_exit_host_state(m->plat, c->lp, v->td.tdcs->attributes, v->td.tdcs->xfam,
			   &saved, NULL);
	epoch_leave(v);
	after_exit(v, gv);
	status = exit_regs(c, v, gv);
	t = TRACE_OF(m->plat);
	if (__builtin_expect(t != NULL, 0))
		trace_exit(t, c, v, gv, status, false);
	return status;
}

uint64_t tdh_vp_enter(struct tdx_module *m, struct seam_ctx *c)
{
	struct vcpu_ref v;
	uint64_t status;

	if (lp_boot_nt4(m, c->lp))
		return TDX_LIMIT_CPUID_MAXVAL_SET;
	/* tdh_vp_enter: RCX's reserved bits before any lock, so a bad call
	 * never associates the vCPU. */
	if (c->gpr[RCX] & TDX_VP_ENTER_RESERVED_MASK)
		return STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	status = vcpu_lock(m, c->gpr[RCX] & TDX_VP_ENTER_TDVPR_MASK,
			   TDX_OPERAND_ID_RCX, LOCK_SH, &v);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &v.td, TDH_VP_ENTER, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = check_vcpu(&v, c->lp);
	if (status == TDX_SUCCESS)
		status = enter(m, c, &v);
	vcpu_release(&v);
	return status;
}
