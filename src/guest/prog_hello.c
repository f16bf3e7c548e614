/* SPDX-License-Identifier: MIT */
/* hello: vCPU 0 greets on the console; the others just finish. */
#include "guest_internal.h"

int guest_hello(struct tdx_guest *g, int argc, char **argv);

int guest_hello(struct tdx_guest *g, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (tdx_vcpu_index(g) != 0)
		return 0;
	tdx_printf(g, "Hello from a TD: %u vCPU%s, GPAW %u\n", tdx_nr_vcpus(g),
		   tdx_nr_vcpus(g) == 1 ? "" : "s",
		   (unsigned)__builtin_ctzll(tdx_shared_bit(g)) + 1);
	return 0;
}
