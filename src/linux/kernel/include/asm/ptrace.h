/* SPDX-License-Identifier: MIT */
/* <asm/ptrace.h> of the kernel environment: see klx/x86.h. */
#include "../klx/x86.h"
