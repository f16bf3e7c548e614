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
#include "commands.h"
#include "host/host.h"
#include "host/page_alloc.h"
#include "tdxsim/tdxsim.h"
#include "vmm/vmm.h"

struct opts {
	const char *platform, *profile, *image;
	struct td_config td;
	uint64_t image_gpa;
	bool json;
};

static const char usage[] =
	"usage: tdxsim td [--platform FILE] [--profile 1.5|1.5.01|1.0] [--vcpus N]\n"
	"                 [--memory SIZE] [--attributes debug,sept-ve-disable|0xHEX]\n"
	"                 [--image FILE [--image-gpa GPA]] [--json]\n";

static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return false;
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	default: break;
	}
	*out = v;
	return *end == '\0';
}

static bool parse_attributes(const char *s, uint64_t *out)
{
	char buf[128], *tok, *save = NULL;

	if (!strncmp(s, "0x", 2))
		return parse_size(s, out);
	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "debug"))
			*out |= TDX_TD_ATTR_DEBUG;
		else if (!strcmp(tok, "sept-ve-disable"))
			*out |= TDX_TD_ATTR_SEPT_VE_DISABLE;
		else
			return false;
	}
	return true;
}

static int bad(const char *what, const char *val)
{
	fprintf(stderr, "tdxsim td: bad %s '%s'\n%s", what, val, usage);
	return 2;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ "vcpus", required_argument, NULL, 'c' },
		{ "memory", required_argument, NULL, 'm' },
		{ "attributes", required_argument, NULL, 'a' },
		{ "image", required_argument, NULL, 'i' },
		{ "image-gpa", required_argument, NULL, 'g' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:P:c:m:a:i:g:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': o->platform = optarg; break;
		case 'P': o->profile = optarg; break;
		case 'c':
			if (!parse_size(optarg, &v) || !v || v > 0xFFFF)
				return bad("vCPU count", optarg);
			o->td.vcpus = (unsigned)v;
			break;
		case 'm':
			if (!parse_size(optarg, &o->td.memory_bytes))
				return bad("memory size", optarg);
			break;
		case 'a':
			if (!parse_attributes(optarg, &o->td.attributes))
				return bad("attributes", optarg);
			break;
		case 'i': o->image = optarg; break;
		case 'g':
			if (!parse_size(optarg, &o->image_gpa))
				return bad("image GPA", optarg);
			break;
		case 'j': o->json = true; break;
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
	struct host *h;
	const uint8_t *image;
	size_t image_len;
	char err[512];
	uint8_t mrtd[48];
	uint64_t values[N_FIELDS];
	uint64_t seamcalls, free_before, free_after;
	uint16_t hkid;
};

static int read_back(struct vm *vm, struct td_run *r)
{
	for (unsigned i = 0; i < 6; i++) {
		uint64_t v;

		if (vm_read_field(vm, MD_TD_TDCS_MRTD + i, &v))
			return -EIO;
		memcpy(r->mrtd + 8 * i, &v, 8);
	}
	for (size_t i = 0; i < N_FIELDS; i++)
		if (vm_read_field(vm, fields[i].id, &r->values[i]))
			return -EIO;
	return 0;
}

static int build(struct vmm *v, struct td_run *r)
{
	struct vm *vm;
	int ret = vm_create(v, &r->o->td, &vm, r->err, sizeof(r->err));

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
		snprintf(r->err, sizeof(r->err), "%s", vm_error(vm));
	vm_destroy(vm);
	return ret;
}

static int run_on_cpu(void *arg)
{
	struct td_run *r = arg;
	struct vmm *v = vmm_create(r->h);
	int ret;

	if (!v) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		return -ENOMEM;
	}
	r->free_before = page_alloc_free_bytes(r->h->pages);
	ret = build(v, r);
	r->free_after = page_alloc_free_bytes(r->h->pages);
	vmm_destroy(v);
	return ret;
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void print_text(const struct td_run *r)
{
	char mr[97];

	hex(mr, r->mrtd, sizeof(r->mrtd));
	printf("TD built, measured, finalized and torn down (HKID %u)\n", r->hkid);
	printf("MRTD %s\n", mr);
	for (size_t i = 0; i < N_FIELDS; i++)
		printf("  %-16s 0x%llx\n", fields[i].name, (unsigned long long)r->values[i]);
	printf("SEAMCALLs %llu; host pages after teardown: %s\n",
	       (unsigned long long)r->seamcalls,
	       r->free_after == r->free_before ? "all returned" : "LEAKED");
}

static void print_json(const struct td_run *r, int ret)
{
	json_t *root = json_object(), *md = json_object();
	char mr[97];

	json_object_set_new(root, "ok", json_boolean(ret == 0));
	if (ret) {
		json_object_set_new(root, "error", json_string(r->err));
	} else {
		hex(mr, r->mrtd, sizeof(r->mrtd));
		json_object_set_new(root, "mrtd", json_string(mr));
		for (size_t i = 0; i < N_FIELDS; i++)
			json_object_set_new(md, fields[i].name, cli_hex(r->values[i]));
		json_object_set_new(root, "metadata", md);
		json_object_set_new(root, "hkid", json_integer(r->hkid));
	}
	json_object_set_new(root, "seamcalls", json_integer((json_int_t)r->seamcalls));
	json_object_set_new(root, "pages_returned", json_boolean(r->free_after == r->free_before));
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

static int run(struct td_run *r, const struct tdxsim_platform_config *cfg)
{
	struct host_options ho = { .policy = TDMR_POLICY_LINUX };
	char *logbuf = NULL, err[512];
	size_t loglen = 0;
	struct platform *p;
	bool booted;
	int ret;

	ho.log = open_memstream(&logbuf, &loglen);
	p = platform_create(cfg, err, sizeof(err));
	r->h = p ? host_create(p, &ho, err, sizeof(err)) : NULL;
	if (!r->h) {
		fprintf(stderr, "tdxsim: %s\n", err);
		platform_destroy(p);
		fclose(ho.log);
		free(logbuf);
		return 2;
	}
	booted = !(ret = host_boot(r->h));
	if (!booted)
		snprintf(r->err, sizeof(r->err), "TDX did not come up (%d); kernel log:", ret);
	else
		ret = platform_on_lp(p, 0, run_on_cpu, r);
	r->seamcalls = r->h->stats.seamcalls;
	fclose(ho.log);
	if (r->o->json) {
		print_json(r, ret);
	} else if (ret) {
		fprintf(stderr, "tdxsim td: %s\n", r->err);
		if (!booted)
			fputs(logbuf ? logbuf : "", stderr);
	} else {
		print_text(r);
	}
	free(logbuf);
	host_destroy(r->h);
	platform_destroy(p);
	if (!ret && r->free_after != r->free_before)
		return 1;
	return ret ? 1 : 0;
}

int cmd_td(int argc, char **argv)
{
	struct opts o = { .td = { .vcpus = 1, .memory_bytes = 64ULL << 20 } };
	struct td_run r = { .o = &o };
	struct tdxsim_platform_config *cfg;
	uint8_t *image = NULL;
	int ret = parse(argc, argv, &o);

	if (ret >= 0)
		return ret;
	if (o.image && !(image = read_file(o.image, &r.image_len))) {
		fprintf(stderr, "tdxsim td: cannot read image '%s': %s\n", o.image, strerror(errno));
		return 2;
	}
	r.image = image;
	cfg = malloc(sizeof(*cfg));
	ret = cfg ? cli_load_platform("td", o.platform, o.profile, cfg) : 2;
	if (!ret)
		ret = run(&r, cfg);
	free(cfg);
	free(image);
	return ret;
}
