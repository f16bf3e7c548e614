/* SPDX-License-Identifier: MIT */
/* The guest's instructions: TDCALL and memory access, with the TD facts
 * TDG.VP.INFO gave at boot. */
#include "guest_internal.h"

uint64_t tdx_tdcall(struct tdx_guest *g, uint64_t gpr[16])
{
	return tdcall(g->cpu, gpr);
}

void tdx_read(struct tdx_guest *g, uint64_t gpa, void *buf, size_t len)
{
	tdx_cpu_access(g->cpu, gpa, buf, len, false);
}

void tdx_write(struct tdx_guest *g, uint64_t gpa, const void *buf, size_t len)
{
	tdx_cpu_access(g->cpu, gpa, (void *)buf, len, true);
}

unsigned tdx_vcpu_index(const struct tdx_guest *g)
{
	return g->vcpu_index;
}

unsigned tdx_nr_vcpus(const struct tdx_guest *g)
{
	return g->nr_vcpus;
}

uint64_t tdx_attributes(const struct tdx_guest *g)
{
	return g->attributes;
}

uint64_t tdx_shared_bit(const struct tdx_guest *g)
{
	return 1ULL << (g->gpaw - 1);
}

uint64_t tdx_accept(struct tdx_guest *g, uint64_t gpa, unsigned level)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_MEM_PAGE_ACCEPT, [TDX_GPR_RCX] = gpa | level };

	return tdx_tdcall(g, gpr);
}
