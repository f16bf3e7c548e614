/* SPDX-License-Identifier: MIT */
/* The host object: its log, its page allocator and its locks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"

static const char *const memhp_names[] = { "strict", "report" };

const char *memhp_policy_name(enum memhp_policy p)
{
	return (unsigned)p < 2 ? memhp_names[p] : "?";
}

bool memhp_policy_parse(const char *name, enum memhp_policy *out)
{
	for (unsigned i = 0; i < 2; i++)
		if (!strcmp(name, memhp_names[i])) {
			*out = (enum memhp_policy)i;
			return true;
		}
	return false;
}

static const char *const kernel_names[] = { "mainline", "6.12" };

const char *host_kernel_name(enum host_kernel k)
{
	return (unsigned)k < 2 ? kernel_names[k] : "?";
}

bool host_kernel_parse(const char *name, enum host_kernel *out)
{
	for (unsigned i = 0; i < 2; i++)
		if (!strcmp(name, kernel_names[i])) {
			*out = (enum host_kernel)i;
			return true;
		}
	return false;
}

uint64_t host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Boot memory: the RAM of the map from 1 MiB up, as memblock holds it. */
static int add_boot_memory(struct host *h)
{
	tdx_memlist_from_config(platform_config(h->p), &h->memblock);
	for (size_t i = 0; i < h->memblock.n; i++) {
		struct tdx_memblock *b = &h->memblock.b[i];
		int ret;

		b->start = (b->start + 4095) & ~4095ULL;
		b->end &= ~4095ULL;
		ret = page_alloc_add(h->pages, b->start, b->end, b->node, false);
		if (ret)
			return ret;
	}
	return 0;
}

struct host *host_create(struct platform *p, const struct host_options *o,
			 char *err, size_t errlen)
{
	struct host *h = calloc(1, sizeof(*h));

	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->p = p;
	if (o)
		h->opt = *o;
	h->t0_ns = host_now_ns();
	pthread_mutex_init(&h->log_lock, NULL);
	pthread_mutex_init(&h->sysinit_lock, NULL);
	pthread_mutex_init(&h->tdx_module_lock, NULL);
	pthread_mutex_init(&h->compat_lock, NULL);
	h->pages = page_alloc_create(platform_nr_packages(p));
	if (!h->pages || add_boot_memory(h)) {
		snprintf(err, errlen, "cannot set up the host page allocator");
		host_destroy(h);
		return NULL;
	}
	return h;
}

void host_destroy(struct host *h)
{
	if (!h)
		return;
	if (h->plan) {
		tdmr_plan_free_pamts(h->plan, h->pages);
		free(h->plan);
	}
	page_alloc_destroy(h->pages);
	pthread_mutex_destroy(&h->compat_lock);
	pthread_mutex_destroy(&h->tdx_module_lock);
	pthread_mutex_destroy(&h->sysinit_lock);
	pthread_mutex_destroy(&h->log_lock);
	free(h);
}

void host_log(struct host *h, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	if (!h->opt.log)
		return;
	pthread_mutex_lock(&h->log_lock);
	if (h->opt.timestamps) {
		uint64_t t = host_now_ns() - h->t0_ns;

		fprintf(h->opt.log, "[%5llu.%06llu] ", (unsigned long long)(t / 1000000000ULL),
			(unsigned long long)(t / 1000 % 1000000));
	}
	fputs(prefix, h->opt.log);
	va_start(ap, fmt);
	vfprintf(h->opt.log, fmt, ap);
	va_end(ap);
	fputc('\n', h->opt.log);
	pthread_mutex_unlock(&h->log_lock);
}

unsigned host_this_cpu(const struct host *h)
{
	int lp = platform_current_lp(h->p);

	return lp < 0 ? 0 : (unsigned)lp;
}

/*
 * A task that blocks on a lock gives up its CPU, as a sleeping task does
 * (platform_yield_lp): host locks are taken after every LP a thread may
 * want (lock, then LP), and a bound thread that must wait unbinds first.
 */
void host_mutex_lock(struct host *h, pthread_mutex_t *m)
{
	int lp;

	if (!pthread_mutex_trylock(m))
		return;
	lp = platform_yield_lp(h->p);
	pthread_mutex_lock(m);
	platform_resume_lp(h->p, lp);
}

void host_rwlock_lock(struct host *h, pthread_rwlock_t *l, bool write)
{
	int lp;

	if (!(write ? pthread_rwlock_trywrlock(l) : pthread_rwlock_tryrdlock(l)))
		return;
	lp = platform_yield_lp(h->p);
	if (write)
		pthread_rwlock_wrlock(l);
	else
		pthread_rwlock_rdlock(l);
	platform_resume_lp(h->p, lp);
}
