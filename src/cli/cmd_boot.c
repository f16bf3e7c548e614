/* SPDX-License-Identifier: MIT */
/*
 * tdxsim boot [--platform FILE] [--profile P] [--policy P] [--json]: build
 * the platform, bring TDX up as the kernel does, print the kernel log and
 * a summary. Exit 1 when the module fails to initialise.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"
#include "host/host.h"
#include "tdxsim/tdxsim.h"

struct opts {
	const char *platform, *profile;
	enum tdmr_policy policy;
	enum host_kernel kernel;
	bool json;
};

const char cmd_boot_synopsis[] =
	"usage: tdxsim boot [--platform FILE] [--profile 1.5|1.5.01|1.0] [--policy linux|compact]\n"
	"                   [--kernel-version mainline|6.12] [--json]\n";

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ "policy", required_argument, NULL, 'y' },
		{ "kernel-version", required_argument, NULL, 'K' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:P:y:K:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': o->platform = optarg; break;
		case 'P': o->profile = optarg; break;
		case 'y':
			if (!tdmr_policy_parse(optarg, &o->policy)) {
				fprintf(stderr, "tdxsim boot: unknown policy '%s' (linux or compact)\n", optarg);
				return 2;
			}
			break;
		case 'K':
			if (!host_kernel_parse(optarg, &o->kernel)) {
				fprintf(stderr, "tdxsim boot: unknown kernel version '%s' (mainline or 6.12)\n", optarg);
				return 2;
			}
			break;
		case 'j': o->json = true; break;
		case 'h': fputs(cmd_boot_synopsis, stdout); return 0;
		default: fputs(cmd_boot_synopsis, stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tdxsim boot: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return -1;
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
		fprintf(f, "BIOS-e820: [mem 0x%016llx-0x%016llx] %s (node %u)\n",
			(unsigned long long)c->memmap[i].base,
			(unsigned long long)(c->memmap[i].base + c->memmap[i].size - 1),
			tdxsim_mem_type_name(c->memmap[i].type), c->memmap[i].node);
}

struct result {
	int ret;
	double secs;
	long rss_kb;
	uint64_t host_bytes;
};

static void print_json(const struct tdxsim_platform_config *c, struct host *h,
		       const struct result *r, const char *log)
{
	json_t *root = json_object();
	const struct tdx_sys_info *s = &h->sysinfo;
	char ver[32];

	/* 0.0.00 is no version: TDH.SYS.RD never answered (a 1.0 module, or
	 * a boot that failed first). */
	snprintf(ver, sizeof(ver), "%u.%u.%02u", s->major, s->minor, s->update);
	json_object_set_new(root, "platform", json_string(c->name));
	json_object_set_new(root, "profile", json_string(tdxsim_profile_name(c->profile)));
	json_object_set_new(root, "policy", json_string(tdmr_policy_name(h->opt.policy)));
	json_object_set_new(root, "ok", json_boolean(r->ret == 0));
	json_object_set_new(root, "module_initialized", json_boolean(h->status == TDX_MODULE_INITIALIZED));
	json_object_set_new(root, "errno", json_integer(r->ret));
	json_object_set_new(root, "module_version", s->major || s->minor || s->update ?
			    json_string(ver) : json_null());
	json_object_set_new(root, "failed_seamcall", h->sc_failed ?
			    cli_seamcall_failure_json(h->sc_failed_leaf, h->sc_failed_status) :
			    json_null());
	if (h->plan) {
		json_object_set_new(root, "tdmrs", cli_tdmrs_json(h->plan));
		json_object_set_new(root, "pamt_size", cli_hex(h->plan->pamt_bytes));
	}
	json_object_set_new(root, "seamcalls", json_integer((json_int_t)host_seamcalls(h)));
	json_object_set_new(root, "tdmr_init_calls", json_integer((json_int_t)h->stats.tdmr_init_calls));
	json_object_set_new(root, "elapsed_ms", json_real(r->secs * 1e3));
	json_object_set_new(root, "peak_rss_size", r->rss_kb < 0 ? json_null() :
			    cli_hex((uint64_t)r->rss_kb << 10));
	json_object_set_new(root, "simulated_memory_host_size", cli_hex(r->host_bytes));
	json_object_set_new(root, "log", cli_log_lines(log));
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

/* After the kernel's own line, which gives only numbers: their names. */
static void print_failure(const struct host *h)
{
	char msg[200];

	if (!h->sc_failed)
		return;
	cli_seamcall_failure(msg, sizeof(msg), h->sc_failed_leaf, h->sc_failed_status);
	printf("tdxsim boot: %s\n", msg);
}

static void print_summary(struct host *h, const struct result *r)
{
	printf("\nsummary: %s in %.1f ms; %u TDMRs, %llu KB PAMT; %llu SEAMCALLs (%llu TDH.SYS.TDMR.INIT); "
	       "host peak RSS %.1f MiB (simulated memory %.1f MiB)\n",
	       r->ret ? "TDX is NOT ready" : "TDX ready, a TD can be created",
	       r->secs * 1e3, h->plan ? h->plan->n_tdmrs : 0,
	       (unsigned long long)(h->plan ? h->plan->pamt_bytes >> 10 : 0),
	       (unsigned long long)host_seamcalls(h),
	       (unsigned long long)h->stats.tdmr_init_calls,
	       r->rss_kb / 1024.0, r->host_bytes / 1048576.0);
}

static int run(const struct opts *o, const struct tdxsim_platform_config *cfg)
{
	struct host_options ho = { .timestamps = !o->json, .policy = o->policy,
				   .kernel = o->kernel };
	char *logbuf = NULL, err[512];
	size_t loglen = 0;
	struct result r = { 0 };
	struct platform *p;
	struct host *h;
	double t0;

	ho.log = o->json ? open_memstream(&logbuf, &loglen) : stdout;
	p = platform_create(cfg, err, sizeof(err));
	h = p ? host_create(p, &ho, err, sizeof(err)) : NULL;
	if (!h) {
		fprintf(stderr, "tdxsim boot: %s\n", err);
		platform_destroy(p);
		if (o->json && ho.log)
			fclose(ho.log);
		free(logbuf);
		return 2;
	}
	t0 = cli_now();
	r.ret = host_boot(h);
	r.secs = cli_now() - t0;
	r.rss_kb = cli_peak_rss_kb();
	r.host_bytes = platform_mem_host_bytes(p);
	if (o->json) {
		fclose(ho.log);
		print_json(cfg, h, &r, logbuf);
	} else {
		print_failure(h);
		print_summary(h, &r);
	}
	free(logbuf);
	host_destroy(h);
	platform_destroy(p);
	return r.ret ? 1 : 0;
}

int cmd_boot(int argc, char **argv)
{
	struct opts o = { 0 };
	struct tdxsim_platform_config *cfg;
	int ret = parse(argc, argv, &o);

	if (ret >= 0)
		return ret;
	cfg = malloc(sizeof(*cfg));
	if (!cfg)
		return 2;
	ret = cli_load_platform("boot", o.platform, o.profile, cfg);
	if (!ret) {
		if (!o.json)
			show_platform(stdout, cfg);
		ret = run(&o, cfg);
	}
	free(cfg);
	return ret;
}
