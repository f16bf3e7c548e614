/* SPDX-License-Identifier: MIT */
/*
 * The kernel API, as the kernel environment gives it to kernel source
 * built on tdxsim (docs/linux.md). Written here from the documented
 * semantics of each interface; every <linux/...> and <asm/...> header of
 * this directory includes this one. Calls that touch the machine go to
 * the runtime (klx_rt.h).
 */
#ifndef KLX_KERNEL_H
#define KLX_KERNEL_H

#include "../../klx_rt.h"

/* ---- compiler ---- */
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __maybe_unused __attribute__((__unused__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __init
#define __initdata
#define __exit
#define __ro_after_init
#define __read_mostly
#define __cacheline_aligned __attribute__((__aligned__(64)))
#define __must_check __attribute__((__warn_unused_result__))
#define __user
#define __iomem
#define __force
#define __percpu
#define __rcu
#define __noreturn __attribute__((__noreturn__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define DECLARE_FLEX_ARRAY(type, name) type name[]
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)
#define EXPORT_SYMBOL(sym) _Static_assert(1, #sym)
#define EXPORT_SYMBOL_GPL(sym) _Static_assert(1, #sym)
#define fallthrough __attribute__((__fallthrough__))

/* ---- types ---- */
typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s32 __s32;
typedef s64 __s64;
typedef _Bool bool;
enum { false = 0, true = 1 };
typedef __SIZE_TYPE__ size_t;
typedef long ssize_t;
typedef unsigned long uintptr_t;
typedef u64 phys_addr_t;
typedef u64 resource_size_t;
typedef unsigned int gfp_t;
typedef struct { int counter; } atomic_t;
#define NULL ((void *)0)
#define offsetof(t, m) __builtin_offsetof(t, m)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* ---- bits, sizes, alignment ---- */
#define _UL(x) (x##UL)
#define _ULL(x) (x##ULL)
#define _BITUL(x) (1UL << (x))
#define _BITULL(x) (1ULL << (x))
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define BITS_PER_LONG 64
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define SZ_1K 0x400
#define SZ_4K 0x1000
#define SZ_1M 0x100000
#define SZ_2M 0x200000
#define SZ_1G 0x40000000
#define SZ_4G 0x100000000ULL
#define __ALIGN_MASK(x, m) (((x) + (m)) & ~(m))
#define ALIGN(x, a) __ALIGN_MASK(x, (__typeof__(x))(a) - 1)
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y) - 1)))
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b) min((t)(a), (t)(b))
#define max_t(t, a, b) max((t)(a), (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
static inline int ilog2_u64(u64 n) { return 63 - __builtin_clzll(n); }
#define ilog2(n) ilog2_u64(n)
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}
static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}

/* ---- errno (the kernel's numbers) ---- */
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
#define EOPNOTSUPP 95
#define ETIMEDOUT 110

/* ---- printk ---- */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) ({ if (0) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__); 0; })
#define pr_err_once pr_err
#define pr_warn_once pr_warn
#define pr_info_once pr_info

