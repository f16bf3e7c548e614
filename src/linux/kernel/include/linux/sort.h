/* SPDX-License-Identifier: MIT */
/* <linux/sort.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
