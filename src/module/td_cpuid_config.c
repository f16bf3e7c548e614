/* SPDX-License-Identifier: MIT */
/*
 * A TD's virtual CPUID (tdx-module tdx_1.5 tdh_mng_init.c
 * read_and_set_cpuid_configurations): for every lookup entry in order,
 * the platform's completed value, the host's TD_PARAMS.CPUID_CONFIG for
 * the configurable leaves (each bit set must be directly configurable or
 * allowed), then the rules that tie leaves to the TD's ATTRIBUTES, XFAM
 * and TSC frequency.
 */
#include "td_params.h"
#include "metadata_sys.h"

#define ERR_CPUID STATUS(TDX_OPERAND_INVALID, TDX_OPERAND_ID_CPUID_CONFIG)
#define ARCH_CAP_TSX_CTRL (1ULL << 7)   /* IA32_ARCH_CAPABILITIES.TSX_CTRL */

/* apply_cpuid_xfam_masks: bits governed by an XFAM bit that is 0 go. */
static void xfam_masks(struct cpuid_regs *v, uint64_t xfam,
		       const struct cpuid_regs masks[CPUID_XFAM_BITS])
{
	for (unsigned b = 0; b < CPUID_XFAM_BITS; b++)
		if (!(xfam >> b & 1))
			for (unsigned j = 0; j < 4; j++)
				v->r[j] &= ~masks[b].r[j];
}

static uint64_t configure(const struct cpuid_lookup *l, const struct td_params *p,
			  struct cpuid_regs *v, uint64_t *rcx_out)
{
	const struct cpuid_configurable *c = &cpuid_configurable[l->config];
	const struct td_cpuid_config_val *in = &p->cpuid_config_vals[l->config];
	uint32_t cfg[4] = { in->eax, in->ebx, in->ecx, in->edx };

	for (unsigned j = 0; j < 4; j++) {
		uint32_t direct = c->config_direct.r[j], allow = c->allow_direct.r[j];

		if (cfg[j] & ~(direct | allow)) {
			*rcx_out = cpuid_leaf_subleaf(l->leaf, l->subleaf);
			return ERR_CPUID;
		}
		v->r[j] &= ~l->fixed0_or_dynamic.r[j];
		v->r[j] |= l->fixed1.r[j];
		v->r[j] = (v->r[j] & ~direct) | (cfg[j] & direct);
		v->r[j] &= cfg[j] | ~allow;
	}
	return TDX_SUCCESS;
}

/* Leaf 1: EAX is the TD's FMS (0 = the platform's; another only for a
 * migratable TD, and then one the module knows). */
static uint64_t leaf_1(const struct tdx_module *m, const struct td_params *p,
		       struct cpuid_regs *v, struct tdcs_cpuid *out, uint64_t *rcx_out)
{
	uint32_t plat = m->cpuid_values[0].r[CPUID_EAX];
	uint32_t fms = v->r[CPUID_EAX] ? v->r[CPUID_EAX] : plat;
	uint32_t ecx;

	v->r[CPUID_EAX] = fms;
	if ((p->attributes & TDX_TD_ATTR_MIGRATABLE) ? !md_sys_fms_allowed(m, fms) : fms != plat) {
		*rcx_out = cpuid_leaf_subleaf(1, CPUID_SUBLEAF_NA);
		return ERR_CPUID;
	}
	if (!(p->xfam & TDX_XFAM_AVX))
		v->r[CPUID_ECX] &= ~cpuid_xfam_1[2].r[CPUID_ECX];
	ecx = v->r[CPUID_ECX];
	out->flags.monitor_mwait = ecx >> 3 & 1;
	out->flags.dca = ecx >> 18 & 1;
	out->flags.tsc_deadline = ecx >> 24 & 1;
	return TDX_SUCCESS;
}

/* Leaf 7.0: HLE and RTM together, and only with IA32_TSX_CTRL to
 * emulate; PKS follows ATTRIBUTES.PKS; Key Locker is never offered. */
static uint64_t leaf_7_0(const struct tdx_module *m, const struct td_params *p,
			 struct cpuid_regs *v, struct tdcs_cpuid *out)
{
	bool hle = v->r[CPUID_EBX] >> 4 & 1, rtm = v->r[CPUID_EBX] >> 11 & 1;
	uint64_t arch_cap = 0;

