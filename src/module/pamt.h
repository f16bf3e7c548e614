/* SPDX-License-Identifier: MIT */
/*
 * PAMT geometry and access (abi §4.3). The PAMT lives in the simulated
 * physical memory the host handed over and is accessed with the global
 * private HKID, like the module does through its keyholes.
 */
#ifndef TDXSIM_PAMT_H
#define TDXSIM_PAMT_H

#include "module.h"

#define PAMT_1G_SHIFT 30
#define PAMT_2M_SHIFT 21
#define PAMT_4K_SHIFT 12

/* The TDMR containing pa, or -1. */
int pamt_tdmr_of(const struct tdx_module *m, uint64_t pa);
/* pamt_get_block: TDX_SUCCESS, or TDX_OPERAND_ADDR_RANGE_ERROR when pa is
 * not in a TDMR or its 1 GiB block's PAMT is not wholly initialised. */
uint64_t pamt_get_block(const struct tdx_module *m, uint64_t pa, int *tdmr);
/* Physical address of the PAMT entry for pa at a level (TDX_PS_*). */
uint64_t pamt_entry_pa(const struct tdmr_entry *t, unsigned level, uint64_t pa);
/* Host pointer to the entry's two words, through the global-HKID keyhole. */
_Atomic uint64_t *pamt_entry_map(struct tdx_module *m, uint64_t entry_pa);
/* Read-only view of an entry's first word (absent frames read as zero). */
uint64_t pamt_entry_peek(struct tdx_module *m, uint64_t entry_pa);
/* Whether a 4K page of a TDMR lies in one of its reserved areas. */
bool tdmr_page_reserved(const struct tdmr_entry *t, uint64_t pa);

/* TDMR.INIT's unit of work: the 4 MiB at t->last_initialized. */
void pamt_init_chunk(struct tdx_module *m, struct tdmr_entry *t);

#endif
