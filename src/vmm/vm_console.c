/* SPDX-License-Identifier: MIT */
/* The TD's console: COM1 bytes, a line at a time per vCPU so that vCPUs
 * printing at once do not interleave inside a line. */
#include <stdlib.h>
#include <string.h>

#include "vm_run.h"

static void append(struct vm_run *r, const char *s, size_t n)
{
	if (r->console_len + n + 1 > r->console_cap) {
		size_t cap = (r->console_cap ? r->console_cap * 2 : 4096) + n;
		char *c = realloc(r->console, cap);

		if (!c)
			return;   /* out of memory: the console drops output */
		r->console = c;
		r->console_cap = cap;
	}
	memcpy(r->console + r->console_len, s, n);
	r->console_len += n;
	r->console[r->console_len] = 0;
}

void vm_console_flush(struct vcpu_run *vr)
{
	struct vm_run *r = vr->vm->run;

	if (!vr->line_len)
		return;
	pthread_mutex_lock(&r->console_lock);
	append(r, vr->line, vr->line_len);
	pthread_mutex_unlock(&r->console_lock);
	vr->line_len = 0;
}

void vm_console_putc(struct vcpu_run *vr, char ch)
{
	vr->line[vr->line_len++] = ch;
	if (ch == '\n' || vr->line_len == sizeof(vr->line))
		vm_console_flush(vr);
}
