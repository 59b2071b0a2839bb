/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runtime's two doors to the kernel on x86-64 (see src/rt/rt.h).
 *
 * rt_forward(nr, a, b, c, d, e, f): the one system-call instruction that
 * the session's filter sends to the supervisor by user notification,
 * whatever the call. The supervisor finds its address by the symbol
 * rt_gate_forward, the instruction itself.
 *
 * rt_pass(nr, a, b, c, d, e, f): a call the program made from a patched
 * site that serves every call (glibc's cancellable-call site) and that
 * the runtime does not answer: the filter treats a call from
 * rt_gate_pass as the program's own, by its number.
 *
 * Every other call the runtime makes is an inline `syscall` in its own
 * code (loader/arch/x86_64/arch.h), which the filter admits by address.
 */
	.text
	.globl	rt_forward
	.hidden	rt_forward
	.type	rt_forward, @function
rt_forward:
	mov	%rdi, %rax		/* SysV arguments to the kernel's convention */
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	.globl	rt_gate_forward
	.type	rt_gate_forward, @object
rt_gate_forward:
	syscall
	ret
	.size	rt_forward, . - rt_forward

	.globl	rt_pass
	.hidden	rt_pass
	.type	rt_pass, @function
rt_pass:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	.globl	rt_gate_pass
	.type	rt_gate_pass, @object
rt_gate_pass:
	syscall
	ret
	.size	rt_pass, . - rt_pass

	.section .note.GNU-stack, "", @progbits
