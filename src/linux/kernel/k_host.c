// SPDX-License-Identifier: MIT
/*
 * The kernel side of the environment: what the kernel provides around
 * arch/x86/virt/vmx/tdx/tdx.c (the boot CPU's identity, sort(), the
 * machine-check helpers, the memory notifier chain) and what KVM does
 * when it loads with TDX enabled. Built with the environment's kernel
 * headers and the tree's <asm/tdx.h>.
 */
#include <linux/types.h>
#include <linux/memory.h>
#include <asm/mce.h>
#include <asm/tdx.h>

struct cpuinfo_x86 boot_cpu_data;
nodemask_t node_online_map = { { ~0UL } };
int (*acpi_suspend_lowlevel)(void);

static struct notifier_block *memory_chain;

#ifndef KLX_KERNEL_RELEASE
#define KLX_KERNEL_RELEASE "unknown"
#endif

const char *klx_k_release(void)
{
	return KLX_KERNEL_RELEASE;
}

/* The boot CPU's family and model as the kernel derives them from
 * CPUID.1:EAX (the extended fields count for family 6 and 15). */
void klx_k_setup(void)
{
	unsigned r[4], fam, model;

	klx_cpuid(1, 0, r);
	fam = (r[0] >> 8) & 0xf;
	model = (r[0] >> 4) & 0xf;
	if (fam == 0xf)
		fam += (r[0] >> 20) & 0xff;
	if (fam >= 6)
		model += ((r[0] >> 16) & 0xf) << 4;
	boot_cpu_data.x86_vendor = X86_VENDOR_INTEL;
	boot_cpu_data.x86 = (u8)fam;
	boot_cpu_data.x86_model = (u8)model;
	boot_cpu_data.x86_stepping = r[0] & 0xf;
	boot_cpu_data.x86_phys_bits = (int)klx_phys_bits();
	boot_cpu_data.x86_cache_alignment = 64;
	klx_cpuid(1, 0, r);
	if (r[2] & (1u << 5))
		setup_force_cpu_cap(X86_FEATURE_VMX);
	if (r[2] & (1u << 26))
		setup_force_cpu_cap(X86_FEATURE_XSAVE);
	if (r[3] & (1u << 27))
		setup_force_cpu_cap(X86_FEATURE_SELFSNOOP);
	klx_cpuid(7, 0, r);
	if (r[2] & (1u << 28))
		setup_force_cpu_cap(X86_FEATURE_MOVDIR64B);
	memory_chain = NULL;
	acpi_suspend_lowlevel = NULL;
}

/* Intel SDM vol. 3B §15.9.2: MCACOD bit 7 is a memory-controller error,
 * bit 8 a cache-hierarchy one, bits 3:2 both set a generic cache error,
 * unless bit 11 (bus/interconnect) is set; bit 12 is the filter bit. */
bool mce_is_memory_error(struct mce *m)
{
	return (m->status & 0xef80) == BIT(7) || (m->status & 0xef00) == BIT(8) ||
	       (m->status & 0xeffc) == 0xc;
}

/* The address is usable when MCi_ADDR is valid, MCi_MISC describes it as
 * a physical address, and its least significant valid bit is within a
 * page. */
bool mce_usable_address(struct mce *m)
{
	if (!(m->status & MCI_STATUS_ADDRV) || !(m->status & MCI_STATUS_MISCV))
		return false;
	return MCI_MISC_ADDR_LSB(m->misc) <= PAGE_SHIFT &&
	       MCI_MISC_ADDR_MODE(m->misc) == MCI_MISC_ADDR_PHYS;
}

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* The kernel's sort() is an unstable in-place sort; callers here pass a
 * strict order, so any correct sort gives the same result. */
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *),
	  void (*swap)(void *, void *, int))
{
	char *b = base;

	for (size_t i = 1; i < num; i++)
		for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--) {
			if (swap)
				swap(b + (j - 1) * size, b + j * size, (int)size);
			else
				swap_bytes(b + (j - 1) * size, b + j * size, size);
		}
}

int klx_register_memory_notifier(void *nb)
{
	struct notifier_block *n = nb, **pos = &memory_chain;

	while (*pos && (*pos)->priority >= n->priority)
		pos = &(*pos)->next;
	n->next = *pos;
	*pos = n;
	return 0;
}

int klx_unregister_memory_notifier(void *nb)
{
	for (struct notifier_block **pos = &memory_chain; *pos; pos = &(*pos)->next)
		if (*pos == nb) {
			*pos = ((struct notifier_block *)nb)->next;
			return 0;
		}
	return -ENOENT;
}

/* The memory notifier chain as online_pages() runs it: a NOTIFY_BAD
 * stops the chain and becomes notifier_to_errno()'s -EPERM. */
int klx_k_memory_notify(unsigned long action, unsigned long start_pfn,
			unsigned long nr_pages)
{
	struct memory_notify mn = { .start_pfn = start_pfn, .nr_pages = nr_pages,
				    .status_change_nid = NUMA_NO_NODE,
				    .status_change_nid_normal = NUMA_NO_NODE };

	for (struct notifier_block *n = memory_chain; n; n = n->next) {
		int ret = n->notifier_call(n, action, &mn);

		if (ret & NOTIFY_STOP_MASK) {
			ret &= ~NOTIFY_STOP_MASK;
			return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
		}
	}
	return 0;
}

void klx_k_tdx_init(void)
{
	tdx_init();
}

static int vmxon_here(void *unused)
{
	return klx_vmxon();
}

/* KVM's TDX online callback: tdx_cpu_enable() with interrupts off. */
static int tdx_online_here(void *unused)
{
	unsigned long flags;
	int r;

	local_irq_save(flags);
	r = tdx_cpu_enable();
	local_irq_restore(flags);
	return r;
}

/* KVM's module load with TDX: virtualization enabled on every online
 * CPU, then, with CPU hotplug held off, the TDX online callback on each
 * online CPU and tdx_enable(). */
int klx_k_kvm_bringup(void)
{
	int cpu, r = 0;

	for_each_online_cpu(cpu) {
		r = smp_call_on_cpu(cpu, vmxon_here, NULL, false);
		if (r)
			return r;
	}
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		r = smp_call_on_cpu(cpu, tdx_online_here, NULL, false);
		if (r)
			break;
	}
	if (!r)
		r = tdx_enable();
	cpus_read_unlock();
	return r;
}

int klx_k_tdx_enable(void)
{
	int r;

	cpus_read_lock();
	r = tdx_enable();
	cpus_read_unlock();
	return r;
}

int klx_k_tdx_enable_unlocked(void)
{
	return tdx_enable();
}

/* A CPU coming online: KVM's callbacks run on it, VMXON first. */
static int cpu_up_here(void *unused)
{
	int r = klx_vmxon();

	return r ? r : tdx_online_here(NULL);
}

int klx_k_cpu_online(unsigned cpu)
{
	return smp_call_on_cpu(cpu, cpu_up_here, NULL, false);
}

const char *klx_k_dump_mce_info(unsigned long long pa, unsigned long long status,
				unsigned long long misc)
{
	struct mce m = { .status = status, .addr = pa, .misc = misc };

	return tdx_dump_mce_info(&m);
}
