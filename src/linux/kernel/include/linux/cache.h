/* SPDX-License-Identifier: MIT */
/* <linux/cache.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
