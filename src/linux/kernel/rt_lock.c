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

static int rd_try(void *l) { return pthread_rwlock_tryrdlock(l); }
static int rd_wait(void *l) { return pthread_rwlock_rdlock(l); }
static int wr_try(void *l) { return pthread_rwlock_trywrlock(l); }
static int wr_wait(void *l) { return pthread_rwlock_wrlock(l); }

void klx_cpus_read_lock(void)
{
	klx_block_on(rd_try, rd_wait, &klx.cpu_hotplug_lock);
	cpus_held++;
}

void klx_cpus_read_unlock(void)
{
	cpus_held--;
	pthread_rwlock_unlock(&klx.cpu_hotplug_lock);
}

int klx_cpus_held(void)
{
	return cpus_held > 0;
}

/* CPU hotplug writers (onlining a CPU) take it exclusively. */
void klx_cpus_write_lock(void)
{
	klx_block_on(wr_try, wr_wait, &klx.cpu_hotplug_lock);
	cpus_held++;
}

void klx_cpus_write_unlock(void)
{
	klx_cpus_read_unlock();
}

void get_online_mems(void);
void put_online_mems(void);

void get_online_mems(void)
{
	klx_block_on(rd_try, rd_wait, &klx.mem_hotplug_lock);
}

void put_online_mems(void)
{
	pthread_rwlock_unlock(&klx.mem_hotplug_lock);
}

void klx_mem_hotplug_begin(void)
{
	klx_block_on(wr_try, wr_wait, &klx.mem_hotplug_lock);
}

void klx_mem_hotplug_done(void)
{
	pthread_rwlock_unlock(&klx.mem_hotplug_lock);
}
