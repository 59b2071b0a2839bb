/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* facet-holder's entry on x86-64: the kernel starts us with %rsp at argc. */
	.text
	.globl	_start
	.hidden	_start
	.type	_start, @function
_start:
	xor	%ebp, %ebp		/* the outermost frame, for unwinders */
	mov	%rsp, %rdi
	and	$-16, %rsp		/* the ABI's alignment at a call */
	call	holder_start		/* never returns */
	hlt
	.size	_start, .-_start
	.section .note.GNU-stack, "", @progbits
