/* SPDX-License-Identifier: MIT */
/*
 * Shared by the memory-map parsers (memmap_*.c): a line reader that copies
 * each line into a bounded buffer, so the parsers may use C string
 * functions on input that is neither NUL-terminated nor free of NULs;
 * number reading; messages; lists of ranges with exclusive ends.
 */
#ifndef TDXSIM_HOST_MEMMAP_INTERNAL_H
#define TDXSIM_HOST_MEMMAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdxsim/platform.h"

#define MM_LINE_MAX 4096               /* longer lines are refused */
#define MM_PA_LIMIT (1ULL << 52)       /* MAXPA of any x86 CPU */
#define MM_NO_NODE UINT32_MAX          /* not described by the SRAT */

struct mm_ctx {
	const char *name;
	char *err;
	size_t errlen;
};

struct mm_reader {
	const char *text;
	size_t len, pos;
	unsigned lineno;               /* of the line in buf */
	char buf[MM_LINE_MAX + 1];
};

/* A number as written, kept for messages: s[0..n) are its hex digits. */
struct mm_num {
	uint64_t v;                    /* UINT64_MAX when it overflowed */
	const char *s;
	int n;
};

struct mm_range {
	uint64_t base, end;            /* [base, end) */
	enum tdxsim_mem_type type;
	uint32_t node;
};

struct mm_list {
	size_t n;
	struct mm_range r[TDXSIM_MAX_MEMMAP];
};

/* "NAME:LINE: problem", or "NAME: problem" for line 0. Returns 2. */
__attribute__((format(printf, 3, 4)))
int mm_fail(const struct mm_ctx *c, unsigned line, const char *fmt, ...);

void mm_reader_init(struct mm_reader *r, const char *text, size_t len);
/* 1 with the line (no newline, no trailing CR) in r->buf, 0 at the end,
 * 2 with a message for a line that is too long or holds a NUL byte. */
int mm_next_line(struct mm_reader *r, const struct mm_ctx *c);
/* Blank lines and '#' comments (the SOURCE headers) carry nothing. */
bool mm_line_is_noise(const char *line);

const char *mm_skip_blanks(const char *s);
void mm_trim_right(char *s);
/* Hex digits at *s (at least one, else false); *s moves past them. */
bool mm_hex(const char **s, struct mm_num *out);
/* Decimal digits at *s, at most 9 of them (else false). */
bool mm_dec(const char **s, uint32_t *out);
/* 2 with a message when the address lies beyond max. */
int mm_check_addr(const struct mm_ctx *c, unsigned line,
		  const struct mm_num *num, uint64_t max);

/* false when the list is full. */
bool mm_list_add(struct mm_list *l, uint64_t base, uint64_t end,
		 enum tdxsim_mem_type type, uint32_t node);
/* Adds the parts of [base, end) that no range of cover (sorted, disjoint)
 * holds; false when out grows full. */
bool mm_list_add_uncovered(struct mm_list *out, const struct mm_list *cover,
			   uint64_t base, uint64_t end,
			   enum tdxsim_mem_type type, uint32_t node);
void mm_list_sort(struct mm_list *l);
/* Copies the list into cfg->memmap (same capacity). */
void mm_list_store(const struct mm_list *l, struct tdxsim_platform_config *cfg);

/* A memory affinity entry of the ACPI SRAT, as dmesg prints it. */
struct mm_srat {
	uint64_t base, end;            /* [base, end) */
	uint32_t node;                 /* Linux's node number, not compacted */
	bool hotplug;
	unsigned line;
};

/*
 * Gives the e820 ranges (sorted, disjoint) their SRAT nodes, splitting a
 * range that crosses a node boundary; adds hot-pluggable SRAT memory that
 * no e820 range holds; numbers the nodes 0..k-1 and stores the result in
 * cfg (memmap, packages). 0 or 2.
 */
int mm_apply_srat(const struct mm_ctx *c, const struct mm_list *e820,
		  struct mm_srat *srat, size_t n_srat,
		  struct tdxsim_platform_config *cfg);

/* Format recognisers for auto-detection, with the parsers that use them. */
bool mm_iomem_head(const char *line);    /* "HEX-HEX : " at the start */
bool mm_e820_marker(const char *line);   /* holds "BIOS-e820:" */
bool mm_cmr_marker(const char *line);    /* holds "CMR: [" or "CMR[N]: [" */

/* Each parser fills cfg's memmap (and CMRs, packages); 0 or 2. */
int mm_parse_iomem(const struct mm_ctx *c, const char *text, size_t len,
		   struct tdxsim_platform_config *cfg);
int mm_parse_e820(const struct mm_ctx *c, const char *text, size_t len,
		  struct tdxsim_platform_config *cfg);
int mm_parse_cmr(const struct mm_ctx *c, const char *text, size_t len,
		 struct tdxsim_platform_config *cfg);

#endif
