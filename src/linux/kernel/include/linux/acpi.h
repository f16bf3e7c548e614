/* SPDX-License-Identifier: MIT */
/* <linux/acpi.h> of the kernel environment: only the S3 hook the TDX
 * host code clears (acpi_suspend_lowlevel). */
#include "../klx/kernel.h"
