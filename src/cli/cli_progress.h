/* SPDX-License-Identifier: MIT */
/* Progress of a long run on stderr, only when stderr is a terminal (a
 * log file or a pipe gets none): the seconds so far and the TD entries
 * made, once a second, on one line that is erased at the end. */
#ifndef TDXSIM_CLI_PROGRESS_H
#define TDXSIM_CLI_PROGRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct cli_progress {
	const char *cmd;
	_Atomic uint64_t entries;       /* what the run counts into */
	bool running;                   /* the thread exists */
	bool stop, shown;
	double t0;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
};

/* Starts the display when stderr is a terminal; the counter works either way. */
void cli_progress_start(struct cli_progress *p, const char *cmd);
void cli_progress_stop(struct cli_progress *p);

#endif
