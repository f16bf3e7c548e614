/* SPDX-License-Identifier: MIT */
/*
 * The instance's face to tdxsim: klx_kernel_entry() and the operations
 * of struct klx_kernel (../klx.h). Everything else in the object is
 * hidden, so the kernel's own global names (tdx_enable, tdx_init, ...)
 * never meet tdxsim's.
 */
#include <errno.h>
#include <string.h>

#include "rt.h"

int klx_vmxon(void)
{
	return klx.ops.vmxon(klx.ops.ctx);
}

int klx_vmxoff(void)
{
	return klx.ops.vmxoff(klx.ops.ctx);
}

unsigned long long klx_seamcall(unsigned long long fn, unsigned long long regs[13],
				int kind)
{
	uint64_t r[KLX_NR_ARGS];
	uint64_t ret;

	for (unsigned i = 0; i < KLX_NR_ARGS; i++)
		r[i] = regs[i];
	ret = klx.ops.seamcall(klx.ops.ctx, fn, r, (enum klx_seamcall_kind)kind);
	for (unsigned i = 0; i < KLX_NR_ARGS; i++)
		regs[i] = r[i];
	return ret;
}

static int setup(const struct klx_ops *ops, const struct klx_options *o)
{
	static const pthread_mutex_t zero_mutex;
	pthread_mutex_t init = PTHREAD_MUTEX_INITIALIZER;

	/* The kernel's DEFINE_MUTEX storage is zeroes (klx/kernel.h). */
	if (memcmp(&init, &zero_mutex, sizeof(init)))
		return -ENOSYS;
	memset(&klx, 0, sizeof(klx));
	klx.ops = *ops;
	klx.opt = *o;
	pthread_mutex_init(&klx.count_lock, NULL);
	if (klx_mem_setup())
		return -ENOMEM;
	klx_k_setup();
	return 0;
}

static void teardown(void)
{
	klx_mem_teardown();
	pthread_mutex_destroy(&klx.count_lock);
}

/* CPU hotplug: the online callbacks run under the hotplug write lock,
 * which the bridge holds for this thread. */
static int cpu_online(unsigned cpu)
{
	int r;

	klx_cpus_lock_inherited(true);
	r = klx_k_cpu_online(cpu);
	klx_cpus_lock_inherited(false);
	return r;
}

/* add_memory() then online_pages(): the range joins memblock (TDX keeps
 * memblock), the notifier chain may refuse it going online, and only
 * memory that came online feeds the page allocator. */
static int memory_online(uint64_t start, uint64_t size, int node)
{
	unsigned long pfn = (unsigned long)(start >> 12), n = (unsigned long)(size >> 12);
	int r;

	if ((start | size) & 4095 || !size)
		return -EINVAL;
	klx_mem_hotplug_begin();
	r = klx_memblock_add(start, start + size, node, false);
	if (!r) {
		r = klx_k_memory_notify(1u << 3 /* MEM_GOING_ONLINE */, pfn, n);
		if (r) {
			klx_k_memory_notify(1u << 4 /* MEM_CANCEL_ONLINE */, pfn, n);
		} else {
			klx_mem_free_add(start, start + size, node);
			klx_k_memory_notify(1u << 0 /* MEM_ONLINE */, pfn, n);
		}
	}
	klx_mem_hotplug_done();
	return r;
}

static const char *dump_mce_info(uint64_t pa, uint64_t status, uint64_t misc)
{
	return klx_k_dump_mce_info(pa, status, misc);
}

static void counts(struct klx_counts *out)
{
	pthread_mutex_lock(&klx.count_lock);
	*out = klx.counts;
	pthread_mutex_unlock(&klx.count_lock);
	klx_mem_counts(out);
}

static struct klx_kernel kernel = {
	.abi = KLX_ABI_VERSION,
	.setup = setup,
	.teardown = teardown,
	.tdx_init = klx_k_tdx_init,
	.kvm_bringup = klx_k_kvm_bringup,
	.tdx_enable = klx_k_tdx_enable,
	.tdx_enable_unlocked = klx_k_tdx_enable_unlocked,
	.cpu_online = cpu_online,
	.memory_online = memory_online,
	.dump_mce_info = dump_mce_info,
	.counts = counts,
	.ledger = klx_mem_ledger,
};

__attribute__((visibility("default"))) const struct klx_kernel *klx_kernel_entry(void);

const struct klx_kernel *klx_kernel_entry(void)
{
	kernel.release = klx_k_release();
	return &kernel;
}
