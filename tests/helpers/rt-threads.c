/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-rt-threads DIR [sh]: threads, processes and interrupted calls,
 * natively and in a view, while three threads make path calls in a loop
 * the whole time (each call's answer checked), from call sites the main
 * thread used first while it was alone (sites the fast mode patches). One "case: result" line
 * each (tests/helpers/rt.h), in an empty writable directory DIR that it
 * leaves empty. Run it by an absolute path: its children exec argv[0]
 * with "child TAG DIR", and print what they see.
 *
 *  - from a thread that is not the main one: fork and exec; posix_spawn
 *    (glibc: clone(CLONE_VM|CLONE_VFORK) on a stack of its own); vfork
 *    and exec; with "sh", fork and exec /bin/sh -c;
 *  - clone(CLONE_VM|CLONE_VFORK) on a small new stack (16 KiB, guard page
 *    below) whose child makes path calls before it exits;
 *  - exec from a non-main thread of a child with running threads;
 *  - a signal interrupting a blocking call (sent when /proc says the main
 *    thread is in it): read on a pipe without SA_RESTART (EINTR) and with
 *    it (restarted, then it reads the byte written later); nanosleep
 *    (EINTR with time left, with or without SA_RESTART); open of a FIFO
 *    with no writer (EINTR; with SA_RESTART, restarted until the writer
 *    comes). Where the signal is lost (a bug), the interrupting thread
 *    ends the call 5 s later as a peer would, so that the program prints
 *    the difference rather than hang.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "rt.h"

extern char **environ;

static char dpath[PATH_MAX], fpath[PATH_MAX + 8], lpath[PATH_MAX + 8], npath[PATH_MAX + 8],
	fifo[PATH_MAX + 8];
static char *self;

/* --- the looping threads ----------------------------------------------------------------- */

static atomic_int stop, loops_running;
static atomic_long loop_rounds, loop_wrong;

/* The looping threads' path calls, once: how many answers were wrong. */
static long loop_once(void)
{
	struct stat st;
	char buf[8];
	long wrong = 0;
	if (stat(fpath, &st) != 0 || st.st_size != 6)
		wrong++;
	if (stat(npath, &st) != -1 || errno != ENOENT)
		wrong++;
	int fd = open(fpath, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, 6) != 6 || memcmp(buf, "hello\n", 6))
		wrong++;
	if (fd >= 0)
		close(fd);
	if (readlink(lpath, buf, sizeof(buf)) != 4 || memcmp(buf, "file", 4))
		wrong++;
	if (access(fpath, R_OK) != 0)
		wrong++;
	return wrong;
}

static void *looper(void *arg)
{
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are for the main thread */
	atomic_fetch_add(&loops_running, 1);
	while (!atomic_load(&stop)) {
		atomic_fetch_add(&loop_wrong, loop_once());
		atomic_fetch_add(&loop_rounds, 1);
	}
	return NULL;
}

/* --- children ------------------------------------------------------------------------------- */

static int child(const char *tag)
{
	struct stat st;
	char buf[8] = "";
	int fd = open(fpath, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, 5) : -1;
	if (fd >= 0)
		close(fd);
	say("child %s: stat=%s read=%.*s missing=%s", tag, rc(stat(fpath, &st)), n > 0 ? (int)n : 0, buf,
	    stat(npath, &st) == -1 && errno == ENOENT ? "ENOENT" : "?");
	return 0;
}

static void wait_child(const char *what, pid_t pid)
{
	int st;
	if (pid < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			say("%s: waitpid %s", what, ename(errno));
			return;
		}
	}
	if (WIFEXITED(st))
		say("%s: exit %d", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		say("%s: killed by SIG%s", what, sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
}

static void exec_child(const char *tag)
{
	char *args[] = { self, "child", (char *)tag, (char *)rt_dir, NULL };
	execve(self, args, environ);
	_exit(127);
}

static void *fork_exec(void *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct stat st;
		/* Path calls in the child of a multithreaded process, before exec. */
		if (stat(fpath, &st) != 0 || stat(npath, &st) == 0)
			_exit(10);
		exec_child("fork-from-thread");
	}
	wait_child("fork-exec-from-thread", pid);
	return NULL;
}

