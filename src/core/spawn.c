/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Starting the command under supervision.
 *
 *   supervisor                         stub (in the supervisor's memory)
 *   clone(CLONE_VM) ──────────────────► waits on the sync pipe
 *   PTRACE_SEIZE (EXITKILL, events)
 *   write sync pipe ──────────────────► no_new_privs; under Landlock, the
 *                                       ruleset and the holder (holder.c);
 *                                       load the filter
 *                                       arch_trap() (no system call: any
 *   sees SIGTRAP; reads the listener    call made after the filter is loaded
 *   fd number from the child's memory   may already be trapped, and nobody
 *   and takes it with pidfd_getfd       would answer it yet)
 *   (under Landlock: waits for the
 *   holder to say it is ready)
 *   resumes the child ────────────────► execve(command)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/regs.h"
#include "core/seccomp_compat.h"
#include "core/view/view.h"
#include "machine.h" /* src/core/arch/<arch>/: arch_trap(), arch_syscall6() */
#include "util/cleanup.h"

/* Written by the stub before each arch_trap(); the supervisor reads them
 * at the same addresses in the stub (whose memory is its own). */
static volatile int stub_listener = -1;
static volatile int stub_errno;
static volatile pid_t stub_holder;
enum stub_step { STUB_FILTER, STUB_CONFINE, STUB_EXEC };
static volatile int stub_step;

/* The stub's own memory, the caller's SPAWN_AREA_SIZE bytes: its stack at
 * the top and, at the bottom, what it reads after spawn_tree() has
 * returned (it execs when the supervisor resumes it). Not a mapping of
 * its own: unmapping it at the end cost a TLB shootdown, ~0.18 ms, as the
 * stub had run in the supervisor's memory on another CPU. */
struct stub_args {
	char path[PATH_MAX];
	char *const *argv;
	const struct sock_fprog *prog;
	const struct view_state *confine;
	sigset_t mask;
	unsigned flags;
	int sync_fd, cwd_fd;
};

#define stub_sys(nr, a, b, c) arch_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

static void stub_trap(int step, int err)
{
	stub_step = step;
	stub_errno = err;
	arch_trap();
}

/* The stub shares the supervisor's memory (CLONE_VM: a fork copied its page
 * tables and left both processes a fault to take on every page they wrote,
 * ~1 ms of each start on a VM where a fault is dear), so it runs on a stack
 * of its own and makes its calls raw: libc's errno is the supervisor's,
 * which runs meanwhile. No signal handler is set while it runs. */
static __attribute__((noreturn)) int stub_main(void *arg)
{
	const struct stub_args *a = arg;
	char c;
	long r;
	stub_sys(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0); /* until PTRACE_O_EXITKILL covers us */
	if (stub_sys(SYS_read, a->sync_fd, &c, 1) != 1)
		stub_sys(SYS_exit_group, 127, 0, 0);
	/* In a view, start where the view says (the fd is close-on-exec). */
	if (a->cwd_fd >= 0 && (r = stub_sys(SYS_fchdir, a->cwd_fd, 0, 0)) < 0)
		stub_trap(STUB_FILTER, (int)-r);
	stub_sys(SYS_close, a->sync_fd, 0, 0);
	stub_sys(SYS_prctl, PR_SET_PDEATHSIG, 0, 0);
	arch_syscall6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&a->mask, 0, _NSIG / 8, 0, 0);
	if ((r = stub_sys(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0)) < 0)
		stub_trap(STUB_FILTER, (int)-r);
	/* Under Landlock: confined before the filter, so that the holder it
	 * starts has the tree's domain and a filter of its own. */
	if (a->confine) {
		pid_t holder;
		r = view_holder_start(a->confine, &holder);
		stub_holder = holder;
		if (r < 0)
			stub_trap(STUB_CONFINE, (int)-r);
	}
	long fd = stub_sys(SYS_seccomp, SECCOMP_SET_MODE_FILTER, a->flags, a->prog);
	stub_listener = fd < 0 ? -1 : (int)fd;
	stub_trap(STUB_FILTER, fd < 0 ? (int)-fd : 0);
	r = stub_sys(SYS_execve, a->path, a->argv, environ);
	stub_trap(STUB_EXEC, (int)-r);
	/* As strace's child does, so that the trace ends the same way; the
	 * supervisor reports the error and chooses facet's exit status. */
	for (;;)
		stub_sys(SYS_exit_group, 1, 0, 0);
}

/* PATH search done by the supervisor, as strace does, so the trace shows
 * one execve of the command and not every failed candidate. */
static int find_command(const char *name, char *out, size_t size)
{
	if (strchr(name, '/')) {
		if (snprintf(out, size, "%s", name) >= (int)size)
			return -ENAMETOOLONG;
		return access(out, F_OK) == 0 ? 0 : -errno;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int err = -ENOENT;
	for (const char *p = path; ; ) {
		const char *end = strchrnul(p, ':');
		int n = snprintf(out, size, "%.*s%s%s", (int)(end - p), p, end == p ? "" : "/", name);
		if (n > 0 && (size_t)n < size) {
			struct stat st;
			if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
				if (access(out, X_OK) == 0)
					return 0;
				err = -EACCES;
			}
		}
		if (!*end)
			break;
		p = end + 1;
	}
	return err;
}

