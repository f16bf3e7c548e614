/* SPDX-License-Identifier: MIT */
/* <linux/compiler.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
