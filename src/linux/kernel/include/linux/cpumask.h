/* SPDX-License-Identifier: MIT */
/* <linux/cpumask.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
