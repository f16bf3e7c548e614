/* SPDX-License-Identifier: MIT */
/*
 * The SYS metadata table (abi §8.2) and the values this module returns.
 * Entries are in the module's lookup order; values not given by the spec
 * are those of the modelled part and are noted as such.
 */
#include "module.h"
#include "metadata_sys.h"
#include "platform/platform_internal.h"

#define E(id, nf, ne) { id, nf, ne, 0, 0 }
#define E_NEW(id, nf, ne) { id, nf, ne, 1, 0 }
/* Readable by the guest too (TDG.SYS.RD): the 1.5.01 table's guest read
 * mask is set for these alone. */
#define E_G(id, nf, ne) { id, nf, ne, 0, 1 }

static const struct md_sys_entry table[] = {
	E(MD_SYS_NUM_PKGS, 1, 1),
	E(MD_SYS_PKG_FMS, 8, 1),
	E_G(MD_SYS_VENDOR_ID, 1, 1),
	E(MD_SYS_BUILD_DATE, 1, 1),
	E(MD_SYS_BUILD_NUM, 1, 1),
	E_G(MD_SYS_MINOR_VERSION, 1, 1),
	E_G(MD_SYS_MAJOR_VERSION, 1, 1),
	E(MD_SYS_UPDATE_VERSION, 1, 1),
	E(MD_SYS_INTERNAL_VERSION, 1, 1),
	E(MD_SYS_MODULE_HV, 1, 1),
	E(MD_SYS_MIN_UPDATE_HV, 1, 1),
	E(MD_SYS_NO_DOWNGRADE, 1, 1),
	E(MD_SYS_NUM_HANDOFF_PAGES, 1, 1),
	E(MD_SYS_HANDOFF_DATA_VALID, 1, 1),
	E(MD_SYS_HANDOFF_DATA_HV, 1, 1),
	E(MD_SYS_HANDOFF_DATA_SIZE, 1, 1),
	E_G(MD_SYS_SYS_ATTRIBUTES, 1, 1),
	E_G(MD_SYS_NUM_TDX_FEATURES, 1, 1),
	E_G(MD_SYS_TDX_FEATURES0, 1, 1),
	E(MD_SYS_NUM_CMRS, 1, 1),
	E(MD_SYS_CMR_BASE, 32, 1),
	E(MD_SYS_CMR_SIZE, 32, 1),
	E(MD_SYS_MAX_TDMRS, 1, 1),
	E(MD_SYS_MAX_RESERVED_PER_TDMR, 1, 1),
	E(MD_SYS_PAMT_4K_ENTRY_SIZE, 1, 1),
	E(MD_SYS_PAMT_2M_ENTRY_SIZE, 1, 1),
	E(MD_SYS_PAMT_1G_ENTRY_SIZE, 1, 1),
	E(MD_SYS_TDR_BASE_SIZE, 1, 1),
	E(MD_SYS_TDCS_BASE_SIZE, 1, 1),
	E(MD_SYS_TDCS_SIZE_PER_L2_VM, 1, 1),
	E(MD_SYS_TDVPS_BASE_SIZE, 1, 1),
	E(MD_SYS_TDVPS_SIZE_PER_L2_VM, 1, 1),
	E(MD_SYS_ATTRIBUTES_FIXED0, 1, 1),
	E(MD_SYS_ATTRIBUTES_FIXED1, 1, 1),
	E(MD_SYS_XFAM_FIXED0, 1, 1),
	E(MD_SYS_XFAM_FIXED1, 1, 1),
	E(MD_SYS_NUM_CPUID_CONFIG, 1, 1),
	E(MD_SYS_CONFIG_FLAGS_FIXED0, 1, 1),
	E(MD_SYS_CONFIG_FLAGS_FIXED1, 1, 1),
	E_NEW(MD_SYS_MAX_VCPUS_PER_TD, 1, 1),
	E(MD_SYS_CPUID_CONFIG_LEAVES, 32, 1),
	E(MD_SYS_CPUID_CONFIG_VALUES, 32, 2),
	E(MD_SYS_IA32_ARCH_CAPABILITIES_CONFIG_MASK, 1, 1),
	E(MD_SYS_NUM_ALLOWED_FMS, 1, 1),
	E(MD_SYS_NUM_DISALLOWED_FMS, 1, 1),
	E(MD_SYS_ALLOWED_FMS, 64, 1),
	E(MD_SYS_DISALLOWED_FMS, 64, 1),
	E_G(MD_SYS_MIG_ATTRIBUTES, 1, 1),
	E_G(MD_SYS_MIN_EXPORT_VERSION, 1, 1),
	E_G(MD_SYS_MAX_EXPORT_VERSION, 1, 1),
	E_G(MD_SYS_MIN_IMPORT_VERSION, 1, 1),
	E_G(MD_SYS_MAX_IMPORT_VERSION, 1, 1),
	E(MD_SYS_MAX_MIGS, 1, 1),
	E(MD_SYS_NUM_IMMUTABLE_STATE_PAGES, 1, 1),
	E(MD_SYS_NUM_TD_STATE_PAGES, 1, 1),
	E(MD_SYS_NUM_VP_STATE_PAGES, 1, 1),
	E(MD_SYS_MAX_SERV_TDS, 1, 1),
	E(MD_SYS_SERVTD_ATTR_FIXED0, 1, 1),
	E(MD_SYS_SERVTD_ATTR_FIXED1, 1, 1),
	E_G(MD_SYS_GUEST_L2_GPA_ATTR_MASK, 1, 1),
	E(MD_SYS_VM_CTLS_FIXED0, 1, 1),
	E(MD_SYS_VM_CTLS_FIXED1, 1, 1),
	E(MD_SYS_L2_CTLS_FIXED0, 1, 1),
	E(MD_SYS_L2_CTLS_FIXED1, 1, 1),
	E(MD_SYS_L2_DEBUG_CTLS_FIXED0, 1, 1),
	E(MD_SYS_L2_DEBUG_CTLS_FIXED1, 1, 1),
};

