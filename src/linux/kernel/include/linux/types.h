/* SPDX-License-Identifier: MIT */
/* <linux/types.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
