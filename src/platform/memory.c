/* SPDX-License-Identifier: MIT */
/*
 * CPU-side memory access: KeyIDs in the upper address bits and TDX's
 * logical-integrity rules per 64-byte line (tdx-module-abi.md, DESIGN.md
 * "Memory"): a shared-KeyID read of a TD-owned line returns zeros; a
 * shared-KeyID write clears the TD bit and poisons the line; a private
 * write sets the TD bit; a private read of a poisoned line is a #MC.
 */
#include <string.h>

#include "platform_internal.h"

static const uint8_t zero_frame[4096];

bool platform_mem_decode(const struct platform *p, uint64_t pa, size_t len,
			 uint64_t *addr, bool *private)
{
	if (pa >> 52)
		return false;
	*addr = platform_pa_strip(p, pa);
	*private = platform_keyid_is_private(p, platform_pa_keyid(p, pa));
	return physmem_in_range(p->mem, *addr, len) &&
	       *addr + len <= (1ULL << p->keyid_shift);
}

/* Mask of the lines of one frame that [off, off+n) touches. */
static uint64_t line_mask(uint64_t off, uint64_t n)
{
	unsigned first = (unsigned)(off / 64), last = (unsigned)((off + n - 1) / 64);

	if (last - first == 63)
		return ~0ULL;
	return ((1ULL << (last - first + 1)) - 1) << first;
}

enum tdxsim_mem_status platform_mem_read(struct platform *p, uint64_t pa,
					 void *buf, size_t len)
{
	uint8_t *out = buf;
	uint64_t addr;
	bool private;

	if (!platform_mem_decode(p, pa, len, &addr, &private))
		return TDXSIM_MEM_BAD_ADDR;
	while (len) {
		const struct frame *f = physmem_peek(p->mem, addr);
		uint64_t off = addr & 4095, n = 4096 - off;

		if (n > len)
			n = len;
		if (!f) {
			memset(out, 0, n);
		} else {
			uint64_t mask = line_mask(off, n);
			uint64_t td = atomic_load(&((struct frame *)f)->td_bits);
			uint64_t poison = atomic_load(&((struct frame *)f)->poison_bits);

			if (private && (poison & mask))
				return TDXSIM_MEM_POISON;
			memcpy(out, f->data + off, n);
			if (!private && (td & mask)) {
				for (uint64_t o = off; o < off + n; ) {
					uint64_t lend = (o | 63) + 1;

					if (lend > off + n)
						lend = off + n;
					if (td & (1ULL << (o / 64)))
						memset(out + (o - off), 0, lend - o);
					o = lend;
				}
			}
		}
		out += n;
		addr += n;
		len -= n;
	}
	return TDXSIM_MEM_OK;
}

void platform_mark_lines(struct frame *f, uint64_t mask, bool private)
{
	if (private) {
		atomic_fetch_or(&f->td_bits, mask);
		atomic_fetch_and(&f->poison_bits, ~mask);
	} else {
		uint64_t owned = atomic_fetch_and(&f->td_bits, ~mask) & mask;

		if (owned)
			atomic_fetch_or(&f->poison_bits, owned);
	}
}

static enum tdxsim_mem_status mem_store(struct platform *p, uint64_t pa,
					const void *buf, size_t len)
{
	const uint8_t *in = buf;
	uint64_t addr;
	bool private;

	if (!platform_mem_decode(p, pa, len, &addr, &private))
		return TDXSIM_MEM_BAD_ADDR;
	while (len) {
		uint64_t off = addr & 4095, n = 4096 - off;
		struct frame *f;

		if (n > len)
			n = len;
		/* Zeros over an absent, never-owned frame change nothing. */
		if (!in && !physmem_peek(p->mem, addr) && !private) {
			addr += n;
			len -= n;
			continue;
		}
		f = physmem_touch(p->mem, addr);
		if (in)
			memcpy(f->data + off, in, n);
		else
			memset(f->data + off, 0, n);
		platform_mark_lines(f, line_mask(off, n), private);
		if (in)
			in += n;
		addr += n;
		len -= n;
	}
	return TDXSIM_MEM_OK;
}

