/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The supervisor's loop: ptrace stops (SIGCHLD, read through a signalfd,
 * says one is waiting), the listener fd with the notify back end, and the
 * signals sent to facet itself. It ends when no traced task is left.
 *
 * SIGHUP, SIGINT, SIGQUIT and SIGTERM do not stop the supervisor, which
 * must outlive the tree. One sent by a process outside the tree (kill(1),
 * timeout(1), a service manager) is passed on to the command, or, once the
 * command is gone, to every process left; the tree then decides. One from
 * the terminal (^C, ^\, hang-up) reached the whole foreground process group,
 * the tree with it, and one a tracee sent to its process group (kill 0)
 * reached the tree too: those are not passed on a second time.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/internal.h"
#include "util/cleanup.h"

static const int passed_on[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };

/* Returns 1 if tasks remain, 0 if none is left, -errno on error. */
static int drain_waits(struct facet_session *s)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);
		if (pid == 0)
			return 1;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			return errno == ECHILD ? 0 : -errno;
		}
		ptrace_handle_stop(s, pid, status);
	}
}

static void pass_on(struct facet_session *s, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;
	if (si->ssi_code == SI_KERNEL || (si->ssi_pid && task_find(s, (pid_t)si->ssi_pid)))
		return;
	if (task_find(s, s->root_pid)) {
		kill(s->root_pid, sig);
		return;
	}
	for (unsigned b = 0; b < TASK_BUCKETS; b++)
		for (struct facet_process *p = s->procs[b]; p; p = p->hnext)
			kill(p->pid, sig);
}

/* Returns what drain_waits returns. */
static int on_signals(struct facet_session *s, int sfd)
{
	struct signalfd_siginfo si[8];
	ssize_t n;
	bool chld = false;
	while ((n = read(sfd, si, sizeof(si))) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			if (si[i].ssi_signo == SIGCHLD)
				chld = true;
			else
				pass_on(s, &si[i]);
		}
	return chld ? drain_waits(s) : 1;
}

static int loop(struct facet_session *s, int sfd)
{
	struct pollfd pfd[2] = {
		{ .fd = sfd, .events = POLLIN },
		{ .fd = s->notify_fd, .events = POLLIN }, /* -1 with the ptrace back end: ignored */
	};
	int r = drain_waits(s);
	while (r > 0) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents & POLLIN)
			notify_handle(s);
		else if (pfd[1].revents & (POLLHUP | POLLERR))
			pfd[1].fd = -1; /* every task holding the filter is gone */
		if (pfd[0].revents & POLLIN)
			r = on_signals(s, sfd);
	}
	return r;
}

int supervise(struct facet_session *s)
{
	/* Everything arrives through the signalfd; the caller's mask is
	 * restored afterwards (the command was started with it). */
	sigset_t mask, old_mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < sizeof(passed_on) / sizeof(passed_on[0]); i++)
		sigaddset(&mask, passed_on[i]);
	sigprocmask(SIG_BLOCK, &mask, &old_mask);
	int r;
	_cleanup_close_ int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		r = -errno;
	else
		r = loop(s, sfd);
	/* Those that came with the tree's end were for the tree, too. */
	struct signalfd_siginfo si;
	while (sfd >= 0 && read(sfd, &si, sizeof(si)) > 0)
		;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return r;
}
