/* SPDX-License-Identifier: MIT */
/*
 * Runtime private memory (linux §4.6–4.7): fault-in with SEPT.ADD + AUG
 * under mmu_lock read, and the zap path BLOCK → TRACK → kick → REMOVE
 * under mmu_lock write, each removal step with KVM's single retry after
 * making every vCPU leave the guest (tdh_do_no_vcpus, linux §5).
 */
#include <errno.h>
#include <stdlib.h>

#include "vmm_internal.h"

static int aug(struct vm *vm, uint64_t gpa, _Atomic uintptr_t *slot)
{
	struct tdx_module_args a;
	uint64_t hpa, s;
	int ret = vm_alloc_page(vm, &hpa);

	if (ret) {
		atomic_store(slot, 0);
		return vm_fail(vm, ret, "no TDX memory to map GPA 0x%llx",
			       (unsigned long long)gpa);
	}
	a = (struct tdx_module_args){ .rcx = gpa, .rdx = vm->tdr, .r8 = hpa };
	s = vm_seamcall(vm, TDH_MEM_PAGE_AUG, &a);
	if (s != TDX_SUCCESS) {
		atomic_store(slot, 0);
		vm_free_page(vm, hpa);
		return vm_bug(vm, TDH_MEM_PAGE_AUG, s, &a);
	}
	atomic_store(slot, (uintptr_t)hpa | MIRROR_LEAF);
	return 0;
}

int vm_map_private(struct vm *vm, uint64_t gpa)
{
	struct mirror *pt;
	uintptr_t seen;
	int ret;

	if (atomic_load(&vm->bugged))
		return -EIO;
	if (gpa % VMM_PAGE || gpa >= vm->cfg.memory_bytes)
		return vm_fail(vm, -EINVAL, "GPA 0x%llx is not a private page of this TD",
			       (unsigned long long)gpa);
	host_rwlock_lock(vm->h, &vm->mmu_lock, false);
	ret = vm_walk_to_pt(vm, gpa, &pt);
	if (!ret) {
		_Atomic uintptr_t *slot = &pt->slot[mirror_idx(gpa, 0)];

		if (mirror_claim(slot, &seen))
			ret = aug(vm, gpa, slot);
		else if (seen == MIRROR_FROZEN)
			ret = -EAGAIN;
	}
	pthread_rwlock_unlock(&vm->mmu_lock);
	return ret;
}

/* tdh_do_no_vcpus: one call; on BUSY, kick every vCPU out of the guest,
 * keep them out (the run loop's gate, vm_kick.c) and retry once. */
static int no_vcpus(struct vm *vm, uint64_t leaf, struct tdx_module_args *a)
{
	struct tdx_module_args in = *a;
	uint64_t s = vm_seamcall(vm, leaf, a);

	if ((s & TDX_SEAMCALL_STATUS_MASK) == TDX_OPERAND_BUSY) {
		vm_no_vcpus_enter_start(vm);
		*a = in;
		s = vm_seamcall(vm, leaf, a);
		vm_no_vcpus_enter_stop(vm);
	}
	return s == TDX_SUCCESS ? 0 : vm_bug(vm, leaf, s, a);
}

static int zap_leaf(struct vm *vm, uint64_t gpa, uint64_t hpa)
{
	struct tdx_module_args a = { .rcx = gpa, .rdx = vm->tdr };
	int ret = no_vcpus(vm, TDH_MEM_RANGE_BLOCK, &a);

	if (!ret && vm->state == VM_RUNNABLE) {
		a = (struct tdx_module_args){ .rcx = vm->tdr };
		ret = no_vcpus(vm, TDH_MEM_TRACK, &a);
		/* tdx_track(): every vCPU that entered in the old epoch
		 * leaves the guest, so REMOVE finds the page tracked. */
		if (!ret)
			vm_kick_all_vcpus(vm);
	}
	if (!ret) {
		a = (struct tdx_module_args){ .rcx = gpa, .rdx = vm->tdr };
		ret = no_vcpus(vm, TDH_MEM_PAGE_REMOVE, &a);
	}
	if (!ret) {
		a = (struct tdx_module_args){ .rcx = hpa | ((uint64_t)vm->hkid <<
				platform_keyid_shift(vm->h->p)) };
		ret = no_vcpus(vm, TDH_PHYMEM_PAGE_WBINVD, &a);
	}
	return ret;
}

int vm_zap_private(struct vm *vm, uint64_t gpa)
{
	struct mirror *m = vm->root;
	_Atomic uintptr_t *slot = NULL;
	uintptr_t v = 0;
	int ret = -ENOENT;

	if (atomic_load(&vm->bugged))
		return -EIO;
	host_rwlock_lock(vm->h, &vm->mmu_lock, true);
	for (unsigned level = 3; m && level >= 1; level--) {
		v = atomic_load(&m->slot[mirror_idx(gpa, level)]);
		m = v > MIRROR_FROZEN ? (struct mirror *)v : NULL;
	}
	if (m) {
		slot = &m->slot[mirror_idx(gpa, 0)];
		v = atomic_load(slot);
	}
	if (slot && (v & MIRROR_LEAF)) {
		uint64_t hpa = v & ~(uint64_t)(VMM_PAGE - 1);

		ret = zap_leaf(vm, gpa & ~(VMM_PAGE - 1), hpa);
		if (!ret) {
			atomic_store(slot, 0);
			vm_reset_page(vm, hpa);
			vm_free_page(vm, hpa);
		}
	}
	pthread_rwlock_unlock(&vm->mmu_lock);
	return ret;
}

uint64_t vm_private_hpa(struct vm *vm, uint64_t gpa)
{
	struct mirror *m = vm->root;
	uintptr_t v = 0;

	host_rwlock_lock(vm->h, &vm->mmu_lock, false);
	for (unsigned level = 3; m && level >= 1; level--) {
		v = atomic_load(&m->slot[mirror_idx(gpa, level)]);
		m = v > MIRROR_FROZEN ? (struct mirror *)v : NULL;
	}
	v = m ? atomic_load(&m->slot[mirror_idx(gpa, 0)]) : 0;
	pthread_rwlock_unlock(&vm->mmu_lock);
	return (v & MIRROR_LEAF) ? (v & ~(uint64_t)(VMM_PAGE - 1)) | (gpa & (VMM_PAGE - 1)) : 0;
}

int vm_read_field(struct vm *vm, uint64_t field, uint64_t *value)
{
	struct tdx_module_args a = { .rcx = vm->tdr, .rdx = field };
	uint64_t s = vm_seamcall(vm, TDH_MNG_RD, &a);

	if (s != TDX_SUCCESS)
		return vm_fail(vm, -EIO, "TDH.MNG.RD 0x%016llx: status 0x%016llx",
			       (unsigned long long)field, (unsigned long long)s);
	*value = a.r8;
	return 0;
}

void mirror_free_all(struct vm *vm, struct mirror *m, unsigned level,
		     void (*leaf)(struct vm *, uint64_t hpa),
		     void (*node)(struct vm *, uint64_t sept_pa))
{
	for (unsigned i = 0; i < 512; i++) {
		uintptr_t v = atomic_load(&m->slot[i]);

		if (v <= MIRROR_FROZEN)
			continue;
		if (level == 0) {
			leaf(vm, v & ~(uint64_t)(VMM_PAGE - 1));
		} else {
			struct mirror *c = (struct mirror *)v;

			mirror_free_all(vm, c, level - 1, leaf, node);
			node(vm, c->sept_pa);
			free(c);
		}
	}
}
