/* SPDX-License-Identifier: MIT */
/* The guest console: bytes out of COM1's transmit register. */
#include <stdarg.h>
#include <stdio.h>

#include "guest_internal.h"

void tdx_puts(struct tdx_guest *g, const char *s)
{
	for (; *s; s++)
		tdx_out(g, TDX_GUEST_PORT_COM1, 1, (uint8_t)*s);
}

void tdx_printf(struct tdx_guest *g, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tdx_puts(g, buf);
}
