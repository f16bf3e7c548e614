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
	/* KVM's vcpu->mode (vm_kick.c): VCPU_IN_GUEST from just before
	 * TDH.VP.ENTER until it returns; guest_exits counts those returns. */
	_Atomic int mode;
	_Atomic uint64_t guest_exits;
};

enum { VCPU_OUTSIDE_GUEST = 0, VCPU_IN_GUEST = 1 };

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
	/* Set while a removal retries: vCPUs may not enter (vm_kick.c). */
	_Atomic bool wait_for_sept_zap;
	/* The kick (vm_kick.c): kick_lock guards the waits; kick_cond wakes
	 * a kicker when a vCPU leaves the guest (signalled only while
	 * kick_waiters > 0), zap_cond the vCPUs held at the re-entry gate. */
	pthread_mutex_t kick_lock;
	pthread_cond_t kick_cond, zap_cond;
	_Atomic unsigned kick_waiters;
	_Atomic uint64_t kicks, kick_ipis;
	/* The last failure's message; vCPU threads fail concurrently, so
	 * it is written under err_lock and read once they are joined. */
	pthread_mutex_t err_lock;
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
	uint64_t xfam;                  /* the TD's XFAM, as MNG.INIT got it */
	uint64_t shared_root;           /* shared EPT (vm_shared.c), 0: none */
	struct vm_run *run;             /* while vm_run() runs (vm_run.c) */
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

/* vm_kick.c: KVM_REQ_OUTSIDE_GUEST_MODE and the removal path's gate. */
void vm_kick_init(struct vm *vm);
void vm_kick_destroy(struct vm *vm);
/* The run loop around TDH.VP.ENTER: false (after waiting at the gate
 * outside guest mode) when a zap holds re-entry; call again then. */
bool vm_vcpu_enter_guest_mode(struct vm *vm, unsigned index);
void vm_vcpu_leave_guest_mode(struct vm *vm, unsigned index);
/* tdx_no_vcpus_enter_start/stop: hold vCPUs out (and kick them out). */
void vm_no_vcpus_enter_start(struct vm *vm);
void vm_no_vcpus_enter_stop(struct vm *vm);

/* vm_run.c: frees what vm_run() kept for its result. */
void vm_run_free(struct vm *vm);

/* vm_shared.c: the shared EPT; map and unmap under mmu_lock write. */
int vm_shared_init(struct vm *vm);
uint64_t vm_shared_eptp(const struct vm *vm);
int vm_shared_map(struct vm *vm, uint64_t gpa);
void vm_shared_unmap(struct vm *vm, uint64_t gpa);
uint64_t vm_shared_hpa(struct vm *vm, uint64_t gpa);
/* Copies to or from mapped shared memory; -EFAULT at an unmapped page. */
int vm_shared_copy(struct vm *vm, uint64_t gpa, void *buf, size_t len, bool write);
void vm_shared_free(struct vm *vm);

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

/* vm_host_state.c: the host state KVM saves before TDH.VP.ENTER and puts
 * back after the TD exit (linux §6.5; docs/vmm.md "Host state across a
 * TD exit"). */
struct vm_host_state {
	uint64_t debugctl, star, lstar, fmask, tsc_aux, kernel_gs_base;
	uint64_t xcr0, xss, pkru, xfd;
	uint64_t dr[8];                 /* DR0-3, DR6, DR7 used */
};
/* One bit per restore step of vm_host_restore(); only tests skip any. */
enum vm_restore_item {
	VM_RESTORE_DEBUGCTL,
	VM_RESTORE_STAR,
	VM_RESTORE_LSTAR,
	VM_RESTORE_FMASK,
	VM_RESTORE_TSC_AUX,
	VM_RESTORE_KERNEL_GS_BASE,
	VM_RESTORE_XCR0,
	VM_RESTORE_XSS,
	VM_RESTORE_PKRU,
	VM_RESTORE_XFD,
	VM_RESTORE_DR0,
	VM_RESTORE_DR1,
	VM_RESTORE_DR2,
	VM_RESTORE_DR3,
	VM_RESTORE_DR6,
	VM_RESTORE_DR7,
	VM_RESTORE_NR
};
#define VM_RESTORE_BIT(item) (1u << (item))
/* KVM's save of the host state, when it loads the guest state: once per
 * stretch of TD entries between two returns to userspace. */
void vm_host_save(struct platform *p, unsigned lp, struct vm_host_state *s);
/* skip_mask: VM_RESTORE_BIT()s of steps to leave out; production passes 0.
 * _exit: what KVM rewrites after every TD exit (DEBUGCTL, XCR0, XSS, PKRU,
 * the debug registers while host breakpoints are armed). _user: what waits
 * for the return to userspace (the user-return MSRs, KERNEL_GS_BASE on
 * vcpu_put, XFD with the FPU put). vm_host_restore: both, in that order. */
void vm_host_restore_exit(struct platform *p, unsigned lp,
			  const struct vm_host_state *s, uint64_t td_xfam,
			  unsigned skip_mask);
void vm_host_restore_user(struct platform *p, unsigned lp,
			  const struct vm_host_state *s, uint64_t td_xfam,
			  unsigned skip_mask);
void vm_host_restore(struct platform *p, unsigned lp,
		     const struct vm_host_state *s, uint64_t td_xfam,
		     unsigned skip_mask);
/* The TD's XCR0 / XSS as the module leaves them after an exit (abi §7.5). */
uint64_t vm_td_exit_xcr0(uint64_t xfam);
uint64_t vm_td_exit_xss(uint64_t xfam);
/* -EINVAL with a message naming the feature when the TD asks for one whose
 * MSRs KVM does not restore after a TD exit (linux §6.5); 0 otherwise.
 * cpuid_leaf7_ebx_ecx: the TD's CPUID.(7,0) EBX and ECX as configured (may
 * be NULL: no CPUID bits asked for). To be called by vm_create before
 * TDH.MNG.CREATE, next to the attribute check. */
int vm_host_check_td_features(uint64_t attributes, uint64_t xfam,
			      const uint32_t cpuid_leaf7_ebx_ecx[2],
			      char *err, size_t errlen);

/* vm_teardown.c */
void vm_release_hkid(struct vm *vm);
void vm_reclaim_all(struct vm *vm);

#endif
