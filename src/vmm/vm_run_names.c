/* SPDX-License-Identifier: MIT */
/* Names for what vm_run() reports. */
#include "vmm.h"

const char *vm_vcpu_end_name(enum vm_vcpu_end e)
{
	static const char *const names[] = {
		[VCPU_END_NONE] = "not run", [VCPU_END_EXITED] = "exited",
		[VCPU_END_HALTED] = "halted", [VCPU_END_GUEST_FATAL] = "guest fatal error",
		[VCPU_END_SHUTDOWN] = "shutdown (triple fault)",
		[VCPU_END_TD_FATAL] = "TD fatal", [VCPU_END_ERROR] = "host error",
	};

	return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}

const char *vm_exit_reason_name(unsigned reason)
{
	switch (reason) {
	case 0:  return "EXCEPTION_NMI";
	case 1:  return "EXTERNAL_INTERRUPT";
	case 2:  return "TRIPLE_FAULT";
	case 10: return "CPUID";
	case 12: return "HLT";
	case 18: return "VMCALL";
	case 30: return "IO";
	case 31: return "MSR_READ";
	case 32: return "MSR_WRITE";
	case 48: return "EPT_VIOLATION";
	case 49: return "EPT_MISCONFIG";
	case 77: return "TDCALL";
	default: return "OTHER";
	}
}

const char *vm_vmcall_kind_name(enum vm_vmcall_kind k)
{
	static const char *const names[VMCALL_NR] = {
		[VMCALL_IO] = "IO", [VMCALL_HLT] = "HLT", [VMCALL_CPUID] = "CPUID",
		[VMCALL_RDMSR] = "RDMSR", [VMCALL_WRMSR] = "WRMSR", [VMCALL_MMIO] = "MMIO",
		[VMCALL_GET_INFO] = "GetTdVmCallInfo", [VMCALL_MAP_GPA] = "MapGPA",
		[VMCALL_GET_QUOTE] = "GetQuote", [VMCALL_FATAL] = "ReportFatalError",
		[VMCALL_EVENT_NOTIFY] = "SetupEventNotifyInterrupt", [VMCALL_OTHER] = "other",
	};

	return (unsigned)k < VMCALL_NR ? names[k] : "?";
}
