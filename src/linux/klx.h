/* SPDX-License-Identifier: MIT */
/*
 * The bridge between tdxsim and a kernel instance (docs/linux.md).
 *
 * A kernel instance is a shared object built from the user's kernel
 * source and the kernel environment of src/linux/kernel/; it is loaded
 * afresh for every boot, so the kernel's file-scope state belongs to one
 * boot. This header is the only thing both sides see: plain C types, no
 * tdxsim header and no kernel header, because the two disagree on names
 * such as struct tdx_module_args, u64 and seamcall.
 *
 * The instance reaches the machine only through struct klx_ops (filled
 * by the bridge, src/linux/bridge.c), and tdxsim drives the kernel only
 * through struct klx_kernel, which the instance's one exported symbol,
 * klx_kernel_entry(), returns.
 */
#ifndef TDXSIM_KLX_H
#define TDXSIM_KLX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KLX_ABI_VERSION 3
#define KLX_MAX_CPUS 256                 /* TDXSIM_MAX_LPS */
#define KLX_MAX_MEM_RANGES 256

/* The kernel's register block: struct tdx_module_args's members in order. */
enum { KLX_NR_ARGS = 13 };

/* Which of the kernel's SEAMCALL stubs made the call. */
enum klx_seamcall_kind {
	KLX_SEAMCALL = 0,          /* __seamcall: outputs discarded */
	KLX_SEAMCALL_RET,          /* __seamcall_ret: RCX, RDX, R8-R11 back */
	KLX_SEAMCALL_SAVED_RET,    /* __seamcall_saved_ret: every register */
};

struct klx_mem_range {
	uint64_t start, end;       /* [start, end), System RAM */
	int node;
};

struct klx_ops {
	void *ctx;
	/* One line of the kernel log, without its newline; level 0-7. */
	void (*log)(void *ctx, int level, const char *line);
	/* The SEAMCALL door on the calling thread's LP. */
	uint64_t (*seamcall)(void *ctx, uint64_t fn, uint64_t regs[KLX_NR_ARGS],
			     enum klx_seamcall_kind kind);
	/* CPUs are the platform's LPs. */
	unsigned (*nr_cpus)(void *ctx);
	int (*this_cpu)(void *ctx);                        /* -1: on none */
	bool (*cpu_online)(void *ctx, unsigned cpu);
	unsigned (*cpu_package)(void *ctx, unsigned cpu);
	int (*on_cpu)(void *ctx, unsigned cpu, int (*fn)(void *), void *arg);
	/* Give up the calling thread's CPU while it blocks, and take one
	 * back (the same if still online): a sleeping task's CPU runs
	 * something else. */
	int (*cpu_yield)(void *ctx);
	void (*cpu_resume)(void *ctx, int cpu);
	/* The platform's hotplug locks (which: 0 CPUs, 1 memory), shared
	 * with every other host on the machine; a waiter yields its CPU. */
	void (*hotplug_lock)(void *ctx, int which, bool write);
	void (*hotplug_unlock)(void *ctx, int which);
	int (*vmxon)(void *ctx);                           /* this CPU */
	int (*vmxoff)(void *ctx);
	bool (*rdmsr)(void *ctx, uint32_t msr, uint64_t *v);   /* this CPU */
	bool (*wrmsr)(void *ctx, uint32_t msr, uint64_t v);
	void (*cpuid)(void *ctx, unsigned cpu, uint32_t leaf, uint32_t sub,
		      uint32_t out[4]);
	void (*wbinvd)(void *ctx, unsigned cpu);
	/* Memory: the platform's RAM (memblock), host-backed pages, and
	 * MOVDIR64B of 64 bytes from src to pa. */
	unsigned (*mem_ranges)(void *ctx, struct klx_mem_range *out, unsigned max);
	unsigned (*nr_nodes)(void *ctx);
	int (*mem_adopt)(void *ctx, uint64_t pa, void *host, size_t len);
	int (*mem_release)(void *ctx, uint64_t pa, size_t len);
	int (*movdir64b)(void *ctx, uint64_t pa, const void *src);
	unsigned (*phys_bits)(void *ctx);
};

/* A tally the environment keeps for the bridge to report. */
struct klx_counts {
	unsigned warns;            /* WARN_ON* that fired */
	unsigned lockdep;          /* lockdep_assert_* that failed */
	unsigned bad_pa;           /* __pa() of a non-direct-map pointer */
	unsigned long long live_allocs, live_bytes;       /* the ledger */
	unsigned long long allocs, frees;
};

/* One live allocation in the ledger. */
struct klx_alloc {
	uint64_t pa, bytes;
	const char *kind;          /* "kmalloc", "alloc_pages_exact", ... */
};

struct klx_options {
	bool hibernation;          /* hibernation_available(): the kernel refuses TDX */
};

struct klx_kernel {
	unsigned abi;
	const char *release;       /* the tree's kernel release it was built from */
	int (*setup)(const struct klx_ops *ops, const struct klx_options *o);
	void (*teardown)(void);
	/* Early boot: the kernel's tdx_init(). */
	void (*tdx_init)(void);
	/* KVM's module load: VMXON and tdx_cpu_enable() (interrupts off) on
	 * every online CPU, then tdx_enable() under cpus_read_lock(). */
	int (*kvm_bringup)(void);
	/* tdx_enable() again, under cpus_read_lock(). */
	int (*tdx_enable)(void);
	/* tdx_enable() by a caller that breaks its contract: no
	 * cpus_read_lock() (the kernel's lockdep assertion fires). */
	int (*tdx_enable_unlocked)(void);
	/* A CPU coming online after bring-up: VMXON + tdx_cpu_enable(),
	 * called with the platform's CPU-hotplug lock held for writing by
	 * the caller, who brought the CPU up under it. */
	int (*cpu_online)(unsigned cpu);
	/* Memory onlining through the kernel's notifier chain; 0 or the
	 * errno online_pages() would return. */
	int (*memory_online)(uint64_t start, uint64_t size, int node);
	/* tdx_dump_mce_info() for a machine check at pa. */
	const char *(*dump_mce_info)(uint64_t pa, uint64_t status, uint64_t misc);
	void (*counts)(struct klx_counts *out);
	unsigned (*ledger)(struct klx_alloc *out, unsigned max);
};

typedef const struct klx_kernel *(*klx_entry_fn)(void);
#define KLX_ENTRY_SYMBOL "klx_kernel_entry"

#endif
