/* SPDX-License-Identifier: MIT */
/*
 * dmesg: "BIOS-e820: [mem 0xSTART-0xEND] TYPE" (e820__print_table(), END
 * inclusive) and "ACPI: SRAT: Node N PXM P [mem 0xSTART-0xEND] hotplug"
 * (acpi_numa_memory_affinity_init()). Every other line of a boot log is
 * ignored, so a whole dmesg can be given as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "memmap_internal.h"

#define E820_MARK "BIOS-e820:"
#define SRAT_MARK "SRAT: Node "

/* The words e820_print_type() prints. */
static const struct {
	const char *name;
	enum tdxsim_mem_type type;
} e820_types[] = {
	{ "usable", TDXSIM_MEM_RAM },
	{ "reserved", TDXSIM_MEM_RESERVED },
	{ "ACPI data", TDXSIM_MEM_ACPI },
	{ "ACPI NVS", TDXSIM_MEM_NVS },
	{ "unusable", TDXSIM_MEM_UNUSABLE },
	{ "persistent (type 12)", TDXSIM_MEM_PMEM_LEGACY },
	{ "soft reserved", TDXSIM_MEM_SOFT_RESERVED },
};

struct e820_state {
	struct mm_list map;
	unsigned lines;
	uint64_t prev_start, prev_last;
	size_t n_srat;
	struct mm_srat srat[TDXSIM_MAX_MEMMAP];
};

