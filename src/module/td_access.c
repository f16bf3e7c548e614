/* SPDX-License-Identifier: MIT */
/*
 * Guest loads and stores (abi §5.9 "Guest access to a PENDING page",
 * §6.4, §7.2): private GPAs translate through the S-EPT with the TD's
 * HKID. A missing or blocked page is an EPT-violation TD exit; a pending
 * one a #VE, or an exit with EEQ type PENDING_EPT_VIOLATION when
 * SEPT_VE_DISABLE is set; a poisoned line is a machine check, fatal to
 * the TD. The access is retried after each exit, as the CPU re-executes
 * the faulting instruction.
 */
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "metadata_td.h"
#include "sept.h"
#include "td_run.h"
#include "platform/platform_internal.h"

static struct td_ref *td_of(struct tdx_vcpu *gv)
{
	return &gv->v->td;
}

static uint8_t *tdvpr_of(struct tdx_vcpu *gv)
{
	return gv->v->tdvpr;
}

/* td_exit_epf_stepping_log: the first six EPT violations without
 * progress are counted; from the seventh on, each new GPA goes on the
 * vCPU's list, which VP.ENTER then checks under the S-EPT tree lock
 * (abi §6.4). */
static void epf_log(struct tdx_vcpu *gv, uint64_t gpa)
{
	td_stepping_progress(gv);
	if (gv->epf_count < TDX_STEPPING_EPF_THRESHOLD) {
		gv->epf_count++;
		return;
	}
	for (unsigned i = 0; i < gv->n_epf; i++)
		if (gv->epf_gpa[i] == gpa)
			return;
	if (gv->n_epf < TDX_EPF_GPA_LIST_SIZE)
		gv->epf_gpa[gv->n_epf++] = gpa;
}

/* The EPT-violation qualification (SDM vol 3 §28.2.1): the access
 * rights the walk refused in bits 2:0, the rights it found (acc, RWX)
 * in bits 5:3. A TDCALL's memory operand asks for what the module maps
 * it with, read or read-write (check_walk_and_map_guest_side_gpa); any
 * other access for its own read or write. */
static uint64_t ept_qual(const struct tdx_vcpu *gv, bool write, uint64_t acc)
{
	uint64_t want = gv->operand_rights ? gv->operand_rights :
			write ? TDX_EPT_QUAL_WRITE : TDX_EPT_QUAL_READ;

	return (want & ~acc & 0x7) | (acc & 0x7) << 3;
}

static void ept_violation_exit(struct tdx_vcpu *gv, uint64_t gpa, bool write,
			       uint64_t eeq, bool private, uint64_t acc)
{
	gv->exit = (struct td_exit){
		.status = TDX_SUCCESS, .reason = TDX_EXIT_EPT_VIOLATION,
		.qual = ept_qual(gv, write, acc),
		.ext_qual = eeq, .gpa = gpa & ~0xFFFULL,
	};
	if (private)
		epf_log(gv, gpa & ~0xFFFULL);
	td_exit_to_host(gv);
}

static void machine_check(struct tdx_vcpu *gv)
{
	gv->exit = (struct td_exit){
		.status = TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE,
		.reason = TDX_EXIT_EXCEPTION_NMI,
		.intr_info = TDX_INTR_INFO_VALID | TDX_INTR_TYPE_HW_EXCEPTION |
			     TDX_VECTOR_MC,
	};
	gv->dead = true;
	td_exit_to_host(gv);
	abort();   /* never resumed */
}

/* tdx_inject_ve: VE_INFO in TDVPS page 0, then the guest's handler. A
 * #VE while VE_INFO is still unread is a #DF, and with no handler there
 * is nothing to deliver to: both end in a triple fault. */
