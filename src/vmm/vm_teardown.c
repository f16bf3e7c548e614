/* SPDX-License-Identifier: MIT */
/*
 * Teardown (linux §4.9–4.10), KVM_TDX_TERMINATE_VM style: the HKID is
 * released first (VP.FLUSH of each vCPU on its last LP, then under
 * tdx_lock VPFLUSHDONE, CACHE.WB on every package until complete,
 * KEY.FREEID), after which every page is reclaimed directly, the TDR
 * last, and goes back to the host allocator zeroed. A failure leaks the
 * page or the HKID with the kernel's message, as KVM does.
 */
#include <errno.h>
#include <stdlib.h>

#include "vmm_internal.h"

#define CACHE_WB_RETRIES 10000   /* TDX_SEAMCALL_RETRIES, linux §4.9 */

struct flush_arg {
	struct vm *vm;
	struct vcpu *vc;
};

/* TDX_VCPU_NOT_ASSOCIATED is benign: the vCPU was flushed already. */
static int flush_on_cpu(void *arg)
{
	struct flush_arg *f = arg;
	struct tdx_module_args a = { .rcx = f->vc->tdvpr };
	uint64_t s = vm_seamcall(f->vm, TDH_VP_FLUSH, &a);

	if (s != TDX_SUCCESS && s != TDX_VCPU_NOT_ASSOCIATED)
		host_log(f->vm->h, "kvm_intel: ", "TDH.VP.FLUSH failed: 0x%016llx",
			 (unsigned long long)s);
	return 0;
}

static int cache_wb_on_cpu(void *arg)
{
	struct vm *vm = arg;
	struct tdx_module_args a = { .rcx = TDH_PHYMEM_CACHEWB_START_CMD };
	uint64_t s = vm_seamcall(vm, TDH_PHYMEM_CACHE_WB, &a);

	for (unsigned i = 0; s == TDX_INTERRUPTED_RESUMABLE && i < CACHE_WB_RETRIES; i++) {
		a.rcx = TDH_PHYMEM_CACHEWB_RESUME_CMD;
		s = vm_seamcall(vm, TDH_PHYMEM_CACHE_WB, &a);
	}
	if (s == TDX_SUCCESS || s == TDX_NO_HKID_READY_TO_WBCACHE)
		return 0;
	host_log(vm->h, "kvm_intel: ", "TDH.PHYMEM.CACHE.WB failed: 0x%016llx",
		 (unsigned long long)s);
	return -EIO;
}

static void flush_vcpus(struct vm *vm)
{
	for (unsigned i = 0; i < vm->n_vcpus; i++) {
		struct flush_arg f = { vm, &vm->vcpus[i] };

		if (f.vc->initialized)
			platform_on_lp(vm->h->p, f.vc->last_lp, flush_on_cpu, &f);
	}
}

static int free_hkid(struct vm *vm)
{
	struct tdx_module_args a = { .rcx = vm->tdr };
	uint64_t s = vm_seamcall(vm, TDH_MNG_VPFLUSHDONE, &a);

	if (s == TDX_FLUSHVP_NOT_DONE)
		return -EBUSY;
	if (s != TDX_SUCCESS) {
		host_log(vm->h, "kvm_intel: ", "tdh_mng_vpflushdone() failed. HKID %d is leaked.",
			 vm->hkid);
		return -EIO;
	}
	for (unsigned pkg = 0; pkg < platform_nr_packages(vm->h->p); pkg++)
		if (vm_on_package(vm, pkg, cache_wb_on_cpu, vm))
			return -EIO;
	a = (struct tdx_module_args){ .rcx = vm->tdr };
	s = vm_seamcall(vm, TDH_MNG_KEY_FREEID, &a);
	if (s != TDX_SUCCESS) {
		host_log(vm->h, "kvm_intel: ", "tdh_mng_key_freeid() failed. HKID %d is leaked.",
			 vm->hkid);
		return -EIO;
	}
	return 0;
}

void vm_release_hkid(struct vm *vm)
{
	if (!vm->hkid_assigned)
		return;
	host_cpus_read_lock(vm->h);
	flush_vcpus(vm);
	host_mutex_lock(vm->h, &vm->vmm->tdx_lock);
	if (!free_hkid(vm)) {
		vm->hkid_assigned = false;
		vmm_hkid_free(vm->vmm, vm->hkid);
		if (vm->keys_configured)
			atomic_fetch_sub(&vm->h->nr_configured_hkid, 1);
	}
	pthread_mutex_unlock(&vm->vmm->tdx_lock);
	host_cpus_read_unlock(vm->h);
}

static void reclaim(struct vm *vm, uint64_t pa)
{
	struct tdx_module_args a = { .rcx = pa };
	uint64_t s = vm_seamcall(vm, TDH_PHYMEM_PAGE_RECLAIM, &a);

	if (s != TDX_SUCCESS) {
		host_log(vm->h, "kvm_intel: ", "TDH.PHYMEM.PAGE.RECLAIM of 0x%llx failed: "
			 "0x%016llx; the page is leaked", (unsigned long long)pa,
			 (unsigned long long)s);
		return;
	}
	vm_reset_page(vm, pa);
	vm_free_page(vm, pa);
}

void vm_reclaim_all(struct vm *vm)
{
	if (vm->root) {
		mirror_free_all(vm, vm->root, 3, reclaim, reclaim);
		free(vm->root);
		vm->root = NULL;
	}
	for (unsigned i = 0; vm->vcpus && i < vm->n_vcpus; i++) {
		struct vcpu *vc = &vm->vcpus[i];

		for (unsigned j = 0; j < vc->n_tdvpx; j++)
			reclaim(vm, vc->tdvpx[j]);
		if (vc->created)
			reclaim(vm, vc->tdvpr);
	}
	for (unsigned i = 0; i < vm->n_tdcs; i++)
		reclaim(vm, vm->tdcs[i]);
	if (vm->tdr) {
		struct tdx_module_args a;

		reclaim(vm, vm->tdr);
		/* The module may have touched the TDR with its global KeyID. */
		a = (struct tdx_module_args){ .rcx = vm->tdr |
			((uint64_t)vm->h->global_keyid << platform_keyid_shift(vm->h->p)) };
		vm_seamcall(vm, TDH_PHYMEM_PAGE_WBINVD, &a);
	}
}

void vm_destroy(struct vm *vm)
{
	if (!vm)
		return;
	vm_release_hkid(vm);
	vm_shared_free(vm);
	vm_run_free(vm);
	if (!vm->hkid_assigned)
		vm_reclaim_all(vm);
	else
		host_log(vm->h, "kvm_intel: ", "HKID %d still assigned: %llu TD pages leaked",
			 vm->hkid, (unsigned long long)vm_pages_held(vm));
	pthread_rwlock_destroy(&vm->mmu_lock);
	vm_kick_destroy(vm);
	pthread_mutex_destroy(&vm->lock);
	pthread_mutex_destroy(&vm->err_lock);
	free(vm->vcpus);
	free(vm);
}
