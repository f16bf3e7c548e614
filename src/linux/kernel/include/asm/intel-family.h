/* SPDX-License-Identifier: MIT */
/* <asm/intel-family.h> of the kernel environment: see klx/x86.h. */
#include "../klx/x86.h"
