/* SPDX-License-Identifier: MIT */
/*
 * The address axis is piecewise: every boundary (map range, TDMR,
 * reserved area, PAMT) becomes a tick, and the space between two ticks
 * gets a width that grows with the log of its size, so a 4 KiB hole and
 * a 1 TiB range are both visible.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan_svg.h"

#define WIDTH 1400.0
#define LEFT 150.0
#define ROW 34.0

struct axis {
	size_t n;
	uint64_t *x;          /* sorted, unique boundaries */
	double *pos;          /* their screen positions */
};

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

static int build_axis(struct axis *a, const struct tdxsim_platform_config *c,
		      const struct tdmr_plan *const plans[], unsigned n)
{
	size_t cap = count_points(c, plans, n);
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
		for (unsigned t = 0; t < plans[i]->n_tdmrs; t++) {
			const struct host_tdmr *h = &plans[i]->tdmr[t];
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
	qsort(a->x, a->n, sizeof(*a->x), cmp_u64);
	{
		size_t u = 0;

		for (size_t i = 0; i < a->n; i++)
			if (!u || a->x[i] != a->x[u - 1])
				a->x[u++] = a->x[i];
		a->n = u;
	}
	for (size_t i = 1; i < a->n; i++)
		total += log2((double)(a->x[i] - a->x[i - 1]) / 4096.0 + 1.0) + 1.0;
	a->pos[0] = LEFT;
	for (size_t i = 1; i < a->n; i++)
		a->pos[i] = a->pos[i - 1] + (WIDTH - LEFT - 20) *
			    (log2((double)(a->x[i] - a->x[i - 1]) / 4096.0 + 1.0) + 1.0) / total;
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

	fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.3\">"
		"<title>%s [0x%llx, 0x%llx)</title></rect>\n",
		x0, y, x1 - x0 < 0.5 ? 0.5 : x1 - x0, h, fill, title,
		(unsigned long long)s, (unsigned long long)e);
}

static const char *type_color(enum tdxsim_mem_type t)
{
	switch (t) {
	case TDXSIM_MEM_RAM: return "#7fbf7f";
	case TDXSIM_MEM_PMEM_LEGACY: return "#bf7fbf";
	case TDXSIM_MEM_SOFT_RESERVED: return "#7fa8d9";
	case TDXSIM_MEM_HOTPLUG: return "#d9d97f";
	default: return "#cccccc";
	}
}

static void draw_plan(FILE *f, const struct axis *a, const struct tdmr_plan *p, double y)
{
	fprintf(f, "<text x=\"5\" y=\"%.1f\" font-size=\"12\">%s: %u TDMRs, %llu KB PAMT</text>\n",
		y + 14, tdmr_policy_name(p->policy), p->n_tdmrs,
		(unsigned long long)(p->pamt_bytes >> 10));
	for (unsigned t = 0; t < p->n_tdmrs; t++) {
		const struct host_tdmr *h = &p->tdmr[t];
		uint64_t b = h->info.tdmr_base;
		char title[48];

		snprintf(title, sizeof(title), "TDMR %u", t);
		rect(f, a, b, b + h->info.tdmr_size, y, 10, t % 2 ? "#f2c46d" : "#e8a33d", title);
		for (unsigned r = 0; r < h->n_rsvd; r++)
			rect(f, a, b + h->info.rsvd_areas[r].offset,
			     b + h->info.rsvd_areas[r].offset + h->info.rsvd_areas[r].size,
			     y + 11, 8, "#d9534f", "reserved area");
		snprintf(title, sizeof(title), "PAMT of TDMR %u (node %u)", t, h->pamt_node);
		rect(f, a, h->info.pamt_4k_base, h->info.pamt_1g_base + h->info.pamt_1g_size,
		     y + 20, 8, "#5b5bd6", title);
	}
}

int plan_svg_write(FILE *f, const struct tdxsim_platform_config *c,
		   const struct tdmr_plan *const plans[], unsigned n)
{
	struct axis a;
	double height = 60 + ROW * (n + 1) + 30;

	if (build_axis(&a, c, plans, n)) {
		free(a.x);
		free(a.pos);
		return -1;
	}
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\">\n",
		WIDTH, height);
	fprintf(f, "<text x=\"5\" y=\"18\" font-size=\"14\">%s: physical map (log-scaled segments), TDMRs (orange), reserved areas (red), PAMTs (blue)</text>\n",
		c->name);
	fprintf(f, "<text x=\"5\" y=\"48\" font-size=\"12\">memory map</text>\n");
	for (size_t i = 0; i < c->n_memmap; i++)
		rect(f, &a, c->memmap[i].base, c->memmap[i].base + c->memmap[i].size, 34, 20,
		     type_color(c->memmap[i].type), tdxsim_mem_type_name(c->memmap[i].type));
	for (unsigned i = 0; i < n; i++)
		draw_plan(f, &a, plans[i], 60 + ROW * i + 10);
	for (size_t i = 0; i < a.n; i += (a.n / 12) + 1)
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\" transform=\"rotate(30 %.1f %.0f)\">0x%llx</text>\n",
			a.pos[i], height - 22, a.pos[i], height - 22, (unsigned long long)a.x[i]);
	fprintf(f, "</svg>\n");
	free(a.x);
	free(a.pos);
	return ferror(f) ? -1 : 0;
}
