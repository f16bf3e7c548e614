/* SPDX-License-Identifier: MIT */
#ifndef TDXSIM_VMM_INTERNAL_H
#define TDXSIM_VMM_INTERNAL_H

#include <stdarg.h>

#include "vmm.h"
#include "tdxsim/tdxsim.h"

#define VMM_PAGE 4096ULL

struct vmm {
	struct host *h;
	/* KVM's tdx_lock: "acquire the TDX module globally". */
	pthread_mutex_t tdx_lock;
	pthread_mutex_t hkid_lock;
	uint32_t hkid_start, nr_hkids;
	uint8_t *hkid_used;
	unsigned hkids_in_use;
};

/* KVM's mirror of the S-EPT: one node per S-EPT page. Slots of a level-L
 * node (L > 0) hold child nodes; level-0 slots hold leaf HPA | MIRROR_LEAF.
 * MIRROR_FROZEN marks a slot some thread is changing (KVM's FROZEN_SPTE). */
#define MIRROR_FROZEN ((uintptr_t)1)
#define MIRROR_LEAF   ((uintptr_t)2)

struct mirror {
	uint64_t sept_pa;
	_Atomic uintptr_t slot[512];
};

struct vcpu {
	uint64_t tdvpr;
	uint64_t tdvpx[16];
	unsigned n_tdvpx;
	unsigned last_lp;
	bool created, initialized;
};

struct mem_region {
	uint64_t gpa, len;
};

#define VM_MAX_REGIONS 16

struct vm {
	struct vmm *vmm;
	struct host *h;
	struct td_config cfg;
	/* kvm->lock: build steps and state changes. */
	pthread_mutex_t lock;
	/* kvm->mmu_lock: read for map, write for zap and PAGE.ADD. */
	pthread_rwlock_t mmu_lock;
	enum vm_state state;
	bool hkid_assigned, keys_configured;
	_Atomic bool bugged;
	/* Set while a removal retries: vCPUs may not enter. */
	_Atomic bool wait_for_sept_zap;
	char err[320];

	uint16_t hkid;
	uint64_t tdr;
	uint64_t tdcs[16];
	unsigned n_tdcs;
	struct vcpu *vcpus;
	unsigned n_vcpus;
	struct mirror *root;
	unsigned n_regions;
	struct mem_region regions[VM_MAX_REGIONS];
	_Atomic uint64_t pages_held;
	unsigned gpaw;
};

/* vmm.c */
int vmm_hkid_alloc(struct vmm *v, uint16_t *hkid);
void vmm_hkid_free(struct vmm *v, uint16_t hkid);
int vm_fail(struct vm *vm, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* TDX_BUG_ON: marks the VM bugged, logs the leaf, status and details. */
int vm_bug(struct vm *vm, uint64_t leaf, uint64_t status,
	   const struct tdx_module_args *out);
uint64_t vm_seamcall(struct vm *vm, uint64_t leaf, struct tdx_module_args *a);
/* A page from the host allocator, counted; and back. */
int vm_alloc_page(struct vm *vm, uint64_t *pa);
void vm_free_page(struct vm *vm, uint64_t pa);
/* Zeroes a page as the kernel does before giving it back (MOVDIR64B). */
void vm_reset_page(struct vm *vm, uint64_t pa);
/* Runs fn on the first online LP of a package; -EIO when there is none. */
int vm_on_package(struct vm *vm, unsigned pkg, int (*fn)(void *), void *arg);

/* vm_mem.c */
struct mirror *mirror_new(uint64_t sept_pa);
unsigned mirror_idx(uint64_t gpa, unsigned level);
/* Claims a free slot (to MIRROR_FROZEN), or reports what is there. */
bool mirror_claim(_Atomic uintptr_t *slot, uintptr_t *seen);
int vm_walk_to_pt(struct vm *vm, uint64_t gpa, struct mirror **out);
/* vm_fault.c: calls fn on every leaf, then on every S-EPT page below
 * the root (children first), freeing the mirror nodes. */
void mirror_free_all(struct vm *vm, struct mirror *m, unsigned level,
		     void (*leaf)(struct vm *, uint64_t hpa),
		     void (*node)(struct vm *, uint64_t sept_pa));

/* vm_teardown.c */
void vm_release_hkid(struct vm *vm);
void vm_reclaim_all(struct vm *vm);

#endif
