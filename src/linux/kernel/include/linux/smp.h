/* SPDX-License-Identifier: MIT */
/* <linux/smp.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
