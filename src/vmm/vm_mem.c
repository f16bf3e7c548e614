/* SPDX-License-Identifier: MIT */
/*
 * Private memory (linux §4.5–4.7): the mirror of the S-EPT, the measured
 * initial image, fault-in and zap.
 *
 * A mirror slot is claimed with a compare-and-swap to MIRROR_FROZEN
 * before the SEAMCALL that changes the S-EPT entry behind it, so two
 * threads never issue SEAMCALLs for one entry; map runs under mmu_lock
 * read, and everything that takes a tree lock exclusively or the TDR
 * exclusively (BLOCK, REMOVE, PAGE.ADD) under mmu_lock write.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm_internal.h"

#define ROOT_LEVEL 3   /* 4-level EPT: the root holds PML4 entries */

struct mirror *mirror_new(uint64_t sept_pa)
{
	struct mirror *m = calloc(1, sizeof(*m));

	if (m)
		m->sept_pa = sept_pa;
	return m;
}

unsigned mirror_idx(uint64_t gpa, unsigned level)
{
	return (gpa >> (12 + 9 * level)) & 511;
}

bool mirror_claim(_Atomic uintptr_t *slot, uintptr_t *seen)
{
	*seen = 0;
	return atomic_compare_exchange_strong(slot, seen, MIRROR_FROZEN);
}

static int sept_add(struct vm *vm, uint64_t gpa, unsigned level,
		    struct mirror **child)
{
	struct tdx_module_args a;
	uint64_t pa, s;

	if (vm_alloc_page(vm, &pa))
		return vm_fail(vm, -ENOMEM, "no TDX memory for an S-EPT page");
	*child = mirror_new(pa);
	if (!*child) {
		vm_free_page(vm, pa);
		return vm_fail(vm, -ENOMEM, "out of memory");
	}
	a = (struct tdx_module_args){
		.rcx = (gpa & ~((1ULL << (12 + 9 * level)) - 1)) | level,
		.rdx = vm->tdr, .r8 = pa };
	s = vm_seamcall(vm, TDH_MEM_SEPT_ADD, &a);
	if (s != TDX_SUCCESS) {
		free(*child);
		vm_free_page(vm, pa);
		return vm_bug(vm, TDH_MEM_SEPT_ADD, s, &a);
	}
	return 0;
}

/* The level-0 mirror node for gpa, adding S-EPT pages on the way. */
int vm_walk_to_pt(struct vm *vm, uint64_t gpa, struct mirror **out)
{
	struct mirror *m = vm->root;

	for (unsigned level = ROOT_LEVEL; level >= 1; level--) {
		_Atomic uintptr_t *slot = &m->slot[mirror_idx(gpa, level)];
		uintptr_t seen;
		struct mirror *child = NULL;
		int ret;

		if (!mirror_claim(slot, &seen)) {
			if (seen == MIRROR_FROZEN)
				return -EAGAIN;   /* another thread is adding it */
			m = (struct mirror *)seen;
			continue;
		}
		ret = sept_add(vm, gpa, level, &child);
		atomic_store(slot, ret ? 0 : (uintptr_t)child);
		if (ret)
			return ret;
		m = child;
	}
	*out = m;
	return 0;
}

static bool gpa_ok(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	return !(gpa % VMM_PAGE) && gpa < vm->cfg.memory_bytes &&
	       len <= vm->cfg.memory_bytes - gpa;
}

static int check_region(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (!len || !gpa_ok(vm, gpa, len))
		return vm_fail(vm, -EINVAL, "initial image [0x%llx, 0x%llx) does not "
			       "fit the TD's %llu bytes of memory",
			       (unsigned long long)gpa, (unsigned long long)(gpa + len),
			       (unsigned long long)vm->cfg.memory_bytes);
	for (unsigned i = 0; i < vm->n_regions; i++) {
		const struct mem_region *r = &vm->regions[i];

		if (gpa < r->gpa + r->len && r->gpa < gpa + len)
			return vm_fail(vm, -EEXIST, "memory region [0x%llx, 0x%llx) "
				       "overlaps [0x%llx, 0x%llx)",
				       (unsigned long long)gpa,
				       (unsigned long long)(gpa + len),
				       (unsigned long long)r->gpa,
				       (unsigned long long)(r->gpa + r->len));
	}
	if (vm->n_regions == VM_MAX_REGIONS)
		return vm_fail(vm, -ENOSPC, "at most %d memory regions", VM_MAX_REGIONS);
	return 0;
}

