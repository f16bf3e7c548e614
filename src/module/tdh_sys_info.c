/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.INFO, the 1.0 way to learn the module: RCX = a 1024-byte
 * TDSYSINFO_STRUCT buffer and RDX its size, R8 = a CMR_INFO array and R9
 * its entries. It answers in any state but SHUTDOWN, on an LP that did
 * LP.INIT; the values are those TDH.SYS.RD reads. Out: RDX = 1024 and
 * R9 = 32 (both 0 until then); RCX and R8 keep their inputs.
 */
#include <string.h>

#include "module.h"
#include "metadata_sys.h"
#include "platform/platform_internal.h"

#define SYSINFO_SIZE       1024   /* sizeof(td_sys_info_t) */
#define CMR_INFO_ENTRIES   32     /* MAX_CMR */
#define CMR_INFO_SIZE      (CMR_INFO_ENTRIES * 16)

/* td_sys_info_t's layout (tdx-module tdx_1.5 include/tdx_api_defs.h). */
enum {
	OFF_VENDOR_ID = 4, OFF_BUILD_DATE = 8, OFF_BUILD_NUM = 12, OFF_MINOR = 14,
	OFF_MAJOR = 16, OFF_SYS_RD = 18, OFF_MAX_TDMRS = 32, OFF_MAX_RSVD = 34,
	OFF_PAMT_ENTRY = 36, OFF_TDCS_BASE = 48, OFF_TDVPS_BASE = 52,
	OFF_ATTR_FIXED0 = 64, OFF_ATTR_FIXED1 = 72, OFF_XFAM_FIXED0 = 80,
	OFF_XFAM_FIXED1 = 88, OFF_NUM_CPUID = 128, OFF_CPUID = 132,
};

static uint64_t md(const struct tdx_module *m, uint64_t id)
{
	unsigned e;
	int entry = md_sys_lookup(m, id, &e);

	return entry < 0 ? 0 : md_sys_value(m, entry, e);
}

static void put(uint8_t *b, unsigned off, uint64_t v, unsigned n)
{
	memcpy(b + off, &v, n);   /* little-endian, as the module writes it */
}

/* CPUID_CONFIG[i]: {leaf, subleaf, eax, ebx, ecx, edx}, 24 bytes each:
 * the directly configurable bits and the allowed ones this platform
 * has (tdh_sys_info), where TDH.SYS.RD reports the first kind only. */
static void put_cpuid(const struct tdx_module *m, uint8_t *b)
{
	put(b, OFF_NUM_CPUID, CPUID_NUM_CONFIG, 4);
	for (unsigned i = 0; i < CPUID_NUM_CONFIG && OFF_CPUID + 24 * (i + 1) <= SYSINFO_SIZE; i++) {
		const struct cpuid_configurable *c = &cpuid_configurable[i];
		const struct cpuid_regs *native = &m->cpuid_values[c->lookup];

		put(b, OFF_CPUID + 24 * i, cpuid_leaf_subleaf(c->leaf, c->subleaf), 8);
		put(b, OFF_CPUID + 24 * i + 8, cpuid_lo(&c->config_direct) |
		    (cpuid_lo(&c->allow_direct) & cpuid_lo(native)), 8);
		put(b, OFF_CPUID + 24 * i + 16, cpuid_hi(&c->config_direct) |
		    (cpuid_hi(&c->allow_direct) & cpuid_hi(native)), 8);
	}
}

static void fill_sysinfo(const struct tdx_module *m, uint8_t *b)
{
	put(b, OFF_VENDOR_ID, md(m, MD_SYS_VENDOR_ID), 4);
	put(b, OFF_BUILD_DATE, md(m, MD_SYS_BUILD_DATE), 4);
	put(b, OFF_BUILD_NUM, md(m, MD_SYS_BUILD_NUM), 2);
	put(b, OFF_MINOR, md(m, MD_SYS_MINOR_VERSION), 2);
	put(b, OFF_MAJOR, md(m, MD_SYS_MAJOR_VERSION), 2);
	/* "Use TDH.SYS.RD": a 1.0 module has none. */
	put(b, OFF_SYS_RD, m->profile != TDXSIM_PROFILE_1_0, 1);
	put(b, OFF_MAX_TDMRS, md(m, MD_SYS_MAX_TDMRS), 2);
	put(b, OFF_MAX_RSVD, md(m, MD_SYS_MAX_RESERVED_PER_TDMR), 2);
	put(b, OFF_PAMT_ENTRY, md(m, MD_SYS_PAMT_4K_ENTRY_SIZE), 2);
	put(b, OFF_TDCS_BASE, md(m, MD_SYS_TDCS_BASE_SIZE), 2);
	put(b, OFF_TDVPS_BASE, md(m, MD_SYS_TDVPS_BASE_SIZE), 2);
	put(b, OFF_ATTR_FIXED0, md(m, MD_SYS_ATTRIBUTES_FIXED0), 8);
	put(b, OFF_ATTR_FIXED1, md(m, MD_SYS_ATTRIBUTES_FIXED1), 8);
	put(b, OFF_XFAM_FIXED0, md(m, MD_SYS_XFAM_FIXED0), 8);
	put(b, OFF_XFAM_FIXED1, md(m, MD_SYS_XFAM_FIXED1), 8);
	put_cpuid(m, b);
}

/* tdh_sys_info: the LP check, RCX and RDX, then the buffer is zeroed
 * (a later R8 or R9 failure leaves it so), then R8 and R9. */
uint64_t tdh_sys_info(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t info = c->gpr[RCX], size = c->gpr[RDX], cmr = c->gpr[R8], n = c->gpr[R9];
	uint8_t buf[SYSINFO_SIZE] = { 0 }, cmrs[CMR_INFO_SIZE] = { 0 };

	c->gpr[RDX] = c->gpr[R9] = 0;
	if (!m->lp[c->lp].lp_is_init)
		return TDX_SYS_LP_INIT_NOT_DONE;
	if (!hpa_valid_shared(m, info, SYSINFO_SIZE, SYSINFO_SIZE))
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RCX);
	if (size < SYSINFO_SIZE)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_RDX);
	platform_mem_write(m->plat, info, buf, SYSINFO_SIZE);
	if (!hpa_valid_shared(m, cmr, CMR_INFO_SIZE, CMR_INFO_SIZE))
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R8);
	if (n < CMR_INFO_ENTRIES)
		return tdx_status_with_operand(TDX_OPERAND_INVALID, TDX_OPERAND_ID_R9);
	fill_sysinfo(m, buf);
	platform_mem_write(m->plat, info, buf, SYSINFO_SIZE);
	for (unsigned i = 0; i < m->n_cmrs && i < CMR_INFO_ENTRIES; i++) {
		memcpy(cmrs + 16 * i, &m->cmrs[i].base, 8);
		memcpy(cmrs + 16 * i + 8, &m->cmrs[i].size, 8);
	}
	platform_mem_write(m->plat, cmr, cmrs, CMR_INFO_SIZE);
	c->gpr[RDX] = SYSINFO_SIZE;
	c->gpr[R9] = CMR_INFO_ENTRIES;
	return TDX_SUCCESS;
}
