/* SPDX-License-Identifier: MIT */
/*
 * A vCPU while it runs guest code: the CPU and module side of TD
 * execution. TDH.VP.ENTER switches from the LP's thread onto the vCPU's
 * fiber; the guest's TDCALLs and memory accesses are the "instructions"
 * below, handled by the module on the guest's stack as the CPU would trap
 * into SEAM; a TD exit switches back to the thread inside VP.ENTER.
 *
 * The guest side (src/guest/) only uses this header: guest_start() is
 * the TD's first instruction, and everything it does afterwards goes
 * through cpu_tdcall() and cpu_mem_access().
 */
#ifndef TDXSIM_MODULE_TD_GUEST_H
#define TDXSIM_MODULE_TD_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gpr.h"

struct guest_vcpu;

/* Guest GPRs in operand-ID order (RAX, RCX, RDX, RBX, RSP, RBP, RSI,
 * RDI, R8..R15), as TDCALL sees them. */
#define GUEST_NR_GPRS 16

/* TDCALL: gpr[RAX] = leaf in, completion status out. */
uint64_t cpu_tdcall(struct guest_vcpu *gv, uint64_t gpr[GUEST_NR_GPRS]);

/* A load or store of [gpa, gpa+len) through the TD's EPTs, retried until
 * it completes: a missing private page is an EPT-violation exit, a
 * pending one a #VE (or an exit under SEPT_VE_DISABLE). A machine check
 * never returns (the TD is dead). */
void cpu_mem_access(struct guest_vcpu *gv, uint64_t gpa, void *buf,
		    size_t len, bool write);

/* The guest's #VE handler (IDT vector 20), run on the guest's stack. */
void cpu_set_ve_handler(struct guest_vcpu *gv, void (*fn)(void *arg),
			void *arg);

/* The guest executes something that faults while faulting: triple fault.
 * Never returns. */
void cpu_triple_fault(struct guest_vcpu *gv) __attribute__((noreturn));

/* src/guest/firmware.c: what the vCPU runs from its first entry. */
void guest_start(struct guest_vcpu *gv);

#endif
