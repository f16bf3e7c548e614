/* SPDX-License-Identifier: MIT */
/* <linux/numa.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
