/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The holder: where the tree's names for the supervisor's fds lead under
 * Landlock.
 *
 * The view names objects to the tree's kernel as /proc/PID/fd/N (an open
 * on the ptrace route, chdir, bind and connect, the loader's program and
 * interpreter), N being the supervisor's O_PATH fd of exactly the object
 * it resolved and checked. Landlock lets a confined process follow the
 * /proc links of processes of its own domain only, so under Landlock these
 * names cannot lead through the supervisor, which stays unconfined.
 * Instead the command's stub, once confined and before its seccomp filter,
 * starts the holder: a process of the tree's domain whose fd N is, when
 * the view names it, the supervisor's fd N.
 *
 *   stub                                   holder (raw system calls only: a
 *                                          clone of the stub, without libc's fork)
 *   landlock_restrict_self
 *   clone(CLONE_PARENT|CLONE_UNTRACED) ──► closes every fd but its end of a
 *   loads the tree's filter, traps         socket pair; loads a filter of
 *                                          its own; says it is ready
 *   supervisor: view_fd_name() sends fd N over the socket (SCM_RIGHTS: the
 *   one way to pass an O_PATH fd; seccomp's ADDFD refuses them), the
 *   holder puts it at N (dup3) and answers, the supervisor checks that
 *   the holder's fd N is its object; the name is /proc/<holder>/fd/N.
 *
 * Its filter kills it on any call but those few: a process of the tree
 * that takes hold of it (ptrace, process_vm_writev and pidfd_getfd are
 * allowed within a Landlock domain, and Yama may not forbid them) can make
 * it do nothing else, and finds in it only its socket and fds of objects
 * the view has named to the tree. What it can still do is put another of
 * those at N between the supervisor's check and its own use of the name:
 * Landlock bounds that to the view's mounts, but a read-only mount inside
 * a writable one is then read-only no more (README, "Modes, and what a
 * view guarantees").
 *
 * A task with credentials of its own (facet run as root, the command
 * dropping privileges) follows /proc/PID/fd only of a process with its
 * fsuid and fsgid (proxy.c). Under Landlock the holder makes those
 * proxies on request: children with the task's ids that share its fd
 * table (CLONE_FILES) and wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <linux/sched.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/seccomp_compat.h"
#include "core/view/view.h"
#include "machine.h" /* src/core/arch/<arch>/: arch_syscall6() */

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif

/* What the holder and its proxies may do: receive, place and answer;
 * make a proxy, which takes its ids and waits. Anything else kills them. */
static const long holder_calls[] = {
	SYS_recvmsg, SYS_write, SYS_dup3, SYS_close, SYS_clone, SYS_setgroups, SYS_setresgid,
	SYS_setresuid, SYS_prctl, SYS_getpid, SYS_ppoll, SYS_exit, SYS_exit_group,
};

#define HOLDER_ANSWER_MS 5000 /* the holder answers at once, unless stopped or dead */

/* A request; HOLDER_PLACE comes with one fd (SCM_RIGHTS). The answer
 * carries its request's number, so that an answer that comes too late is
 * never taken for the next one's; its value is 0, a proxy's pid, or
 * -errno. The holder's first answer, number 0, unasked, says it is ready. */
enum holder_op { HOLDER_PLACE = 1, HOLDER_PROXY };
struct holder_msg {
	uint32_t seq;
	int32_t op;
	int32_t fd;                        /* HOLDER_PLACE: the number to put it at */
	uint32_t uid, gid;                 /* HOLDER_PROXY: the proxy's ids */
};
struct holder_answer {
	uint32_t seq;
	int32_t value;
};

/* ---------------------------------------------------------------------- */
/* The holder and its proxies: a copy of the stub, raw system calls only.  */

static __attribute__((noreturn)) void holder_exit(void)
{
	for (;;)
		syscall(SYS_exit_group, 1);
}

static void answer(int sock, uint32_t seq, int32_t value)
{
	struct holder_answer a = { seq, value };
	syscall(SYS_write, sock, &a, sizeof(a));
}

/* A proxy: the holder's fd table, the task's ids; waits until killed. */
static __attribute__((noreturn)) void proxy_body(int sock, const struct holder_msg *m)
{
	uint32_t uid = m->uid, gid = m->gid;
	if (syscall(SYS_setgroups, 0, NULL) < 0 || syscall(SYS_setresgid, gid, gid, gid) < 0 ||
	    syscall(SYS_setresuid, uid, uid, uid) < 0) {
		answer(sock, m->seq, -errno);
		holder_exit();
	}
	/* After the ids: changing them resets both. */
	syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	answer(sock, m->seq, (int32_t)syscall(SYS_getpid));
	for (;;)
		syscall(SYS_ppoll, NULL, 0, NULL, NULL, 0); /* every signal is blocked */
}

static int32_t place(const struct holder_msg *m, struct msghdr *mh)
{
	struct cmsghdr *c = CMSG_FIRSTHDR(mh);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EINVAL;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	if (fd == m->fd)
		return 0;
	int32_t r = syscall(SYS_dup3, fd, m->fd, 0) < 0 ? -errno : 0;
	syscall(SYS_close, fd);
	return r;
}

static __attribute__((noreturn)) void holder_main(const struct view_state *vs, int sock)
{
	uint64_t all = ~(uint64_t)0;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, sizeof(all));
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (syscall(SYS_getppid) != vs->self)
		holder_exit();
	/* Nothing of the stub's: only what the supervisor sends. */
	if (sock > 0)
		syscall(SYS_close_range, 0, sock - 1, 0);
	syscall(SYS_close_range, sock + 1, ~0U, 0);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &vs->holder.prog) < 0) {
		answer(sock, 0, -errno);
		holder_exit();
	}
	answer(sock, 0, 0);
	for (;;) {
		struct holder_msg m;
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		struct iovec io = { &m, sizeof(m) };
		struct msghdr mh = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = control.buf,
				     .msg_controllen = sizeof(control.buf) };
		long n = syscall(SYS_recvmsg, sock, &mh, MSG_CMSG_CLOEXEC);
		if (n == 0 || (n < 0 && errno != EINTR))
			holder_exit(); /* the supervisor is gone */
		if (n != sizeof(m))
			continue;
		if (m.op == HOLDER_PLACE) {
			answer(sock, m.seq, place(&m, &mh));
		} else if (m.op == HOLDER_PROXY) {
			long pid = syscall(SYS_clone, CLONE_FILES | CLONE_UNTRACED | CLONE_PARENT | SIGCHLD, 0, NULL,
					   NULL, 0);
			if (pid == 0)
				proxy_body(sock, &m);
			if (pid < 0)
				answer(sock, m.seq, -errno); /* else the proxy answers */
		}
	}
}

