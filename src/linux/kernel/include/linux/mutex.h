/* SPDX-License-Identifier: MIT */
/* <linux/mutex.h> of the kernel environment: see klx/kernel.h. */
#include "../klx/kernel.h"
