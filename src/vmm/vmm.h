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
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "host/host.h"

struct tdx_quoting_key;

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
/* kvm_make_all_cpus_request(KVM_REQ_OUTSIDE_GUEST_MODE): an IPI to the
 * LP of every vCPU inside TDH.VP.ENTER, then a wait until each of those
 * has left the guest at least once since (one found outside is not
 * waited for); returns how many it kicked. Returns at
 * once when none is inside; the caller may be a vCPU's own thread. */
unsigned vm_kick_all_vcpus(struct vm *vm);
/* Kicks made and IPIs they sent, since the VM was made. */
uint64_t vm_kicks(const struct vm *vm);
uint64_t vm_kick_ipis(const struct vm *vm);
/* The host PA behind a private GPA, 0 when it is not mapped. */
uint64_t vm_private_hpa(struct vm *vm, uint64_t gpa);
/* TDH.MNG.RD of a TD-scope field. */
int vm_read_field(struct vm *vm, uint64_t field, uint64_t *value);
/* How a vCPU's run ended. */
enum vm_vcpu_end {
	VCPU_END_NONE,            /* not run */
	VCPU_END_EXITED,          /* the program wrote its exit code */
	VCPU_END_HALTED,          /* HLT with nothing to wake it */
	VCPU_END_GUEST_FATAL,     /* TDVMCALL ReportFatalError */
	VCPU_END_SHUTDOWN,        /* triple fault: the vCPU is disabled */
	VCPU_END_TD_FATAL,        /* NON_RECOVERABLE_TD*: the whole TD is dead */
	VCPU_END_ERROR,           /* the host could not continue (VM bugged) */
	VCPU_END_LIMIT,           /* the host stopped it at max_entries */
};

/* Exit counters: VMX basic exit reasons, TDVMCALL sub-functions apart. */
#define VM_EXIT_REASONS 80
enum vm_vmcall_kind {
	VMCALL_IO, VMCALL_HLT, VMCALL_CPUID, VMCALL_RDMSR, VMCALL_WRMSR,
	VMCALL_MMIO, VMCALL_GET_INFO, VMCALL_MAP_GPA, VMCALL_GET_QUOTE,
	VMCALL_FATAL, VMCALL_EVENT_NOTIFY, VMCALL_OTHER, VMCALL_NR
};

struct vm_vcpu_result {
	enum vm_vcpu_end end;
	int exit_code;                  /* VCPU_END_EXITED */
	uint64_t status;                /* the last TDH.VP.ENTER status */
	uint64_t fatal_code;            /* VCPU_END_GUEST_FATAL: R12 */
	char fatal_msg[65];
	uint64_t exits[VM_EXIT_REASONS];
	uint64_t vmcalls[VMCALL_NR];
	uint64_t entries;               /* TDH.VP.ENTER calls */
	uint64_t user_returns;          /* returns to userspace: host state reloaded */
	uint64_t audit_diffs;           /* host-state differences seen */
	char audit_report[512];         /* the first difference's report */
};

struct vm_run_opts {
	/* Snapshot every host MSR and register of the LP before the first
	 * TDH.VP.ENTER after each return to userspace, and compare once the
	 * host has restored its state for the next return (KVM restores
	 * part of it after every exit and the rest lazily, linux §6.5). */
	bool audit;
	/* Tests only: restore steps to leave out (vm_restore_item bits). */
	unsigned restore_skip_mask;
	/* The quoting service behind GetQuote; NULL: none, and the guest's
	 * buffer says SERVICE_UNAVAILABLE. */
	struct tdx_quoting_key *qe;
	/* TDH.VP.ENTER calls per vCPU before the host stops that vCPU
	 * (VCPU_END_LIMIT), so a guest that never ends cannot run forever;
	 * 0: no limit. */
	uint64_t max_entries;
	/* When set, every TD entry of every vCPU adds one to it, for a
	 * progress display on another thread. */
	_Atomic uint64_t *entries;
};

struct vm_run_result {
	unsigned n_vcpus;
	struct vm_vcpu_result *vcpu;    /* n_vcpus entries, owned by the VM */
	const char *console;            /* everything the guest wrote to COM1 */
	size_t console_len;
	const uint8_t *quote;           /* the last quote GetQuote made, or NULL */
	size_t quote_len;
	unsigned quotes;                /* quotes made */
};

/* Runs every vCPU (each on the LP it was initialised on, in its own
 * thread) until each has ended. 0 when every vCPU's program exited with
 * code 0; 1 when the guest ended otherwise; -errno when the host failed.
 * The result stays valid until vm_destroy(). */
int vm_run(struct vm *vm, const struct vm_run_opts *opts,
	   struct vm_run_result *out);
const char *vm_vcpu_end_name(enum vm_vcpu_end e);
const char *vm_vmcall_kind_name(enum vm_vmcall_kind k);

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
