/* SPDX-License-Identifier: MIT */
/* <linux/sizes.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
