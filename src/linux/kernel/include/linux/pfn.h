/* SPDX-License-Identifier: MIT */
/* <linux/pfn.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
