/* SPDX-License-Identifier: MIT */
/*
 * The runner as a small VMM: TDH.VP.ENTER of one vCPU on the LP VP.INIT
 * gave it, and the exits served the way src/vmm serves them, with less:
 * the console (COM1) and the exit port, HLT, CPUID, GetTdVmCallInfo and
 * ReportFatalError; a private EPT violation is mapped with SEPT.ADD and
 * PAGE.AUG from the TD's pages. Everything else a GHCI guest may ask
 * (MSRs, MMIO, MapGPA, GetQuote) is SUBFUNC_UNSUPPORTED: no shared
 * memory, no devices. The agent's vendor TDVMCALLs go back to the
 * caller; NON_RECOVERABLE exits and refused entries end the vCPU.
 */
#include <string.h>

#include "script_td.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/agent.h"
#include "tdxsim/guest.h"
#include "tdxsim/platform.h"

#define EEQ_TYPE_MASK   0xFULL
#define COM1_LSR        (TDX_GUEST_PORT_COM1 + 5)
#define COM1_LSR_THR_EMPTY 0x60

struct vrun {
	struct runner *r;
	struct rt_td *td;
	struct rt_vcpu *v;
	unsigned index;
	uint8_t prev;           /* the state before: a refused entry keeps it */
	bool done, agent;
	int rc;
};

const char *run_end_name(unsigned end)
{
	static const char *const names[] = {
		[END_NONE] = "none", [END_EXIT] = "exit", [END_HALT] = "halted",
		[END_GUEST_FATAL] = "guest-fatal", [END_SHUTDOWN] = "shutdown",
		[END_TD_FATAL] = "td-fatal", [END_ENTRY] = "a refused entry",
	};

	return end < sizeof(names) / sizeof(names[0]) ? names[end] : "?";
}

/* "exit=0x0", "halted", "a refused entry (TDX_OP_STATE_INCORRECT)". */
char *run_end_text(unsigned end, uint64_t value, char *buf, size_t len)
{
	char st[96];

	if (end == END_EXIT || end == END_GUEST_FATAL)
		snprintf(buf, len, "%s=0x%llx", run_end_name(end), (unsigned long long)value);
	else if (end == END_ENTRY || end == END_TD_FATAL || end == END_SHUTDOWN)
		snprintf(buf, len, "%s (%s)", run_end_name(end),
			 tdx_status_format(value, st, sizeof(st)));
	else
		snprintf(buf, len, "%s", run_end_name(end));
	return buf;
}

static void end(struct vrun *x, unsigned how, uint64_t value)
{
	/* A refused entry ran nothing: the vCPU may be entered again once
	 * the reason is gone. */
	x->v->state = how == END_ENTRY ? x->prev : RV_ENDED;
	x->v->end = (uint8_t)how;
	x->v->end_value = value;
	x->done = true;
}

/* A run error: the vCPU is given up, as a VMM gives up a bugged one. */
static void fail(struct vrun *x, int rc)
{
	end(x, END_NONE, 0);
	x->rc = rc ? rc : SCRIPT_FAILED;
}

void console_show(struct runner *r, struct rt_td *td, bool all)
{
	size_t end = td->console_len;

	while (!all && end > td->console_shown && td->console[end - 1] != '\n')
		end--;
	if (end == td->console_shown)
		return;
	fwrite(td->console + td->console_shown, 1, end - td->console_shown, r->out);
	if (td->console[end - 1] != '\n')
		fputc('\n', r->out);
	td->console_shown = end;
}

/* The guest's console, kept for `td run ... console TEXT` and printed a
 * line at a time (so -v's trace does not cut through it). */
static void console_putc(struct vrun *x, char ch)
{
	struct rt_td *td = x->td;

	if (td->console_len + 1 < sizeof(td->console)) {
		td->console[td->console_len++] = ch;
		td->console[td->console_len] = '\0';
	}
	if (ch == '\n')
		console_show(x->r, td, false);
}

static void io(struct vrun *x, struct tdx_module_args *a)
{
	unsigned size = (unsigned)a->r12;
	uint16_t port = (uint16_t)a->r14;

	if ((size != 1 && size != 2 && size != 4) || a->r13 > 1) {
		a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		return;
	}
	a->r10 = TDVMCALL_STATUS_SUCCESS;
	if (a->r13 && port == TDX_GUEST_PORT_COM1)
		console_putc(x, (char)a->r15);
	else if (a->r13 && port == TDX_GUEST_PORT_EXIT && size == 4)
		end(x, END_EXIT, (uint32_t)a->r15);
	else if (!a->r13)   /* no device reads but the UART's status */
		a->r11 = port == COM1_LSR ? COM1_LSR_THR_EMPTY :
			 size == 4 ? 0xFFFFFFFFULL : (1ULL << (8 * size)) - 1;
}

