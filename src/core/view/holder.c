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
 *   stub                                   facet-holder (src/holder/: a program
 *                                          of its own, freestanding)
 *   landlock_restrict_self
 *   vfork+exec (CLONE_PARENT|UNTRACED) ──► closes every fd but its end of a
 *   loads the tree's filter, traps         socket pair; loads a filter of
 *                                          its own; says it is ready
 *   supervisor: view_fd_name() sends fd N over the socket (SCM_RIGHTS: the
 *   one way to pass an O_PATH fd; seccomp's ADDFD refuses them), the
 *   holder puts it at N (dup3) and answers, the supervisor checks that
 *   the holder's fd N is its object; the name is /proc/<holder>/fd/N.
 *
 * Its filter kills it on any call but a few: a process of the tree
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
 *
 * The holder was a fork of the stub until facet-holder: a copy of facet's
 * page tables, a fault on every page either wrote afterwards, and a large
 * address space to free at its end, 3.7 ms of each start in a view on a VM
 * where a fault costs ~12 us.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/view/view.h"
#include "holder/protocol.h"
#include "machine.h" /* src/core/arch/<arch>/: arch_syscall6(), arch_vfork_exec() */

#define HOLDER_ANSWER_MS 5000 /* the holder answers at once, unless stopped or dead */

/* In the stub, which shares the supervisor's memory: raw calls, no errno
 * (spawn.c). The holder is a program of its own (src/holder/), started
 * with vfork and exec: nothing of facet's memory is copied. */
int view_holder_start(const struct view_state *vs, pid_t *holder)
{
	*holder = 0;
	const struct view_holder *h = &vs->holder;
	long r = arch_syscall6(SYS_landlock_restrict_self, vs->landlock.ruleset_fd, 0, 0, 0, 0, 0);
	if (r < 0)
		return (int)r;
	long pid = arch_vfork_exec(CLONE_UNTRACED | CLONE_PARENT | SIGCHLD, h->path, h->argv, h->envp, h->sock[1]);
	if (pid < 0)
		return (int)pid;
	*holder = (pid_t)pid;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The supervisor's side.                                                  */

int view_holder_prepare(struct facet_session *s)
{
	struct view_state *vs = s->vs;
	struct view_holder *h = &vs->holder;
	if (vs->landlock.abi <= 0)
		return 0;
	/* facet-holder: beside facet-loader, whose directory the Landlock
	 * ruleset lets the tree read and execute. */
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", vs->loader_path);
	char *slash = strrchr(path, '/');
	if (!slash || (size_t)(slash - path) + sizeof("/facet-holder") > sizeof(path))
		return session_fail(s, -ENAMETOOLONG, "facet-holder's path");
	strcpy(slash + 1, "facet-holder");
	if (access(path, X_OK) < 0)
		return session_fail(s, -errno, "facet-holder, which holds the view's files for the tree under "
				    "Landlock, is not beside %s; reinstall facet", vs->loader_path);
	if (!(h->path = strdup(path)))
		return session_fail(s, -ENOMEM, "facet-holder's path");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, h->sock) < 0)
		return session_fail(s, -errno, "a socket pair for the view's fd holder");
	snprintf(h->pid_arg, sizeof(h->pid_arg), "%d", (int)vs->self);
	snprintf(h->fd_arg, sizeof(h->fd_arg), "%d", h->sock[1]);
	h->argv[0] = "facet-holder";
	h->argv[1] = h->pid_arg;
	h->argv[2] = h->fd_arg;
	h->argv[HOLDER_ARGC] = NULL;
	h->envp[0] = NULL;
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
	free(h->path);
	h->path = NULL;
	if (h->pidfd >= 0)
		close(h->pidfd);
	h->pidfd = -1;
	for (int i = 0; i < 2; i++) {
		if (h->sock[i] >= 0)
			close(h->sock[i]);
		h->sock[i] = -1;
	}
}