bool mm_e820_marker(const char *line)
{
	return strstr(line, E820_MARK) != NULL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int e820_type(const struct mm_ctx *c, unsigned no, const char *word,
		     enum tdxsim_mem_type *type)
{
	for (size_t i = 0; i < sizeof(e820_types) / sizeof(e820_types[0]); i++) {
		if (!strcmp(word, e820_types[i].name)) {
			*type = e820_types[i].type;
			return 0;
		}
	}
	/* "type N" is how the kernel prints a type it has no name for. */
	if (!strncmp(word, "type ", 5) && all_digits(word + 5) && strlen(word) < 16)
		return mm_fail(c, no, "unknown e820 type %s", word + 5);
	return mm_fail(c, no, "unknown e820 type '%.40s%s'", word,
		       strlen(word) > 40 ? "..." : "");
}

/* "0xSTART-0xEND]" with END inclusive; the "0x" is optional when
 * prefix_optional (the SRAT line prints with %#010Lx). */
static bool mem_range(const char **s, bool prefix_optional,
		      struct mm_num *a, struct mm_num *b)
{
	const char *p = *s;

	if (!strncmp(p, "0x", 2))
		p += 2;
	else if (!prefix_optional)
		return false;
	if (!mm_hex(&p, a) || *p++ != '-')
		return false;
	if (!strncmp(p, "0x", 2))
		p += 2;
	else if (!prefix_optional)
		return false;
	if (!mm_hex(&p, b) || *p++ != ']')
		return false;
	*s = p;
	return true;
}

static int check_range(const struct mm_ctx *c, unsigned no,
		       const struct mm_num *a, const struct mm_num *b)
{
	int rc;

	if ((rc = mm_check_addr(c, no, a, MM_PA_LIMIT - 1)) ||
	    (rc = mm_check_addr(c, no, b, MM_PA_LIMIT - 1)))
		return rc;
	if (a->v > b->v)
		return mm_fail(c, no, "range start 0x%llx is above its end 0x%llx",
			       (unsigned long long)a->v, (unsigned long long)b->v);
	return 0;
}

static int e820_line(const struct mm_ctx *c, unsigned no, char *line,
		     struct e820_state *st)
{
	const char *p = mm_skip_blanks(strstr(line, E820_MARK) + strlen(E820_MARK));
	enum tdxsim_mem_type type = TDXSIM_MEM_RESERVED;
	char *word;
	struct mm_num a, b;
	int rc;

	if (strncmp(p, "[mem ", 5) || (p += 5, !mem_range(&p, false, &a, &b)) ||
	    (*p && *p != ' ' && *p != '\t'))
		return mm_fail(c, no, "not an e820 line (expected \"BIOS-e820: [mem 0xSTART-0xEND] TYPE\")");
	if ((rc = check_range(c, no, &a, &b)))
		return rc;
	word = line + (mm_skip_blanks(p) - line);
	mm_trim_right(word);
	if (!*word)
		return mm_fail(c, no, "e820 range 0x%llx-0x%llx has no type",
			       (unsigned long long)a.v, (unsigned long long)b.v);
	if ((rc = e820_type(c, no, word, &type)))
		return rc;
	/* e820__print_table() prints the sanitized, sorted table. */
	if (st->lines) {
		if (a.v < st->prev_start)
			return mm_fail(c, no, "range 0x%llx-0x%llx is below the previous one (0x%llx-0x%llx)",
				       (unsigned long long)a.v, (unsigned long long)b.v,
				       (unsigned long long)st->prev_start,
				       (unsigned long long)st->prev_last);
		if (a.v <= st->prev_last)
			return mm_fail(c, no, "range 0x%llx-0x%llx overlaps the previous one (0x%llx-0x%llx)",
				       (unsigned long long)a.v, (unsigned long long)b.v,
				       (unsigned long long)st->prev_start,
				       (unsigned long long)st->prev_last);
	}
	st->lines++;
	st->prev_start = a.v;
	st->prev_last = b.v;
	if (!mm_list_add(&st->map, a.v, b.v + 1, type, MM_NO_NODE))
		return mm_fail(c, no, "more than %d memory ranges", TDXSIM_MAX_MEMMAP);
	return 0;
}

/* The flags after the range: " hotplug" and " non-volatile". */
static int srat_flags(const struct mm_ctx *c, unsigned no, const char *p,
		      bool *hotplug)
{
	for (p = mm_skip_blanks(p); *p; p = mm_skip_blanks(p)) {
		size_t n = strcspn(p, " \t");

		if (n == 7 && !strncmp(p, "hotplug", 7))
			*hotplug = true;
		else if (n != 12 || strncmp(p, "non-volatile", 12))
			return mm_fail(c, no, "unexpected '%.*s' after the SRAT range",
				       n > 40 ? 40 : (int)n, p);
		p += n;
	}
	return 0;
}

static int srat_line(const struct mm_ctx *c, unsigned no, const char *line,
		     struct e820_state *st)
{
	const char *p = strstr(line, SRAT_MARK) + strlen(SRAT_MARK);
	struct mm_srat e = { .line = no };
	struct mm_num a, b;
	uint32_t pxm;
	int rc;

	if (!mm_dec(&p, &e.node) || (p = mm_skip_blanks(p), strncmp(p, "PXM ", 4)) ||
	    (p += 4, !mm_dec(&p, &pxm)) || (p = mm_skip_blanks(p), strncmp(p, "[mem ", 5)) ||
	    (p += 5, !mem_range(&p, true, &a, &b)) || (*p && *p != ' ' && *p != '\t'))
		return mm_fail(c, no, "not an SRAT line (expected \"SRAT: Node N PXM P [mem 0xSTART-0xEND]\")");
	if ((rc = check_range(c, no, &a, &b)) || (rc = srat_flags(c, no, p, &e.hotplug)))
		return rc;
	e.base = a.v;
	e.end = b.v + 1;
	for (size_t i = 0; i < st->n_srat; i++)
		if (e.base < st->srat[i].end && st->srat[i].base < e.end)
			return mm_fail(c, no, "SRAT range 0x%llx-0x%llx overlaps the one on line %u",
				       (unsigned long long)a.v, (unsigned long long)b.v,
				       st->srat[i].line);
	if (st->n_srat >= TDXSIM_MAX_MEMMAP)
		return mm_fail(c, no, "more than %d SRAT ranges", TDXSIM_MAX_MEMMAP);
	st->srat[st->n_srat++] = e;
	return 0;
}

static int read_lines(const struct mm_ctx *c, struct mm_reader *rd,
		      struct e820_state *st)
{
	int rc;

	while ((rc = mm_next_line(rd, c)) == 1) {
		rc = 0;
		if (mm_line_is_noise(rd->buf))
			continue;
		if (mm_e820_marker(rd->buf))
			rc = e820_line(c, rd->lineno, rd->buf, st);
		else if (strstr(rd->buf, SRAT_MARK))
			rc = srat_line(c, rd->lineno, rd->buf, st);
		if (rc)
			return rc;
	}
	return rc;
}

int mm_parse_e820(const struct mm_ctx *c, const char *text, size_t len,
		  struct tdxsim_platform_config *cfg)
{
	struct e820_state *st = calloc(1, sizeof(*st));
	struct mm_reader rd;
	int rc;

	if (!st)
		return mm_fail(c, 0, "out of memory");
	mm_reader_init(&rd, text, len);
	rc = read_lines(c, &rd, st);
	if (!rc && !st->lines)
		rc = mm_fail(c, 0, "no e820 lines found");
	if (!rc)
		rc = mm_apply_srat(c, &st->map, st->srat, st->n_srat, cfg);
	free(st);
	return rc;
}
