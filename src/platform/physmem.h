/* SPDX-License-Identifier: MIT */
/*
 * Sparse simulated physical memory, below the platform's public accessors.
 *
 * A 4 KiB frame exists once written; an absent frame reads as zero. Each
 * frame has a TD-owner bit and a poison bit per 64-byte line. Frames filled
 * with a repeating 16-byte pattern (PAMT initialisation) share one read-only
 * frame and are copied on first write, so an initialised but untouched PAMT
 * costs almost nothing.
 */
#ifndef TDXSIM_PHYSMEM_H
#define TDXSIM_PHYSMEM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#define PHYSMEM_LINES_PER_FRAME 64

/* A frame's bytes are its own (own[], 4096 bytes allocated with it) or a
 * page of a host buffer adopted with physmem_adopt(): host code (the
 * kernel environment, docs/linux.md) then reads and writes simulated
 * memory with plain loads and stores through its own pointers. */
struct frame {
	uint8_t *data;                 /* own, or the adopted page */
	_Atomic uint64_t td_bits;      /* bit i: line i is TD-owned */
	_Atomic uint64_t poison_bits;  /* bit i: line i is poisoned */
	bool shared;                   /* pattern frame: copy before writing */
	bool adopted;                  /* data is not the frame's to free */
	uint8_t own[] __attribute__((aligned(16)));   /* malloc gives 16 */
};

#define PHYSMEM_FRAME_BYTES (sizeof(struct frame) + 4096)

struct physmem;

struct physmem *physmem_create(unsigned pa_bits);
void physmem_destroy(struct physmem *m);

/* pa here never carries a KeyID; the platform strips it. */
bool physmem_in_range(const struct physmem *m, uint64_t pa, uint64_t len);

/* The frame holding pa, or NULL when absent (reads as zero). */
struct frame *physmem_peek(const struct physmem *m, uint64_t pa);
/* The frame holding pa, materialised and private (never a shared frame). */
struct frame *physmem_touch(struct physmem *m, uint64_t pa);

/*
 * Points every whole frame of [pa, pa+len) at a shared frame filled with
 * pattern (16 bytes), with all TD bits set when td_owned. Partial frames at
 * the ends are written normally. pa and len must be 16-byte aligned.
 */
void physmem_fill_pattern(struct physmem *m, uint64_t pa, uint64_t len,
			  const uint8_t pattern[16], bool td_owned);

/*
 * Backs the npages frames from pa (page aligned) with host[0 .. npages *
 * 4096) (page aligned): their current contents, TD and poison bits move
 * into the new frames. physmem_release() gives each page its own memory
 * back, with what the host buffer holds then; until then the buffer must
 * stay allocated. Neither may race with other accesses to those pages.
 */
void physmem_adopt(struct physmem *m, uint64_t pa, void *host, uint64_t npages);
void physmem_release(struct physmem *m, uint64_t pa, uint64_t npages);

/* Drops frames wholly inside [pa, pa+len) (they read as zero again). */
void physmem_discard(struct physmem *m, uint64_t pa, uint64_t len);

/* Calls fn for each present frame in [pa, pa+len), in address order. */
void physmem_for_each(const struct physmem *m, uint64_t pa, uint64_t len,
		      void (*fn)(uint64_t frame_pa, const struct frame *f,
				 void *arg),
		      void *arg);

/* Changes whenever a private frame is freed: a frame pointer taken at
 * one generation is still valid while the generation is the same. */
uint64_t physmem_generation(const struct physmem *m);

uint64_t physmem_frames(const struct physmem *m);   /* private frames */
uint64_t physmem_host_bytes(const struct physmem *m);

#endif
