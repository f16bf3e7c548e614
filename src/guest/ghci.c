/* SPDX-License-Identifier: MIT */
/*
 * GHCI TDVMCALLs (linux §6.3): R10 = 0 selects the standard ABI, R11 the
 * sub-function (a GHCI leaf or a VMX exit reason for the instruction
 * leaves), R12–R15 the arguments; R10 returns the status, R11 the value.
 */
#include <string.h>

#include "guest_internal.h"

#define GHCI_SELECT 0xFC00ULL   /* R10..R15 */

uint64_t guest_vmcall(struct tdx_guest *g, uint64_t select, uint64_t gpr[16])
{
	gpr[TDX_GPR_RAX] = TDG_VP_VMCALL;
	gpr[TDX_GPR_RCX] = select;
	if (tdx_tdcall(g, gpr) != TDX_SUCCESS)
		tdx_cpu_triple_fault(g->cpu);   /* a malformed TDVMCALL is a guest bug */
	return gpr[TDX_GPR_R10];
}

uint64_t tdx_ghci(struct tdx_guest *g, uint64_t subfn, uint64_t r12, uint64_t r13,
		  uint64_t r14, uint64_t r15, uint64_t out[5])
{
	uint64_t gpr[16] = { [TDX_GPR_R10] = 0, [TDX_GPR_R11] = subfn, [TDX_GPR_R12] = r12, [TDX_GPR_R13] = r13,
			     [TDX_GPR_R14] = r14, [TDX_GPR_R15] = r15 };
	uint64_t status = guest_vmcall(g, GHCI_SELECT, gpr);

	if (out)
		for (unsigned i = 0; i < 5; i++)
			out[i] = gpr[TDX_GPR_R11 + i];
	return status;
}

void tdx_out(struct tdx_guest *g, uint16_t port, unsigned size, uint32_t value)
{
	tdx_ghci(g, TDX_EXIT_IO, size, 1, port, value, NULL);
}

uint32_t tdx_in(struct tdx_guest *g, uint16_t port, unsigned size)
{
	uint64_t out[5];

	if (tdx_ghci(g, TDX_EXIT_IO, size, 0, port, 0, out) != TDVMCALL_STATUS_SUCCESS)
		return ~0u;   /* no device: the bus floats high */
	return (uint32_t)out[0];
}

void tdx_hlt(struct tdx_guest *g, bool irqs_blocked)
{
	tdx_ghci(g, TDX_EXIT_HLT, irqs_blocked, 0, 0, 0, NULL);
}

uint64_t tdx_cpuid(struct tdx_guest *g, uint32_t leaf, uint32_t subleaf,
		   uint32_t regs[4])
{
	uint64_t gpr[TDX_NR_GPRS] = { [TDX_GPR_RAX] = leaf, [TDX_GPR_RCX] = subleaf };

	g->insn_status = TDVMCALL_STATUS_SUCCESS;
	tdx_cpu_cpuid(g->cpu, gpr, g->cpl);
	regs[0] = (uint32_t)gpr[TDX_GPR_RAX];
	regs[1] = (uint32_t)gpr[TDX_GPR_RBX];
	regs[2] = (uint32_t)gpr[TDX_GPR_RCX];
	regs[3] = (uint32_t)gpr[TDX_GPR_RDX];
	return g->insn_status;
}

void tdx_set_cpl(struct tdx_guest *g, unsigned cpl)
{
	g->cpl = cpl;
}

uint64_t tdx_cpuid_ve_count(const struct tdx_guest *g)
{
	return g->cpuid_ves;
}

uint64_t tdx_ghci_cpuid(struct tdx_guest *g, uint32_t leaf, uint32_t subleaf,
			uint32_t regs[4])
{
	uint64_t out[5];
	uint64_t st = tdx_ghci(g, TDX_EXIT_CPUID, leaf, subleaf, 0, 0, out);

	for (unsigned i = 0; i < 4; i++)
		regs[i] = st == TDVMCALL_STATUS_SUCCESS ? (uint32_t)out[1 + i] : 0;
	return st;
}

/* RDMSR: the module passes it through, emulates it, or raises a #VE the
 * runtime's handler turns into the TDVMCALL; a #GP is taken as
 * rdmsr_safe's fixup takes it. */
