/* SPDX-License-Identifier: MIT */
/*
 * GetQuote (linux §6.3; GHCI "TDG.VP.VMCALL<GetQuote>"): R12 = the shared
 * GPA of a buffer, R13 = its size. The buffer starts with a 24-byte
 * header (version, status, in_len, out_len) and the guest's TDREPORT.
 * KVM hands the request to userspace; here the VMM plays QEMU and the
 * quoting service both, synchronously: the status goes straight from
 * 0 to its final value, never IN_FLIGHT.
 *
 * Operand rules: the buffer must be shared (KVM); 4 KiB aligned in
 * address and size, at most 128 KiB, version 1 and in_len within the
 * buffer (QEMU's tdx_handle_get_quote), else INVALID_OPERAND. A problem
 * with the request itself (no service, wrong in_len, a report whose MAC
 * does not verify, no room for the quote) is reported in the header's
 * status with the TDVMCALL succeeding, as QEMU does.
 */
#include <string.h>

#include "vm_run.h"

#define QUOTE_BUF_MAX (128u << 10)   /* QEMU TDX_GET_QUOTE_MAX_BUF_LEN */

struct quote_hdr {
	uint64_t version, status;
	uint32_t in_len, out_len;
} __attribute__((packed));
_Static_assert(sizeof(struct quote_hdr) == TDX_QUOTE_BUF_HDR_SIZE, "GHCI header");

static bool operands_ok(struct vm *vm, uint64_t gpa, uint64_t size)
{
	uint64_t shared = 1ULL << (vm->gpaw - 1);

	return (gpa & shared) && gpa < (1ULL << vm->gpaw) && !(gpa & (VMM_PAGE - 1)) &&
	       size && !(size & (VMM_PAGE - 1)) && size <= QUOTE_BUF_MAX;
}

/* Quotes the report in the buffer; the header's new status. */
static uint64_t make_quote(struct vcpu_run *vr, uint64_t gpa, struct quote_hdr *h,
			   uint64_t size)
{
	struct vm *vm = vr->vm;
	struct tdx_report report;
	uint8_t key[TDX_REPORT_KEY_SIZE], quote[TDX_QUOTE_SIZE];
	size_t len = 0;
	int ret;

	if (!vr->opts->qe)
		return TDX_GET_QUOTE_SERVICE_UNAVAILABLE;
	if (h->in_len != sizeof(report) ||
	    vm_shared_copy(vm, gpa + sizeof(*h), &report, sizeof(report), false))
		return TDX_GET_QUOTE_ERROR;
	platform_report_key(vm->h->p, key);
	ret = tdx_qe_quote(vr->opts->qe, &report, key, quote, sizeof(quote), &len);
	memset(key, 0, sizeof(key));
	if (ret != TDX_QE_OK || len > size - sizeof(*h) ||
	    vm_shared_copy(vm, gpa + sizeof(*h), quote, len, true))
		return TDX_GET_QUOTE_ERROR;
	h->out_len = (uint32_t)len;
	pthread_mutex_lock(&vm->run->console_lock);
	memcpy(vm->run->quote, quote, len);
	vm->run->quote_len = len;
	vm->run->quotes++;
	pthread_mutex_unlock(&vm->run->console_lock);
	return TDX_GET_QUOTE_SUCCESS;
}

void vm_tdvmcall_get_quote(struct vcpu_run *vr, struct tdx_module_args *a)
{
	struct vm *vm = vr->vm;
	uint64_t gpa = a->r12, size = a->r13;
	struct quote_hdr h;

	vr->res->vmcalls[VMCALL_GET_QUOTE]++;
	if (!operands_ok(vm, gpa, size) || vm_shared_copy(vm, gpa, &h, sizeof(h), false) ||
	    h.version != TDX_QUOTE_BUF_VERSION || h.in_len > size - sizeof(h)) {
		a->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		return;
	}
	h.out_len = 0;
	h.status = make_quote(vr, gpa, &h, size);
	vm_shared_copy(vm, gpa, &h, sizeof(h), true);
	a->r10 = TDVMCALL_STATUS_SUCCESS;
}
