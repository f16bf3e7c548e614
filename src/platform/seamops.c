/* SPDX-License-Identifier: MIT */
/*
 * The CPU's SEAMOPS leaves that serve local attestation, as tdxsim
 * simulates them (docs/attestation.md). On hardware the report key lives
 * in the CPU and is derived for a CPUSVN; here it is the platform's
 * secret (platform_report_key) and the CPU's SVN is all zeros.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "platform_internal.h"
#include "tdxsim/tdreport.h"

void platform_cpusvn(const struct platform *p, uint8_t out[16])
{
	(void)p;
	memset(out, 0, 16);
}

bool platform_has_seamverifyreport(const struct platform *p)
{
	return p->cfg.seamverifyreport;
}

/* A report key exists only for a CPUSVN this CPU has reached; the real
 * comparison is the CPU's own, this one is per byte. */
static bool cpusvn_reached(const struct platform *p, const uint8_t svn[16])
{
	uint8_t mine[16];

	platform_cpusvn(p, mine);
	for (unsigned i = 0; i < 16; i++)
		if (svn[i] > mine[i])
			return false;
	return true;
}

uint64_t platform_seamverifyreport(const struct platform *p,
				   const struct tdx_report_mac *rm)
{
	uint8_t mac[TDX_REPORT_MAC_SIZE];
	int differs;

	if (!cpusvn_reached(p, rm->cpusvn))
		return SEAMOPS_INVALID_CPUSVN;
	tdx_report_compute_mac(rm, p->report_key, mac);
	differs = CRYPTO_memcmp(mac, rm->mac, sizeof(mac));
	OPENSSL_cleanse(mac, sizeof(mac));
	return differs ? SEAMOPS_INVALID_REPORTMACSTRUCT : SEAMOPS_SUCCESS;
}