/* Wait for the child's trap and return which step it reports. */
static int wait_stub_trap(struct facet_session *s, pid_t pid)
{
	for (;;) {
		int status;
		if (waitpid(pid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return session_fail(s, -errno, "waiting for the command to start");
		}
		if (!WIFSTOPPED(status))
			return session_fail(s, -ECHILD, "the command died before it started");
		if (WSTOPSIG(status) == SIGTRAP && (status >> 16) == 0)
			return 0;
		/* Any other stop before the exec (a signal sent to us, for
		 * instance): let it through and keep waiting. */
		int sig = (status >> 16) ? 0 : WSTOPSIG(status);
		regs_forget();
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
}

static int read_stub(pid_t pid, volatile int *var)
{
	int value = -1;
	struct iovec local = { &value, sizeof(value) }, remote = { (void *)var, sizeof(value) };
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != sizeof(value))
		return -1;
	return value;
}

static int take_listener(struct facet_session *s, pid_t pid)
{
	int child_fd = read_stub(pid, &stub_listener);
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return session_fail(s, -errno, "pidfd_open on the command");
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
	if (fd < 0)
		return session_fail(s, -errno, "taking the seccomp listener from the command (pidfd_getfd)");
	s->notify_fd = fd;
	notify_set_sync_wakeup(s, true);
	return 0;
}

/* The holder the child started under Landlock: known to the view from
 * now on (view_stop() ends it), and attached if the child got that far. */
static int take_holder(struct facet_session *s, pid_t pid, int step)
{
	pid_t holder = read_stub(pid, &stub_holder);
	struct view_holder *h = &s->vs->holder;
	if (holder > 0) {
		h->procs[0] = (struct view_holder_proc){ .pid = holder };
		h->nprocs = 1;
	}
	if (step == STUB_CONFINE)
		return session_fail(s, -read_stub(pid, &stub_errno), "confining the command with Landlock");
	int r = holder > 0 ? view_holder_attach(s, holder) : -ESRCH;
	return r < 0 ? session_fail(s, r, "starting the process that holds the view's files for the tree") : 0;
}

_Static_assert(sizeof(struct stub_args) + 4096 <= SPAWN_AREA_SIZE, "room for the stub's stack");

int spawn_tree(struct facet_session *s, char *const argv[], const struct sock_fprog *prog, void *area)
{
	struct stub_args *a = area;
	int r = s->vs ? view_find_command(s, argv[0], a->path, sizeof(a->path))
		      : find_command(argv[0], a->path, sizeof(a->path));
	if (r < 0) {
		s->command_error = true;
		return session_fail(s, r, "%s", argv[0]);
	}

	a->flags = 0;
	if (s->backend == FACET_BACKEND_NOTIFY) {
		a->flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (s->feat.wait_killable)
			a->flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	a->argv = argv;
	a->prog = prog;
	a->cwd_fd = s->vs ? s->vs->start_fd : -1;
	a->confine = s->vs && s->vs->landlock.abi > 0 ? s->vs : NULL;
	sigprocmask(SIG_SETMASK, NULL, &a->mask);

	int sync[2];
	if (pipe2(sync, O_CLOEXEC) < 0)
		return session_fail(s, -errno, "pipe");
	a->sync_fd = sync[0];
	pid_t pid = clone(stub_main, (char *)area + SPAWN_AREA_SIZE, CLONE_VM | SIGCHLD, a);
	if (pid < 0) {
		r = -errno;
		close(sync[0]);
		close(sync[1]);
		return session_fail(s, r, "clone");
	}
	close(sync[0]);
	s->root_pid = pid;
	if (ptrace(PTRACE_SEIZE, pid, 0, SPAWN_PTRACE_OPTIONS) < 0) {
		r = -errno;
		kill(pid, SIGKILL);
		close(sync[1]);
		waitpid(pid, NULL, 0);
		return session_fail(s, r, "cannot ptrace the command (is facet itself being traced, or does "
				    "/proc/sys/kernel/yama/ptrace_scope forbid it?)");
	}
	r = write(sync[1], "x", 1) == 1 ? 0 : -errno;
	close(sync[1]);
	if (r == 0)
		r = wait_stub_trap(s, pid);
	int step = r == 0 ? read_stub(pid, &stub_step) : -1;
	if (r == 0 && s->vs && s->vs->landlock.abi > 0)
		r = take_holder(s, pid, step);
	if (r == 0 && step == STUB_FILTER && read_stub(pid, &stub_errno))
		r = session_fail(s, -read_stub(pid, &stub_errno), "loading the seccomp filter");
	if (r == 0 && s->backend == FACET_BACKEND_NOTIFY)
		r = take_listener(s, pid);
	if (r < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		return r;
	}
	struct facet_task *t = task_get(s, pid, pid);
	t->announced = true;
	t->fresh = false;
	if (s->vs && (r = view_fs_init_root(s, t)) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		return session_fail(s, r, "the starting directory");
	}
	regs_forget();
	ptrace(PTRACE_CONT, pid, 0, 0);
	return 0;
}

bool spawn_exec_failed(struct facet_session *s, pid_t tid)
{
	if (s->root_execed || read_stub(tid, &stub_step) != STUB_EXEC)
		return false;
	s->exec_error = read_stub(tid, &stub_errno);
	/* What the stub does from here on (its _exit) is facet's, not the
	 * command's: the engines see only that it exits. */
	struct facet_task *t = task_find(s, tid);
	if (t)
		t->hidden = true;
	return true;
}
