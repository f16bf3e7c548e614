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
		[VCPU_END_LIMIT] = "entry limit",
	};

	return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
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
