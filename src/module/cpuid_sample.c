/* SPDX-License-Identifier: MIT */
/*
 * The native CPUID as the module takes it (tdx-module tdx_1.5
 * tdh_sys_init.c check_cpuid_configurations, tdh_sys_lp_init.c
 * compare_cpuid_configuration, helpers.c complete_cpuid_handling):
 * TDH.SYS.INIT samples every lookup leaf on its LP and checks it against
 * the verify table, LP.INIT holds each LP to the verify-same bits of
 * those samples, and SYS.CONFIG turns the samples into the base of every
 * TD's virtual CPUID.
 */
#include "module.h"
#include "platform/platform_internal.h"

#define LEAF_TOPOLOGY      0x1Fu
#define MIN_LAST_BASE      0x1Fu        /* CPUID_MIN_LAST_CPU_BASE_LEAF */
#define LAST_BASE_VIRT     0x23u        /* CPUID_LAST_BASE_LEAF */
#define FIRST_EXTENDED     0x80000000u
#define LAST_EXTENDED      0x80000008u  /* CPUID_LAST_EXTENDED_LEAF */
#define MAX_FIXED_CTR      7u           /* msr_defs.h */
#define NATIVE_TSC_MIN     0x2540cULL   /* NATIVE_TSC_FREQUENCY_MIN */
#define LEVEL_SMT 1u
#define LEVEL_CORE 2u
#define LEVEL_MAX 6u                    /* LEVEL_TYPE_MAX */

/* x86_defs.h: the masks and expected values the perfmon and MAXPA
 * checks report in RDX/R8 and R9/R10. */
#define PERFMON_EAX_MASK_LO   0xFULL
#define PERFMON_EAX_WANT_LO   0x5ULL
#define PERFMON_EDX_MASK_HI   (0x1FULL << 32)
#define PERFMON_EDX_WANT_HI   ((uint64_t)MAX_FIXED_CTR << 32)
#define MAXPA_EAX_MASK_LO     0xFF00ULL
#define MAXPA_EAX_WANT_LO_57  0x3900ULL
#define MAXPA_EAX_WANT_LO_48  0x3000ULL

struct topo_scan {
	uint32_t prev_level, shift, l3_sharing;
	bool core_seen;
};

static bool in_range(uint32_t leaf, uint32_t last_base, uint32_t last_ext)
{
	return leaf <= last_base || (leaf >= FIRST_EXTENDED && leaf <= last_ext);
}

static uint64_t report(uint64_t *gpr, uint32_t leaf, uint32_t subleaf,
		       uint64_t mask_lo, uint64_t mask_hi, uint64_t want_lo,
		       uint64_t want_hi)
{
	gpr[RCX] = cpuid_leaf_subleaf(leaf, subleaf);
	gpr[RDX] = mask_lo;
	gpr[R8] = mask_hi;
	gpr[R9] = want_lo;
	gpr[R10] = want_hi;
	return TDX_INCORRECT_CPUID_VALUE;
}

/* platform_fms: package 0's FMS with the lowest stepping of all. */
static uint32_t lowest_stepping_fms(const struct tdx_module *m)
{
	uint32_t fms = m->pkg_fms[0];

	for (unsigned i = 1; i < m->num_of_pkgs && i < TDX_MAX_PKGS; i++)
		if ((m->pkg_fms[i] & 0xF) < (fms & 0xF))
			fms = (fms & ~0xFu) | (m->pkg_fms[i] & 0xF);
	return fms;
}

static uint64_t sample_perfmon(struct tdx_module *m, const struct cpuid_regs *v,
			       uint64_t *gpr)
{
	uint32_t fixed = v->r[CPUID_EDX] & 0x1F;

	if ((v->r[CPUID_EAX] & 0xFF) < 5)
		return report(gpr, 0xA, CPUID_SUBLEAF_NA, PERFMON_EAX_MASK_LO, 0,
			      PERFMON_EAX_WANT_LO, 0);
	if (fixed > MAX_FIXED_CTR)
		return report(gpr, 0xA, CPUID_SUBLEAF_NA, 0, PERFMON_EDX_MASK_HI, 0,
			      PERFMON_EDX_WANT_HI);
	m->cpu.fc_bitmap = ((1u << fixed) - 1) | v->r[CPUID_ECX];
	return TDX_SUCCESS;
}

static void sample_xsave(struct tdx_module *m, uint32_t subleaf,
			 const struct cpuid_regs *v)
{
	if (subleaf == 0) {
		m->cpu.xcr0_mask = v->r[CPUID_EAX];
	} else if (subleaf == 1) {
		m->cpu.xfd = v->r[CPUID_EAX] >> 4 & 1;
		m->cpu.xss_mask = v->r[CPUID_ECX];
	} else if (subleaf < CPUID_XFAM_BITS) {
		m->cpu.xsave_size[subleaf] = v->r[CPUID_EAX];
		m->cpu.xsave_offset[subleaf] = v->r[CPUID_EBX];
		m->cpu.xsave_align[subleaf] = v->r[CPUID_ECX] >> 1 & 1;
		if (m->cpu.xfd && (v->r[CPUID_ECX] >> 2 & 1))
			m->cpu.xfd_faulting_mask |= 1u << subleaf;
	}
}

