/* SPDX-License-Identifier: MIT */
/*
 * tdxsim td: boot the platform, bring TDX up, create a TD from options,
 * load and measure an initial image, finalize, print MRTD and the TD's
 * metadata as TDH.MNG.RD reads it, tear the TD down. Exit 0 on success,
 * 1 when the TD could not be built, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_td.h"
#include "commands.h"
#include "tdxsim/tdxsim.h"
#include "vmm/vmm.h"

struct opts {
	struct cli_td_opts td;
	const char *image;
	uint64_t image_gpa;
};

static const char usage[] =
	"usage: tdxsim td [--platform FILE] [--profile 1.5|1.5.01|1.0] [--vcpus N]\n"
	"                 [--memory SIZE] [--attributes debug,sept-ve-disable|0xHEX]\n"
	"                 [--image FILE [--image-gpa GPA]] [--json]\n"
	"                 " CLI_TD_USAGE_TRACE "\n";

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		CLI_TD_LONGOPTS,
		{ "image", required_argument, NULL, 'i' },
		{ "image-gpa", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, ret;

	optind = 1;
	while ((ch = getopt_long(argc, argv, CLI_TD_OPTSTRING "i:g:h", longopts, NULL)) != -1) {
		if ((ret = cli_td_option("td", usage, ch, optarg, &o->td)) != 1) {
			if (ret)
				return ret;
			continue;
		}
		switch (ch) {
		case 'i': o->image = optarg; break;
		case 'g':
			if (!cli_parse_size(optarg, &o->image_gpa)) {
				fprintf(stderr, "tdxsim td: bad image GPA '%s'\n%s", optarg, usage);
				return 2;
			}
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tdxsim td: unexpected argument '%s'\n%s", argv[optind], usage);
		return 2;
	}
	return -1;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc(n ? (size_t)n : 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		if (*len != (size_t)n) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* The metadata printed, read back with TDH.MNG.RD. */
static const struct { const char *name; uint64_t id; } fields[] = {
	{ "attributes", MD_TD_TDCS_ATTRIBUTES }, { "xfam", MD_TD_TDCS_XFAM },
	{ "max_vcpus", MD_TD_TDCS_MAX_VCPUS }, { "num_vcpus", MD_TD_TDCS_NUM_VCPUS },
	{ "eptp", MD_TD_TDCS_EPTP }, { "gpaw", MD_TD_TDCS_GPAW },
	{ "tsc_frequency", MD_TD_TDCS_TSC_FREQUENCY }, { "op_state", MD_TD_TDCS_OP_STATE },
	{ "td_epoch", MD_TD_TDCS_TD_EPOCH }, { "hkid", MD_TD_TDR_HKID },
	{ "num_tdcx", MD_TD_TDR_NUM_TDCX }, { "chldcnt", MD_TD_TDR_CHLDCNT },
	{ "lifecycle_state", MD_TD_TDR_LIFECYCLE_STATE },
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

struct td_run {
	const struct opts *o;
	const uint8_t *image;
	size_t image_len;
	struct cli_td_session s;
	uint8_t mrtd[48];
	uint64_t values[N_FIELDS];
	uint16_t hkid;
};

static int read_back(struct vm *vm, struct td_run *r)
{
	if (cli_read_measurement(vm, MD_TD_TDCS_MRTD, r->mrtd))
		return -EIO;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (vm_read_field(vm, fields[i].id, &r->values[i]))
			return -EIO;
	return 0;
}

static int build(struct vmm *v, void *arg)
{
	struct td_run *r = arg;
	struct vm *vm;
	int ret = vm_create(v, &r->o->td.td, &vm, r->s.err, sizeof(r->s.err));

	if (ret)
		return ret;
	r->hkid = vm_hkid(vm);
	ret = vm_init_vcpus(vm);
	if (!ret && r->image)
		ret = vm_init_mem_region(vm, r->o->image_gpa, r->image, r->image_len);
	if (!ret)
		ret = vm_finalize(vm);
	if (!ret)
		ret = read_back(vm, r);
	if (ret)
		snprintf(r->s.err, sizeof(r->s.err), "%s", vm_error(vm));
	vm_destroy(vm);
	return ret;
}

static void print_text(const struct td_run *r)
{
	char mr[97];

	cli_hex_bytes(mr, r->mrtd, sizeof(r->mrtd));
	printf("TD built, measured, finalized and torn down (HKID %u)\n", r->hkid);
	printf("MRTD %s\n", mr);
	for (size_t i = 0; i < N_FIELDS; i++)
		printf("  %-16s 0x%llx\n", fields[i].name, (unsigned long long)r->values[i]);
	printf("SEAMCALLs %llu; host pages after teardown: %s\n",
	       (unsigned long long)r->s.seamcalls,
	       r->s.free_after == r->s.free_before ? "all returned" : "LEAKED");
}

static void print_json(const struct td_run *r, int ret)
{
	json_t *root = json_object(), *md = json_object();
	char mr[97];

	json_object_set_new(root, "ok", json_boolean(ret == 0));
	if (ret) {
		json_object_set_new(root, "error", json_string(r->s.err));
	} else {
		cli_hex_bytes(mr, r->mrtd, sizeof(r->mrtd));
		json_object_set_new(root, "mrtd", json_string(mr));
		for (size_t i = 0; i < N_FIELDS; i++)
			json_object_set_new(md, fields[i].name, cli_hex(r->values[i]));
		json_object_set_new(root, "metadata", md);
		json_object_set_new(root, "hkid", json_integer(r->hkid));
	}
	json_object_set_new(root, "seamcalls", json_integer((json_int_t)r->s.seamcalls));
	json_object_set_new(root, "pages_returned",
			    json_boolean(r->s.free_after == r->s.free_before));
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

int cmd_td(int argc, char **argv)
{
	struct opts o;
	struct td_run r = { .o = &o };
	uint8_t *image = NULL;
	int ret;

	memset(&o, 0, sizeof(o));
	cli_td_opts_init(&o.td);
	if ((ret = parse(argc, argv, &o)) >= 0)
		return ret;
	if (o.image && !(image = read_file(o.image, &r.image_len))) {
		fprintf(stderr, "tdxsim td: cannot read image '%s': %s\n", o.image, strerror(errno));
		return 2;
	}
	r.image = image;
	ret = cli_td_session("td", &o.td, &r.s, build, &r);
	if (ret != 2) {
		if (o.td.json)
			print_json(&r, ret);
		else if (ret)
			cli_td_session_report("td", &r.s);
		else
			print_text(&r);
		if (!ret && r.s.free_after != r.s.free_before)
			ret = 1;
		ret = ret ? 1 : 0;
	}
	cli_td_session_end(&r.s);
	free(image);
	return ret;
}
