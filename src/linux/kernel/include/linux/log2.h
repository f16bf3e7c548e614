/* SPDX-License-Identifier: MIT */
/* <linux/log2.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
