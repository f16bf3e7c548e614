/* SPDX-License-Identifier: MIT */
/*
 * /proc/iomem: "START-END : NAME", hex, END inclusive, two spaces of
 * indentation per level of the kernel's resource tree. The top level is
 * what the firmware map (e820) made of memory plus the device windows;
 * below it sit what drivers claimed inside those ranges.
 */
#include <stdlib.h>
#include <string.h>

#include "memmap_internal.h"

#define MAX_DEPTH 32   /* real trees are under 10 deep */

/* The names e820__resource_name() gives the top-level memory ranges. */
static const struct {
	const char *name;
	enum tdxsim_mem_type type;
} top_names[] = {
	{ "System RAM", TDXSIM_MEM_RAM },
	{ "Reserved", TDXSIM_MEM_RESERVED },
	{ "ACPI Tables", TDXSIM_MEM_ACPI },
	{ "ACPI Non-volatile Storage", TDXSIM_MEM_NVS },
	{ "Persistent Memory (legacy)", TDXSIM_MEM_PMEM_LEGACY },
	{ "Soft Reserved", TDXSIM_MEM_SOFT_RESERVED },
	{ "Unusable memory", TDXSIM_MEM_UNUSABLE },
};

struct entry {
	unsigned depth;
	uint64_t start, last;          /* last: inclusive, as printed */
	char *name;                    /* points into the reader's buffer */
};

struct iomem_state {
	struct mm_list top;            /* memory ranges of the top level */
	struct mm_list onlined;        /* soft-reserved memory found nested */
	uint64_t parent_start[MAX_DEPTH], parent_last[MAX_DEPTH];
	uint64_t prev_start, prev_last; /* the previous top-level range */
	unsigned prev_depth;
	unsigned lines, top_lines, zero_lines;
};

/* "HEX-HEX : " after no indentation: how auto-detection knows iomem. */
bool mm_iomem_head(const char *line)
{
	struct mm_num a, b;
	const char *s = line;

	return mm_hex(&s, &a) && *s++ == '-' && mm_hex(&s, &b) &&
	       !strncmp(s, " : ", 3);
}

static bool top_type(const char *name, enum tdxsim_mem_type *type)
{
	for (size_t i = 0; i < sizeof(top_names) / sizeof(top_names[0]); i++) {
		if (!strcmp(name, top_names[i].name)) {
			*type = top_names[i].type;
			return true;
		}
	}
	return false;
}

/*
 * CXL and HMEM memory the firmware marked soft-reserved shows up below a
 * device window: "Soft Reserved" itself when cxl_acpi inserted its window
 * above it, "System RAM (kmem)" once dax/kmem onlined it. Either way it is
 * soft-reserved memory, not RAM the kernel booted with.
 */
static bool is_soft_reserved(const char *name)
{
	return !strcmp(name, "System RAM (kmem)") || !strcmp(name, "Soft Reserved");
}

static int parse_entry(const struct mm_ctx *c, unsigned no, char *line,
		       struct entry *e)
{
	struct mm_num a, b;
	const char *s = line;
	size_t spaces = 0;
	int rc;

	while (s[spaces] == ' ')
		spaces++;
	s += spaces;
	if (!mm_hex(&s, &a) || *s++ != '-' || !mm_hex(&s, &b) ||
	    strncmp(s, " : ", 3))
		return mm_fail(c, no, "not a /proc/iomem line (expected \"START-END : NAME\")");
	if (spaces % 2)
		return mm_fail(c, no, "indentation of %zu spaces is not a multiple of 2",
			       spaces);
	if ((rc = mm_check_addr(c, no, &a, MM_PA_LIMIT - 1)) ||
	    (rc = mm_check_addr(c, no, &b, MM_PA_LIMIT - 1)))
		return rc;
	if (a.v > b.v)
		return mm_fail(c, no, "range start 0x%llx is above its end 0x%llx",
			       (unsigned long long)a.v, (unsigned long long)b.v);
	*e = (struct entry){ spaces / 2, a.v, b.v, line + (s - line) + 3 };
	mm_trim_right(e->name);   /* blanks are not part of a name */
	return 0;
}

static int add_full(const struct mm_ctx *c, unsigned no)
{
	return mm_fail(c, no, "more than %d memory ranges", TDXSIM_MAX_MEMMAP);
}

/* Top-level ranges are siblings in the resource tree: the kernel keeps
 * them sorted and apart, so anything else is a damaged or edited file. */
static int top_entry(const struct mm_ctx *c, unsigned no, const struct entry *e,
		     struct iomem_state *st)
{
	enum tdxsim_mem_type type;
	bool ok = true;

