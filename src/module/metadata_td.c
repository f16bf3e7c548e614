/* SPDX-License-Identifier: MIT */
/*
 * TD-scope (TDR, TDCS) and VP-scope (TDVPS, TD VMCS) metadata tables
 * (abi §8.3) and the element access rules of abi §8.1.
 *
 * Each field has separate host read and write masks for production and
 * debug TDs, as in the module's lookup tables: a production TD's guest
 * state (GPRs, DRs, VE_INFO, VCPU_STATE), its RTMRs, TD_CTLS and
 * NOTIFY_ENABLES are not visible to the host. The mask values are those
 * of the 1.5.01 tables; the spec text names the fields but not the masks.
 *
 * Elements live in the donated pages and are read and written with
 * atomic builtins of the element's size: TD-scope callers hold the TDR
 * only shared, so two LPs may write a field while a third reads it.
 */
#include <stddef.h>

#include "metadata_td.h"
#include "metadata_sys.h"

/* Where a field's elements are stored. */
enum md_base { B_NONE, B_TDR, B_TDCS, B_CPUID, B_VE, B_MGMT, B_CPUID_CTL, B_GUEST, B_VMCS,
	       B_SEPT_ROOT };

/* Host access masks, production then debug. */
enum md_acc { RO, DBG_RO, DBG_RW, NOACC, HOST_RW, NOTIFY, DR6, PI_DESC, PIN_BASED,
	      SH_EPTP, VM_CTLS };

/* Guest (TDG.VM.RD/WR, TDG.VP.RD/WR) access, the guest masks of the
 * 1.5.01 tables: the guest reads its own configuration and measurements,
 * and may set NOTIFY_ENABLES bit 0 (notify on zero-step detection) and
 * TD_CTLS bit 0 (PENDING_VE_DISABLE, under FLEXIBLE_PENDING_VE), as Linux
 * guests do. Of its vCPU it reads VCPU_INDEX and reads and writes the
 * CPUID #VE controls: two whole bytes, and bits 1:0 of each per-leaf
 * CPUID_CONTROL byte. */
enum md_gacc { G_NONE, G_RO, G_NOTIFY, G_TD_CTLS, G_RW, G_CPUID_CTL };

/* Fields whose value or write needs more than the masks. */
enum md_special { SP_NONE, SP_GPAW, SP_HP_LOCK, SP_CPUID, SP_PI_NV, SP_PI_DESC,
		  SP_PIN_BASED, SP_TD_CTLS, SP_SHARED_EPTP, SP_NUM_CPUID,
		  SP_VMCS_EPTP, SP_VMCS_HKID, SP_STATE_DETAILS, SP_HANDOFF };

struct md_field {
	uint64_t id;            /* element 0; element i has field code + i */
	uint16_t n;             /* elements */
	uint8_t base;           /* enum md_base */
	uint16_t off;           /* element 0's offset in its base */
	uint8_t stor;           /* bytes stored per element */
	uint8_t acc;            /* enum md_acc */
	uint8_t sp;             /* enum md_special */
	uint8_t gacc;           /* enum md_gacc */
};

struct md_masks {
	uint64_t rd, wr, dbg_rd, dbg_wr;
};

#define ALL UINT64_MAX

static const struct { uint64_t rd, wr; } guest_masks[] = {
	[G_NONE]   = { 0, 0 },
	[G_RO]     = { ALL, 0 },
	[G_NOTIFY] = { ALL, 1 },
	[G_TD_CTLS] = { ALL, TDX_TD_CTLS_PENDING_VE_DISABLE },
	[G_RW]     = { ALL, ALL },
	[G_CPUID_CTL] = { ALL, 3 },
};

static const struct md_masks acc_masks[] = {
	[RO]        = { ALL, 0, ALL, 0 },
	[DBG_RO]    = { 0, 0, ALL, 0 },
	[DBG_RW]    = { 0, 0, ALL, ALL },
	[NOACC]     = { 0, 0, 0, 0 },
	[HOST_RW]   = { ALL, ALL, ALL, ALL },
	[NOTIFY]    = { 0, 0, ALL, 1 },
	[DR6]       = { 0, 0, ALL, 0xFFFFFFFFULL },
	[PI_DESC]   = { ALL, ~(VMCS_POSTED_INTR_DESC_SIZE - 1), ALL,
			~(VMCS_POSTED_INTR_DESC_SIZE - 1) },
	[PIN_BASED] = { VMCS_PIN_BASED_POSTED_INTR, VMCS_PIN_BASED_POSTED_INTR, ALL,
			VMCS_PIN_BASED_POSTED_INTR },
	[SH_EPTP]   = { VMCS_SHARED_EPTP_ADDR_MASK, VMCS_SHARED_EPTP_ADDR_MASK, ALL,
			VMCS_SHARED_EPTP_ADDR_MASK },
	[VM_CTLS]   = { ALL, TDX_VM_CTLS_EPT_VIOLATION_ON_L2_SEPT_WALK_FAILURE, ALL,
			TDX_VM_CTLS_EPT_VIOLATION_ON_L2_SEPT_WALK_FAILURE },
};

