/* SPDX-License-Identifier: MIT */
/*
 * Fibers: the execution contexts of TD entry and exit. A vCPU's guest
 * code runs on its own stack; TDH.VP.ENTER switches to it from the LP's
 * thread and a TD exit switches back, with no thread hop (a switch is a
 * few nanoseconds). The sanitizers are told about every switch, so ASan
 * and TSan builds see the stacks as they are.
 */
#ifndef TDXSIM_FIBER_H
#define TDXSIM_FIBER_H

#include <stdbool.h>
#include <stddef.h>

struct fiber {
	void *sp;                 /* saved stack pointer while switched out */
	void *stack;              /* mapping (NULL for a thread's own stack) */
	size_t stack_size;        /* usable bytes above the guard page */
	const void *bottom;       /* lowest usable address, for ASan */
	size_t size;
	void *tsan;               /* TSan fiber handle */
	void *asan_fake;          /* ASan fake-stack save slot */
	struct fiber *came_from;  /* who switched to this fiber last */
};

/* A fiber that will start in fn(arg) on a fresh stack of stack_size
 * bytes (plus a guard page). false when memory is short. */
bool fiber_create(struct fiber *f, size_t stack_size, void (*fn)(void *),
		  void *arg);
void fiber_destroy(struct fiber *f);
/* Makes self stand for the calling thread's current stack. */
void fiber_self(struct fiber *self);
/* First call of a fresh fiber's function (tells ASan where it came from). */
void fiber_entered(struct fiber *self);
/* Switches from the running fiber `from` to `to`; returns when someone
 * switches back to `from`. `last` says `from` will never run again. */
void fiber_switch_to(struct fiber *from, struct fiber *to, bool last);

#endif
