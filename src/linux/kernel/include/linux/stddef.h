/* SPDX-License-Identifier: MIT */
/* <linux/stddef.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
