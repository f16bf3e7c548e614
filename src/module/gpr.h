/* SPDX-License-Identifier: MIT */
#ifndef TDXSIM_MODULE_GPR_H
#define TDXSIM_MODULE_GPR_H

/* GPR image, indexed by operand ID (RAX=0 … R15=15, abi §2.3): the order
 * of SEAMCALL and TDCALL register files alike. */
enum gpr {
	RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
	R8 = 8, R9, R10, R11, R12, R13, R14, R15, NR_GPRS
};

#endif
