/* SPDX-License-Identifier: MIT */
/*
 * The vCPU run loop (linux §6): each vCPU runs in its own thread on the
 * LP it was initialised on. TDH.VP.ENTER, then the exit: a TDVMCALL is
 * served per the GHCI (vm_tdvmcall.c); an EPT violation on a private GPA
 * is a fault-in (SEPT.ADD as needed + AUG, the guest then accepts), on a
 * shared GPA a fresh shared page; NON_RECOVERABLE exits end the vCPU
 * (triple fault) or the TD (fatal). A status the module should never
 * give marks the VM bugged, as KVM_BUG_ON does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host_audit.h"
#include "vm_run.h"
#include "tdxsim/seamcall.h"

#define EEQ_TYPE_MASK   0xFULL          /* abi §7.2: type in bits 3:0 */
#define EPT_QUAL_ENTRY_RWX (7ULL << 3)  /* SDM: the entry's R/W/X in 5:3 */
#define EPT_QUAL_EXEC_FOR_RING3_LIN (1ULL << 6) /* SDM, KVM's mask */

static int set_shared_eptp(struct vcpu_run *vr)
{
	struct vm *vm = vr->vm;
	struct tdx_module_args a = { .rcx = vm->vcpus[vr->index].tdvpr,
				     .rdx = MD_VP_SHARED_EPTP,
				     .r8 = vm_shared_eptp(vm), .r9 = ~0ULL };
	uint64_t s = vm_seamcall(vm, TDH_VP_WR, &a);

	return s == TDX_SUCCESS ? 0 : vm_bug(vm, TDH_VP_WR, s, &a);
}

static void end(struct vcpu_run *vr, enum vm_vcpu_end how)
{
	vr->res->end = how;
	vr->done = true;
}

static void ept_violation(struct vcpu_run *vr, const struct tdx_module_args *a)
{
	struct vm *vm = vr->vm;
	uint64_t gpa = a->r8 & ~(VMM_PAGE - 1), shared = 1ULL << (vm->gpaw - 1);
	int ret;

	if (!(gpa & shared) && (a->rdx & EEQ_TYPE_MASK) == TDX_EEQ_PENDING_EPT_VIOLATION &&
	    !(a->rcx & (EPT_QUAL_ENTRY_RWX | EPT_QUAL_EXEC_FOR_RING3_LIN))) {
		/* KVM's tdx_is_sept_violation_unexpected_pending: under
		 * SEPT_VE_DISABLE the guest touched a page it has not
		 * accepted. Mapping cannot help (the page is there, pending):
		 * KVM warns and kills the VM (kvm_vm_dead, -EIO). */
		char msg[sizeof(vm->err)];

		snprintf(msg, sizeof(msg), "Guest access before accepting 0x%llx on vCPU %u",
			 (unsigned long long)gpa, vr->index);
		host_log(vm->h, "kvm_intel: ", "%s", msg);
		vm_fail(vm, -EIO, "%s", msg);
		atomic_store(&vm->bugged, true);
		end(vr, VCPU_END_ERROR);
		return;
	}
	if (!(gpa & shared) && gpa >= vm->cfg.memory_bytes) {
		/* No memslot holds it: KVM's fault path exits to userspace
		 * (KVM_EXIT_MEMORY_FAULT) and the VMM gives up on the vCPU. */
		vm_fail(vm, -EFAULT, "vCPU %u: GPA 0x%llx is beyond the TD's memory "
			"(%llu MiB, --memory)", vr->index, (unsigned long long)gpa,
			(unsigned long long)(vm->cfg.memory_bytes >> 20));
		end(vr, VCPU_END_ERROR);
		return;
	}
	if (gpa & shared) {
		host_rwlock_lock(vm->h, &vm->mmu_lock, true);
		ret = vm_shared_map(vm, gpa);
		pthread_rwlock_unlock(&vm->mmu_lock);
	} else {
		ret = vm_map_private(vm, gpa);
		if (ret == -EAGAIN)
			ret = 0;   /* another vCPU is mapping it: just re-enter */
	}
	if (ret)   /* the mapping said why in vm->err */
		end(vr, VCPU_END_ERROR);
}

