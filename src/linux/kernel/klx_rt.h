/* SPDX-License-Identifier: MIT */
/*
 * The kernel environment's runtime: what the kernel API headers under
 * include/ call, implemented by rt_*.c over struct klx_ops. Plain C types
 * only, since both the kernel side (kernel headers) and the runtime side
 * (libc headers) include it.
 */
#ifndef KLX_RT_H
#define KLX_RT_H

/* printk: a whole message, with its KERN_<LEVEL> prefix if any. */
int klx_vprintk(const char *fmt, __builtin_va_list ap);
/* The kernel's printk() itself, defined by the runtime. */
int printk(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));
/* WARN_ON* and lockdep_assert_*: counted, and logged as the kernel does. */
void klx_warn(const char *file, int line, const char *cond);
void klx_lockdep_fail(const char *file, int line, const char *what);

/* CPUs */
int klx_this_cpu(void);
unsigned klx_nr_cpu_ids(void);
int klx_cpu_online(unsigned cpu);
unsigned klx_cpu_package(unsigned cpu);
int klx_next_online_cpu(int cpu);
unsigned klx_num_online_cpus(void);
int klx_smp_call_on_cpu(unsigned cpu, int (*fn)(void *), void *arg);
void klx_local_irq_disable(void);
void klx_local_irq_enable(void);
int klx_irqs_disabled(void);
void klx_cpus_read_lock(void);
void klx_cpus_read_unlock(void);
int klx_cpus_held(void);
void klx_wbinvd_on_all_cpus(void);
void klx_wbinvd(void);
int klx_rdmsr_safe(unsigned msr, unsigned long long *v);
void klx_cpuid(unsigned leaf, unsigned sub, unsigned out[4]);

/* Locks: the storage is a zeroed block the runtime owns (KLX_LOCK_WORDS). */
#define KLX_LOCK_WORDS 8
void klx_mutex_lock(void *m);
int klx_mutex_trylock(void *m);
void klx_mutex_unlock(void *m);
int klx_mutex_is_locked(void *m);
void klx_spin_lock(void *l);
void klx_spin_unlock(void *l);
/* A full barrier as ThreadSanitizer understands one (a lock round trip). */
void klx_barrier(void);

/* Memory. Every allocation is whole pages of simulated RAM backing a host
 * buffer (so the module reads what the kernel wrote), and in the ledger. */
void *klx_kmalloc(unsigned long size, unsigned flags, const char *kind);
void klx_kfree(const void *p);
void *klx_alloc_pages_exact(unsigned long size, unsigned flags);
void klx_free_pages_exact(void *p, unsigned long size);
unsigned long klx_alloc_contig(unsigned long nr_pages, int nid);  /* pfn; 0: none */
void klx_free_contig(unsigned long pfn, unsigned long nr_pages);
unsigned long long klx_pa(const void *p);
void *klx_va(unsigned long long pa);
unsigned long klx_zero_page_pfn(void);
void klx_movdir64b(void *dst, const void *src);
unsigned klx_phys_bits(void);
unsigned klx_nr_node_ids(void);
/* memblock.memory, range by range from *idx (-1 to start); 0 at the end. */
int klx_next_mem_range(int *idx, unsigned long *start_pfn,
		       unsigned long *end_pfn, int *nid);

/* The SEAMCALL door: regs are struct tdx_module_args's 13 members in
 * order, all written back; kind is enum klx_seamcall_kind. */
unsigned long long klx_seamcall(unsigned long long fn, unsigned long long regs[13],
				int kind);

/* VMXON/VMXOFF on this CPU (KVM's hardware enable). */
int klx_vmxon(void);
int klx_vmxoff(void);

/* The kernel side's entry points (k_host.c), called by rt_entry.c. */
void klx_k_setup(void);
/* The tree's release ("6.12.118"), from its top Makefile. */
const char *klx_k_release(void);
void klx_k_tdx_init(void);
int klx_k_kvm_bringup(void);
int klx_k_tdx_enable(void);
int klx_k_tdx_enable_unlocked(void);
int klx_k_cpu_online(unsigned cpu);
int klx_k_memory_notify(unsigned long action, unsigned long start_pfn,
			unsigned long nr_pages);
const char *klx_k_dump_mce_info(unsigned long long pa, unsigned long long status,
				unsigned long long misc);

/* CPU capabilities (X86_FEATURE_*, X86_BUG_*), boot-time state. */
void klx_set_cap(unsigned bit);
void klx_clear_cap(unsigned bit);
int klx_has_cap(unsigned bit);
int klx_hibernation_available(void);
int klx_register_memory_notifier(void *nb);
int klx_unregister_memory_notifier(void *nb);

#endif
