/* SPDX-License-Identifier: MIT */
/* Platform descriptions: the built-in default, checks, CMR derivation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tdxsim/abi.h"
#include "tdxsim/platform.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

static const struct {
	enum tdxsim_mem_type type;
	const char *name;
} mem_types[] = {
	{ TDXSIM_MEM_RAM, "ram" },
	{ TDXSIM_MEM_RESERVED, "reserved" },
	{ TDXSIM_MEM_ACPI, "acpi" },
	{ TDXSIM_MEM_NVS, "nvs" },
	{ TDXSIM_MEM_UNUSABLE, "unusable" },
	{ TDXSIM_MEM_PMEM_LEGACY, "pmem-legacy" },
	{ TDXSIM_MEM_SOFT_RESERVED, "soft-reserved" },
	{ TDXSIM_MEM_HOTPLUG, "hotplug" },
};

const char *tdxsim_mem_type_name(enum tdxsim_mem_type t)
{
	for (size_t i = 0; i < sizeof(mem_types) / sizeof(mem_types[0]); i++)
		if (mem_types[i].type == t)
			return mem_types[i].name;
	return "unknown";
}

bool tdxsim_mem_type_parse(const char *name, enum tdxsim_mem_type *out)
{
	for (size_t i = 0; i < sizeof(mem_types) / sizeof(mem_types[0]); i++) {
		if (!strcasecmp(mem_types[i].name, name)) {
			*out = mem_types[i].type;
			return true;
		}
	}
	return false;
}

static const char *const profile_names[] = {
	[TDXSIM_PROFILE_1_5] = "1.5",
	[TDXSIM_PROFILE_1_5_01] = "1.5.01",
	[TDXSIM_PROFILE_1_0] = "1.0",
};

const char *tdxsim_profile_name(enum tdxsim_profile p)
{
	return (unsigned)p < 3 ? profile_names[p] : "unknown";
}

bool tdxsim_profile_parse(const char *name, enum tdxsim_profile *out)
{
	for (unsigned i = 0; i < 3; i++) {
		if (!strcmp(profile_names[i], name)) {
			*out = (enum tdxsim_profile)i;
			return true;
		}
	}
	return false;
}

static void add_range(struct tdxsim_platform_config *c, uint64_t base,
		      uint64_t end, enum tdxsim_mem_type type, unsigned node)
{
	c->memmap[c->n_memmap++] = (struct tdxsim_mem_range){
		.base = base, .size = end - base, .type = type, .node = node,
	};
}

/*
 * Two packages of four LPs; about 64 GiB of RAM split between two nodes,
 * the usual low-memory layout below 4 GiB (legacy area, ACPI, a reserved
 * block, the PCI hole); one 4 GiB legacy persistent-memory
 * range; 64 KeyIDs, 32 of them TDX private KeyIDs ([32, 64)).
 */
void tdxsim_config_default(struct tdxsim_platform_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "default");
	c->packages = 2;
	c->lps_per_package = 4;
	c->pa_width = 52;
	c->keyid_bits = 6;
	c->mktme_keyids = 31;
	c->tdx_keyids = 32;
	c->cpu_fms = 0x000806F8;  /* Sapphire Rapids */
	c->seamverifyreport = true;
	c->module_loaded = true;
	c->profile = TDXSIM_PROFILE_1_5;
	add_range(c, 0x0, 0x9F000, TDXSIM_MEM_RAM, 0);
	add_range(c, 0x9F000, 0x100000, TDXSIM_MEM_RESERVED, 0);
	add_range(c, 0x100000, 0x6F800000, TDXSIM_MEM_RAM, 0);
	add_range(c, 0x6F800000, 0x6FC00000, TDXSIM_MEM_ACPI, 0);
	add_range(c, 0x6FC00000, 0x70000000, TDXSIM_MEM_NVS, 0);
	add_range(c, 0x70000000, 0x80000000, TDXSIM_MEM_RESERVED, 0);
	add_range(c, 0xFE000000, 4 * GiB, TDXSIM_MEM_RESERVED, 0);
	add_range(c, 4 * GiB, 34 * GiB, TDXSIM_MEM_RAM, 0);
	add_range(c, 34 * GiB, 66 * GiB, TDXSIM_MEM_RAM, 1);
	add_range(c, 66 * GiB, 70 * GiB, TDXSIM_MEM_PMEM_LEGACY, 1);
}