uint64_t tdx_rdmsr(struct tdx_guest *g, uint32_t msr, uint64_t *value)
{
	uint64_t gpr[TDX_NR_GPRS] = { [TDX_GPR_RCX] = msr };

	g->insn_status = TDVMCALL_STATUS_SUCCESS;
	if (!tdx_cpu_rdmsr(g->cpu, gpr, g->cpl)) {
		*value = 0;
		return TDX_GUEST_GP;
	}
	*value = gpr[TDX_GPR_RDX] << 32 | (uint32_t)gpr[TDX_GPR_RAX];
	return g->insn_status;
}

uint64_t tdx_wrmsr(struct tdx_guest *g, uint32_t msr, uint64_t value)
{
	uint64_t gpr[TDX_NR_GPRS] = {
		[TDX_GPR_RCX] = msr, [TDX_GPR_RAX] = (uint32_t)value, [TDX_GPR_RDX] = value >> 32,
	};

	g->insn_status = TDVMCALL_STATUS_SUCCESS;
	if (!tdx_cpu_wrmsr(g->cpu, gpr, g->cpl))
		return TDX_GUEST_GP;
	return g->insn_status;
}

uint64_t tdx_msr_ve_count(const struct tdx_guest *g)
{
	return g->msr_ves;
}

uint64_t tdx_ghci_rdmsr(struct tdx_guest *g, uint32_t msr, uint64_t *value)
{
	uint64_t out[5];
	uint64_t st = tdx_ghci(g, TDX_EXIT_MSR_READ, msr, 0, 0, 0, out);

	*value = st == TDVMCALL_STATUS_SUCCESS ? out[0] : 0;
	return st;
}

uint64_t tdx_ghci_wrmsr(struct tdx_guest *g, uint32_t msr, uint64_t value)
{
	return tdx_ghci(g, TDX_EXIT_MSR_WRITE, msr, value, 0, 0, NULL);
}

uint64_t tdx_mmio_read(struct tdx_guest *g, uint64_t gpa, unsigned size, uint64_t *value)
{
	uint64_t out[5];
	uint64_t st = tdx_ghci(g, TDX_EXIT_EPT_VIOLATION, size, 0, gpa, 0, out);

	*value = st == TDVMCALL_STATUS_SUCCESS ? out[0] : 0;
	return st;
}

uint64_t tdx_mmio_write(struct tdx_guest *g, uint64_t gpa, unsigned size, uint64_t value)
{
	return tdx_ghci(g, TDX_EXIT_EPT_VIOLATION, size, 1, gpa, value, NULL);
}

/* MapGPA: the host converts at most a chunk per call and answers RETRY
 * with the next GPA in R11 (linux §6.3). */
uint64_t tdx_map_gpa(struct tdx_guest *g, uint64_t gpa, uint64_t size, bool shared)
{
	uint64_t bit = shared ? tdx_shared_bit(g) : 0;
	uint64_t end = gpa + size, out[5], st;

	for (;;) {
		st = tdx_ghci(g, TDVMCALL_MAP_GPA, gpa | bit, end - gpa, 0, 0, out);
		if (st != TDVMCALL_STATUS_RETRY)
			return st;
		gpa = out[0] & ~tdx_shared_bit(g);
		if (gpa >= end)
			return TDVMCALL_STATUS_INVALID_OPERAND;   /* no progress */
	}
}

/* ReportFatalError (linux §6.3): R12 = error code, R13 = 0 (no GPA), and
 * up to 64 message bytes in R14, R15, RBX, RDI, RSI, R8, R9, RDX, as
 * Linux's tdx_panic() packs them. */
void tdx_report_fatal(struct tdx_guest *g, uint64_t code, const char *msg)
{
	static const unsigned regs[8] = { TDX_GPR_R14, TDX_GPR_R15, TDX_GPR_RBX, TDX_GPR_RDI, TDX_GPR_RSI, TDX_GPR_R8, TDX_GPR_R9, TDX_GPR_RDX };
	uint64_t gpr[16] = { [TDX_GPR_R11] = TDVMCALL_REPORT_FATAL_ERROR, [TDX_GPR_R12] = code };
	uint64_t select = GHCI_SELECT;
	size_t n = msg ? strlen(msg) : 0;

	for (unsigned i = 0; i < 8; i++) {
		char part[8] = { 0 };

		if (n > i * 8)
			memcpy(part, msg + i * 8, n - i * 8 < 8 ? n - i * 8 : 8);
		memcpy(&gpr[regs[i]], part, 8);
		select |= 1ULL << regs[i];
	}
	for (;;)
		guest_vmcall(g, select, gpr);   /* the host never resumes us */
}
