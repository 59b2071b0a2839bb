/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SYSCALL6 name, insn: a function name(nr, a, b, c, d, e, f) that makes
 * the call with one system-call instruction of its own, labelled insn,
 * and returns the kernel's result. The filter tells facet-loader's
 * instructions apart by address: loader_gate (syscall.S) is admitted,
 * rt_gate_forward goes to the supervisor, rt_gate_pass is the program's
 * (src/rt/arch/x86_64/gate.S). For assembly sources only.
 */
.macro SYSCALL6 name, insn
	.globl	\name
	.hidden	\name
	.type	\name, @function
\name:
	mov	%rdi, %rax		/* SysV arguments to the kernel's convention */
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	.globl	\insn
	.type	\insn, @object
\insn:
	syscall
	ret
	.size	\name, . - \name
.endm
