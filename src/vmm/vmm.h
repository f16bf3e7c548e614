/* SPDX-License-Identifier: MIT */
/*
 * The TD manager, modelled on KVM's TDX code (linux-tdx-host.md §4–5):
 * HKIDs from the guest KeyID range, TD and vCPU creation, the measured
 * initial image, private memory map and zap, and teardown that returns
 * every page to the host allocator.
 *
 * Locking (docs/vmm.md has the full table): the vmm's tdx_lock around
 * MNG.CREATE and the VPFLUSHDONE → CACHE.WB → KEY.FREEID sequence; the
 * VM's state lock around every build step; its mmu_lock read for map
 * (SEPT.ADD, AUG) and write for zap and PAGE.ADD. Module-lock contention
 * is then impossible by construction, so a BUSY from an S-EPT SEAMCALL
 * is a bug: the VM is marked bugged, except for the removal path's one
 * retry after every vCPU has been made to leave the guest.
 *
 * Every call runs SEAMCALLs on the calling thread's LP (which must be
 * online with TDX initialised) or on the LPs it names.
 */
#ifndef TDXSIM_VMM_H
#define TDXSIM_VMM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "host/host.h"

struct vmm;
struct vm;

struct vmm *vmm_create(struct host *h);
void vmm_destroy(struct vmm *v);
unsigned vmm_hkids_in_use(const struct vmm *v);

struct td_config {
	unsigned vcpus;
	uint64_t memory_bytes;          /* private GPA range [0, memory_bytes) */
	uint64_t attributes;            /* TD ATTRIBUTES the user asks for */
	uint64_t xfam;                  /* 0: x87 | SSE */
	uint8_t mr_config_id[48], mr_owner[48], mr_owner_config[48];
};

enum vm_state { VM_CREATED, VM_INITIALIZED, VM_RUNNABLE, VM_TORN_DOWN };

/* KVM_CREATE_VM + KVM_TDX_INIT_VM: HKID, TDR/TDCS, CREATE, KEY.CONFIG,
 * ADDCX, MNG.INIT. -errno with a message in err on failure (user input
 * errors are -EINVAL and never leave a bugged VM). */
int vm_create(struct vmm *v, const struct td_config *cfg, struct vm **out,
	      char *err, size_t errlen);
/* KVM_TDX_INIT_VCPU for every vCPU: VP.CREATE, VP.ADDCX, VP.INIT. */
int vm_init_vcpus(struct vm *vm);
/* KVM_TDX_INIT_MEM_REGION with the measure flag: for each 4 KiB page in
 * ascending GPA, PAGE.ADD then 16 MR.EXTEND; a partial last page is
 * zero-padded. gpa page-aligned; the range must fit the TD's memory and
 * not overlap an earlier region. */
int vm_init_mem_region(struct vm *vm, uint64_t gpa, const void *src,
		       uint64_t len);
/* KVM_TDX_FINALIZE_VM. */
int vm_finalize(struct vm *vm);
/* Private fault-in of one 4 KiB GPA: SEPT.ADD as needed, then AUG. */
int vm_map_private(struct vm *vm, uint64_t gpa);
/* Zap of one private 4 KiB GPA: BLOCK, TRACK, kick, REMOVE, WBINVD. */
int vm_zap_private(struct vm *vm, uint64_t gpa);
/* TDH.MNG.RD of a TD-scope field. */
int vm_read_field(struct vm *vm, uint64_t field, uint64_t *value);
/* Releases the HKID, reclaims every page, frees the VM. */
void vm_destroy(struct vm *vm);

enum vm_state vm_state(const struct vm *vm);
bool vm_bugged(const struct vm *vm);
/* The last error or bug message ("" if none). */
const char *vm_error(const struct vm *vm);
uint16_t vm_hkid(const struct vm *vm);
uint64_t vm_tdr(const struct vm *vm);
/* Pages the VM holds from the host allocator right now. */
uint64_t vm_pages_held(const struct vm *vm);

#endif
