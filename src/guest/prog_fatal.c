/* SPDX-License-Identifier: MIT */
/* fatal [CODE]: the guest gives up with ReportFatalError. */
#include <stdlib.h>

#include "guest_internal.h"

int guest_fatal(struct tdx_guest *g, int argc, char **argv);

int guest_fatal(struct tdx_guest *g, int argc, char **argv)
{
	uint64_t code = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x2a;

	tdx_puts(g, "fatal: reporting a fatal error\n");
	tdx_report_fatal(g, code, "guest program 'fatal' gave up");
}
