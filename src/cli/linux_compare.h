/* SPDX-License-Identifier: MIT */
#ifndef TDXSIM_CLI_LINUX_COMPARE_H
#define TDXSIM_CLI_LINUX_COMPARE_H

#include "tdxsim/platform.h"

/* Both hosts on cfg, differences printed: 0 identical, 1 not, 2 error.
 * version: the kernel src/host/ follows ("mainline", "6.12"); NULL: the
 * one of the kernel object. */
int linux_compare(const struct tdxsim_platform_config *cfg, const char *object,
		  const char *version);

#endif
