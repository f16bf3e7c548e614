/* SPDX-License-Identifier: MIT */
/*
 * CPU hotplug (linux §3.12): the platform's CPU-hotplug lock, and the
 * online/offline callbacks. Onlining does VMXON and TDX per-CPU init before anything
 * else runs on the CPU; a CPU whose init fails stays offline. Offlining
 * the last CPU of a package is refused while a TD KeyID is in use,
 * because reclaiming a KeyID needs a cache write-back on every package.
 */
#include <errno.h>

#include "host.h"

void host_cpus_read_lock(struct host *h)
{
	platform_hotplug_lock(h->p, PLATFORM_CPU_HOTPLUG, false);
	atomic_fetch_add(&h->cpuhp_readers, 1);
}

void host_cpus_read_unlock(struct host *h)
{
	atomic_fetch_sub(&h->cpuhp_readers, 1);
	platform_hotplug_unlock(h->p, PLATFORM_CPU_HOTPLUG);
}

/* kvm_enable_virtualization + the "kvm/cpu/tdx:online" callback. */
static int online_cpu(void *arg)
{
	struct host *h = arg;
	unsigned cpu = host_this_cpu(h);

	if (!platform_lp_in_vmx(h->p, cpu) && platform_vmxon(h->p))
		return -EIO;
	return h->tdx_platform ? host_tdx_cpu_enable(h) : 0;
}

int host_enable_virt_all(struct host *h)
{
	int ret = 0;

	host_cpus_read_lock(h);
	for (unsigned lp = 0; lp < platform_nr_lps(h->p) && !ret; lp++)
		if (platform_lp_online(h->p, lp))
			ret = platform_on_lp(h->p, lp, online_cpu, h);
	if (!ret)
		h->virt_enabled = true;
	host_cpus_read_unlock(h);
	return ret;
}

static void explain_online_failure(struct host *h, unsigned lp, int ret)
{
	if (h->lp_init_status[lp] == TDX_SYS_LP_INIT_NOT_PENDING)
		tdx_err(h, "CPU %u: the TDX module refuses TDH.SYS.LP.INIT after TDH.SYS.CONFIG (TDX_SYS_LP_INIT_NOT_PENDING): this module initialises only the CPUs online when it was configured",
			lp);
	tdx_err(h, "CPU %u: TDX per-CPU initialization failed (%d); the CPU stays offline",
		lp, ret);
}

static int undo_vmx(void *arg)
{
	struct host *h = arg;

	if (platform_lp_in_vmx(h->p, host_this_cpu(h)))
		platform_vmxoff(h->p);
	return 0;
}

static int redo_vmx(void *arg)
{
	struct host *h = arg;

	if (!platform_lp_in_vmx(h->p, host_this_cpu(h)))
		platform_vmxon(h->p);
	return 0;
}

int host_cpu_online(struct host *h, unsigned lp)
{
	int ret;

	if (lp >= platform_nr_lps(h->p))
		return -EINVAL;
	platform_hotplug_lock(h->p, PLATFORM_CPU_HOTPLUG, true);
	if (platform_lp_online(h->p, lp)) {
		ret = -EINVAL;
		goto out;
	}
	ret = platform_lp_set_online(h->p, lp, true);
	if (ret || !h->virt_enabled)
		goto out;
	ret = platform_on_lp(h->p, lp, online_cpu, h);
	if (ret) {
		explain_online_failure(h, lp, ret);
		platform_on_lp(h->p, lp, undo_vmx, h);
		platform_lp_set_online(h->p, lp, false);
	}
out:
	platform_hotplug_unlock(h->p, PLATFORM_CPU_HOTPLUG);
	return ret;
}

static bool other_online_in_package(struct host *h, unsigned lp)
{
	unsigned pkg = platform_lp_package(h->p, lp);

	for (unsigned i = 0; i < platform_nr_lps(h->p); i++)
		if (i != lp && platform_lp_online(h->p, i) &&
		    platform_lp_package(h->p, i) == pkg)
			return true;
	return false;
}

int host_cpu_offline(struct host *h, unsigned lp)
{
	int ret = 0;

	if (lp >= platform_nr_lps(h->p))
		return -EINVAL;
	platform_hotplug_lock(h->p, PLATFORM_CPU_HOTPLUG, true);
	if (!platform_lp_online(h->p, lp)) {
		ret = -EINVAL;
	} else if (atomic_load(&h->nr_configured_hkid) &&
		   !other_online_in_package(h, lp)) {
		tdx_err(h, "TDX requires all packages to have an online CPU. Delete all TDs in order to offline all CPUs of a package.");
		ret = -EBUSY;
	} else {
		/* KVM's disable-virtualization callback: leave VMX. */
		platform_on_lp(h->p, lp, undo_vmx, h);
		ret = platform_lp_set_online(h->p, lp, false);
		/* A thread is on it (-EBUSY): it stays up, so back into VMX. */
		if (ret)
			platform_on_lp(h->p, lp, redo_vmx, h);
	}
	platform_hotplug_unlock(h->p, PLATFORM_CPU_HOTPLUG);
	return ret;
}
