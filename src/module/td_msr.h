/* SPDX-License-Identifier: MIT */
/*
 * The guest's RDMSR/WRMSR (tdx-module tdx_1.5 td_msr_access.c): the MSR
 * bitmaps decide whether an access exits to the module; the exit
 * handlers emulate, inject #GP(0) or raise a #VE for the VMM.
 */
#ifndef TDXSIM_MODULE_TD_MSR_H
#define TDXSIM_MODULE_TD_MSR_H

#include "msr_lookup.h"
#include "td_run.h"

/* td_msr_access_status_t. */
enum msr_outcome { MSR_DONE, MSR_GP, MSR_VE };

/* td_msr_bitmaps.c */
bool msr_in_bitmap(uint32_t msr);
bool msr_bitmap_exits(const uint8_t *page, uint32_t msr, bool write);
uint64_t msr_platform_perf_cap(struct tdx_module *m);
void msr_bitmaps_init(struct tdx_module *m, const struct tdcs *t,
		      const struct tdcs_cpuid *c, uint8_t *page);

/* td_msr_native.c: the MSRs the guest reaches without an exit, and the
 * TD VMCS guest fields the exit handlers read and write. */
bool msr_native_faults(uint32_t msr, bool write);
uint64_t msr_native_read(struct tdx_vcpu *gv, uint32_t msr);
void msr_native_write(struct tdx_vcpu *gv, uint32_t msr, uint64_t value);

/* td_msr_exit.c: td_rdmsr_exit / td_wrmsr_exit. */
enum msr_outcome msr_rd_exit(struct tdx_vcpu *gv, uint32_t msr, uint64_t *value);
enum msr_outcome msr_wr_exit(struct tdx_vcpu *gv, uint32_t msr, uint64_t value);

#endif
