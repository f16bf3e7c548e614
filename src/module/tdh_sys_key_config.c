/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.KEY.CONFIG (abi §3.3): program the global HKID's key on this
 * LP's package, once per package; READY after the last package.
 */
#include "module.h"

/* PCONFIG with a random key; failures leave the package unconfigured so
 * the VMM can retry. */
static uint64_t program_key(struct tdx_module *m)
{
	if (module_fault(m, TDXSIM_INJECT_PCONFIG_BUSY))
		return tdx_status_with_operand(TDX_OPERAND_BUSY, TDX_OPERAND_ID_KET);
	if (module_fault(m, TDXSIM_INJECT_KEYGEN))
		return TDX_KEY_GENERATION_FAILED;
	return TDX_SUCCESS;
}

static uint64_t key_config(struct tdx_module *m, struct seam_ctx *c)
{
	uint32_t bit;
	uint64_t status;

	if (atomic_load(&m->sys_state) != SYSCONFIG_DONE)
		return TDX_SYS_KEY_CONFIG_NOT_PENDING;
	/* The package comes from LP.INIT; with late LP.INIT (current
	 * profile) this LP may not have one yet. */
	if (!m->lp[c->lp].lp_is_init)
		return TDX_SYS_LP_INIT_NOT_DONE;
	bit = 1u << m->lp[c->lp].pkg_id;
	if (atomic_fetch_or(&m->pkg_config_bitmap, bit) & bit)
		return TDX_KEY_CONFIGURED;
	status = program_key(m);
	if (status != TDX_SUCCESS) {
		atomic_fetch_and(&m->pkg_config_bitmap, ~bit);
		return status;
	}
	if (atomic_fetch_add(&m->num_of_init_pkgs, 1) + 1 == m->num_of_pkgs)
		atomic_store(&m->sys_state, SYS_READY);
	return TDX_SUCCESS;
}

uint64_t tdh_sys_key_config(struct tdx_module *m, struct seam_ctx *c)
{
	uint64_t status;

	if (!module_lock_global(m, LOCK_EX))
		return TDX_SYS_BUSY;
	status = key_config(m, c);
	module_unlock_global(m, LOCK_EX);
	return status;
}