static int cmp_range(const void *a, const void *b)
{
	const struct tdxsim_mem_range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/*
 * As a BIOS reports them: System RAM only, never the first 1 MiB, 4 KiB
 * granular, contiguous ranges merged (the canonical/tdx #331 log shows
 * CMRs starting at 0x100000 and spanning both sockets).
 */
size_t tdxsim_derive_cmrs(const struct tdxsim_platform_config *c,
			  struct tdxsim_cmr *out, size_t max)
{
	uint64_t last_end = 0;
	size_t n = 0;

	for (size_t i = 0; i < c->n_memmap; i++) {
		const struct tdxsim_mem_range *r = &c->memmap[i];
		uint64_t base = r->base, end = r->base + r->size;

		if (r->type != TDXSIM_MEM_RAM)
			continue;
		if (base < MiB)
			base = MiB;
		base = (base + 4095) & ~4095ULL;
		end &= ~4095ULL;
		if (end <= base)
			continue;
		if (n && last_end == base) {
			if (n <= max)
				out[n - 1].size = end - out[n - 1].base;
		} else {
			if (n < max)
				out[n] = (struct tdxsim_cmr){ base, end - base };
			n++;
		}
		last_end = end;
	}
	return n;
}

static unsigned bits_for(uint64_t n)
{
	unsigned b = 0;

	while ((1ULL << b) < n)
		b++;
	return b;
}

/* A platform the module cannot bring up is refused here, up front. */
_Static_assert(TDXSIM_MAX_PACKAGES == TDX_MAX_PKGS,
	       "the platform's package limit is the module's MAX_PKGS");

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return false; } while (0)

static bool check_topology(const struct tdxsim_platform_config *c,
			   char *err, size_t errlen)
{
	if (c->packages < 1 || c->packages > TDXSIM_MAX_PACKAGES)
		FAIL("packages must be 1..%d, not %u: the TDX module supports at most "
		     "%d packages (MAX_PKGS)", TDXSIM_MAX_PACKAGES, c->packages,
		     TDXSIM_MAX_PACKAGES);
	if (c->lps_per_package < 1 ||
	    c->lps_per_package > TDXSIM_MAX_LPS / c->packages)
		FAIL("packages x lps_per_package must be 1..%d", TDXSIM_MAX_LPS);
	return true;
}

static bool check_keyids(struct tdxsim_platform_config *c, char *err,
			 size_t errlen)
{
	uint64_t total = (uint64_t)c->mktme_keyids + c->tdx_keyids + 1;

	if (c->pa_width < 36 || c->pa_width > 52)
		FAIL("pa_width must be 36..52, not %u", c->pa_width);
	if (!c->keyid_bits)
		c->keyid_bits = bits_for(total);
	if (c->keyid_bits > 15)
		FAIL("keyid_bits must be at most 15 (TME_ACTIVATE[35:32])");
	if (total > (1ULL << c->keyid_bits))
		FAIL("%llu KeyIDs do not fit in %u KeyID bits",
		     (unsigned long long)total, c->keyid_bits);
	if (52 - c->keyid_bits < 32)
		FAIL("%u KeyID bits leave fewer than 32 address bits", c->keyid_bits);
	return true;
}

uint64_t tdxsim_seamrr_base(const struct tdxsim_platform_config *c)
{
	return (1ULL << (52 - c->keyid_bits)) - TDXSIM_SEAMRR_SIZE;
}

