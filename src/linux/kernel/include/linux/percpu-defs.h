/* SPDX-License-Identifier: MIT */
/* <linux/percpu-defs.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
