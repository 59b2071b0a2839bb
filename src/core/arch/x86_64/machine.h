/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the core needs of x86-64 besides its registers (regs.c) and its
 * system-call numbers (numbers.h). Included as "machine.h" through the
 * architecture's include directory, which meson.build adds.
 */
#ifndef FACET_CORE_ARCH_MACHINE_H
#define FACET_CORE_ARCH_MACHINE_H

#include <asm/unistd.h>
#include <elf.h>

/* The e_machine of the programs a view execs (view/exec.c): those facet's
 * loader, built for this machine, can map. */
#define ARCH_ELF_MACHINE EM_X86_64

/* Bytes below the stack pointer the ABI lets code use without moving it:
 * the supervisor writes into a stopped tracee's stack only past them. */
#define ARCH_STACK_RED_ZONE 128

/* Bytes of the system-call instruction (syscall: 0f 05): seccomp reports
 * the address after it. */
#define ARCH_SYSCALL_INSN_SIZE 2

/* The filter's view of the instruction pointer (struct seccomp_data). */
#define ARCH_AUDIT_ARCH AUDIT_ARCH_X86_64 /* <linux/audit.h> */

/* Stop the calling thread with SIGTRAP without a system call (spawn.c: once
 * the filter is loaded, any call may be trapped before anyone can answer). */
static inline void arch_trap(void)
{
	__asm__ volatile("int3");
}

/* A system call that leaves errno alone: the result, or -errno. For code
 * that runs in the supervisor's memory on a stack of its own (spawn.c's
 * stub, a clone with CLONE_VM), where libc's errno is the supervisor's. */
static inline long arch_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Starts `path` in a child that shares the caller's memory and stack until
 * its execve (CLONE_VM | CLONE_VFORK: the caller waits meanwhile), with
 * `keep_fd` made to survive the exec, as vfork() and exec would, but
 * without libc: the child runs only this asm, which keeps everything in
 * registers, so sharing the stack is safe. `flags` adds to the clone's
 * (CLONE_UNTRACED, CLONE_PARENT; the exit signal). The child's pid, or
 * -errno; a child whose exec fails exits with 127. */
static inline long arch_vfork_exec(unsigned long flags, const char *path, char *const argv[],
				   char *const envp[], int keep_fd)
{
	register long r10 __asm__("r10") = 0, r8 __asm__("r8") = 0;
	register long r12 __asm__("r12") = (long)path, r13 __asm__("r13") = (long)argv;
	register long r14 __asm__("r14") = (long)envp, r15 __asm__("r15") = keep_fd;
	long ret;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov %[fcntl], %%eax\n\t"
			 "mov %%r15, %%rdi\n\t"
			 "mov %[setfd], %%esi\n\t"
			 "xor %%edx, %%edx\n\t"
			 "syscall\n\t"
			 "mov %[execve], %%eax\n\t"
			 "mov %%r12, %%rdi\n\t"
			 "mov %%r13, %%rsi\n\t"
			 "mov %%r14, %%rdx\n\t"
			 "syscall\n\t"
			 "mov %[exit], %%eax\n\t"
			 "mov $127, %%edi\n\t"
			 "syscall\n\t"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)__NR_clone), "D"(flags | 0x100UL /* CLONE_VM */ | 0x4000UL /* CLONE_VFORK */),
			   "S"(0L), "d"(0L), "r"(r10), "r"(r8), "r"(r12), "r"(r13), "r"(r14), "r"(r15),
			   [fcntl] "i"(__NR_fcntl), [setfd] "i"(2 /* F_SETFD */), [execve] "i"(__NR_execve),
			   [exit] "i"(__NR_exit_group)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
