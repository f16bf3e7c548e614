/* SPDX-License-Identifier: MIT */
/* Early TDX detection (linux §3.1): the KeyID partitioning in MSR 0x87. */
#include <errno.h>

#include "host.h"

int host_tdx_init(struct host *h)
{
	uint64_t v;
	uint32_t nr_mktme, nr_tdx;

	if (!platform_rdmsr(h->p, host_this_cpu(h), MSR_IA32_MKTME_KEYID_PARTITIONING, &v))
		return -ENODEV;
	nr_mktme = (uint32_t)v;
	nr_tdx = (uint32_t)(v >> 32);
	if (!nr_tdx)
		return -ENODEV;
	tdx_info(h, "BIOS enabled: private KeyID range [%u, %u)",
		 nr_mktme + 1, nr_mktme + 1 + nr_tdx);
	/* One global KeyID for the module plus at least one for a TD. */
	if (nr_tdx < 2) {
		tdx_err(h, "initialization failed: too few private KeyIDs available.");
		return -ENODEV;
	}
	tdx_info(h, "Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3.");
	h->global_keyid = nr_mktme + 1;
	h->guest_keyid_start = h->global_keyid + 1;
	h->nr_guest_keyids = nr_tdx - 1;
	h->tdx_platform = true;
	return 0;
}