static void ghci(struct vrun *x, struct tdx_module_args *a)
{
	uint32_t regs[4];

	switch (a->r11) {
	case TDX_EXIT_IO:
		io(x, a);
		break;
	case TDX_EXIT_HLT:   /* nothing can wake it */
		a->r10 = TDVMCALL_STATUS_SUCCESS;
		end(x, END_HALT, 0);
		break;
	case TDX_EXIT_CPUID:
		platform_cpuid(x->r->p, x->v->lp, (uint32_t)a->r12, (uint32_t)a->r13, regs);
		a->r12 = regs[0];
		a->r13 = regs[1];
		a->r14 = regs[2];
		a->r15 = regs[3];
		a->r10 = TDVMCALL_STATUS_SUCCESS;
		break;
	case TDVMCALL_GET_TD_VM_CALL_INFO:
		a->r10 = a->r12 ? TDVMCALL_STATUS_INVALID_OPERAND : TDVMCALL_STATUS_SUCCESS;
		a->r11 = a->r12 = a->r13 = a->r14 = 0;
		break;
	case TDVMCALL_REPORT_FATAL_ERROR:
		end(x, END_GUEST_FATAL, a->r12);
		break;
	default:
		a->r10 = TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED;
	}
}

/* A private GPA the guest touched: its S-EPT path and a page from the
 * TD's pages (the guest's #VE handler then accepts it). */
static void ept_violation(struct vrun *x, const struct tdx_module_args *e)
{
	uint64_t gpa = e->r8 & ~0xFFFULL, s;
	struct tdx_module_args a = { .rcx = gpa, .rdx = x->td->tdr };
	char buf[96];
	int rc;

	if (gpa & x->td->shared_bit) {
		fail(x, rt_error(x->r, "vCPU %u touched shared GPA 0x%llx: the script "
				 "runner has no shared memory", x->index,
				 (unsigned long long)gpa));
		return;
	}
	if ((e->rdx & EEQ_TYPE_MASK) == TDX_EEQ_PENDING_EPT_VIOLATION) {
		fail(x, rt_error(x->r, "vCPU %u touched GPA 0x%llx before accepting it",
				 x->index, (unsigned long long)gpa));
		return;
	}
	rc = rt_sept_path(x->r, x->td, gpa, 1, (int)x->v->lp, &s);
	if (!rc && s == TDX_SUCCESS && rt_page(x->r, x->td, &a.r8))
		rc = rt_seamcall(x->r, (int)x->v->lp, TDH_MEM_PAGE_AUG, &a, &s);
	else if (!rc && s == TDX_SUCCESS)
		rc = SCRIPT_FAILED;
	if (!rc && s != TDX_SUCCESS)
		rc = rt_error(x->r, "vCPU %u: cannot map GPA 0x%llx: %s", x->index,
			      (unsigned long long)gpa, tdx_status_format(s, buf, sizeof(buf)));
	if (rc)
		fail(x, rc);
}

/* One exit; what is left in a is the next entry's input. */
static void handle(struct vrun *x, uint64_t s, struct tdx_module_args *a)
{
	if (tdx_status_td_dead(s)) {
		end(x, END_TD_FATAL, s);
		return;
	}
	switch (tdx_status_no_exit_reason(s)) {
	case TDX_SUCCESS:
		break;
	case TDX_NON_RECOVERABLE_VCPU:
		end(x, END_SHUTDOWN, s);
		return;
	default:
		end(x, END_ENTRY, s);
		return;
	}
	switch (s & 0xFFFF) {
	case TDX_EXIT_TDCALL:
		if (a->r10 == TDX_AGENT_VMCALL)
			x->agent = x->done = true;
		else if (a->r10)
			a->r10 = TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED;
		else
			ghci(x, a);
		break;
	case TDX_EXIT_EPT_VIOLATION:
		ept_violation(x, a);
		break;
	case TDX_EXIT_EXTERNAL_INTERRUPT:
		platform_ack_ipi(x->r->p, x->v->lp);
		break;
	default:
		break;   /* re-enter */
	}
}

static bool enter(struct vrun *x, struct tdx_module_args *a, uint64_t *s)
{
	struct runner *r = x->r;

	/* Entries count against the step budget: a guest cannot spin the
	 * runner forever. */
	if (++r->steps > r->max_steps) {
		fail(x, rt_error(r, "step limit of %llu exceeded",
				 (unsigned long long)r->max_steps));
		return false;
	}
	a->rcx = x->v->tdvpr;
	x->rc = rt_seamcall(r, (int)x->v->lp, TDH_VP_ENTER, a, s);
	if (x->rc)
		fail(x, x->rc);
	return !x->rc;
}

int vcpu_run(struct runner *r, struct rt_td *td, unsigned v,
	     struct tdx_module_args *reply, struct tdx_module_args *exit,
	     bool *agent)
{
	struct vrun x = { .r = r, .td = td, .v = &td->v[v], .index = v,
			  .prev = td->v[v].state };
	struct tdx_module_args a = *reply;
	uint64_t s;

	x.v->state = RV_RUNNING;
	while (!x.done && enter(&x, &a, &s)) {
		*exit = a;
		handle(&x, s, &a);
	}
	*agent = x.agent;
	return x.rc;
}
