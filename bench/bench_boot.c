/* SPDX-License-Identifier: MIT */
/*
 * Host boot (tdx_init .. tdx_enable .. compatibility check) of the default
 * 64 GiB platform and of a 2-socket 4 TiB platform. Each round boots in a
 * forked child, so every figure is that boot's own wall time and peak RSS;
 * the median of ROUNDS is printed next to baselines measured in the same
 * run: an empty call, memcpy of 16 MiB, SHA-384 of 4 KiB.
 * Exits 0 whatever the numbers; non-zero only when a boot fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "host/host.h"
#include "bench_common.h"
#include "bench_platforms.h"
#include "tdxsim/tdxsim.h"

#define ROUNDS 7
#define TARGET_MS 200.0
#define TARGET_RSS_MIB 64.0

static volatile uint64_t sink;

struct sample {
	double ms;
	double rss_mib;
	int ok;
};

static void boot_child(const struct tdxsim_platform_config *c, int fd)
{
	struct sample s = { 0 };
	struct rusage ru;
	struct platform *p;
	struct host *h;
	char err[256];
	double t0;

	p = platform_create(c, err, sizeof(err));
	h = p ? host_create(p, &(struct host_options){ 0 }, err, sizeof(err)) : NULL;
	if (h) {
		t0 = bench_now_ns();
		s.ok = host_boot(h) == 0;
		s.ms = (bench_now_ns() - t0) / 1e6;
	}
	getrusage(RUSAGE_SELF, &ru);
	s.rss_mib = ru.ru_maxrss / 1024.0;
	host_destroy(h);
	platform_destroy(p);
	if (write(fd, &s, sizeof(s)) != sizeof(s))
		_exit(1);
	_exit(0);
}

static int boot_round(const struct tdxsim_platform_config *c, struct sample *s)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		boot_child(c, fds[1]);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], s, sizeof(*s)) != sizeof(*s))
		s->ok = 0;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return s->ok ? 0 : -1;
}

static int median_boot(const struct tdxsim_platform_config *c, double *ms,
		       double *rss)
{
	double t[ROUNDS], r[ROUNDS];

	for (int i = 0; i < ROUNDS; i++) {
		struct sample s;

		if (boot_round(c, &s))
			return -1;
		t[i] = s.ms;
		r[i] = s.rss_mib;
	}
	*ms = bench_median(t, ROUNDS);
	*rss = bench_median(r, ROUNDS);
	return 0;
}

/* Through a volatile pointer so the copy cannot be optimised away. */
static void *(*volatile memcpy_ptr)(void *, const void *, size_t) = memcpy;

static double median_baseline(int which)
{
	static uint8_t src[16 << 20], dst[16 << 20], page[4096];
	double r[ROUNDS];

	for (int k = 0; k < ROUNDS; k++) {
		double t0 = bench_now_ns();
		uint64_t acc = 0;

		if (which == 0) {
			for (int i = 0; i < 1000000; i++)
				acc = bench_empty_call(acc);
			r[k] = (bench_now_ns() - t0) / 1e6;          /* ns per call */
		} else if (which == 1) {
			src[k] = (uint8_t)k;
			memcpy_ptr(dst, src, sizeof(src));
			acc = dst[k];
			r[k] = (bench_now_ns() - t0) / 1e6;          /* ms */
		} else {
			unsigned char md[SHA384_DIGEST_LENGTH];

			for (int i = 0; i < 1000; i++) {
				page[0] = (uint8_t)i;
				SHA384(page, sizeof(page), md);
				acc += md[0];
			}
			r[k] = (bench_now_ns() - t0) / 1e3 / 1000;   /* us per call */
		}
		sink = acc;
	}
	return bench_median(r, ROUNDS);
}

int main(void)
{
	static struct tdxsim_platform_config def, big;
	double e, mc, sha, ms64, rss64, ms4t, rss4t;

	if (bench_two_platforms(&def, &big))
		return 1;
	/* Boots first: a child's peak RSS would count the baselines'
	 * buffers the parent had touched. */
	if (median_boot(&def, &ms64, &rss64) || median_boot(&big, &ms4t, &rss4t)) {
		fprintf(stderr, "a boot failed\n");
		return 1;
	}
	e = median_baseline(0);
	mc = median_baseline(1);
	sha = median_baseline(2);
	printf("empty call (fn ptr)          : %8.2f ns/call\n", e);
	printf("memcpy 16 MiB                : %8.2f ms\n", mc);
	printf("SHA-384 over 4 KiB           : %8.2f us\n", sha);
	printf("boot default (64 GiB)        : %8.2f ms, peak RSS %6.1f MiB (%.1fx memcpy 16 MiB)\n",
	       ms64, rss64, ms64 / mc);
	printf("boot 2-socket 4 TiB          : %8.2f ms, peak RSS %6.1f MiB (%.1fx memcpy 16 MiB)\n",
	       ms4t, rss4t, ms4t / mc);
	printf("boot_4tib_median_ms=%.1f peak_rss_mib=%.1f targets<=%.0fms,<=%.0fMiB: %s\n",
	       ms4t, rss4t, TARGET_MS, TARGET_RSS_MIB,
	       ms4t <= TARGET_MS && rss4t <= TARGET_RSS_MIB ? "PASS" : "MISS");
	return 0;
}