/* One exit; the registers in a become the next entry's. */
static void handle_exit(struct vcpu_run *vr, uint64_t s, struct tdx_module_args *a)
{
	uint64_t reason = s & 0xFFFF;

	if (tdx_status_td_dead(s)) {
		end(vr, VCPU_END_TD_FATAL);
		return;
	}
	switch (tdx_status_no_exit_reason(s)) {
	case TDX_SUCCESS:
		break;
	case TDX_NON_RECOVERABLE_VCPU:
		end(vr, VCPU_END_SHUTDOWN);
		return;
	case TDX_OPERAND_BUSY:
		/* The zero-step filter holds the entry until the GPA it
		 * tracks is mapped; KVM retries the entry. */
		return;
	default:
		vm_bug(vr->vm, TDH_VP_ENTER, s, a);
		end(vr, VCPU_END_ERROR);
		return;
	}
	if (reason < VM_EXIT_REASONS)
		vr->res->exits[reason]++;
	switch (reason) {
	case TDX_EXIT_TDCALL:
		vm_handle_tdvmcall(vr, a);
		break;
	case TDX_EXIT_EPT_VIOLATION:
		ept_violation(vr, a);
		break;
	case TDX_EXIT_EXTERNAL_INTERRUPT:
		/* handle_external_interrupt_irqoff: the host's handler takes
		 * the vector (a kick's IPI has nothing more to do); requests
		 * are checked before the next entry (the gate). */
		platform_ack_ipi(vr->vm->h->p, vr->vm->vcpus[vr->index].last_lp);
		break;
	default:
		/* Interrupts and the like: just re-enter. */
		break;
	}
}

/* KVM's guest-state load (vt_prepare_switch_to_guest): the host's state
 * is saved once and stays saved across every exit the kernel handles.
 * The auditor's "before" is taken here. */
static void host_load(struct vcpu_run *vr, struct platform *p, unsigned lp)
{
	if (vr->audit)
		host_audit_snapshot(p, lp, &vr->audit[0]);
	vm_host_save(p, lp, &vr->host);
	vr->host_loaded = true;
}

/* The return to userspace: vcpu_put and the user-return notifier put the
 * rest back, and the auditor compares what the host now sees. */
static void host_put(struct vcpu_run *vr)
{
	struct vm *vm = vr->vm;
	struct platform *p = vm->h->p;
	unsigned lp = vm->vcpus[vr->index].last_lp;
	unsigned n;

	if (!vr->host_loaded)
		return;
	vm_host_restore_user(p, lp, &vr->host, vm->xfam, vr->opts->restore_skip_mask);
	vr->host_loaded = false;
	vr->res->user_returns++;
	if (!vr->audit)
		return;
	host_audit_snapshot(p, lp, &vr->audit[1]);
	n = host_audit_compare(&vr->audit[0], &vr->audit[1], vr->res->audit_diffs ? NULL :
			       vr->res->audit_report, sizeof(vr->res->audit_report));
	vr->res->audit_diffs += n;
}

/* TDH.VP.ENTER, then what KVM rewrites after every exit (linux §6.5). */
static uint64_t enter(struct vcpu_run *vr, struct tdx_module_args *a)
{
	struct vm *vm = vr->vm;
	struct platform *p = vm->h->p;
	unsigned lp = vm->vcpus[vr->index].last_lp;
	uint64_t s;

	if (!vr->host_loaded)
		host_load(vr, p, lp);
	a->rcx = vm->vcpus[vr->index].tdvpr;
	s = seamcall(TDH_VP_ENTER, a);
	vm_host_restore_exit(p, lp, &vr->host, vm->xfam, vr->opts->restore_skip_mask);
	vr->res->entries++;
	vr->res->status = s;
	if (vr->opts->entries)
		atomic_fetch_add_explicit(vr->opts->entries, 1, memory_order_relaxed);
	return s;
}

