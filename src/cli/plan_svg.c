/* SPDX-License-Identifier: MIT */
/*
 * The address axis is piecewise: every boundary (map range, TDMR,
 * reserved area, PAMT) becomes a tick, and the space between two ticks
 * gets a width that grows with the log of its size, so a 4 KiB hole and
 * a 1 TiB range are both visible.
 *
 * Every label sits on a line of its own above the bars it names, so no
 * bar covers it, and the margins leave room for the rotated tick labels.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan_svg.h"

#define WIDTH 1400.0
#define LEFT 20.0             /* the axis starts here ... */
#define RIGHT 110.0           /* ... and ends this far from the edge */
#define MAP_Y 76.0            /* the memory map's bars */
#define PLAN_Y 112.0          /* the first plan's label line */
#define ROW 46.0              /* one plan: label, TDMRs, reserved, PAMTs */
#define TICKS_H 90.0          /* below the last plan: the tick labels */

struct axis {
	size_t n;
	uint64_t *x;          /* sorted, unique boundaries */
	double *pos;          /* their screen positions */
};

/* Names come from files (a platform's "name", a map's path): XML's five
 * special characters must not end up in the markup as they are. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f); break;
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void add(struct axis *a, uint64_t v)
{
	a->x[a->n++] = v;
}

static size_t count_points(const struct tdxsim_platform_config *c,
			   const struct tdmr_plan *const plans[], unsigned n)
{
	size_t k = 2 * c->n_memmap;

	for (unsigned i = 0; i < n; i++)
		for (unsigned t = 0; t < plans[i]->n_tdmrs; t++)
			k += 4 + 2 * plans[i]->tdmr[t].n_rsvd;
	return k;
}

static void add_plan_points(struct axis *a, const struct tdmr_plan *p)
{
	for (unsigned t = 0; t < p->n_tdmrs; t++) {
		const struct host_tdmr *h = &p->tdmr[t];
		uint64_t b = h->info.tdmr_base;

		add(a, b);
		add(a, b + h->info.tdmr_size);
		add(a, h->info.pamt_4k_base);
		add(a, h->info.pamt_1g_base + h->info.pamt_1g_size);
		for (unsigned r = 0; r < h->n_rsvd; r++) {
			add(a, b + h->info.rsvd_areas[r].offset);
			add(a, b + h->info.rsvd_areas[r].offset + h->info.rsvd_areas[r].size);
		}
	}
}

static double gap_width(uint64_t from, uint64_t to)
{
	return log2((double)(to - from) / 4096.0 + 1.0) + 1.0;
}

static int build_axis(struct axis *a, const struct tdxsim_platform_config *c,
		      const struct tdmr_plan *const plans[], unsigned n)
{
	size_t cap = count_points(c, plans, n), u = 0;
	double total = 0;

	a->n = 0;
	a->x = malloc(cap * sizeof(*a->x));
	a->pos = malloc(cap * sizeof(*a->pos));
	if (!a->x || !a->pos)
		return -1;
	for (size_t i = 0; i < c->n_memmap; i++) {
		add(a, c->memmap[i].base);
		add(a, c->memmap[i].base + c->memmap[i].size);
	}
	for (unsigned i = 0; i < n; i++)
		add_plan_points(a, plans[i]);
	qsort(a->x, a->n, sizeof(*a->x), cmp_u64);
	for (size_t i = 0; i < a->n; i++)
		if (!u || a->x[i] != a->x[u - 1])
			a->x[u++] = a->x[i];
	a->n = u;
	for (size_t i = 1; i < a->n; i++)
		total += gap_width(a->x[i - 1], a->x[i]);
	a->pos[0] = LEFT;
	for (size_t i = 1; i < a->n; i++)
		a->pos[i] = a->pos[i - 1] + (WIDTH - LEFT - RIGHT) *
			    gap_width(a->x[i - 1], a->x[i]) / total;
	return 0;
}

static double at(const struct axis *a, uint64_t v)
{
	size_t lo = 0, hi = a->n;

	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;

		if (a->x[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	return a->pos[lo];
}

static void rect(FILE *f, const struct axis *a, uint64_t s, uint64_t e, double y,
		 double h, const char *fill, const char *title)
{
	double x0 = at(a, s), x1 = at(a, e);

	fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\" "
		"stroke=\"#333\" stroke-width=\"0.3\"><title>", x0, y,
		x1 - x0 < 0.5 ? 0.5 : x1 - x0, h, fill);
	xml_text(f, title);
	fprintf(f, " [0x%llx, 0x%llx)</title></rect>\n", (unsigned long long)s,
		(unsigned long long)e);
}

static void label(FILE *f, double x, double y, unsigned size, const char *text)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%u\">", x, y, size);
	xml_text(f, text);
	fputs("</text>\n", f);
}

#define C_TDMR "#e8a33d"
#define C_TDMR_ALT "#f2c46d"
#define C_RSVD "#d9534f"
#define C_PAMT "#5b5bd6"

static const struct {
	const char *what, *color;
} legend_items[] = {
	{ "RAM", "#7fbf7f" }, { "pmem-legacy", "#bf7fbf" }, { "soft-reserved", "#7fa8d9" },
	{ "hotplug", "#d9d97f" }, { "other map types", "#cccccc" },
	{ "TDMR", C_TDMR }, { "TDMR reserved area", C_RSVD }, { "PAMT", C_PAMT },
};

static const char *type_color(enum tdxsim_mem_type t)
{
	switch (t) {
	case TDXSIM_MEM_RAM: return legend_items[0].color;
	case TDXSIM_MEM_PMEM_LEGACY: return legend_items[1].color;
	case TDXSIM_MEM_SOFT_RESERVED: return legend_items[2].color;
	case TDXSIM_MEM_HOTPLUG: return legend_items[3].color;
	default: return legend_items[4].color;
	}
}

/* One swatch and its name per colour, on a line under the title; the
 * width of a name is reckoned at 7 px a character (12 px sans-serif). */
