/* SPDX-License-Identifier: MIT */
/*
 * The host-state auditor: a snapshot of every MSR an LP implements and of
 * every non-MSR register (enum tdxsim_reg), and a comparison of two
 * snapshots that names what changed. Tests take one before the vCPU runs
 * and one after KVM's restore (docs/vmm.md "Host state across a TD exit").
 */
#ifndef TDXSIM_VMM_HOST_AUDIT_H
#define TDXSIM_VMM_HOST_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdxsim/platform.h"

#define HOST_AUDIT_MAX_MSRS 256

struct host_audit_snapshot {
	unsigned lp;
	unsigned n_msrs;
	bool truncated;                /* the LP had more MSRs than fit */
	uint32_t msr[HOST_AUDIT_MAX_MSRS];
	uint64_t msr_val[HOST_AUDIT_MAX_MSRS];
	uint64_t reg[TDXSIM_REG_NR];
};

void host_audit_snapshot(struct platform *p, unsigned lp,
			 struct host_audit_snapshot *s);
/*
 * The number of differences (an MSR or register whose value changed, or an
 * MSR present in only one snapshot). Writes one line per difference, e.g.
 * "IA32_LSTAR (0xc0000082): 0xffffffff81000000 -> 0x0", into report
 * (NUL-terminated, cut short when len is too small; may be NULL).
 */
unsigned host_audit_compare(const struct host_audit_snapshot *before,
			    const struct host_audit_snapshot *after,
			    char *report, size_t len);

#endif
