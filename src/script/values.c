/* SPDX-License-Identifier: MIT */
/*
 * Values in a scenario: numbers (decimal, 0x-hex, K/M/G suffixes),
 * $variables, md:FIELD metadata IDs, a+b-c expressions, statuses,
 * registers and hex byte strings; plus the program's pools.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "script_int.h"
#include "tdxsim/abi_names.h"

bool pool_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *nb;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	nb = realloc(*buf, ncap * elem);
	if (!nb)
		return false;
	*buf = nb;
	*cap = ncap;
	return true;
}

void script_free(struct script *s)
{
	free(s->steps);
	free(s->terms);
	free(s->bytes);
	free(s->strs);
}

uint32_t script_add_str(struct script *s, const char *str, size_t len)
{
	uint32_t off = (uint32_t)s->nstrs;

	if (!pool_grow((void **)&s->strs, &s->capstrs, s->nstrs + len + 1, 1))
		return SCRIPT_NO_STR;
	memcpy(s->strs + off, str, len);
	s->strs[off + len] = '\0';
	s->nstrs += len + 1;
	return off;
}

const char *script_str(const struct script *s, uint32_t off)
{
	return off == SCRIPT_NO_STR ? "" : s->strs + off;
}

int script_var_find(const struct script *s, const char *name, size_t len)
{
	for (unsigned i = 0; i < s->nvars; i++)
		if (strlen(s->vars[i]) == len && !memcmp(s->vars[i], name, len))
			return (int)i;
	return SCRIPT_NO_VAR;
}

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static size_t ident_len(const char *p, size_t max)
{
	size_t n = 0;

	if (max == 0 || !(isalpha((unsigned char)p[0]) || p[0] == '_'))
		return 0;
	while (n < max && is_ident(p[n]))
		n++;
	return n;
}

/* Declares (or finds) a variable for `set` and `save`. */
bool parse_var_name(struct parser *ps, const char *tok, int *var)
{
	size_t len = strlen(tok);
	struct script *s = ps->s;

	if (ident_len(tok, len) != len)
		return ps_error(ps, "bad variable name '%s' (letters, digits, _)", tok);
	if (len > SCRIPT_MAX_NAME)
		return ps_error(ps, "variable name too long (at most %d characters)",
				SCRIPT_MAX_NAME);
	*var = script_var_find(s, tok, len);
	if (*var != SCRIPT_NO_VAR)
		return true;
	if (s->nvars == SCRIPT_MAX_VARS)
		return ps_error(ps, "too many variables (at most %d)", SCRIPT_MAX_VARS);
	memcpy(s->vars[s->nvars], tok, len + 1);
	*var = (int)s->nvars++;
	return true;
}

static int digit_value(char c, unsigned base)
{
	int d = isdigit((unsigned char)c) ? c - '0' :
		isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10 : 99;

	return d < (int)base ? d : -1;
}

static unsigned suffix_shift(char c)
{
	switch (c) {
	case 'K': case 'k': return 10;
	case 'M': case 'm': return 20;
	case 'G': case 'g': return 30;
	default: return 0;
	}
}