#define AT(b, type, member, size) b, (uint16_t)offsetof(type, member), size
#define TDR(m, s)   AT(B_TDR, struct tdr, m, s)
#define TDCS(m, s)  AT(B_TDCS, struct tdcs, m, s)
#define VE(m, s)    AT(B_VE, struct tdvps_ve_info, m, s)
#define MGMT(m, s)  AT(B_MGMT, struct tdvps_mgmt, m, s)
#define CPUID_CTL   B_CPUID_CTL, 0, 1
#define GUEST(m, s) AT(B_GUEST, struct tdvps_guest, m, s)
#define VMCS(m, s)  AT(B_VMCS, struct td_vmcs, m, s)
#define NOWHERE     B_NONE, 0, 0
#define SEPT_ROOT   B_SEPT_ROOT, 0, 8

/* In the module's table order, which version-1 reads walk. */
static const struct md_field td_fields[] = {
	{ MD_TD_TDR_FATAL,            1, TDR(fatal, 1),             RO, 0, G_NONE },
	{ MD_TD_TDR_NUM_TDCX,         1, TDR(num_tdcx, 4),          RO, 0, G_NONE },
	{ MD_TD_TDR_CHLDCNT,          1, TDR(chldcnt, 8),           RO, 0, G_NONE },
	{ MD_TD_TDR_LIFECYCLE_STATE,  1, TDR(lifecycle_state, 4),   RO, 0, G_NONE },
	{ MD_TD_TDR_TDCX_PA, TDX_MAX_NUM_TDCS_PAGES, TDR(tdcx_pa, 8), RO, 0, G_NONE },
	{ MD_TD_TDR_TD_UUID,          4, TDR(td_uuid, 8),           RO, 0, G_RO },
	{ MD_TD_TDR_HKID,             1, TDR(hkid, 2),              RO, 0, G_NONE },
	{ MD_TD_TDR_PKG_CONFIG_BITMAP, 1, TDR(pkg_config_bitmap, 4), RO, 0, G_NONE },
	/* MNG.CREATE records the module's handoff version, which in
	 * tdxsim never changes (no TD-preserving update). */
	{ MD_TD_TDR_HANDOFF_VERSION,  1, NOWHERE,                   RO, SP_HANDOFF, G_NONE },
	{ MD_TD_TDR_SEAMDB_INDEX,     1, TDR(seamdb_index, 8),      RO, 0, G_NONE },
	/* The nonce is the module's own: no host or guest access. */
	{ MD_TD_TDR_SEAMDB_NONCE,     4, TDR(seamdb_nonce, 8),      NOACC, 0, G_NONE },
	{ MD_TD_TDCS_NUM_VCPUS,       1, TDCS(num_vcpus, 4),        RO, 0, G_RO },
	{ MD_TD_TDCS_NUM_ASSOC_VCPUS, 1, TDCS(num_assoc_vcpus, 4),  RO, 0, G_NONE },
	{ MD_TD_TDCS_OP_STATE,        1, TDCS(op_state, 4),         RO, 0, G_NONE },
	{ MD_TD_TDCS_NUM_L2_VMS,      1, TDCS(num_l2_vms, 1),       RO, 0, G_RO },
	{ MD_TD_TDCS_ATTRIBUTES,      1, TDCS(attributes, 8),       RO, 0, G_RO },
	{ MD_TD_TDCS_XFAM,            1, TDCS(xfam, 8),             RO, 0, G_RO },
	{ MD_TD_TDCS_MAX_VCPUS,       1, TDCS(max_vcpus, 4),        RO, 0, G_RO },
	{ MD_TD_TDCS_GPAW,            1, NOWHERE,                   RO, SP_GPAW, G_RO },
	{ MD_TD_TDCS_EPTP,            1, TDCS(eptp, 8),             RO, 0, G_NONE },
	{ MD_TD_TDCS_TSC_OFFSET,      1, TDCS(tsc_offset, 8),       RO, 0, G_NONE },
	{ MD_TD_TDCS_TSC_MULTIPLIER,  1, TDCS(tsc_multiplier, 8),   RO, 0, G_NONE },
	{ MD_TD_TDCS_TSC_FREQUENCY,   1, TDCS(tsc_frequency, 2),    RO, 0, G_RO },
	/* The module computes it on import only: no access here. */
	{ MD_TD_TDCS_VIRTUAL_TSC,     1, NOWHERE,                   NOACC, 0, G_NONE },
	{ MD_TD_TDCS_NUM_CPUID_VALUES, 1, NOWHERE,                  RO, SP_NUM_CPUID, G_NONE },
	{ MD_TD_TDCS_NOTIFY_ENABLES,  1, TDCS(notify_enables, 8),   NOTIFY, 0, G_NOTIFY },
	{ MD_TD_TDCS_HP_LOCK_TIMEOUT, 1, TDCS(hp_lock_timeout, 8),  HOST_RW, SP_HP_LOCK, G_NONE },
	{ MD_TD_TDCS_VM_CTLS, TDX_NUM_VMS, TDCS(vm_ctls, 8),         VM_CTLS, 0, G_NONE },
	{ MD_TD_TDCS_CONFIG_FLAGS,    1, TDCS(config_flags, 8),     RO, 0, G_RO },
	{ MD_TD_TDCS_TD_CTLS,         1, TDCS(td_ctls, 8),          DBG_RO, SP_TD_CTLS, G_TD_CTLS },
	{ MD_TD_TDCS_CPUID_VALID, CPUID_NUM_LOOKUP, AT(B_CPUID, struct tdcs_cpuid, valid, 1), DBG_RO, 0, G_NONE },
	{ MD_TD_TDCS_TD_EPOCH,        1, TDCS(td_epoch, 8),         RO, 0, G_NONE },
	{ MD_TD_TDCS_REFCOUNT,        2, TDCS(refcount, 2),         RO, 0, G_NONE },
	{ MD_TD_TDCS_MRTD,            6, TDCS(mrtd, 8),             RO, 0, G_RO },
	{ MD_TD_TDCS_MRCONFIGID,      6, TDCS(mr_config_id, 8),     RO, 0, G_RO },
	{ MD_TD_TDCS_MROWNER,         6, TDCS(mr_owner, 8),         RO, 0, G_RO },
	{ MD_TD_TDCS_MROWNERCONFIG,   6, TDCS(mr_owner_config, 8),  RO, 0, G_RO },
	{ MD_TD_TDCS_RTMR, TDX_NUM_RTMRS * 6, TDCS(rtmr, 8),        DBG_RO, 0, G_RO },
	{ MD_TD_TDCS_CPUID_VALUES, 2 * CPUID_NUM_LOOKUP, AT(B_CPUID, struct tdcs_cpuid, values, 8), RO, SP_CPUID, G_NONE },
	/* The secure EPT's root page, entry by entry, for a debug host. */
	{ MD_TD_TDCS_SEPT_ROOT,     512, SEPT_ROOT,                 DBG_RO, 0, G_NONE },
};

