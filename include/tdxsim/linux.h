/* SPDX-License-Identifier: MIT */
/*
 * Linux in the loop (docs/linux.md): the real kernel's TDX host code,
 * built from a kernel tree against tdxsim's kernel environment, running
 * on a simulated platform through the SEAMCALL door.
 *
 * A struct tdxsim_linux is one boot: it loads a fresh copy of the kernel
 * object, so the kernel's file-scope state (tdx_module_status, the TDMR
 * list, sysinit_done, the per-CPU flags) starts anew and belongs to this
 * boot alone; many boots, of one platform or several, may live in one
 * program. Kernel code runs on the calling thread, bound to an LP: the
 * calls below bind an unbound caller to CPU 0 for their duration.
 *
 * The kernel object is GPL-2.0 (it contains the kernel's code); this
 * header and the bridge behind it are not, and link no kernel code.
 */
#ifndef TDXSIM_LINUX_H
#define TDXSIM_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tdxsim/abi.h"
#include "tdxsim/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tdxsim_linux_options {
	const char *kernel_object;   /* NULL: the build's (tdxsim_linux_default_object) */
	FILE *log;                   /* the kernel log as it is printed; NULL: none */
	bool timestamps;             /* "[    0.001234] " like dmesg */
	bool hibernation;            /* hibernation_available(): TDX is refused */
};

/* The kernel object this build made from its tree, or NULL if none. */
const char *tdxsim_linux_default_object(void);
/* Builds a kernel object at out from the kernel tree ksrc (only read),
 * with this build's compiler, flags and environment: what `--ksrc DIR`
 * does. 0, or -errno with the reason (the compiler's messages) in err. */
int tdxsim_linux_build(const char *ksrc, const char *out, char *err, size_t errlen);

struct tdxsim_linux;

struct tdxsim_linux *tdxsim_linux_create(struct platform *p,
					 const struct tdxsim_linux_options *o,
					 char *err, size_t errlen);
void tdxsim_linux_destroy(struct tdxsim_linux *l);

/* The kernel release the object was built from ("6.12.118"). */
const char *tdxsim_linux_release(const struct tdxsim_linux *l);

/* Early boot: the kernel's tdx_init(). */
void tdxsim_linux_tdx_init(struct tdxsim_linux *l);
/* KVM's module load (VMXON and tdx_cpu_enable() on every online CPU,
 * then tdx_enable() under cpus_read_lock()): 0 or the kernel's -errno. */
int tdxsim_linux_kvm_bringup(struct tdxsim_linux *l);
/* tdx_enable() once more, as a second KVM load would. */
int tdxsim_linux_tdx_enable(struct tdxsim_linux *l);
/* tdx_enable() from a caller that does not hold cpus_read_lock(): what
 * the kernel's lockdep assertion catches (counted, logged). */
int tdxsim_linux_tdx_enable_unlocked(struct tdxsim_linux *l);
/* Onlines an offline LP: the kernel's online callbacks (VMXON,
 * tdx_cpu_enable()) run on it; on failure it goes back offline. */
int tdxsim_linux_cpu_online(struct tdxsim_linux *l, unsigned cpu);
/* Hot-adds and onlines [start, start+size) on node through the kernel's
 * memory notifier chain: 0, or -EPERM when a notifier refuses it. */
int tdxsim_linux_memory_online(struct tdxsim_linux *l, uint64_t start,
			       uint64_t size, int node);
/* tdx_dump_mce_info() for a memory machine check at pa with usable
 * address; NULL when the kernel adds nothing. */
const char *tdxsim_linux_mce_info(struct tdxsim_linux *l, uint64_t pa);

/* What the kernel handed the module with TDH.SYS.CONFIG (the last one),
 * read from the TDMR_INFO entries in simulated memory: the ABI's entry
 * (tdxsim/abi.h) and how many reserved areas it uses. */
struct tdxsim_linux_tdmr {
	struct tdmr_info_entry info;
	unsigned n_rsvd;
};
unsigned tdxsim_linux_tdmrs(const struct tdxsim_linux *l,
			    const struct tdxsim_linux_tdmr **out);
uint64_t tdxsim_linux_pamt_bytes(const struct tdxsim_linux *l);
/* TDH.SYS.CONFIG's operands as the module reads them (RCX: the PA array,
 * RDX: how many): the entries from simulated memory, at most max; returns
 * how many were read. Any host's CONFIG can be captured with it. */
unsigned tdxsim_read_tdmr_config(struct platform *p, uint64_t pa_array, uint64_t n,
				 struct tdxsim_linux_tdmr *out, unsigned max);

/* Every SEAMCALL the kernel made, in order. */
struct tdxsim_linux_seamcall {
	uint64_t fn, status;
	int cpu;
};
size_t tdxsim_linux_seamcalls(const struct tdxsim_linux *l,
			      const struct tdxsim_linux_seamcall **out);

/* The log so far, lines without timestamps, each ending in '\n'. */
const char *tdxsim_linux_log(const struct tdxsim_linux *l);

/* The environment's tallies: WARN_ON*s that fired, failed lockdep
 * assertions, and the allocation ledger (live = not freed yet). */
struct tdxsim_linux_counts {
	unsigned warns, lockdep, bad_pa;
	unsigned long long allocs, frees, live_allocs, live_bytes;
};
void tdxsim_linux_counts(const struct tdxsim_linux *l,
			 struct tdxsim_linux_counts *out);
/* The live allocations: writes at most max, returns how many there are. */
struct tdxsim_linux_alloc {
	uint64_t pa, bytes;
	const char *kind;
};
unsigned tdxsim_linux_ledger(const struct tdxsim_linux *l,
			     struct tdxsim_linux_alloc *out, unsigned max);

#ifdef __cplusplus
}
#endif
#endif
