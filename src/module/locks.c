/* SPDX-License-Identifier: MIT */
#include "locks.h"

#define HP_EX   1ULL
#define HP_PRIO 2ULL
#define HP_ONE  4ULL
#define HP_MASK 0xFFFFULL

static bool hp_shared(_Atomic uint64_t *word)
{
	uint64_t v = atomic_load_explicit(word, memory_order_relaxed), n;

	do {
		if (v & HP_EX)
			n = v | HP_PRIO;
		else
			n = (v & ~HP_PRIO) + HP_ONE;
	} while (!atomic_compare_exchange_weak_explicit(
			 word, &v, n, memory_order_acquire, memory_order_relaxed));
	return !(v & HP_EX);
}

static bool hp_exclusive(_Atomic uint64_t *word)
{
	uint64_t v = atomic_load_explicit(word, memory_order_relaxed), n;

	do {
		uint64_t lock = v & HP_MASK;

		/* Free, or free apart from a host-priority mark: the host takes it. */
		if (lock == 0 || lock == HP_PRIO)
			n = (v & ~HP_MASK) | HP_EX;
		else
			n = v | HP_PRIO;
	} while (!atomic_compare_exchange_weak_explicit(
			 word, &v, n, memory_order_acquire, memory_order_relaxed));
	return (v & HP_MASK) == 0 || (v & HP_MASK) == HP_PRIO;
}

bool hp_lock_host_try(_Atomic uint64_t *word, enum lock_mode mode)
{
	return mode == LOCK_EX ? hp_exclusive(word) : hp_shared(word);
}

void hp_lock_release(_Atomic uint64_t *word, enum lock_mode mode)
{
	if (mode == LOCK_EX)
		atomic_fetch_and_explicit(word, ~(HP_MASK & ~HP_PRIO),
					  memory_order_release);
	else
		atomic_fetch_sub_explicit(word, HP_ONE, memory_order_release);
}
