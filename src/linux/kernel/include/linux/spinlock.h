/* SPDX-License-Identifier: MIT */
/* <linux/spinlock.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
