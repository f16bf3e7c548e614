/* SPDX-License-Identifier: MIT */
/*
 * Inter-processor interrupts: each LP's local APIC holds at most one
 * pending fixed vector (the highest sent since the last acknowledge).
 * Senders are any thread; the guest on the LP polls the word with a
 * relaxed load at each instruction boundary (module/td_run.h) and the
 * host's handler takes it with platform_ack_ipi().
 */
#include <errno.h>

#include "platform_internal.h"

int platform_send_ipi(struct platform *p, unsigned lp, uint8_t vector)
{
	struct lp *l;
	uint8_t old;

	if (lp >= p->nr_lps || vector < 32)
		return -EINVAL;
	l = &p->lps[lp];
	old = atomic_load_explicit(&l->ipi_vector, memory_order_relaxed);
	while (old < vector &&
	       !atomic_compare_exchange_weak_explicit(&l->ipi_vector, &old, vector,
						      memory_order_seq_cst,
						      memory_order_relaxed))
		;
	atomic_fetch_add_explicit(&l->ipis, 1, memory_order_relaxed);
	return 0;
}

uint8_t platform_ipi_pending(const struct platform *p, unsigned lp)
{
	if (lp >= p->nr_lps)
		return 0;
	return atomic_load_explicit(&p->lps[lp].ipi_vector, memory_order_relaxed);
}

uint8_t platform_ack_ipi(struct platform *p, unsigned lp)
{
	if (lp >= p->nr_lps)
		return 0;
	if (!atomic_load_explicit(&p->lps[lp].ipi_vector, memory_order_relaxed))
		return 0;
	return atomic_exchange(&p->lps[lp].ipi_vector, 0);
}

uint64_t platform_ipis_sent(const struct platform *p, unsigned lp)
{
	if (lp >= p->nr_lps)
		return 0;
	return atomic_load_explicit(&p->lps[lp].ipis, memory_order_relaxed);
}

const _Atomic uint8_t *platform_lp_ipi_word(struct platform *p, unsigned lp)
{
	return lp < p->nr_lps ? &p->lps[lp].ipi_vector : NULL;
}
