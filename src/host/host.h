/* SPDX-License-Identifier: MIT */
/*
 * The host kernel's TDX support (linux §3), running on a simulated
 * platform and reaching the module only through seamcall(): tdx_init,
 * per-CPU init, tdx_enable() with its TDMR/PAMT construction and unwind,
 * CPU and memory hotplug, and the page allocator TDs draw from.
 *
 * Threads act as CPUs: a host function that Linux runs "on a CPU" runs
 * on the calling thread's bound LP, and package-wide work hops with
 * platform_on_lp() as Linux uses smp_call_on_cpu().
 */
#ifndef TDXSIM_HOST_H
#define TDXSIM_HOST_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

#include "tdxsim/platform.h"
#include "tdxsim/seamcall.h"
#include "page_alloc.h"
#include "tdmr_plan.h"

enum memhp_policy {
	MEMHP_STRICT = 0,   /* Linux: only memory inside the TDX list */
	MEMHP_REPORT,       /* online anything; TDs get TDX memory only */
};

const char *memhp_policy_name(enum memhp_policy p);
bool memhp_policy_parse(const char *name, enum memhp_policy *out);

enum tdx_module_status {
	TDX_MODULE_UNINITIALIZED = 0,
	TDX_MODULE_INITIALIZED,
	TDX_MODULE_ERROR,
};

/* The kernel whose TDX host code src/host/ follows (docs/linux.md). */
enum host_kernel {
	HOST_KERNEL_MAINLINE = 0,  /* 6.16+: the metadata KVM needs, the version line */
	HOST_KERNEL_6_12,          /* 6.12: five TDMR fields, no version line */
};
const char *host_kernel_name(enum host_kernel k);
bool host_kernel_parse(const char *name, enum host_kernel *out);

struct host_options {
	FILE *log;                     /* kernel log; NULL: none */
	enum host_kernel kernel;
	/* Called after each SEAMCALL with its input registers (tests). */
	void (*on_seamcall)(void *arg, uint64_t leaf, const struct tdx_module_args *in,
			    uint64_t status, int cpu);
	void *on_seamcall_arg;
	bool timestamps;               /* "[    0.001234] " like dmesg */
	enum tdmr_policy policy;
	enum memhp_policy memhp;
};

/* Global metadata the kernel reads with TDH.SYS.RD (linux §3.4). */
struct tdx_sys_info {
	uint16_t major, minor, update;
	uint64_t features0;
	struct tdmr_limits limits;
	uint16_t tdr_base_size, tdcs_base_size, tdvps_base_size;
	uint64_t attributes_fixed0, attributes_fixed1;
	uint64_t xfam_fixed0, xfam_fixed1;
	uint16_t num_cpuid_config, max_vcpus_per_td;
	unsigned num_cmrs;
	struct tdxsim_cmr cmrs[TDXSIM_MAX_CMRS];
};

/* One difference found by the per-CPU compatibility check. */
struct cpu_compat_diff {
	unsigned lp, ref_lp;
	char field[48];                /* "MSR 0x48d" or "CPUID 0x7.0 EBX" */
	uint64_t value, ref_value;
};

#define HOST_MAX_COMPAT_DIFFS 32

/* A SEAMCALL count per CPU, written only by the thread on that CPU, so a
 * SEAMCALL pays no locked instruction and no shared line (percpu
 * counters, as Linux keeps statistics); the last slot counts calls made
 * off any CPU. host_seamcalls() sums them. */
struct host_cpu_count {
	_Atomic uint64_t n;
	char pad[56];
};

struct host_stats {
	struct host_cpu_count seamcalls[TDXSIM_MAX_LPS + 1];
	_Atomic uint64_t tdmr_init_calls;
	uint64_t init_ns;              /* tdx_enable's init_tdx_module */
};

struct host {
	struct platform *p;
	struct host_options opt;
	pthread_mutex_t log_lock;
	uint64_t t0_ns;

	struct page_alloc *pages;
	/* Online RAM: memblock. What tdx_enable turns into the TDX list. */
	struct tdx_memlist memblock;

	/* This host's holds of the platform's CPU-hotplug lock, for the
	 * lockdep-style check of tdx_enable()'s contract. */
	_Atomic int cpuhp_readers;

	/* tdx_init (linux §3.1) */
	bool tdx_platform;
	uint32_t global_keyid, guest_keyid_start, nr_guest_keyids;
	_Atomic unsigned nr_configured_hkid;   /* TD KeyIDs in use */

	/* per-CPU init (linux §3.3) */
	pthread_mutex_t sysinit_lock;
	bool sysinit_done;
	int sysinit_ret;
	_Atomic bool lp_initialized[TDXSIM_MAX_LPS];
	uint64_t lp_init_status[TDXSIM_MAX_LPS];   /* last failed LP.INIT */
	bool virt_enabled;                 /* onlining a CPU does VMXON + init */

