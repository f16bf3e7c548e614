/* SPDX-License-Identifier: MIT */
/* What the memory-map parsers share: lines, numbers, messages, range lists. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap_internal.h"

int mm_fail(const struct mm_ctx *c, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->err || !c->errlen)
		return 2;
	if (line)
		snprintf(c->err, c->errlen, "%s:%u: %s", c->name, line, msg);
	else
		snprintf(c->err, c->errlen, "%s: %s", c->name, msg);
	return 2;
}

void mm_reader_init(struct mm_reader *r, const char *text, size_t len)
{
	r->text = text;
	r->len = text ? len : 0;
	r->pos = 0;
	r->lineno = 0;
	r->buf[0] = '\0';
}

int mm_next_line(struct mm_reader *r, const struct mm_ctx *c)
{
	const char *start = r->text + r->pos, *nl;
	size_t avail = r->len - r->pos, n;

	if (r->pos >= r->len)
		return 0;
	r->lineno++;
	nl = memchr(start, '\n', avail);
	n = nl ? (size_t)(nl - start) : avail;
	r->pos += nl ? n + 1 : n;
	if (n && start[n - 1] == '\r')
		n--;
	if (n > MM_LINE_MAX)
		return mm_fail(c, r->lineno, "line is longer than %d characters",
			       MM_LINE_MAX);
	/* A NUL would end the copy early and hide the rest of the line. */
	if (memchr(start, '\0', n))
		return mm_fail(c, r->lineno, "NUL byte in the text (not a text file?)");
	memcpy(r->buf, start, n);
	r->buf[n] = '\0';
	return 1;
}

const char *mm_skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

void mm_trim_right(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

bool mm_line_is_noise(const char *line)
{
	const char *s = mm_skip_blanks(line);

	return *s == '\0' || *s == '#';
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

bool mm_hex(const char **s, struct mm_num *out)
{
	const char *p = *s;
	uint64_t v = 0;
	int d;

	while ((d = hex_digit(*p)) >= 0) {
		/* Saturate: leading zeros are fine, real overflow is too big. */
		if (v != UINT64_MAX)
			v = v >> 60 ? UINT64_MAX : v << 4 | (uint64_t)d;
		p++;
	}
	if (p == *s)
		return false;
	*out = (struct mm_num){ .v = v, .s = *s, .n = (int)(p - *s) };
	*s = p;
	return true;
}

bool mm_dec(const char **s, uint32_t *out)
{
	const char *p = *s;
	uint32_t v = 0;

	while (*p >= '0' && *p <= '9' && p - *s < 9)
		v = v * 10 + (uint32_t)(*p++ - '0');
	if (p == *s || (*p >= '0' && *p <= '9'))
		return false;
	*out = v;
	*s = p;
	return true;
}

int mm_check_addr(const struct mm_ctx *c, unsigned line,
		  const struct mm_num *num, uint64_t max)
{
	if (num->v <= max)
		return 0;
	return mm_fail(c, line, "address 0x%.*s is outside the 52-bit physical address space",
		       num->n > 40 ? 40 : num->n, num->s);
}

bool mm_list_add(struct mm_list *l, uint64_t base, uint64_t end,
		 enum tdxsim_mem_type type, uint32_t node)
{
	if (l->n >= TDXSIM_MAX_MEMMAP)
		return false;
	l->r[l->n++] = (struct mm_range){ base, end, type, node };
	return true;
}

bool mm_list_add_uncovered(struct mm_list *out, const struct mm_list *cover,
			   uint64_t base, uint64_t end,
			   enum tdxsim_mem_type type, uint32_t node)
{
	uint64_t cur = base;

	for (size_t i = 0; i < cover->n && cur < end; i++) {
		const struct mm_range *r = &cover->r[i];

		if (r->end <= cur)
			continue;
		if (r->base >= end)
			break;
		if (r->base > cur && !mm_list_add(out, cur, r->base, type, node))
			return false;
		cur = r->end;
	}
	return cur >= end || mm_list_add(out, cur, end, type, node);
}

static int cmp_base(const void *a, const void *b)
{
	const struct mm_range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

void mm_list_sort(struct mm_list *l)
{
	qsort(l->r, l->n, sizeof(l->r[0]), cmp_base);
}

void mm_list_store(const struct mm_list *l, struct tdxsim_platform_config *cfg)
{
	cfg->n_memmap = l->n;
	for (size_t i = 0; i < l->n; i++) {
		const struct mm_range *r = &l->r[i];

		cfg->memmap[i] = (struct tdxsim_mem_range){
			.base = r->base, .size = r->end - r->base, .type = r->type,
			.node = r->node == MM_NO_NODE ? 0 : r->node,
		};
	}
}