/* In the stub, which shares the supervisor's memory: raw calls, no errno
 * (spawn.c). The holder is a copy. */
int view_holder_start(const struct view_state *vs, pid_t *holder)
{
	*holder = 0;
	long r = arch_syscall6(SYS_landlock_restrict_self, vs->landlock.ruleset_fd, 0, 0, 0, 0, 0);
	if (r < 0)
		return (int)r;
	long pid = arch_syscall6(SYS_clone, CLONE_UNTRACED | CLONE_PARENT | SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0)
		holder_main(vs, vs->holder.sock[1]);
	if (pid < 0)
		return (int)pid;
	*holder = (pid_t)pid;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The supervisor's side.                                                  */

int view_holder_prepare(struct facet_session *s)
{
	struct view_holder *h = &s->vs->holder;
	if (s->vs->landlock.abi <= 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, h->sock) < 0)
		return session_fail(s, -errno, "a socket pair for the view's fd holder");
	/* arch (else kill); nr; one jump per call allowed; kill; allow */
	struct sock_filter *f = h->insns;
	unsigned n = 0, ncalls = sizeof(holder_calls) / sizeof(holder_calls[0]);
	unsigned allow = 4 + ncalls + 1;
	_Static_assert(sizeof(h->insns) / sizeof(h->insns[0]) >= 4 + sizeof(holder_calls) / sizeof(long) + 2,
		       "room for the holder's filter");
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, seccomp_arch_native(), 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (unsigned i = 0; i < ncalls; i++, n++)
		f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)holder_calls[i],
						    (uint8_t)(allow - n - 1), 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	h->prog.len = (unsigned short)n;
	h->prog.filter = h->insns;
	return 0;
}

