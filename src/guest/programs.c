/* SPDX-License-Identifier: MIT */
/* The built-in guest programs, by name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_internal.h"

int guest_hello(struct tdx_guest *g, int argc, char **argv);
int guest_touch(struct tdx_guest *g, int argc, char **argv);
int guest_fatal(struct tdx_guest *g, int argc, char **argv);
int guest_vmcalls(struct tdx_guest *g, int argc, char **argv);
int guest_attest(struct tdx_guest *g, int argc, char **argv);
int guest_agent(struct tdx_guest *g, int argc, char **argv);

static const struct tdx_guest_program programs[] = {
	{ "hello", "hello: print a greeting on the console (port I/O)", guest_hello },
	{ "touch", "touch [MIB [WORDS]]: lazily accept MIB MiB (default 16), write and checksum WORDS words of each page (default 512)", guest_touch },
	{ "attest", "attest [TEXT]: extend RTMR2 with TEXT, get a TDREPORT and a quote", guest_attest },
	{ "fatal", "fatal [CODE]: ReportFatalError with CODE (default 0x2a)", guest_fatal },
	{ "vmcalls", "vmcalls [N]: N GetTdVmCallInfo round trips (default 1000)", guest_vmcalls },
	{ "agent", "agent: run the TDCALLs the host hands it (tdxsim/agent.h)", guest_agent },
};

/* What each program takes, for the check before a TD is built: at most
 * max_args arguments; arg[i] bounds the i-th when it is a number. */
struct arg_rule {
	const char *name;
	unsigned max_args;
	struct { bool number; uint64_t min, max; } arg[2];
};

/* touch's MIB: the guest bounds it by the private GPA space of its TD;
 * the widest (GPAW 52, shared bit 51) is the bound before there is a TD. */
#define TOUCH_MAX_MIB (((1ULL << 51) - TDX_GUEST_FREE_GPA) >> 20)

static const struct arg_rule rules[] = {
	{ "hello", 0, { { 0 } } },
	{ "touch", 2, { { true, 0, TOUCH_MAX_MIB }, { true, 1, 512 } } },
	{ "attest", 1, { { false, 0, 0 } } },
	{ "fatal", 1, { { true, 0, UINT64_MAX } } },
	{ "vmcalls", 1, { { true, 0, UINT64_MAX } } },
	{ "agent", 0, { { 0 } } },
};

/* The guest's own rule (args.c): digits first, whole, in range. */
static bool number_ok(const char *s, uint64_t min, uint64_t max)
{
	unsigned long long v;
	char *end;

	if (!(*s >= '0' && *s <= '9'))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	return !*end && !errno && v >= min && v <= max;
}

int tdx_guest_check_args(const char *program, int argc, char *const argv[],
			 char *why, size_t whylen)
{
	const struct tdx_guest_program *p = tdx_guest_program_find(program);
	const struct arg_rule *r = NULL;

	for (unsigned i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].name, program))
			r = &rules[i];
	if (!p || !r) {
		snprintf(why, whylen, "no built-in program '%s'", program);
		return -EINVAL;
	}
	if (argc > (int)r->max_args) {
		snprintf(why, whylen, "%s takes at most %u argument%s, not %d (%s)", program,
			 r->max_args, r->max_args == 1 ? "" : "s", argc, p->usage);
		return -EINVAL;
	}
	for (int i = 0; i < argc; i++) {
		if (r->arg[i].number && !number_ok(argv[i], r->arg[i].min, r->arg[i].max)) {
			snprintf(why, whylen, "%s: argument %d '%s' is not a number from %llu to %llu",
				 program, i + 1, argv[i], (unsigned long long)r->arg[i].min,
				 (unsigned long long)r->arg[i].max);
			return -EINVAL;
		}
	}
	return 0;
}

const struct tdx_guest_program *tdx_guest_program_at(unsigned i)
{
	return i < sizeof(programs) / sizeof(programs[0]) ? &programs[i] : NULL;
}

const struct tdx_guest_program *tdx_guest_program_find(const char *name)
{
	for (unsigned i = 0; tdx_guest_program_at(i); i++)
		if (!strcmp(programs[i].name, name))
			return &programs[i];
	return NULL;
}
