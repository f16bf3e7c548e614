/* SPDX-License-Identifier: MIT */
/*
 * fiber_switch(void **save_sp, void *load_sp): TD entry and exit as a
 * plain stack switch. Saves the System V callee-saved registers, MXCSR
 * and the x87 control word on the current stack, parks its stack pointer
 * in *save_sp, and resumes the stack at load_sp the same way. Everything
 * else is caller-saved, so a C call is all the compiler expects.
 */
	.text
	.globl	fiber_switch
	.type	fiber_switch, @function
fiber_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	fiber_switch, .-fiber_switch

/* First entry of a fresh fiber: fiber_switch "returns" here with the
 * entry function in r12 and its argument in r13. The function never
 * returns (a finished fiber switches away for good). */
	.globl	fiber_trampoline
	.type	fiber_trampoline, @function
fiber_trampoline:
	movq	%r13, %rdi
	callq	*%r12
	ud2
	.size	fiber_trampoline, .-fiber_trampoline

	.section .note.GNU-stack,"",@progbits
