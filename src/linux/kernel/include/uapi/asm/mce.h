/* SPDX-License-Identifier: MIT */
/* <uapi/asm/mce.h> of the kernel environment: struct mce is in klx/x86.h. */
#include "../../klx/x86.h"
