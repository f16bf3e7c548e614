/* SPDX-License-Identifier: MIT */
/*
 * CPUID of the modelled part: a Sapphire Rapids server (family 6, model
 * 0x8F) as the TDX module 1.5 expects to find it. Every leaf the module
 * samples at TDH.SYS.INIT is answered, and the values pass the module's
 * verify table (cpuid_configurations.c: CLFLUSH line 64, the required
 * feature bits of leaves 1, 7 and 0x80000001, architectural perfmon v5,
 * 52-bit MAXPA with 57-bit linear addresses, a crystal-clock TSC, the
 * L3 shared by the whole package). Topology-dependent fields follow the
 * platform: two threads per core, lps_per_package threads per package.
 */
#include <string.h>

#include "platform_internal.h"

/* Fixed leaves: leaf, subleaf (~0: any), EAX, EBX, ECX, EDX. */
static const struct {
	uint32_t leaf, subleaf, r[4];
} fixed[] = {
	{ 0x5, ~0u, { 0x40, 0x40, 0x3, 0x2020 } },                 /* MONITOR line 64 */
	{ 0x6, ~0u, { 0x77, 0x0, 0x9, 0x0 } },
	/* FSGSBASE..SHA incl. HLE/RTM (a TSX part), AVX-512, PKU/PKS,
	 * LA57, WAITPKG, MOVDIRI/64B, bus-lock detect; EDX: MD_CLEAR,
	 * arch LBR, IBRS..SSBD, ARCH_CAPABILITIES, CORE_CAPABILITIES. */
	{ 0x7, 0, { 0x2, 0xf3bfbfff, 0x9b415f6e, 0xffdd4432 } },
	{ 0x7, 1, { 0x1c30, 0x0, 0x0, 0x0 } },
	{ 0x7, 2, { 0x0, 0x0, 0x0, 0x17 } },                         /* PSFD, IPRED, RRSBA, BHI */
	/* Architectural perfmon v5: 8 GP counters, 3 fixed, 48 bits wide. */
	{ 0xA, ~0u, { 0x07300805, 0x0, 0x0, 0x00008603 } },
	/* XSAVE: x87 SSE AVX opmask ZMM_Hi256 Hi16_ZMM PKRU XTILECFG XTILEDATA;
	 * XSS: PT, CET_U, CET_S, LBR, HWP; XSAVEOPT/C/S, XGETBV1, XFD. */
	{ 0xD, 0, { 0x000602e7, 0x2b00, 0x2b00, 0x0 } },
	{ 0xD, 1, { 0x1f, 0x0, 0x00019900, 0x0 } },
	{ 0xD, 2, { 256, 576, 0, 0 } },
	{ 0xD, 5, { 64, 1088, 0, 0 } },
	{ 0xD, 6, { 512, 1152, 0, 0 } },
	{ 0xD, 7, { 1024, 1664, 0, 0 } },
	{ 0xD, 8, { 128, 0, 1, 0 } },
	{ 0xD, 9, { 8, 2688, 0, 0 } },
	{ 0xD, 11, { 16, 0, 1, 0 } },
	{ 0xD, 12, { 24, 0, 1, 0 } },
	{ 0xD, 15, { 808, 0, 1, 0 } },
	{ 0xD, 16, { 8, 0, 1, 0 } },
	{ 0xD, 17, { 64, 2752, 6, 0 } },                             /* XFD-faulting */
	{ 0xD, 18, { 8192, 2816, 6, 0 } },
	{ 0x14, 0, { 0x1, 0x5f, 0x7, 0x0 } },                        /* Intel PT */
	{ 0x14, 1, { 0x02490002, 0x003f1fff, 0x0, 0x0 } },
	/* TSC = 25 MHz crystal x 168 / 2 = 2.1 GHz. */
	{ 0x15, ~0u, { 0x2, 0xa8, 25000000, 0x0 } },
	{ 0x1C, ~0u, { 0x4000000f, 0x7, 0x7, 0x0 } },                /* arch LBR, depth 32 */
	{ 0x1D, 0, { 0x1, 0x0, 0x0, 0x0 } },                         /* AMX palettes */
	{ 0x1D, 1, { 0x04002000, 0x00080040, 0x10, 0x0 } },
	{ 0x1E, ~0u, { 0x0, 0x00004010, 0x0, 0x0 } },
	{ 0x80000000, ~0u, { 0x80000008, 0, 0, 0 } },
	{ 0x80000001, ~0u, { 0x0, 0x0, 0x121, 0x2c100800 } },       /* LAHF LZCNT PREFETCHW; SYSCALL NX 1G RDTSCP LM */
	{ 0x80000006, ~0u, { 0x0, 0x0, 0x08007040, 0x0 } },          /* L2 2 MiB, line 64 */
	{ 0x80000007, ~0u, { 0x0, 0x0, 0x0, 0x100 } },               /* invariant TSC */
};

