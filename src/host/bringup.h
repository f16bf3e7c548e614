/* SPDX-License-Identifier: MIT */
/*
 * Host-side global bring-up of the TDX module, through the seamcall()
 * door only: VMXON and TDH.SYS.INIT / LP.INIT on every LP, TDMRs built
 * from the memory map, TDH.SYS.CONFIG, KEY.CONFIG per package and the
 * TDH.SYS.TDMR.INIT loops. It follows Linux's order and TDMR fill rule
 * (one TDMR per 1 GiB-rounded RAM region); the full kernel model with
 * hotplug and policies is built on top of it.
 */
#ifndef TDXSIM_HOST_BRINGUP_H
#define TDXSIM_HOST_BRINGUP_H

#include <stdio.h>

#include "tdxsim/abi.h"
#include "tdxsim/platform.h"

#define HOST_MAX_TDMRS 64

struct host_tdmr {
	struct tdmr_info_entry info;
	unsigned n_rsvd;
};

struct host_bringup {
	FILE *log;                     /* kernel-style log lines; may be NULL */
	unsigned n_tdmrs;
	struct host_tdmr tdmr[HOST_MAX_TDMRS];
	uint64_t pamt_bytes;
	uint64_t seamcalls;
	uint64_t tdmr_init_calls;
	uint64_t failed_leaf, failed_status;   /* the SEAMCALL that failed */
	char error[160];
};

/* Plans TDMRs, PAMTs and reserved areas for the platform's RAM. */
int host_plan_tdmrs(const struct tdxsim_platform_config *cfg,
		    struct host_bringup *b);
/* The whole sequence; 0 on success, negative errno with b->error set. */
int host_bringup(struct platform *p, struct host_bringup *b);

#endif