/* The TD VMCS table comes first in the VP context (abi §8.3: class 0). */
static const struct md_field vp_fields[] = {
	/* TD VMCS fields in encoding order, as in the module's table. */
	{ MD_VP_POSTED_INTR_NV,        1, VMCS(posted_intr_nv, 2),        HOST_RW, SP_PI_NV, G_NONE },
	{ MD_VP_POSTED_INTR_DESC_ADDR, 1, VMCS(posted_intr_desc_addr, 8), PI_DESC, SP_PI_DESC, G_NONE },
	{ MD_VP_VMCS_EPTP,             1, NOWHERE,                        RO, SP_VMCS_EPTP, G_NONE },
	{ MD_VP_SHARED_EPTP,           1, VMCS(shared_eptp, 8),           SH_EPTP, SP_SHARED_EPTP, G_NONE },
	{ MD_VP_PIN_BASED_CTLS,        1, VMCS(pin_based_ctls, 4),        PIN_BASED, SP_PIN_BASED, G_NONE },
	{ MD_VP_VMCS_TD_HKID,          1, NOWHERE,                        RO, SP_VMCS_HKID, G_NONE },
	{ MD_VP_VE_INFO_EXIT_REASON,   1, VE(exit_reason, 4),   DBG_RO, 0, G_NONE },
	{ MD_VP_VE_INFO_VALID,         1, VE(valid, 4),         DBG_RO, 0, G_NONE },
	{ MD_VP_VE_INFO_EXIT_QUAL,     1, VE(exit_qual, 8),     DBG_RO, 0, G_NONE },
	{ MD_VP_VE_INFO_GLA,           1, VE(gla, 8),           DBG_RO, 0, G_NONE },
	{ MD_VP_VE_INFO_GPA,           1, VE(gpa, 8),           DBG_RO, 0, G_NONE },
	{ MD_VP_VE_INFO_EPTP_INDEX,    1, VE(eptp_index, 2),    DBG_RO, 0, G_NONE },
	{ MD_VP_VE_INFO_INSTR_LEN,     1, VE(instr_len, 4),     DBG_RO, 0, G_NONE },
	{ MD_VP_VE_INFO_INSTR_INFO,    1, VE(instr_info, 4),    DBG_RO, 0, G_NONE },
	{ MD_VP_GPR(RAX),              4, GUEST(gpr[RAX], 8),   DBG_RW, 0, G_NONE },
	{ MD_VP_GPR(RSP),              1, GUEST(gpr[RSP], 8),   NOACC, 0, G_NONE },
	{ MD_VP_GPR(RBP),             11, GUEST(gpr[RBP], 8),   DBG_RW, 0, G_NONE },
	{ MD_VP_DR0,                   4, GUEST(dr, 8),         DBG_RW, 0, G_NONE },
	{ MD_VP_DR6,                   1, GUEST(dr6, 8),        DR6, 0, G_NONE },
	{ MD_VP_XCR0,                  1, GUEST(xcr0, 8),       DBG_RO, 0, G_NONE },
	{ MD_VP_VCPU_STATE_DETAILS,    1, NOWHERE,              RO, SP_STATE_DETAILS, G_NONE },
	{ MD_VP_VCPU_STATE,            1, MGMT(state, 4),       DBG_RO, 0, G_NONE },
	{ MD_VP_VCPU_INDEX,            1, MGMT(vcpu_index, 4),  RO, 0, G_RO },
	{ MD_VP_NUM_TDVPS_PAGES,       1, MGMT(num_tdvps_pages, 4), RO, 0, G_NONE },
	{ MD_VP_ASSOC_LPID,            1, MGMT(assoc_lpid, 4),  RO, 0, G_NONE },
	{ MD_VP_VCPU_EPOCH,            1, MGMT(vcpu_epoch, 8),  RO, 0, G_NONE },
	{ MD_VP_CPUID_SUPERVISOR_VE,   1, MGMT(cpuid_supervisor_ve, 1), RO, 0, G_RW },
	{ MD_VP_CPUID_USER_VE,         1, MGMT(cpuid_user_ve, 1), RO, 0, G_RW },
	{ MD_VP_PEND_NMI,              1, MGMT(pend_nmi, 1),    HOST_RW, 0, G_NONE },
	{ MD_VP_LAST_TD_EXIT,          1, MGMT(last_td_exit, 4), DBG_RO, 0, G_NONE },
	{ MD_VP_TDVPS_PAGE_PA, TDX_MAX_TDVPS_PAGES, MGMT(tdvps_pa, 8), RO, 0, G_NONE },
	{ MD_VP_CPUID_CONTROL, TDX_NUM_CPUID_CONTROL, CPUID_CTL, DBG_RO, 0, G_CPUID_CTL },
};

