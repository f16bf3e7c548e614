/* SPDX-License-Identifier: MIT */
/* The built-in guest programs, by name. */
#include <string.h>

#include "guest_internal.h"

int guest_hello(struct tdx_guest *g, int argc, char **argv);
int guest_touch(struct tdx_guest *g, int argc, char **argv);
int guest_fatal(struct tdx_guest *g, int argc, char **argv);
int guest_vmcalls(struct tdx_guest *g, int argc, char **argv);
int guest_attest(struct tdx_guest *g, int argc, char **argv);

static const struct tdx_guest_program programs[] = {
	{ "hello", "hello: print a greeting on the console (port I/O)", guest_hello },
	{ "touch", "touch [MIB [WORDS]]: lazily accept MIB MiB (default 16), write and checksum WORDS words of each page (default 512)", guest_touch },
	{ "attest", "attest [TEXT]: extend RTMR2 with TEXT, get a TDREPORT and a quote", guest_attest },
	{ "fatal", "fatal [CODE]: ReportFatalError with CODE (default 0x2a)", guest_fatal },
	{ "vmcalls", "vmcalls [N]: N GetTdVmCallInfo round trips (default 1000)", guest_vmcalls },
};

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
