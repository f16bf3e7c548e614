/* SPDX-License-Identifier: MIT */
/*
 * Test helper: one guest program of the test's own, run in a one-vCPU TD
 * under the VMM (vm_create .. vm_run) on a small booted machine, with the
 * vCPU's result kept after the VM is gone.
 */
#ifndef TDXSIM_TEST_VM_GUEST_H
#define TDXSIM_TEST_VM_GUEST_H

#include "host_machine.h"
#include "tdxsim/guest.h"
#include "vmm/vmm.h"

struct vm_guest {
	struct hm hm;
	struct vmm *vmm;
	uint64_t attributes;            /* the TD's, given to vm_create */
	int run_ret;
	struct vm_vcpu_result vcpu;     /* a copy: the VM owns the original */
};

/* Boots, adds prog, runs it to its end; asserts the run and exit code 0. */
void vm_guest_run(struct vm_guest *c, const struct tdx_guest_program *prog,
		  uint64_t attributes);
void vm_guest_done(struct vm_guest *c);

#endif