/* The end of leaf 0x1F's levels fixes the package shift; the L3 must
 * be shared by exactly the package (TDX_INVALID_WBINVD_SCOPE). */
static uint64_t end_topology(struct tdx_module *m, uint32_t subleaf,
			     struct topo_scan *t)
{
	if (subleaf == 0 || !t->core_seen)
		return tdx_status_with_operand(TDX_CPUID_LEAF_NOT_SUPPORTED, 0);
	if (t->prev_level == 0)
		return TDX_SUCCESS;
	m->cpu.pkg_shift = t->shift;
	m->cpu.core_mask = (uint32_t)((1ULL << (t->shift - m->cpu.core_shift)) - 1);
	if (t->shift == 0 || (t->l3_sharing >> (t->shift - 1)) != 1)
		return TDX_INVALID_WBINVD_SCOPE;
	return TDX_SUCCESS;
}

static uint64_t sample_topology(struct tdx_module *m, uint32_t subleaf,
				const struct cpuid_regs *v, struct topo_scan *t)
{
	uint32_t level = v->r[CPUID_ECX] >> 8 & 0xFF;
	uint64_t st = TDX_SUCCESS;

	if (level == 0) {
		st = end_topology(m, subleaf, t);
	} else {
		if (level <= t->prev_level || level >= LEVEL_MAX)
			return TDX_CPUID_LEAF_1F_FORMAT_UNRECOGNIZED;
		t->shift = v->r[CPUID_EAX] & 0x1F;
		if (level == LEVEL_SMT)
			m->cpu.core_shift = t->shift;
		else if (level == LEVEL_CORE)
			t->core_seen = true;
	}
	t->prev_level = level;
	return st;
}

static uint64_t sample_maxpa(struct tdx_module *m, const struct cpuid_regs *v,
			     uint64_t *gpr)
{
	uint32_t la = v->r[CPUID_EAX] >> 8 & 0xFF;

	m->cpu.max_pa = v->r[CPUID_EAX] & 0xFF;
	if (la != (m->cpu.la57 ? 57u : 48u))
		return report(gpr, LAST_EXTENDED, CPUID_SUBLEAF_NA, MAXPA_EAX_MASK_LO, 0,
			      m->cpu.la57 ? MAXPA_EAX_WANT_LO_57 : MAXPA_EAX_WANT_LO_48, 0);
	return TDX_SUCCESS;
}

/* The "special handling of selected CPUIDs" after each verify. */
static uint64_t sample_special(struct tdx_module *m, const struct cpuid_lookup *l,
			       struct cpuid_regs *v, struct topo_scan *t, uint64_t *gpr)
{
	switch (l->leaf) {
	case 0x1:
		v->r[CPUID_EAX] = lowest_stepping_fms(m);
		return TDX_SUCCESS;
	case 0x4:
		if (l->subleaf == 3)
			t->l3_sharing = v->r[CPUID_EAX] >> 14 & 0xFFF;
		return TDX_SUCCESS;
	case 0x7:
		if (l->subleaf == 0) {
			m->cpu.hle = v->r[CPUID_EBX] >> 4 & 1;
			m->cpu.rtm = v->r[CPUID_EBX] >> 11 & 1;
			m->cpu.waitpkg = v->r[CPUID_ECX] >> 5 & 1;
			m->cpu.la57 = v->r[CPUID_ECX] >> 16 & 1;
		}
		return TDX_SUCCESS;
	case 0xA:
		return sample_perfmon(m, v, gpr);
	case 0xD:
		sample_xsave(m, l->subleaf, v);
		return TDX_SUCCESS;
	case 0x15:
		if (v->r[CPUID_EBX] == 0)
			return tdx_status_with_operand(TDX_CPUID_LEAF_NOT_SUPPORTED, 0x15);
		m->cpu.native_tsc_hz = (uint64_t)v->r[CPUID_ECX] * v->r[CPUID_EBX] /
				       (v->r[CPUID_EAX] ? v->r[CPUID_EAX] : 1);
		/* The module stops with a fatal error below its minimum;
		 * tdxsim refuses the platform instead. */
		return m->cpu.native_tsc_hz < NATIVE_TSC_MIN ?
			tdx_status_with_operand(TDX_CPUID_LEAF_NOT_SUPPORTED, 0x15) : TDX_SUCCESS;
	case LEAF_TOPOLOGY:
		return sample_topology(m, l->subleaf, v, t);
	case LAST_EXTENDED:
		return sample_maxpa(m, v, gpr);
	default:
		return TDX_SUCCESS;
	}
}

/* A leaf without subleaves ignores ECX on hardware; the platform's
 * per-LP overrides are keyed by subleaf 0 for those. */