static bool check_memmap(struct tdxsim_platform_config *c, char *err,
			 size_t errlen)
{
	uint64_t limit = 1ULL << (52 - c->keyid_bits);
	bool ram = false;

	qsort(c->memmap, c->n_memmap, sizeof(c->memmap[0]), cmp_range);
	for (size_t i = 0; i < c->n_memmap; i++) {
		const struct tdxsim_mem_range *r = &c->memmap[i];

		if (!r->size || r->base >= limit || r->size > limit - r->base)
			FAIL("memory range [0x%llx, +0x%llx) is empty or beyond the %u-bit physical space",
			     (unsigned long long)r->base, (unsigned long long)r->size,
			     52 - c->keyid_bits);
		if (r->node >= c->packages)
			FAIL("memory range at 0x%llx names node %u, but there are %u packages",
			     (unsigned long long)r->base, r->node, c->packages);
		if (r->base + r->size > tdxsim_seamrr_base(c) && r->type != TDXSIM_MEM_RESERVED)
			FAIL("memory range [0x%llx, +0x%llx) reaches SEAMRR [0x%llx, +32 MiB), the top of the %u-bit physical space, which a BIOS keeps for the TDX module",
			     (unsigned long long)r->base, (unsigned long long)r->size,
			     (unsigned long long)tdxsim_seamrr_base(c), 52 - c->keyid_bits);
		if (i && c->memmap[i - 1].base + c->memmap[i - 1].size > r->base)
			FAIL("memory ranges at 0x%llx and 0x%llx overlap",
			     (unsigned long long)c->memmap[i - 1].base,
			     (unsigned long long)r->base);
		ram |= r->type == TDXSIM_MEM_RAM;
	}
	if (!ram)
		FAIL("the memory map has no RAM");
	return true;
}

/* More RAM ranges than CMRs: the smallest hole between two CMRs joins
 * them, until 32 remain. A BIOS's CMRs are DRAM ranges, and the small
 * holes between usable ranges are mostly its own reservations in DRAM;
 * Linux plans TDMRs from memblock, not from the CMRs, so the map's RAM
 * is planned as it is. */
static size_t merge_smallest_holes(struct tdxsim_cmr *r, size_t n, size_t max)
{
	while (n > max) {
		size_t best = 0;

		for (size_t i = 1; i + 1 < n; i++)
			if (r[i + 1].base - (r[i].base + r[i].size) <
			    r[best + 1].base - (r[best].base + r[best].size))
				best = i;
		r[best].size = r[best + 1].base + r[best + 1].size - r[best].base;
		memmove(&r[best + 1], &r[best + 2], (n - best - 2) * sizeof(r[0]));
		n--;
	}
	return n;
}

static bool check_cmrs(struct tdxsim_platform_config *c, char *err,
		       size_t errlen)
{
	if (!c->cmrs_explicit) {
		struct tdxsim_cmr all[TDXSIM_MAX_MEMMAP];
		size_t n = tdxsim_derive_cmrs(c, all, TDXSIM_MAX_MEMMAP);

		n = merge_smallest_holes(all, n, TDXSIM_MAX_CMRS);
		memcpy(c->cmrs, all, n * sizeof(all[0]));
		c->n_cmrs = n;
		return true;
	}
	for (size_t i = 0; i < c->n_cmrs; i++) {
		const struct tdxsim_cmr *r = &c->cmrs[i];

		if (!r->size || (r->base | r->size) & 4095 ||
		    r->base + r->size < r->base)
			FAIL("CMR %zu [0x%llx, +0x%llx) must be non-empty and 4 KiB aligned",
			     i, (unsigned long long)r->base, (unsigned long long)r->size);
		if (i && c->cmrs[i - 1].base + c->cmrs[i - 1].size > r->base)
			FAIL("CMR %zu is not above CMR %zu", i, i - 1);
	}
	return true;
}

static bool check_overrides(const struct tdxsim_platform_config *c, char *err,
			    size_t errlen)
{
	unsigned nr = c->packages * c->lps_per_package;

	for (size_t i = 0; i < c->n_overrides; i++) {
		if (c->overrides[i].lp >= nr)
			FAIL("override for LP %u, but the platform has %u LPs",
			     c->overrides[i].lp, nr);
		for (size_t j = 0; j < i; j++)
			if (c->overrides[j].lp == c->overrides[i].lp)
				FAIL("two overrides for LP %u", c->overrides[i].lp);
	}
	return true;
}

bool tdxsim_config_finish(struct tdxsim_platform_config *c, char *err,
			  size_t errlen)
{
	if (c->n_memmap > TDXSIM_MAX_MEMMAP || c->n_cmrs > TDXSIM_MAX_CMRS ||
	    c->n_overrides > TDXSIM_MAX_OVERRIDES)
		FAIL("table sizes exceed the platform limits");
	if ((unsigned)c->profile > TDXSIM_PROFILE_1_0)
		FAIL("unknown module profile");
	return check_topology(c, err, errlen) &&
	       check_keyids(c, err, errlen) &&
	       check_memmap(c, err, errlen) &&
	       check_cmrs(c, err, errlen) &&
	       check_overrides(c, err, errlen);
}
