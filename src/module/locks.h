/* SPDX-License-Identifier: MIT */
/*
 * The module's locks (tdx-module-abi.md §6.1). None of them ever waits:
 * an acquisition that cannot succeed at once fails, and the caller turns
 * that into TDX_SYS_BUSY or TDX_OPERAND_BUSY.
 */
#ifndef TDXSIM_MODULE_LOCKS_H
#define TDXSIM_MODULE_LOCKS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* sharex_lock_t: bit 0 exclusive, bits 15:1 reader count. */
typedef _Atomic uint16_t sharex_lock_t;
/* mutex_lock_t: 0 free, 1 held. */
typedef _Atomic uint8_t mutex_lock_t;

enum lock_mode { LOCK_SH, LOCK_EX };

static inline bool sharex_try(sharex_lock_t *l, enum lock_mode mode)
{
	uint16_t v = atomic_load_explicit(l, memory_order_relaxed);

	if (mode == LOCK_EX) {
		v = 0;
		return atomic_compare_exchange_strong_explicit(
			l, &v, 1, memory_order_acquire, memory_order_relaxed);
	}
	do {
		if (v & 1)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(
			 l, &v, (uint16_t)(v + 2), memory_order_acquire,
			 memory_order_relaxed));
	return true;
}

static inline void sharex_release(sharex_lock_t *l, enum lock_mode mode)
{
	if (mode == LOCK_EX)
		atomic_store_explicit(l, 0, memory_order_release);
	else
		atomic_fetch_sub_explicit(l, 2, memory_order_release);
}

static inline bool mutex_try(mutex_lock_t *l)
{
	uint8_t v = 0;

	return atomic_compare_exchange_strong_explicit(
		l, &v, 1, memory_order_acquire, memory_order_relaxed);
}

static inline void mutex_release(mutex_lock_t *l)
{
	atomic_store_explicit(l, 0, memory_order_release);
}

/*
 * sharex_hp_lock_t lives in bits 15:0 of a 64-bit word (the PAMT entry's
 * first word): bit 0 exclusive, bit 1 host priority, bits 15:2 readers.
 * These are the host-side operations: a failed host acquisition sets the
 * host-priority bit so that guests back off (§6.1).
 */
bool hp_lock_host_try(_Atomic uint64_t *word, enum lock_mode mode);
void hp_lock_release(_Atomic uint64_t *word, enum lock_mode mode);

#endif
