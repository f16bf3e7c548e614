/* SPDX-License-Identifier: MIT */
/*
 * The guest's CPUID instruction (tdx-module tdx_1.5 td_cpuid.c
 * td_cpuid_exit): the module answers from the TD's values, which
 * TDH.MNG.INIT computed, or injects a #VE for a leaf it does not
 * virtualise, a faulting one, or one the guest chose to take as #VE
 * (TDG.VP.CPUIDVE.SET, CPUID_CONTROL). The VMM never sees a CPUID the
 * module answers.
 */
#include "module.h"
#include "td.h"
#include "td_run.h"
#include "platform/platform_internal.h"

#define CPUID_INSTR_LEN     2u              /* 0F A2 */
#define RESERVED_START      0x40000000u     /* CPUID_RESERVED_START */
#define RESERVED_END        0x4FFFFFFFu
#define FIRST_EXTENDED      0x80000000u
#define TSX_CPUID_CLEAR     (1ULL << 1)     /* IA32_TSX_CTRL */
#define CPUID_CTL_SUPERVISOR 0x1
#define CPUID_CTL_USER       0x2

/* A leaf above its range's maximum is answered as the last base leaf;
 * the hypervisor range is left alone (it faults). */
static uint32_t clamp_leaf(const struct tdx_module *m, uint32_t leaf)
{
	if ((leaf < RESERVED_START || leaf > RESERVED_END) &&
	    (leaf > m->cpu.last_ext || (leaf > m->cpu.last_base && leaf < FIRST_EXTENDED)))
		return m->cpu.last_base;
	return leaf;
}

static bool guest_wants_ve(const uint8_t *tdvpr, int index, unsigned cpl)
{
	const struct tdvps_mgmt *mg = tdvps_mgmt_of((uint8_t *)tdvpr);
	uint8_t ctl = tdvpr[TDVPS_CPUID_CONTROL_OFFSET + index];

	if (cpl == 0)
		return mg->cpuid_supervisor_ve || (ctl & CPUID_CTL_SUPERVISOR);
	return mg->cpuid_user_ve || (ctl & CPUID_CTL_USER);
}

/* CPUID 0xD EBX as the CPU computes it for the guest's XCR0 (and XSS):
 * the standard-format area for subleaf 0, the compacted one for 1. */
static uint32_t xsave_size(const struct tdx_module *m, uint64_t features, bool compacted)
{
	uint32_t size = 576;

	for (unsigned n = 2; n < CPUID_XFAM_BITS; n++) {
		if (!(features >> n & 1))
			continue;
		if (!compacted) {
			if (m->cpu.xsave_offset[n] + m->cpu.xsave_size[n] > size)
				size = m->cpu.xsave_offset[n] + m->cpu.xsave_size[n];
			continue;
		}
		if (m->cpu.xsave_align[n])
			size = (size + 63) & ~63u;
		size += m->cpu.xsave_size[n];
	}
	return size;
}

/* The fields that follow the vCPU: APIC ID, CR4-dependent bits (tdxsim
 * keeps no guest CR4: VP.INIT's, with OSXSAVE and PKE clear), TSX_CTRL,
 * the XSAVE size for the guest's XCR0, SYSCALL in 64-bit mode. */
static void dynamic_fields(struct tdx_vcpu *gv, const struct tdcs_cpuid *c,
			   uint32_t leaf, uint32_t subleaf, struct cpuid_regs *v)
{
	const struct tdvps_guest *g = tdvps_guest_of(gv->v->tdvpr);
	uint64_t tsx_ctrl = 0;

	switch (leaf) {
	case 0x1:
		v->r[CPUID_EBX] = (v->r[CPUID_EBX] & 0x00FFFFFF) | gv->v->mgmt->vcpu_index << 24;
		v->r[CPUID_ECX] &= ~(1u << 27);                  /* OSXSAVE */
		break;
	case 0x7:
		if (subleaf != 0)
			break;
		if (c->flags.tsx && platform_rdmsr(gv->m->plat, gv->lp, MSR_IA32_TSX_CTRL, &tsx_ctrl) &&
		    (tsx_ctrl & TSX_CPUID_CLEAR))
			v->r[CPUID_EBX] &= ~(1u << 4 | 1u << 11);
		v->r[CPUID_ECX] &= ~(1u << 4);                   /* OSPKE */
		break;
	case 0xD:
		if (subleaf <= 1)
			v->r[CPUID_EBX] = xsave_size(gv->m, g->xcr0, subleaf == 1);
		break;
	case 0x80000001:
		v->r[CPUID_EDX] |= 1u << 11;                     /* always 64-bit */
		break;
	default:
		break;
	}
}

void tdx_cpu_cpuid(struct tdx_vcpu *gv, uint64_t gpr[TDX_NR_GPRS], unsigned cpl)
{
	uint32_t leaf = (uint32_t)gpr[TDX_GPR_RAX], subleaf = (uint32_t)gpr[TDX_GPR_RCX];
	const struct tdcs_cpuid *c;
	struct cpuid_regs v;
	int index;

	td_interrupt_window(gv);
	leaf = clamp_leaf(gv->m, leaf);
	index = cpuid_lookup_index(leaf, subleaf);
	if (index == CPUID_NO_INDEX || cpuid_lookup[index].faulting ||
	    guest_wants_ve(gv->v->tdvpr, index, cpl)) {
		td_instruction_ve(gv, gpr, (uint32_t)TDX_EXIT_CPUID, CPUID_INSTR_LEN);
		gv->rip++;   /* the handler emulated it and stepped over */
		return;
	}
	c = tdcs_page(gv->m, gv->v->td.tdr, TDCS_PAGE_CPUID);
	v = c->values[index];
	dynamic_fields(gv, c, leaf, subleaf, &v);
	gpr[TDX_GPR_RAX] = v.r[CPUID_EAX];
	gpr[TDX_GPR_RBX] = v.r[CPUID_EBX];
	gpr[TDX_GPR_RCX] = v.r[CPUID_ECX];
	gpr[TDX_GPR_RDX] = v.r[CPUID_EDX];
	gv->rip++;
}

uint64_t *tdx_cpu_ve_gprs(struct tdx_vcpu *gv)
{
	return gv->ve_gpr;
}