#define NR_ENTRIES ((int)(sizeof(table) / sizeof(table[0])))
_Static_assert(sizeof(table) / sizeof(table[0]) <= 96, "md index size");

/*
 * TDX_FEATURES0: the 1.5.01 bit list (abi §8.2) less the features whose
 * leaves tdxsim does not implement (migration, TD-preserving update,
 * service TDs, partitioning, and for now an FMS a TD may choose);
 * LOCAL_ATTESTATION when the CPU has SEAMVERIFYREPORT, as
 * in the module's metadata_sys.c; the current profile adds TOPOLOGY_ENUM.
 */
#define FEATURES0_1_5_01 \
	(TDX_FEATURES0_TDG_VP_RDWR | TDX_FEATURES0_RELAXED_MEM_MNG_CONCURRENCY | \
	 TDX_FEATURES0_CPUID_VIRT_GUEST_CTRL | \
	 TDX_FEATURES0_TD_ENTRY_ENHANCEMENTS | \
	 TDX_FEATURES0_HOST_PRIORITY_LOCKS | TDX_FEATURES0_CONFIG_IA32_ARCH_CAP | \
	 TDX_FEATURES0_PENDING_EPT_VIOLATION_V2 | \
	 TDX_FEATURES0_NO_RBP_MOD | TDX_FEATURES0_L2_TLB_INVD_OPT)

static bool present(const struct tdx_module *m, int entry)
{
	return !table[entry].only_current || m->profile == TDXSIM_PROFILE_1_5;
}

const struct md_sys_entry *md_sys_entry(int entry)
{
	return &table[entry];
}

unsigned md_sys_entry_elements(int entry)
{
	return (unsigned)table[entry].num_fields * table[entry].num_elems;
}

uint64_t md_sys_element_id(int entry, unsigned elem)
{
	return table[entry].id + elem;
}

int md_sys_next_entry(const struct tdx_module *m, int entry)
{
	while (++entry < NR_ENTRIES)
		if (present(m, entry))
			return entry;
	return -1;
}

int md_sys_first_entry(const struct tdx_module *m)
{
	return md_sys_next_entry(m, -1);
}

