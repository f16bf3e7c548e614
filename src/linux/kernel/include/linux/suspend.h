/* SPDX-License-Identifier: MIT */
/* <linux/suspend.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
