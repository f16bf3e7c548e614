/* SPDX-License-Identifier: MIT */
/* Test helpers: small machines and SEAMCALLs on a chosen LP. cmocka
 * assertions fire inside, so call them from a cmocka test only. */
#ifndef TDXSIM_TEST_MACHINE_H
#define TDXSIM_TEST_MACHINE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tdxsim/tdxsim.h"
#include "host/tdmr_plan.h"
#include "module/inspect.h"

/* pkgs x lps, RAM [1 MiB, ram_gib GiB) on node 0 plus [0, 640K), profile. */
void small_config(struct tdxsim_platform_config *c, unsigned pkgs,
		  unsigned lps, unsigned ram_gib, enum tdxsim_profile prof);
/* Gives LP lp a different value of one MSR (a new, single override). */
/* c's only override: LP lp's CPUID leaf/subleaf reads r. */
void override_cpuid(struct tdxsim_platform_config *c, unsigned lp,
		    struct tdxsim_cpuid_override r);
void override_msr(struct tdxsim_platform_config *c, unsigned lp,
		  uint32_t msr, uint64_t value);
struct platform *machine_new(const struct tdxsim_platform_config *c);

/* SEAMCALL on an LP (binding the test thread there for the call). */
uint64_t sc_on(struct platform *p, unsigned lp, uint64_t leaf,
	       struct tdx_module_args *a);
/* Same with zeroed arguments. */
uint64_t sc0(struct platform *p, unsigned lp, uint64_t leaf);

void vmxon_all(struct platform *p);
/* VMXON everywhere, SYS.INIT on LP 0, LP.INIT on every LP; asserts. */
void sys_init_all(struct platform *p);
/* Plans TDMRs like the host and writes TDMR_INFO entries + the pointer
 * array at array_pa (entries at array_pa + 0x1000, stride 512). */
void plan_and_write(struct platform *p, struct tdmr_plan *b, uint64_t array_pa);
/* TDH.SYS.CONFIG with the planned TDMRs; returns the status. */
uint64_t do_config(struct platform *p, struct tdmr_plan *b);
/* KEY.CONFIG on the first LP of every package; asserts success. */
void key_config_all(struct platform *p);
/* Everything up to READY (no TDMR.INIT). */
void bring_to_ready(struct platform *p, struct tdmr_plan *b);
/* TDMR.INIT loops for every TDMR; asserts. */
void tdmr_init_all(struct platform *p, const struct tdmr_plan *b);

#define TEST_ARRAY_PA 0x200000ULL

#endif
