/* SPDX-License-Identifier: MIT */
/*
 * tdx_enable() and init_tdx_module() (linux §3.5–3.10): metadata, the TDX
 * memory list, TDMRs and PAMTs, TDH.SYS.CONFIG, the global KeyID on every
 * package, TDH.SYS.TDMR.INIT; on failure the kernel's unwind. A mutex and
 * a three-state status make it idempotent and safe from many threads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define TDMR_INFO_ALIGNMENT 512ULL            /* linux §3.7 */
#define TDMR_INFO_PA_ARRAY_ALIGNMENT 512ULL   /* linux §3.9 */

/* The kernel sizes an entry as sizeof(struct tdmr_info) plus the reserved
 * areas, rounded up to 512; its 512-byte alignment makes that sizeof 512,
 * not the 64 bytes of header (held against 6.12's tdx.c by the Linux-in-
 * the-loop comparison, docs/linux.md): 1024 bytes with 16 areas. */
static uint64_t tdmr_entry_size(const struct tdmr_limits *l)
{
	uint64_t sz = TDMR_INFO_ALIGNMENT + 16ULL * l->max_rsvd;

	return (sz + TDMR_INFO_ALIGNMENT - 1) & ~(TDMR_INFO_ALIGNMENT - 1);
}

static int on_each_online_cpu(struct host *h, int (*fn)(void *), void *arg)
{
	for (unsigned lp = 0; lp < platform_nr_lps(h->p); lp++) {
		int ret;

		if (!platform_lp_online(h->p, lp))
			continue;
		ret = platform_on_lp(h->p, lp, fn, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static int do_wbinvd(void *arg)
{
	platform_wbinvd(((struct host *)arg)->p);
	return 0;
}

/* 6.12 neither prints the version nor checks NO_RBP_MOD (it has no KVM
 * that could enter a TD). */
static int check_features(struct host *h)
{
	const struct tdx_sys_info *s = &h->sysinfo;

	if (h->opt.kernel == HOST_KERNEL_6_12)
		return 0;
	tdx_info(h, "Module version: %u.%u.%02u", s->major, s->minor, s->update);
	for (unsigned i = 0; i < s->num_cmrs; i++)
		if (s->cmrs[i].size)
			tdx_info(h, "CMR: [0x%llx, 0x%llx)", (unsigned long long)s->cmrs[i].base,
			 (unsigned long long)(s->cmrs[i].base + s->cmrs[i].size));
	if (!(s->features0 & TDX_FEATURES0_NO_RBP_MOD)) {
		tdx_err(h, "frame pointer (RBP) clobber bug present, upgrade TDX module");
		return -EINVAL;
	}
	return 0;
}

/* The TDMR_INFO array: max_tdmrs entries, one contiguous zeroed block. */
static int alloc_tdmr_array(struct host *h)
{
	uint64_t bytes = tdmr_entry_size(&h->sysinfo.limits) * h->sysinfo.limits.max_tdmrs;

	bytes = (bytes + 4095) & ~4095ULL;
	if (!bytes || !page_alloc_contig_any(h->pages, 0, bytes, 4096, false, &h->tdmr_array_pa, NULL))
		return -ENOMEM;
	h->tdmr_array_bytes = bytes;
	platform_mem_zero(h->p, h->tdmr_array_pa, bytes);
	return 0;
}

static void free_tdmr_array(struct host *h)
{
	if (h->tdmr_array_bytes)
		page_alloc_free(h->pages, h->tdmr_array_pa, h->tdmr_array_bytes);
	h->tdmr_array_bytes = 0;
}

static int construct_tdmrs(struct host *h)
{
	const struct tdmr_limits *lim = &h->sysinfo.limits;
	uint64_t esz = tdmr_entry_size(lim);
	int ret;

	h->plan = calloc(1, sizeof(*h->plan));
	if (!h->plan)
		return -ENOMEM;
	ret = tdmr_plan_build(&h->tdx_memlist, lim, h->opt.policy, h->pages, h->plan);
	if (h->plan->warning[0])
		tdx_info(h, "%s", h->plan->warning);
	if (ret) {
		if (h->plan->error[0])
			tdx_err(h, "%s", h->plan->error);
		return ret;
	}
	for (unsigned i = 0; i < h->plan->n_tdmrs; i++)
		platform_mem_write(h->p, h->tdmr_array_pa + i * esz, &h->plan->tdmr[i].info,
				   64 + 16ULL * lim->max_rsvd);
	return 0;
}

static uint64_t roundup_pow2(uint64_t v)
{
	uint64_t r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

/*
 * Modules with the strict order (1.5.01) configure only once every CPU
 * has run LP.INIT, and accept no LP.INIT afterwards: a CPU offline now can
 * never join. Linux says nothing beyond the SEAMCALL error; we name them
 * (not when following 6.12, whose lines src/host/ then prints exactly).
 */
static void explain_config_not_pending(struct host *h)
{
	char cpus[256] = "";
	size_t len = 0;

	if (h->opt.kernel == HOST_KERNEL_6_12)   /* exactly the kernel's lines */
		return;
	for (unsigned lp = 0; lp < platform_nr_lps(h->p) && len < sizeof(cpus) - 8; lp++)
		if (!atomic_load(&h->lp_initialized[lp]))
			len += (size_t)snprintf(cpus + len, sizeof(cpus) - len, "%s%u",
						len ? "," : "", lp);
	if (!len)
		return;
	tdx_err(h, "TDH.SYS.CONFIG refused: CPUs %s have not run TDH.SYS.LP.INIT (offline); this TDX module is configured only once every CPU has, and accepts no CPU after that: online every CPU before TDX initializes",
		cpus);
}

static int config_tdx_module(struct host *h)
{
	uint64_t esz = tdmr_entry_size(&h->sysinfo.limits);
	uint64_t n = h->plan->n_tdmrs, bytes, pa, st;
	struct tdx_module_args a = { 0 };
	int ret;

	/* Power-of-two sized so that it is naturally aligned (linux §3.9). */
	bytes = roundup_pow2(n * 8 < TDMR_INFO_PA_ARRAY_ALIGNMENT ?
			     TDMR_INFO_PA_ARRAY_ALIGNMENT : n * 8);
	if (!page_alloc_contig_any(h->pages, 0, bytes < 4096 ? 4096 : bytes,
			       bytes < 4096 ? 4096 : bytes, false, &pa, NULL))
		return -ENOMEM;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t e = h->tdmr_array_pa + i * esz;

		platform_mem_write(h->p, pa + 8 * i, &e, 8);
	}
	a.rcx = pa;
	a.rdx = n;
	a.r8 = h->global_keyid;
	ret = host_sc_prerr_status(h, TDH_SYS_CONFIG, &a, &st);
	page_alloc_free(h->pages, pa, bytes < 4096 ? 4096 : bytes);
	if (st == TDX_SYS_CONFIG_NOT_PENDING)
		explain_config_not_pending(h);
	return ret;
}

static int do_global_key_config(void *arg)
{
	struct host *h = arg;
	struct tdx_module_args a = { 0 };

	return host_sc_prerr(h, TDH_SYS_KEY_CONFIG, &a);
}

/* WBINVD everywhere (the PAMT was written with KeyID 0), then one CPU
 * per package, one package at a time (linux §3.9). */
static int config_global_keyid(struct host *h)
{
	bool done[TDXSIM_MAX_PACKAGES] = { false };

	on_each_online_cpu(h, do_wbinvd, h);
	for (unsigned lp = 0; lp < platform_nr_lps(h->p); lp++) {
		unsigned pkg = platform_lp_package(h->p, lp);
		int ret;

		if (done[pkg] || !platform_lp_online(h->p, lp))
			continue;
		ret = platform_on_lp(h->p, lp, do_global_key_config, h);
		if (ret)
			return ret;
		done[pkg] = true;
	}
	return 0;
}

static int init_tdmrs(struct host *h)
{
	for (unsigned i = 0; i < h->plan->n_tdmrs; i++) {
		const struct tdmr_info_entry *e = &h->plan->tdmr[i].info;
		struct tdx_module_args a = { 0 };

		do {
			int ret;

			a = (struct tdx_module_args){ .rcx = e->tdmr_base };
			atomic_fetch_add_explicit(&h->stats.tdmr_init_calls, 1,
						  memory_order_relaxed);
			ret = host_sc_prerr_ret(h, TDH_SYS_TDMR_INIT, &a);
			if (ret)
				return ret;
		} while (a.rdx < e->tdmr_base + e->tdmr_size);
	}
	return 0;
}

/* MOVDIR64B over every PAMT byte: the module wrote them with the global
 * KeyID, and on erratum parts a plain store would poison them. */
static void reset_pamts(struct host *h)
{
	for (unsigned i = 0; i < h->plan->n_tdmrs; i++) {
		const struct tdmr_info_entry *e = &h->plan->tdmr[i].info;

		platform_mem_reset_lines(h->p, e->pamt_4k_base, e->pamt_4k_size +
					 e->pamt_2m_size + e->pamt_1g_size);
	}
}

static void free_plan(struct host *h)
{
	if (!h->plan)
		return;
	tdmr_plan_free_pamts(h->plan, h->pages);
	free(h->plan);
	h->plan = NULL;
}

static void mark_tdx_memory(struct host *h)
{
	for (size_t i = 0; i < h->tdx_memlist.n; i++)
		page_alloc_set_tdx(h->pages, h->tdx_memlist.b[i].start,
				   h->tdx_memlist.b[i].end, true);
}

static int build_and_configure(struct host *h)
{
	int ret;

	h->tdx_memlist = h->memblock;
	ret = alloc_tdmr_array(h);
	if (ret)
		return ret;
	ret = construct_tdmrs(h);
	if (!ret)
		ret = config_tdx_module(h);
	if (ret)
		goto err_free;
	ret = config_global_keyid(h);
	if (!ret)
		ret = init_tdmrs(h);
	if (!ret)
		return 0;
	on_each_online_cpu(h, do_wbinvd, h);
	reset_pamts(h);
err_free:
	free_plan(h);
	free_tdmr_array(h);
	h->tdx_memlist.n = 0;
	return ret;
}

static int init_tdx_module(struct host *h)
{
	int ret = host_tdx_read_sys_info(h, &h->sysinfo);

	if (!ret)
		ret = check_features(h);
	if (ret)
		return ret;
	platform_hotplug_lock(h->p, PLATFORM_MEM_HOTPLUG, false);
	ret = build_and_configure(h);
	if (!ret) {
		mark_tdx_memory(h);
		tdx_info(h, "%llu KB allocated for PAMT",
			 (unsigned long long)(h->plan->pamt_bytes >> 10));
	}
	platform_hotplug_unlock(h->p, PLATFORM_MEM_HOTPLUG);
	return ret;
}

/* The caller's contract (linux §3.2), checked rather than assumed. */
static int check_contract(struct host *h)
{
	if (atomic_load(&h->cpuhp_readers) <= 0) {
		tdx_err(h, "tdx_enable() needs the CPU hotplug lock held (cpus_read_lock())");
		return -EINVAL;
	}
	for (unsigned lp = 0; lp < platform_nr_lps(h->p); lp++) {
		if (!platform_lp_online(h->p, lp))
			continue;
		if (!platform_lp_in_vmx(h->p, lp) || !atomic_load(&h->lp_initialized[lp])) {
			tdx_err(h, "tdx_enable(): CPU %u is online without VMXON and tdx_cpu_enable()", lp);
			return -EINVAL;
		}
	}
	return 0;
}

static int __tdx_enable(struct host *h)
{
	uint64_t t0 = host_now_ns();
	int ret = init_tdx_module(h);

	h->stats.init_ns = host_now_ns() - t0;
	if (ret) {
		tdx_err(h, "module initialization failed (%d)", ret);
		h->init_error = ret;
		h->status = TDX_MODULE_ERROR;
		return ret;
	}
	tdx_info(h, "module initialized");
	h->status = TDX_MODULE_INITIALIZED;
	return 0;
}

int host_tdx_enable(struct host *h)
{
	int ret;

	if (!h->tdx_platform)
		return -ENODEV;
	ret = check_contract(h);
	if (ret)
		return ret;
	host_mutex_lock(h, &h->tdx_module_lock);
	switch (h->status) {
	case TDX_MODULE_UNINITIALIZED:
		ret = __tdx_enable(h);
		break;
	case TDX_MODULE_INITIALIZED:
		ret = 0;
		break;
	default:
		/* Linux: an earlier failure makes every later call -EINVAL. */
		ret = -EINVAL;
		break;
	}
	pthread_mutex_unlock(&h->tdx_module_lock);
	return ret;
}

enum tdx_module_status host_tdx_module_status(struct host *h)
{
	enum tdx_module_status s;

	host_mutex_lock(h, &h->tdx_module_lock);
	s = h->status;
	pthread_mutex_unlock(&h->tdx_module_lock);
	return s;
}
