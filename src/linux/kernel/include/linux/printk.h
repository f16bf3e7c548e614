/* SPDX-License-Identifier: MIT */
/* <linux/printk.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
