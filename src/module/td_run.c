/* SPDX-License-Identifier: MIT */
/*
 * vCPU run states: one fiber per vCPU that has entered its guest, made
 * at its first TDH.VP.ENTER. Entry switches from the LP's thread onto the
 * fiber, a TD exit switches back: the guest keeps its stack (and so its
 * place) between entries, on whichever LP the next entry comes from.
 */
#include <stdlib.h>

#include "module.h"
#include "td_run.h"
#include "platform/platform_internal.h"

#define GUEST_STACK_BYTES (256u << 10)

static void vcpu_main(void *arg)
{
	struct tdx_vcpu *gv = arg;

	fiber_entered(&gv->fiber);
	tdx_guest_firmware(gv);
	/* Firmware that returns runs off the end of its code. */
	tdx_cpu_triple_fault(gv);
}

static struct tdx_vcpu *find(struct tdx_module *m, uint64_t tdvpr_pa,
			       struct tdx_vcpu ***link)
{
	struct tdx_vcpu **l = &m->runs;

	while (*l && (*l)->tdvpr_pa != tdvpr_pa)
		l = &(*l)->next;
	if (link)
		*link = l;
	return *l;
}

/* The caller holds the TDVPR's PAMT entry (VP.ENTER), so its own run
 * state cannot be dropped meanwhile; a drop of any other bumps runs_gen
 * and only costs this LP a lookup. */
struct tdx_vcpu *td_run_get(struct tdx_module *m, unsigned lp, uint64_t tdvpr_pa)
{
	struct lp_data *l = &m->lp[lp];
	uint64_t gen = atomic_load_explicit(&m->runs_gen, memory_order_acquire);
	struct tdx_vcpu *gv = l->last_run;

	if (gv && l->last_run_gen == gen && gv->tdvpr_pa == tdvpr_pa)
		return gv;
	gv = td_run_lookup(m, tdvpr_pa);
	l->last_run = gv;
	l->last_run_gen = gen;
	return gv;
}

struct tdx_vcpu *td_run_lookup(struct tdx_module *m, uint64_t tdvpr_pa)
{
	struct tdx_vcpu *gv;

	pthread_mutex_lock(&m->runs_lock);
	gv = find(m, tdvpr_pa, NULL);
	if (!gv && (gv = calloc(1, sizeof(*gv)))) {
		gv->m = m;
		gv->tdvpr_pa = tdvpr_pa;
		if (fiber_create(&gv->fiber, GUEST_STACK_BYTES, vcpu_main, gv)) {
			gv->next = m->runs;
			m->runs = gv;
		} else {
			free(gv);
			gv = NULL;
		}
	}
	pthread_mutex_unlock(&m->runs_lock);
	return gv;
}

static void destroy(struct tdx_vcpu *gv)
{
	fiber_destroy(&gv->fiber);
	free(gv);
}

void td_run_drop(struct tdx_module *m, uint64_t tdvpr_pa)
{
	struct tdx_vcpu **link, *gv;

	pthread_mutex_lock(&m->runs_lock);
	gv = find(m, tdvpr_pa, &link);
	if (gv) {
		*link = gv->next;
		atomic_fetch_add_explicit(&m->runs_gen, 1, memory_order_release);
	}
	pthread_mutex_unlock(&m->runs_lock);
	if (gv)
		destroy(gv);
}

void td_run_drop_all(struct tdx_module *m)
{
	while (m->runs) {
		struct tdx_vcpu *gv = m->runs;

		m->runs = gv->next;
		destroy(gv);
	}
}

void td_run_enter(struct tdx_vcpu *gv, struct vcpu_ref *v, unsigned lp)
{
	struct fiber host;

	fiber_self(&host);
	gv->host = &host;
	gv->v = v;
	gv->lp = lp;
	gv->irq = platform_lp_ipi_word(gv->m->plat, lp);
	gv->exit = (struct td_exit){ 0 };
	gv->entry_rip = gv->rip;   /* td_entry_stepping_filter */
	gv->started = true;
	fiber_switch_to(&host, &gv->fiber, false);
	gv->host = NULL;
	gv->v = NULL;
}

void td_stepping_progress(struct tdx_vcpu *gv)
{
	if (gv->rip != gv->entry_rip) {
		gv->n_epf = 0;
		gv->epf_count = 0;
		gv->entry_rip = gv->rip;   /* once per exit: EPT violations log first */
	}
}

/* The TD dispatcher's first look at any exit: a TD made fatal while
 * this vCPU ran (from another LP) is left with the exit's reason and
 * qualification under NON_RECOVERABLE_TD_NON_ACCESSIBLE, and the vCPU
 * never resumes (async_tdexit_to_vmm). */
static void fatal_td_exit(struct tdx_vcpu *gv)
{
	if (!gv->v || !gv->v->td.tdr->fatal || gv->exit.status == TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE)
		return;
	gv->exit = (struct td_exit){ .status = TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE,
				     .reason = gv->exit.reason, .qual = gv->exit.qual };
	gv->dead = true;
}

void td_exit_to_host(struct tdx_vcpu *gv)
{
	fatal_td_exit(gv);
	td_stepping_progress(gv);   /* every exit (vmexit_stepping_filter) */
	/* A TDCALL that leaves the TD has ended as a call: a one-call
	 * injection aimed at it must not count the host's work meanwhile. */
	module_next_left_td(gv->m, gv->lp);
	fiber_switch_to(&gv->fiber, gv->host, gv->dead);
	/* Entered again: a #VE VP.ENTER chose to deliver comes first. */
	if (gv->notify_ve) {
		gv->notify_ve = false;
		td_inject_ve(gv, (uint32_t)TDX_EXIT_EPT_VIOLATION, gv->notify_qual,
			     0, gv->notify_gpa, 0);
	}
}

/* An asynchronous exit taken before an instruction: after_exit() makes
 * it last_td_exit = ASYNC_FAULT, so the next entry loads no GPRs from the
 * VMM and the guest resumes here, as the CPU re-executes nothing it had
 * not started. The host, not the module, acknowledges the interrupt
 * (VM-exit "acknowledge interrupt on exit": R9 carries the vector). The
 * module's interrupt-based single-step filter (abi §6.4) is not
 * modelled: the exit is always taken at once. */
void td_take_interrupt(struct tdx_vcpu *gv, uint8_t vector)
{
	gv->exit = (struct td_exit){
		.status = TDX_SUCCESS, .reason = TDX_EXIT_EXTERNAL_INTERRUPT,
		.intr_info = TDX_INTR_INFO_VALID | TDX_INTR_TYPE_EXT_INTR | vector,
	};
	td_exit_to_host(gv);
}

void tdx_cpu_triple_fault(struct tdx_vcpu *gv)
{
	gv->exit = (struct td_exit){ .status = TDX_NON_RECOVERABLE_VCPU,
				     .reason = TDX_EXIT_TRIPLE_FAULT };
	gv->dead = true;
	td_exit_to_host(gv);
	abort();   /* a dead vCPU is never resumed */
}

void tdx_cpu_set_ve_handler(struct tdx_vcpu *gv, void (*fn)(void *arg), void *arg)
{
	gv->ve_handler = fn;
	gv->ve_arg = arg;
}

const struct tdx_guest_program *tdx_cpu_find_program(struct tdx_vcpu *gv,
						     const char *name)
{
	return platform_guest_program(gv->m->plat, name);
}
