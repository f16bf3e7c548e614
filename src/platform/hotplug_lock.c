/* SPDX-License-Identifier: MIT */
/*
 * The machine's CPU- and memory-hotplug locks, and waiting without an
 * LP. They hang off the platform, not off a host, so that src/host, the
 * real kernel's code and anything else driving hotplug on one machine
 * exclude each other as Linux's own callers do.
 */
#include <errno.h>

#include "platform_internal.h"

int platform_yield_lp(struct platform *p)
{
	int lp = platform_current_lp(p);

	platform_unbind(p);
	return lp;
}

void platform_resume_lp(struct platform *p, int lp)
{
	if (lp < 0 || !platform_bind(p, (unsigned)lp))
		return;
	for (unsigned i = 0; i < p->nr_lps; i++)
		if (!platform_bind(p, i))
			return;
}

bool platform_hotplug_trylock(struct platform *p, enum platform_hotplug_lock which,
			      bool write)
{
	pthread_rwlock_t *l = &p->hotplug[which];

	return !(write ? pthread_rwlock_trywrlock(l) : pthread_rwlock_tryrdlock(l));
}

void platform_hotplug_lock(struct platform *p, enum platform_hotplug_lock which,
			   bool write)
{
	pthread_rwlock_t *l = &p->hotplug[which];
	int lp;

	if (platform_hotplug_trylock(p, which, write))
		return;
	lp = platform_yield_lp(p);
	if (write)
		pthread_rwlock_wrlock(l);
	else
		pthread_rwlock_rdlock(l);
	platform_resume_lp(p, lp);
}

void platform_hotplug_unlock(struct platform *p, enum platform_hotplug_lock which)
{
	pthread_rwlock_unlock(&p->hotplug[which]);
}
