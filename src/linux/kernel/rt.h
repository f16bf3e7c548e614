/* SPDX-License-Identifier: MIT */
/*
 * The runtime's shared state. One instance of the kernel environment is
 * one loaded copy of the kernel object, so this state, like the kernel's
 * own file-scope variables, belongs to exactly one boot.
 */
#ifndef KLX_RT_INTERNAL_H
#define KLX_RT_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../klx.h"
#include "klx_rt.h"

struct klx_rt {
	struct klx_ops ops;
	struct klx_options opt;
	struct klx_counts counts;
	pthread_mutex_t count_lock;
	uint64_t caps[2];                    /* X86_FEATURE_*, X86_BUG_* */
	bool irqs_off[KLX_MAX_CPUS];
};

extern struct klx_rt klx;

/* A lock wait that gives up the calling thread's CPU while it blocks. */
void klx_block_on(int (*try_fn)(void *), int (*wait_fn)(void *), void *lock);
void klx_count(unsigned *what);

/* rt_mem.c */
int klx_mem_setup(void);
void klx_mem_teardown(void);
unsigned klx_mem_ledger(struct klx_alloc *out, unsigned max);
void klx_mem_counts(struct klx_counts *out);
int klx_memblock_add(uint64_t start, uint64_t end, int node, bool pages_free);
void klx_mem_free_add(uint64_t start, uint64_t end, int node);

/* rt_lock.c */
void klx_mem_hotplug_begin(void);
void klx_mem_hotplug_done(void);
void klx_cpus_lock_inherited(bool held);

#endif
