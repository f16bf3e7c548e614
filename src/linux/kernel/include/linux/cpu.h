/* SPDX-License-Identifier: MIT */
/* <linux/cpu.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
