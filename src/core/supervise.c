/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The supervisor's loop: ptrace stops (SIGCHLD says one is waiting), the
 * listener fd with the notify back end, and the signals sent to facet
 * itself. It ends when no traced task is left.
 *
 * SIGHUP, SIGINT, SIGQUIT and SIGTERM do not stop the supervisor, which
 * must outlive the tree. One sent by a process outside the tree (kill(1),
 * timeout(1), a service manager) is passed on to the command, or, once the
 * command is gone, to every process left; the tree then decides. One from
 * the terminal (^C, ^\, hang-up) reached the whole foreground process group,
 * the tree with it, and one a tracee sent to its process group (kill 0)
 * reached the tree too: those are not passed on a second time.
 *
 * The loop waits in one of two ways, whichever costs less for what has
 * been coming:
 *
 * - Notifications in a row: it waits in SECCOMP_IOCTL_NOTIF_RECV itself,
 *   not in a poll() before each one (one system call less on every
 *   notified call). That ioctl has no non-blocking mode and cannot wait
 *   for signals, so the signals are unblocked and come to handlers
 *   (SA_RESTART), which note them and, when the loop is in RECV or about
 *   to enter it, put a file on which RECV fails at once (an eventfd) under
 *   the fd number the loop receives on: a RECV already waiting is
 *   interrupted by the signal and restarted by the kernel on that file,
 *   one not yet made fails when it is made. No signal is lost between the
 *   loop's look at what the handlers noted and its RECV. The listener
 *   keeps its own number for the answers.
 * - Ptrace stops: each sends a SIGCHLD, and a signal delivered to a
 *   handler costs more than a poll() of a signalfd, so after a stop the
 *   signals are blocked again and the loop polls the signalfd and the
 *   listener, until notifications come again without stops in between.
 *   The ptrace back end always waits this way.
 *
 * A signal must not interrupt SECCOMP_IOCTL_NOTIF_ADDFD with
 * SECCOMP_ADDFD_FLAG_SEND: the kernel has marked the call answered before
 * the tracee installs the fd, and the restarted ioctl finds it answered
 * (EINPROGRESS) while the tracee returns 0. supervise_hold_signals()
 * blocks them around it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/seccomp_compat.h"

static const int caught[] = { SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM };
#define NCAUGHT (sizeof(caught) / sizeof(caught[0]))

/* Notifications in a row, with no ptrace stop, after which the loop waits
 * in RECV again, with synchronous wake-up (backend_notify.c). */
#define CALM 2

/* A passed-on signal as the loop needs it: who sent it. */
struct sig_note {
	atomic_int signo;                  /* 0: free, or being written */
	int code;
	pid_t pid;
};
#define NNOTES 16

/* What the handlers share with the loop. One session runs at a time in a
 * process (libfacet(3)), and a handler has no argument: so it is static. */
static struct {
	sigset_t set;                      /* the caught signals */
	bool open;                         /* unblocked in the loop's thread: handlers take them */
	pid_t pid, tid;                    /* the supervisor and the loop's thread */
	int recv_fd;                       /* where the loop receives: the listener, or kick_fd */
	int kick_fd;                       /* an eventfd: RECV on it fails with ENOTTY */
	volatile sig_atomic_t in_recv;     /* the loop is in RECV, or about to enter it */
	volatile sig_atomic_t kicked;      /* recv_fd is kick_fd now */
	atomic_int pending;                /* something below came since the loop looked */
	atomic_int chld;                   /* SIGCHLD came */
	atomic_uint head, tail;            /* notes[tail % NNOTES] is the next to take */
	struct sig_note notes[NNOTES];
} sv;

/* Keeps sender and code of a passed-on signal. A handler in another thread
 * of the caller's may write at the same time: a slot is taken by moving
 * head, and published by its signo. A full ring drops it, as the kernel
 * drops a second pending instance of a signal. */
