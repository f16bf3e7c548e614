/* SPDX-License-Identifier: MIT */
/*
 * The kick (linux §5): kvm_make_all_cpus_request(KVM_REQ_OUTSIDE_GUEST_MODE)
 * with wait. Each vCPU has KVM's vcpu->mode: IN_GUEST from just before
 * TDH.VP.ENTER until it returns, and a count of those returns. The kicker
 * sends an IPI (Linux's CALL_FUNCTION_VECTOR) to the LP of every vCPU in
 * guest mode; the guest takes an EXTERNAL_INTERRUPT TD exit at its next
 * instruction boundary, VP.ENTER returns (the TD epoch refcount it held is
 * dropped), and the kicker, waiting on kick_cond, sees the count move.
 *
 * The gate (tdx_no_vcpus_enter_start/stop): while wait_for_sept_zap is
 * set, a vCPU about to enter steps back out of guest mode and sleeps on
 * zap_cond. Entry and kick pair like KVM's mode/request check: the vCPU
 * stores IN_GUEST then loads the flag; the zapper stores the flag then
 * loads each mode (all seq_cst), so either the vCPU stays out or the
 * kicker sees it in guest mode and waits for its exit.
 *
 * The kicker reads a vCPU's count, then its mode; the vCPU stores its
 * mode, then bumps the count. So a kicker that reads count n and mode
 * IN_GUEST saw entry n+1 or later in guest mode, after that entry's
 * acknowledge: its IPI stays pending until entry n+1 ends, and it waits
 * for the count to pass n. A vCPU it finds outside it does not wait for.
 *
 * Never deadlocks on its own thread: a vCPU thread that kicks runs host
 * code, so its mode is OUTSIDE and it is skipped; an ended vCPU is OUTSIDE
 * too. A guest that never reaches an instruction boundary (a program
 * spinning without accesses or TDCALLs) would hold a kicker forever; the
 * guest runtime makes no such loops.
 */
#include <stdlib.h>

#include "vmm_internal.h"

void vm_kick_init(struct vm *vm)
{
	pthread_mutex_init(&vm->kick_lock, NULL);
	pthread_cond_init(&vm->kick_cond, NULL);
	pthread_cond_init(&vm->zap_cond, NULL);
}

void vm_kick_destroy(struct vm *vm)
{
	pthread_cond_destroy(&vm->zap_cond);
	pthread_cond_destroy(&vm->kick_cond);
	pthread_mutex_destroy(&vm->kick_lock);
}

void vm_vcpu_leave_guest_mode(struct vm *vm, unsigned index)
{
	struct vcpu *vc = &vm->vcpus[index];

	/* Mode first, then the count. The other order let a kicker read the
	 * new count with the old mode, send an IPI that the next entry's
	 * acknowledge swallowed, and wait for that entry to end. */
	atomic_store(&vc->mode, VCPU_OUTSIDE_GUEST);
	atomic_fetch_add(&vc->guest_exits, 1);
	if (atomic_load(&vm->kick_waiters)) {
		pthread_mutex_lock(&vm->kick_lock);
		pthread_cond_broadcast(&vm->kick_cond);
		pthread_mutex_unlock(&vm->kick_lock);
	}
}

bool vm_vcpu_enter_guest_mode(struct vm *vm, unsigned index)
{
	struct vcpu *vc = &vm->vcpus[index];

	/* Host code runs with interrupts on: an IPI that came while this
	 * vCPU was outside the guest is served here, not by a needless exit
	 * right after the entry. One that comes from now on stays pending
	 * and makes the guest exit at once. */
	platform_ack_ipi(vm->h->p, vc->last_lp);
	atomic_store(&vc->mode, VCPU_IN_GUEST);
	if (!atomic_load(&vm->wait_for_sept_zap))
		return true;
	vm_vcpu_leave_guest_mode(vm, index);
	pthread_mutex_lock(&vm->kick_lock);
	while (atomic_load(&vm->wait_for_sept_zap))
		pthread_cond_wait(&vm->zap_cond, &vm->kick_lock);
	pthread_mutex_unlock(&vm->kick_lock);
	return false;
}

static bool still_inside(struct vcpu *vc, uint64_t seen)
{
	return atomic_load(&vc->mode) == VCPU_IN_GUEST &&
	       atomic_load(&vc->guest_exits) == seen;
}

static bool kick_one(struct vm *vm, struct vcpu *vc)
{
	if (atomic_load(&vc->mode) != VCPU_IN_GUEST)
		return false;
	if (!platform_send_ipi(vm->h->p, vc->last_lp, TDX_CALL_FUNCTION_VECTOR))
		atomic_fetch_add(&vm->kick_ipis, 1);
	return true;
}

/* A count never reaches 2^64 - 1, so it cannot be taken for this. */
#define NOT_KICKED UINT64_MAX

static void wait_out(struct vm *vm, struct vcpu *vc, uint64_t seen)
{
	while (still_inside(vc, seen))
		pthread_cond_wait(&vm->kick_cond, &vm->kick_lock);
}

/* A vCPU outside the guest when its mode is read is not waited for, as
 * KVM waits only for the CPUs it sent IPIs to: one that enters after
 * that sees whatever the kicker published first (the gate's flag, a new
 * TD epoch). */
unsigned vm_kick_all_vcpus(struct vm *vm)
{
	unsigned n = vm->vcpus ? vm->n_vcpus : 0, kicked = 0;
	uint64_t buf[64], *seen = n <= 64 ? buf : malloc(n * sizeof(*seen));

	atomic_fetch_add(&vm->kicks, 1);
	atomic_fetch_add(&vm->kick_waiters, 1);
	for (unsigned i = 0; seen && i < n; i++) {
		/* The count first: any exit after this load releases us. */
		seen[i] = atomic_load(&vm->vcpus[i].guest_exits);
		if (kick_one(vm, &vm->vcpus[i]))
			kicked++;
		else
			seen[i] = NOT_KICKED;
	}
	pthread_mutex_lock(&vm->kick_lock);
	for (unsigned i = 0; i < n; i++) {
		struct vcpu *vc = &vm->vcpus[i];
		uint64_t e;

		if (seen) {
			if (seen[i] != NOT_KICKED)
				wait_out(vm, vc, seen[i]);
			continue;
		}
		/* No memory for the counts: one vCPU at a time. */
		e = atomic_load(&vc->guest_exits);
		if (kick_one(vm, vc)) {
			kicked++;
			wait_out(vm, vc, e);
		}
	}
	pthread_mutex_unlock(&vm->kick_lock);
	atomic_fetch_sub(&vm->kick_waiters, 1);
	if (seen != buf)
		free(seen);
	return kicked;
}

void vm_no_vcpus_enter_start(struct vm *vm)
{
	atomic_store(&vm->wait_for_sept_zap, true);
	vm_kick_all_vcpus(vm);
}

void vm_no_vcpus_enter_stop(struct vm *vm)
{
	pthread_mutex_lock(&vm->kick_lock);
	atomic_store(&vm->wait_for_sept_zap, false);
	pthread_cond_broadcast(&vm->zap_cond);
	pthread_mutex_unlock(&vm->kick_lock);
}

uint64_t vm_kicks(const struct vm *vm)
{
	return atomic_load(&((struct vm *)vm)->kicks);
}

uint64_t vm_kick_ipis(const struct vm *vm)
{
	return atomic_load(&((struct vm *)vm)->kick_ipis);
}
