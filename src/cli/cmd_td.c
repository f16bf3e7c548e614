/* SPDX-License-Identifier: MIT */
/*
 * tdxsim td: boot the platform, bring TDX up, create a TD from options,
 * load and measure an initial image, finalize, print MRTD and the TD's
 * metadata as TDH.MNG.RD reads it, tear the TD down. Exit 0 on success,
 * 1 when the TD could not be built, 2 for bad usage or an image that
 * cannot be used (unreadable, not a regular file, empty, too big).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_common.h"
#include "cli_input.h"
#include "cli_td.h"
#include "commands.h"
#include "tdxsim/tdxsim.h"
#include "vmm/vmm.h"

struct opts {
	struct cli_td_opts td;
	const char *image;
	uint64_t image_gpa;
};

const char cmd_td_synopsis[] =
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
		if ((ret = cli_td_option("td", cmd_td_synopsis, ch, optarg, &o->td)) != 1) {
			if (ret)
				return ret;
			continue;
		}
		switch (ch) {
		case 'i': o->image = optarg; break;
		case 'g':
			if (!cli_parse_size(optarg, &o->image_gpa)) {
				fprintf(stderr, "tdxsim td: bad image GPA '%s'\n%s", optarg, cmd_td_synopsis);
				return 2;
			}
			break;
		case 'h': fputs(cmd_td_synopsis, stdout); return 0;
		default: fputs(cmd_td_synopsis, stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tdxsim td: unexpected argument '%s'\n%s", argv[optind], cmd_td_synopsis);
		return 2;
	}
	return -1;
}

/* The largest image read at all: it is held in memory whole before it is
 * copied into the TD, so a huge --memory must not make a huge malloc. */
#define IMAGE_MAX_BYTES (1ULL << 30)

/* Why an image of st_size bytes cannot be used, or NULL. Decided from
 * fstat alone, so a directory, a device or a 1 GiB file is refused before
 * a byte of it is read. */
static uint64_t image_room(const struct opts *o)
{
	return o->image_gpa < o->td.td.memory_bytes ? o->td.td.memory_bytes - o->image_gpa : 0;
}

static const char *image_refusal(const struct stat *st, const struct opts *o,
				 char *why, size_t whylen)
{
	uint64_t room = image_room(o);
	uint64_t size = (uint64_t)st->st_size;

	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if (!size)
		return "empty (an image needs at least one byte)";
	if (size > IMAGE_MAX_BYTES) {
		snprintf(why, whylen, "%llu bytes, more than the %llu tdxsim loads",
			 (unsigned long long)size, IMAGE_MAX_BYTES);
		return why;
	}
	if (size > room) {
		snprintf(why, whylen, "%llu bytes do not fit the TD's memory from GPA 0x%llx "
			 "(%llu bytes there; see --memory and --image-gpa)",
			 (unsigned long long)size, (unsigned long long)o->image_gpa,
			 (unsigned long long)room);
		return why;
	}
	return NULL;
}

/* Reads exactly n bytes (the size fstat gave); a file that shrinks or
 * grows meanwhile is refused rather than loaded in part. NULL with *why. */
static uint8_t *read_exactly(FILE *f, size_t n, const char **why)
{
	uint8_t *buf = malloc(n);

	if (!buf) {
		*why = strerror(errno);
		return NULL;
	}
	if (fread(buf, 1, n, f) == n && fgetc(f) == EOF && !ferror(f))
		return buf;
	*why = ferror(f) ? strerror(errno) : "its size changed while it was read";
	free(buf);
	return NULL;
}

/* --image -: a pipe has no size to judge first, so it is read up to
 * what could be loaded and refused past that. */
static uint8_t *read_image_stdin(const struct opts *o, size_t *len)
{
	uint64_t room = image_room(o), max = room < IMAGE_MAX_BYTES ? room : IMAGE_MAX_BYTES;
	size_t n = 0;
	uint8_t *buf = (uint8_t *)cli_read_input("-", (size_t)max, &n);

	if (!buf) {
		fprintf(stderr, "tdxsim td: cannot read the image from stdin: %s\n", strerror(errno));
		return NULL;
	}
	if (n && n <= max) {
		*len = n;
		return buf;
	}
	if (!n)
		fprintf(stderr, "tdxsim td: image 'stdin': empty (an image needs at least one byte)\n");
	else if (max == room)
		fprintf(stderr, "tdxsim td: image 'stdin': more than the %llu bytes that fit the TD's "
			"memory from GPA 0x%llx (see --memory and --image-gpa)\n",
			(unsigned long long)room, (unsigned long long)o->image_gpa);
	else
		fprintf(stderr, "tdxsim td: image 'stdin': more than the %llu bytes tdxsim loads\n",
			IMAGE_MAX_BYTES);
	free(buf);
	return NULL;
}

/* The image file, or NULL with the message printed. */
static uint8_t *read_image(const struct opts *o, size_t *len)
{
	FILE *f;
	const char *why;
	struct stat st;
	uint8_t *buf = NULL;
	char msg[160];

	if (cli_is_stdin(o->image))
		return read_image_stdin(o, len);
	f = fopen(o->image, "rb");
	if (!f || fstat(fileno(f), &st))
		fprintf(stderr, "tdxsim td: cannot read image '%s': %s\n", o->image,
			strerror(errno));
	else if ((why = image_refusal(&st, o, msg, sizeof(msg))))
		fprintf(stderr, "tdxsim td: image '%s': %s\n", o->image, why);
	else if (!(buf = read_exactly(f, (size_t)st.st_size, &why)))
		fprintf(stderr, "tdxsim td: cannot read image '%s': %s\n", o->image, why);
	else
		*len = (size_t)st.st_size;
	if (f)
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

	/* ok is exit status 0: a teardown that leaks pages fails too. */
	json_object_set_new(root, "ok", json_boolean(ret == 0 && r->s.free_after == r->s.free_before));
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
	if (cli_one_stdin("td", (const char *[]){ o.td.platform, o.image }, 2))
		return 2;
	if (o.image && !(image = read_image(&o, &r.image_len)))
		return 2;
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
