/* SPDX-License-Identifier: MIT */
/*
 * tdxsim run: boot the platform, bring TDX up, create a TD whose measured
 * initial image names a built-in guest program and its arguments, run
 * every vCPU to its end, print the guest console, MRTD, the RTMRs and
 * each vCPU's outcome and exit counts, tear the TD down. Exit 0 when
 * every vCPU's program exited 0, 1 when the guest ended otherwise or the
 * host failed, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"
#include "host/host.h"
#include "host/page_alloc.h"
#include "tdxsim/guest.h"
#include "tdxsim/tdxsim.h"
#include "vmm/vmm.h"

struct opts {
	const char *platform, *profile, *program;
	struct td_config td;
	struct vm_run_opts run;
	int argc;                       /* the program's arguments */
	char **argv;
	bool json;
};

static const char usage[] =
	"usage: tdxsim run [--platform FILE] [--profile 1.5|1.5.01|1.0] [--vcpus N]\n"
	"                  [--memory SIZE] [--attributes debug,sept-ve-disable|0xHEX]\n"
	"                  [--audit] [--json] PROGRAM [ARGS...]\n";

static void list_programs(FILE *f)
{
	const struct tdx_guest_program *p;

	fputs("built-in programs:\n", f);
	for (unsigned i = 0; (p = tdx_guest_program_at(i)); i++)
		fprintf(f, "  %s\n", p->usage);
}

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
	fprintf(stderr, "tdxsim run: bad %s '%s'\n%s", what, val, usage);
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
		{ "audit", no_argument, NULL, 'A' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int ch;

	/* '+': options end at PROGRAM; what follows is the guest's. */
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+p:P:c:m:a:jh", longopts, NULL)) != -1) {
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
		case 'A': o->run.audit = true; break;
		case 'j': o->json = true; break;
		case 'h': fputs(usage, stdout); list_programs(stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tdxsim run: no PROGRAM given\n%s", usage);
		list_programs(stderr);
		return 2;
	}
	o->program = argv[optind];
	o->argc = argc - optind - 1;
	o->argv = argv + optind + 1;
	if (!tdx_guest_program_find(o->program)) {
		fprintf(stderr, "tdxsim run: no built-in program '%s'\n", o->program);
		list_programs(stderr);
		return 2;
	}
	return -1;
}

struct td_run {
	const struct opts *o;
	struct host *h;
	uint8_t image[TDX_GUEST_IMAGE_BYTES];
	char err[512];
	uint8_t mrtd[48];
	uint8_t rtmr[TDX_NUM_RTMRS][48];
	bool rtmr_ok;
	bool ran;                       /* vm_run left a result */
	unsigned n_vcpus;
	struct vm_vcpu_result *vcpu;    /* copied out before vm_destroy */
	char *console;
	size_t console_len;
	uint64_t seamcalls, free_before, free_after;
	uint16_t hkid;
};

static int read_measurement(struct vm *vm, uint64_t field, uint8_t out[48])
{
	for (unsigned i = 0; i < 6; i++) {
		uint64_t v;

		if (vm_read_field(vm, field + i, &v))
			return -EIO;
		memcpy(out + 8 * i, &v, 8);
	}
	return 0;
}

/* Copies what vm_run left in the VM: it is freed by vm_destroy(). */
static int keep_result(struct td_run *r, const struct vm_run_result *res)
{
	r->n_vcpus = res->n_vcpus;
	r->vcpu = calloc(res->n_vcpus ? res->n_vcpus : 1, sizeof(*r->vcpu));
	r->console = malloc(res->console_len + 1);
	if (!r->vcpu || !r->console)
		return -ENOMEM;
	if (res->n_vcpus)
		memcpy(r->vcpu, res->vcpu, res->n_vcpus * sizeof(*r->vcpu));
	if (res->console_len)
		memcpy(r->console, res->console, res->console_len);
	r->console[res->console_len] = '\0';
	r->console_len = res->console_len;
	r->ran = true;
	return 0;
}

