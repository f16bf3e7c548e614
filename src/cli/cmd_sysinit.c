/* SPDX-License-Identifier: MIT */
/*
 * tdxsim sysinit [--platform FILE] [--profile P] [--json]: show the
 * platform, then bring the TDX module through global initialisation and
 * report what it took.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "host/bringup.h"
#include "tdxsim/tdxsim.h"

struct opts {
	const char *platform;
	const char *profile;
	bool json;
};

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:P:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': o->platform = optarg; break;
		case 'P': o->profile = optarg; break;
		case 'j': o->json = true; break;
		case 'h':
			printf("usage: tdxsim sysinit [--platform FILE] [--profile 1.5|1.5.01|1.0] [--json]\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tdxsim sysinit: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return -1;
}

static int load(const struct opts *o, struct tdxsim_platform_config *cfg)
{
	char err[512];

	if (!o->platform)
		tdxsim_config_default(cfg);
	else if (!tdxsim_config_load_json(o->platform, cfg, err, sizeof(err))) {
		fprintf(stderr, "tdxsim: %s\n", err);
		return 2;
	}
	if (o->profile && !tdxsim_profile_parse(o->profile, &cfg->profile)) {
		fprintf(stderr, "tdxsim sysinit: unknown profile '%s' (1.5, 1.5.01 or 1.0)\n", o->profile);
		return 2;
	}
	if (!tdxsim_config_finish(cfg, err, sizeof(err))) {
		fprintf(stderr, "tdxsim: %s: %s\n", o->platform ? o->platform : "default", err);
		return 2;
	}
	return 0;
}

static void show_platform(FILE *f, const struct tdxsim_platform_config *c)
{
	uint64_t ram = 0;

	for (size_t i = 0; i < c->n_memmap; i++)
		if (c->memmap[i].type == TDXSIM_MEM_RAM)
			ram += c->memmap[i].size;
	fprintf(f, "platform %s: %u packages x %u LPs, %.1f GiB RAM, MAXPA %u, "
		"KeyIDs: %u MKTME + %u TDX, module profile %s\n",
		c->name, c->packages, c->lps_per_package, ram / (double)(1ULL << 30),
		c->pa_width, c->mktme_keyids, c->tdx_keyids, tdxsim_profile_name(c->profile));
	for (size_t i = 0; i < c->n_memmap; i++)
		fprintf(f, "  [mem 0x%016llx-0x%016llx] %-13s node %u\n",
			(unsigned long long)c->memmap[i].base,
			(unsigned long long)(c->memmap[i].base + c->memmap[i].size - 1),
			tdxsim_mem_type_name(c->memmap[i].type), c->memmap[i].node);
}

static json_t *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

static void print_json(const struct tdxsim_platform_config *c,
		       const struct host_bringup *b, int ret, double secs,
		       uint64_t host_bytes)
{
	json_t *root = json_object(), *tdmrs = json_array();

	for (unsigned i = 0; i < b->n_tdmrs; i++) {
		json_t *t = json_object();

		json_object_set_new(t, "base", hex(b->tdmr[i].info.tdmr_base));
		json_object_set_new(t, "size", hex(b->tdmr[i].info.tdmr_size));
		json_object_set_new(t, "reserved_areas", json_integer(b->tdmr[i].n_rsvd));
		json_array_append_new(tdmrs, t);
	}
	json_object_set_new(root, "platform", json_string(c->name));
	json_object_set_new(root, "profile", json_string(tdxsim_profile_name(c->profile)));
	json_object_set_new(root, "initialized", json_boolean(ret == 0));
	if (ret)
		json_object_set_new(root, "error", json_string(b->error));
	json_object_set_new(root, "tdmrs", tdmrs);
	json_object_set_new(root, "pamt_kb", json_integer((json_int_t)(b->pamt_bytes >> 10)));
	json_object_set_new(root, "seamcalls", json_integer((json_int_t)b->seamcalls));
	json_object_set_new(root, "seconds", json_real(secs));
	json_object_set_new(root, "host_memory_bytes", json_integer((json_int_t)host_bytes));
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

int cmd_sysinit(int argc, char **argv)
{
	struct opts o = { 0 };
	static struct tdxsim_platform_config cfg;
	static struct host_bringup b;
	struct timespec t0, t1;
	struct platform *p;
	char err[512];
	int ret = parse(argc, argv, &o);

	if (ret >= 0)
		return ret;
	if ((ret = load(&o, &cfg)))
		return ret;
	p = platform_create(&cfg, err, sizeof(err));
	if (!p) {
		fprintf(stderr, "tdxsim: %s\n", err);
		return 2;
	}
	if (!o.json)
		show_platform(stdout, &cfg);
	memset(&b, 0, sizeof(b));
	b.log = o.json ? NULL : stdout;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = host_bringup(p, &b);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (o.json)
		print_json(&cfg, &b, ret, secs, platform_mem_host_bytes(p));
	else
		printf("%llu SEAMCALLs (%llu TDH.SYS.TDMR.INIT) in %.3f s; simulated memory uses %.1f MiB of host RAM\n",
		       (unsigned long long)b.seamcalls, (unsigned long long)b.tdmr_init_calls,
		       secs, platform_mem_host_bytes(p) / 1048576.0);
	platform_destroy(p);
	return ret ? 1 : 0;
}
