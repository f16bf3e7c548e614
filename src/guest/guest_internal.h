/* SPDX-License-Identifier: MIT */
#ifndef TDXSIM_GUEST_INTERNAL_H
#define TDXSIM_GUEST_INTERNAL_H

#include "tdxsim/abi.h"
#include "tdxsim/guest.h"
#include "tdxsim/tdcall.h"

/* The guest's per-vCPU state, on the vCPU's own stack. */
struct tdx_guest {
	struct tdx_vcpu *cpu;
	unsigned vcpu_index, nr_vcpus;
	uint64_t attributes;
	unsigned gpaw;
	uint64_t pending_accepts;   /* #VEs the handler turned into accepts */
	uint64_t cpuid_ves;         /* CPUIDs the #VE handler emulated */
	uint64_t msr_ves;           /* RDMSRs and WRMSRs it emulated */
	uint64_t insn_status;       /* the emulating TDVMCALL's status */
	unsigned cpl;               /* privilege level of the program's code */
};

/* The initial image at GPA 0 (one page). */
#define GUEST_IMAGE_MAGIC "TDXSIMG1"
struct guest_image {
	char magic[8];
	uint32_t version;
	uint32_t argc;
	char program[32];
	char args[TDX_GUEST_IMAGE_BYTES - 48];   /* argc NUL-terminated strings */
};
_Static_assert(sizeof(struct guest_image) == TDX_GUEST_IMAGE_BYTES, "one page");

#define GUEST_MAX_ARGS 32

/* TDG.VP.VMCALL with the given GPRs selected. */
uint64_t guest_vmcall(struct tdx_guest *g, uint64_t select, uint64_t gpr[16]);
/* The program's exit through the exit port; never returns. */
void guest_exit(struct tdx_guest *g, int code) __attribute__((noreturn));

#endif