static int build_and_run(struct vmm *v, struct td_run *r)
{
	struct vm_run_result res = { 0 };
	struct vm *vm;
	int ret = vm_create(v, &r->o->td, &vm, r->err, sizeof(r->err));

	if (ret)
		return ret;
	r->hkid = vm_hkid(vm);
	ret = vm_init_vcpus(vm);
	if (!ret)
		ret = vm_init_mem_region(vm, 0, r->image, sizeof(r->image));
	if (!ret)
		ret = vm_finalize(vm);
	if (!ret)
		ret = read_measurement(vm, MD_TD_TDCS_MRTD, r->mrtd);
	if (ret) {
		snprintf(r->err, sizeof(r->err), "%s", vm_error(vm));
		vm_destroy(vm);
		return ret;
	}
	ret = vm_run(vm, &r->o->run, &res);
	if (ret < 0)
		snprintf(r->err, sizeof(r->err), "%s", vm_error(vm));
	/* A bugged VM still leaves each vCPU's result; an early failure none. */
	if (res.vcpu && keep_result(r, &res)) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		ret = -ENOMEM;
	}
	/* RTMRs: MNG.RD refuses them for a production (non-debug) TD. */
	r->rtmr_ok = true;
	for (unsigned i = 0; i < TDX_NUM_RTMRS && r->rtmr_ok; i++)
		r->rtmr_ok = !read_measurement(vm, MD_TD_TDCS_RTMR + 6 * i, r->rtmr[i]);
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
	ret = build_and_run(v, r);
	r->free_after = page_alloc_free_bytes(r->h->pages);
	vmm_destroy(v);
	return ret;
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void print_vcpu_text(unsigned i, const struct vm_vcpu_result *c, bool audit)
{
	printf("vCPU %u: %s", i, vm_vcpu_end_name(c->end));
	if (c->end == VCPU_END_EXITED)
		printf(", exit code %d", c->exit_code);
	else if (c->end == VCPU_END_GUEST_FATAL)
		printf(", fatal code 0x%llx: %s", (unsigned long long)c->fatal_code,
		       c->fatal_msg);
	else if (c->end != VCPU_END_HALTED && c->end != VCPU_END_NONE)
		printf(", last TDH.VP.ENTER status 0x%016llx",
		       (unsigned long long)c->status);
	printf("\n  TD entries: %llu\n", (unsigned long long)c->entries);
	for (unsigned r = 0; r < VM_EXIT_REASONS; r++)
		if (c->exits[r])
			printf("  %s: %llu\n", vm_exit_reason_name(r),
			       (unsigned long long)c->exits[r]);
	for (unsigned k = 0; k < VMCALL_NR; k++)
		if (c->vmcalls[k])
			printf("  TDVMCALL %s: %llu\n",
			       vm_vmcall_kind_name((enum vm_vmcall_kind)k),
			       (unsigned long long)c->vmcalls[k]);
	if (audit) {
		printf("  host-state differences: %llu\n",
		       (unsigned long long)c->audit_diffs);
		if (c->audit_diffs && c->audit_report[0])
			printf("  first: %s\n", c->audit_report);
	}
}

static void print_text(const struct td_run *r)
{
	char mr[97];

	puts("--- console ---");
	fwrite(r->console, 1, r->console_len, stdout);
	if (r->console_len && r->console[r->console_len - 1] != '\n')
		putchar('\n');
	puts("--- end of console ---");
	hex(mr, r->mrtd, sizeof(r->mrtd));
	printf("MRTD  %s\n", mr);
	if (r->rtmr_ok) {
		for (unsigned i = 0; i < TDX_NUM_RTMRS; i++) {
			hex(mr, r->rtmr[i], sizeof(r->rtmr[i]));
			printf("RTMR%u %s\n", i, mr);
		}
	} else {
		puts("RTMRs: not readable by the host (production TD)");
	}
	for (unsigned i = 0; i < r->n_vcpus; i++)
		print_vcpu_text(i, &r->vcpu[i], r->o->run.audit);
	printf("HKID %u; SEAMCALLs %llu; host pages after teardown: %s\n", r->hkid,
	       (unsigned long long)r->seamcalls,
	       r->free_after == r->free_before ? "all returned" : "LEAKED");
}

