/* SPDX-License-Identifier: MIT */
/*
 * `tdxsim td --image FILE`'s loader: the file's bytes become a TD's
 * measured initial image at GPA 0 (vm_init_mem_region, src/vmm/vm_mem.c),
 * on a small machine booted once. Each input builds, measures, finalizes
 * and tears down one TD, and every host page must come back.
 */
#include <string.h>

#include "fuzz.h"
#include "host/host.h"
#include "host/page_alloc.h"
#include "tdxsim/platform.h"
#include "vmm/vmm.h"

static struct platform *plat;
static struct host *host;

struct one {
	const uint8_t *data;
	size_t size;
};

static void boot(void)
{
	struct tdxsim_platform_config cfg;
	struct host_options ho;
	char err[512] = "";

	tdxsim_config_default(&cfg);
	cfg.packages = 1;
	cfg.lps_per_package = 2;
	cfg.n_memmap = 0;
	cfg.memmap[cfg.n_memmap++] = (struct tdxsim_mem_range){ 0, 0xA0000, TDXSIM_MEM_RAM, 0 };
	cfg.memmap[cfg.n_memmap++] =
		(struct tdxsim_mem_range){ 0x100000, (1ULL << 30) - 0x100000, TDXSIM_MEM_RAM, 0 };
	memset(&ho, 0, sizeof(ho));
	ho.log = fuzz_sink();
	ho.policy = TDMR_POLICY_LINUX;
	if (!tdxsim_config_finish(&cfg, err, sizeof(err)) ||
	    !(plat = platform_create(&cfg, err, sizeof(err))) ||
	    !(host = host_create(plat, &ho, err, sizeof(err))) || host_boot(host)) {
		fprintf(stderr, "fuzz_td_image: cannot boot: %s\n", err);
		abort();
	}
}

static int build(void *arg)
{
	const struct one *in = arg;
	struct td_config td = { .vcpus = 1, .memory_bytes = 16ULL << 20 };
	struct vmm *v = vmm_create(host);
	uint64_t free0 = page_alloc_free_bytes(host->pages);
	char err[512];
	struct vm *vm;
	int ret;

	if (!v)
		abort();
	ret = vm_create(v, &td, &vm, err, sizeof(err));
	if (ret)
		abort();
	ret = vm_init_vcpus(vm);
	if (!ret)
		ret = vm_init_mem_region(vm, 0, in->data, in->size);
	if (!ret)
		ret = vm_finalize(vm);
	vm_destroy(vm);
	vmm_destroy(v);
	if (page_alloc_free_bytes(host->pages) != free0) {
		fprintf(stderr, "fuzz_td_image: a %zu-byte image leaked host pages\n", in->size);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct one in = { data, size };

	if (!plat)
		boot();
	if (platform_on_lp(plat, 0, build, &in))
		abort();
	return 0;
}
