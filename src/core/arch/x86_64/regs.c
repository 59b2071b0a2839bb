/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86-64 register conventions for changing a call at a ptrace stop. */
#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "core/regs.h"

int regs_skip_syscall(pid_t tid, int64_t retval)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return -errno;
	r.orig_rax = (unsigned long long)-1; /* the kernel skips number -1 and keeps rax */
	r.rax = (unsigned long long)retval;
	return ptrace(PTRACE_SETREGS, tid, 0, &r) < 0 ? -errno : 0;
}

int regs_set_args(pid_t tid, const uint64_t args[6])
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return -errno;
	r.rdi = args[0];
	r.rsi = args[1];
	r.rdx = args[2];
	r.r10 = args[3];
	r.r8 = args[4];
	r.r9 = args[5];
	return ptrace(PTRACE_SETREGS, tid, 0, &r) < 0 ? -errno : 0;
}

int regs_syscall_state(pid_t tid, long *nr, int64_t *ret)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return -errno;
	*nr = (long)r.orig_rax;
	*ret = (int64_t)r.rax;
	return 0;
}

int regs_set_return(pid_t tid, int64_t value)
{
	return ptrace(PTRACE_POKEUSER, tid, offsetof(struct user_regs_struct, rax), value) < 0 ? -errno : 0;
}

int regs_stack_pointer(pid_t tid, uint64_t *sp)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, offsetof(struct user_regs_struct, rsp), 0);
	if (errno)
		return -errno;
	*sp = (uint64_t)v;
	return 0;
}