static void *spawn(void *arg)
{
	pid_t pid;
	char *args[] = { self, "child", "spawn-from-thread", (char *)rt_dir, NULL };
	int e = posix_spawn(&pid, self, NULL, NULL, args, environ);
	if (e) {
		say("posix_spawn-from-thread: %s", ename(e));
		return NULL;
	}
	wait_child("posix_spawn-from-thread", pid);
	return NULL;
}

static void *vfork_exec(void *arg)
{
	pid_t pid = vfork();
	if (pid == 0)
		exec_child("vfork-from-thread");
	wait_child("vfork-exec-from-thread", pid);
	return NULL;
}

static void *shell(void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = { "/bin/sh", "-c", "echo \"sh: $1\"; test -f \"$2\" && echo sh: sees the file", "sh",
				 "from-thread", fpath, NULL };
		execve("/bin/sh", args, environ);
		_exit(127);
	}
	wait_child("sh-from-thread", pid);
	return NULL;
}

static void in_thread(void *(*fn)(void *))
{
	pthread_t t;
	int e = pthread_create(&t, NULL, fn, NULL);
	if (e) {
		say("pthread_create: %s", ename(e));
		exit(1);
	}
	pthread_join(t, NULL);
}

/* clone(CLONE_VM | CLONE_VFORK) on a small stack of its own: only raw calls in the child. */
static int clone_child(void *arg)
{
	char st[256]; /* struct stat, as raw bytes */
	long a = syscall(SYS_newfstatat, AT_FDCWD, fpath, st, 0);
	long b = syscall(SYS_newfstatat, AT_FDCWD, npath, st, 0);
	long fd = syscall(SYS_openat, AT_FDCWD, fpath, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		syscall(SYS_close, fd);
	syscall(SYS_exit, a == 0 && b == -1 && fd >= 0 ? 0 : 1);
	return 0;
}

static void clone_new_stack(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size = 16 * 1024;
	char *m = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		say("clone-vm-vfork-small-stack: mmap %s", ename(errno));
		return;
	}
	mprotect(m, page, PROT_NONE);
	pid_t pid = clone(clone_child, m + page + size, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	wait_child("clone-vm-vfork-small-stack", pid);
	munmap(m, size + page);
}

/* A child with threads execs from a thread that is not its main one. */
static void *exec_now(void *arg)
{
	exec_child("exec-from-non-main-thread");
	return NULL;
}

static void exec_from_thread(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		for (int i = 0; i < 2; i++)
			pthread_create(&t, NULL, looper, NULL);
		while (atomic_load(&loops_running) < 2)
			sched_yield();
		pthread_create(&t, NULL, exec_now, NULL);
		pause();
		_exit(1);
	}
	wait_child("exec-from-non-main-thread", pid);
}

/* --- interrupted calls --------------------------------------------------------------------- */

static pid_t main_tid;
static atomic_int main_returned; /* the main thread's blocking call has returned */
static volatile sig_atomic_t usr1_count;
static int pipe_fds[2];

static void on_usr1(int sig)
{
	usr1_count++;
}

static void handle_usr1(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/* Whether the main thread is blocked in the call NR (/proc/self/task/TID/syscall). */
static int main_in(long nr, long nr2)
{
	char path[64], buf[128];
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)main_tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	long got = strtol(buf, NULL, 10);
	/* In a view's fast mode the runtime makes an open as openat2, and
	 * /proc shows that call (README, "Modes, and what a view guarantees"). */
	if (got != nr && got != nr2 && !(nr == SYS_openat && got == SYS_openat2))
		return 0;
	/* ...and asleep in it. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)main_tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

struct interrupter {
	long nr, nr2;
	int then; /* 0: nothing; 1: signal again, then write a byte to the pipe; 2: open the FIFO to write */
	int found; /* the main thread was seen blocked in the call */
};

/* When the main thread's call has not returned 5 s after the signal (the
 * signal was lost: a bug), ends it as a peer would, so that the program
 * reports the difference instead of hanging: a byte in the pipe, or a
 * writer for the FIFO. */
