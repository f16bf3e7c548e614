/* SPDX-License-Identifier: MIT */
/* <linux/bug.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