int md_sys_next_guest_entry(const struct tdx_module *m, int entry)
{
	while ((entry = md_sys_next_entry(m, entry)) >= 0 && !table[entry].guest_rd)
		;
	return entry;
}

static uint32_t key_of(uint64_t id)
{
	return (uint32_t)md_class(id) << 24 | md_field_code(id);
}

void md_sys_index(struct tdx_module *m)
{
	m->md_n = 0;
	for (int i = md_sys_first_entry(m); i >= 0; i = md_sys_next_entry(m, i)) {
		unsigned j = m->md_n++;

		for (; j && m->md_key[j - 1] > key_of(table[i].id); j--) {
			m->md_key[j] = m->md_key[j - 1];
			m->md_entry[j] = m->md_entry[j - 1];
		}
		m->md_key[j] = key_of(table[i].id);
		m->md_entry[j] = (int16_t)i;
	}
}

int md_sys_lookup(const struct tdx_module *m, uint64_t id, unsigned *elem)
{
	uint32_t key = key_of(id);
	unsigned lo = 0, hi = m->md_n;

	/* The last entry whose first key is <= key, if key falls inside it. */
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (m->md_key[mid] <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && key - m->md_key[lo - 1] < md_sys_entry_elements(m->md_entry[lo - 1])) {
		*elem = key - m->md_key[lo - 1];
		return m->md_entry[lo - 1];
	}
	return -1;
}

/* CPUID_CONFIG_LEAVES: the configurable leaves in their table order. */
uint64_t md_sys_cpuid_config_leaf(unsigned i)
{
	if (i >= CPUID_NUM_CONFIG)
		return ~0ULL;
	return cpuid_leaf_subleaf(cpuid_configurable[i].leaf, cpuid_configurable[i].subleaf);
}

/* CPUID_CONFIG_VALUES: the directly configurable bits only, {EBX:EAX}
 * then {EDX:ECX} (metadata_sys.c reads config_direct; the allowed bits
 * the platform has are not included, unlike TDH.SYS.INFO's table). */
uint64_t md_sys_cpuid_config_value(unsigned elem)
{
	unsigned i = elem / 2;

	if (i >= CPUID_NUM_CONFIG)
		return 0;
	return elem % 2 ? cpuid_hi(&cpuid_configurable[i].config_direct) :
			  cpuid_lo(&cpuid_configurable[i].config_direct);
}

uint64_t md_sys_version(const struct tdx_module *m, uint64_t id)
{
	bool strict = m->profile != TDXSIM_PROFILE_1_5;

	switch (id) {
	case MD_SYS_VENDOR_ID:       return 0x8086;
	/* Build date and update version are the modelled module's:
	 * TDX_1.5.01 for the strict profile, a later 1.5.06 otherwise. */
	case MD_SYS_BUILD_DATE:      return strict ? 20230630 : 20240812;
	case MD_SYS_BUILD_NUM:       return strict ? 581 : 744;
	case MD_SYS_MINOR_VERSION:   return 5;
	case MD_SYS_MAJOR_VERSION:   return 1;
	case MD_SYS_UPDATE_VERSION:  return strict ? 1 : 6;
	default:                     return 0;
	}
}

/* The CPUs the module knows, newest first, each at its latest stepping
 * (tdx-module tdx_1.5 src/common/helpers/cpuid_fms.c): CWF, GNR-D,
 * GNR-SP, SRF, EMR, SPR. */
static const uint32_t known_fms[] = {
	0x000D06D0, 0x000A06E0, 0x000A06D0, 0x000A06F0, 0x000C06F2, 0x000806F8,
};
#define N_KNOWN_FMS (sizeof(known_fms) / sizeof(known_fms[0]))

/* platform_fms, as TDH.SYS.INIT put it in leaf 1's sample. */
static uint32_t platform_fms(const struct tdx_module *m)
{
	return m->cpuid_native[0].r[CPUID_EAX];
}

/* The platform's row in known_fms, or N_KNOWN_FMS for a CPU the module
 * does not know (the real module stops with a fatal error then; tdxsim
 * reports NUM_ALLOWED_FMS 0). */
