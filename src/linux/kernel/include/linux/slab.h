/* SPDX-License-Identifier: MIT */
/* <linux/slab.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
