/* SPDX-License-Identifier: MIT */
/* Platform construction, topology and KeyID arithmetic. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "tdxsim/abi.h"
#include "platform_internal.h"
#include "trace.h"

int tdx_module_load(struct platform *p);     /* module/module.c */
void tdx_module_unload(struct platform *p);

static unsigned pkg_shift(unsigned lps_per_package)
{
	unsigned b = 0;

	while ((1u << b) < lps_per_package)
		b++;
	return b ? b : 1;
}

static const struct tdxsim_lp_override *find_override(
	const struct tdxsim_platform_config *c, unsigned lp)
{
	for (size_t i = 0; i < c->n_overrides; i++)
		if (c->overrides[i].lp == lp)
			return &c->overrides[i];
	return NULL;
}

static bool init_lps(struct platform *p)
{
	p->lps = calloc(p->nr_lps, sizeof(*p->lps));
	if (!p->lps)
		return false;
	for (unsigned i = 0; i < p->nr_lps; i++) {
		struct lp *lp = &p->lps[i];

		lp->plat = p;
		lp->index = i;
		lp->package = i / p->cfg.lps_per_package;
		lp->x2apic_id = (lp->package << pkg_shift(p->cfg.lps_per_package)) |
				(i % p->cfg.lps_per_package);
		lp->online = true;
		lp->override = find_override(&p->cfg, i);
		pthread_mutex_init(&lp->occupancy, NULL);
		pthread_mutex_init(&lp->state_lock, NULL);
		cpu_model_init_lp(p, lp);
	}
	return true;
}

/* The per-platform TDREPORT MAC secret (docs/attestation.md). The
 * configuration has no seed, so it is random; tests that need a fixed
 * key call platform_set_report_key(). */
static bool fill_report_key(uint8_t key[32])
{
	size_t got = 0;
	ssize_t n;
	FILE *f;

	while (got < 32) {
		n = getrandom(key + got, 32 - got, 0);
		if (n > 0)
			got += (size_t)n;
		else if (n == 0 || errno != EINTR)
			break;
	}
	if (got == 32)
		return true;
	f = fopen("/dev/urandom", "rb");
	if (!f)
		return false;
	got = fread(key, 1, 32, f);
	fclose(f);
	return got == 32;
}

void platform_report_key(const struct platform *p, uint8_t out[32])
{
	memcpy(out, p->report_key, sizeof(p->report_key));
}

void platform_set_report_key(struct platform *p, const uint8_t key[32])
{
	memcpy(p->report_key, key, sizeof(p->report_key));
}

struct platform *platform_create(const struct tdxsim_platform_config *cfg,
				 char *err, size_t errlen)
{
	struct platform *p = calloc(1, sizeof(*p));
	char why[256];

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->cfg = *cfg;
	pthread_mutex_init(&p->programs_lock, NULL);
	pthread_rwlock_init(&p->hotplug[PLATFORM_CPU_HOTPLUG], NULL);
	pthread_rwlock_init(&p->hotplug[PLATFORM_MEM_HOTPLUG], NULL);
	if (!tdxsim_config_finish(&p->cfg, why, sizeof(why))) {
		snprintf(err, errlen, "%s", why);
		free(p);
		return NULL;
	}
	p->nr_lps = p->cfg.packages * p->cfg.lps_per_package;
	/* KeyIDs sit at the top of a 52-bit address whatever MAXPA says: the
	 * module's hkid_start_bit is 52 - MK_TME_KEYID_BITS (tdh_sys_init.c). */
	p->keyid_shift = 52 - p->cfg.keyid_bits;
	p->mem = physmem_create(52);
	if (!p->mem || !init_lps(p)) {
		snprintf(err, errlen, "out of memory");
		platform_destroy(p);
		return NULL;
	}
	if (!fill_report_key(p->report_key)) {
		snprintf(err, errlen, "cannot draw the platform report key: %s",
			 strerror(errno));
		platform_destroy(p);
		return NULL;
	}
	if (p->cfg.module_loaded && tdx_module_load(p) != 0) {
		snprintf(err, errlen, "cannot load the TDX module: out of memory");
		platform_destroy(p);
		return NULL;
	}
	return p;
}

void platform_destroy(struct platform *p)
{
	if (!p)
		return;
	tdx_module_unload(p);
	platform_trace_free(p);
	if (p->lps) {
		for (unsigned i = 0; i < p->nr_lps; i++) {
			pthread_mutex_destroy(&p->lps[i].occupancy);
			pthread_mutex_destroy(&p->lps[i].state_lock);
		}
	}
	free(p->lps);
	physmem_destroy(p->mem);
	pthread_mutex_destroy(&p->programs_lock);
	pthread_rwlock_destroy(&p->hotplug[PLATFORM_CPU_HOTPLUG]);
	pthread_rwlock_destroy(&p->hotplug[PLATFORM_MEM_HOTPLUG]);
	free(p);
}

const struct tdxsim_platform_config *platform_config(const struct platform *p)
{
	return &p->cfg;
}

unsigned platform_nr_lps(const struct platform *p)
{
	return p->nr_lps;
}

unsigned platform_nr_packages(const struct platform *p)
{
	return p->cfg.packages;
}

unsigned platform_lp_package(const struct platform *p, unsigned lp)
{
	return lp < p->nr_lps ? p->lps[lp].package : ~0u;
}

uint32_t platform_lp_x2apic_id(const struct platform *p, unsigned lp)
{
	return lp < p->nr_lps ? p->lps[lp].x2apic_id : ~0u;
}

void platform_wbinvd(struct platform *p)
{
	atomic_fetch_add(&p->wbinvd_count, 1);
}

uint64_t platform_wbinvd_count(const struct platform *p)
{
	return atomic_load(&((struct platform *)p)->wbinvd_count);
}

/* ---- KeyIDs ---- */

unsigned platform_keyid_shift(const struct platform *p)
{
	return p->keyid_shift;
}

uint32_t platform_pa_keyid(const struct platform *p, uint64_t pa)
{
	return (uint32_t)((pa >> p->keyid_shift) &
			  ((1ULL << p->cfg.keyid_bits) - 1));
}

uint64_t platform_pa_strip(const struct platform *p, uint64_t pa)
{
	return pa & ((1ULL << p->keyid_shift) - 1);
}

uint64_t platform_pa_with_keyid(const struct platform *p, uint64_t pa,
				uint32_t keyid)
{
	return platform_pa_strip(p, pa) | ((uint64_t)keyid << p->keyid_shift);
}

uint32_t platform_first_private_keyid(const struct platform *p)
{
	return p->cfg.mktme_keyids + 1;
}

bool platform_keyid_is_private(const struct platform *p, uint32_t keyid)
{
	uint32_t first = platform_first_private_keyid(p);

	return keyid >= first && keyid < first + p->cfg.tdx_keyids;
}