static void rescue(const struct interrupter *it)
{
	const struct timespec ms = { 0, 1000000 };
	int i;
	for (i = 0; i < 5000 && !atomic_load(&main_returned); i++)
		nanosleep(&ms, NULL);
	if (atomic_load(&main_returned))
		return;
	if (it->nr == SYS_read) {
		if (write(pipe_fds[1], "r", 1) != 1)
			_exit(5);
	} else if (it->nr == SYS_openat) {
		int fd = -1;
		for (i = 0; i < 5000 && fd < 0 && !atomic_load(&main_returned); i++) {
			fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				nanosleep(&ms, NULL);
		}
		if (fd >= 0)
			close(fd);
	}
}

static void *interrupt(void *arg)
{
	struct interrupter *it = arg;
	const struct timespec ms = { 0, 1000000 };
	int i;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (i = 0; i < 10000 && main_in(it->nr, it->nr2) != 1; i++)
		nanosleep(&ms, NULL);
	it->found = i < 10000;
	nanosleep(&ms, NULL);
	syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
	if (it->then == 1) {
		/* The read restarts: wait until it blocks again, signal again, then write. */
		for (i = 0; i < 100 && usr1_count < 1; i++)
			nanosleep(&ms, NULL);
		for (i = 0; i < 10000 && main_in(it->nr, it->nr2) != 1; i++)
			nanosleep(&ms, NULL);
		syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
		for (i = 0; i < 100 && usr1_count < 2; i++)
			nanosleep(&ms, NULL);
		if (write(pipe_fds[1], "x", 1) != 1)
			_exit(5);
	} else if (it->then == 2) {
		for (i = 0; i < 100 && usr1_count < 1; i++)
			nanosleep(&ms, NULL);
		/* Without blocking (ENXIO while there is no reader), so that a
		 * reader that is not there (its open failed) does not hang the
		 * program: at most 5 s. */
		int fd = -1;
		for (i = 0; i < 5000 && fd < 0 && !atomic_load(&main_returned); i++) {
			fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				nanosleep(&ms, NULL);
		}
		if (fd >= 0) {
			if (write(fd, "y", 1) != 1)
				_exit(5);
			close(fd);
		}
	}
	rescue(it);
	return NULL;
}

static pthread_t start_interrupter(struct interrupter *it)
{
	pthread_t t;
	usr1_count = 0;
	atomic_store(&main_returned, 0);
	pthread_create(&t, NULL, interrupt, it);
	return t;
}

