/* SPDX-License-Identifier: MIT */
/* <asm/cpu_device_id.h> of the kernel environment: see klx/x86.h. */
#include "../klx/x86.h"
