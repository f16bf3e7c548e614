/* SPDX-License-Identifier: MIT */
/*
 * The SEAMCALL door: the host's only way into the TDX module.
 *
 * The register struct has the Linux kernel's member order
 * (arch/x86/include/asm/tdx.h, struct tdx_module_args), so kernel-style
 * host code ports with little change. seamcall() runs on the calling
 * thread's current LP and behaves like the instruction followed by Linux's
 * assembly stub:
 *   - LP not in VMX operation (or thread not on any LP): #UD, returned as
 *     TDX_SEAMCALL_UD (TDX_SW_ERROR | 6);
 *   - TDX not enabled by the BIOS (no TDX KeyIDs): #GP, TDX_SEAMCALL_GP;
 *   - no module loaded: VMfailInvalid, TDX_SEAMCALL_VMFAILINVALID;
 *   - otherwise the module's completion status.
 * Every register is written back, so a register the leaf does not write
 * comes back as it went in.
 */
#ifndef TDXSIM_SEAMCALL_H
#define TDXSIM_SEAMCALL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tdx_module_args {
	uint64_t rcx;
	uint64_t rdx;
	uint64_t r8;
	uint64_t r9;
	uint64_t r10;
	uint64_t r11;
	uint64_t r12;
	uint64_t r13;
	uint64_t r14;
	uint64_t r15;
	uint64_t rbx;
	uint64_t rdi;
	uint64_t rsi;
};

uint64_t seamcall(uint64_t rax, struct tdx_module_args *args);

#ifdef __cplusplus
}
#endif
#endif
