/* SPDX-License-Identifier: MIT */
/*
 * The real kernel's TDX host code (Linux in the loop, docs/linux.md)
 * against src/host/'s boot, on the default 64 GiB platform and on
 * bench_boot's 2-socket 4 TiB one. Each boot runs in its own forked
 * child, so every figure is that boot's own wall time and peak RSS, and
 * rounds of the two alternate, so a noisy machine weighs on both alike.
 * Prints the medians of ROUNDS, Linux ÷ host, and PASS/MISS against the
 * targets. Exits 0 whatever the numbers; non-zero only when a boot fails
 * or the two hosts' PAMT totals differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/host.h"
#include "bench_common.h"
#include "bench_platforms.h"
#include "tdxsim/linux.h"
#include "tdxsim/tdxsim.h"

#define ROUNDS 7
#define TARGET_RATIO 2.0
#define TARGET_RSS_MIB 64.0

struct sample {
	double ms;
	double rss_mib;
	uint64_t pamt_bytes;
	int ok;
	char err[160];
};

/* src/host/, exactly as bench_boot boots it. */
static void host_child(struct platform *p, struct sample *s)
{
	struct host_options o = { .policy = TDMR_POLICY_LINUX };
	struct host *h = host_create(p, &o, s->err, sizeof(s->err));
	double t0;

	if (!h)
		return;
	t0 = bench_now_ns();
	s->ok = host_boot(h) == 0;
	s->ms = (bench_now_ns() - t0) / 1e6;
	s->pamt_bytes = h->plan->pamt_bytes;
	if (!s->ok)
		snprintf(s->err, sizeof(s->err), "host_boot failed");
	host_destroy(h);
}

/* Early boot's tdx_init() and KVM's module load, as `tdxsim linux boot`
 * runs them. Loading the kernel object is left out of the time, as
 * creating the host is on the other side. */
static void linux_child(struct platform *p, struct sample *s)
{
	struct tdxsim_linux_options o = { 0 };
	struct tdxsim_linux *l = tdxsim_linux_create(p, &o, s->err, sizeof(s->err));
	double t0;
	int ret;

	if (!l)
		return;
	t0 = bench_now_ns();
	tdxsim_linux_tdx_init(l);
	ret = tdxsim_linux_kvm_bringup(l);
	s->ms = (bench_now_ns() - t0) / 1e6;
	s->ok = ret == 0;
	s->pamt_bytes = tdxsim_linux_pamt_bytes(l);
	if (!s->ok)
		snprintf(s->err, sizeof(s->err), "kvm_bringup: %d", ret);
	tdxsim_linux_destroy(l);
}

static void boot_child(const struct tdxsim_platform_config *c, int is_linux,
		       int fd)
{
	struct sample s = { 0 };
	struct rusage ru;
	struct platform *p;

	p = platform_create(c, s.err, sizeof(s.err));
	if (p)
		(is_linux ? linux_child : host_child)(p, &s);
	/* Read before teardown: the peak is what the boot held. */
	getrusage(RUSAGE_SELF, &ru);
	s.rss_mib = ru.ru_maxrss / 1024.0;
	platform_destroy(p);
	if (write(fd, &s, sizeof(s)) != sizeof(s))
		_exit(1);
	_exit(0);
}

static int boot_round(const struct tdxsim_platform_config *c, int is_linux,
		      struct sample *s)
{
	int fds[2], status;
	pid_t pid;

	memset(s, 0, sizeof(*s));
	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		boot_child(c, is_linux, fds[1]);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], s, sizeof(*s)) != sizeof(*s)) {
		s->ok = 0;
		snprintf(s->err, sizeof(s->err), "the child died");
	}
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (!s->ok)
		fprintf(stderr, "%s boot of %s: %s\n", is_linux ? "linux" : "host",
			c->name, s->err);
	return s->ok ? 0 : -1;
}

struct result {
	double host_ms, host_rss, linux_ms, linux_rss;
	uint64_t pamt_bytes;
};

static int compare(const struct tdxsim_platform_config *c, struct result *r)
{
	double hm[ROUNDS], hr[ROUNDS], lm[ROUNDS], lr[ROUNDS];

	for (int i = 0; i < ROUNDS; i++) {
		struct sample h, l;

		if (boot_round(c, 0, &h) || boot_round(c, 1, &l))
			return -1;
		if (h.pamt_bytes != l.pamt_bytes) {
			fprintf(stderr, "%s: PAMT total %llu (host) != %llu (linux)\n",
				c->name, (unsigned long long)h.pamt_bytes,
				(unsigned long long)l.pamt_bytes);
			return -1;
		}
		r->pamt_bytes = h.pamt_bytes;
		hm[i] = h.ms;
		hr[i] = h.rss_mib;
		lm[i] = l.ms;
		lr[i] = l.rss_mib;
	}
	r->host_ms = bench_median(hm, ROUNDS);
	r->host_rss = bench_median(hr, ROUNDS);
	r->linux_ms = bench_median(lm, ROUNDS);
	r->linux_rss = bench_median(lr, ROUNDS);
	return 0;
}

static const char *verdict(const struct result *r)
{
	return r->linux_ms <= TARGET_RATIO * r->host_ms &&
	       r->linux_rss <= TARGET_RSS_MIB ? "PASS" : "MISS";
}

static void print(const char *what, const struct result *r)
{
	printf("%-28s : linux %8.2f ms, host %8.2f ms (%.2fx), peak RSS linux %6.1f MiB, host %6.1f MiB, PAMT %.1f MiB both\n",
	       what, r->linux_ms, r->host_ms, r->linux_ms / r->host_ms,
	       r->linux_rss, r->host_rss, r->pamt_bytes / 1048576.0);
}

int main(void)
{
	static struct tdxsim_platform_config def, big;
	struct result r64, r4t;

	if (!tdxsim_linux_default_object()) {
		fprintf(stderr, "this build has no kernel object\n");
		return 1;
	}
	if (bench_two_platforms(&def, &big))
		return 1;
	if (compare(&def, &r64) || compare(&big, &r4t))
		return 1;
	print("boot default (64 GiB)", &r64);
	print("boot 2-socket 4 TiB", &r4t);
	printf("linux_boot_64gib ratio=%.2f peak_rss_mib=%.1f linux_boot_4tib ratio=%.2f peak_rss_mib=%.1f targets<=%.0fx,<=%.0fMiB: %s %s\n",
	       r64.linux_ms / r64.host_ms, r64.linux_rss,
	       r4t.linux_ms / r4t.host_ms, r4t.linux_rss,
	       TARGET_RATIO, TARGET_RSS_MIB, verdict(&r64), verdict(&r4t));
	return 0;
}