static int run_vcpu(void *arg)
{
	struct vcpu_run *vr = arg;
	struct vm *vm = vr->vm;
	struct tdx_module_args a = { 0 };
	uint64_t s;

	if (set_shared_eptp(vr)) {
		end(vr, VCPU_END_ERROR);
		return 0;
	}
	if (vr->opts->audit && !(vr->audit = calloc(2, sizeof(*vr->audit)))) {
		vm_fail(vm, -ENOMEM, "vCPU %u: no memory for the auditor", vr->index);
		end(vr, VCPU_END_ERROR);
		return 0;
	}
	while (!vr->done) {
		if (atomic_load(&vm->bugged)) {
			end(vr, VCPU_END_ERROR);
			break;
		}
		/* KVM's vcpu->mode = IN_GUEST_MODE and request check; held
		 * out (asleep) while a zap's retry runs. */
		if (!vm_vcpu_enter_guest_mode(vm, vr->index))
			continue;
		s = enter(vr, &a);
		vm_vcpu_leave_guest_mode(vm, vr->index);
		vr->to_user = false;
		handle_exit(vr, s, &a);
		if (vr->to_user)
			host_put(vr);
		/* As a VMM's watchdog would: the guest stays as it was, the
		 * vCPU just never enters again. */
		if (!vr->done && vr->opts->max_entries &&
		    vr->res->entries >= vr->opts->max_entries)
			end(vr, VCPU_END_LIMIT);
	}
	host_put(vr);
	free(vr->audit);
	vr->audit = NULL;
	vm_console_flush(vr);
	return 0;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu_run *vr = arg;
	int ret = platform_on_lp(vr->vm->h->p, vr->vm->vcpus[vr->index].last_lp,
				 run_vcpu, vr);

	if (ret) {
		vm_fail(vr->vm, ret, "vCPU %u: its LP is not available", vr->index);
		vr->res->end = VCPU_END_ERROR;
	}
	return NULL;
}

static int prepare(struct vm *vm)
{
	struct vm_run *r;
	int ret;

	if (vm->state != VM_RUNNABLE)
		return vm_fail(vm, -EINVAL, "only a finalized TD can run");
	if (vm->run)
		return vm_fail(vm, -EBUSY, "the TD has run already");
	host_rwlock_lock(vm->h, &vm->mmu_lock, true);
	ret = vm_shared_init(vm);
	pthread_rwlock_unlock(&vm->mmu_lock);
	if (ret)
		return vm_fail(vm, ret, "no memory for the shared EPT");
	r = calloc(1, sizeof(*r));
	if (!r || !(r->res = calloc(vm->n_vcpus, sizeof(*r->res)))) {
		free(r);
		return vm_fail(vm, -ENOMEM, "out of memory");
	}
	pthread_mutex_init(&r->console_lock, NULL);
	vm->run = r;
	return 0;
}

int vm_run(struct vm *vm, const struct vm_run_opts *opts,
	   struct vm_run_result *out)
{
	static const struct vm_run_opts defaults;
	struct vcpu_run *vr;
	pthread_t *th;
	int ret = prepare(vm), good = 0, caller_lp;

	if (ret)
		return ret;
	vr = calloc(vm->n_vcpus, sizeof(*vr));
	th = calloc(vm->n_vcpus, sizeof(*th));
	if (!vr || !th) {
		free(vr);
		free(th);
		return vm_fail(vm, -ENOMEM, "out of memory");
	}
	/* The caller's LP may be a vCPU's: give it up while they run. */
	caller_lp = platform_current_lp(vm->h->p);
	if (caller_lp >= 0)
		platform_unbind(vm->h->p);
	for (unsigned i = 0; i < vm->n_vcpus; i++) {
		vr[i] = (struct vcpu_run){ .vm = vm, .index = i, .res = &vm->run->res[i],
					   .opts = opts ? opts : &defaults };
		vr[i].started = !pthread_create(&th[i], NULL, vcpu_thread, &vr[i]);
		if (!vr[i].started)
			vr[i].res->end = VCPU_END_ERROR;
	}
	for (unsigned i = 0; i < vm->n_vcpus; i++)
		if (vr[i].started)
			pthread_join(th[i], NULL);
	if (caller_lp >= 0)
		platform_bind(vm->h->p, (unsigned)caller_lp);
	for (unsigned i = 0; i < vm->n_vcpus; i++)
		good += vm->run->res[i].end == VCPU_END_EXITED && !vm->run->res[i].exit_code;
	free(vr);
	free(th);
	*out = (struct vm_run_result){ .n_vcpus = vm->n_vcpus, .vcpu = vm->run->res,
				       .console = vm->run->console ? vm->run->console : "",
				       .console_len = vm->run->console_len,
				       .quote = vm->run->quote_len ? vm->run->quote : NULL,
				       .quote_len = vm->run->quote_len,
				       .quotes = vm->run->quotes };
	if (atomic_load(&vm->bugged))
		return -EIO;
	return good == (int)vm->n_vcpus ? 0 : 1;
}

void vm_run_free(struct vm *vm)
{
	if (!vm->run)
		return;
	pthread_mutex_destroy(&vm->run->console_lock);
	free(vm->run->console);
	free(vm->run->res);
	free(vm->run);
	vm->run = NULL;
}