static unsigned fms_row(const struct tdx_module *m)
{
	uint32_t fm = platform_fms(m) & ~0xFU;
	unsigned r = 0;

	while (r < N_KNOWN_FMS && (known_fms[r] & ~0xFU) != fm)
		r++;
	return r;
}

/* ALLOWED_FMS (get_allowed_fms): the platform's own, then each older
 * known generation at its latest stepping (what a migratable TD may
 * claim). */
static uint64_t allowed_fms(const struct tdx_module *m, unsigned elem)
{
	unsigned r = fms_row(m);

	if (!elem)
		return platform_fms(m);
	return r + elem < N_KNOWN_FMS ? known_fms[r + elem] : 0;
}

/* check_fms_config: a migratable TD's FMS is a known CPU at or below its
 * latest stepping, and no newer than the platform's own stepping. */
bool md_sys_fms_allowed(const struct tdx_module *m, uint32_t fms)
{
	uint32_t plat = platform_fms(m);
	bool found = false;

	if ((fms & ~0xFu) == (plat & ~0xFu) && (fms & 0xF) > (plat & 0xF))
		return false;
	for (unsigned r = fms_row(m); r < N_KNOWN_FMS; r++) {
		if ((fms & ~0xFu) != (known_fms[r] & ~0xFu))
			continue;
		if ((fms & 0xF) > (known_fms[r] & 0xF))
			return false;
		found = true;
	}
	return found;
}

static uint64_t array_value(const struct tdx_module *m, uint64_t id,
			    unsigned elem)
{
	switch (id) {
	case MD_SYS_PKG_FMS:
		return elem < m->num_of_pkgs ? m->pkg_fms[elem] : 0;
	case MD_SYS_CMR_BASE:
		return elem < m->n_cmrs ? m->cmrs[elem].base : 0;
	case MD_SYS_CMR_SIZE:
		return elem < m->n_cmrs ? m->cmrs[elem].size : 0;
	case MD_SYS_CPUID_CONFIG_LEAVES:
		return md_sys_cpuid_config_leaf(elem);
	case MD_SYS_CPUID_CONFIG_VALUES:
		return md_sys_cpuid_config_value(elem);
	case MD_SYS_ALLOWED_FMS:
		return allowed_fms(m, elem);
	default:
		return 0;   /* DISALLOWED_FMS: an empty list */
	}
}