void td_inject_ve(struct tdx_vcpu *gv, uint32_t exit_reason, uint64_t qual,
		  uint64_t gla, uint64_t gpa, uint32_t instr_len)
{
	struct tdvps_ve_info *ve = (struct tdvps_ve_info *)(tdvpr_of(gv) + TDVPS_VE_INFO_OFFSET);

	if (ve->valid == TDX_VE_INFO_VALID || !gv->ve_handler)
		tdx_cpu_triple_fault(gv);
	ve->exit_reason = exit_reason;
	ve->exit_qual = qual;
	ve->gla = gla;
	ve->gpa = gpa;
	ve->eptp_index = 0;
	ve->instr_len = instr_len;
	ve->instr_info = 0;
	ve->valid = (uint32_t)TDX_VE_INFO_VALID;
	gv->ve_handler(gv->ve_arg);
}

void td_instruction_ve(struct tdx_vcpu *gv, uint64_t *gpr, uint32_t exit_reason,
		       uint32_t instr_len)
{
	gv->ve_gpr = gpr;
	td_inject_ve(gv, exit_reason, 0, 0, 0, instr_len);
	gv->ve_gpr = NULL;
}

static void inject_ve(struct tdx_vcpu *gv, uint64_t gpa, bool write)
{
	td_inject_ve(gv, (uint32_t)TDX_EXIT_EPT_VIOLATION, ept_qual(gv, write, 0), gpa, gpa,
		     gv->ve_instr_len);
}

/* One try at a private access within one page; false after an exit or
 * #VE (the caller retries). */
static bool private_try(struct tdx_vcpu *gv, uint64_t gpa, void *buf,
			size_t n, bool write)
{
	struct tdx_module *m = gv->m;
	struct td_ref *td = td_of(gv);
	struct sept_walk w;
	uint64_t e, hpa, pa;
	int s;

	sept_walk(m, td, gpa, TDX_LVL_PT, &w);
	e = sept_load(&w);
	s = sept_state_of(e);
	if (s >= 0 && sept_is_leaf_state(s) && (write ? s == SEPT_MAPPED : sept_guest_readable(s))) {
		hpa = sept_leaf_hpa(e, w.level) + (gpa & (level_size(w.level) - 1));
		pa = hpa | ((uint64_t)td->tdr->hkid << m->hkid_start_bit);
		if (write) {
			platform_mem_write(m->plat, pa, buf, n);
		} else if (platform_mem_read(m->plat, pa, buf, n) == TDXSIM_MEM_POISON) {
			machine_check(gv);
		}
		return true;
	}
	if (s == SEPT_PENDING) {   /* export states are not modelled */
		/* TD_CTLS, not the attribute: the guest may change it
		 * (td_ept_violation_exit). */
		if (td->tdcs->td_ctls & TDX_TD_CTLS_PENDING_VE_DISABLE)
			ept_violation_exit(gv, gpa, write, TDX_EEQ_PENDING_EPT_VIOLATION, true, 0);
		else
			inject_ve(gv, gpa, write);
		return false;
	}
	ept_violation_exit(gv, gpa, write, TDX_EEQ_NONE, true, 0);
	return false;
}

#define EPT_RWX        0x7ULL
#define EPT_W          0x2ULL
#define EPT_PS         (1ULL << 7)
#define EPT_ADDR_MASK  0x000FFFFFFFFFF000ULL

/* The VMM's shared EPT (an ordinary EPT in host memory, root in the TD
 * VMCS's SHARED_EPT_POINTER): the host PA behind a shared GPA, or false
 * with the exit already taken. The VMM sets only the root's address; the
 * page-walk length is the TD's own, as the module's shared-GPA walk takes
 * it from the TD's EPTP. A never-set root (NULL_PA) maps nothing. */