/* Every element is read with a naturally aligned atomic load. */
_Static_assert(offsetof(struct tdcs, mrtd) % 8 == 0 &&
	       offsetof(struct tdcs, mr_config_id) % 8 == 0 &&
	       offsetof(struct tdcs, mr_owner) % 8 == 0 &&
	       offsetof(struct tdcs, mr_owner_config) % 8 == 0 &&
	       offsetof(struct tdcs, rtmr) % 8 == 0 &&
	       offsetof(struct tdcs_cpuid, values) % 8 == 0 &&
	       offsetof(struct tdr, td_uuid) % 8 == 0 &&
	       offsetof(struct tdr, seamdb_index) % 8 == 0 &&
	       offsetof(struct tdr, seamdb_nonce) % 8 == 0 &&
	       offsetof(struct tdcs, vm_ctls) % 8 == 0, "64-bit elements aligned");
_Static_assert(TDVPS_MGMT_OFFSET >= sizeof(struct tdvps_ve_info) &&
	       TDVPS_CPUID_CONTROL_OFFSET >= TDVPS_MGMT_OFFSET + sizeof(struct tdvps_mgmt) &&
	       TDVPS_GPR_OFFSET >= TDVPS_CPUID_CONTROL_OFFSET + TDX_NUM_CPUID_CONTROL,
	       "TDVPR page areas do not overlap");

struct md_table {
	const struct md_field *f;
	int n;
};

static struct md_table table_of(unsigned ctx)
{
	if (ctx == MD_CTX_VP)
		return (struct md_table){ vp_fields, sizeof(vp_fields) / sizeof(vp_fields[0]) };
	return (struct md_table){ td_fields, sizeof(td_fields) / sizeof(td_fields[0]) };
}

static uint64_t width_mask(uint64_t id)
{
	unsigned bytes = md_element_size_bytes(id);

	return bytes == 8 ? ALL : (1ULL << (8 * bytes)) - 1;
}

