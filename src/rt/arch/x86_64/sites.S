/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Patched call sites on x86-64 (rt.h): the jump table, one trampoline per
 * site, and their common entry.
 *
 * A patched site is `ff 24 25 <RT_SITE_TABLE + 8k>`: jmp *table[k]. It
 * arrives at trampoline k with the program's registers as they were at
 * its syscall instruction, except %rax: the instruction that set it is
 * gone, and rt_sites[k].nr says what it was (RT_SITE_FROM_STACK: a load
 * from the stack pointer plus the low byte; RT_SITE_NR_IN_RAX: %rax holds
 * the number, and the gone instruction was a mov of rt_sites[k].imm into
 * the register the low 3 bits name, which the trampoline makes;
 * RT_SITE_R9_FROM_STACK: %rax holds the number, and the gone instruction
 * loaded %r9 from the stack pointer plus the low byte;
 * RT_SITE_GO_SYSCALL6: %rax holds the number, and the gone instructions
 * were mov %rcx,%rsi; mov %rbx,%rdi, made before %rcx is used; else the
 * number). Like the
 * syscall instruction, the trampolines may change %rax (the result), %rcx,
 * %r11 and the flags, and nothing else: not the program's stack, which
 * may be a small one (a goroutine's), a new one (clone), or one whose
 * red zone holds live data.
 */
#define MAX_SITES 4096		/* RT_MAX_SITES */
#define RT_PASS (-100003)	/* rt/lookup.h: make the call as the program's */
#define STACKS 64		/* one bit each in rt_stack_bits */
#define STACK_SHIFT 15		/* 32 KiB each */
#define RT_ANSWER_NRS 512	/* rt.h */

	.section .facet_sites, "a"	/* linked at RT_SITE_TABLE */
	.globl	rt_site_table
	.type	rt_site_table, @object
rt_site_table:
	.set	i, 0
	.rept	MAX_SITES
	.quad	rt_trampolines + 16 * i
	.set	i, i + 1
	.endr
	.size	rt_site_table, . - rt_site_table

	.text
	.balign	16
rt_trampolines:
	.set	i, 0
	.rept	MAX_SITES
	mov	$i, %r11d
	jmp	rt_site_entry
	.balign	16
	.set	i, i + 1
	.endr

/* %r11 = k. Loads the call's number into %rax, takes a free stack (a
 * bit of rt_stack_bits), saves the program's %rsp, 2k, the number and the
 * argument registers there, calls rt_site_call(nr, args), restores, and
 * returns to rt_sites[k].ret. A call the runtime passes on (RT_PASS) is
 * made after the stack is given back, from the program's own stack, as
 * the program would: an exec that succeeds never returns to give it back
 * (from a vfork's child, the parent's), and a signal that comes meanwhile
 * finds the program's stack. */
	/* With the runtime's other hot code (src/util/hot.h). */
	.section .text.hot.rt_site_entry, "ax", @progbits
	.type	rt_site_entry, @function
rt_site_entry:
	add	%r11, %r11		/* 2k: rt_sites[k] is at rt_sites + 8 * %r11 (16 bytes) */
	testb	$0x10, rt_sites + 11(,%r11,8)	/* .nr's RT_SITE_GO_SYSCALL6 */
	jnz	.Lgo_syscall6
	mov	rt_sites + 8(,%r11,8), %ecx	/* .nr */
	bt	$30, %ecx		/* RT_SITE_NR_IN_RAX */
	jc	.Lmov_imm
	bt	$31, %ecx		/* RT_SITE_FROM_STACK */
	jc	.Lfrom_stack
	bt	$29, %ecx		/* RT_SITE_R9_FROM_STACK */
	jc	.Lr9_from_stack
	mov	%ecx, %eax
	jmp	4f
.Lfrom_stack:
	movzbl	%cl, %ecx
	mov	(%rsp,%rcx), %rax
	jmp	4f
.Lr9_from_stack:
	movzbl	%cl, %ecx
	mov	(%rsp,%rcx), %r9
	jmp	4f
.Lgo_syscall6:
	mov	%rcx, %rsi
	mov	%rbx, %rdi
	jmp	4f
.Lmov_imm:				/* mov $imm32,%reg zero-extends, as this does */
	and	$7, %ecx
	cmp	$6, %ecx		/* the movs below keep the flags */
	mov	rt_sites + 12(,%r11,8), %ecx	/* .imm */
	je	2f
	jb	3f
	mov	%ecx, %edi		/* 7 */
	jmp	4f
2:	mov	%ecx, %esi		/* 6 */
	jmp	4f
3:	mov	%ecx, %edx		/* 2 */
	/* A call the runtime never answers (a close from glibc's site for
	 * every cancellable call): the program's own at once, without a
	 * stack of the runtime's (rt_answer_bits, start.c). */
4:	cmp	$RT_ANSWER_NRS, %rax
	jae	.Lno_stack
	bt	%rax, rt_answer_bits(%rip)
	jnc	.Lno_stack
1:	mov	rt_stack_bits(%rip), %rcx
	not	%rcx
	bsf	%rcx, %rcx
	jz	.Lno_stack		/* all in use (or lost to a longjmp) */
	lock bts %rcx, rt_stack_bits(%rip)
	jc	1b			/* another thread took it first */
	shl	$STACK_SHIFT, %rcx
	lea	rt_stacks + (1 << STACK_SHIFT)(%rcx), %rcx	/* the top of that stack */
	mov	%rsp, -8(%rcx)
	mov	%r11, -16(%rcx)
	mov	%rax, -24(%rcx)
	lea	-24(%rcx), %rsp
	push	%r9
	push	%r8
	push	%r10
	push	%rdx
	push	%rsi
	push	%rdi			/* args[0..5] at %rsp */
	mov	%rax, %rdi
	mov	%rsp, %rsi
	sub	$8, %rsp		/* 16-byte aligned at the call */
	cld
	call	rt_site_call
	add	$8, %rsp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%r10
	pop	%r8
	pop	%r9
	cmp	$RT_PASS, %rax
	je	.Lpass
	add	$8, %rsp		/* the number */
	pop	%r11			/* 2k */
	mov	rt_sites(,%r11,8), %rcx	/* .ret */
	lea	8(%rsp), %r11		/* the top of this stack gives its bit */
	sub	$rt_stacks, %r11
	shr	$STACK_SHIFT, %r11
	dec	%r11
	pop	%rsp			/* the program's stack again */
	lock btr %r11, rt_stack_bits(%rip)
	jmp	*%rcx

.Lpass:
	pop	%rax			/* the number */
	pop	%r11			/* 2k */
	mov	rt_sites(,%r11,8), %rcx	/* .ret */
	lea	8(%rsp), %r11
	sub	$rt_stacks, %r11
	shr	$STACK_SHIFT, %r11
	dec	%r11
	pop	%rsp
	lock btr %r11, rt_stack_bits(%rip)
	lea	-128(%rsp), %rsp
	push	%rcx
	call	rt_gate_pass		/* syscall; ret */
	ret	$128

/* No stack free, or a call the runtime never answers: the call as the
 * program's own, from below its red zone, as a signal frame would be:
 * the site's return address, then the gate's. */
.Lno_stack:
	lea	-128(%rsp), %rsp
	pushq	rt_sites(,%r11,8)
	call	rt_gate_pass		/* syscall; ret */
	ret	$128
	.size	rt_site_entry, . - rt_site_entry

	.bss
	.balign	4096
rt_stacks:
	.zero	STACKS << STACK_SHIFT

	.section .note.GNU-stack, "", @progbits
