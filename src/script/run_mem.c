/* SPDX-License-Identifier: MIT */
/* Running `write` and `read`: memory as a CPU sees it, KeyID included. */
#include <string.h>

#include "script_int.h"
#include "tdxsim/platform.h"

static bool mem_pa(struct runner *r, const struct mem_step *m, uint64_t *pa)
{
	unsigned bits;
	uint64_t k;

	if (!rt_need_platform(r) || !expr_eval(r, &m->addr, pa))
		return false;
	if (!m->has_keyid)
		return true;
	if (!expr_eval(r, &m->keyid, &k))
		return false;
	bits = platform_config(r->p)->keyid_bits;
	if (k >> bits) {
		rt_error(r, "KeyID %llu does not fit in the platform's %u KeyID bits",
			 (unsigned long long)k, bits);
		return false;
	}
	*pa = platform_pa_with_keyid(r->p, *pa, (uint32_t)k);
	return true;
}

static const char *mem_status_text(enum tdxsim_mem_status st)
{
	switch (st) {
	case TDXSIM_MEM_OK:     return "ok";
	case TDXSIM_MEM_POISON: return "poison (machine check)";
	default:                return "bad-address (outside memory)";
	}
}

static void put_le(uint8_t *buf, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		buf[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *buf, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i-- > 0; )
		v = v << 8 | buf[i];
	return v;
}

/* The length of a bytes or zero access, checked against max. */
static bool mem_len(struct runner *r, const struct mem_step *m, uint64_t max,
		    uint64_t *len)
{
	if (!expr_eval(r, &m->value, len))
		return false;
	if (*len == 0 || *len > max) {
		rt_error(r, "length %llu is not in 1..%llu",
			 (unsigned long long)*len, (unsigned long long)max);
		return false;
	}
	return true;
}

int exec_write(struct runner *r, const struct step *st)
{
	const struct mem_step *m = &st->u.mem;
	enum tdxsim_mem_status ms;
	uint8_t buf[8];
	uint64_t pa, v;

	if (!mem_pa(r, m, &pa))
		return SCRIPT_FAILED;
	if (m->kind == MEM_BYTES) {
		ms = platform_mem_write(r->p, pa, r->s->bytes + m->data, m->ndata);
	} else if (m->kind == MEM_ZERO) {
		if (!mem_len(r, m, SCRIPT_MAX_ZERO, &v))
			return SCRIPT_FAILED;
		ms = platform_mem_zero(r->p, pa, v);
	} else {
		if (!expr_eval(r, &m->value, &v))
			return SCRIPT_FAILED;
		if (m->width < 8 && v >> (8 * m->width))
			return rt_error(r, "value 0x%llx does not fit in %u bytes",
					(unsigned long long)v, m->width);
		put_le(buf, v, m->width);
		ms = platform_mem_write(r->p, pa, buf, m->width);
	}
	if (ms != TDXSIM_MEM_OK)
		return rt_error(r, "write to 0x%llx: %s", (unsigned long long)pa,
				mem_status_text(ms));
	return SCRIPT_OK;
}

static void print_hex(FILE *f, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

static int bytes_mismatch(struct runner *r, uint64_t pa, const uint8_t *want,
			  const uint8_t *got, size_t n)
{
	rt_error(r, "read 0x%llx: bytes differ", (unsigned long long)pa);
	fprintf(r->err, "%s:%u: expected ", rt_file(r, rt_step(r)), rt_step(r)->line);
	print_hex(r->err, want, n);
	fprintf(r->err, "\n%s:%u: got      ", rt_file(r, rt_step(r)), rt_step(r)->line);
	print_hex(r->err, got, n);
	fputc('\n', r->err);
	return SCRIPT_FAILED;
}

/* Compares or prints what was read; ms was TDXSIM_MEM_OK. */
static int read_result(struct runner *r, const struct mem_step *m, uint64_t pa,
		       const uint8_t *buf, uint64_t len)
{
	uint64_t v = m->kind == MEM_VALUE ? get_le(buf, m->width) : 0, want;

	if (m->expect == MX_BYTES) {
		if (len != m->ndata)
			return rt_error(r, "read of %llu bytes expects %u bytes",
					(unsigned long long)len, m->ndata);
		if (memcmp(buf, r->s->bytes + m->data, len))
			return bytes_mismatch(r, pa, r->s->bytes + m->data, buf, len);
	} else if (m->expect == MX_VALUE) {
		if (!expr_eval(r, &m->value, &want))
			return SCRIPT_FAILED;
		if (v != want)
			return rt_error(r, "read 0x%llx: expected 0x%llx, got 0x%llx",
					(unsigned long long)pa, (unsigned long long)want,
					(unsigned long long)v);
	} else if (m->save == SCRIPT_NO_VAR) {
		fprintf(r->out, "0x%llx: ", (unsigned long long)pa);
		if (m->kind == MEM_VALUE)
			fprintf(r->out, "0x%llx", (unsigned long long)v);
		else
			print_hex(r->out, buf, len);
		fputc('\n', r->out);
	}
	rt_set_var(r, m->save, v);
	return SCRIPT_OK;
}

int exec_read(struct runner *r, const struct step *st)
{
	const struct mem_step *m = &st->u.mem;
	enum tdxsim_mem_status ms, want;
	uint8_t buf[SCRIPT_MAX_BYTES];
	uint64_t pa, len = m->width;

	if (!mem_pa(r, m, &pa))
		return SCRIPT_FAILED;
	if (m->kind == MEM_BYTES && !mem_len(r, m, SCRIPT_MAX_BYTES, &len))
		return SCRIPT_FAILED;
	ms = platform_mem_read(r->p, pa, buf, len);
	want = m->expect == MX_POISON ? TDXSIM_MEM_POISON :
	       m->expect == MX_BAD_ADDR ? TDXSIM_MEM_BAD_ADDR : TDXSIM_MEM_OK;
	if (ms != want && want != TDXSIM_MEM_OK)
		return rt_error(r, "read 0x%llx: expected %s, got %s",
				(unsigned long long)pa, mem_status_text(want),
				mem_status_text(ms));
	if (ms != TDXSIM_MEM_OK && want == TDXSIM_MEM_OK)
		return rt_error(r, "read 0x%llx: %s", (unsigned long long)pa,
				mem_status_text(ms));
	if (want != TDXSIM_MEM_OK)
		return SCRIPT_OK;
	return read_result(r, m, pa, buf, len);
}
