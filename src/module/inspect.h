/* SPDX-License-Identifier: MIT */
/*
 * Inspection API: read-only views of module state for tests and
 * invariant checks. Production paths (host/, vmm/, cli/) never use it.
 */
#ifndef TDXSIM_INSPECT_H
#define TDXSIM_INSPECT_H

#include <stdbool.h>
#include <stdint.h>

struct platform;

int tdx_inspect_sys_state(struct platform *p);          /* enum tdx_sys_state */
unsigned tdx_inspect_num_init_lps(struct platform *p);
unsigned tdx_inspect_num_init_pkgs(struct platform *p);
bool tdx_inspect_lp_is_init(struct platform *p, unsigned lp);
unsigned tdx_inspect_kot_state(struct platform *p, unsigned hkid);
unsigned tdx_inspect_num_tdmrs(struct platform *p);
uint64_t tdx_inspect_tdmr_last_initialized(struct platform *p, unsigned tdmr);
uint16_t tdx_inspect_global_hkid(struct platform *p);
/* Word 0 of the PAMT entry for pa at a level, read through the global
 * KeyID (0 when pa is outside every TDMR). */
uint64_t tdx_inspect_pamt_word(struct platform *p, unsigned level, uint64_t pa);
/* MRTD of the TD whose TDR is at tdr_pa (abi §5.8), read through the
 * module's keyholes. false when tdr_pa is not a TDR page or its TDCS is
 * not allocated. Before TDH.MR.FINALIZE the value is all zeros. */
bool tdx_inspect_td_mrtd(struct platform *p, uint64_t tdr_pa, uint8_t out[48]);
/* PAMT entries (4K, 2M, 1G) whose page is assigned to a TD: zero when
 * no TD page exists anywhere. */
uint64_t tdx_inspect_count_assigned(struct platform *p);
/* Full PAMT check over every initialised TDMR byte; aborts on a violation. */
void tdx_inspect_check_all(struct platform *p);
/* The per-SEAMCALL invariant check of test builds, on (the default) or
 * off for one platform: a test that boots terabytes turns it off and
 * checks what it needs itself. */
void tdx_inspect_set_invariants(struct platform *p, bool on);

#endif