static uint64_t scalar_value(const struct tdx_module *m, uint64_t id)
{
	switch (id) {
	case MD_SYS_NUM_PKGS:                return m->num_of_pkgs;
	case MD_SYS_NUM_TDX_FEATURES:        return 1;
	case MD_SYS_TDX_FEATURES0:
		return (FEATURES0_1_5_01 |
			(m->seamverifyreport ? TDX_FEATURES0_LOCAL_ATTESTATION : 0) |
			(m->profile == TDXSIM_PROFILE_1_5 ? TDX_FEATURES0_TOPOLOGY_ENUM : 0)) &
		       ~m->plat->cfg.module_features0_clear;
	case MD_SYS_NUM_CMRS:                return TDX_MAX_CMR;
	case MD_SYS_MAX_TDMRS:               return TDX_MAX_TDMRS;
	case MD_SYS_MAX_RESERVED_PER_TDMR:   return TDX_MAX_RESERVED_AREAS;
	case MD_SYS_PAMT_4K_ENTRY_SIZE:
	case MD_SYS_PAMT_2M_ENTRY_SIZE:
	case MD_SYS_PAMT_1G_ENTRY_SIZE:      return TDX_PAMT_ENTRY_SIZE;
	case MD_SYS_TDR_BASE_SIZE:           return 4096;
	case MD_SYS_TDCS_BASE_SIZE:          return 6 * 4096;
	case MD_SYS_TDCS_SIZE_PER_L2_VM:     return 4096;
	case MD_SYS_TDVPS_BASE_SIZE:         return 6 * 4096;
	case MD_SYS_TDVPS_SIZE_PER_L2_VM:    return 3 * 4096;
	case MD_SYS_ATTRIBUTES_FIXED0:       return 0x8000000070000001ULL;
	case MD_SYS_XFAM_FIXED0:             return 0x0006DBE7ULL & m->xfam_supported;
	case MD_SYS_XFAM_FIXED1:             return 0x3;
	case MD_SYS_NUM_CPUID_CONFIG:        return CPUID_NUM_CONFIG;
	case MD_SYS_CONFIG_FLAGS_FIXED0:     return 0x7;
	case MD_SYS_MAX_VCPUS_PER_TD:        return TDX_MAX_VCPUS;
	case MD_SYS_IA32_ARCH_CAPABILITIES_CONFIG_MASK:
		return (1ULL << 4) | (1ULL << 19) | (1ULL << 20) | (1ULL << 24);
	case MD_SYS_NUM_ALLOWED_FMS:         return N_KNOWN_FMS - fms_row(m);
	case MD_SYS_MAX_MIGS:                return 512;
	/* Migration bundle sizes (tdx-module tdx_1.5 migration.h,
	 * MIN_*_EXPORT_PAGES) and the service-TD attributes' fixed-0 bits
	 * (service_td.h, SERVTD_ATTRIBUTES_FIXED_0). */
	case MD_SYS_NUM_IMMUTABLE_STATE_PAGES: return 3;
	case MD_SYS_NUM_TD_STATE_PAGES:      return 2;
	case MD_SYS_NUM_VP_STATE_PAGES:      return 5;
	case MD_SYS_SERVTD_ATTR_FIXED0:      return 0x000007FF00000001ULL;
	case MD_SYS_MAX_SERV_TDS:            return 1;
	case MD_SYS_GUEST_L2_GPA_ATTR_MASK:  return 0x807F;
	case MD_SYS_VM_CTLS_FIXED0:          return 0x1;
	case MD_SYS_L2_CTLS_FIXED0:          return 0x3;
	case MD_SYS_L2_DEBUG_CTLS_FIXED0:    return 0x7;
	default:                             return md_sys_version(m, id);
	}
}

uint64_t md_sys_value(const struct tdx_module *m, int entry, unsigned elem)
{
	const struct md_sys_entry *e = &table[entry];
	unsigned bytes = md_element_size_bytes(e->id);
	uint64_t v = md_sys_entry_elements(entry) > 1 ?
		     array_value(m, e->id, elem) : scalar_value(m, e->id);

	return bytes >= 8 ? v : v & ((1ULL << (8 * bytes)) - 1);
}

/* The ID after this element: the next field code of the same entry with
 * the caller's other bits kept, else the next entry's first ID (for the
 * guest, the next it may read), else -1. */
static uint64_t next_id(const struct tdx_module *m, uint64_t id, int entry,
			unsigned elem, bool guest)
{
	if (elem + 1 < md_sys_entry_elements(entry))
		return (id & ~MD_FIELD_CODE_MASK) | (md_field_code(id) + 1);
	entry = guest ? md_sys_next_guest_entry(m, entry) : md_sys_next_entry(m, entry);
	return entry < 0 ? MD_NULL_ID : md_sys_entry(entry)->id;
}

uint64_t md_sys_read_element(const struct tdx_module *m, uint64_t *gpr, bool guest)
{
	uint64_t id = gpr[RDX] & ~MD_CONTEXT_BITS;   /* context forced to SYS */
	unsigned elem;
	int entry;

	gpr[RDX] = MD_NULL_ID;
	gpr[R8] = 0;
	if (md_is_null(id)) {
		entry = guest ? md_sys_next_guest_entry(m, -1) : md_sys_first_entry(m);
		gpr[RDX] = md_sys_entry(entry)->id;
		return TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT;
	}
	if (id & MD_SINGLE_ELEMENT_RESERVED)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	entry = md_sys_lookup(m, id, &elem);
	if (entry < 0)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	if (guest && !table[entry].guest_rd)
		return TDX_METADATA_FIELD_NOT_READABLE;
	gpr[R8] = md_sys_value(m, entry, elem);
	gpr[RDX] = next_id(m, id, entry, elem, guest);
	return TDX_SUCCESS;
}
