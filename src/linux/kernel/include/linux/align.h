/* SPDX-License-Identifier: MIT */
/* <linux/align.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
