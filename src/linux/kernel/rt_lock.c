/* SPDX-License-Identifier: MIT */
/*
 * Kernel locks over pthreads. A task that sleeps on a mutex or the
 * hotplug locks gives its CPU up meanwhile (docs/host.md, "Host locks
 * and LPs"); a raw spinlock spins on its CPU, as it does in the kernel.
 * The kernel's lock storage is a zeroed block, which is glibc's static
 * initialiser for both mutexes and rwlocks (checked in klx_locks_setup).
 */
#include <errno.h>
#include <string.h>

#include "rt.h"

_Static_assert(sizeof(pthread_mutex_t) <= KLX_LOCK_WORDS * 8, "mutex storage");

static __thread int cpus_held;

void klx_block_on(int (*try_fn)(void *), int (*wait_fn)(void *), void *lock)
{
	int cpu;

	if (!try_fn(lock))
		return;
	cpu = klx.ops.cpu_yield(klx.ops.ctx);
	wait_fn(lock);
	klx.ops.cpu_resume(klx.ops.ctx, cpu);
}

static int mutex_try(void *m) { return pthread_mutex_trylock(m); }
static int mutex_wait(void *m) { return pthread_mutex_lock(m); }

void klx_mutex_lock(void *m)
{
	klx_block_on(mutex_try, mutex_wait, m);
}

int klx_mutex_trylock(void *m)
{
	return pthread_mutex_trylock(m) == 0;
}

void klx_mutex_unlock(void *m)
{
	pthread_mutex_unlock(m);
}

int klx_mutex_is_locked(void *m)
{
	if (pthread_mutex_trylock(m) == EBUSY)
		return 1;
	pthread_mutex_unlock(m);
	return 0;
}

void klx_spin_lock(void *l)
{
	pthread_mutex_lock(l);
}

void klx_spin_unlock(void *l)
{
	pthread_mutex_unlock(l);
}

void klx_barrier(void)
{
	static pthread_mutex_t order = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&order);
	pthread_mutex_unlock(&order);
}

/* The hotplug locks are the platform's (klx_ops.hotplug_lock). */
enum { CPUS, MEMS };

static void hp_lock(int which, bool write)
{
	klx.ops.hotplug_lock(klx.ops.ctx, which, write);
}

static void hp_unlock(int which)
{
	klx.ops.hotplug_unlock(klx.ops.ctx, which);
}

void klx_cpus_read_lock(void)
{
	hp_lock(CPUS, false);
	cpus_held++;
}

void klx_cpus_read_unlock(void)
{
	cpus_held--;
	hp_unlock(CPUS);
}

int klx_cpus_held(void)
{
	return cpus_held > 0;
}

/* The CPU hotplug writer is the bridge, which runs the online
 * callbacks on this thread with the lock held (klx_kernel.cpu_online):
 * lockdep sees it held. */
void klx_cpus_lock_inherited(bool held)
{
	cpus_held += held ? 1 : -1;
}

void get_online_mems(void);
void put_online_mems(void);

void get_online_mems(void)
{
	hp_lock(MEMS, false);
}

void put_online_mems(void)
{
	hp_unlock(MEMS);
}

void klx_mem_hotplug_begin(void)
{
	hp_lock(MEMS, true);
}

void klx_mem_hotplug_done(void)
{
	hp_unlock(MEMS);
}
