/* SPDX-License-Identifier: MIT */
/* <linux/bits.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
