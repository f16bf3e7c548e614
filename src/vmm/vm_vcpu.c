/* SPDX-License-Identifier: MIT */
/*
 * KVM_TDX_INIT_VCPU (linux §4.4): TDVPR + TDCX pages, VP.CREATE, one
 * VP.ADDCX per TDCX page, VP.INIT version 1 with the x2APIC ID = vCPU
 * index (version 0 on a module without TOPOLOGY_ENUM, below), under
 * mmu_lock write as KVM 6.19 does, so that no S-EPT path runs beside it.
 * vCPU i starts on the i-th online LP (round robin).
 */
#include <errno.h>

#include "vmm_internal.h"

struct vcpu_init {
	struct vm *vm;
	unsigned index;
	int ret;
};

static int add_pages(struct vm *vm, struct vcpu *vc)
{
	unsigned n = vm->h->sysinfo.tdvps_base_size / VMM_PAGE;
	struct tdx_module_args a = { .rdx = vm->tdr };
	uint64_t s;

	if (!n)
		n = TDX_MIN_TDVPS_PAGES;
	if (vm_alloc_page(vm, &a.rcx))
		return vm_fail(vm, -ENOMEM, "no TDX memory for a TDVPR");
	s = vm_seamcall(vm, TDH_VP_CREATE, &a);
	if (s != TDX_SUCCESS) {
		vm_free_page(vm, a.rcx);
		return vm_bug(vm, TDH_VP_CREATE, s, &a);
	}
	vc->tdvpr = a.rcx;
	vc->created = true;
	while (vc->n_tdvpx + 1 < n) {
		a = (struct tdx_module_args){ .rdx = vc->tdvpr };
		if (vm_alloc_page(vm, &a.rcx))
			return vm_fail(vm, -ENOMEM, "no TDX memory for TDVPS pages");
		s = vm_seamcall(vm, TDH_VP_ADDCX, &a);
		if (s != TDX_SUCCESS) {
			vm_free_page(vm, a.rcx);
			return vm_bug(vm, TDH_VP_ADDCX, s, &a);
		}
		vc->tdvpx[vc->n_tdvpx++] = a.rcx;
	}
	return 0;
}

/* VP.INIT version 1 (the x2APIC ID in R8) comes with TDX_FEATURES0
 * TOPOLOGY_ENUM; a module without it (1.5.01) refuses version 1. KVM then
 * refuses to load; this VMM issues version 0 instead, where the module
 * gives vCPU i the x2APIC ID i, the same ID version 1 would set, so a TD
 * can be built on every module that brings TDX up. */
static uint64_t vp_init_leaf(const struct vm *vm)
{
	if (vm->h->sysinfo.features0 & TDX_FEATURES0_TOPOLOGY_ENUM)
		return TDH_VP_INIT | (1ULL << TDX_VERSION_SHIFT);
	return TDH_VP_INIT;
}

static int init_on_cpu(void *arg)
{
	struct vcpu_init *vi = arg;
	struct vm *vm = vi->vm;
	struct vcpu *vc = &vm->vcpus[vi->index];
	struct tdx_module_args a;
	uint64_t s;
	int ret = add_pages(vm, vc);

	if (ret)
		return ret;
	a = (struct tdx_module_args){ .rcx = vc->tdvpr, .rdx = 0, .r8 = vi->index };
	s = vm_seamcall(vm, vp_init_leaf(vm), &a);
	if (s != TDX_SUCCESS)
		return vm_bug(vm, TDH_VP_INIT, s, &a);
	vc->initialized = true;
	vc->last_lp = host_this_cpu(vm->h);
	return 0;
}

static unsigned nth_online_lp(const struct vm *vm, unsigned n)
{
	unsigned nr = platform_nr_lps(vm->h->p), online = 0;

	for (unsigned lp = 0; lp < nr; lp++)
		online += platform_lp_online(vm->h->p, lp);
	n %= online ? online : 1;
	for (unsigned lp = 0; lp < nr; lp++)
		if (platform_lp_online(vm->h->p, lp) && !n--)
			return lp;
	return 0;
}

int vm_init_vcpus(struct vm *vm)
{
	int ret = 0;

	host_mutex_lock(vm->h, &vm->lock);
	if (vm->state != VM_INITIALIZED)
		ret = vm_fail(vm, -EINVAL, "vCPUs can only be initialised before finalize");
	host_rwlock_lock(vm->h, &vm->mmu_lock, true);
	for (unsigned i = 0; !ret && i < vm->n_vcpus; i++) {
		struct vcpu_init vi = { vm, i, 0 };

		if (vm->vcpus[i].initialized)
			continue;
		ret = platform_on_lp(vm->h->p, nth_online_lp(vm, i), init_on_cpu, &vi);
	}
	pthread_rwlock_unlock(&vm->mmu_lock);
	pthread_mutex_unlock(&vm->lock);
	return ret;
}
