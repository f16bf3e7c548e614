/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU compatibility check KVM runs before it lets a VM exist: each
 * CPU's VMX capability MSRs and the CPUID features KVM relies on must
 * equal a reference CPU's. Every CPU reads its own values on itself, all
 * in one call, so a snapshot never mixes two CPUs.
 */
#include <errno.h>
#include <stdio.h>

#include "host.h"

#define NR_VMX_MSRS 18   /* IA32_VMX_BASIC 0x480 .. IA32_VMX_VMFUNC 0x491 */

/* CPUID words compared, with the bits that legitimately differ masked out. */
static const struct cpuid_word {
	uint32_t leaf, subleaf;
	unsigned reg;          /* 0 EAX, 1 EBX, 2 ECX, 3 EDX */
	uint32_t mask;
} cpuid_words[] = {
	{ 0x1, 0, 0, 0xFFFFFFFF },
	{ 0x1, 0, 2, 0xFFFFFFFF },
	{ 0x1, 0, 3, 0xFFFFFFFF },
	{ 0x7, 0, 1, 0xFFFFFFFF },
	{ 0x7, 0, 2, 0xFFFFFFFF },
	{ 0x7, 0, 3, 0xFFFFFFFF },
	{ 0xD, 0, 0, 0xFFFFFFFF },
	{ 0xD, 1, 0, 0xFFFFFFFF },
	{ 0x80000001, 0, 2, 0xFFFFFFFF },
	{ 0x80000001, 0, 3, 0xFFFFFFFF },
	{ 0x80000008, 0, 0, 0xFFFFFFFF },
};

#define NR_CPUID_WORDS (sizeof(cpuid_words) / sizeof(cpuid_words[0]))

struct snapshot {
	struct host *h;
	unsigned lp;
	bool has_msr[NR_VMX_MSRS];
	uint64_t msr[NR_VMX_MSRS];
	uint32_t cpuid[NR_CPUID_WORDS];
};

static int take_snapshot(void *arg)
{
	struct snapshot *s = arg;
	struct platform *p = s->h->p;
	uint32_t r[4];

	s->lp = host_this_cpu(s->h);
	for (unsigned i = 0; i < NR_VMX_MSRS; i++)
		s->has_msr[i] = platform_rdmsr(p, s->lp, (uint32_t)(MSR_IA32_VMX_BASIC + i),
					       &s->msr[i]);
	for (unsigned i = 0; i < NR_CPUID_WORDS; i++) {
		platform_cpuid(p, s->lp, cpuid_words[i].leaf, cpuid_words[i].subleaf, r);
		s->cpuid[i] = r[cpuid_words[i].reg] & cpuid_words[i].mask;
	}
	return 0;
}

static void add_diff(struct host *h, const struct snapshot *ref,
		     const struct snapshot *s, const char *field,
		     uint64_t ref_value, uint64_t value)
{
	struct cpu_compat_diff *d;

	host_log(h, "kvm_intel: ", "CPU %u feature inconsistency! %s is 0x%llx, but 0x%llx on CPU %u",
		 s->lp, field, (unsigned long long)value,
		 (unsigned long long)ref_value, ref->lp);
	if (h->n_compat_diffs == HOST_MAX_COMPAT_DIFFS)
		return;
	d = &h->compat_diffs[h->n_compat_diffs++];
	*d = (struct cpu_compat_diff){ .lp = s->lp, .ref_lp = ref->lp,
				       .value = value, .ref_value = ref_value };
	snprintf(d->field, sizeof(d->field), "%s", field);
}

static void compare(struct host *h, const struct snapshot *ref,
		    const struct snapshot *s)
{
	static const char *const regs[] = { "EAX", "EBX", "ECX", "EDX" };
	char field[48];

	for (unsigned i = 0; i < NR_VMX_MSRS; i++) {
		if (ref->has_msr[i] == s->has_msr[i] && ref->msr[i] == s->msr[i])
			continue;
		snprintf(field, sizeof(field), "MSR 0x%x", (unsigned)(MSR_IA32_VMX_BASIC + i));
		add_diff(h, ref, s, field, ref->has_msr[i] ? ref->msr[i] : 0,
			 s->has_msr[i] ? s->msr[i] : 0);
	}
	for (unsigned i = 0; i < NR_CPUID_WORDS; i++) {
		const struct cpuid_word *w = &cpuid_words[i];

		if (ref->cpuid[i] == s->cpuid[i])
			continue;
		snprintf(field, sizeof(field), "CPUID 0x%x.%u %s", w->leaf, w->subleaf,
			 regs[w->reg]);
		add_diff(h, ref, s, field, ref->cpuid[i], s->cpuid[i]);
	}
}

int host_cpu_compat_check(struct host *h)
{
	struct snapshot ref = { .h = h }, s = { .h = h };
	int ret = -ENODEV;

	host_cpus_read_lock(h);
	host_mutex_lock(h, &h->compat_lock);
	h->n_compat_diffs = 0;
	for (unsigned lp = 0; lp < platform_nr_lps(h->p); lp++) {
		if (!platform_lp_online(h->p, lp))
			continue;
		if (ret) {
			ret = platform_on_lp(h->p, lp, take_snapshot, &ref);
			continue;
		}
		platform_on_lp(h->p, lp, take_snapshot, &s);
		compare(h, &ref, &s);
	}
	h->compat_checked = !ret;
	h->compat_ok = !ret && !h->n_compat_diffs;
	ret = ret ? ret : h->compat_ok ? 0 : -EIO;
	pthread_mutex_unlock(&h->compat_lock);
	host_cpus_read_unlock(h);
	return ret;
}

int host_td_creation_allowed(struct host *h)
{
	if (host_tdx_module_status(h) != TDX_MODULE_INITIALIZED) {
		tdx_err(h, "cannot create a TD: the TDX module is not initialized");
		return -ENODEV;
	}
	bool checked, ok;

	host_mutex_lock(h, &h->compat_lock);
	checked = h->compat_checked;
	ok = h->compat_ok;
	pthread_mutex_unlock(&h->compat_lock);
	if (!checked || !ok) {
		tdx_err(h, "cannot create a TD: %s",
			checked ? "CPUs differ in VMX capabilities or CPUID (see above)"
				: "the per-CPU compatibility check has not run");
		return -EIO;
	}
	return 0;
}