/* A literal: 123, 0x7f, 4K, 0x10M. */
bool parse_number(struct parser *ps, const char *tok, size_t len,
		  uint64_t *out)
{
	unsigned base = 10, shift = 0;
	size_t i = 0;
	uint64_t v = 0;

	if (len > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (len > i + 1 && suffix_shift(tok[len - 1]))
		shift = suffix_shift(tok[len - 1]);
	if (shift)
		len--;
	if (i == len)
		return ps_error(ps, "bad number '%.*s'", (int)(len + !!shift), tok);
	for (; i < len; i++) {
		int d = digit_value(tok[i], base);

		if (d < 0)
			return ps_error(ps, "bad number '%.*s'", (int)(len + !!shift), tok);
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return ps_error(ps, "number too large '%.*s'", (int)(len + !!shift), tok);
		v = v * base + (uint64_t)d;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return ps_error(ps, "number too large '%.*s'", (int)(len + 1), tok);
	*out = v << shift;
	return true;
}

static bool parse_term(struct parser *ps, const char *p, size_t len,
		       struct term *t)
{
	char name[SCRIPT_MAX_LINE + 1];

	t->kind = TERM_NUM;
	if (len && p[0] == '$') {
		int var = script_var_find(ps->s, p + 1, len - 1);

		if (var == SCRIPT_NO_VAR || ident_len(p + 1, len - 1) != len - 1)
			return ps_error(ps, "undefined variable '%.*s' (set or save it first)",
					(int)len, p);
		t->kind = TERM_VAR;
		t->var = (uint16_t)var;
		return true;
	}
	if (len > 3 && !strncmp(p, "md:", 3)) {
		memcpy(name, p + 3, len - 3);
		name[len - 3] = '\0';
		if (!md_sys_field_parse(name, &t->num))
			return ps_error(ps, "unknown metadata field '%s'", name);
		return true;
	}
	return parse_number(ps, p, len, &t->num);
}

static bool add_term(struct parser *ps, struct expr *e, const struct term *t)
{
	struct script *s = ps->s;

	if (e->n == SCRIPT_MAX_TERMS)
		return ps_error(ps, "expression too long (at most %d terms)",
				SCRIPT_MAX_TERMS);
	if (!pool_grow((void **)&s->terms, &s->capterms, s->nterms + 1,
		       sizeof(*t)))
		return ps_error(ps, "out of memory");
	s->terms[s->nterms++] = *t;
	e->n++;
	return true;
}

/* term ((+|-) term)*, an optional leading '-'; no blanks inside. */
bool parse_expr(struct parser *ps, const char *tok, struct expr *e)
{
	const char *p = tok;
	bool neg = false;

	e->first = (uint32_t)ps->s->nterms;
	e->n = 0;
	if (*p == '-') {
		neg = true;
		p++;
	}
	for (;;) {
		size_t len = strcspn(p, "+-");
		struct term t = { 0 };

		if (len == 0)
			return ps_error(ps, "bad value '%s'", tok);
		if (!parse_term(ps, p, len, &t))
			return false;
		t.neg = neg;
		if (!add_term(ps, e, &t))
			return false;
		if (!p[len])
			return true;
		neg = p[len] == '-';
		p += len + 1;
	}
}

bool expr_const(const struct script *s, const struct expr *e, uint64_t *v)
{
	*v = 0;
	for (uint32_t i = 0; i < e->n; i++) {
		const struct term *t = &s->terms[e->first + i];

		if (t->kind != TERM_NUM)
			return false;
		*v = t->neg ? *v - t->num : *v + t->num;
	}
	return true;
}

bool parse_status(struct parser *ps, const char *tok, struct status_spec *sp)
{
	static const char *const words[] = { "any", "success", "error" };
	static const uint8_t kinds[] = { ST_ANY, ST_SUCCESS, ST_ERROR };

	for (unsigned i = 0; i < 3; i++) {
		if (!strcasecmp(tok, words[i])) {
			sp->kind = kinds[i];
			sp->value = 0;
			return true;
		}
	}
	if (!tdx_status_parse(tok, &sp->value))
		return ps_error(ps, "unknown status '%s'", tok);
	/* A bare name stands for its class: bits 31:0 (operand) ignored. */
	sp->kind = isalpha((unsigned char)tok[0]) && !strchr(tok, '|') &&
		   !(sp->value & 0xFFFFFFFFULL) ? ST_CLASS : ST_EXACT;
	return true;
}

static const char *const reg_names[SCRIPT_NREGS] = {
	"rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	"rbx", "rdi", "rsi",
};

static const size_t reg_offsets[SCRIPT_NREGS] = {
	offsetof(struct tdx_module_args, rcx), offsetof(struct tdx_module_args, rdx),
	offsetof(struct tdx_module_args, r8), offsetof(struct tdx_module_args, r9),
	offsetof(struct tdx_module_args, r10), offsetof(struct tdx_module_args, r11),
	offsetof(struct tdx_module_args, r12), offsetof(struct tdx_module_args, r13),
	offsetof(struct tdx_module_args, r14), offsetof(struct tdx_module_args, r15),
	offsetof(struct tdx_module_args, rbx), offsetof(struct tdx_module_args, rdi),
	offsetof(struct tdx_module_args, rsi),
};

int reg_parse(const char *name)
{
	for (int i = 0; i < SCRIPT_NREGS; i++)
		if (!strcasecmp(reg_names[i], name))
			return i;
	return -1;
}

const char *reg_name(unsigned i)
{
	return i < SCRIPT_NREGS ? reg_names[i] : "?";
}

uint64_t *reg_ptr(struct tdx_module_args *a, unsigned i)
{
	return (uint64_t *)((char *)a + reg_offsets[i]);
}

bool opt_value(const char *tok, const char *key, const char **val)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) || tok[n] != '=')
		return false;
	*val = tok + n + 1;
	return true;
}

static bool is_keyword(const char *tok)
{
	return !strcmp(tok, "expect") || !strcmp(tok, "save") || strchr(tok, '=');
}

/* Hex byte tokens from t->v[*i] on, up to a keyword; into the bytes pool. */
bool parse_hex(struct parser *ps, const struct tokens *t, unsigned *i,
	       uint32_t *off, uint32_t *n)
{
	struct script *s = ps->s;

	*off = (uint32_t)s->nbytes;
	*n = 0;
	for (; *i < t->n && !is_keyword(t->v[*i]); (*i)++) {
		const char *h = t->v[*i];
		size_t len = strlen(h);

		if (len % 2)
			return ps_error(ps, "odd number of hex digits in '%s'", h);
		if (!pool_grow((void **)&s->bytes, &s->capbytes, s->nbytes + len / 2, 1))
			return ps_error(ps, "out of memory");
		for (size_t k = 0; k < len; k += 2) {
			int hi = digit_value(h[k], 16), lo = digit_value(h[k + 1], 16);

			if (hi < 0 || lo < 0)
				return ps_error(ps, "bad hex bytes '%s'", h);
			s->bytes[s->nbytes++] = (uint8_t)(hi << 4 | lo);
		}
		*n += (uint32_t)(len / 2);
	}
	if (*n == 0)
		return ps_error(ps, "expected hex bytes (e.g. 00ff10)");
	if (*n > SCRIPT_MAX_BYTES)
		return ps_error(ps, "too many bytes (at most %d)", SCRIPT_MAX_BYTES);
	return true;
}

/* Every $name in echo text must be set or saved on an earlier line. */
bool check_echo_vars(struct parser *ps, const char *text)
{
	for (const char *p = strchr(text, '$'); p; p = strchr(p + 1, '$')) {
		size_t n = ident_len(p + 1, strlen(p + 1));

		if (n && script_var_find(ps->s, p + 1, n) == SCRIPT_NO_VAR)
			return ps_error(ps, "undefined variable '$%.*s' (set or save it first)",
					(int)n, p + 1);
	}
	return true;
}
