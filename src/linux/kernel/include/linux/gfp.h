/* SPDX-License-Identifier: MIT */
/* <linux/gfp.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