static int extend_page(struct vm *vm, uint64_t gpa)
{
	for (uint64_t off = 0; off < VMM_PAGE; off += TDX_MR_EXTEND_CHUNK) {
		struct tdx_module_args a = { .rcx = gpa + off, .rdx = vm->tdr };
		uint64_t s = vm_seamcall(vm, TDH_MR_EXTEND, &a);

		if (s != TDX_SUCCESS)
			return vm_bug(vm, TDH_MR_EXTEND, s, &a);
	}
	return 0;
}

/* PAGE.ADD from a host bounce page, then the 16 MR.EXTENDs. */
static int add_page(struct vm *vm, uint64_t gpa, uint64_t src_pa)
{
	struct mirror *pt;
	_Atomic uintptr_t *slot;
	struct tdx_module_args a;
	uint64_t hpa, s;
	uintptr_t seen;
	int ret = vm_walk_to_pt(vm, gpa, &pt);

	if (ret)
		return ret;
	slot = &pt->slot[mirror_idx(gpa, 0)];
	if (!mirror_claim(slot, &seen))
		return vm_fail(vm, -EEXIST, "GPA 0x%llx is already mapped",
			       (unsigned long long)gpa);
	if ((ret = vm_alloc_page(vm, &hpa))) {
		atomic_store(slot, 0);
		return vm_fail(vm, ret, "no TDX memory for the image");
	}
	a = (struct tdx_module_args){ .rcx = gpa, .rdx = vm->tdr, .r8 = hpa, .r9 = src_pa };
	s = vm_seamcall(vm, TDH_MEM_PAGE_ADD, &a);
	if (s != TDX_SUCCESS) {
		atomic_store(slot, 0);
		vm_free_page(vm, hpa);
		return vm_bug(vm, TDH_MEM_PAGE_ADD, s, &a);
	}
	atomic_store(slot, (uintptr_t)hpa | MIRROR_LEAF);
	return extend_page(vm, gpa);
}

static int add_region(struct vm *vm, uint64_t gpa, const uint8_t *src,
		      uint64_t len, uint64_t bounce)
{
	uint8_t buf[VMM_PAGE];
	int ret = 0;

	for (uint64_t off = 0; !ret && off < len; off += VMM_PAGE) {
		uint64_t n = len - off < VMM_PAGE ? len - off : VMM_PAGE;
		const uint8_t *page = src + off;

		if (n < VMM_PAGE) {   /* the partial last page, zero-padded */
			memset(buf, 0, sizeof(buf));
			memcpy(buf, page, n);
			page = buf;
		}
		platform_mem_write(vm->h->p, bounce, page, VMM_PAGE);
		ret = add_page(vm, gpa + off, bounce);
	}
	return ret;
}

int vm_init_mem_region(struct vm *vm, uint64_t gpa, const void *src,
		       uint64_t len)
{
	uint64_t bounce;
	int ret;

	host_mutex_lock(vm->h, &vm->lock);
	if (vm->state != VM_INITIALIZED)
		ret = vm_fail(vm, -EINVAL, "the initial image must be loaded before finalize");
	else
		ret = check_region(vm, gpa, len);
	if (!ret && !page_alloc_page(vm->h->pages, 0, false, &bounce))
		ret = vm_fail(vm, -ENOMEM, "no memory for a bounce page");
	if (!ret) {
		vm->regions[vm->n_regions++] = (struct mem_region){ gpa, len };
		host_rwlock_lock(vm->h, &vm->mmu_lock, true);
		ret = add_region(vm, gpa, src, len, bounce);
		pthread_rwlock_unlock(&vm->mmu_lock);
		page_alloc_free(vm->h->pages, bounce, VMM_PAGE);
	}
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

int vm_finalize(struct vm *vm)
{
	struct tdx_module_args a = { .rcx = vm->tdr };
	uint64_t s;
	int ret = 0;

	host_mutex_lock(vm->h, &vm->lock);
	if (vm->state != VM_INITIALIZED) {
		ret = vm_fail(vm, -EINVAL, "finalize needs an initialised, unfinalised TD");
	} else {
		s = vm_seamcall(vm, TDH_MR_FINALIZE, &a);
		if (s == TDX_SUCCESS)
			vm->state = VM_RUNNABLE;
		else if (s == TDX_NO_VCPUS)
			ret = vm_fail(vm, -EINVAL, "a TD needs a vCPU before finalize");
		else
			ret = vm_bug(vm, TDH_MR_FINALIZE, s, &a);
	}
	pthread_mutex_unlock(&vm->lock);
	return ret;
}
