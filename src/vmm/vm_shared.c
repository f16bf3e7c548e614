/* SPDX-License-Identifier: MIT */
/*
 * The shared half of a TD's GPA space: an ordinary 4-level EPT in host
 * memory that the vmm builds (KVM's direct root for a TD), its root given
 * to every vCPU as SHARED_EPT_POINTER with TDH.VP.WR. Shared pages are
 * host pages, faulted in on the guest's first access and zeroed.
 */
#include <errno.h>

#include "vmm_internal.h"

#define EPT_RWX       0x7ULL
#define EPT_MT_WB     (6ULL << 3)
#define EPT_ADDR_MASK 0x000FFFFFFFFFF000ULL
#define EPT_LEVELS    4

static int new_table(struct vm *vm, uint64_t *pa)
{
	if (vm_alloc_page(vm, pa))
		return vm_fail(vm, -ENOMEM, "no host memory for a shared page");
	platform_mem_zero(vm->h->p, *pa, VMM_PAGE);
	return 0;
}

static uint64_t entry_read(struct vm *vm, uint64_t table, unsigned idx)
{
	uint64_t e = 0;

	platform_mem_read(vm->h->p, table + idx * 8ULL, &e, 8);
	return e;
}

static void entry_write(struct vm *vm, uint64_t table, unsigned idx, uint64_t e)
{
	platform_mem_write(vm->h->p, table + idx * 8ULL, &e, 8);
}

int vm_shared_init(struct vm *vm)
{
	return vm->shared_root ? 0 : new_table(vm, &vm->shared_root);
}

uint64_t vm_shared_eptp(const struct vm *vm)
{
	/* The root only, as KVM writes it: the module takes the memory
	 * type and page-walk length (4, vm_create's EPTP) from the TD's EPTP
	 * and refuses other low bits. */
	return vm->shared_root;
}

/* Maps a fresh zeroed host page at the shared GPA (its 4K page); 0 when
 * it is mapped already. Called with mmu_lock held for write. */
int vm_shared_map(struct vm *vm, uint64_t gpa)
{
	uint64_t table = vm->shared_root, e, pa;
	int ret;

	for (int level = EPT_LEVELS - 1; level > 0; level--) {
		unsigned idx = (gpa >> (12 + 9 * level)) & 511;

		e = entry_read(vm, table, idx);
		if (!(e & EPT_RWX)) {
			if ((ret = new_table(vm, &pa)))
				return ret;
			e = pa | EPT_RWX;
			entry_write(vm, table, idx, e);
		}
		table = e & EPT_ADDR_MASK;
	}
	e = entry_read(vm, table, (gpa >> 12) & 511);
	if (e & EPT_RWX)
		return 0;
	if ((ret = new_table(vm, &pa)))
		return ret;
	entry_write(vm, table, (gpa >> 12) & 511, pa | EPT_RWX | EPT_MT_WB);
	return 0;
}

/* Unmaps the shared 4K page at gpa and frees it (a conversion to
 * private); nothing to do when it is not mapped. */
void vm_shared_unmap(struct vm *vm, uint64_t gpa)
{
	uint64_t table = vm->shared_root, e;

	for (int level = EPT_LEVELS - 1; level > 0; level--) {
		e = entry_read(vm, table, (gpa >> (12 + 9 * level)) & 511);
		if (!(e & EPT_RWX))
			return;
		table = e & EPT_ADDR_MASK;
	}
	e = entry_read(vm, table, (gpa >> 12) & 511);
	if (!(e & EPT_RWX))
		return;
	entry_write(vm, table, (gpa >> 12) & 511, 0);
	vm_free_page(vm, e & EPT_ADDR_MASK);
}

/* The host PA behind a shared GPA (mapped or not: 0). */
uint64_t vm_shared_hpa(struct vm *vm, uint64_t gpa)
{
	uint64_t table = vm->shared_root, e = 0;

	for (int level = EPT_LEVELS - 1; level >= 0 && table; level--) {
		e = entry_read(vm, table, (gpa >> (12 + 9 * level)) & 511);
		if (!(e & EPT_RWX))
			return 0;
		table = e & EPT_ADDR_MASK;
	}
	return table ? table | (gpa & 0xFFF) : 0;
}

int vm_shared_copy(struct vm *vm, uint64_t gpa, void *buf, size_t len, bool write)
{
	uint8_t *p = buf;

	while (len) {
		size_t n = VMM_PAGE - (gpa & (VMM_PAGE - 1));
		uint64_t hpa = vm_shared_hpa(vm, gpa);

		if (!hpa)
			return -EFAULT;
		if (n > len)
			n = len;
		if (write)
			platform_mem_write(vm->h->p, hpa, p, n);
		else
			platform_mem_read(vm->h->p, hpa, p, n);
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}

static void free_level(struct vm *vm, uint64_t table, int level)
{
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = entry_read(vm, table, i);

		if (!(e & EPT_RWX))
			continue;
		if (level > 0)
			free_level(vm, e & EPT_ADDR_MASK, level - 1);
		else
			vm_free_page(vm, e & EPT_ADDR_MASK);
	}
	vm_free_page(vm, table);
}

void vm_shared_free(struct vm *vm)
{
	if (vm->shared_root)
		free_level(vm, vm->shared_root, EPT_LEVELS - 1);
	vm->shared_root = 0;
}
