/* SPDX-License-Identifier: MIT */
/* <linux/compiler_attributes.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
