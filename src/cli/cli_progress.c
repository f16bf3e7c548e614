/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli_common.h"
#include "cli_progress.h"

/* The first line only after a second: a short run shows nothing. */
#define PERIOD_S 1

static void show(struct cli_progress *p)
{
	fprintf(stderr, "\r%s: %.0f s, %llu TD entries", p->cmd, cli_now() - p->t0,
		(unsigned long long)atomic_load_explicit(&p->entries, memory_order_relaxed));
	fflush(stderr);
	p->shown = true;
}

static void *loop(void *arg)
{
	struct cli_progress *p = arg;
	struct timespec until;

	pthread_mutex_lock(&p->lock);
	clock_gettime(CLOCK_REALTIME, &until);
	while (!p->stop) {
		until.tv_sec += PERIOD_S;
		while (!p->stop && pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
			;
		if (!p->stop)
			show(p);
	}
	/* Erase the line, so what follows on the terminal starts clean. */
	if (p->shown)
		fputs("\r\033[K", stderr);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void cli_progress_start(struct cli_progress *p, const char *cmd)
{
	p->cmd = cmd;
	atomic_init(&p->entries, 0);
	p->running = p->stop = p->shown = false;
	p->t0 = cli_now();
	if (!isatty(STDERR_FILENO))
		return;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->running = !pthread_create(&p->thread, NULL, loop, p);
	if (!p->running) {
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
	}
}

void cli_progress_stop(struct cli_progress *p)
{
	if (!p->running)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	p->running = false;
}
