/* SPDX-License-Identifier: MIT */
/*
 * TDVMCALL service per the GHCI as KVM gives it (linux §6.3): R10 = 0 is
 * the standard ABI with the sub-function in R11 (a GHCI leaf, or the VMX
 * exit reason of an instruction the guest wants emulated); the status
 * goes back in R10 and values in R11 (R12–R15 for CPUID).
 *
 * Devices of the simulated platform: a console on COM1 (THR out, LSR
 * always "empty") and an exit port (0xF4, 4-byte OUT = exit code, as
 * QEMU's isa-debug-exit). Other ports read all-ones; MMIO has no devices
 * (reads all-ones, writes dropped).
 */
#include <string.h>

#include "vm_run.h"

#define COM1_LSR           (TDX_GUEST_PORT_COM1 + 5)
#define COM1_LSR_THR_EMPTY 0x60
#define KVM_HC_STATUS_NOSYS (-1000LL)          /* KVM_ENOSYS (linux §6.3) */

#define MSR_IA32_APICBASE     0x1BU
#define MSR_IA32_UCODE_REV    0x8BU
#define MSR_IA32_PLATFORM_INFO 0xCEU
#define MSR_IA32_MTRRCAP      0xFEU
#define MSR_IA32_MISC_ENABLE  0x1A0U
#define MSR_IA32_TSC_DEADLINE 0x6E0U

static void io(struct vcpu_run *vr, struct tdx_module_args *a)
{
	unsigned size = (unsigned)a->r12, out = (unsigned)a->r13;
	uint16_t port = (uint16_t)a->r14;
	uint32_t val = (uint32_t)a->r15;

	vr->res->vmcalls[VMCALL_IO]++;
	if ((size != 1 && size != 2 && size != 4) || out > 1) {
		a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		return;
	}
	a->r10 = TDVMCALL_STATUS_SUCCESS;
	if (out) {
		if (port == TDX_GUEST_PORT_COM1)
			vm_console_putc(vr, (char)val);
		else if (port == TDX_GUEST_PORT_EXIT && size == 4) {
			vr->res->exit_code = (int)val;
			vr->res->end = VCPU_END_EXITED;
			vr->done = true;
		}
		return;
	}
	a->r11 = port == COM1_LSR ? COM1_LSR_THR_EMPTY
				  : (size == 4 ? 0xFFFFFFFFULL : (1ULL << (8 * size)) - 1);
}

static void cpuid(struct vcpu_run *vr, struct tdx_module_args *a)
{
	uint32_t regs[4];

	vr->res->vmcalls[VMCALL_CPUID]++;
	platform_cpuid(vr->vm->h->p, vr->vm->vcpus[vr->index].last_lp,
		       (uint32_t)a->r12, (uint32_t)a->r13, regs);
	a->r12 = regs[0];
	a->r13 = regs[1];
	a->r14 = regs[2];
	a->r15 = regs[3];
	a->r10 = TDVMCALL_STATUS_SUCCESS;
}

/* The MSRs KVM emulates for a TD (an allow-list, linux §6.3). */
static void rdmsr(struct vcpu_run *vr, struct tdx_module_args *a)
{
	vr->res->vmcalls[VMCALL_RDMSR]++;
	a->r10 = TDVMCALL_STATUS_SUCCESS;
	switch ((uint32_t)a->r12) {
	case MSR_IA32_TSC_DEADLINE:  a->r11 = vr->tsc_deadline; break;
	case MSR_IA32_APICBASE:      a->r11 = 0xFEE00000ULL | (1ULL << 11) | (1ULL << 10) |
					      (vr->index ? 0 : 1ULL << 8); break;
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_PLATFORM_INFO:
	case MSR_IA32_MTRRCAP:
	case MSR_IA32_MISC_ENABLE:   a->r11 = 0; break;
	default:
		a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
	}
}

static void wrmsr(struct vcpu_run *vr, struct tdx_module_args *a)
{
	vr->res->vmcalls[VMCALL_WRMSR]++;
	if ((uint32_t)a->r12 == MSR_IA32_TSC_DEADLINE) {
		vr->tsc_deadline = a->r13;
		a->r10 = TDVMCALL_STATUS_SUCCESS;
	} else {
		a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
	}
}

