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
	{ "attest", "attest [TEXT]: extend RTMR2 with TEXT (default \"tdxsim default report data\"), get a TDREPORT and a quote", guest_attest },
	{ "fatal", "fatal [CODE]: ReportFatalError with CODE (default 0x2a)", guest_fatal },
	{ "vmcalls", "vmcalls [N]: N GetTdVmCallInfo round trips (default 1000)", guest_vmcalls },
	{ "agent", "agent: run the TDCALLs the host hands it (tdxsim/agent.h)", guest_agent },
};

/* What each program takes, for the check before a TD is built: at most
 * max_args arguments; arg[i] bounds the i-th when it is a number. An
 * argument that is MiB of the TD's memory from TDX_GUEST_FREE_GPA
 * (mem_mib) is bounded by that memory too, and so is its default. */
struct arg_rule {
	const char *name;
	unsigned max_args;
	struct { bool number; uint64_t min, max; bool mem_mib; uint64_t dflt; } arg[2];
};

/* touch's MIB: the guest bounds it by the private GPA space of its TD;
 * the widest (GPAW 52, shared bit 51) is the bound before there is a TD. */
#define TOUCH_MAX_MIB (((1ULL << 51) - TDX_GUEST_FREE_GPA) >> 20)

static const struct arg_rule rules[] = {
	{ "hello", 0, { { .number = false } } },
	{ "touch", 2, { { .number = true, .max = TOUCH_MAX_MIB, .mem_mib = true, .dflt = 16 },
			{ .number = true, .min = 1, .max = 512 } } },
	{ "attest", 1, { { .number = false } } },
	{ "fatal", 1, { { .number = true, .max = UINT64_MAX } } },
	{ "vmcalls", 1, { { .number = true, .max = UINT64_MAX } } },
	{ "agent", 0, { { .number = false } } },
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

/* A MiB count past the TD's memory: the guest would touch a GPA no
 * memslot holds, and the host would give up on it half-way. */
static int check_mem_mib(const char *program, int i, const char *given, uint64_t mib,
			 uint64_t memory_bytes, char *why, size_t whylen)
{
	uint64_t fit = memory_bytes > TDX_GUEST_FREE_GPA ?
		       (memory_bytes - TDX_GUEST_FREE_GPA) >> 20 : 0;

	if (!memory_bytes || mib <= fit)
		return 0;
	if (given)
		snprintf(why, whylen, "%s: argument %d: %llu MiB from GPA 0x%llx do not fit the "
			 "TD's %llu MiB (--memory): at most %llu", program, i + 1,
			 (unsigned long long)mib, (unsigned long long)TDX_GUEST_FREE_GPA,
			 (unsigned long long)(memory_bytes >> 20), (unsigned long long)fit);
	else
		snprintf(why, whylen, "%s: its default of %llu MiB from GPA 0x%llx does not fit "
			 "the TD's %llu MiB (--memory): give at most %llu", program,
			 (unsigned long long)mib, (unsigned long long)TDX_GUEST_FREE_GPA,
			 (unsigned long long)(memory_bytes >> 20), (unsigned long long)fit);
	return -EINVAL;
}

static int check_memory(const struct arg_rule *r, const char *program, int argc,
			char *const argv[], uint64_t memory_bytes, char *why, size_t whylen)
{
	for (int i = 0; i < 2; i++) {
		const char *given = i < argc ? argv[i] : NULL;

		if (r->arg[i].mem_mib &&
		    check_mem_mib(program, i, given, given ? strtoull(given, NULL, 0) : r->arg[i].dflt,
				  memory_bytes, why, whylen))
			return -EINVAL;
	}
	return 0;
}

int tdx_guest_check_args(const char *program, int argc, char *const argv[],
			 uint64_t memory_bytes, char *why, size_t whylen)
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
	return check_memory(r, program, argc, argv, memory_bytes, why, whylen);
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
