/* SPDX-License-Identifier: MIT */
/* <linux/init.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
