/* SPDX-License-Identifier: MIT */
/* <linux/errno.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