static void legend(FILE *f)
{
	double x = LEFT;

	fputs("<g id=\"legend\">\n", f);
	for (size_t i = 0; i < sizeof(legend_items) / sizeof(legend_items[0]); i++) {
		fprintf(f, "<rect x=\"%.1f\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\" "
			"stroke=\"#333\" stroke-width=\"0.3\"/>\n", x, legend_items[i].color);
		label(f, x + 16, 43, 12, legend_items[i].what);
		x += 16 + 7.0 * strlen(legend_items[i].what) + 18;
	}
	fputs("</g>\n", f);
}

static void draw_plan(FILE *f, const struct axis *a, const struct tdmr_plan *p, double y)
{
	char text[160];

	snprintf(text, sizeof(text), "policy %s: %u TDMRs, %llu KB PAMT",
		 tdmr_policy_name(p->policy), p->n_tdmrs,
		 (unsigned long long)(p->pamt_bytes >> 10));
	label(f, LEFT, y, 12, text);
	for (unsigned t = 0; t < p->n_tdmrs; t++) {
		const struct host_tdmr *h = &p->tdmr[t];
		uint64_t b = h->info.tdmr_base;

		snprintf(text, sizeof(text), "TDMR %u", t);
		rect(f, a, b, b + h->info.tdmr_size, y + 6, 10, t % 2 ? C_TDMR_ALT : C_TDMR, text);
		for (unsigned r = 0; r < h->n_rsvd; r++)
			rect(f, a, b + h->info.rsvd_areas[r].offset,
			     b + h->info.rsvd_areas[r].offset + h->info.rsvd_areas[r].size,
			     y + 17, 8, C_RSVD, "reserved area");
		snprintf(text, sizeof(text), "PAMT of TDMR %u (node %u)", t, h->pamt_node);
		rect(f, a, h->info.pamt_4k_base, h->info.pamt_1g_base + h->info.pamt_1g_size,
		     y + 26, 8, C_PAMT, text);
	}
}

/* About a dozen boundaries, rotated so that neighbours do not collide. */
static void ticks(FILE *f, const struct axis *a, double y)
{
	for (size_t i = 0; i < a->n; i += (a->n / 12) + 1)
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\" "
			"transform=\"rotate(30 %.1f %.0f)\">0x%llx</text>\n",
			a->pos[i], y, a->pos[i], y, (unsigned long long)a->x[i]);
}

int plan_svg_write(FILE *f, const char *title, const struct tdxsim_platform_config *c,
		   const struct tdmr_plan *const plans[], unsigned n)
{
	struct axis a;
	double height = PLAN_Y + ROW * n + TICKS_H;

	if (build_axis(&a, c, plans, n)) {
		free(a.x);
		free(a.pos);
		return -1;
	}
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"font-family=\"sans-serif\">\n<title>", WIDTH, height);
	xml_text(f, title);
	fputs(": TDMRs and PAMTs</title>\n", f);
	fprintf(f, "<text x=\"%.1f\" y=\"20\" font-size=\"14\">", LEFT);
	xml_text(f, title);
	fputs(": TDMRs and PAMTs by policy (address axis log-scaled between boundaries)</text>\n", f);
	legend(f);
	label(f, LEFT, MAP_Y - 6, 12, "memory map");
	for (size_t i = 0; i < c->n_memmap; i++)
		rect(f, &a, c->memmap[i].base, c->memmap[i].base + c->memmap[i].size, MAP_Y, 20,
		     type_color(c->memmap[i].type), tdxsim_mem_type_name(c->memmap[i].type));
	for (unsigned i = 0; i < n; i++)
		draw_plan(f, &a, plans[i], PLAN_Y + ROW * i);
	ticks(f, &a, PLAN_Y + ROW * n + 4);
	fprintf(f, "</svg>\n");
	free(a.x);
	free(a.pos);
	return ferror(f) ? -1 : 0;
}