	/* tdx_enable (linux §3.5) */
	pthread_mutex_t tdx_module_lock;
	enum tdx_module_status status;
	int init_error;                        /* the first failure's errno */
	/* The first SEAMCALL that failed with a module status, so a tool can
	 * name what the kernel's log line gives only as numbers. */
	bool sc_failed;
	uint64_t sc_failed_leaf, sc_failed_status;
	char init_msg[200];
	struct tdx_sys_info sysinfo;
	struct tdx_memlist tdx_memlist;        /* empty until initialised */
	struct tdmr_plan *plan;
	uint64_t tdmr_array_pa, tdmr_array_bytes;

	/* per-CPU compatibility (KVM's hardware setup) */
	pthread_mutex_t compat_lock;
	bool compat_checked, compat_ok;
	unsigned n_compat_diffs;
	struct cpu_compat_diff compat_diffs[HOST_MAX_COMPAT_DIFFS];

	struct host_stats stats;
};

/* host.c */
struct host *host_create(struct platform *p, const struct host_options *o,
			 char *err, size_t errlen);
void host_destroy(struct host *h);
void host_log(struct host *h, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define tdx_info(h, ...) host_log(h, "virt/tdx: ", __VA_ARGS__)
#define tdx_err(h, ...)  host_log(h, "virt/tdx: ", __VA_ARGS__)
/* CLOCK_MONOTONIC in ns, for the log's timestamps and the stats. */
uint64_t host_now_ns(void);
/* Lock, giving up the calling thread's LP while waiting (host.c). */
void host_mutex_lock(struct host *h, pthread_mutex_t *m);
void host_rwlock_lock(struct host *h, pthread_rwlock_t *l, bool write);
/* The calling thread's LP; the host's code runs only on bound threads. */
unsigned host_this_cpu(const struct host *h);
/* SEAMCALLs issued so far, summed over the CPUs. */
uint64_t host_seamcalls(const struct host *h);

/* host_seamcall.c: the kernel's SEAMCALL wrappers (linux §2.6). */
uint64_t host_sc_retry(struct host *h, uint64_t leaf,
		       struct tdx_module_args *args);
/* sc_retry + the errno mapping of seamcall_prerr(); _ret also dumps the
 * output registers of a failed call. */
int host_sc_prerr(struct host *h, uint64_t leaf, struct tdx_module_args *args);
int host_sc_prerr_ret(struct host *h, uint64_t leaf,
		      struct tdx_module_args *args);
int host_sc_prerr_status(struct host *h, uint64_t leaf,
			 struct tdx_module_args *args, uint64_t *status);

/* tdx_init.c */
int host_tdx_init(struct host *h);

/* tdx_cpu.c: tdx_cpu_enable() on the calling LP, with VMX on. */
int host_tdx_cpu_enable(struct host *h);

/* tdx_sysinfo.c: what tdx_enable() reads; for 6.12 the five TDMR
 * fields only, and the rest (what a TD needs) with
 * host_tdx_read_td_sys_info() as KVM does once TDX is up. */
int host_tdx_read_sys_info(struct host *h, struct tdx_sys_info *out);
int host_tdx_read_td_sys_info(struct host *h, struct tdx_sys_info *out);

/* tdx_enable.c: the caller holds cpus_read_lock and has run
 * tdx_cpu_enable() on every online LP (checked). */
int host_tdx_enable(struct host *h);
enum tdx_module_status host_tdx_module_status(struct host *h);

/* cpuhp.c */
void host_cpus_read_lock(struct host *h);
void host_cpus_read_unlock(struct host *h);
/* VMXON + tdx_cpu_enable() on every online LP (KVM's bring-up). */
int host_enable_virt_all(struct host *h);
int host_cpu_online(struct host *h, unsigned lp);
int host_cpu_offline(struct host *h, unsigned lp);

/* cpu_compat.c: KVM's per-CPU check; fills h->compat_diffs. */
int host_cpu_compat_check(struct host *h);
/* 0 when a TD may be created; else why not, with a message logged. */
int host_td_creation_allowed(struct host *h);

/* memhp.c */
/* 0, -EINVAL for a bad range or node, or -EPERM when the TDX notifier
 * refuses it (what online_pages() returns then). */
int host_memory_online(struct host *h, uint64_t start, uint64_t size,
		       unsigned node);
int host_memory_offline(struct host *h, uint64_t start, uint64_t size);
/* A page (or range) for a TD: TDX memory only. */
int host_alloc_td_pages(struct host *h, unsigned node, uint64_t bytes,
			uint64_t *pa);
/* -EINVAL with a clear message when [pa, pa+bytes) is not TDX memory. */
int host_check_td_memory(struct host *h, uint64_t pa, uint64_t bytes);

/* boot.c: what `tdxsim boot` does: tdx_init, VMXON and per-CPU init on
 * every online LP, tdx_enable, the compatibility check. */
int host_boot(struct host *h);
/* Only what the kernel's own code runs of that: tdx_init, VMXON and
 * per-CPU init, tdx_enable (held against Linux in the loop). */
int host_bringup(struct host *h);
/* tdx_enable() as KVM calls it, under cpus_read_lock(); arg is the host
 * (a platform_on_lp() callback). */
int host_tdx_enable_locked(void *arg);

#endif
