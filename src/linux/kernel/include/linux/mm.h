/* SPDX-License-Identifier: MIT */
/* <linux/mm.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
