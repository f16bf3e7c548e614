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
#include "cli_progress.h"
#include "cli_td.h"
#include "commands.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/guest.h"
#include "tdxsim/quote.h"
#include "tdxsim/tdxsim.h"
#include "vmm/vmm.h"

struct opts {
	struct cli_td_opts td;
	struct vm_run_opts run;
	const char *program;
	const char *quote_path;         /* --quote: where the last quote goes */
	const char *report_path;        /* --report: the TDREPORT in that quote */
	const char *key_path;           /* --report-key: the platform's report key */
	int argc;                       /* the program's arguments */
	char **argv;
};

/* TD entries per vCPU by default: every built-in program at its default
 * arguments makes a few thousand; vmcalls 1000000 or touch of a few GiB
 * still fit, a count typed with three zeros too many stops in a minute
 * or so. */
#define RUN_DEFAULT_MAX_ENTRIES 10000000ULL

#define SYNOPSIS \
	"usage: tdxsim run [--platform FILE] [--profile 1.5|1.5.01|1.0] [--vcpus N]\n" \
	"                  [--memory SIZE] [--attributes debug,sept-ve-disable|0xHEX]\n" \
	"                  [--audit] [--json] [--quote FILE] [--report FILE]\n" \
	"                  [--report-key FILE] [--max-entries N]\n" \
	"                  " CLI_TD_USAGE_TRACE " PROGRAM [ARGS...]\n"
const char cmd_run_synopsis[] = SYNOPSIS;
static const char usage[] = SYNOPSIS
	"--max-entries stops a vCPU after N TD entries (default 10000000; 0: no\n"
	"limit), so a runaway guest cannot run for ever. On a terminal, a run\n"
	"longer than a second shows its progress on stderr.\n"
	"--quote, --report and --report-key save the guest's last quote, the\n"
	"TDREPORT in it and the platform's report key (64 hex digits), for\n"
	"`tdxsim report verify [--key KEYFILE] FILE` (docs/attestation.md).\n"
	"--trace FILE writes a Chrome/Perfetto JSON timeline of the SEAMCALLs,\n"
	"TDCALLs and TD exits on each LP, from TDX bring-up to teardown (open it\n"
	"in ui.perfetto.dev; docs/trace.md); --trace-limit caps events per LP.\n";

static void list_programs(FILE *f)
{
	const struct tdx_guest_program *p;

	fputs("built-in programs:\n", f);
	for (unsigned i = 0; (p = tdx_guest_program_at(i)); i++)
		fprintf(f, "  %s\n", p->usage);
}

/* An option of run's own, given after PROGRAM, where it would become a
 * guest argument and do nothing: its name, or NULL. */
static const char *misplaced_option(const struct option *longopts, const struct opts *o)
{
	for (int i = 0; i < o->argc; i++) {
		const char *a = o->argv[i];

		if (strncmp(a, "--", 2))
			continue;
		for (const struct option *l = longopts; l->name; l++)
			if (!strncmp(a + 2, l->name, strlen(l->name)) &&
			    (a[2 + strlen(l->name)] == '\0' || a[2 + strlen(l->name)] == '='))
				return a;
	}
	return NULL;
}

/* Before anything boots: run's options after PROGRAM, and arguments the
 * program would refuse once the TD is built. -1 when fine, else 2. */
