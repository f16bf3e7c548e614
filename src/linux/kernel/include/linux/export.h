/* SPDX-License-Identifier: MIT */
/* <linux/export.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
