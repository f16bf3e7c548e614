/* SPDX-License-Identifier: MIT */
/*
 * tdxsim linux boot [--platform FILE] [--profile P] [--kernel OBJ] [--json]
 * (and tdxsim linux compare, linux_compare.c):
 * the real kernel's TDX host code (docs/linux.md) brings TDX up on the
 * platform: tdx_init() at early boot, then what KVM's module load does.
 * Prints the kernel's log and the summary `tdxsim boot` prints; exit 1
 * when TDX does not come up.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "commands.h"
#include "linux_compare.h"
#include "tdxsim/linux.h"
#include "tdxsim/tdxsim.h"

struct opts {
	const char *platform, *profile, *kernel, *version, *ksrc;
	bool json;
};

const char cmd_linux_synopsis[] =
	"usage: tdxsim linux boot [--platform FILE] [--profile 1.5|1.5.01|1.0]\n"
	"                         [--ksrc DIR | --kernel OBJECT] [--json]\n"
	"       tdxsim linux compare [--platform FILE] [--profile 1.5|1.5.01|1.0]\n"
	"                            [--ksrc DIR | --kernel OBJECT]\n"
	"                            [--kernel-version mainline|6.12]\n";

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "kernel-version", required_argument, NULL, 'K' },
		{ "ksrc", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:P:k:K:s:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': o->platform = optarg; break;
		case 'P': o->profile = optarg; break;
		case 'k': o->kernel = optarg; break;
		case 'K': o->version = optarg; break;
		case 's': o->ksrc = optarg; break;
		case 'j': o->json = true; break;
		case 'h': fputs(cmd_linux_synopsis, stdout); return 0;
		default: fputs(cmd_linux_synopsis, stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tdxsim linux: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return -1;
}

struct result {
	int ret;
	double secs;
	size_t n_calls, n_tdmr_init;
	struct tdxsim_linux_counts counts;
};

static json_t *tdmrs_json(struct tdxsim_linux *l)
{
	const struct tdxsim_linux_tdmr *t;
	unsigned n = tdxsim_linux_tdmrs(l, &t);
	json_t *a = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(a, cli_tdmr_json(&t[i].info, t[i].n_rsvd, -1));
	return a;
}

static void print_json(const struct tdxsim_platform_config *c, struct tdxsim_linux *l,
		       const struct result *r)
{
	json_t *root = json_object();

	json_object_set_new(root, "platform", json_string(c->name));
	json_object_set_new(root, "profile", json_string(tdxsim_profile_name(c->profile)));
	json_object_set_new(root, "kernel", json_string(tdxsim_linux_release(l)));
	json_object_set_new(root, "ok", json_boolean(r->ret == 0));
	json_object_set_new(root, "errno", json_integer(r->ret));
	json_object_set_new(root, "tdmrs", tdmrs_json(l));
	json_object_set_new(root, "pamt_size", cli_hex(tdxsim_linux_pamt_bytes(l)));
	json_object_set_new(root, "seamcalls", json_integer((json_int_t)r->n_calls));
	json_object_set_new(root, "tdmr_init_calls", json_integer((json_int_t)r->n_tdmr_init));
	json_object_set_new(root, "warnings", json_integer(r->counts.warns));
	json_object_set_new(root, "lockdep", json_integer(r->counts.lockdep));
	json_object_set_new(root, "live_allocations", json_integer((json_int_t)r->counts.live_allocs));
	json_object_set_new(root, "elapsed_ms", json_real(r->secs * 1e3));
	json_object_set_new(root, "log", cli_log_lines(tdxsim_linux_log(l)));
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

static void print_summary(struct tdxsim_linux *l, const struct result *r)
{
	const struct tdxsim_linux_tdmr *t;
	unsigned n = tdxsim_linux_tdmrs(l, &t);

	printf("\nsummary: Linux %s: %s in %.1f ms; %u TDMRs, %llu KB PAMT; %zu SEAMCALLs (%zu TDH.SYS.TDMR.INIT); "
	       "%u warnings, %u lockdep failures; %llu allocations live (%llu KB)\n",
	       tdxsim_linux_release(l), r->ret ? "TDX is NOT ready" : "TDX ready",
	       r->secs * 1e3, n, (unsigned long long)(tdxsim_linux_pamt_bytes(l) >> 10),
	       r->n_calls, r->n_tdmr_init, r->counts.warns, r->counts.lockdep,
	       r->counts.live_allocs, r->counts.live_bytes >> 10);
}

static int run(const struct opts *o, const struct tdxsim_platform_config *cfg)
{
	struct tdxsim_linux_options lo = { .kernel_object = o->kernel,
					   .timestamps = !o->json,
					   .log = o->json ? NULL : stdout };
	const struct tdxsim_linux_seamcall *calls;
	struct result r = { 0 };
	struct tdxsim_linux *l;
	struct platform *p;
	char err[512];
	double t0;

	p = platform_create(cfg, err, sizeof(err));
	l = p ? tdxsim_linux_create(p, &lo, err, sizeof(err)) : NULL;
	if (!l) {
		fprintf(stderr, "tdxsim linux: %s\n", err);
		platform_destroy(p);
		return 2;
	}
	t0 = cli_now();
	tdxsim_linux_tdx_init(l);
	r.ret = tdxsim_linux_kvm_bringup(l);
	r.secs = cli_now() - t0;
	r.n_calls = tdxsim_linux_seamcalls(l, &calls);
	for (size_t i = 0; i < r.n_calls; i++)
		r.n_tdmr_init += (calls[i].fn & 0xffff) == TDH_SYS_TDMR_INIT;
	tdxsim_linux_counts(l, &r.counts);
	if (o->json)
		print_json(cfg, l, &r);
	else
		print_summary(l, &r);
	tdxsim_linux_destroy(l);
	platform_destroy(p);
	return r.ret ? 1 : 0;
}

static char tmpdir[] = "/tmp/tdxsim-linux-XXXXXX";
static char object[sizeof(tmpdir) + 32];

/* --ksrc DIR: the kernel object built from the tree, in a temporary
 * directory removed afterwards. */
