/* SPDX-License-Identifier: MIT */
/*
 * Guest programs a user adds to a platform: the machine's "option ROM",
 * which a TD's firmware searches after its built-in programs. Kept on the
 * platform, not in a global table, so two machines in one process never
 * see each other's programs.
 */
#include <errno.h>
#include <string.h>

#include "platform_internal.h"
#include "tdxsim/guest.h"

static const struct tdx_guest_program *find(struct platform *p, const char *name)
{
	for (unsigned i = 0; i < p->n_programs; i++)
		if (!strcmp(p->programs[i]->name, name))
			return p->programs[i];
	return NULL;
}

int platform_add_guest_program(struct platform *p,
			       const struct tdx_guest_program *prog)
{
	int ret = 0;

	if (!prog || !prog->name || !prog->name[0] || !prog->main)
		return -EINVAL;
	pthread_mutex_lock(&p->programs_lock);
	if (find(p, prog->name))
		ret = -EEXIST;
	else if (p->n_programs == PLATFORM_MAX_PROGRAMS)
		ret = -ENOSPC;
	else
		p->programs[p->n_programs++] = prog;
	pthread_mutex_unlock(&p->programs_lock);
	return ret;
}

const struct tdx_guest_program *platform_guest_program(struct platform *p,
							const char *name)
{
	const struct tdx_guest_program *prog;

	pthread_mutex_lock(&p->programs_lock);
	prog = find(p, name);
	pthread_mutex_unlock(&p->programs_lock);
	return prog;
}
