/* SPDX-License-Identifier: MIT */
/* fatal [CODE]: the guest gives up with ReportFatalError. */
#include "guest_internal.h"

int guest_fatal(struct tdx_guest *g, int argc, char **argv);

int guest_fatal(struct tdx_guest *g, int argc, char **argv)
{
	uint64_t code;

	if (tdx_arg_u64(g, argc, argv, 1, 0x2a, 0, UINT64_MAX, &code))
		return TDX_GUEST_EXIT_USAGE;
	tdx_puts(g, "fatal: reporting a fatal error\n");
	tdx_report_fatal(g, code, "guest program 'fatal' gave up");
}
