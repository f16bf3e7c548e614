/* SPDX-License-Identifier: MIT */
/*
 * Test helpers for the host layer (src/host/): a platform plus a host
 * whose kernel log goes to an open_memstream() buffer, and assertions on
 * exact log lines. cmocka assertions fire inside, so call them from a
 * cmocka test only.
 */
#ifndef TDXSIM_TEST_HOST_MACHINE_H
#define TDXSIM_TEST_HOST_MACHINE_H

#include "machine.h"
#include "host/host.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)

struct hm {
	struct platform *p;
	struct host *h;
	FILE *log;
	char *buf;
	size_t len;
};

/* A platform from c and a host on it logging to memory. */
void hm_new(struct hm *m, const struct tdxsim_platform_config *c,
	    enum memhp_policy memhp);
void hm_free(struct hm *m);
/* hm_new on small_config(2 packages x 2 LPs, 4 GiB) and a successful
 * host_boot: the starting point of most host tests. */
void hm_boot_small(struct hm *m, enum tdxsim_profile prof,
		   enum memhp_policy memhp);

/* The whole log so far (flushed). Only while no other thread logs. */
const char *hm_log(struct hm *m);
/* How many lines of the log equal line exactly. */
unsigned hm_count(struct hm *m, const char *line);
/* Asserts that line is in the log (exactly, as a whole line). */
void hm_assert_line(struct hm *m, const char *line);
void hm_assert_no_line(struct hm *m, const char *line);
/* Asserts that these lines appear in this order (others may come between). */
void hm_assert_in_order(struct hm *m, const char *const *lines, size_t n);
/* Asserts that the log is exactly these lines. */
void hm_assert_log_is(struct hm *m, const char *const *lines, size_t n);
/* Asserts that no line of the log contains text. */
void hm_assert_nothing_like(struct hm *m, const char *text);

/* fn on LP lp; asserts platform_on_lp did not fail for a bad/offline LP. */
int hm_on_lp(struct hm *m, unsigned lp, int (*fn)(void *), void *arg);
/* tdx_enable() on LP lp under cpus_read_lock(). */
int hm_tdx_enable_on(struct hm *m, unsigned lp);
/* tdx_init() on LP 0. */
int hm_tdx_init(struct hm *m);

/* Whether [s, e) lies inside one block of l. */
bool hm_in_list(const struct tdx_memlist *l, uint64_t s, uint64_t e);
/* No page of the host is allocated: everything it manages is free. */
void hm_assert_nothing_allocated(struct hm *m);

#endif