/* The answer to request `seq` (the holder's or a new proxy's), within
 * HOLDER_ANSWER_MS; answers to earlier requests, which came too late, are
 * dropped. */
static int32_t receive(struct view_holder *h, uint32_t seq)
{
	struct pollfd pfd[2] = { { .fd = h->sock[0], .events = POLLIN }, { .fd = h->pidfd, .events = POLLIN } };
	for (;;) {
		int r;
		while ((r = poll(pfd, 2, HOLDER_ANSWER_MS)) < 0 && errno == EINTR)
			;
		if (r <= 0)
			return r < 0 ? -errno : -ETIMEDOUT;
		if (!(pfd[0].revents & POLLIN))
			return -ESRCH; /* it died */
		struct holder_answer a;
		ssize_t n = recv(h->sock[0], &a, sizeof(a), 0);
		if (n < 0)
			return -errno;
		if (n == sizeof(a) && a.seq == seq)
			return a.value;
	}
}

static int32_t request(struct view_holder *h, const struct holder_msg *m, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec io = { (void *)m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &io, .msg_iovlen = 1 };
	if (fd >= 0) {
		mh.msg_control = control.buf;
		mh.msg_controllen = sizeof(control.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	}
	if (sendmsg(h->sock[0], &mh, MSG_NOSIGNAL) < 0)
		return -errno;
	return receive(h, m->seq);
}

int view_holder_attach(struct facet_session *s, pid_t pid)
{
	struct view_holder *h = &s->vs->holder;
	h->procs[0] = (struct view_holder_proc){ .pid = pid };
	h->nprocs = 1;
	/* The supervisor keeps its copy of the holder's end: so the number is
	 * never one of the fds it asks the holder to place. */
	h->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (h->pidfd < 0)
		return -errno;
	int32_t r = receive(h, 0);
	if (r < 0)
		return r;
	h->ready = true;
	return 0;
}

/* A proxy with these ids, made by the holder: its index, or -errno. */
static int holder_proxy(struct view_holder *h, uid_t uid, gid_t gid)
{
	for (unsigned i = 1; i < h->nprocs; i++)
		if (h->procs[i].uid == uid && h->procs[i].gid == gid)
			return (int)i;
	if (h->nprocs == sizeof(h->procs) / sizeof(h->procs[0]))
		return -ENOSPC;
	struct holder_msg m = { .seq = ++h->seq, .op = HOLDER_PROXY, .uid = uid, .gid = gid };
	int32_t pid = request(h, &m, -1);
	if (pid <= 0)
		return pid < 0 ? pid : -EPROTO;
	h->procs[h->nprocs] = (struct view_holder_proc){ pid, uid, gid };
	return (int)h->nprocs++;
}

/* Whether fd `fd` of process i (which shares the holder's fd table) is the
 * supervisor's: an answer is not taken on trust (a process of the tree may
 * have taken the holder's socket). Through process i, because the
 * supervisor may be wearing a task's credentials, with which it can
 * follow i's links only. */
static bool placed(struct view_holder *h, int i, int fd)
{
	char proc[64];
	struct stat a, b;
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)h->procs[i].pid, fd);
	return stat(proc, &a) == 0 && fstat(fd, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool view_fds_same_name(pid_t pa, int fa, pid_t pb, int fb)
{
	char a[64], b[64], na[PATH_MAX], nb[PATH_MAX];
	snprintf(a, sizeof(a), "/proc/%d/fd/%d", (int)pa, fa);
	snprintf(b, sizeof(b), "/proc/%d/fd/%d", (int)pb, fb);
	ssize_t la = readlink(a, na, sizeof(na)), lb = readlink(b, nb, sizeof(nb));
	return la > 0 && la == lb && !memcmp(na, nb, (size_t)la);
}

/* Whether the holder's fd N and the supervisor's name the object by the
 * same path: a hard link elsewhere, or the same file through another
 * mount, is the same inode but not what Landlock and the view check. */
static bool same_name(const struct view_state *vs, int i, int fd)
{
	return view_fds_same_name(vs->holder.procs[i].pid, fd, vs->self, fd);
}

/* Whether process i holds at fd the supervisor's very open file (which
 * it was sent): 1, 0, or -1 where kcmp cannot say (a kernel without
 * CONFIG_CHECKPOINT_RESTORE). One call, where placed() and same_name()
 * take four; the same open file has the same object and path. */
static int same_file(const struct view_state *vs, int i, int fd)
{
	long r = syscall(SYS_kcmp, (pid_t)vs->self, (pid_t)vs->holder.procs[i].pid, KCMP_FILE, fd, fd);
	return r == 0 ? 1 : r > 0 || errno == EBADF ? 0 : -1;
}

pid_t view_holder_name(struct facet_task *t, int fd)
{
	struct view_state *vs = t->session->vs;
	struct view_holder *h = &vs->holder;
	const struct creds *c = creds_of(t);
	int i = 0;
	if (c) {
		uid_t uid;
		gid_t gid;
		creds_fs_ids(c, &uid, &gid);
		i = holder_proxy(h, uid, gid);
	}
	if (i < 0)
		return vs->self;
	/* The holder may have it at fd already, the very file (kcmp) or
	 * another open of the same object by the same name (an object opened
	 * again at the same number): then no request (a round trip to
	 * another process) is needed. */
	int same = same_file(vs, i, fd);
	if (same > 0)
		return h->procs[i].pid;
	struct stat st;
	struct view_holder_placed *p = NULL;
	bool known = fstat(fd, &st) == 0;
	if (known)
		for (unsigned k = 0; k < sizeof(h->placed) / sizeof(h->placed[0]); k++)
			if (h->placed[k].fd == fd) {
				p = &h->placed[k];
				break;
			}
	if (p && p->dev == st.st_dev && p->ino == st.st_ino && placed(h, i, fd) && same_name(vs, i, fd))
		return h->procs[i].pid;
	struct holder_msg m = { .seq = ++h->seq, .op = HOLDER_PLACE, .fd = fd };
	/* Failing that, the supervisor's own name: the tree's kernel refuses
	 * it (EACCES), as it refuses what the view cannot name. */
	if (request(h, &m, fd) < 0 || (same < 0 ? !placed(h, i, fd) : same_file(vs, i, fd) != 1))
		return vs->self;
	if (known && !p) {
		p = &h->placed[h->next_placed++ % (sizeof(h->placed) / sizeof(h->placed[0]))];
		p->fd = fd;
	}
	if (p) {
		p->dev = st.st_dev;
		p->ino = st.st_ino;
	}
	return h->procs[i].pid;
}

void view_holder_stop(struct view_holder *h)
{
	for (unsigned i = 0; i < h->nprocs; i++) {
		kill(h->procs[i].pid, SIGKILL);
		waitpid(h->procs[i].pid, NULL, __WALL);
	}
	h->nprocs = 0;
	h->ready = false;
	if (h->pidfd >= 0)
		close(h->pidfd);
	h->pidfd = -1;
	for (int i = 0; i < 2; i++) {
		if (h->sock[i] >= 0)
			close(h->sock[i]);
		h->sock[i] = -1;
	}
}
