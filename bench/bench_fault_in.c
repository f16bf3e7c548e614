/* SPDX-License-Identifier: MIT */
/*
 * Private fault-in and zap: vm_map_private() of every 4 KiB page of a
 * finalized 1 GiB TD with no image (262144 pages: SEPT.ADD as needed,
 * then PAGE.AUG), then vm_zap_private() of the same pages (BLOCK, TRACK,
 * REMOVE, WBINVD), on LP 0 of the default platform. Every round is a
 * fresh TD, destroyed afterwards; medians of ROUNDS rounds in pages/s,
 * next to baselines measured in the same run: an empty call and memset
 * of 1 GiB of host memory, freshly mapped (first touch, the host's own
 * fault-in) and already touched. Host RAM behind the simulated memory
 * (platform_mem_host_bytes) is printed before the map, after it and
 * after the zap.
 * Exits 0 whatever the numbers; non-zero when a map or zap fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench_common.h"
#include "bench_td_host.h"
#include "vmm/vmm.h"

#define ROUNDS 3
#define PAGE 4096ULL
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TD_BYTES GiB
#define N_PAGES (TD_BYTES / PAGE)

static volatile uint64_t sink;

struct run {
	struct host *h;
	double map_ms[ROUNDS], zap_ms[ROUNDS];
	uint64_t bytes_before, bytes_mapped, bytes_zapped;
	uint64_t pages_held_mapped, pages_held_zapped;
	uint64_t fail_gpa;
	const char *fail_op;
	char err[512];
};

static int map_all(struct vm *vm, struct run *r)
{
	for (uint64_t gpa = 0; gpa < TD_BYTES; gpa += PAGE) {
		int ret = vm_map_private(vm, gpa);

		if (ret) {
			r->fail_op = "vm_map_private";
			r->fail_gpa = gpa;
			return ret;
		}
	}
	return 0;
}

static int zap_all(struct vm *vm, struct run *r)
{
	for (uint64_t gpa = 0; gpa < TD_BYTES; gpa += PAGE) {
		int ret = vm_zap_private(vm, gpa);

		if (ret) {
			r->fail_op = "vm_zap_private";
			r->fail_gpa = gpa;
			return ret;
		}
	}
	return 0;
}

/* One fresh finalized TD: the timed map, the timed zap, destroy. */
static int round_on_td(struct vmm *v, struct run *r, int i)
{
	const struct td_config cfg = { .vcpus = 1, .memory_bytes = TD_BYTES };
	struct vm *vm;
	double t0;
	int ret = vm_create(v, &cfg, &vm, r->err, sizeof(r->err));

	if (ret) {
		r->fail_op = "vm_create";
		return ret;
	}
	ret = vm_init_vcpus(vm);
	if (!ret)
		ret = vm_finalize(vm);
	if (ret)
		r->fail_op = "vm_init_vcpus/vm_finalize";
	if (!ret) {
		r->bytes_before = platform_mem_host_bytes(r->h->p);
		t0 = bench_now_ns();
		ret = map_all(vm, r);
		r->map_ms[i] = (bench_now_ns() - t0) / 1e6;
	}
	if (!ret) {
		r->bytes_mapped = platform_mem_host_bytes(r->h->p);
		r->pages_held_mapped = vm_pages_held(vm);
		t0 = bench_now_ns();
		ret = zap_all(vm, r);
		r->zap_ms[i] = (bench_now_ns() - t0) / 1e6;
	}
	if (!ret) {
		r->bytes_zapped = platform_mem_host_bytes(r->h->p);
		r->pages_held_zapped = vm_pages_held(vm);
	}
	if (ret)
		snprintf(r->err, sizeof(r->err), "%s", vm_error(vm));
	vm_destroy(vm);
	return ret;
}

static int run_on_lp0(void *arg)
{
	struct run *r = arg;
	struct vmm *v = vmm_create(r->h);
	int ret = 0;

	if (!v) {
		snprintf(r->err, sizeof(r->err), "vmm_create: out of memory");
		return -ENOMEM;
	}
	for (int i = 0; !ret && i < ROUNDS; i++)
		ret = round_on_td(v, r, i);
	vmm_destroy(v);
	return ret;
}

/* Through a volatile pointer so the stores cannot be optimised away. */
static void *(*volatile memset_ptr)(void *, int, size_t) = memset;