static void field_masks(const struct md_field *f, const struct md_target *t,
			uint64_t *rd, uint64_t *wr)
{
	const struct md_masks *k = &acc_masks[f->acc];

	if (t->guest) {
		*rd = guest_masks[f->gacc].rd & width_mask(f->id);
		*wr = guest_masks[f->gacc].wr & width_mask(f->id);
		return;
	}
	*rd = (t->debug ? k->dbg_rd : k->rd) & width_mask(f->id);
	*wr = (t->debug ? k->dbg_wr : k->wr) & width_mask(f->id);
}

/* ---- CPUID_VALUES: the field code names a leaf/subleaf (abi §8.1) ---- */

/* CPUID_VALUES has two elements per lookup entry, in lookup order
 * ({EBX:EAX}, {EDX:ECX}), each named by its leaf and subleaf. */
static uint32_t cpuid_code(unsigned elem)
{
	const struct cpuid_lookup *l = &cpuid_lookup[elem / 2];

	return md_cpuid_field_code(l->leaf, l->subleaf, elem % 2);
}

static bool cpuid_elem(uint32_t code, unsigned *elem)
{
	for (unsigned e = 0; e < 2 * CPUID_NUM_LOOKUP; e++) {
		if (cpuid_code(e) == code) {
			*elem = e;
			return true;
		}
	}
	return false;
}

/* ---- lookup and element IDs ---- */

static uint32_t elem_code(const struct md_field *f, unsigned e)
{
	return f->sp == SP_CPUID ? cpuid_code(e) : md_field_code(f->id) + e;
}

/* Lookup compares class and field code only (abi §8.1). */
static const struct md_field *lookup(unsigned ctx, uint64_t id, unsigned *elem)
{
	struct md_table t = table_of(ctx);
	uint32_t code = md_field_code(id);

	for (int i = 0; i < t.n; i++) {
		const struct md_field *f = &t.f[i];
		uint32_t first = md_field_code(f->id);

		if (md_class(f->id) != md_class(id))
			continue;
		if (f->sp == SP_CPUID) {
			if (cpuid_elem(code, elem))
				return f;
		} else if (code >= first && code - first < f->n) {
			*elem = code - first;
			return f;
		}
	}
	return NULL;
}

static uint64_t with_code(uint64_t id, uint32_t code)
{
	return (id & ~MD_FIELD_CODE_MASK) | code;
}

/* The first readable element of entry i or later, or -1. */
static uint64_t first_readable_from(const struct md_target *t, int i)
{
	struct md_table tab = table_of(t->ctx);
	uint64_t rd, wr;

	for (; i < tab.n; i++) {
		field_masks(&tab.f[i], t, &rd, &wr);
		if (rd)
			return with_code(tab.f[i].id, elem_code(&tab.f[i], 0));
	}
	return MD_NULL_ID;
}

uint64_t md_first_id(const struct md_target *t)
{
	return first_readable_from(t, 0);
}

/* Within a field the caller's other ID bits are kept, as the module
 * does; the next field starts from the table's ID. */
uint64_t md_next_id(const struct md_target *t, uint64_t id)
{
	const struct md_field *f;
	unsigned e;

	f = lookup(t->ctx, id, &e);
	if (!f)
		return MD_NULL_ID;
	if (e + 1u < f->n)
		return with_code(id, elem_code(f, e + 1));
	return first_readable_from(t, (int)(f - table_of(t->ctx).f) + 1);
}

/* ---- element storage ---- */

static uint8_t *base_of(const struct md_target *t, unsigned base)
{
	switch (base) {
	case B_TDR:   return (uint8_t *)t->tdr;
	case B_TDCS:  return (uint8_t *)t->tdcs;
	case B_CPUID: return tdcs_page(t->m, t->tdr, TDCS_PAGE_CPUID);
	case B_VE:    return t->tdvpr + TDVPS_VE_INFO_OFFSET;
	case B_MGMT:  return t->tdvpr + TDVPS_MGMT_OFFSET;
	case B_CPUID_CTL: return t->tdvpr + TDVPS_CPUID_CONTROL_OFFSET;
	case B_GUEST: return t->tdvpr + TDVPS_GPR_OFFSET;
	case B_VMCS:  return (uint8_t *)t->vmcs;
	case B_SEPT_ROOT: return tdcs_page(t->m, t->tdr, TDCS_PAGE_SEPT_ROOT);
	default:      return NULL;
	}
}

static void *elem_ptr(const struct md_target *t, const struct md_field *f,
		      unsigned e)
{
	return base_of(t, f->base) + f->off + (size_t)e * f->stor;
}

