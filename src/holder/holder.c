/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * facet-holder: the process of the tree's Landlock domain whose fd N is,
 * when the view names it, the supervisor's fd N (core/view/holder.c says
 * why it exists and what it guards against).
 *
 * A program of its own, freestanding like facet-loader, which the
 * command's stub starts with vfork and exec once it is confined: it shares
 * nothing of facet's memory, so starting it copies none of facet's page
 * tables, facet takes no fault afterwards on the pages a fork would have
 * shared, and its end frees a few pages (a fork of facet here took some
 * 3.7 ms of each start in a view on a VM where faults are dear).
 *
 * Its filter kills it on any call but the few below: a process of the
 * tree that takes hold of it (ptrace, process_vm_writev and pidfd_getfd
 * are allowed within a Landlock domain) can make it do nothing else, and
 * finds in it only its socket and the fds the view has named to the tree.
 *
 * A task with credentials of its own follows /proc/PID/fd only of a
 * process with its fsuid and fsgid (core/view/proxy.c): the holder makes
 * those proxies on request, children with the task's ids that share its
 * fd table (CLONE_FILES) and wait.
 */
#include <linux/audit.h>
#include <linux/errno.h>
#include <linux/filter.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "holder/protocol.h"
#include "machine.h" /* src/core/arch/<arch>/: arch_syscall6(), ARCH_AUDIT_ARCH */

#define sys(nr, a, b, c) arch_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* What the holder and its proxies may do: receive, place and answer;
 * make a proxy, which takes its ids and waits. Anything else kills them. */
static const long holder_calls[] = {
	SYS_recvmsg, SYS_write, SYS_dup3, SYS_close, SYS_clone, SYS_setgroups, SYS_setresgid,
	SYS_setresuid, SYS_prctl, SYS_getpid, SYS_ppoll, SYS_exit, SYS_exit_group,
};
#define NCALLS (sizeof(holder_calls) / sizeof(holder_calls[0]))

static __attribute__((noreturn)) void holder_exit(void)
{
	for (;;)
		sys(SYS_exit_group, 1, 0, 0);
}

static void answer(int sock, uint32_t seq, int32_t value)
{
	struct holder_answer a = { seq, value };
	sys(SYS_write, sock, &a, sizeof(a));
}

/* arch (else kill); nr; one jump per call allowed; kill; allow */
static long load_filter(void)
{
	struct sock_filter f[4 + NCALLS + 2];
	unsigned n = 0, allow = 4 + NCALLS + 1;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_AUDIT_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (unsigned i = 0; i < NCALLS; i++, n++)
		f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)holder_calls[i],
						    (uint8_t)(allow - n - 1), 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };
	return sys(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* A proxy: the holder's fd table, the task's ids; waits until killed. */
static __attribute__((noreturn)) void proxy_body(int sock, const struct holder_msg *m)
{
	uint32_t uid = m->uid, gid = m->gid;
	long r;
	if ((r = sys(SYS_setgroups, 0, 0, 0)) < 0 || (r = sys(SYS_setresgid, gid, gid, gid)) < 0 ||
	    (r = sys(SYS_setresuid, uid, uid, uid)) < 0) {
		answer(sock, m->seq, (int32_t)r);
		holder_exit();
	}
	/* After the ids: changing them resets both. */
	sys(SYS_prctl, PR_SET_DUMPABLE, 1, 0);
	sys(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0);
	answer(sock, m->seq, (int32_t)sys(SYS_getpid, 0, 0, 0));
	for (;;)
		arch_syscall6(SYS_ppoll, 0, 0, 0, 0, 0, 0); /* every signal is blocked */
}

static int32_t place(const struct holder_msg *m, struct msghdr *mh)
{
	struct cmsghdr *c = CMSG_FIRSTHDR(mh);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EINVAL;
	int fd = *(const int *)CMSG_DATA(c);
	if (fd == m->fd)
		return 0;
	int32_t r = (int32_t)sys(SYS_dup3, fd, m->fd, 0);
	sys(SYS_close, fd, 0, 0);
	return r < 0 ? r : 0;
}

static long decimal(const char *s)
{
	long v = 0;
	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 0x7fffffff / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

void holder_start(uint64_t *sp) __attribute__((noreturn));
void holder_start(uint64_t *sp)
{
	uint64_t all = ~(uint64_t)0;
	arch_syscall6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, 0, sizeof(all), 0, 0);
	sys(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0);
	char **argv = (char **)(sp + 1);
	long supervisor = sp[0] == HOLDER_ARGC ? decimal(argv[1]) : -1;
	long sock = sp[0] == HOLDER_ARGC ? decimal(argv[2]) : -1;
	/* Started by a supervisor that is still there (else PDEATHSIG came
	 * too late), not by hand. */
	if (supervisor <= 0 || sock < 0 || sys(SYS_getppid, 0, 0, 0) != supervisor) {
		static const char msg[] = "facet-holder: started by facet in a view, not by hand\n";
		sys(SYS_write, 2, msg, sizeof(msg) - 1);
		holder_exit();
	}
	/* Nothing of the stub's: only what the supervisor sends. */
	if (sock > 0)
		sys(SYS_close_range, 0, sock - 1, 0);
	sys(SYS_close_range, sock + 1, ~0U, 0);
	long r = load_filter();
	if (r < 0) {
		answer((int)sock, 0, (int32_t)r);
		holder_exit();
	}
	answer((int)sock, 0, 0);
	for (;;) {
		struct holder_msg m;
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		struct iovec io = { &m, sizeof(m) };
		struct msghdr mh = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = control.buf,
				     .msg_controllen = sizeof(control.buf) };
		long n = sys(SYS_recvmsg, sock, &mh, MSG_CMSG_CLOEXEC);
		if (n == 0 || (n < 0 && n != -EINTR))
			holder_exit(); /* the supervisor is gone */
		if (n != sizeof(m))
			continue;
		if (m.op == HOLDER_PLACE) {
			answer((int)sock, m.seq, place(&m, &mh));
		} else if (m.op == HOLDER_PROXY) {
			long pid = sys(SYS_clone, CLONE_FILES | CLONE_UNTRACED | CLONE_PARENT | SIGCHLD, 0, 0);
			if (pid == 0)
				proxy_body((int)sock, &m);
			if (pid < 0)
				answer((int)sock, m.seq, (int32_t)pid); /* else the proxy answers */
		}
	}
}