	/* Without CAP_SYS_ADMIN the kernel prints every address as 0. */
	if (!e->start && !e->last && st->zero_lines++)
		return mm_fail(c, no, "addresses are all zero: read /proc/iomem as root");
	if (st->top_lines++) {
		if (e->start < st->prev_start)
			return mm_fail(c, no, "range 0x%llx-0x%llx is below the previous one (0x%llx-0x%llx)",
				       (unsigned long long)e->start, (unsigned long long)e->last,
				       (unsigned long long)st->prev_start, (unsigned long long)st->prev_last);
		if (e->start <= st->prev_last)
			return mm_fail(c, no, "range 0x%llx-0x%llx overlaps the previous one (0x%llx-0x%llx)",
				       (unsigned long long)e->start, (unsigned long long)e->last,
				       (unsigned long long)st->prev_start, (unsigned long long)st->prev_last);
	}
	st->prev_start = e->start;
	st->prev_last = e->last;
	if (top_type(e->name, &type))
		ok = mm_list_add(&st->top, e->start, e->last + 1, type, 0);
	else if (is_soft_reserved(e->name))   /* kmem outside any window */
		ok = mm_list_add(&st->onlined, e->start, e->last + 1,
				 TDXSIM_MEM_SOFT_RESERVED, 0);
	return ok ? 0 : add_full(c, no);
}

static int nested_entry(const struct mm_ctx *c, unsigned no, const struct entry *e,
			struct iomem_state *st)
{
	unsigned up = e->depth - 1;

	if (!st->top_lines)
		return mm_fail(c, no, "indented line before any top-level line");
	if (e->depth > st->prev_depth + 1)
		return mm_fail(c, no, "indented %u levels but the line before is at level %u",
			       e->depth, st->prev_depth);
	if (e->start < st->parent_start[up] || e->last > st->parent_last[up])
		return mm_fail(c, no, "range 0x%llx-0x%llx lies outside the range it is nested in (0x%llx-0x%llx)",
			       (unsigned long long)e->start, (unsigned long long)e->last,
			       (unsigned long long)st->parent_start[up],
			       (unsigned long long)st->parent_last[up]);
	if (is_soft_reserved(e->name) &&
	    !mm_list_add(&st->onlined, e->start, e->last + 1,
			 TDXSIM_MEM_SOFT_RESERVED, 0))
		return add_full(c, no);
	return 0;
}

static int read_lines(const struct mm_ctx *c, struct mm_reader *rd,
		      struct iomem_state *st)
{
	struct entry e = { 0 };
	int rc;

	while ((rc = mm_next_line(rd, c)) == 1) {
		if (mm_line_is_noise(rd->buf))
			continue;
		if ((rc = parse_entry(c, rd->lineno, rd->buf, &e)))
			return rc;
		if (e.depth >= MAX_DEPTH)
			return mm_fail(c, rd->lineno, "nested deeper than %d levels",
				       MAX_DEPTH - 1);
		st->lines++;
		rc = e.depth ? nested_entry(c, rd->lineno, &e, st)
			     : top_entry(c, rd->lineno, &e, st);
		if (rc)
			return rc;
		st->parent_start[e.depth] = e.start;
		st->parent_last[e.depth] = e.last;
		st->prev_depth = e.depth;
	}
	return rc;
}

/* Soft-reserved memory seen below the top level, merged where the same
 * range appears at several depths (Soft Reserved > dax > kmem), minus
 * what a top-level memory range already describes. */
static int add_onlined(const struct mm_ctx *c, struct iomem_state *st,
		       struct mm_list *out)
{
	struct mm_list *on = &st->onlined;
	size_t n = 0;

	mm_list_sort(on);
	for (size_t i = 0; i < on->n; i++) {
		if (n && on->r[i].base < on->r[n - 1].end) {
			if (on->r[i].end > on->r[n - 1].end)
				on->r[n - 1].end = on->r[i].end;
		} else {
			on->r[n++] = on->r[i];
		}
	}
	on->n = n;
	for (size_t i = 0; i < on->n; i++)
		if (!mm_list_add_uncovered(out, &st->top, on->r[i].base, on->r[i].end,
					   TDXSIM_MEM_SOFT_RESERVED, 0))
			return add_full(c, 0);
	return 0;
}

int mm_parse_iomem(const struct mm_ctx *c, const char *text, size_t len,
		   struct tdxsim_platform_config *cfg)
{
	struct mm_reader rd;
	struct iomem_state *st = NULL;
	struct mm_list *out = NULL;
	int rc;

	mm_reader_init(&rd, text, len);
	st = calloc(1, sizeof(*st));
	out = calloc(1, sizeof(*out));
	if (!st || !out) {
		rc = mm_fail(c, 0, "out of memory");
		goto done;
	}
	if ((rc = read_lines(c, &rd, st)))
		goto done;
	if (!st->lines) {
		rc = mm_fail(c, 0, "no iomem lines found");
		goto done;
	}
	if (st->zero_lines == st->top_lines) {
		rc = mm_fail(c, 0, "addresses are all zero: read /proc/iomem as root");
		goto done;
	}
	*out = st->top;
	if ((rc = add_onlined(c, st, out)))
		goto done;
	mm_list_store(out, cfg);
done:
	free(out);
	free(st);
	return rc;
}
