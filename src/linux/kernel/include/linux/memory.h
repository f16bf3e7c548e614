/* SPDX-License-Identifier: MIT */
/* <linux/memory.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
