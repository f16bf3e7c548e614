/* SPDX-License-Identifier: MIT */
/* <linux/memblock.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
