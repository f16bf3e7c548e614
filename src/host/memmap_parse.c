/* SPDX-License-Identifier: MIT */
/*
 * Memory maps for `tdxsim plan`: format names, auto-detection, the common
 * frame around the parsers (the default platform, the final checks) and
 * reading a file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap_parse.h"
#include "memmap_internal.h"

#define MAX_FILE_SIZE (16u << 20)

static const char *const format_names[] = {
	[MEMMAP_AUTO] = "auto",
	[MEMMAP_IOMEM] = "iomem",
	[MEMMAP_E820] = "e820",
	[MEMMAP_CMR] = "cmr",
	[MEMMAP_JSON] = "json",
};

#define N_FORMATS (sizeof(format_names) / sizeof(format_names[0]))

const char *memmap_format_name(enum memmap_format f)
{
	return (unsigned)f < N_FORMATS ? format_names[f] : "unknown";
}

bool memmap_format_parse(const char *name, enum memmap_format *out)
{
	for (size_t i = 0; name && i < N_FORMATS; i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (enum memmap_format)i;
			return true;
		}
	}
	return false;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
	       ch == '\f' || ch == '\v';
}

/* The first character that is not blank and not in a '#' comment line,
 * or '\0' when there is none. Reads the text in place: a JSON file may
 * have lines longer than the line parsers accept. */
static char first_significant(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		while (i < len && is_space(text[i]))
			i++;
		if (i == len)
			break;
		if (text[i] != '#')
			return text[i];
		while (i < len && text[i] != '\n')
			i++;
	}
	return '\0';
}

/* e820 first, since a boot log may hold CMR lines too and the e820 map
 * is the fuller description; iomem only when it starts like one. */
static int detect(const struct mm_ctx *c, const char *text, size_t len,
		  enum memmap_format *fmt)
{
	struct mm_reader rd;
	bool e820 = false, cmr = false, iomem = false, first = true;
	int rc;

	mm_reader_init(&rd, text, len);
	while ((rc = mm_next_line(&rd, c)) == 1) {
		if (mm_line_is_noise(rd.buf))
			continue;
		if (first)
			iomem = mm_iomem_head(rd.buf);
		first = false;
		e820 = e820 || mm_e820_marker(rd.buf);
		cmr = cmr || mm_cmr_marker(rd.buf);
	}
	if (rc)
		return rc;
	if (e820 || cmr || iomem) {
		*fmt = e820 ? MEMMAP_E820 : cmr ? MEMMAP_CMR : MEMMAP_IOMEM;
		return 0;
	}
	return mm_fail(c, 0, "cannot tell the format of %s (use --format iomem|e820|cmr|json)",
		       c->name);
}

/* The default platform with nothing in its memory map yet. */
static void start_config(struct tdxsim_platform_config *cfg)
{
	tdxsim_config_default(cfg);
	cfg->n_memmap = 0;
	cfg->n_cmrs = 0;
	cfg->cmrs_explicit = false;
}

static int parse_text_format(const struct mm_ctx *c, const char *text, size_t len,
			     enum memmap_format fmt, struct tdxsim_platform_config *cfg)
{
	char msg[512];
	int rc;

	switch (fmt) {
	case MEMMAP_IOMEM: rc = mm_parse_iomem(c, text, len, cfg); break;
	case MEMMAP_E820: rc = mm_parse_e820(c, text, len, cfg); break;
	case MEMMAP_CMR: rc = mm_parse_cmr(c, text, len, cfg); break;
	default: rc = mm_fail(c, 0, "unknown memory map format %d", (int)fmt); break;
	}
	if (rc)
		return rc;
	if (!tdxsim_config_finish(cfg, msg, sizeof(msg)))
		return mm_fail(c, 0, "%s", msg);
	return 0;
}

int memmap_parse_text(const char *text, size_t len, const char *name, enum memmap_format fmt,
                      struct tdxsim_platform_config *cfg, enum memmap_format *detected,
                      char *err, size_t errlen)
{
	struct mm_ctx c = { name ? name : "<input>", err, err ? errlen : 0 };
	int rc;

	if (c.errlen)
		err[0] = '\0';
	if (detected)
		*detected = fmt;
	if (!cfg)
		return mm_fail(&c, 0, "no configuration to fill");
	if (!text)
		len = 0;
	start_config(cfg);
	if ((unsigned)fmt >= N_FORMATS)
		return mm_fail(&c, 0, "unknown memory map format %d", (int)fmt);
	if (fmt == MEMMAP_AUTO) {
		if (first_significant(text, len) == '{')
			fmt = MEMMAP_JSON;
		else if ((rc = detect(&c, text, len, &fmt)))
			return rc;
		if (detected)
			*detected = fmt;
	}
	if (fmt == MEMMAP_JSON)
		return tdxsim_config_parse_json(text ? text : "", len, c.name, cfg,
						c.err, c.errlen) ? 0 : 2;
	return parse_text_format(&c, text, len, fmt, cfg);
}

/* The whole file; NULL with *error set (EFBIG: too large). */
static char *read_all(FILE *f, size_t *len, int *error)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	for (;;) {
		if (n == cap) {
			char *bigger = n > MAX_FILE_SIZE ? NULL
					 : realloc(buf, cap ? 2 * cap : 65536);

			if (!bigger) {
				*error = n > MAX_FILE_SIZE ? EFBIG : ENOMEM;
				break;
			}
			buf = bigger;
			cap = cap ? 2 * cap : 65536;
		}
		errno = 0;
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f)) {
			*error = errno ? errno : EIO;
			break;
		}
		if (feof(f)) {
			if (n <= MAX_FILE_SIZE) {
				*len = n;
				return buf;
			}
			*error = EFBIG;
			break;
		}
	}
	free(buf);
	return NULL;
}

int memmap_load_file(const char *path, enum memmap_format fmt, struct tdxsim_platform_config *cfg,
                     enum memmap_format *detected, char *err, size_t errlen)
{
	struct mm_ctx c = { path ? path : "(null)", err, err ? errlen : 0 };
	FILE *f;
	char *text = NULL;
	size_t len = 0;
	int error = 0, rc;

	if (detected)
		*detected = fmt;
	if (!path)
		return mm_fail(&c, 0, "cannot read: %s", strerror(EINVAL));
	errno = 0;
	f = fopen(path, "rb");
	if (!f)
		error = errno ? errno : EIO;
	else
		text = read_all(f, &len, &error);
	if (f)
		fclose(f);
	if (!text) {
		if (error == EFBIG)
			return mm_fail(&c, 0, "larger than %u MiB", MAX_FILE_SIZE >> 20);
		return mm_fail(&c, 0, "cannot read: %s", strerror(error));
	}
	rc = memmap_parse_text(text, len, path, fmt, cfg, detected, err, errlen);
	free(text);
	return rc;
}
