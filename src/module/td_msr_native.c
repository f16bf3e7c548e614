/* SPDX-License-Identifier: MIT */
/*
 * MSRs the TD reaches natively. On the real CPU these are the LP's own
 * MSRs, which the module loads from TDVPS on TD entry and saves on exit;
 * here the TDVPS copy is the MSR, so the host's values are never touched
 * and each vCPU keeps its own. Exceptions that the module does not
 * context-switch read the LP's value; IA32_TSC reads the TD's virtual TSC.
 */
#include <time.h>

#include "td.h"
#include "td_msr.h"
#include "tdxsim/platform.h"

#define PAT_INIT  0x0007040600070406ULL  /* tdx_1.5 td_vmcs_init.c */
/* td_vmcs_init.c's 0x901 (SCE, LME, NXE) with LMA, which VM entry sets
 * for a 64-bit guest. */
#define EFER_INIT 0xD01ULL
#define NS_PER_S  1000000000ULL

static struct tdvps_msrs *store_of(struct tdx_vcpu *gv)
{
	return (struct tdvps_msrs *)(gv->v->tdvpr + TDVPS_GUEST_MSR_OFFSET);
}

/* The 64-bit slot of an MSR in TDVPS pages 2 to 4. */
static uint64_t *slot_of(struct tdx_vcpu *gv, int slot)
{
	unsigned per_page = (unsigned)(PAGE_4K / 8);
	uint64_t *page = (uint64_t *)td_map(gv->m, gv->v->mgmt->tdvps_pa[TDVPS_PAGE_MSRS + slot / per_page],
				gv->v->td.tdr->hkid);

	return page + slot % per_page;
}

/* The TD's TSC ticks at TSC_FREQUENCY x 25 MHz (the CPU scales the
 * native TSC by TSC_MULTIPLIER and adds TSC_OFFSET); tdxsim's native TSC
 * is the host's monotonic clock. */
static uint64_t virtual_tsc(struct tdx_vcpu *gv)
{
	const struct tdcs *t = gv->v->td.tdcs;
	uint64_t hz = (uint64_t)t->tsc_frequency * TDX_TSC_FREQ_UNIT_HZ;
	struct timespec ts;
	unsigned __int128 ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (unsigned __int128)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
	return (uint64_t)(ns * hz / NS_PER_S) + t->tsc_offset;
}

/* Package- or platform-scoped MSRs the module leaves alone. */
static bool lp_scoped(uint32_t msr)
{
	return msr == TDMSR_MISC_ENABLE || msr == TDMSR_PERF_CAPABILITIES ||
	       msr == TDMSR_MISC_PACKAGE_CTLS || msr == TDMSR_DEBUG_INTERFACE;
}

static uint64_t initial_value(struct tdx_vcpu *gv, uint32_t msr)
{
	uint64_t v = 0;

	if (msr == MSR_IA32_PAT)
		return PAT_INIT;
	if (msr == MSR_IA32_EFER)
		return EFER_INIT;
	if (lp_scoped(msr))
		platform_rdmsr(gv->m->plat, gv->lp, msr, &v);
	return v;
}

/* The CPU's own #GP for a native access: the command MSRs are write-
 * only, the enumeration MSRs the module passes writes of are read-only
 * (SDM vol 4). Kept: other reserved-bit checks of native writes. */
bool msr_native_faults(uint32_t msr, bool write)
{
	if (write)
		return msr == MSR_IA32_ARCH_CAPABILITIES || msr == TDMSR_XAPIC_DISABLE_STATUS;
	return msr == TDMSR_PRED_CMD || msr == TDMSR_FLUSH_CMD;
}

uint64_t msr_native_read(struct tdx_vcpu *gv, uint32_t msr)
{
	const struct tdvps_msrs *s = store_of(gv);
	int slot = msr_native_slot(msr);

	if (msr == TDMSR_TSC)
		return virtual_tsc(gv);
	if (slot >= 0 && slot < TDVPS_MSR_SLOTS && (s->written[slot / 64] >> (slot % 64) & 1))
		return *slot_of(gv, slot);
	return initial_value(gv, msr);
}

void msr_native_write(struct tdx_vcpu *gv, uint32_t msr, uint64_t value)
{
	struct tdvps_msrs *s = store_of(gv);
	int slot = msr_native_slot(msr);

	if (slot < 0 || slot >= TDVPS_MSR_SLOTS)
		return;   /* outside the table: the bitmap lets no write through */
	*slot_of(gv, slot) = value;
	s->written[slot / 64] |= 1ULL << (slot % 64);
}
