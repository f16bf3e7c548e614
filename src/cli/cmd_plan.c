/* SPDX-License-Identifier: MIT */
/*
 * tdxsim plan [--format F] [--policy P|both] [--json] [--svg FILE] [MAP]:
 * plan TDMRs, reserved areas and PAMTs for a memory map (the default
 * platform without MAP), under each policy, in the kernel's units.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_input.h"
#include "commands.h"
#include "host/memmap_parse.h"
#include "host/tdmr_plan.h"
#include "plan_svg.h"

struct opts {
	enum memmap_format format;
	int policy;                /* -1: both */
	bool json;
	const char *svg, *map;
};

#define SYNOPSIS \
	"usage: tdxsim plan [--format auto|iomem|e820|cmr|json] [--policy linux|compact|both]\n" \
	"                   [--json] [--svg FILE] [MAP]\n"
const char cmd_plan_synopsis[] = SYNOPSIS;
static const char usage[] = SYNOPSIS
	"MAP is /proc/iomem text, dmesg e820 or TDX CMR lines, or a platform JSON file\n"
	"(- reads standard input); without it, the built-in default platform.\n";

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "policy", required_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum tdmr_policy pol;
	int ch;

	optind = 1;
	o->policy = -1;
	while ((ch = getopt_long(argc, argv, "f:y:js:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (!memmap_format_parse(optarg, &o->format)) {
				fprintf(stderr, "tdxsim plan: unknown format '%s'\n%s", optarg, usage);
				return 2;
			}
			break;
		case 'y':
			if (!strcmp(optarg, "both")) {
				o->policy = -1;
			} else if (tdmr_policy_parse(optarg, &pol)) {
				o->policy = (int)pol;
			} else {
				fprintf(stderr, "tdxsim plan: unknown policy '%s' (linux, compact or both)\n", optarg);
				return 2;
			}
			break;
		case 'j': o->json = true; break;
		case 's': o->svg = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "tdxsim plan: one memory map at most\n%s", usage);
		return 2;
	}
	o->map = optind < argc ? argv[optind] : NULL;
	return -1;
}

static void print_area(const char *what, uint64_t base, uint64_t size)
{
	printf("    %-9s [0x%llx, 0x%llx) %llu KB\n", what, (unsigned long long)base,
	       (unsigned long long)(base + size), (unsigned long long)(size >> 10));
}

static void print_plan(const struct tdmr_plan *p, int ret)
{
	printf("\npolicy %s: ", tdmr_policy_name(p->policy));
	if (ret) {
		printf("FAILED (%d): %s\n", ret, p->error);
		return;
	}
	printf("%u TDMRs, %llu KB allocated for PAMT\n", p->n_tdmrs,
	       (unsigned long long)(p->pamt_bytes >> 10));
	if (p->warning[0])
		printf("  warning: %s\n", p->warning);
	for (unsigned i = 0; i < p->n_tdmrs; i++) {
		const struct host_tdmr *t = &p->tdmr[i];
		const struct tdmr_info_entry *e = &t->info;

		printf("  TDMR %u: [0x%llx, 0x%llx) %llu GiB, PAMT on node %u\n", i,
		       (unsigned long long)e->tdmr_base,
		       (unsigned long long)(e->tdmr_base + e->tdmr_size),
		       (unsigned long long)(e->tdmr_size >> 30), t->pamt_node);
		print_area("PAMT 4K", e->pamt_4k_base, e->pamt_4k_size);
		print_area("PAMT 2M", e->pamt_2m_base, e->pamt_2m_size);
		print_area("PAMT 1G", e->pamt_1g_base, e->pamt_1g_size);
		for (unsigned r = 0; r < t->n_rsvd; r++)
			print_area("reserved", e->tdmr_base + e->rsvd_areas[r].offset,
				   e->rsvd_areas[r].size);
	}
}

static json_t *plan_json(const struct tdmr_plan *p, int ret)
{
	json_t *o = json_object();

	json_object_set_new(o, "policy", json_string(tdmr_policy_name(p->policy)));
	json_object_set_new(o, "ok", json_boolean(ret == 0));
	if (ret) {
		json_object_set_new(o, "errno", json_integer(ret));
		json_object_set_new(o, "error", json_string(p->error));
		return o;
	}
	json_object_set_new(o, "pamt_size", cli_hex(p->pamt_bytes));
	if (p->warning[0])
		json_object_set_new(o, "warning", json_string(p->warning));
	json_object_set_new(o, "tdmrs", cli_tdmrs_json(p));
	return o;
}

static void print_map(const struct tdxsim_platform_config *c, const char *name,
		      enum memmap_format fmt)
{
	uint64_t ram = 0;

