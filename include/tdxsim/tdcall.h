/* SPDX-License-Identifier: MIT */
/*
 * The TDCALL door: the CPU as code running inside a TD sees it, the
 * guest-side twin of seamcall.h. A vCPU runs guest code on its own stack
 * from TDH.VP.ENTER until a TD exit; while it runs, the guest's TDCALLs
 * and memory accesses below are the only way out of it. The module
 * handles them as the CPU traps into SEAM: a TDCALL that leaves the TD
 * (TDG.VP.VMCALL) returns at the next TDH.VP.ENTER.
 *
 * tdx_guest_firmware() is the other direction: the first code every vCPU
 * runs, supplied by the guest layer (src/guest/firmware.c).
 */
#ifndef TDXSIM_TDCALL_H
#define TDXSIM_TDCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tdx_vcpu;

/* TDCALL's register file, in operand-ID order (abi §2.3). */
enum tdx_gpr {
	TDX_GPR_RAX, TDX_GPR_RCX, TDX_GPR_RDX, TDX_GPR_RBX, TDX_GPR_RSP,
	TDX_GPR_RBP, TDX_GPR_RSI, TDX_GPR_RDI, TDX_GPR_R8, TDX_GPR_R9,
	TDX_GPR_R10, TDX_GPR_R11, TDX_GPR_R12, TDX_GPR_R13, TDX_GPR_R14,
	TDX_GPR_R15, TDX_NR_GPRS
};

/* TDCALL: gpr[TDX_GPR_RAX] = leaf in, completion status out. */
uint64_t tdcall(struct tdx_vcpu *cpu, uint64_t gpr[TDX_NR_GPRS]);

/* A load or store of [gpa, gpa+len) through the TD's EPTs, re-executed
 * until it completes: a missing private page is an EPT-violation exit, a
 * pending one a #VE (or an exit under SEPT_VE_DISABLE), a shared one the
 * VMM's shared EPT. A machine check never returns (the TD is dead). */
void tdx_cpu_access(struct tdx_vcpu *cpu, uint64_t gpa, void *buf, size_t len,
		    bool write);

/* The CPUID instruction at privilege level cpl: RAX = leaf, RCX =
 * subleaf in; EAX..EDX out in RAX, RBX, RCX, RDX (upper halves 0). The
 * module answers from the TD's CPUID values, or raises a #VE (a leaf it
 * does not virtualise, or one the guest asked to see as #VE), whose
 * handler emulates the instruction in the registers tdx_cpu_ve_gprs()
 * gives it. */
void tdx_cpu_cpuid(struct tdx_vcpu *cpu, uint64_t gpr[TDX_NR_GPRS], unsigned cpl);
/* RDMSR and WRMSR at privilege level cpl: RCX = the MSR; the value in
 * EDX:EAX (RDX, RAX; a read leaves the upper halves 0). The module
 * passes the access to the TD's own copy of the MSR, emulates it, or
 * raises a #VE for the handler to emulate (through the VMM). false: the
 * instruction raised #GP(0) (above CPL 0, an MSR the TD may not touch,
 * a reserved bit); nothing was read or written and there is no #GP
 * handler to run, so the guest's code takes it as a fault fixup would
 * (Linux's rdmsr_safe). */
bool tdx_cpu_rdmsr(struct tdx_vcpu *cpu, uint64_t gpr[TDX_NR_GPRS], unsigned cpl);
bool tdx_cpu_wrmsr(struct tdx_vcpu *cpu, uint64_t gpr[TDX_NR_GPRS], unsigned cpl);
/* Inside a #VE handler for an instruction: that instruction's registers
 * (to read its operands and write its results); NULL otherwise. */
uint64_t *tdx_cpu_ve_gprs(struct tdx_vcpu *cpu);
/* The guest's #VE handler (IDT vector 20), run on the guest's stack. */
void tdx_cpu_set_ve_handler(struct tdx_vcpu *cpu, void (*fn)(void *arg),
			    void *arg);

/* The guest faults while faulting: triple fault. Never returns. */
void tdx_cpu_triple_fault(struct tdx_vcpu *cpu) __attribute__((noreturn));

/* A guest program the user added to this machine
 * (platform_add_guest_program), or NULL. */
struct tdx_guest_program;
const struct tdx_guest_program *tdx_cpu_find_program(struct tdx_vcpu *cpu,
						     const char *name);

/* The vCPU's first instruction (the guest layer provides it). */
void tdx_guest_firmware(struct tdx_vcpu *cpu);

#endif