static void cpuid_of(const struct tdx_module *m, unsigned lp,
		     const struct cpuid_lookup *l, struct cpuid_regs *v)
{
	platform_cpuid(m->plat, lp, l->leaf,
		       l->subleaf == CPUID_SUBLEAF_NA ? 0 : l->subleaf, v->r);
}

static bool verified(const struct cpuid_lookup *l, const struct cpuid_regs *v)
{
	for (unsigned j = 0; j < 4; j++)
		if ((v->r[j] & l->verify_mask.r[j]) != l->verify_value.r[j])
			return false;
	return true;
}

static void native(const struct tdx_module *m, unsigned lp, const struct cpuid_lookup *l,
		   uint32_t last_base, uint32_t last_ext, struct cpuid_regs *v)
{
	*v = (struct cpuid_regs){ { 0 } };
	/* A leaf past the CPU's maxima samples as all zeros. */
	if (in_range(l->leaf, last_base, last_ext))
		cpuid_of(m, lp, l, v);
}

uint64_t cpuid_sample(struct tdx_module *m, unsigned lp, uint64_t *gpr)
{
	struct topo_scan t = { 0 };
	uint32_t r[4], last_base, last_ext;

	m->cpu = (struct cpu_caps){ 0 };
	if (lp_boot_nt4(m, lp))
		return TDX_LIMIT_CPUID_MAXVAL_SET;
	platform_cpuid(m->plat, lp, 0, 0, r);
	last_base = r[0];
	if (last_base < MIN_LAST_BASE)
		return tdx_status_with_operand(TDX_CPUID_LEAF_NOT_SUPPORTED, MIN_LAST_BASE);
	platform_cpuid(m->plat, lp, FIRST_EXTENDED, 0, r);
	last_ext = r[0];
	if (last_ext < LAST_EXTENDED)
		return tdx_status_with_operand(TDX_CPUID_LEAF_NOT_SUPPORTED, LAST_EXTENDED);
	m->cpu.last_base = LAST_BASE_VIRT;
	m->cpu.last_ext = last_ext;
	for (unsigned i = 0; i < CPUID_NUM_LOOKUP; i++) {
		const struct cpuid_lookup *l = &cpuid_lookup[i];
		struct cpuid_regs v;
		uint64_t st;

		native(m, lp, l, last_base, last_ext, &v);
		if (!verified(l, &v))
			return report(gpr, l->leaf, l->subleaf, cpuid_lo(&l->verify_mask),
				      cpuid_hi(&l->verify_mask), cpuid_lo(&l->verify_value),
				      cpuid_hi(&l->verify_value));
		if ((st = sample_special(m, l, &v, &t, gpr)) != TDX_SUCCESS)
			return st;
		m->cpuid_native[i] = m->cpuid_values[i] = v;
	}
	return TDX_SUCCESS;
}

static bool same(const struct cpuid_lookup *l, const struct cpuid_regs *a,
		 const struct cpuid_regs *b)
{
	for (unsigned j = 0; j < 4; j++)
		if ((a->r[j] ^ b->r[j]) & l->verify_same.r[j])
			return false;
	return true;
}

uint64_t cpuid_compare(struct tdx_module *m, unsigned lp, uint64_t *gpr,
		       unsigned *pkg)
{
	uint32_t r[4], last_base, last_ext;

	if (lp_boot_nt4(m, lp))
		return TDX_LIMIT_CPUID_MAXVAL_SET;
	platform_cpuid(m->plat, lp, 0, 0, r);
	last_base = r[0];
	platform_cpuid(m->plat, lp, FIRST_EXTENDED, 0, r);
	last_ext = r[0];
	for (unsigned i = 0; i < CPUID_NUM_LOOKUP; i++) {
		const struct cpuid_lookup *l = &cpuid_lookup[i];
		struct cpuid_regs v;

		if (!in_range(l->leaf, last_base, last_ext))
			continue;
		cpuid_of(m, lp, l, &v);
		if (!same(l, &v, &m->cpuid_native[i])) {
			gpr[RCX] = cpuid_leaf_subleaf(l->leaf, l->subleaf);
			gpr[RDX] = cpuid_lo(&l->verify_same);
			gpr[R8] = cpuid_hi(&l->verify_same);
			return TDX_INCONSISTENT_CPUID_FIELD;
		}
		if (l->leaf == LEAF_TOPOLOGY && l->subleaf == 0) {
			*pkg = v.r[CPUID_EDX] >> m->cpu.pkg_shift;
			if (*pkg >= TDX_MAX_PKGS)
				return tdx_status_with_operand(TDX_INVALID_PKG_ID, *pkg);
		}
	}
	return TDX_SUCCESS;
}

void cpuid_complete(struct tdx_module *m)
{
	for (unsigned i = 0; i < CPUID_NUM_LOOKUP; i++) {
		const struct cpuid_lookup *l = &cpuid_lookup[i];

		for (unsigned j = 0; j < 4; j++) {
			m->cpuid_values[i].r[j] &= ~l->fixed0_or_dynamic.r[j];
			m->cpuid_values[i].r[j] |= l->fixed1.r[j];
		}
	}
}