static json_t *vcpu_json(const struct vm_vcpu_result *c, bool audit)
{
	json_t *o = json_object(), *ex = json_object(), *vc = json_object();

	json_object_set_new(o, "end", json_string(vm_vcpu_end_name(c->end)));
	json_object_set_new(o, "exit_code", c->end == VCPU_END_EXITED ?
			    json_integer(c->exit_code) : json_null());
	json_object_set_new(o, "fatal_code", c->end == VCPU_END_GUEST_FATAL ?
			    cli_hex(c->fatal_code) : json_null());
	json_object_set_new(o, "fatal_msg", c->end == VCPU_END_GUEST_FATAL ?
			    json_string(c->fatal_msg) : json_null());
	json_object_set_new(o, "status", cli_hex(c->status));
	json_object_set_new(o, "entries", json_integer((json_int_t)c->entries));
	for (unsigned r = 0; r < VM_EXIT_REASONS; r++)
		if (c->exits[r])
			json_object_set_new(ex, vm_exit_reason_name(r),
					    json_integer((json_int_t)c->exits[r]));
	for (unsigned k = 0; k < VMCALL_NR; k++)
		if (c->vmcalls[k])
			json_object_set_new(vc, vm_vmcall_kind_name((enum vm_vmcall_kind)k),
					    json_integer((json_int_t)c->vmcalls[k]));
	json_object_set_new(o, "exits", ex);
	json_object_set_new(o, "tdvmcalls", vc);
	json_object_set_new(o, "audit_diffs", audit ?
			    json_integer((json_int_t)c->audit_diffs) : json_null());
	if (audit && c->audit_diffs)
		json_object_set_new(o, "audit_report", json_string(c->audit_report));
	return o;
}

static void print_json(const struct td_run *r, int ret)
{
	json_t *root = json_object(), *vcpus = json_array(), *rtmr;
	char mr[97];

	json_object_set_new(root, "ok", json_boolean(ret == 0));
	json_object_set_new(root, "program", json_string(r->o->program));
	if (ret < 0)
		json_object_set_new(root, "error", json_string(r->err));
	if (r->ran) {
		json_object_set_new(root, "console",
				    json_stringn(r->console, r->console_len));
		hex(mr, r->mrtd, sizeof(r->mrtd));
		json_object_set_new(root, "mrtd", json_string(mr));
		if (r->rtmr_ok) {
			rtmr = json_array();
			for (unsigned i = 0; i < TDX_NUM_RTMRS; i++) {
				hex(mr, r->rtmr[i], sizeof(r->rtmr[i]));
				json_array_append_new(rtmr, json_string(mr));
			}
		} else {
			rtmr = json_null();
		}
		json_object_set_new(root, "rtmr", rtmr);
		for (unsigned i = 0; i < r->n_vcpus; i++)
			json_array_append_new(vcpus, vcpu_json(&r->vcpu[i], r->o->run.audit));
		json_object_set_new(root, "hkid", json_integer(r->hkid));
	}
	json_object_set_new(root, "vcpus", vcpus);
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
	if (!booted) {
		snprintf(r->err, sizeof(r->err), "TDX did not come up (%d); kernel log:", ret);
		ret = -EIO;
	} else {
		ret = platform_on_lp(p, 0, run_on_cpu, r);
	}
	r->seamcalls = r->h->stats.seamcalls;
	fclose(ho.log);
	if (r->o->json) {
		print_json(r, ret);
	} else {
		if (r->ran)
			print_text(r);
		if (ret < 0) {
			fprintf(stderr, "tdxsim run: %s\n", r->err);
			if (!booted)
				fputs(logbuf ? logbuf : "", stderr);
		}
	}
	free(logbuf);
	host_destroy(r->h);
	platform_destroy(p);
	if (r->free_after != r->free_before) {
		if (!r->o->json)
			fprintf(stderr, "tdxsim run: host pages leaked by teardown\n");
		return 1;
	}
	return ret ? 1 : 0;
}

int cmd_run(int argc, char **argv)
{
	struct opts o = { .td = { .vcpus = 1, .memory_bytes = 64ULL << 20 } };
	struct td_run *r;
	struct tdxsim_platform_config *cfg;
	int ret = parse(argc, argv, &o);

	if (ret >= 0)
		return ret;
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "tdxsim run: out of memory\n");
		return 1;
	}
	r->o = &o;
	if (tdx_guest_image(o.program, o.argc, o.argv, r->image)) {
		fprintf(stderr, "tdxsim run: arguments of '%s' do not fit its image page\n",
			o.program);
		free(r);
		return 2;
	}
	cfg = malloc(sizeof(*cfg));
	ret = cfg ? cli_load_platform("run", o.platform, o.profile, cfg) : 2;
	if (!ret)
		ret = run(r, cfg);
	free(cfg);
	free(r->vcpu);
	free(r->console);
	free(r);
	return ret;
}