static void note_signal(int sig, const siginfo_t *si)
{
	unsigned h = atomic_load(&sv.head);
	do {
		if (h - atomic_load(&sv.tail) >= NNOTES)
			return;
	} while (!atomic_compare_exchange_weak(&sv.head, &h, h + 1));
	struct sig_note *n = &sv.notes[h % NNOTES];
	n->code = si->si_code;
	n->pid = si->si_pid;
	atomic_store_explicit(&n->signo, sig, memory_order_release);
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int saved = errno;
	if (sig == SIGCHLD)
		atomic_store(&sv.chld, 1);
	else
		note_signal(sig, si);
	atomic_store(&sv.pending, 1);
	if (gettid() != sv.tid) {
		/* Another thread of the caller's has the signal unblocked: the
		 * loop's thread must still wake up (a SIGCHLD does no harm). */
		syscall(SYS_tgkill, sv.pid, sv.tid, SIGCHLD);
	} else if (sv.in_recv && !sv.kicked) {
		dup3(sv.kick_fd, sv.recv_fd, O_CLOEXEC);
		sv.kicked = 1;
	}
	errno = saved;
}

static void set_open(bool open)
{
	if (open != sv.open)
		pthread_sigmask(open ? SIG_UNBLOCK : SIG_BLOCK, &sv.set, NULL);
	sv.open = open;
}

bool supervise_hold_signals(void)
{
	if (!sv.open)
		return false;
	pthread_sigmask(SIG_BLOCK, &sv.set, NULL);
	return true;
}

void supervise_release_signals(bool held)
{
	if (held)
		pthread_sigmask(SIG_UNBLOCK, &sv.set, NULL);
}

/* Returns 1 if tasks remain, 0 if none is left, -errno on error; counts
 * the stops handled in *stops. */
static int drain_waits(struct facet_session *s, unsigned *stops)
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
		++*stops;
	}
}

static void pass_on(struct facet_session *s, int sig, int code, pid_t from)
{
	if (code == SI_KERNEL || (from && task_find(s, from)))
		return;
	if (task_find(s, s->root_pid)) {
		kill(s->root_pid, sig);
		return;
	}
	for (unsigned b = 0; b < TASK_BUCKETS; b++)
		for (struct facet_process *p = s->procs[b]; p; p = p->hnext)
			kill(p->pid, sig);
}

/* What the handlers (or the signalfd) brought: signals passed on, and
 * ptrace stops. Returns what drain_waits returns. */
static int take_signals(struct facet_session *s, unsigned *stops)
{
	atomic_store(&sv.pending, 0); /* before looking: what comes later sets it again */
	if (sv.kicked) {
		dup3(s->notify_fd, sv.recv_fd, O_CLOEXEC);
		sv.kicked = 0;
	}
	unsigned t = atomic_load(&sv.tail);
	while (t != atomic_load(&sv.head)) {
		struct sig_note *n = &sv.notes[t % NNOTES];
		int sig = atomic_load_explicit(&n->signo, memory_order_acquire);
		if (!sig)
			break; /* still being written: its handler sets pending after */
		int code = n->code;
		pid_t from = n->pid;
		atomic_store(&n->signo, 0);
		atomic_store(&sv.tail, ++t);
		pass_on(s, sig, code, from);
	}
	if (!atomic_exchange(&sv.chld, 0))
		return 1;
	return drain_waits(s, stops);
}

/* Whether no task holds the filter any more (the listener hung up). */
static bool listener_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

struct loop {
	struct pollfd pfd[2];              /* the signalfd, and the listener (-1: none, or gone) */
	unsigned calm;                     /* notifications since the last ptrace stop */
};

static void got_notification(struct facet_session *s, struct loop *l, const struct seccomp_notif *req)
{
	notify_handle(s, req);
	if (l->calm < CALM)
		l->calm++;
}

static int got_signals(struct facet_session *s, struct loop *l)
{
	unsigned stops = 0;
	int r = take_signals(s, &stops);
	if (stops)
		l->calm = 0;
	return r;
}