static int build_from_tree(struct opts *o)
{
	static char err[8192];

	if (!mkdtemp(tmpdir)) {
		perror("tdxsim linux: mkdtemp");
		return 2;
	}
	snprintf(object, sizeof(object), "%s/kernel.so", tmpdir);
	if (tdxsim_linux_build(o->ksrc, object, err, sizeof(err))) {
		fprintf(stderr, "tdxsim linux: cannot build the kernel object from %s:\n%s\n",
			o->ksrc, err);
		unlink(object);
		rmdir(tmpdir);
		return 2;
	}
	o->kernel = object;
	return 0;
}

int cmd_linux(int argc, char **argv)
{
	struct opts o = { 0 };
	struct tdxsim_platform_config *cfg;
	int ret;

	bool compare = argc >= 2 && !strcmp(argv[1], "compare");

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(cmd_linux_synopsis, stdout);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "boot") && !compare)) {
		fputs(cmd_linux_synopsis, stderr);
		return 2;
	}
	ret = parse(argc - 1, argv + 1, &o);
	if (ret >= 0)
		return ret;
	if (compare && o.json) {
		fputs("tdxsim linux compare: no --json (its output is the differences)\n", stderr);
		return 2;
	}
	if (o.ksrc && o.kernel) {
		fputs("tdxsim linux: --ksrc or --kernel, not both\n", stderr);
		return 2;
	}
	if (!compare && o.version) {
		fputs("tdxsim linux boot: --kernel-version is for compare\n", stderr);
		return 2;
	}
	cfg = malloc(sizeof(*cfg));
	if (!cfg)
		return 2;
	ret = cli_load_platform(compare ? "linux compare" : "linux boot", o.platform,
				o.profile, cfg);
	if (!ret && o.ksrc)
		ret = build_from_tree(&o);
	if (!ret)
		ret = compare ? linux_compare(cfg, o.kernel, o.version) : run(&o, cfg);
	if (o.ksrc && o.kernel) {
		unlink(o.kernel);
		rmdir(tmpdir);
	}
	free(cfg);
	return ret;
}