static int check_program_args(const struct option *longopts, const struct opts *o)
{
	const char *opt = misplaced_option(longopts, o);
	char why[320];

	if (opt) {
		fprintf(stderr, "tdxsim run: '%s' comes after PROGRAM, where it would be an "
			"argument of %s: give run's options before PROGRAM\n%s",
			opt, o->program, usage);
		return 2;
	}
	if (tdx_guest_check_args(o->program, o->argc, o->argv, o->td.td.memory_bytes,
				 why, sizeof(why))) {
		fprintf(stderr, "tdxsim run: %s\n", why);
		return 2;
	}
	return -1;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		CLI_TD_LONGOPTS,
		{ "audit", no_argument, NULL, 'A' },
		{ "quote", required_argument, NULL, 'Q' },
		{ "report", required_argument, NULL, 'R' },
		{ "report-key", required_argument, NULL, 'K' },
		{ "max-entries", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, ret;

	/* '+': options end at PROGRAM; what follows is the guest's. */
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+" CLI_TD_OPTSTRING "h", longopts, NULL)) != -1) {
		if ((ret = cli_td_option("run", usage, ch, optarg, &o->td)) != 1) {
			if (ret)
				return ret;
			continue;
		}
		switch (ch) {
		case 'A': o->run.audit = true; break;
		case 'Q': o->quote_path = optarg; break;
		case 'R': o->report_path = optarg; break;
		case 'K': o->key_path = optarg; break;
		case 'E':
			if (!cli_parse_size(optarg, &o->run.max_entries)) {
				fprintf(stderr, "tdxsim run: bad TD entry limit '%s'\n%s", optarg, usage);
				return 2;
			}
			break;
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
	return check_program_args(longopts, o);
}

struct td_run {
	const struct opts *o;
	uint8_t image[TDX_GUEST_IMAGE_BYTES];
	struct cli_td_session s;
	uint8_t mrtd[48];
	uint8_t rtmr[TDX_NUM_RTMRS][48];
	bool rtmr_ok;
	bool ran;                       /* vm_run left a result */
	unsigned n_vcpus;
	struct vm_vcpu_result *vcpu;    /* copied out before vm_destroy */
	char *console;
	size_t console_len;
	uint8_t quote[TDX_QUOTE_SIZE];  /* the last quote GetQuote made */
	size_t quote_len;
	uint16_t hkid;
};

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
	if (res->quote_len && res->quote_len <= sizeof(r->quote)) {
		memcpy(r->quote, res->quote, res->quote_len);
		r->quote_len = res->quote_len;
	}
	r->ran = true;
	return 0;
}

/* A vCPU the host stopped (a GPA it cannot map, ...): vm_run says only
 * that a vCPU did not end well; the why is the VM's error. */
static bool host_gave_up(const struct vm_run_result *res)
{
	for (unsigned i = 0; res->vcpu && i < res->n_vcpus; i++)
		if (res->vcpu[i].end == VCPU_END_ERROR)
			return true;
	return false;
}

/* A vCPU the host stopped at --max-entries: said, not left to be read
 * off its end. */
static void note_limit(struct td_run *r, const struct vm_run_result *res)
{
	for (unsigned i = 0; res->vcpu && i < res->n_vcpus; i++)
		if (res->vcpu[i].end == VCPU_END_LIMIT) {
			snprintf(r->s.err, sizeof(r->s.err), "vCPU %u stopped after %llu TD entries "
				 "(--max-entries; 0 for no limit)", i,
				 (unsigned long long)r->o->run.max_entries);
			return;
		}
}

static int build_and_run(struct vmm *v, void *arg)
{
	struct td_run *r = arg;
	struct vm_run_result res = { 0 };
	struct vm *vm;
	int ret = vm_create(v, &r->o->td.td, &vm, r->s.err, sizeof(r->s.err));

	if (ret)
		return ret;
	r->hkid = vm_hkid(vm);
	ret = vm_init_vcpus(vm);
	if (!ret)
		ret = vm_init_mem_region(vm, 0, r->image, sizeof(r->image));
	if (!ret)
		ret = vm_finalize(vm);
	if (!ret)
		ret = cli_read_measurement(vm, MD_TD_TDCS_MRTD, r->mrtd);
	if (ret) {
		snprintf(r->s.err, sizeof(r->s.err), "%s", vm_error(vm));
		vm_destroy(vm);
		return ret;
	}
	ret = vm_run(vm, &r->o->run, &res);
	if (ret < 0 || host_gave_up(&res))
		snprintf(r->s.err, sizeof(r->s.err), "%s", vm_error(vm));
	else
		note_limit(r, &res);
	/* A bugged VM still leaves each vCPU's result; an early failure none. */
	if (res.vcpu && keep_result(r, &res)) {
		snprintf(r->s.err, sizeof(r->s.err), "out of memory");
		ret = -ENOMEM;
	}
	/* RTMRs: MNG.RD refuses them for a production (non-debug) TD. */
	r->rtmr_ok = true;
	for (unsigned i = 0; i < TDX_NUM_RTMRS && r->rtmr_ok; i++)
		r->rtmr_ok = !cli_read_measurement(vm, MD_TD_TDCS_RTMR + 6 * i, r->rtmr[i]);
	vm_destroy(vm);
	return ret;
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
	printf("  returns to userspace: %llu\n", (unsigned long long)c->user_returns);
	for (unsigned r = 0; r < VM_EXIT_REASONS; r++)
		if (c->exits[r])
			printf("  %s: %llu\n", tdx_exit_reason_name(r),
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
	cli_hex_bytes(mr, r->mrtd, sizeof(r->mrtd));
	printf("MRTD  %s\n", mr);
	if (r->rtmr_ok) {
		for (unsigned i = 0; i < TDX_NUM_RTMRS; i++) {
			cli_hex_bytes(mr, r->rtmr[i], sizeof(r->rtmr[i]));
			printf("RTMR%u %s\n", i, mr);
		}
	} else {
		puts("RTMRs: not readable by the host (production TD)");
	}
	for (unsigned i = 0; i < r->n_vcpus; i++)
		print_vcpu_text(i, &r->vcpu[i], r->o->run.audit);
	printf("HKID %u; SEAMCALLs %llu; host pages after teardown: %s\n", r->hkid,
	       (unsigned long long)r->s.seamcalls,
	       r->s.free_after == r->s.free_before ? "all returned" : "LEAKED");
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
	json_object_set_new(o, "user_returns", json_integer((json_int_t)c->user_returns));
	for (unsigned r = 0; r < VM_EXIT_REASONS; r++)
		if (c->exits[r])
			json_object_set_new(ex, tdx_exit_reason_name(r),
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

	/* ok is exit status 0: a teardown that leaks pages fails too. */
	json_object_set_new(root, "ok", json_boolean(ret == 0 && r->s.free_after == r->s.free_before));
	json_object_set_new(root, "program", json_string(r->o->program));
	if (ret < 0 || r->s.err[0])
		json_object_set_new(root, "error", json_string(r->s.err));
	if (r->ran) {
		json_object_set_new(root, "console",
				    json_stringn(r->console, r->console_len));
		cli_hex_bytes(mr, r->mrtd, sizeof(r->mrtd));
		json_object_set_new(root, "mrtd", json_string(mr));
		if (r->rtmr_ok) {
			rtmr = json_array();
			for (unsigned i = 0; i < TDX_NUM_RTMRS; i++) {
				cli_hex_bytes(mr, r->rtmr[i], sizeof(r->rtmr[i]));
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
	json_object_set_new(root, "seamcalls", json_integer((json_int_t)r->s.seamcalls));
	json_object_set_new(root, "pages_returned",
			    json_boolean(r->s.free_after == r->s.free_before));
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

/* The files --quote, --report and --report-key write: opened before the
 * run, so an unwritable path is a usage error before anything boots. */
enum { OUT_QUOTE, OUT_REPORT, OUT_KEY, N_OUT };

struct outputs {
	const char *opt[N_OUT], *path[N_OUT];
	FILE *f[N_OUT];
};

static int open_outputs(const struct opts *o, struct outputs *out)
{
	static const char *const opts[N_OUT] = { "--quote", "--report", "--report-key" };

	memset(out, 0, sizeof(*out));
	out->path[OUT_QUOTE] = o->quote_path;
	out->path[OUT_REPORT] = o->report_path;
	out->path[OUT_KEY] = o->key_path;
	for (unsigned i = 0; i < N_OUT; i++) {
		out->opt[i] = opts[i];
		if (out->path[i] && !(out->f[i] = fopen(out->path[i], "wb"))) {
			fprintf(stderr, "tdxsim run: %s %s: %s\n", opts[i], out->path[i],
				strerror(errno));
			return 2;
		}
	}
	return 0;
}

/* Writes n bytes to output i (if asked for); 1 on failure, printed. */
static int save(struct outputs *out, unsigned i, const void *b, size_t n)
{
	if (!out->f[i])
		return 0;
	if (fwrite(b, 1, n, out->f[i]) != n || fflush(out->f[i])) {
		fprintf(stderr, "tdxsim run: %s %s: %s\n", out->opt[i], out->path[i],
			strerror(errno));
		return 1;
	}
	return 0;
}

/* The quote, the TDREPORT inside it (what the guest passed to GetQuote,
 * MAC included) and the key that checks that MAC. */
static int save_outputs(const struct td_run *r, struct outputs *out)
{
	const struct tdx_quote *q = (const struct tdx_quote *)r->quote;
	char hex[2 * sizeof(r->s.report_key) + 2];
	int ret = 0;

	if ((out->f[OUT_QUOTE] || out->f[OUT_REPORT]) && !r->quote_len) {
		fprintf(stderr, "tdxsim run: %s: the guest asked for no quote\n",
			out->f[OUT_QUOTE] ? "--quote" : "--report");
		ret = 1;
	} else {
		ret |= save(out, OUT_QUOTE, r->quote, r->quote_len);
		ret |= save(out, OUT_REPORT, &q->body, sizeof(q->body));
	}
	if (out->f[OUT_KEY] && r->s.have_report_key) {
		cli_hex_bytes(hex, r->s.report_key, sizeof(r->s.report_key));
		strcat(hex, "\n");
		ret |= save(out, OUT_KEY, hex, strlen(hex));
	}
	return ret;
}

/* Closes the outputs; a failed close of a written file fails the run. */
static int close_outputs(struct outputs *out, int ret)
{
	for (unsigned i = 0; i < N_OUT; i++)
		if (out->f[i] && fclose(out->f[i]) && ret == 0) {
			fprintf(stderr, "tdxsim run: %s %s: %s\n", out->opt[i], out->path[i],
				strerror(errno));
			ret = 1;
		}
	return ret;
}

/* Prints the outcome; the exit code. */
static int report(struct td_run *r, int ret)
{
	if (r->o->td.json) {
		print_json(r, ret);
	} else {
		if (r->ran)
			print_text(r);
		if (ret < 0 || r->s.err[0])
			cli_td_session_report("run", &r->s);
	}
	if (r->s.free_after != r->s.free_before) {
		if (!r->o->td.json)
			fprintf(stderr, "tdxsim run: host pages leaked by teardown\n");
		return 1;
	}
	return ret ? 1 : 0;
}

int cmd_run(int argc, char **argv)
{
	/* The simulated quoting key comes from a fixed seed, so its
	 * fingerprint is the same in every run (docs/attestation.md). */
	static const uint8_t qe_seed[TDX_QUOTE_SEED_SIZE];
	struct opts o;
	struct td_run *r;
	struct outputs out;
	struct cli_progress progress;
	int ret;

	memset(&o, 0, sizeof(o));
	cli_td_opts_init(&o.td);
	o.run.max_entries = RUN_DEFAULT_MAX_ENTRIES;
	if ((ret = parse(argc, argv, &o)) >= 0)
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
	if (open_outputs(&o, &out)) {
		close_outputs(&out, 2);
		free(r);
		return 2;
	}
	o.run.qe = tdx_qe_create(qe_seed);
	if (!o.run.qe)
		fprintf(stderr, "tdxsim run: no quoting key (libcrypto failed): GetQuote will say SERVICE_UNAVAILABLE\n");
	cli_progress_start(&progress, "tdxsim run");
	o.run.entries = &progress.entries;
	ret = cli_td_session("run", &o.td, &r->s, build_and_run, r);
	cli_progress_stop(&progress);
	if (ret != 2)
		ret = report(r, ret);
	if (ret == 0)
		ret = save_outputs(r, &out);
	ret = close_outputs(&out, ret);
	tdx_qe_destroy(o.run.qe);
	cli_td_session_end(&r->s);
	free(r->vcpu);
	free(r->console);
	free(r);
	return ret;
}