static uint64_t load(const void *p, unsigned size)
{
	switch (size) {
	case 1:  return __atomic_load_n((const uint8_t *)p, __ATOMIC_ACQUIRE);
	case 2:  return __atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE);
	case 4:  return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE);
	default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
	}
}

#define CAS(type, p, e, v) __extension__ ({ \
	type x_ = (type)(e); \
	__atomic_compare_exchange_n((type *)(p), &x_, (type)(v), false, \
				    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE); })

/* Stores v unless another writer changed the element since it was read
 * as expect (the module's write_element_by_size). */
static bool store_if(void *p, unsigned size, uint64_t expect, uint64_t v)
{
	switch (size) {
	case 1:  return CAS(uint8_t, p, expect, v);
	case 2:  return CAS(uint16_t, p, expect, v);
	case 4:  return CAS(uint32_t, p, expect, v);
	default: return CAS(uint64_t, p, expect, v);
	}
}

/* HP_LOCK_TIMEOUT is kept in TSC ticks and exchanged in microseconds.
 * The platform has no native TSC frequency, so the TD's is used, as at
 * TDH.MNG.INIT. */
static uint64_t ticks_per_us(const struct tdcs *tdcs)
{
	return tdcs->tsc_frequency * (TDX_TSC_FREQ_UNIT_HZ / 1000000ULL);
}

/* The stored element, as it is stored. */
static uint64_t raw_value(const struct md_target *t, const struct md_field *f,
			  unsigned e)
{
	return f->base == B_NONE ? 0 : load(elem_ptr(t, f, e), f->stor);
}

/* VCPU_STATE_DETAILS, computed on read: bit 0 (VMXIP) says a virtual
 * interrupt is pending, i.e. RVI's priority class is above PPR's. tdxsim
 * has no virtual APIC: nothing is ever posted into the guest (the posted-
 * interrupt descriptor is stored, not processed), so RVI stays 0 and VMXIP
 * is never set. */
static uint64_t vcpu_state_details(void)
{
	return 0;
}

/* The element as the interface presents it, full width. */
static uint64_t elem_value(const struct md_target *t, const struct md_field *f,
			   unsigned e, uint64_t raw)
{
	switch (f->sp) {
	case SP_GPAW:
		return (t->tdcs->config_flags & TDX_CONFIG_FLAGS_GPAW) ? 1 : 0;
	case SP_HP_LOCK:
		return raw / ticks_per_us(t->tdcs);
	case SP_NUM_CPUID:
		return CPUID_NUM_LOOKUP;
	case SP_HANDOFF:
		return TDX_MODULE_HV;
	case SP_VMCS_EPTP:
		/* The VMCS holds the TD's EPTP without the HKID bits
		 * (the module's TD VMCS initialisation). */
		return t->tdcs->eptp & ~t->m->hkid_mask;
	case SP_VMCS_HKID:
		return t->tdr->hkid;
	case SP_STATE_DETAILS:
		return vcpu_state_details();
	default:
		return raw & width_mask(f->id);
	}
}

/* md_td_get_element: a faulting leaf, or any before TDH.MNG.INIT set
 * cpuid_valid, cannot be read. */
static bool cpuid_readable(const struct md_target *t, unsigned e)
{
	const struct tdcs_cpuid *c = tdcs_page(t->m, t->tdr, TDCS_PAGE_CPUID);

	return c->valid[e / 2];
}

uint64_t md_read(const struct md_target *t, uint64_t id, uint64_t *value)
{
	const struct md_field *f;
	uint64_t rd, wr;
	unsigned e;

	f = lookup(t->ctx, id, &e);
	if (!f)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	field_masks(f, t, &rd, &wr);
	if (!rd || (f->sp == SP_CPUID && !cpuid_readable(t, e)))
		return TDX_METADATA_FIELD_NOT_READABLE;
	*value = elem_value(t, f, e, raw_value(t, f, e)) & rd;
	return TDX_SUCCESS;
}

/* ---- writes ---- */

struct md_wr {
	uint64_t cur;           /* interface value before the write */
	uint64_t val;           /* interface value after it */
	uint64_t combined;      /* bits actually written */
	uint64_t raw;           /* value to store */
};

/* The posted-interrupt fields must be set before posted interrupts are
 * turned on (the module's TD VMCS write rules). */
static uint64_t check_pin_based(const struct md_target *t, const struct md_wr *w)
{
	if (!(w->val & VMCS_PIN_BASED_POSTED_INTR))
		return TDX_SUCCESS;
	if (t->vmcs->posted_intr_nv == VMCS_POSTED_INTR_NV_INIT)
		return STATUS(TDX_TD_VMCS_FIELD_NOT_INITIALIZED, VMCS_POSTED_INTR_NV);
	if (t->vmcs->posted_intr_desc_addr == TDX_NULL_PA)
		return STATUS(TDX_TD_VMCS_FIELD_NOT_INITIALIZED, VMCS_POSTED_INTR_DESC_ADDR);
	return TDX_SUCCESS;
}

