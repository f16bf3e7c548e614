/* SPDX-License-Identifier: MIT */
/* Parsers of `write` and `read` (physical memory, optional KeyID). */
#include <string.h>

#include "script_int.h"

#define WRITE_USAGE "write ADDR u8|u16|u32|u64 VALUE | bytes HEX... | zero LEN [keyid=K]"
#define READ_USAGE "read ADDR u8|u16|u32|u64 | bytes LEN [keyid=K] [expect X] [save as NAME]"

static unsigned parse_width(const char *tok)
{
	static const char *const names[] = { "u8", "u16", "u32", "u64" };

	for (unsigned i = 0; i < 4; i++)
		if (!strcmp(tok, names[i]))
			return 1u << i;
	return 0;
}

/* ADDR TYPE [VALUE|LEN]: the fixed part of both commands. */
static bool parse_head(struct parser *ps, const struct tokens *t,
		       struct mem_step *m, unsigned *i, const char *syntax)
{
	bool zero_ok = !strcmp(t->v[0], "write");

	if (t->n < 3)
		return ps_error(ps, "missing argument for '%s' (usage: %s)",
				t->v[0], syntax);
	if (!parse_expr(ps, t->v[1], &m->addr))
		return false;
	m->width = (uint8_t)parse_width(t->v[2]);
	m->kind = m->width ? MEM_VALUE : !strcmp(t->v[2], "bytes") ? MEM_BYTES :
		  zero_ok && !strcmp(t->v[2], "zero") ? MEM_ZERO : 0xff;
	if (m->kind == 0xff)
		return ps_error(ps, "unknown access type '%s' (usage: %s)",
				t->v[2], syntax);
	*i = 3;
	if (m->kind == MEM_BYTES && zero_ok)
		return parse_hex(ps, t, i, &m->data, &m->ndata);
	if (m->kind == MEM_VALUE && !zero_ok)
		return true;
	if (t->n < 4)
		return ps_error(ps, "missing %s (usage: %s)",
				m->kind == MEM_VALUE ? "value" : "length", syntax);
	*i = 4;
	return parse_expr(ps, t->v[3], &m->value);
}

static bool parse_keyid(struct parser *ps, const char *tok, struct mem_step *m)
{
	const char *v;

	if (!opt_value(tok, "keyid", &v))
		return ps_error(ps, "unexpected '%s'", tok);
	if (m->has_keyid)
		return ps_error(ps, "keyid= given twice");
	m->has_keyid = true;
	return parse_expr(ps, v, &m->keyid);
}

bool parse_cmd_write(struct parser *ps, const struct tokens *t,
		     struct step *st)
{
	struct mem_step *m = &st->u.mem;
	unsigned i;

	m->save = SCRIPT_NO_VAR;
	if (!parse_head(ps, t, m, &i, WRITE_USAGE))
		return false;
	for (; i < t->n; i++)
		if (!parse_keyid(ps, t->v[i], m))
			return false;
	return true;
}

static bool parse_read_expect(struct parser *ps, const struct tokens *t,
			      unsigned *i, struct mem_step *m)
{
	uint64_t len;

	if (m->expect != MX_NONE)
		return ps_error(ps, "'expect' given twice");
	if (++*i >= t->n)
		return ps_error(ps, "missing value after 'expect'");
	if (!strcmp(t->v[*i], "poison") || !strcmp(t->v[*i], "bad-address")) {
		m->expect = t->v[*i][0] == 'p' ? MX_POISON : MX_BAD_ADDR;
		return true;
	}
	if (m->kind == MEM_VALUE) {
		m->expect = MX_VALUE;
		return parse_expr(ps, t->v[*i], &m->value);
	}
	m->expect = MX_BYTES;
	if (!parse_hex(ps, t, i, &m->data, &m->ndata))
		return false;
	--*i;   /* parse_hex stopped past the last hex token */
	if (expr_const(ps->s, &m->value, &len) && len != m->ndata)
		return ps_error(ps, "read of %llu bytes expects %u bytes",
				(unsigned long long)len, m->ndata);
	return true;
}

static bool parse_read_save(struct parser *ps, const struct tokens *t,
			    unsigned *i, struct mem_step *m)
{
	if (m->kind != MEM_VALUE)
		return ps_error(ps, "'save' needs a u8/u16/u32/u64 read");
	if (*i + 2 >= t->n || strcmp(t->v[*i + 1], "as"))
		return ps_error(ps, "usage: save as NAME");
	*i += 2;
	return parse_var_name(ps, t->v[*i], &m->save);
}

bool parse_cmd_read(struct parser *ps, const struct tokens *t,
		    struct step *st)
{
	struct mem_step *m = &st->u.mem;
	unsigned i;
	bool ok;

	m->save = SCRIPT_NO_VAR;
	if (!parse_head(ps, t, m, &i, READ_USAGE))
		return false;
	for (ok = true; ok && i < t->n; i++) {
		if (!strcmp(t->v[i], "expect"))
			ok = parse_read_expect(ps, t, &i, m);
		else if (!strcmp(t->v[i], "save"))
			ok = parse_read_save(ps, t, &i, m);
		else
			ok = parse_keyid(ps, t->v[i], m);
	}
	return ok;
}