/* ---- WARN and BUG: real checks, counted (klx_counts) ---- */
#define WARN_ON(c) ({ bool __c = !!(c); if (unlikely(__c)) klx_warn(__FILE__, __LINE__, #c); unlikely(__c); })
#define WARN_ON_ONCE(c) ({ static bool __w; bool __c = !!(c); \
	if (unlikely(__c) && !__w) { __w = true; klx_warn(__FILE__, __LINE__, #c); } unlikely(__c); })
#define WARN(c, fmt, ...) ({ bool __c = !!(c); if (unlikely(__c)) { \
	printk(KERN_WARNING fmt, ##__VA_ARGS__); klx_warn(__FILE__, __LINE__, #c); } unlikely(__c); })
#define WARN_ONCE(c, fmt, ...) ({ static bool __w; bool __c = !!(c); \
	if (unlikely(__c) && !__w) { __w = true; printk(KERN_WARNING fmt, ##__VA_ARGS__); \
	klx_warn(__FILE__, __LINE__, #c); } unlikely(__c); })
#define BUG_ON(c) WARN_ON(c)
#define might_sleep() do { } while (0)
#define cond_resched() do { } while (0)
#define cpu_relax() barrier()

/* ---- barriers ---- */
#ifdef __SANITIZE_THREAD__
/* ThreadSanitizer models no fences: a lock taken and dropped in the
 * runtime orders the same stores for it. */
#define mb() klx_barrier()
#define rmb() klx_barrier()
#define wmb() klx_barrier()
#else
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif
#define smp_mb() mb()
#define smp_rmb() rmb()
#define smp_wmb() wmb()

/* ---- lists ---- */
struct list_head { struct list_head *next, *prev; };
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l) { l->next = l; l->prev = l; }
static inline void klx_list_link(struct list_head *n, struct list_head *prev,
				 struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}
static inline void list_add(struct list_head *n, struct list_head *head)
{
	klx_list_link(n, head, head->next);
}
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	klx_list_link(n, head->prev, head);
}
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = (struct list_head *)0x100;   /* the kernel's poison values */
	e->prev = (struct list_head *)0x122;
}
static inline int list_empty(const struct list_head *h) { return h->next == h; }
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) list_entry((ptr)->prev, type, member)
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     &pos->member != (head); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member), \
	     n = list_next_entry(pos, member); &pos->member != (head); \
	     pos = n, n = list_next_entry(n, member))

/* ---- CPUs, per-CPU data, cpumasks ---- */
#define NR_CPUS 256                      /* KLX_MAX_CPUS */
#define nr_cpu_ids klx_nr_cpu_ids()
#define smp_processor_id() klx_this_cpu()
#define raw_smp_processor_id() klx_this_cpu()
#define get_cpu() klx_this_cpu()
#define put_cpu() do { } while (0)
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
#define DEFINE_PER_CPU(type, name) __typeof__(type) name[NR_CPUS]
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name[NR_CPUS]
#define per_cpu(var, cpu) ((var)[cpu])
#define this_cpu_ptr(p) (&(*(p))[klx_this_cpu()])
#define __this_cpu_read(var) ((var)[klx_this_cpu()])
#define __this_cpu_write(var, v) ((var)[klx_this_cpu()] = (v))
#define this_cpu_read(var) __this_cpu_read(var)
#define this_cpu_write(var, v) __this_cpu_write(var, v)
struct cpumask { unsigned long bits[NR_CPUS / 64]; };
typedef struct cpumask *cpumask_var_t;
static inline bool zalloc_cpumask_var(cpumask_var_t *m, gfp_t f)
{
	*m = (struct cpumask *)klx_kmalloc(sizeof(struct cpumask), f | 0x100u, "cpumask");
	return *m != NULL;
}
static inline bool alloc_cpumask_var(cpumask_var_t *m, gfp_t f)
{
	return zalloc_cpumask_var(m, f);
}
static inline void free_cpumask_var(cpumask_var_t m) { klx_kfree(m); }
static inline bool cpumask_test_cpu(int cpu, const struct cpumask *m)
{
	return (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}
static inline void cpumask_set_cpu(unsigned cpu, struct cpumask *m)
{
	m->bits[cpu / 64] |= 1UL << (cpu % 64);
}
static inline void cpumask_clear_cpu(unsigned cpu, struct cpumask *m)
{
	m->bits[cpu / 64] &= ~(1UL << (cpu % 64));
}
static inline bool cpumask_test_and_set_cpu(int cpu, struct cpumask *m)
{
	bool was = cpumask_test_cpu(cpu, m);

	cpumask_set_cpu(cpu, m);
	return was;
}
#define for_each_online_cpu(cpu) \
	for ((cpu) = klx_next_online_cpu(-1); (cpu) >= 0; (cpu) = klx_next_online_cpu(cpu))
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < (int)klx_nr_cpu_ids(); (cpu)++)
#define for_each_present_cpu(cpu) for_each_possible_cpu(cpu)
#define num_online_cpus() klx_num_online_cpus()
#define num_present_cpus() klx_nr_cpu_ids()
#define cpu_online(cpu) klx_cpu_online(cpu)
#define topology_physical_package_id(cpu) ((int)klx_cpu_package(cpu))
static inline int smp_call_on_cpu(unsigned cpu, int (*fn)(void *), void *arg, bool phys)
{
	return klx_smp_call_on_cpu(cpu, fn, arg);
}