/* One wait in RECV, the signals open. */
static int wait_received(struct facet_session *s, struct loop *l)
{
	sv.in_recv = 1;
	if (atomic_load(&sv.pending)) {
		sv.in_recv = 0;
		return got_signals(s, l);
	}
	struct seccomp_notif req;
	int n = notify_receive(sv.recv_fd, &req);
	sv.in_recv = 0;
	if (n == 0)
		got_notification(s, l, &req);
	else if (n == -ENOENT && listener_gone(s->notify_fd))
		l->pfd[1].fd = -1;
	else if (n != -ENOENT && n != -ENOTTY && n != -EINTR)
		return n; /* ENOTTY: kicked, the signals are pending */
	return 1;
}

/* One wait in poll(), the signals blocked and read from the signalfd. */
static int wait_polled(struct facet_session *s, struct loop *l)
{
	if (atomic_load(&sv.pending)) /* noted by the handlers before they were blocked */
		return got_signals(s, l);
	if (poll(l->pfd, 2, -1) < 0)
		return errno == EINTR ? 1 : -errno;
	if (l->pfd[1].revents & POLLIN) {
		struct seccomp_notif req;
		if (notify_receive(s->notify_fd, &req) == 0)
			got_notification(s, l, &req);
	} else if (l->pfd[1].revents & (POLLHUP | POLLERR)) {
		l->pfd[1].fd = -1; /* every task holding the filter is gone */
	}
	if (!(l->pfd[0].revents & POLLIN))
		return 1;
	/* A read that does not fill the buffer took every signal pending:
	 * no second read for its EAGAIN (one call less after each stop). */
	struct signalfd_siginfo si[8];
	ssize_t n;
	do {
		n = read(l->pfd[0].fd, si, sizeof(si));
		for (size_t i = 0; n > 0 && i < (size_t)n / sizeof(si[0]); i++) {
			if (si[i].ssi_signo == SIGCHLD)
				atomic_store(&sv.chld, 1);
			else
				pass_on(s, (int)si[i].ssi_signo, si[i].ssi_code, (pid_t)si[i].ssi_pid);
		}
	} while (n == (ssize_t)sizeof(si));
	return got_signals(s, l);
}

static int loop(struct facet_session *s, int sfd)
{
	struct loop l = {
		.pfd = { { .fd = sfd, .events = POLLIN }, { .fd = s->notify_fd, .events = POLLIN } },
	};
	atomic_store(&sv.chld, 1); /* the stops that came before */
	int r = got_signals(s, &l);
	while (r > 0) {
		set_open(l.pfd[1].fd >= 0 && l.calm >= CALM);
		notify_set_sync_wakeup(s, l.calm >= CALM);
		r = sv.open ? wait_received(s, &l) : wait_polled(s, &l);
	}
	return r;
}

int supervise(struct facet_session *s)
{
	/* The caller's mask and handlers are restored afterwards (the
	 * command was started with its mask). */
	sigset_t old_mask;
	struct sigaction old_act[NCAUGHT];
	memset(&sv, 0, sizeof(sv));
	sigemptyset(&sv.set);
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaddset(&sv.set, caught[i]);
	pthread_sigmask(SIG_BLOCK, &sv.set, &old_mask);
	sv.pid = getpid();
	sv.tid = gettid();
	sv.recv_fd = sv.kick_fd = -1;
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART };
	sa.sa_mask = sv.set;
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &sa, &old_act[i]);

	int r = 0;
	int sfd = signalfd(-1, &sv.set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		r = -errno;
	if (r == 0 && s->notify_fd >= 0) {
		sv.recv_fd = fcntl(s->notify_fd, F_DUPFD_CLOEXEC, 0);
		sv.kick_fd = eventfd(0, EFD_CLOEXEC);
		if (sv.recv_fd < 0 || sv.kick_fd < 0)
			r = -errno;
	}
	if (r == 0)
		r = loop(s, sfd);
	set_open(false);

	/* Those that came with the tree's end were for the tree, too. */
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &old_act[i], NULL);
	struct signalfd_siginfo si;
	while (sfd >= 0 && read(sfd, &si, sizeof(si)) > 0)
		;
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	if (sfd >= 0)
		close(sfd);
	if (sv.recv_fd >= 0)
		close(sv.recv_fd);
	if (sv.kick_fd >= 0)
		close(sv.kick_fd);
	return r;
}
