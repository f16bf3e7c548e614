/* SPDX-License-Identifier: MIT */
/*
 * The configuration a TDX host kernel is built with (forced in front of
 * every kernel file): an x86-64 kernel with TDX host support, ACPI and
 * suspend, as Debian's and most distributions' kernels are.
 */
#define __KERNEL__ 1
#define CONFIG_X86 1
#define CONFIG_X86_64 1
#define CONFIG_SMP 1
#define CONFIG_NUMA 1
#define CONFIG_INTEL_TDX_HOST 1
#define CONFIG_ARCH_KEEP_MEMBLOCK 1
#define CONFIG_MEMORY_HOTPLUG 1
#define CONFIG_ACPI 1
#define CONFIG_SUSPEND 1
#define CONFIG_KVM_INTEL 1