static unsigned order_base_2(unsigned n)
{
	unsigned b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

/* The x2APIC shift that names the package: at least 1, because the SMT
 * level always takes one bit. */
static unsigned pkg_shift(const struct platform *p)
{
	unsigned s = order_base_2(p->cfg.lps_per_package);

	return s ? s : 1;
}

/* CPUID 0xB / 0x1F: SMT level (shift 1), then core level up to the package. */
static void topology_leaf(const struct platform *p, const struct lp *lp,
			  uint32_t subleaf, uint32_t r[4])
{
	r[3] = lp->x2apic_id;
	if (subleaf == 0) {
		r[0] = 1;
		r[1] = p->cfg.lps_per_package > 1 ? 2 : 1;
		r[2] = (1u << 8) | 0;
	} else if (subleaf == 1) {
		r[0] = pkg_shift(p);
		r[1] = p->cfg.lps_per_package;
		r[2] = (2u << 8) | 1;
	} else {
		r[0] = r[1] = 0;
		r[2] = subleaf;
	}
}

/* Deterministic cache parameters: L1d 48K, L1i 32K, L2 2M per core
 * (shared by its two threads), L3 shared by the package. */
static void cache_leaf(const struct platform *p, uint32_t subleaf, uint32_t r[4])
{
	static const uint32_t caches[4][4] = {
		{ 0x121, 0x02c0003f, 63, 0 },          /* type, level, self-init */
		{ 0x122, 0x01c0003f, 63, 0 },
		{ 0x143, 0x03c0003f, 2047, 0 },
		{ 0x163, 0x0380003f, 0x1bfff, 0x4 },  /* complex indexing */
	};
	unsigned shift = pkg_shift(p);
	uint32_t cores = 1u << (shift - 1), sharing;

	if (subleaf >= 4)
		return;
	sharing = subleaf == 3 ? (1u << shift) - 1 : 1;
	memcpy(r, caches[subleaf], sizeof(caches[subleaf]));
	r[0] |= (cores - 1) << 26 | sharing << 14;
}

static bool fixed_leaf(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (fixed[i].leaf == leaf &&
		    (fixed[i].subleaf == ~0u || fixed[i].subleaf == subleaf)) {
			memcpy(r, fixed[i].r, sizeof(fixed[i].r));
			return true;
		}
	}
	return false;
}

void cpu_model_base_cpuid(const struct platform *p, const struct lp *lp,
			  uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	switch (leaf) {
	case 0x0:
		r[0] = 0x20;
		memcpy(&r[1], "Genu", 4);
		memcpy(&r[3], "ineI", 4);
		memcpy(&r[2], "ntel", 4);
		break;
	case 0x1:
		r[0] = p->cfg.cpu_fms;
		r[1] = (lp->x2apic_id & 0xff) << 24 | (p->cfg.lps_per_package & 0xff) << 16 | 0x0800;
		r[2] = 0x7ffefbff;
		r[3] = 0xbfebfbff;
		break;
	case 0x4:
		cache_leaf(p, subleaf, r);
		break;
	case 0xB:
	case 0x1F:
		topology_leaf(p, lp, subleaf, r);
		break;
	case 0x80000008:
		r[0] = p->cfg.pa_width | (57u << 8);
		r[1] = 0x200;                          /* WBNOINVD */
		break;
	default:
		fixed_leaf(leaf, subleaf, r);
		break;
	}
}
