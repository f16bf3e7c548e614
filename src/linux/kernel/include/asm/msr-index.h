/* SPDX-License-Identifier: MIT */
/* <asm/msr-index.h> of the kernel environment: see klx/x86.h. */
#include "../klx/x86.h"
