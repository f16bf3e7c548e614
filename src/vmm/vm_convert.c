/* SPDX-License-Identifier: MIT */
/*
 * MapGPA (linux §6.3): the guest converts [R12, R12+R13) to shared (the
 * shared bit set in R12) or private. Checks as KVM makes them, then at
 * most TDVMCALL_MAP_GPA_MAX_LEN per call: the converted side is dropped
 * (private pages zapped, shared pages unmapped and freed) and the new
 * side faults in on first use. A longer range comes back as RETRY with
 * the next GPA in R11, which the GHCI allows at any point.
 */
#include <errno.h>

#include "vm_run.h"

static bool legal(const struct vm *vm, uint64_t gpa, uint64_t end)
{
	uint64_t shared = 1ULL << (vm->gpaw - 1);

	return end > gpa && end <= (1ULL << vm->gpaw) &&
	       (gpa & shared) == ((end - 1) & shared) &&
	       ((end - 1) & ~shared) < vm->cfg.memory_bytes;
}

static int convert_page(struct vm *vm, uint64_t gpa, bool to_shared)
{
	uint64_t shared = 1ULL << (vm->gpaw - 1);
	int ret;

	if (to_shared) {
		ret = vm_zap_private(vm, gpa);
		return ret == -ENOENT ? 0 : ret;
	}
	host_rwlock_lock(vm->h, &vm->mmu_lock, true);
	vm_shared_unmap(vm, gpa | shared);
	pthread_rwlock_unlock(&vm->mmu_lock);
	return 0;
}

void vm_tdvmcall_map_gpa(struct vcpu_run *vr, struct tdx_module_args *a)
{
	struct vm *vm = vr->vm;
	uint64_t shared = 1ULL << (vm->gpaw - 1);
	uint64_t gpa = a->r12, end = a->r12 + a->r13, next;
	bool to_shared = gpa & shared;

	vr->res->vmcalls[VMCALL_MAP_GPA]++;
	if (!legal(vm, gpa, end)) {
		a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		a->r11 = gpa;
		return;
	}
	if ((gpa | a->r13) & (VMM_PAGE - 1)) {
		a->r10 = TDVMCALL_STATUS_ALIGN_ERROR;
		return;
	}
	next = end - gpa > TDVMCALL_MAP_GPA_MAX_LEN ? gpa + TDVMCALL_MAP_GPA_MAX_LEN : end;
	for (uint64_t p = gpa; p < next; p += VMM_PAGE) {
		if (convert_page(vm, p & ~shared, to_shared)) {
			a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
			a->r11 = p;
			return;
		}
	}
	a->r10 = next < end ? TDVMCALL_STATUS_RETRY : TDVMCALL_STATUS_SUCCESS;
	a->r11 = next < end ? next : 0;
}
