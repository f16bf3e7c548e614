/* SPDX-License-Identifier: MIT */
/*
 * Guest programs: C functions that run inside a TD's vCPU, on the vCPU's
 * own stack. Everything they do goes through what a TD guest has: TDCALL,
 * loads and stores through the TD's EPTs (a missing private page is an
 * EPT-violation exit, a pending one a #VE that the runtime's handler
 * accepts), CPUID, RDMSR and WRMSR (handled by the module, or a #VE the
 * handler turns into a TDVMCALL), and GHCI TDVMCALLs for port I/O, MMIO
 * and HLT.
 *
 * What a TD runs is named by its measured initial image (GPA 0): a page
 * holding the program's name and arguments, so MRTD covers both.
 */
#ifndef TDXSIM_GUEST_H
#define TDXSIM_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tdx_guest;

struct tdx_guest_program {
	const char *name;
	const char *usage;
	int (*main)(struct tdx_guest *g, int argc, char **argv);
};

/* The built-in programs; NULL when there is no such name. */
const struct tdx_guest_program *tdx_guest_program_find(const char *name);
const struct tdx_guest_program *tdx_guest_program_at(unsigned i);

/* Checks a program's arguments before a TD is built for it, as the
 * program itself would (count, and each number whole and in range; the
 * guest checks again, against the TD it runs in). memory_bytes is the
 * TD's memory (0: not known): a size of memory to use (touch's MIB, given
 * or its default) must fit it from TDX_GUEST_FREE_GPA. 0, or -EINVAL with
 * the reason in why. */
int tdx_guest_check_args(const char *program, int argc, char *const argv[],
			 uint64_t memory_bytes, char *why, size_t whylen);

/* The initial image naming a program and its arguments: one 4 KiB page,
 * -EINVAL (with nothing written) when they do not fit. */
#define TDX_GUEST_IMAGE_BYTES 4096u
int tdx_guest_image(const char *program, int argc, char *const argv[],
		    uint8_t out[TDX_GUEST_IMAGE_BYTES]);

/* Ports of the simulated platform's devices. */
#define TDX_GUEST_PORT_COM1     0x3F8u   /* console: OUT of bytes */
#define TDX_GUEST_PORT_EXIT     0xF4u    /* OUT of 4 bytes: the program's exit code */

/* ---- inside the guest ---- */

/* TDCALL: gpr[0] (RAX) = leaf in, status out; GPRs in operand-ID order. */
uint64_t tdx_tdcall(struct tdx_guest *g, uint64_t gpr[16]);
void tdx_read(struct tdx_guest *g, uint64_t gpa, void *buf, size_t len);
void tdx_write(struct tdx_guest *g, uint64_t gpa, const void *buf, size_t len);
unsigned tdx_vcpu_index(const struct tdx_guest *g);
unsigned tdx_nr_vcpus(const struct tdx_guest *g);
uint64_t tdx_attributes(const struct tdx_guest *g);
/* The GPA bit that marks shared memory (GPAW - 1). */
uint64_t tdx_shared_bit(const struct tdx_guest *g);

/* A GHCI TDVMCALL (R10 = 0): R11 = sub-function, R12..R15 in; returns
 * the status from R10 and the outputs in out[0..4] = R11..R15. */
uint64_t tdx_ghci(struct tdx_guest *g, uint64_t subfn, uint64_t r12, uint64_t r13,
		  uint64_t r14, uint64_t r15, uint64_t out[5]);