static uint64_t special_write(const struct md_target *t, const struct md_field *f,
			      struct md_wr *w)
{
	switch (f->sp) {
	case SP_HP_LOCK:
		/* Only whole-value writes; the range is abi §6.2's. */
		if (w->combined != ALL)
			return TDX_METADATA_WR_MASK_NOT_VALID;
		if (w->val < TDX_HP_LOCK_TIMEOUT_MIN_US || w->val > TDX_HP_LOCK_TIMEOUT_MAX_US)
			return TDX_METADATA_FIELD_VALUE_NOT_VALID;
		w->raw = w->val * ticks_per_us(t->tdcs);
		return TDX_SUCCESS;
	case SP_PI_NV:
		return w->val > VMCS_POSTED_INTR_NV_MAX ? TDX_METADATA_FIELD_VALUE_NOT_VALID
							 : TDX_SUCCESS;
	case SP_PI_DESC:
		return hpa_valid_shared(t->m, w->val, VMCS_POSTED_INTR_DESC_SIZE,
					VMCS_POSTED_INTR_DESC_SIZE)
		       ? TDX_SUCCESS : TDX_METADATA_FIELD_VALUE_NOT_VALID;
	case SP_PIN_BASED:
		return check_pin_based(t, w);
	case SP_SHARED_EPTP:
		/* The root is a shared page: 4 KiB, no private HKID, below
		 * MAXPA (the field's hpa/shared attributes). */
		return hpa_valid_shared(t->m, w->val, PAGE_4K, PAGE_4K)
		       ? TDX_SUCCESS : TDX_METADATA_FIELD_VALUE_NOT_VALID;
	case SP_TD_CTLS:
		/* md_td_write_element: PENDING_VE_DISABLE changes only when
		 * the TD was built with FLEXIBLE_PENDING_VE. */
		if (((w->val ^ w->cur) & TDX_TD_CTLS_PENDING_VE_DISABLE) &&
		    !(t->tdcs->config_flags & TDX_CONFIG_FLAGS_FLEXIBLE_PENDING_VE))
			return TDX_METADATA_FIELD_VALUE_NOT_VALID;
		return TDX_SUCCESS;
	default:
		return TDX_SUCCESS;
	}
}

/* Fields holding a physical address, which start as NULL_PA. */
static bool is_pa_field(const struct md_field *f)
{
	return f->sp == SP_PI_DESC || f->sp == SP_SHARED_EPTP;
}

/* The stored value: the written bits merged into what is stored, so
 * bits outside the element width (a wider C field) are kept. */
static uint64_t merge_raw(const struct md_field *f, uint64_t stored, uint64_t val)
{
	uint64_t w = width_mask(f->id);

	return (stored & ~w) | (val & w);
}

uint64_t md_write(const struct md_target *t, uint64_t id, uint64_t value,
		  uint64_t mask, uint64_t *old)
{
	const struct md_field *f;
	uint64_t rd, wr, stored, base, status;
	struct md_wr w;
	unsigned e;

	f = lookup(t->ctx, id, &e);
	if (!f)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	field_masks(f, t, &rd, &wr);
	w.combined = wr & mask;
	if (!w.combined)
		return TDX_METADATA_FIELD_NOT_WRITABLE;
	stored = raw_value(t, f, e);
	w.cur = elem_value(t, f, e, stored);
	/* A never-set address reads as all ones; its bits outside the write
	 * mask are not writable, so the merge starts from the writable bits
	 * only (the module does so for every PA field). */
	base = (is_pa_field(f) && w.cur == TDX_NULL_PA) ? w.cur & wr : w.cur;
	/* Bits the caller asked to write but may not must stay as they are. */
	if ((base ^ value) & mask & ~wr)
		return TDX_METADATA_FIELD_VALUE_NOT_VALID;
	w.val = (base & ~w.combined) | (value & w.combined);
	w.raw = merge_raw(f, stored, w.val);
	status = special_write(t, f, &w);
	if (status != TDX_SUCCESS)
		return status;
	if (!store_if(elem_ptr(t, f, e), f->stor, stored, w.raw))
		return STATUS(TDX_OPERAND_BUSY, TDX_OPERAND_ID_METADATA_FIELD);
	*old = w.cur & rd;
	return TDX_SUCCESS;
}

/* ---- the register side of the four leaves (abi §8.1) ---- */

