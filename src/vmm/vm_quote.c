/* SPDX-License-Identifier: MIT */
/* GetQuote (linux §6.3): R12 = shared GPA of the buffer, R13 = its size. */
#include "vm_run.h"

void vm_tdvmcall_get_quote(struct vcpu_run *vr, struct tdx_module_args *a)
{
	uint64_t shared = 1ULL << (vr->vm->gpaw - 1);

	vr->res->vmcalls[VMCALL_GET_QUOTE]++;
	if (!(a->r12 & shared)) {
		a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		return;
	}
	/* No quoting service yet: KVM's answer when userspace has none. */
	a->r10 = TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED;
}
