/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64 for the runtime: the signal frame's register block as the kernel
 * lays it out (struct ucontext with struct sigcontext, <asm/sigcontext.h>),
 * and where a system call's number, arguments and result live in it.
 * Defined here rather than taken from the kernel's headers, which clash
 * with one another without a libc.
 */
#ifndef FACET_RT_CONTEXT_H
#define FACET_RT_CONTEXT_H

#include <stdint.h>

struct rt_mcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};

struct rt_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct { uint64_t ss_sp; int32_t ss_flags; int32_t pad; uint64_t ss_size; } uc_stack;
	struct rt_mcontext mc;
	uint64_t uc_sigmask;
};

_Static_assert(__builtin_offsetof(struct rt_ucontext, mc) == 40, "struct ucontext");
_Static_assert(__builtin_offsetof(struct rt_ucontext, uc_sigmask) == 296, "struct ucontext");

/* The six arguments of the call that trapped. */
static inline void rt_context_args(const struct rt_ucontext *uc, long a[6])
{
	a[0] = (long)uc->mc.rdi;
	a[1] = (long)uc->mc.rsi;
	a[2] = (long)uc->mc.rdx;
	a[3] = (long)uc->mc.r10;
	a[4] = (long)uc->mc.r8;
	a[5] = (long)uc->mc.r9;
}

static inline void rt_context_set_result(struct rt_ucontext *uc, long r)
{
	uc->mc.rax = (uint64_t)r;
}

#endif
