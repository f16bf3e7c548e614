/* SPDX-License-Identifier: MIT */
/* <linux/atomic.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
