/* SPDX-License-Identifier: MIT */
/* <linux/minmax.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
