/* SPDX-License-Identifier: MIT */
/* <asm/mce.h> of the kernel environment: see klx/x86.h. */
#include "../klx/x86.h"
