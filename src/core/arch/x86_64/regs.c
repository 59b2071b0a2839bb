/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64 register conventions for changing a call at a ptrace stop.
 *
 * Registers go through PTRACE_GETREGSET/SETREGSET with NT_PRSTATUS, the
 * interface every architecture has (aarch64 has no PTRACE_GETREGS or
 * PEEKUSER offsets), so that another architecture's regs.c differs only in
 * register names.
 */
#include <elf.h>
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "core/regs.h"

/* The registers of the task last read or written at its current stop:
 * handling one stop reads them several times (an exec's call reads the
 * stack pointer for each string it writes, then sets the arguments; the
 * exec event reads the entry, then sets the plan's register), and a
 * stopped task's registers change only through these functions. */
static struct {
	pid_t tid; /* 0: none */
	struct user_regs_struct r;
} cached;

void regs_forget(void)
{
	cached.tid = 0;
}

static int get_regs(pid_t tid, struct user_regs_struct *r)
{
	if (tid > 0 && cached.tid == tid) {
		*r = cached.r;
		return 0;
	}
	struct iovec iov = { .iov_base = r, .iov_len = sizeof(*r) };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -errno;
	/* The kernel shortens iov_len to what it wrote: a 32-bit tracee's set
	 * would not be this struct. */
	if (iov.iov_len != sizeof(*r))
		return -EIO;
	cached.tid = tid;
	cached.r = *r;
	return 0;
}

static int set_regs(pid_t tid, struct user_regs_struct *r)
{
	struct iovec iov = { .iov_base = r, .iov_len = sizeof(*r) };
	if (ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0) {
		cached.tid = 0; /* whatever the kernel kept */
		return -errno;
	}
	cached.tid = tid;
	cached.r = *r;
	return 0;
}

int regs_skip_syscall(pid_t tid, int64_t retval)
{
	struct user_regs_struct r;
	int err = get_regs(tid, &r);
	if (err < 0)
		return err;
	r.orig_rax = (unsigned long long)-1; /* the kernel skips number -1 and keeps rax */
	r.rax = (unsigned long long)retval;
	return set_regs(tid, &r);
}

int regs_set_args(pid_t tid, const uint64_t args[6])
{
	struct user_regs_struct r;
	int err = get_regs(tid, &r);
	if (err < 0)
		return err;
	r.rdi = args[0];
	r.rsi = args[1];
	r.rdx = args[2];
	r.r10 = args[3];
	r.r8 = args[4];
	r.r9 = args[5];
	return set_regs(tid, &r);
}

int regs_syscall_state(pid_t tid, long *nr, int64_t *ret)
{
	struct user_regs_struct r;
	int err = get_regs(tid, &r);
	if (err < 0)
		return err;
	*nr = (long)r.orig_rax;
	*ret = (int64_t)r.rax;
	return 0;
}

int regs_stack_pointer(pid_t tid, uint64_t *sp)
{
	struct user_regs_struct r;
	int err = get_regs(tid, &r);
	if (err < 0)
		return err;
	*sp = r.rsp;
	return 0;
}

int regs_ip(pid_t tid, uint64_t *ip)
{
	struct user_regs_struct r;
	int err = get_regs(tid, &r);
	if (err < 0)
		return err;
	*ip = r.rip;
	return 0;
}

int regs_set_ip(pid_t tid, uint64_t ip)
{
	struct user_regs_struct r;
	int err = get_regs(tid, &r);
	if (err < 0)
		return err;
	r.rip = ip;
	return set_regs(tid, &r);
}

int regs_entry(pid_t tid, uint64_t *ip)
{
	return regs_ip(tid, ip);
}

int regs_set_entry_arg(pid_t tid, uint64_t value)
{
	struct user_regs_struct r;
	int err = get_regs(tid, &r);
	if (err < 0)
		return err;
	r.rdi = value; /* the first argument register: src/loader/arch/x86_64/start.S */
	return set_regs(tid, &r);
}

int regs_set_return(pid_t tid, int64_t value)
{
	struct user_regs_struct r;
	int err = get_regs(tid, &r);
	if (err < 0)
		return err;
	r.rax = (unsigned long long)value;
	return set_regs(tid, &r);
}
