/* SPDX-License-Identifier: MIT */
/* vmcalls [N]: N GetTdVmCallInfo round trips (guest -> host -> guest),
 * the cheapest TDVMCALL; for measuring the TD exit and entry path. */
#include "guest_internal.h"

int guest_vmcalls(struct tdx_guest *g, int argc, char **argv);

int guest_vmcalls(struct tdx_guest *g, int argc, char **argv)
{
	uint64_t n;

	if (tdx_arg_u64(g, argc, argv, 1, 1000, 0, UINT64_MAX, &n))
		return TDX_GUEST_EXIT_USAGE;
	for (uint64_t i = 0; i < n; i++)
		if (tdx_ghci(g, TDVMCALL_GET_TD_VM_CALL_INFO, 0, 0, 0, 0, NULL) !=
		    TDVMCALL_STATUS_SUCCESS)
			return 1;
	return 0;
}
