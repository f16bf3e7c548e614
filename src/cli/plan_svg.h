/* SPDX-License-Identifier: MIT */
/* The physical map as SVG: memory ranges, then per policy its TDMRs,
 * reserved areas and PAMTs, on one address axis, under a title (the
 * input's name) and a legend. */
#ifndef TDXSIM_CLI_PLAN_SVG_H
#define TDXSIM_CLI_PLAN_SVG_H

#include <stdio.h>

#include "host/tdmr_plan.h"

int plan_svg_write(FILE *f, const char *title, const struct tdxsim_platform_config *cfg,
		   const struct tdmr_plan *const plans[], unsigned n_plans);

#endif
