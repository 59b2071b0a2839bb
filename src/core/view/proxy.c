/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Names for the supervisor's fds that a tracee can follow. The view names
 * the object it resolved to the kernel as /proc/<supervisor>/fd/N (an open
 * or chdir on the ptrace route, the loader's program and interpreter), and
 * the kernel lets a process follow that link only if its fsuid and fsgid
 * are the supervisor's ids, or it has CAP_SYS_PTRACE, and only while the
 * supervisor is dumpable. A tracee that changed its credentials (facet run
 * as root, the command dropping to another user) passes neither test.
 *
 * For such a tracee the name leads through a *proxy*: a child process
 * made with CLONE_FILES, so it shares the supervisor's fd table (fd N is
 * the same file in both), whose ids are the tracee's fsuid and fsgid and
 * which stays dumpable. It does nothing: it waits, every signal blocked,
 * until killed, when the tree is gone (view_proxies_stop), or when the
 * supervisor dies (PR_SET_PDEATHSIG). One proxy per pair of ids.
 *
 * Under Landlock the tree can follow no link of the supervisor or of
 * these proxies, which are outside its domain: the names lead through the
 * holder and the proxies it makes instead (holder.c).
 */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/view/view.h"

/* The proxy's life, in raw system calls only: it runs on a copy of the
 * supervisor's memory, where a lock libc held at the clone may stay held. */
__attribute__((noreturn)) static void proxy_main(uid_t uid, gid_t gid, pid_t supervisor)
{
	uint64_t all = ~(uint64_t)0;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, sizeof(all));
	if (syscall(SYS_setgroups, 0, NULL) < 0 || syscall(SYS_setresgid, gid, gid, gid) < 0 ||
	    syscall(SYS_setresuid, uid, uid, uid) < 0)
		syscall(SYS_exit_group, 1);
	/* After the ids: changing them resets both. */
	syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (syscall(SYS_getppid) != supervisor)
		syscall(SYS_exit_group, 1);
	syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP); /* ready */
	for (;;)
		syscall(SYS_pause);
}

/* A new proxy with these ids, stopped once it has them; its pid or -errno. */
static pid_t proxy_spawn(uid_t uid, gid_t gid)
{
	pid_t self = getpid();
	long pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, NULL, NULL, 0);
	if (pid < 0)
		return -errno;
	if (pid == 0)
		proxy_main(uid, gid, self);
	int status;
	if (waitpid((pid_t)pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status)) {
		kill((pid_t)pid, SIGKILL);
		waitpid((pid_t)pid, &status, 0);
		return -EPERM;
	}
	kill((pid_t)pid, SIGCONT);
	return (pid_t)pid;
}

/* The pid whose /proc/PID/fd t can follow. */
static pid_t fd_owner(struct facet_task *t)
{
	struct view_state *vs = t->session->vs;
	const struct creds *c = creds_of(t);
	if (!c)
		return vs->self;
	uid_t uid;
	gid_t gid;
	creds_fs_ids(c, &uid, &gid);
	for (unsigned i = 0; i < vs->nproxies; i++)
		if (vs->proxies[i].uid == uid && vs->proxies[i].gid == gid)
			return vs->proxies[i].pid;
	if (vs->nproxies == VIEW_MAX_PROXIES)
		return vs->self; /* the kernel will refuse the name: EACCES */
	pid_t pid = proxy_spawn(uid, gid);
	if (pid < 0)
		return vs->self;
	vs->proxies[vs->nproxies++] = (struct view_proxy){ uid, gid, pid };
	return pid;
}

int view_fd_name(struct facet_task *t, char *buf, size_t size, int fd, const char *name)
{
	pid_t pid = t->session->vs->holder.ready ? view_holder_name(t, fd) : fd_owner(t);
	int n = name ? snprintf(buf, size, "/proc/%d/fd/%d/%s", pid, fd, name)
		     : snprintf(buf, size, "/proc/%d/fd/%d", pid, fd);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

void view_proxies_stop(struct view_state *vs)
{
	if (vs)
		view_holder_stop(&vs->holder);
	for (unsigned i = 0; vs && i < vs->nproxies; i++) {
		kill(vs->proxies[i].pid, SIGKILL);
		waitpid(vs->proxies[i].pid, NULL, __WALL);
	}
	if (vs)
		vs->nproxies = 0;
}