static bool shared_try(struct tdx_vcpu *gv, uint64_t gpa, void *buf,
		       size_t n, bool write)
{
	struct tdx_module *m = gv->m;
	uint64_t eptp = td_vmcs_of(m, gv->v)->shared_eptp;
	uint64_t table = eptp == TDX_NULL_PA ? 0 : eptp & EPT_ADDR_MASK, e = 0, acc = EPT_RWX;
	int level = (int)((gv->v->td.tdcs->eptp >> TDX_EPTP_PWL_SHIFT) & TDX_EPTP_PWL_MASK);

	while (table && level >= 0) {
		uint64_t idx = (gpa >> (12 + 9 * level)) & 511;

		if (platform_mem_read(m->plat, table + idx * 8, &e, 8) != TDXSIM_MEM_OK ||
		    !(e & EPT_RWX)) {
			e = 0;
			break;
		}
		acc &= e;   /* rights accumulate down the walk */
		if (level == 0 || (e & EPT_PS))
			break;
		table = e & EPT_ADDR_MASK;
		level--;
	}
	if (!table || !(e & EPT_RWX) || (write && !(e & EPT_W)) ||
	    (gv->operand_rights & ~acc & EPT_W)) {
		ept_violation_exit(gv, gpa, write, TDX_EEQ_NONE, false, table && e ? acc : 0);
		return false;
	}
	{
		uint64_t size = 1ULL << (12 + 9 * level);
		uint64_t hpa = (e & EPT_ADDR_MASK & ~(size - 1)) | (gpa & (size - 1));

		if (write)
			platform_mem_write(m->plat, hpa, buf, n);
		else
			platform_mem_read(m->plat, hpa, buf, n);
	}
	return true;
}

/* [gpa, gpa+len) through the EPTs, retrying after each exit or #VE.
 * Each page of a guest access is one instruction (per_page_rip), with
 * an instruction boundary before it; a TDCALL's operand had its boundary
 * at the TDCALL. Every retry re-executes the instruction, so a pending
 * interrupt is taken before it too. */
static void access_range(struct tdx_vcpu *gv, uint64_t gpa, uint8_t *p,
			 size_t len, bool write, bool per_page_rip)
{
	while (len) {
		size_t n = 4096 - (gpa & 4095);

		if (n > len)
			n = len;
		if (per_page_rip)
			td_interrupt_window(gv);
		if (gpa_private_valid(td_of(gv)->tdcs, gpa)) {
			while (!private_try(gv, gpa, p, n, write))
				td_interrupt_window(gv);
		} else {
			/* Shared GPAs go through the host's shared EPT. */
			while (!shared_try(gv, gpa, p, n, write))
				td_interrupt_window(gv);
		}
		if (per_page_rip)
			gv->rip++;
		gpa += n;
		p += n;
		len -= n;
	}
}

void tdx_cpu_access(struct tdx_vcpu *gv, uint64_t gpa, void *buf,
		    size_t len, bool write)
{
	access_range(gv, gpa, buf, len, write, true);
}

/* A shared GPA: the shared bit set, below 2^GPAW. */
static bool gpa_shared_valid(const struct tdcs *tdcs, uint64_t gpa)
{
	return gpa < (1ULL << tdcs->gpaw) && (gpa & (1ULL << (tdcs->gpaw - 1)));
}

bool td_guest_operand(struct tdx_vcpu *gv, uint64_t gpa, void *buf, size_t len,
		      bool write, bool private_only)
{
	const struct tdcs *tdcs = td_of(gv)->tdcs;
	uint64_t last = gpa + len - 1;

	/* One page: the module maps a TDCALL operand with one keyhole. */
	if (!len || (gpa >> 12) != (last >> 12))
		return false;
	if (!gpa_private_valid(tdcs, gpa) && (private_only || !gpa_shared_valid(tdcs, gpa)))
		return false;
	/* The TDCALL is one instruction: its RIP moves only when it ends.
	 * An output is mapped read-write, an input read-only. */
	gv->ve_instr_len = TDX_TDCALL_INSTR_LEN;
	gv->operand_rights = write ? TDX_EPT_QUAL_READ | TDX_EPT_QUAL_WRITE : TDX_EPT_QUAL_READ;
	access_range(gv, gpa, buf, len, write, false);
	gv->operand_rights = 0;
	gv->ve_instr_len = 0;
	return true;
}
