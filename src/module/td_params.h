/* SPDX-License-Identifier: MIT */
/* TD_PARAMS validation for TDH.MNG.INIT (abi §5.4), in the module's order. */
#ifndef TDXSIM_MODULE_TD_PARAMS_H
#define TDXSIM_MODULE_TD_PARAMS_H

#include "td.h"

/* TDX_SUCCESS or the status; *rcx_out gets leaf/subleaf on a CPUID
 * error. On success *cpuid is the TD's virtual CPUID. */
uint64_t td_params_check(struct tdx_module *m, const struct td_ref *td,
			 const struct td_params *p, struct tdcs_cpuid *cpuid,
			 uint64_t *rcx_out);
/* td_cpuid_config.c: read_and_set_cpuid_configurations. */
uint64_t td_cpuid_configure(const struct tdx_module *m, const struct td_params *p,
			    struct tdcs_cpuid *out, uint64_t *rcx_out);
/* Copies the validated parameters into the TDCS. */
void td_params_apply(struct tdx_module *m, struct tdcs *tdcs,
		     const struct td_params *p);

#endif