static void interrupted(void)
{
	char c = 0;
	main_tid = (pid_t)syscall(SYS_gettid);
	if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
		say("pipe: %s", ename(errno));
		return;
	}

	/* read, no SA_RESTART. */
	handle_usr1(0);
	struct interrupter it = { SYS_read, SYS_read, 0, 0 };
	pthread_t t = start_interrupter(&it);
	ssize_t n = read(pipe_fds[0], &c, 1);
	int e = errno;
	atomic_store(&main_returned, 1);
	pthread_join(t, NULL);
	say("read-interrupted: %s handler=%d seen-blocked=%d", n < 0 ? ename(e) : "returned", (int)usr1_count, it.found);

	/* read, SA_RESTART: two signals, then a byte. */
	handle_usr1(SA_RESTART);
	struct interrupter it2 = { SYS_read, SYS_read, 1, 0 };
	t = start_interrupter(&it2);
	n = read(pipe_fds[0], &c, 1);
	e = errno;
	atomic_store(&main_returned, 1);
	pthread_join(t, NULL);
	say("read-restarted: %s%s handler=%d seen-blocked=%d", n == 1 ? "read " : ename(e), n == 1 ? (char[]){ c, 0 } : "",
	    (int)usr1_count, it2.found);

	/* nanosleep, with and without SA_RESTART. */
	for (int restart = 0; restart < 2; restart++) {
		handle_usr1(restart ? SA_RESTART : 0);
		struct interrupter it3 = { SYS_nanosleep, SYS_clock_nanosleep, 0, 0 };
		t = start_interrupter(&it3);
		struct timespec req = { 10, 0 }, rem = { 0, 0 };
		int r = nanosleep(&req, &rem);
		e = errno;
		atomic_store(&main_returned, 1);
		pthread_join(t, NULL);
		say("nanosleep-interrupted%s: %s rem-in-range=%d handler=%d seen-blocked=%d", restart ? "-sa-restart" : "",
		    r < 0 ? ename(e) : "returned", rem.tv_sec > 0 && rem.tv_sec < 10, (int)usr1_count, it3.found);
	}

	/* Opening a FIFO blocks until a writer comes. */
	say("mkfifo: %s", rc(mkfifo(fifo, 0600)));
	handle_usr1(0);
	struct interrupter it4 = { SYS_openat, SYS_open, 0, 0 };
	t = start_interrupter(&it4);
	int fd = open(fifo, O_RDONLY | O_CLOEXEC);
	e = errno;
	atomic_store(&main_returned, 1);
	pthread_join(t, NULL);
	say("fifo-open-interrupted: %s handler=%d seen-blocked=%d", fd < 0 ? ename(e) : "opened", (int)usr1_count,
	    it4.found);
	if (fd >= 0)
		close(fd);
	handle_usr1(SA_RESTART);
	struct interrupter it5 = { SYS_openat, SYS_open, 2, 0 };
	t = start_interrupter(&it5);
	fd = open(fifo, O_RDONLY | O_CLOEXEC);
	e = errno;
	atomic_store(&main_returned, 1);
	n = fd >= 0 ? read(fd, &c, 1) : -1;
	pthread_join(t, NULL);
	say("fifo-open-restarted: %s%s handler=%d seen-blocked=%d", fd >= 0 ? "opened, read " : ename(e),
	    n == 1 ? (char[]){ c, 0 } : "", (int)usr1_count, it5.found);
	if (fd >= 0)
		close(fd);
	say("unlink-fifo: %s", rc(unlink(fifo)));
	signal(SIGUSR1, SIG_DFL);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

static void paths(const char *dir)
{
	rt_dir = dir;
	snprintf(dpath, sizeof(dpath), "%s/th", rt_dir);
	snprintf(fpath, sizeof(fpath), "%s/file", dpath);
	snprintf(lpath, sizeof(lpath), "%s/link", dpath);
	snprintf(npath, sizeof(npath), "%s/missing", dpath);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dpath);
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc == 4 && !strcmp(argv[1], "child")) {
		paths(argv[3]);
		return child(argv[2]);
	}
	int with_sh = argc == 3 && !strcmp(argv[2], "sh");
	if ((argc != 2 && !with_sh) || argv[1][0] != '/' || argv[0][0] != '/') {
		fprintf(stderr, "usage: /PATH/TO/helper-rt-threads /ABSOLUTE/EMPTY-DIR [sh]\n");
		return 2;
	}
	paths(argv[1]);
	umask(022);
	say("setup: mkdir=%s", rc(mkdir(dpath, 0755)));
	int fd = open(fpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	say("setup: file=%s", fd >= 0 && write(fd, "hello\n", 6) == 6 ? "ok" : ename(errno));
	if (fd >= 0)
		close(fd);
	say("setup: symlink=%s", rc(symlink("file", lpath)));

	/* The loop's calls a few times while the process has one thread (the
	 * fast mode patches call sites then), so that the threads run
	 * through patched sites at once. */
	long warm = 0;
	for (int i = 0; i < 3; i++)
		warm += loop_once();
	say("warm-up: wrong=%ld", warm);
	pthread_t loopers[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&loopers[i], NULL, looper, NULL);
	while (atomic_load(&loops_running) < 3)
		sched_yield();

	in_thread(fork_exec);
	in_thread(spawn);
	in_thread(vfork_exec);
	if (with_sh)
		in_thread(shell);
	clone_new_stack();
	exec_from_thread();
	interrupted();

	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(loopers[i], NULL);
	say("loopers: ran=%s wrong=%ld", atomic_load(&loop_rounds) > 0 ? "yes" : "no", atomic_load(&loop_wrong));
	say("cleanup: %s", unlink(lpath) || unlink(fpath) || rmdir(dpath) ? ename(errno) : "ok");
	return 0;
}