struct md_args md_leaf_args(uint64_t *gpr, unsigned version, bool read)
{
	struct md_args a = {
		.id = gpr[RDX], .value = gpr[R8], .mask = gpr[R9],
		.read = read, .version = version,
	};

	if (read && version)
		gpr[RDX] = MD_NULL_ID;
	gpr[R8] = 0;
	return a;
}

uint64_t md_leaf_access(const struct md_target *t, uint64_t *gpr,
			const struct md_args *a)
{
	/* The context is forced by the leaf (abi §8.1). */
	uint64_t id = (a->id & ~MD_CONTEXT_BITS) | ((uint64_t)t->ctx << MD_CONTEXT_SHIFT);
	uint64_t value = 0, status;

	if (a->read && a->version && md_is_null(id)) {
		gpr[RDX] = md_first_id(t);
		return TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT;
	}
	if (id & MD_SINGLE_ELEMENT_RESERVED)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	if (a->read)
		status = md_read(t, id, &value);
	else
		status = md_write(t, id, a->value, a->mask, &value);
	if (status != TDX_SUCCESS)
		return status;
	if (a->read && a->version)
		gpr[RDX] = md_next_id(t, id);
	gpr[R8] = value;
	return TDX_SUCCESS;
}

/* ---- locking and state for the leaves ---- */

static void target_of_td(struct md_target *t, struct tdx_module *m,
			 const struct td_ref *td, unsigned ctx)
{
	*t = (struct md_target){
		.ctx = ctx, .m = m, .tdr = td->tdr, .tdcs = td->tdcs,
		.debug = (td->tdcs->attributes & TDX_TD_ATTR_DEBUG) != 0,
	};
}

uint64_t md_open_td(struct tdx_module *m, struct seam_ctx *c, unsigned leaf,
		    struct td_ref *td, struct md_target *t)
{
	uint64_t status;

	status = td_lock_tdr(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_SH, td);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, td, leaf, LOCK_SH);
	if (status != TDX_SUCCESS) {
		td_release(td);
		return status;
	}
	target_of_td(t, m, td, MD_CTX_TD);
	return TDX_SUCCESS;
}

/* A disabled vCPU can still be read, not written. */
static uint64_t check_vcpu(const struct vcpu_ref *v, unsigned leaf)
{
	uint32_t state = v->mgmt->state;

	if (v->mgmt->num_tdvps_pages < vcpu_required_pages(v->td.tdcs))
		return TDX_TDCX_NUM_INCORRECT;
	if (state == VCPU_READY || (state == VCPU_DISABLED && leaf == TDH_VP_RD))
		return TDX_SUCCESS;
	return TDX_VCPU_STATE_INCORRECT;
}

uint64_t md_open_vp(struct tdx_module *m, struct seam_ctx *c, unsigned leaf,
		    struct vcpu_ref *v, struct md_target *t)
{
	uint64_t status;

	status = vcpu_lock(m, c->gpr[RCX], TDX_OPERAND_ID_RCX, LOCK_SH, v);
	if (status != TDX_SUCCESS)
		return status;
	status = td_gate(m, &v->td, leaf, LOCK_SH);
	if (status == TDX_SUCCESS)
		status = check_vcpu(v, leaf);
	if (status == TDX_SUCCESS)
		status = vcpu_associate(v, c->lp);
	if (status != TDX_SUCCESS) {
		vcpu_release(v);
		return status;
	}
	target_of_td(t, m, &v->td, MD_CTX_VP);
	t->tdvpr = v->tdvpr;
	t->vmcs = td_vmcs_of(m, v);
	return TDX_SUCCESS;
}

/* Pin-based controls a TD VMCS starts with: external-interrupt and NMI
 * exiting and virtual NMIs (SDM bits 0, 3, 5); the module owns them. */
#define VMCS_PIN_BASED_INIT 0x29U

struct td_vmcs *td_vmcs_of(struct tdx_module *m, const struct vcpu_ref *v)
{
	struct td_vmcs *vmcs = (struct td_vmcs *)td_map(
		m, v->mgmt->tdvps_pa[TDVPS_PAGE_VMCS], v->td.tdr->hkid);

	/* Only the associated LP gets here, so nobody races the fill. */
	if (!vmcs->initialized) {
		vmcs->pin_based_ctls = VMCS_PIN_BASED_INIT;
		vmcs->posted_intr_nv = VMCS_POSTED_INTR_NV_INIT;
		vmcs->posted_intr_desc_addr = TDX_NULL_PA;
		/* Until the VMM sets one, the shared EPT is NULL_PA (the
		 * module's init_tdvps_fields): shared GPAs are not mapped. */
		vmcs->shared_eptp = TDX_NULL_PA;
		vmcs->initialized = 1;
	}
	return vmcs;
}
