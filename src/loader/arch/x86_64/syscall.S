/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loader_syscall6(nr, a, b, c, d, e, f) on x86-64 (arch.h): the one system
 * call instruction of facet-loader's image that the filter admits in fast
 * mode. The supervisor finds it by the symbol loader_gate.
 */
	.text
	.globl	loader_syscall6
	.hidden	loader_syscall6
	.type	loader_syscall6, @function
loader_syscall6:
	mov	%rdi, %rax		/* SysV arguments to the kernel's convention */
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	.globl	loader_gate
	.type	loader_gate, @object
loader_gate:
	syscall
	ret
	.size	loader_syscall6, . - loader_syscall6

	.section .note.GNU-stack, "", @progbits
