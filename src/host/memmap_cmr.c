/* SPDX-License-Identifier: MIT */
/*
 * dmesg of a TDX host: the CMRs the TDX module reported, one per line,
 * "virt/tdx: CMR: [0x100000, 0x77800000)" (END exclusive; some kernels
 * print "CMR[0]: [...)"). A CMR is memory the BIOS declared convertible,
 * so each one is also RAM; the CMRs are taken as given, not derived.
 */
#include <string.h>

#include "memmap_internal.h"

struct cmr_state {
	struct mm_list map;
	uint64_t prev_base, prev_end;
};

/* The '[' that opens the range after "CMR: " or "CMR[N]: ", or NULL. */
static const char *cmr_open(const char *line)
{
	for (const char *p = strstr(line, "CMR"); p; p = strstr(p + 1, "CMR")) {
		const char *s = p + 3;

		if (*s == '[') {
			s++;
			while (*s >= '0' && *s <= '9')
				s++;
			if (s == p + 4 || *s++ != ']')
				continue;
		}
		if (!strncmp(s, ": [", 3))
			return s + 2;
	}
	return NULL;
}

bool mm_cmr_marker(const char *line)
{
	return cmr_open(line) != NULL;
}

/* Ascending and apart, as the module reports them and check_cmrs() wants. */
static int check_order(const struct mm_ctx *c, unsigned no, uint64_t base,
		       uint64_t end, const struct cmr_state *st, size_t n)
{
	if ((base | end) & (TDXSIM_PAGE_SIZE - 1))
		return mm_fail(c, no, "CMR [0x%llx, 0x%llx) is not 4 KiB aligned",
			       (unsigned long long)base, (unsigned long long)end);
	if (n && base < st->prev_base)
		return mm_fail(c, no, "range 0x%llx-0x%llx is below the previous one (0x%llx-0x%llx)",
			       (unsigned long long)base, (unsigned long long)end,
			       (unsigned long long)st->prev_base, (unsigned long long)st->prev_end);
	if (n && base < st->prev_end)
		return mm_fail(c, no, "range 0x%llx-0x%llx overlaps the previous one (0x%llx-0x%llx)",
			       (unsigned long long)base, (unsigned long long)end,
			       (unsigned long long)st->prev_base, (unsigned long long)st->prev_end);
	return 0;
}

static int cmr_line(const struct mm_ctx *c, unsigned no, const char *line,
		    struct cmr_state *st, struct tdxsim_platform_config *cfg,
		    unsigned *lines)
{
	const char *p = cmr_open(line) + 1;
	struct mm_num a, b;
	int rc;

	(*lines)++;
	if (strncmp(p, "0x", 2) || (p += 2, !mm_hex(&p, &a)) || *p++ != ',' ||
	    (p = mm_skip_blanks(p), strncmp(p, "0x", 2)) || (p += 2, !mm_hex(&p, &b)) ||
	    *p++ != ')' || *mm_skip_blanks(p))
		return mm_fail(c, no, "not a CMR line (expected \"CMR: [0xSTART, 0xEND)\")");
	if ((rc = mm_check_addr(c, no, &a, MM_PA_LIMIT - 1)) ||
	    (rc = mm_check_addr(c, no, &b, MM_PA_LIMIT)))
		return rc;
	if (a.v > b.v)
		return mm_fail(c, no, "CMR start 0x%llx is above its end 0x%llx",
			       (unsigned long long)a.v, (unsigned long long)b.v);
	/* Unused entries of the module's CMR array have size 0. */
	if (a.v == b.v)
		return 0;
	if ((rc = check_order(c, no, a.v, b.v, st, cfg->n_cmrs)))
		return rc;
	if (cfg->n_cmrs == TDXSIM_MAX_CMRS)
		return mm_fail(c, no, "more than %d CMRs", TDXSIM_MAX_CMRS);
	cfg->cmrs[cfg->n_cmrs++] = (struct tdxsim_cmr){ a.v, b.v - a.v };
	st->prev_base = a.v;
	st->prev_end = b.v;
	if (!mm_list_add(&st->map, a.v, b.v, TDXSIM_MEM_RAM, 0))
		return mm_fail(c, no, "more than %d memory ranges", TDXSIM_MAX_MEMMAP);
	return 0;
}

int mm_parse_cmr(const struct mm_ctx *c, const char *text, size_t len,
		 struct tdxsim_platform_config *cfg)
{
	struct cmr_state st = { 0 };
	struct mm_reader rd;
	unsigned lines = 0;
	int rc;

	cfg->cmrs_explicit = true;
	cfg->n_cmrs = 0;
	mm_reader_init(&rd, text, len);
	while ((rc = mm_next_line(&rd, c)) == 1) {
		if (mm_line_is_noise(rd.buf) || !mm_cmr_marker(rd.buf))
			continue;
		if ((rc = cmr_line(c, rd.lineno, rd.buf, &st, cfg, &lines)))
			return rc;
	}
	if (rc)
		return rc;
	if (!lines)
		return mm_fail(c, 0, "no cmr lines found");
	mm_list_store(&st.map, cfg);
	return 0;
}