	for (size_t i = 0; i < c->n_memmap; i++)
		if (c->memmap[i].type == TDXSIM_MEM_RAM)
			ram += c->memmap[i].size;
	printf("memory map %s (%s): %zu ranges, %.1f GiB RAM, %zu CMRs\n", name,
	       memmap_format_name(fmt), c->n_memmap, ram / (double)(1ULL << 30), c->n_cmrs);
	for (size_t i = 0; i < c->n_memmap; i++)
		printf("  [mem 0x%016llx-0x%016llx] %s, node %u\n",
		       (unsigned long long)c->memmap[i].base,
		       (unsigned long long)(c->memmap[i].base + c->memmap[i].size - 1),
		       tdxsim_mem_type_name(c->memmap[i].type), c->memmap[i].node);
}

/* The SVG's title: the map's file name (its directories say nothing of
 * the machine), "stdin", or the built-in default platform's name. */
static const char *svg_title(const char *map)
{
	const char *slash;

	if (!map)
		return "default platform";
	map = cli_input_name(map);
	slash = strrchr(map, '/');
	return slash && slash[1] ? slash + 1 : map;
}

static int write_svg(const char *path, const char *map, const struct tdxsim_platform_config *c,
		     const struct tdmr_plan *const plans[], unsigned n)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f) {
		fprintf(stderr, "tdxsim plan: cannot write %s: %m\n", path);
		return 2;
	}
	ret = plan_svg_write(f, svg_title(map), c, plans, n);
	if (fclose(f) || ret) {
		fprintf(stderr, "tdxsim plan: writing %s failed\n", path);
		return 2;
	}
	return 0;
}

static int run(const struct opts *o, const struct tdxsim_platform_config *c,
	       enum memmap_format fmt)
{
	static struct tdmr_plan plans[2];
	const struct tdmr_plan *shown[2];
	unsigned n = 0;
	int rets[2], failed = 0;
	json_t *root = json_object(), *arr = json_array();

	for (int pol = 0; pol < 2; pol++) {
		if (o->policy >= 0 && o->policy != pol)
			continue;
		rets[n] = tdmr_plan_for_config(c, (enum tdmr_policy)pol, &plans[n]);
		plans[n].policy = (enum tdmr_policy)pol;
		failed |= rets[n] != 0;
		shown[n] = &plans[n];
		n++;
	}
	if (o->json) {
		json_object_set_new(root, "ok", json_boolean(!failed));
		json_object_set_new(root, "map", json_string(o->map ? cli_input_name(o->map) : "default"));
		json_object_set_new(root, "format", json_string(memmap_format_name(fmt)));
		for (unsigned i = 0; i < n; i++)
			json_array_append_new(arr, plan_json(&plans[i], rets[i]));
		json_object_set_new(root, "plans", arr);
		json_dumpf(root, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_map(c, o->map ? cli_input_name(o->map) : "default", fmt);
		for (unsigned i = 0; i < n; i++)
			print_plan(&plans[i], rets[i]);
		json_decref(arr);
	}
	json_decref(root);
	if (o->svg && write_svg(o->svg, o->map, c, shown, n))
		return 2;
	return failed ? 1 : 0;
}

/* The default platform, MAP, or standard input for "-": 0, or 2 with the
 * message in err (or printed already, err empty). */
static int load_map(const struct opts *o, struct tdxsim_platform_config *cfg,
		    enum memmap_format *fmt, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int ret;

	err[0] = '\0';
	if (!o->map) {
		tdxsim_config_default(cfg);
		return tdxsim_config_finish(cfg, err, errlen) ? 0 : 2;
	}
	if (!cli_is_stdin(o->map))
		return memmap_load_file(o->map, o->format, cfg, fmt, err, errlen);
	if (!(text = cli_read_whole("plan", o->map, CLI_INPUT_MAX, &len)))
		return 2;
	ret = memmap_parse_text(text, len, cli_input_name(o->map), o->format, cfg, fmt,
				err, errlen);
	free(text);
	return ret;
}

int cmd_plan(int argc, char **argv)
{
	struct opts o = { 0 };
	struct tdxsim_platform_config *cfg = malloc(sizeof(*cfg));
	enum memmap_format fmt = MEMMAP_JSON;
	char err[512];
	int ret = parse(argc, argv, &o);

	if (ret >= 0 || !cfg) {
		free(cfg);
		return ret >= 0 ? ret : 2;
	}
	ret = load_map(&o, cfg, &fmt, err, sizeof(err));
	if (ret == 2 && err[0]) {
		fprintf(stderr, "tdxsim plan: %s\n", err);
	} else if (!ret) {
		ret = run(&o, cfg, fmt);
	}
	free(cfg);
	return ret;
}
