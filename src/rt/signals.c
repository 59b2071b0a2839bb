/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runtime keeps SIGSYS; the program must not see the difference.
 *
 * The kernel delivers a seccomp trap even when SIGSYS is blocked, by
 * resetting it to its default action, which kills the process. So SIGSYS
 * may never be blocked: every call that sets a signal mask (sigprocmask,
 * a handler's sa_mask, sigsuspend, ppoll, pselect6, epoll_pwait) is made
 * with SIGSYS taken out. The program's own SIGSYS disposition is kept
 * here and honoured when a SIGSYS is not the filter's.
 *
 * What remains visible: a mask read back after blocking SIGSYS does not
 * show it blocked, and a SIGSYS the program blocked is delivered at once.
 */
#include <asm/unistd.h>
#include <linux/errno.h>

#include "loader/lib.h"
#include "rt/rt.h"
#include "rt/sys.h"

#define SYS_BIT RT_SIG_BIT(RT_SIGSYS)

/* The program's disposition of SIGSYS. One per process, as the kernel's:
 * threads share it and fork copies it. */
static struct rt_sigaction program_sigsys;

void rt_signals_start(const struct rt_sigaction *before)
{
	/* exec keeps an ignored signal ignored; a handler became SIG_DFL. */
	program_sigsys = (struct rt_sigaction){ .handler = before->handler == RT_SIG_IGN ? RT_SIG_IGN : RT_SIG_DFL };
}

static long sys(long nr, const long a[6])
{
	if (rt_config_forwards(&rt_config, (unsigned long)nr))
		return rt_forward(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return rt_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static long sigaction_call(const long a[6])
{
	if (a[3] != RT_SIGSET_SIZE)
		return -EINVAL;
	struct rt_sigaction act;
	if (a[1])
		memcpy(&act, (const void *)a[1], sizeof(act));
	if (a[0] == RT_SIGSYS) {
		if (a[2])
			memcpy((void *)a[2], &program_sigsys, sizeof(program_sigsys));
		if (a[1])
			program_sigsys = act;
		return 0;
	}
	if (!a[1])
		return sys(__NR_rt_sigaction, a);
	act.mask &= ~SYS_BIT;
	long b[6] = { a[0], (long)&act, a[2], a[3], a[4], a[5] };
	return sys(__NR_rt_sigaction, b);
}

/* The call with its mask argument (index i) stripped of SIGSYS. */
static long masked_call(long nr, const long a[6], unsigned i)
{
	rt_sigset mask;
	long b[6] = { a[0], a[1], a[2], a[3], a[4], a[5] };
	if (a[i]) {
		mask = *(const rt_sigset *)a[i] & ~SYS_BIT;
		b[i] = (long)&mask;
	}
	return sys(nr, b);
}

/* pselect6's last argument: { const sigset_t *ss; size_t ss_len; }. */
static long pselect_call(const long a[6])
{
	if (!a[5])
		return sys(__NR_pselect6, a);
	const unsigned long *data = (const unsigned long *)a[5];
	rt_sigset mask;
	unsigned long copy[2] = { data[0], data[1] };
	if (copy[0]) {
		mask = *(const rt_sigset *)copy[0] & ~SYS_BIT;
		copy[0] = (unsigned long)&mask;
	}
	long b[6] = { a[0], a[1], a[2], a[3], a[4], (long)copy };
	return sys(__NR_pselect6, b);
}

long rt_signal_call(long nr, const long a[6])
{
	switch (nr) {
	case __NR_rt_sigaction:
		return sigaction_call(a);
	case __NR_rt_sigprocmask:
		return a[0] == RT_SIG_UNBLOCK ? sys(nr, a) : masked_call(nr, a, 1);
	case __NR_rt_sigsuspend:
		return masked_call(nr, a, 0);
	case __NR_ppoll:
		return masked_call(nr, a, 3);
	case __NR_pselect6:
		return pselect_call(a);
	default: /* epoll_pwait, epoll_pwait2 */
		return masked_call(nr, a, 4);
	}
}

/* A SIGSYS that is the program's: as the kernel would have delivered it
 * with the program's disposition. */
void rt_program_sigsys(int sig, void *info, void *uc)
{
	struct rt_sigaction act = program_sigsys;
	if (act.handler == RT_SIG_IGN)
		return;
	if (act.handler == RT_SIG_DFL) {
		/* Die of it, core and all, as the program would have. */
		struct rt_sigaction dfl = { .handler = RT_SIG_DFL };
		rt_syscall(__NR_rt_sigaction, RT_SIGSYS, &dfl, 0, RT_SIGSET_SIZE, 0, 0);
		long pid = rt_syscall(__NR_getpid, 0, 0, 0, 0, 0, 0);
		long tid = rt_syscall(__NR_gettid, 0, 0, 0, 0, 0, 0);
		rt_syscall(__NR_tgkill, pid, tid, RT_SIGSYS, 0, 0, 0);
		return;
	}
	if (act.flags & RT_SA_RESETHAND)
		program_sigsys.handler = RT_SIG_DFL;
	rt_sigset block = act.mask & ~SYS_BIT, old;
	rt_syscall(__NR_rt_sigprocmask, RT_SIG_BLOCK, &block, &old, RT_SIGSET_SIZE, 0, 0);
	((void (*)(int, void *, void *))act.handler)(sig, info, uc);
	rt_syscall(__NR_rt_sigprocmask, RT_SIG_SETMASK, &old, 0, RT_SIGSET_SIZE, 0, 0);
}
