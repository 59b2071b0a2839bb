/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The loader's entry on x86-64. The kernel starts us with %rsp at argc and
 * every other register zero; the supervisor has put the load plan's
 * address in %rdi at the exec stop. loader_main(plan, sp) maps everything
 * and returns the address to jump to; we then hand the program the stack
 * exactly as the kernel left it, and the registers as the kernel leaves
 * them for a new program: all zero (%rdx = 0 means no function for
 * atexit), flags = IF only.
 */
	.text
	.globl	_start
	.hidden	_start
	.type	_start, @function
_start:
	xor	%ebp, %ebp		/* the outermost frame, for unwinders */
	mov	%rsp, %rbx		/* callee-saved: the stack to hand over */
	mov	%rsp, %rsi		/* %rdi already holds the plan */
	and	$-16, %rsp		/* the ABI's alignment at a call */
	call	loader_main		/* returns the entry point in %rax */

	mov	%rbx, %rsp
	push	%rax			/* below the program's stack: free space */
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	pushq	$0x202			/* IF and the always-set bit 1, as after exec */
	popfq
	ret				/* to the entry, %rsp back at argc */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