	xfam_masks(v, p->xfam, cpuid_xfam_7_0);
	hle = v->r[CPUID_EBX] >> 4 & 1;
	rtm = v->r[CPUID_EBX] >> 11 & 1;
	if (hle != rtm)
		return ERR_CPUID;            /* RCX stays 0 here */
	platform_rdmsr(m->plat, 0, MSR_IA32_ARCH_CAPABILITIES, &arch_cap);
	if (hle && !(arch_cap & ARCH_CAP_TSX_CTRL))
		return tdx_status_with_operand(TDX_INCORRECT_MSR_VALUE, MSR_IA32_ARCH_CAPABILITIES);
	out->flags.tsx = hle;
	v->r[CPUID_ECX] &= ~((1u << 31) | (1u << 23));
	if (p->attributes & TDX_TD_ATTR_PKS)
		v->r[CPUID_ECX] |= 1u << 31;
	out->flags.waitpkg = v->r[CPUID_ECX] >> 5 & 1;
	out->flags.tme = v->r[CPUID_ECX] >> 13 & 1;
	out->flags.la57 = v->r[CPUID_ECX] >> 16 & 1;
	out->flags.mktme = v->r[CPUID_EDX] >> 18 & 1;
	return TDX_SUCCESS;
}

/* calculate_xsave_area_max_size: the XSAVE area for XFAM's user
 * features in the standard format (CPUID 0xD.0 EBX with XCR0 = those). */
static uint32_t xsave_max(const struct tdx_module *m, uint64_t xfam)
{
	uint32_t size = 576;        /* legacy area and header */
	uint64_t user = xfam & m->cpu.xcr0_mask;

	for (unsigned n = 2; n < CPUID_XFAM_BITS; n++)
		if (user >> n & 1 && m->cpu.xsave_offset[n] + m->cpu.xsave_size[n] > size)
			size = m->cpu.xsave_offset[n] + m->cpu.xsave_size[n];
	return size;
}

static void leaf_d(const struct tdx_module *m, const struct td_params *p, uint32_t subleaf,
		   struct cpuid_regs *v, struct tdcs_cpuid *out)
{
	if (subleaf == 0) {
		xfam_masks(v, p->xfam, cpuid_xfam_d_0);
		v->r[CPUID_ECX] = xsave_max(m, p->xfam);
	} else if (subleaf == 1) {
		xfam_masks(v, p->xfam, cpuid_xfam_d_1);
		if (!(m->cpu.xfd_faulting_mask & p->xfam))
			v->r[CPUID_EAX] &= ~(1u << 4);
		out->flags.xfd = v->r[CPUID_EAX] >> 4 & 1;
	} else if (subleaf < CPUID_XFAM_BITS && !(p->xfam >> subleaf & 1)) {
		*v = (struct cpuid_regs){ { 0 } };
	}
}

/* The per-leaf rules after the configuration (tdh_mng_init.c's chain). */
static uint64_t special(const struct tdx_module *m, const struct td_params *p,
			const struct cpuid_lookup *l, struct cpuid_regs *v,
			struct tdcs_cpuid *out, uint64_t *rcx_out)
{
	bool zero = false;

	switch (l->leaf) {
	case 0x1:  return leaf_1(m, p, v, out, rcx_out);
	case 0x5:  zero = !out->flags.monitor_mwait; break;
	case 0x7:
		if (l->subleaf == 0)
			return leaf_7_0(m, p, v, out);
		if (l->subleaf == 1)
			xfam_masks(v, p->xfam, cpuid_xfam_7_1);
		else
			out->flags.ddpd = v->r[CPUID_EDX] >> 3 & 1;
		break;
	case 0xA:  zero = !(p->attributes & TDX_TD_ATTR_PERFMON); break;
	case 0xD:  leaf_d(m, p, l->subleaf, v, out); break;
	case 0x14: zero = !(p->xfam & TDX_XFAM_PT); break;
	case 0x15: v->r[CPUID_EBX] = p->tsc_frequency; break;
	case 0x19: zero = true; break;
	case 0x1C: zero = !(p->xfam & TDX_XFAM_LBR); break;
	case 0x1D: zero = (p->xfam & TDX_XFAM_AMX_MASK) != TDX_XFAM_AMX_MASK; break;
	case 0x80000008:
		v->r[CPUID_EAX] = (v->r[CPUID_EAX] & ~0xFF00u) | (out->flags.la57 ? 57u : 48u) << 8;
		break;
	default:
		break;
	}
	if (zero)
		*v = (struct cpuid_regs){ { 0 } };
	return TDX_SUCCESS;
}

uint64_t td_cpuid_configure(const struct tdx_module *m, const struct td_params *p,
			    struct tdcs_cpuid *out, uint64_t *rcx_out)
{
	uint64_t st;

	*out = (struct tdcs_cpuid){ 0 };
	for (unsigned i = 0; i < CPUID_NUM_LOOKUP; i++) {
		const struct cpuid_lookup *l = &cpuid_lookup[i];
		struct cpuid_regs v = m->cpuid_values[i];

		if (l->config != CPUID_NO_INDEX && (st = configure(l, p, &v, rcx_out)))
			return st;
		if ((st = special(m, p, l, &v, out, rcx_out)))
			return st;
		out->values[i] = v;
		out->valid[i] = !l->faulting;
	}
	return TDX_SUCCESS;
}
