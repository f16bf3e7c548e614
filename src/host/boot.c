/* SPDX-License-Identifier: MIT */
/*
 * A host boot up to "a TD can run": tdx_init at early boot, then what
 * KVM's TDX bring-up does: VMXON and per-CPU TDX init on every online
 * CPU, tdx_enable() under the CPU hotplug lock, the compatibility check.
 */
#include <errno.h>

#include "host.h"

static int bringup_on_cpu(void *arg)
{
	struct host *h = arg;
	int ret = host_tdx_init(h);

	if (ret)
		return ret;
	ret = host_enable_virt_all(h);
	if (ret)
		return ret;
	return host_tdx_enable_locked(h);
}

int host_tdx_enable_locked(void *arg)
{
	struct host *h = arg;
	int ret;

	host_cpus_read_lock(h);
	ret = host_tdx_enable(h);
	host_cpus_read_unlock(h);
	return ret;
}

static int boot_on_cpu(void *arg)
{
	struct host *h = arg;
	int ret = bringup_on_cpu(h);

	/* With 6.12's core, KVM reads what a TD needs itself. */
	if (!ret && h->opt.kernel == HOST_KERNEL_6_12)
		ret = host_tdx_read_td_sys_info(h, &h->sysinfo);
	if (!ret)
		ret = host_cpu_compat_check(h);
	return ret;
}

static int on_first_online(struct host *h, int (*fn)(void *))
{
	for (unsigned lp = 0; lp < platform_nr_lps(h->p); lp++)
		if (platform_lp_online(h->p, lp))
			return platform_on_lp(h->p, lp, fn, h);
	return -ENODEV;
}

int host_boot(struct host *h)
{
	return on_first_online(h, boot_on_cpu);
}

int host_bringup(struct host *h)
{
	return on_first_online(h, bringup_on_cpu);
}