enum tdxsim_mem_status platform_mem_write(struct platform *p, uint64_t pa,
					  const void *buf, size_t len)
{
	static const uint8_t none;

	return mem_store(p, pa, len ? buf : &none, len);
}

/*
 * MOVDIR64B of zeros: whole-line direct stores, which on parts with the
 * partial-write erratum are the only way to hand a private line back
 * without poisoning it (linux §3.10, tdx_quirk_reset_paddr). A page that
 * ends up all shared zeros is dropped, so resetting a PAMT gives its
 * host memory back.
 */
enum tdxsim_mem_status platform_mem_reset_lines(struct platform *p, uint64_t pa,
						size_t len)
{
	uint64_t addr;
	bool private;

	if ((pa | len) & 63)
		return TDXSIM_MEM_BAD_ADDR;
	if (!platform_mem_decode(p, pa, len, &addr, &private))
		return TDXSIM_MEM_BAD_ADDR;
	while (len) {
		uint64_t off = addr & 4095, n = 4096 - off;
		uint64_t mask;
		struct frame *f;

		if (n > len)
			n = len;
		mask = line_mask(off, n);
		if (!private && !physmem_peek(p->mem, addr)) {
			addr += n;
			len -= n;
			continue;
		}
		f = physmem_touch(p->mem, addr);
		memset(f->data + off, 0, n);
		atomic_fetch_and(&f->poison_bits, ~mask);
		if (private)
			atomic_fetch_or(&f->td_bits, mask);
		else
			atomic_fetch_and(&f->td_bits, ~mask);
		if (!private && !f->adopted && !atomic_load(&f->td_bits) &&
		    !atomic_load(&f->poison_bits) &&
		    !memcmp(f->data, zero_frame, sizeof(zero_frame)))
			physmem_discard(p->mem, addr & ~4095ULL, 4096);
		addr += n;
		len -= n;
	}
	return TDXSIM_MEM_OK;
}

enum tdxsim_mem_status platform_mem_zero(struct platform *p, uint64_t pa,
					 size_t len)
{
	return mem_store(p, pa, NULL, len);
}

bool platform_line_td_owned(const struct platform *p, uint64_t pa)
{
	const struct frame *f = physmem_peek(p->mem, platform_pa_strip(p, pa));

	return f && (atomic_load(&((struct frame *)f)->td_bits) >>
		     ((pa & 4095) / 64) & 1);
}

bool platform_line_poisoned(const struct platform *p, uint64_t pa)
{
	const struct frame *f = physmem_peek(p->mem, platform_pa_strip(p, pa));

	return f && (atomic_load(&((struct frame *)f)->poison_bits) >>
		     ((pa & 4095) / 64) & 1);
}

uint64_t platform_mem_host_bytes(const struct platform *p)
{
	return physmem_host_bytes(p->mem);
}

uint64_t platform_mem_frames(const struct platform *p)
{
	return physmem_frames(p->mem);
}

void platform_fill_pattern(struct platform *p, uint64_t pa, uint64_t len,
			   const uint8_t pattern[16])
{
	uint64_t addr;
	bool private;

	if (!len || !platform_mem_decode(p, pa, len, &addr, &private))
		return;
	physmem_fill_pattern(p->mem, addr, len, pattern, private);
}

static bool host_range_ok(struct platform *p, uint64_t pa, const void *host,
			  size_t len)
{
	return !((pa | len | (uintptr_t)host) & 4095) && len &&
	       pa == platform_pa_strip(p, pa) &&
	       physmem_in_range(p->mem, pa, len);
}

enum tdxsim_mem_status platform_mem_adopt(struct platform *p, uint64_t pa,
					  void *host, size_t len)
{
	if (!host || !host_range_ok(p, pa, host, len))
		return TDXSIM_MEM_BAD_ADDR;
	physmem_adopt(p->mem, pa, host, len / 4096);
	return TDXSIM_MEM_OK;
}

enum tdxsim_mem_status platform_mem_release(struct platform *p, uint64_t pa,
					    size_t len)
{
	if (!host_range_ok(p, pa, NULL, len))
		return TDXSIM_MEM_BAD_ADDR;
	physmem_release(p->mem, pa, len / 4096);
	return TDXSIM_MEM_OK;
}
