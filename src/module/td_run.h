/* SPDX-License-Identifier: MIT */
/* The module's side of a running vCPU (see td_guest.h for the guest's). */
#ifndef TDXSIM_MODULE_TD_RUN_H
#define TDXSIM_MODULE_TD_RUN_H

#include <stdatomic.h>

#include "tdxsim/tdcall.h"
#include "td_vcpu.h"
#include "platform/fiber.h"

/* Why the guest left; VP.ENTER turns it into the exit registers. */
struct td_exit {
	uint64_t status;            /* class in 63:32 (TDX_SUCCESS, NON_RECOVERABLE_*) */
	uint64_t reason;            /* VMX exit reason, 31:0 */
	uint64_t qual, ext_qual, gpa, intr_info;
	bool vmcall;                /* TDG.VP.VMCALL: GPRs pass per the control */
	uint64_t vmcall_ctl;
};

struct tdx_vcpu {
	struct tdx_module *m;
	uint64_t tdvpr_pa;
	struct fiber fiber;
	struct fiber *host;         /* the LP thread inside VP.ENTER */
	bool started;
	bool dead;                  /* never to run again (fatal, triple fault) */
	/* Valid while the guest runs: what VP.ENTER holds for it. */
	struct vcpu_ref *v;
	unsigned lp;
	/* The LP's pending-interrupt word (platform ipi.c), polled at each
	 * instruction boundary; set at every entry. */
	const _Atomic uint8_t *irq;
	struct td_exit exit;
	void (*ve_handler)(void *arg);
	void *ve_arg;
	/* The instruction length a #VE reports: the TDCALL's (4) while a
	 * TDCALL's memory operand is accessed, else 0 (an EPT violation's
	 * length is undefined). */
	uint8_t ve_instr_len;
	/* While a TDCALL's memory operand is accessed: the rights the module
	 * maps it with (EPT qualification bits), else 0. */
	uint8_t operand_rights;
	/* The interrupted instruction's registers while a #VE for it is
	 * handled (CPUID, RDMSR, WRMSR): what tdx_cpu_ve_gprs() hands the
	 * handler. */
	uint64_t *ve_gpr;
	/* Zero-step mitigation (abi §6.4): the guest's "RIP" is the count of
	 * completed instructions, which a retried access does not advance;
	 * entry_rip is its value at the last TD entry, epf_count the EPT
	 * violations since the guest last made progress
	 * (possibly_epf_stepping). */
	uint64_t rip, entry_rip;
	unsigned epf_count;
	/* The #VE VP.ENTER decided to deliver on entry (notify on a suspected
	 * zero-step attack): the last exit's reason, qualification, GPA. */
	bool notify_ve;
	uint64_t notify_qual, notify_gpa;
	unsigned n_epf;
	uint64_t epf_gpa[TDX_EPF_GPA_LIST_SIZE];
	struct tdx_vcpu *next;
};

/* The vCPU's run state, made at its first VP.ENTER; NULL when memory is
 * short. Dropped when its TDVPR page is reclaimed or the module goes. */
struct tdx_vcpu *td_run_lookup(struct tdx_module *m, uint64_t tdvpr_pa);
/* The same through LP lp's one-entry cache (VP.ENTER's hot path). */
struct tdx_vcpu *td_run_get(struct tdx_module *m, unsigned lp, uint64_t tdvpr_pa);
void td_run_drop(struct tdx_module *m, uint64_t tdvpr_pa);
void td_run_drop_all(struct tdx_module *m);
/* Runs the guest until its next TD exit (VP.ENTER's body). */
void td_run_enter(struct tdx_vcpu *gv, struct vcpu_ref *v, unsigned lp);
/* From the guest: leave to the host; returns at the next entry. A last
 * exit (dead vCPU) never returns. */
void td_exit_to_host(struct tdx_vcpu *gv);

/* An external interrupt pending on the LP: an asynchronous TD exit
 * (abi §7.2: TDX_SUCCESS | EXTERNAL_INTERRUPT, R9 the interruption info)
 * before the instruction; it returns at the next entry, and the
 * instruction then runs as if nothing happened. */
void td_take_interrupt(struct tdx_vcpu *gv, uint8_t vector);

/* td_generic_ve_exit: a #VE for an instruction the guest's handler
 * emulates, with the instruction's registers in gpr (tdx_cpu_ve_gprs). */
void td_instruction_ve(struct tdx_vcpu *gv, uint64_t *gpr, uint32_t exit_reason,
		       uint32_t instr_len);

/* vmexit_stepping_filter's reset: the guest made progress since the
 * entry, so the EPT-violation count and the GPA list start again. */
void td_stepping_progress(struct tdx_vcpu *gv);

/* tdx_inject_ve: VE_INFO, then the guest's #VE handler. */
void td_inject_ve(struct tdx_vcpu *gv, uint32_t exit_reason, uint64_t qual,
		  uint64_t gla, uint64_t gpa, uint32_t instr_len);

/* The guest's instruction boundary: one relaxed load when nothing is
 * pending. */
static inline void td_interrupt_window(struct tdx_vcpu *gv)
{
	uint8_t vector = gv->irq ? atomic_load_explicit(gv->irq, memory_order_relaxed) : 0;

	if (__builtin_expect(vector != 0, 0))
		td_take_interrupt(gv, vector);
}

/* A TDCALL's memory operand (the module's check_walk_and_map_guest_side_
 * gpa): false, with nothing accessed, for a GPA the leaf may not use
 * (beyond GPAW, shared when private_only, crossing a page); otherwise the
 * access completes, through whatever EPT-violation exits and #VEs it
 * takes, as the TDCALL would be re-executed after each. */
bool td_guest_operand(struct tdx_vcpu *gv, uint64_t gpa, void *buf, size_t len,
		      bool write, bool private_only);

/* tdcall.c: one handler per TDCALL leaf. */
typedef uint64_t (*tdcall_fn)(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_vp_vmcall(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_vp_info(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_vp_cpuidve_set(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_vp_veinfo_get(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_mem_page_accept(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_mr_rtmr_extend(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_mr_report(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_vm_rd(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_vm_wr(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_sys_rd(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_sys_rdall(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_vp_rd(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_vp_wr(struct tdx_vcpu *gv, uint64_t *gpr);
uint64_t tdg_mr_verifyreport(struct tdx_vcpu *gv, uint64_t *gpr);

#endif
