/* SPDX-License-Identifier: MIT */
/* <linux/list.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