static double median_empty_ns(void)
{
	double t[ROUNDS];

	for (int k = 0; k < ROUNDS; k++) {
		uint64_t acc = 0;
		double t0 = bench_now_ns();

		for (int i = 0; i < 1000000; i++)
			acc = bench_empty_call(acc);
		t[k] = (bench_now_ns() - t0) / 1e6;   /* ns per call */
		sink = acc;
	}
	return bench_median(t, ROUNDS);
}

/* memset of 1 GiB: fresh anonymous memory each round (first touch, so
 * the kernel's page faults are in), and the same memory set again. */
static int median_memset_ms(double *fresh, double *warm)
{
	double tf[ROUNDS], tw[ROUNDS];

	for (int k = 0; k < ROUNDS; k++) {
		uint8_t *b = mmap(NULL, GiB, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		double t0;

		if (b == MAP_FAILED)
			return -1;
		t0 = bench_now_ns();
		memset_ptr(b, k + 1, GiB);
		tf[k] = (bench_now_ns() - t0) / 1e6;
		t0 = bench_now_ns();
		memset_ptr(b, k + 2, GiB);
		tw[k] = (bench_now_ns() - t0) / 1e6;
		sink = b[GiB / 2];
		munmap(b, GiB);
	}
	*fresh = bench_median(tf, ROUNDS);
	*warm = bench_median(tw, ROUNDS);
	return 0;
}

static double pages_per_s(double ms)
{
	return N_PAGES / (ms / 1e3);
}

int main(void)
{
	struct run r = { 0 };
	char label[64];
	double e, ms_fresh, ms_warm, map, zap;
	int ret;

	ret = bench_on_default_host(run_on_lp0, &r, &r.h);
	if (ret) {
		fprintf(stderr, "%s failed (%d) at GPA 0x%llx: %s\n",
			r.fail_op ? r.fail_op : "?", ret,
			(unsigned long long)r.fail_gpa, r.err);
		return 1;
	}
	/* Baselines after the TD work: its peak host memory and theirs do
	 * not add up. */
	e = median_empty_ns();
	if (median_memset_ms(&ms_fresh, &ms_warm)) {
		fprintf(stderr, "mmap of 1 GiB failed\n");
		return 1;
	}
	map = bench_median(r.map_ms, ROUNDS);
	zap = bench_median(r.zap_ms, ROUNDS);

	printf("%-31s: %10.2f ns/call\n", "empty call (fn ptr)", e);
	printf("%-31s: %10.2f ms, %10.0f pages/s\n", "memset 1 GiB, first touch",
	       ms_fresh, pages_per_s(ms_fresh));
	printf("%-31s: %10.2f ms, %10.0f pages/s\n", "memset 1 GiB, already touched",
	       ms_warm, pages_per_s(ms_warm));
	snprintf(label, sizeof(label), "fault-in 1 GiB (%llu pages)",
		 (unsigned long long)N_PAGES);
	printf("%-31s: %10.2f ms, %10.0f pages/s, %6.0f ns/page "
	       "(%.2fx memset first touch)\n",
	       label, map, pages_per_s(map), map * 1e6 / N_PAGES, map / ms_fresh);
	snprintf(label, sizeof(label), "zap 1 GiB (%llu pages)",
		 (unsigned long long)N_PAGES);
	printf("%-31s: %10.2f ms, %10.0f pages/s, %6.0f ns/page "
	       "(%.2fx memset first touch)\n",
	       label, zap, pages_per_s(zap), zap * 1e6 / N_PAGES, zap / ms_fresh);
	printf("%-31s: %.1f MiB before map, %.1f MiB mapped, %.1f MiB after zap\n",
	       "simulated memory held by host", r.bytes_before / (double)MiB,
	       r.bytes_mapped / (double)MiB, r.bytes_zapped / (double)MiB);
	printf("%-31s: %llu mapped, %llu after zap\n", "TD pages held",
	       (unsigned long long)r.pages_held_mapped,
	       (unsigned long long)r.pages_held_zapped);
	printf("fault_in_pages_per_s=%.0f zap_pages_per_s=%.0f memset_first_touch_pages_per_s=%.0f\n",
	       pages_per_s(map), pages_per_s(zap), pages_per_s(ms_fresh));
	return 0;
}
