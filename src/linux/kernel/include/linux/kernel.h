/* SPDX-License-Identifier: MIT */
/* <linux/kernel.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
