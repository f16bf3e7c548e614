/* SPDX-License-Identifier: MIT */
/* The vCPU run loop's shared state (vm_run.c, vm_tdvmcall.c). */
#ifndef TDXSIM_VMM_RUN_H
#define TDXSIM_VMM_RUN_H

#include "vmm_internal.h"
#include "tdxsim/guest.h"
#include "tdxsim/quote.h"

#define VM_LINE_MAX 256

struct host_audit_snapshot;

struct vcpu_run {
	struct vm *vm;
	unsigned index;
	struct vm_vcpu_result *res;
	const struct vm_run_opts *opts;
	bool done;
	bool started;                   /* its thread exists */
	char line[VM_LINE_MAX];         /* console bytes until a newline */
	size_t line_len;
	uint64_t tsc_deadline;          /* the one writable MSR */
	uint8_t notify_vector;
	/* KVM's lazy host-state switch (linux §6.5): saved at the first entry
	 * after a return to userspace, partly restored at every exit, the
	 * rest when the exit goes out to userspace (to_user) or the vCPU
	 * stops. The auditor's snapshots bracket that stretch. */
	struct vm_host_state host;
	bool host_loaded;
	bool to_user;                   /* this exit is served in userspace */
	struct host_audit_snapshot *audit;  /* [0] before, [1] after; or NULL */
};

struct vm_run {
	pthread_mutex_t console_lock;   /* also guards the quote */
	uint8_t quote[TDX_QUOTE_SIZE];
	size_t quote_len;
	unsigned quotes;
	char *console;
	size_t console_len, console_cap;
	struct vm_vcpu_result *res;
};

/* Handles a TDG.VP.VMCALL exit: a = the exit registers in, the values
 * for the next TDH.VP.ENTER out. May end the vCPU (vr->done). */
void vm_handle_tdvmcall(struct vcpu_run *vr, struct tdx_module_args *a);
/* vm_convert.c: MapGPA. */
void vm_tdvmcall_map_gpa(struct vcpu_run *vr, struct tdx_module_args *a);
/* GetQuote (vm_quote.c). */
void vm_tdvmcall_get_quote(struct vcpu_run *vr, struct tdx_module_args *a);
/* A byte the guest wrote to COM1. */
void vm_console_putc(struct vcpu_run *vr, char ch);
void vm_console_flush(struct vcpu_run *vr);

#endif
