/* SPDX-License-Identifier: MIT */
/* TD_PARAMS validation for TDH.MNG.INIT (abi §5.4), in the module's order. */
#ifndef TDXSIM_MODULE_TD_PARAMS_H
#define TDXSIM_MODULE_TD_PARAMS_H

#include "td.h"

/* TDX_SUCCESS or the status; *rcx_out gets leaf/subleaf on a CPUID error. */
uint64_t td_params_check(struct tdx_module *m, const struct td_ref *td,
			 const struct td_params *p, uint64_t *rcx_out);
/* Copies the validated parameters into the TDCS. */
void td_params_apply(struct tdx_module *m, struct tdcs *tdcs,
		     const struct td_params *p);

#endif
