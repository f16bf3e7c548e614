/* SPDX-License-Identifier: MIT */
/* Linux in the loop against src/host/: boot both, compare everything
 * (tests/helpers/linux_compare.c). cmocka assertions fire inside. */
#ifndef TDXSIM_TEST_LINUX_COMPARE_H
#define TDXSIM_TEST_LINUX_COMPARE_H

#include "helpers/machine.h"
#include "tdxsim/linux.h"

struct lboot {
	struct platform *p;
	struct tdxsim_linux *l;
	int ret;
};

/* A fault both hosts get: a status injection (nth > 0: the nth call of
 * leaf fails with status), one of the module's own (count > 0: the next
 * count occurrences of kind fail), and LPs offline at boot (bit n: LP n). */
struct fault {
	uint64_t leaf, status;
	unsigned nth;
	enum tdxsim_inject kind;
	unsigned count;
	uint64_t offline_lps;
	bool no_invariants;        /* terabyte boots: no per-SEAMCALL check */
};

/* Arms f (if any) on p. */
void arm(struct platform *p, const struct fault *f);
/* The kernel alone: tdx_init() and KVM's bring-up, f armed first. */
struct lboot linux_boot_faulted(const struct tdxsim_platform_config *c,
				const struct fault *f);
struct lboot linux_boot(const struct tdxsim_platform_config *c);
void linux_done(struct lboot *b);
/*
 * Both hosts on the platform, f armed on both: the same outcome, the same
 * TDMR_INFO entries handed to TDH.SYS.CONFIG, the same log and the same
 * SEAMCALLs (leaf, CPU, status, in order); after a failure the kernel
 * holds no allocation, no PAMT line is TD-owned, and where the failure
 * was inside tdx_enable() a second one is -EINVAL on both with no
 * SEAMCALL. want_pamt_kb: the PAMT total to expect (0: any). Returns the
 * outcome.
 */
int compare_faulted(const struct tdxsim_platform_config *c, const struct fault *f,
		    uint64_t want_pamt_kb);
/* compare_faulted with no fault, which must succeed. */
void compare_with_host(const struct tdxsim_platform_config *c, uint64_t want_pamt_kb);
/* Both hosts boot c, then online each range of r (hot-added memory)
 * through the kernel's notifier chain and through src/host's (strict):
 * the same answer each time. Returns how many both refused (-EPERM). */
int compare_memory_online(const struct tdxsim_platform_config *c,
			  const struct tdxsim_mem_range *r, unsigned n);

#endif