static void mmio(struct vcpu_run *vr, struct tdx_module_args *a)
{
	uint64_t size = a->r12, shared = 1ULL << (vr->vm->gpaw - 1);

	vr->res->vmcalls[VMCALL_MMIO]++;
	if ((size != 1 && size != 2 && size != 4 && size != 8) || a->r13 > 1 ||
	    !(a->r14 & shared)) {
		a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		return;
	}
	a->r10 = TDVMCALL_STATUS_SUCCESS;
	if (!a->r13)
		a->r11 = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* ReportFatalError: R12 = code; the message bytes as tdx_panic() packs
 * them in R14, R15, RBX, RDI, RSI, R8, R9, RDX. */
static void fatal(struct vcpu_run *vr, struct tdx_module_args *a)
{
	const uint64_t regs[8] = { a->r14, a->r15, a->rbx, a->rdi, a->rsi, a->r8, a->r9, a->rdx };

	vr->res->vmcalls[VMCALL_FATAL]++;
	vr->res->fatal_code = a->r12;
	memcpy(vr->res->fatal_msg, regs, 64);
	vr->res->fatal_msg[64] = 0;
	vr->res->end = VCPU_END_GUEST_FATAL;
	vr->done = true;
}

static void hlt(struct vcpu_run *vr, struct tdx_module_args *a)
{
	vr->res->vmcalls[VMCALL_HLT]++;
	a->r10 = TDVMCALL_STATUS_SUCCESS;
	/* No interrupt source exists to wake it: the vCPU is done. */
	if (vr->res->end != VCPU_END_EXITED)
		vr->res->end = VCPU_END_HALTED;
	vr->done = true;
}

static void ghci(struct vcpu_run *vr, struct tdx_module_args *a)
{
	switch (a->r11) {
	case TDVMCALL_GET_TD_VM_CALL_INFO:
		vr->res->vmcalls[VMCALL_GET_INFO]++;
		if (a->r12) {
			a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
			break;
		}
		a->r10 = TDVMCALL_STATUS_SUCCESS;
		a->r11 = a->r12 = a->r13 = a->r14 = 0;
		break;
	case TDVMCALL_MAP_GPA:
		vm_tdvmcall_map_gpa(vr, a);
		break;
	case TDVMCALL_REPORT_FATAL_ERROR:
		fatal(vr, a);
		break;
	case TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT:
		vr->res->vmcalls[VMCALL_EVENT_NOTIFY]++;
		if (a->r12 < 32 || a->r12 > 255) {
			a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		} else {
			vr->notify_vector = (uint8_t)a->r12;
			a->r10 = TDVMCALL_STATUS_SUCCESS;
		}
		break;
	case TDVMCALL_GET_QUOTE:
		vm_tdvmcall_get_quote(vr, a);
		break;
	default:
		vr->res->vmcalls[VMCALL_OTHER]++;
		a->r10 = TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED;
	}
}

/* Whether KVM hands this TDVMCALL to userspace: KVM_EXIT_IO (the ports
 * are the VMM's devices), KVM_EXIT_MMIO, KVM_EXIT_HYPERCALL for MapGPA,
 * KVM_EXIT_TDX for GetQuote and SetupEventNotifyInterrupt,
 * KVM_EXIT_SYSTEM_EVENT for ReportFatalError (linux §6.3). The kernel
 * serves GetTdVmCallInfo, CPUID, HLT and the MSRs, and refuses bad
 * operands itself before any exit. */
static bool served_in_userspace(uint64_t sub, uint64_t status)
{
	switch (sub) {
	case TDX_EXIT_IO:
	case TDX_EXIT_EPT_VIOLATION:
	case TDVMCALL_MAP_GPA:
	case TDVMCALL_GET_QUOTE:
	case TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT:
		return status == TDVMCALL_STATUS_SUCCESS ||
		       status == TDVMCALL_STATUS_RETRY;
	case TDVMCALL_REPORT_FATAL_ERROR:
		return true;
	default:
		return false;
	}
}

static void dispatch(struct vcpu_run *vr, struct tdx_module_args *a)
{
	if (a->r10) {   /* a KVM hypercall: none is offered */
		vr->res->vmcalls[VMCALL_OTHER]++;
		a->r10 = (uint64_t)KVM_HC_STATUS_NOSYS;
		return;
	}
	switch (a->r11) {
	case TDX_EXIT_IO:          io(vr, a); break;
	case TDX_EXIT_CPUID:       cpuid(vr, a); break;
	case TDX_EXIT_HLT:         hlt(vr, a); break;
	case TDX_EXIT_MSR_READ:    rdmsr(vr, a); break;
	case TDX_EXIT_MSR_WRITE:   wrmsr(vr, a); break;
	case TDX_EXIT_EPT_VIOLATION: mmio(vr, a); break;
	default:                   ghci(vr, a); break;
	}
}

void vm_handle_tdvmcall(struct vcpu_run *vr, struct tdx_module_args *a)
{
	uint64_t sub = a->r11;
	bool ghci = !a->r10;

	dispatch(vr, a);
	vr->to_user = ghci && served_in_userspace(sub, a->r10);
}