/* ---- interrupts, CPU hotplug lock, lockdep ---- */
#define local_irq_disable() klx_local_irq_disable()
#define local_irq_enable() klx_local_irq_enable()
#define local_irq_save(flags) do { (flags) = (unsigned long)klx_irqs_disabled(); klx_local_irq_disable(); } while (0)
#define local_irq_restore(flags) do { if (!(flags)) klx_local_irq_enable(); } while (0)
#define irqs_disabled() klx_irqs_disabled()
static inline void cpus_read_lock(void) { klx_cpus_read_lock(); }
static inline void cpus_read_unlock(void) { klx_cpus_read_unlock(); }
#define lockdep_assert_irqs_disabled() do { if (!klx_irqs_disabled()) \
	klx_lockdep_fail(__FILE__, __LINE__, "interrupts enabled"); } while (0)
#define lockdep_assert_cpus_held() do { if (!klx_cpus_held()) \
	klx_lockdep_fail(__FILE__, __LINE__, "cpu_hotplug_lock not held"); } while (0)
#define lockdep_assert_held(l) do { if (!klx_mutex_is_locked((void *)(l))) \
	klx_lockdep_fail(__FILE__, __LINE__, #l " not held"); } while (0)
#define lockdep_assert_preemption_disabled() do { } while (0)

/* ---- mutexes and spinlocks: the storage is the runtime's ---- */
struct mutex { unsigned long long klx[KLX_LOCK_WORDS]; };
typedef struct { unsigned long long klx[KLX_LOCK_WORDS]; } raw_spinlock_t;
typedef raw_spinlock_t spinlock_t;
#define __MUTEX_INITIALIZER(name) { { 0 } }
#define DEFINE_MUTEX(name) struct mutex name = __MUTEX_INITIALIZER(name)
#define DEFINE_RAW_SPINLOCK(name) raw_spinlock_t name = { { 0 } }
#define DEFINE_SPINLOCK(name) spinlock_t name = { { 0 } }
#define mutex_init(m) do { *(m) = (struct mutex){ { 0 } }; } while (0)
#define mutex_lock(m) klx_mutex_lock(m)
#define mutex_trylock(m) klx_mutex_trylock(m)
#define mutex_unlock(m) klx_mutex_unlock(m)
#define mutex_is_locked(m) klx_mutex_is_locked(m)
#define raw_spin_lock(l) klx_spin_lock(l)
#define raw_spin_unlock(l) klx_spin_unlock(l)
#define spin_lock(l) klx_spin_lock(l)
#define spin_unlock(l) klx_spin_unlock(l)
#define raw_spin_lock_irqsave(l, f) do { local_irq_save(f); klx_spin_lock(l); } while (0)
#define raw_spin_unlock_irqrestore(l, f) do { klx_spin_unlock(l); local_irq_restore(f); } while (0)
#define spin_lock_irqsave raw_spin_lock_irqsave
#define spin_unlock_irqrestore raw_spin_unlock_irqrestore

/* ---- memory: pages, direct map, allocators ---- */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21
#define PUD_SHIFT 30
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_ALIGN(x) (((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
#define MAX_NUMNODES 64
#define NUMA_NO_NODE (-1)
/* struct page is never dereferenced: a pointer is a vmemmap slot. */
struct page { unsigned long long klx_unused[8]; };
#define KLX_VMEMMAP 0xffffea0000000000UL
static inline unsigned long page_to_pfn(const struct page *pg)
{
	return ((unsigned long)pg - KLX_VMEMMAP) / sizeof(struct page);
}
static inline struct page *pfn_to_page(unsigned long pfn)
{
	return (struct page *)(KLX_VMEMMAP + pfn * sizeof(struct page));
}
#define __pa(x) ((phys_addr_t)klx_pa((const void *)(x)))
#define __va(x) klx_va((unsigned long long)(x))
#define virt_to_phys(x) __pa(x)
#define phys_to_virt(x) __va(x)
#define page_to_phys(pg) PFN_PHYS(page_to_pfn(pg))
#define page_address(pg) __va(page_to_phys(pg))
#define virt_to_page(x) pfn_to_page(PHYS_PFN(__pa(x)))
#define ZERO_PAGE(vaddr) pfn_to_page(klx_zero_page_pfn())
#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define GFP_NOWAIT 0x2u
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_ACCOUNT 0x400u
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
static inline void *kmalloc(size_t size, gfp_t f) { return klx_kmalloc(size, f, "kmalloc"); }
static inline void *kzalloc(size_t size, gfp_t f) { return klx_kmalloc(size, f | __GFP_ZERO, "kmalloc"); }
static inline void *kcalloc(size_t n, size_t size, gfp_t f)
{
	return n && size > (size_t)-1 / n ? NULL : kzalloc(n * size, f);
}
static inline void kfree(const void *p) { klx_kfree(p); }
static inline void *alloc_pages_exact(size_t size, gfp_t f) { return klx_alloc_pages_exact(size, f); }
static inline void free_pages_exact(void *p, size_t size) { klx_free_pages_exact(p, size); }
typedef struct { unsigned long bits[MAX_NUMNODES / 64]; } nodemask_t;
extern nodemask_t node_online_map;
static inline struct page *alloc_contig_pages(unsigned long nr, gfp_t f, int nid,
					      nodemask_t *nodemask)
{
	unsigned long pfn = klx_alloc_contig(nr, nid);

	return pfn ? pfn_to_page(pfn) : NULL;
}
static inline void free_contig_range(unsigned long pfn, unsigned long nr)
{
	klx_free_contig(pfn, nr);
}

/* memblock.memory, which TDX keeps (ARCH_KEEP_MEMBLOCK) */
#define for_each_mem_pfn_range(i, nid, p_start, p_end, p_nid) \
	for ((i) = -1; klx_next_mem_range(&(i), (p_start), (p_end), (p_nid));)

/* ---- memory hotplug ---- */
struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action, void *data);
	struct notifier_block *next;
	int priority;
};
#define NOTIFY_DONE 0x0000
#define NOTIFY_OK 0x0001
#define NOTIFY_STOP_MASK 0x8000
#define NOTIFY_BAD (NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP (NOTIFY_OK | NOTIFY_STOP_MASK)
#define MEM_ONLINE (1 << 0)
#define MEM_GOING_OFFLINE (1 << 1)
#define MEM_OFFLINE (1 << 2)
#define MEM_GOING_ONLINE (1 << 3)
#define MEM_CANCEL_ONLINE (1 << 4)
#define MEM_CANCEL_OFFLINE (1 << 5)
struct memory_notify {
	unsigned long altmap_start_pfn, altmap_nr_pages;
	unsigned long start_pfn, nr_pages;
	int status_change_nid_normal, status_change_nid;
};
static inline int register_memory_notifier(struct notifier_block *nb)
{
	return klx_register_memory_notifier(nb);
}
static inline void unregister_memory_notifier(struct notifier_block *nb)
{
	klx_unregister_memory_notifier(nb);
}
void get_online_mems(void);
void put_online_mems(void);

/* ---- sort ---- */
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *),
	  void (*swap)(void *, void *, int));

/* ---- power management, ACPI ---- */
static inline bool hibernation_available(void) { return klx_hibernation_available(); }
extern int (*acpi_suspend_lowlevel)(void);

#endif
