/* SPDX-License-Identifier: MIT */
/*
 * The TD's firmware: the first code each vCPU runs. It installs the #VE
 * handler (lazy accept of pending private pages), learns its vCPU with
 * TDG.VP.INFO, reads the measured image at GPA 0 to find its program and
 * arguments, runs it, and reports the exit code on the exit port. An
 * image that names nothing runnable is garbage to execute: triple fault.
 */
#include <string.h>

#include "guest_internal.h"

/* CPUID the module does not answer: ask the VMM, as Linux's
 * handle_cpuid() does; a refused leaf reads as zeros. */
static void emulate_cpuid(struct tdx_guest *g)
{
	uint64_t *gpr = tdx_cpu_ve_gprs(g->cpu);
	uint32_t regs[4];

	if (!gpr)
		tdx_report_fatal(g, 3, "CPUID #VE without its registers");
	g->insn_status = tdx_ghci_cpuid(g, (uint32_t)gpr[TDX_GPR_RAX],
					(uint32_t)gpr[TDX_GPR_RCX], regs);
	gpr[TDX_GPR_RAX] = regs[0];
	gpr[TDX_GPR_RBX] = regs[1];
	gpr[TDX_GPR_RCX] = regs[2];
	gpr[TDX_GPR_RDX] = regs[3];
	g->cpuid_ves++;
}

/* RDMSR/WRMSR the module leaves to the VMM: the TDVMCALL, as Linux's
 * read_msr()/write_msr() do. Linux turns a refused one into a #GP; here
 * the instruction's caller gets the TDVMCALL's status instead. */
static void emulate_msr(struct tdx_guest *g, bool write)
{
	uint64_t *gpr = tdx_cpu_ve_gprs(g->cpu), v = 0;
	uint32_t msr;

	if (!gpr)
		tdx_report_fatal(g, 3, "MSR #VE without its registers");
	msr = (uint32_t)gpr[TDX_GPR_RCX];
	if (write) {
		v = gpr[TDX_GPR_RDX] << 32 | (uint32_t)gpr[TDX_GPR_RAX];
		g->insn_status = tdx_ghci_wrmsr(g, msr, v);
	} else {
		g->insn_status = tdx_ghci_rdmsr(g, msr, &v);
		gpr[TDX_GPR_RAX] = v & 0xFFFFFFFFu;
		gpr[TDX_GPR_RDX] = v >> 32;
	}
	g->msr_ves++;
}

/* #VE: an EPT violation on a pending page is accepted, a CPUID, RDMSR or
 * WRMSR emulated; anything else is unexpected, so the guest reports it
 * and dies. */
static void ve_handler(void *arg)
{
	struct tdx_guest *g = arg;
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VP_VEINFO_GET };

	if (tdx_tdcall(g, gpr) != TDX_SUCCESS)
		tdx_report_fatal(g, 1, "#VE without VE info");
	if (gpr[TDX_GPR_RCX] == TDX_EXIT_CPUID) {
		emulate_cpuid(g);
		return;
	}
	if (gpr[TDX_GPR_RCX] == TDX_EXIT_MSR_READ || gpr[TDX_GPR_RCX] == TDX_EXIT_MSR_WRITE) {
		emulate_msr(g, gpr[TDX_GPR_RCX] == TDX_EXIT_MSR_WRITE);
		return;
	}
	if (gpr[TDX_GPR_RCX] != TDX_EXIT_EPT_VIOLATION)
		tdx_report_fatal(g, 2, "unexpected #VE");
	if ((tdx_accept(g, gpr[TDX_GPR_R9] & ~0xFFFULL, 0) & ~0xFFULL) == TDX_PAGE_ALREADY_ACCEPTED)
		return;   /* another vCPU accepted it first */
	g->pending_accepts++;
}

static void learn_vcpu(struct tdx_guest *g)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VP_INFO };

	if (tdx_tdcall(g, gpr) != TDX_SUCCESS)
		tdx_cpu_triple_fault(g->cpu);
	g->gpaw = (unsigned)gpr[TDX_GPR_RCX];
	g->attributes = gpr[TDX_GPR_RDX];
	g->nr_vcpus = (unsigned)gpr[TDX_GPR_R8];
	g->vcpu_index = (unsigned)gpr[TDX_GPR_R9];
}

void guest_exit(struct tdx_guest *g, int code)
{
	for (;;) {
		tdx_out(g, TDX_GUEST_PORT_EXIT, 4, (uint32_t)code);
		tdx_hlt(g, true);
	}
}

static int split_args(struct guest_image *img, char **argv)
{
	char *p = img->args, *end = img->args + sizeof(img->args);
	unsigned n = 0;

	img->args[sizeof(img->args) - 1] = 0;
	while (n < img->argc && n < GUEST_MAX_ARGS && p < end) {
		argv[n++] = p;
		p += strlen(p) + 1;
	}
	argv[n] = NULL;
	return (int)n;
}

void tdx_guest_firmware(struct tdx_vcpu *cpu)
{
	struct tdx_guest g = { .cpu = cpu };
	const struct tdx_guest_program *prog;
	struct guest_image img;
	char *argv[GUEST_MAX_ARGS + 2];
	int argc;

	tdx_cpu_set_ve_handler(cpu, ve_handler, &g);
	learn_vcpu(&g);
	tdx_read(&g, 0, &img, sizeof(img));
	if (memcmp(img.magic, GUEST_IMAGE_MAGIC, sizeof(img.magic)) || img.version != 1)
		tdx_cpu_triple_fault(cpu);
	img.program[sizeof(img.program) - 1] = 0;
	prog = tdx_guest_program_find(img.program);
	if (!prog)
		prog = tdx_cpu_find_program(cpu, img.program);
	if (!prog) {
		tdx_printf(&g, "firmware: no program \"%s\"\n", img.program);
		guest_exit(&g, 127);
	}
	argv[0] = img.program;
	argc = split_args(&img, argv + 1) + 1;
	guest_exit(&g, prog->main(&g, argc, argv));
}