void tdx_out(struct tdx_guest *g, uint16_t port, unsigned size, uint32_t value);
uint32_t tdx_in(struct tdx_guest *g, uint16_t port, unsigned size);
void tdx_puts(struct tdx_guest *g, const char *s);
void tdx_printf(struct tdx_guest *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* HLT; with irqs_blocked the vCPU waits for nothing and the host stops it. */
void tdx_hlt(struct tdx_guest *g, bool irqs_blocked);
/* The CPUID instruction: the module answers the leaves it virtualises;
 * the others (and any the guest asked to see as #VE) reach the runtime's
 * #VE handler, which asks the VMM. 0, or the emulating TDVMCALL's status. */
uint64_t tdx_cpuid(struct tdx_guest *g, uint32_t leaf, uint32_t subleaf,
		   uint32_t regs[4]);
/* CPUIDs the #VE handler emulated so far on this vCPU. */
uint64_t tdx_cpuid_ve_count(const struct tdx_guest *g);
/* The privilege level the program's next instructions run at (0 at
 * start; above 0 they are user code, for CPUID's user #VE). */
void tdx_set_cpl(struct tdx_guest *g, unsigned cpl);
/* GHCI's CPUID TDVMCALL itself: always the VMM's answer. */
uint64_t tdx_ghci_cpuid(struct tdx_guest *g, uint32_t leaf, uint32_t subleaf,
			uint32_t regs[4]);
/* The RDMSR/WRMSR instructions: the module reaches the TD's own copy of
 * the MSR, emulates it, or raises a #VE that the runtime's handler turns
 * into the GHCI TDVMCALL. 0, the emulating TDVMCALL's status, or
 * TDX_GUEST_GP when the instruction raised #GP(0) (taken as a fault
 * fixup takes it: a read gives 0, a write changes nothing). */
uint64_t tdx_rdmsr(struct tdx_guest *g, uint32_t msr, uint64_t *value);
uint64_t tdx_wrmsr(struct tdx_guest *g, uint32_t msr, uint64_t value);
#define TDX_GUEST_GP ((uint64_t)-13)   /* #GP is vector 13 */
/* RDMSRs and WRMSRs the #VE handler emulated so far on this vCPU. */
uint64_t tdx_msr_ve_count(const struct tdx_guest *g);
/* GHCI's RDMSR/WRMSR TDVMCALLs themselves: always the VMM. */
uint64_t tdx_ghci_rdmsr(struct tdx_guest *g, uint32_t msr, uint64_t *value);
uint64_t tdx_ghci_wrmsr(struct tdx_guest *g, uint32_t msr, uint64_t value);
uint64_t tdx_mmio_read(struct tdx_guest *g, uint64_t gpa, unsigned size, uint64_t *value);
uint64_t tdx_mmio_write(struct tdx_guest *g, uint64_t gpa, unsigned size, uint64_t value);
/* MapGPA [gpa, gpa+size) to shared or private, retrying as asked; the
 * TDVMCALL status. Private ranges are then accepted before use. */
uint64_t tdx_map_gpa(struct tdx_guest *g, uint64_t gpa, uint64_t size, bool shared);
/* TDG.MEM.PAGE.ACCEPT of one page (level 0 = 4K, 1 = 2M). */
uint64_t tdx_accept(struct tdx_guest *g, uint64_t gpa, unsigned level);
/* Private scratch pages the runtime passes TDCALL memory operands in:
 * one page per vCPU from TDX_GUEST_SCRATCH_GPA, below TDX_GUEST_FREE_GPA,
 * where programs' own memory starts. */
#define TDX_GUEST_SCRATCH_GPA   0x10000ull
#define TDX_GUEST_FREE_GPA      0x100000ull
/* TDG.MR.RTMR.EXTEND of RTMR[index] with 48 bytes. */
uint64_t tdx_rtmr_extend(struct tdx_guest *g, unsigned index, const uint8_t data[48]);
/* TDG.MR.REPORT: the 1024-byte TDREPORT_STRUCT for 64 bytes of
 * REPORTDATA (tdxsim/tdreport.h has its layout). */
uint64_t tdx_get_report(struct tdx_guest *g, const uint8_t report_data[64],
			uint8_t report[1024]);
/* TDG.VM.RD / TDG.VM.WR of a TD-scope field of this TD (VM index 0). */
uint64_t tdx_vm_read(struct tdx_guest *g, uint64_t field, uint64_t *value);
uint64_t tdx_vm_write(struct tdx_guest *g, uint64_t field, uint64_t value,
		      uint64_t mask, uint64_t *old);
/* GetQuote with the buffer at a shared GPA (GHCI header first); returns
 * the TDVMCALL status, the quote's own status is in the header. */
uint64_t tdx_get_quote(struct tdx_guest *g, uint64_t shared_gpa, uint64_t size);
/* Argument i of a program as a number in [min, max] (C syntax: decimal,
 * 0x hex, 0 octal), dflt when absent. A malformed or out-of-range
 * argument is printed on the console with its bounds and gives -1; the
 * program should then return TDX_GUEST_EXIT_USAGE. */
#define TDX_GUEST_EXIT_USAGE 2
int tdx_arg_u64(struct tdx_guest *g, int argc, char **argv, int i,
		uint64_t dflt, uint64_t min, uint64_t max, uint64_t *out);
/* ReportFatalError: the TD stops; never returns. */
void tdx_report_fatal(struct tdx_guest *g, uint64_t code, const char *msg)
	__attribute__((noreturn));

#endif
