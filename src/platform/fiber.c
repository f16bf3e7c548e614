/* SPDX-License-Identifier: MIT */
#include "fiber.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void fiber_switch(void **save_sp, void *load_sp);
void fiber_trampoline(void);

#if defined(__SANITIZE_ADDRESS__)
#define FIBER_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define FIBER_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBER_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define FIBER_TSAN 1
#endif
#endif

#ifdef FIBER_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
				    size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
				     const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif
#ifdef FIBER_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

#define CALLEE_SAVED_SLOTS 7   /* r15 r14 r13 r12 rbx rbp + mxcsr/fcw */

bool fiber_create(struct fiber *f, size_t stack_size, void (*fn)(void *),
		  void *arg)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = (stack_size + page - 1) / page * page;
	uint64_t *sp;
	uint8_t *base;

	memset(f, 0, sizeof(*f));
	base = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return false;
	mprotect(base, page, PROT_NONE);            /* overflow faults */
	f->stack = base;
	f->stack_size = size;
	f->bottom = base + page;
	f->size = size;
#ifdef FIBER_ASAN
	/* A new mapping can reuse an old fiber's addresses, whose frames
	 * ASan still has poisoned: start clean. */
	__asan_unpoison_memory_region(f->bottom, f->size);
#endif
	/* The frame fiber_switch pops: control words, r15..rbp, then the
	 * return into the trampoline; the trampoline's call then sees the
	 * 16-byte alignment the ABI promises. */
	sp = (uint64_t *)(base + page + size - 16);
	*--sp = (uint64_t)(uintptr_t)fiber_trampoline;
	*--sp = 0;                                  /* rbp */
	*--sp = 0;                                  /* rbx */
	*--sp = (uint64_t)(uintptr_t)fn;            /* r12 */
	*--sp = (uint64_t)(uintptr_t)arg;           /* r13 */
	*--sp = 0;                                  /* r14 */
	*--sp = 0;                                  /* r15 */
	*--sp = 0x1F80 | (0x37FULL << 32);          /* MXCSR, x87 CW at +4 */
	f->sp = sp;
#ifdef FIBER_TSAN
	f->tsan = __tsan_create_fiber(0);
#endif
	return true;
}

void fiber_destroy(struct fiber *f)
{
	if (!f->stack)
		return;
#ifdef FIBER_TSAN
	__tsan_destroy_fiber(f->tsan);
#endif
	munmap(f->stack, f->stack_size + (size_t)sysconf(_SC_PAGESIZE));
	memset(f, 0, sizeof(*f));
}

void fiber_self(struct fiber *self)
{
	memset(self, 0, sizeof(*self));
#ifdef FIBER_TSAN
	self->tsan = __tsan_get_current_fiber();
#endif
}

/* Back on self after a switch: ASan names the stack we came from, which
 * fills in the bounds of a thread's own stack the first time. */
static void arrived(struct fiber *self, void *fake)
{
#ifdef FIBER_ASAN
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(fake, &bottom, &size);
	if (self->came_from && !self->came_from->bottom) {
		self->came_from->bottom = bottom;
		self->came_from->size = size;
	}
#else
	(void)self;
	(void)fake;
#endif
}

void fiber_entered(struct fiber *self)
{
	arrived(self, NULL);
}

void fiber_switch_to(struct fiber *from, struct fiber *to, bool last)
{
	to->came_from = from;
#ifdef FIBER_ASAN
	__sanitizer_start_switch_fiber(last ? NULL : &from->asan_fake,
				       to->bottom, to->size);
#else
	(void)last;
#endif
#ifdef FIBER_TSAN
	__tsan_switch_to_fiber(to->tsan, 0);
#endif
	fiber_switch(&from->sp, to->sp);
	arrived(from, from->asan_fake);
}
