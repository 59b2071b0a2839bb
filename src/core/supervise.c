/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The supervisor's loop. With the ptrace back end it only waits for ptrace
 * stops. With user notification it also polls the listener fd; SIGCHLD,
 * read through a signalfd, says when a ptrace stop is waiting.
 * It ends when no traced task is left.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/internal.h"
#include "util/cleanup.h"

/* Returns 1 if tasks remain, 0 if none is left, -errno on error. */
static int drain_waits(struct facet_session *s, int flags)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, __WALL | flags);
		if (pid == 0)
			return 1;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			return errno == ECHILD ? 0 : -errno;
		}
		ptrace_handle_stop(s, pid, status);
		if (!(flags & WNOHANG))
			return 1;
	}
}

static int supervise_ptrace(struct facet_session *s)
{
	int r;
	while ((r = drain_waits(s, 0)) > 0)
		;
	return r;
}

static int supervise_notify(struct facet_session *s)
{
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	_cleanup_close_ int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		return -errno;
	struct pollfd pfd[2] = {
		{ .fd = s->notify_fd, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	int r = drain_waits(s, WNOHANG);
	while (r > 0) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[0].revents & POLLIN)
			notify_handle(s);
		else if (pfd[0].revents & (POLLHUP | POLLERR))
			pfd[0].fd = -1; /* every task holding the filter is gone */
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si[8];
			while (read(sfd, si, sizeof(si)) > 0)
				;
			r = drain_waits(s, WNOHANG);
		}
	}
	return r;
}

int supervise(struct facet_session *s)
{
	/* The terminal's SIGINT and SIGQUIT are for the command, which decides
	 * what they mean; facet ends when the command does. SIGCHLD is read
	 * through a signalfd. The caller's settings are restored afterwards. */
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	sigset_t chld, old_mask;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old_mask);
	int r = s->notify_fd >= 0 ? supervise_notify(s) : supervise_ptrace(s);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return r;
}
