/* task.c: what tasks share: the working directory and umask (CLONE_FS)
 * between threads, not after unshare(CLONE_FS), not with a forked child;
 * the fd table between threads; close_range; chroot unprivileged. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct thread_out {
	struct out o;
	int fd;
};

static void run_thread(struct out *o, void *(*fn)(void *), struct thread_out *to)
{
	pthread_t th;
	memset(to, 0, sizeof(*to));
	to->fd = -1;
	int e = pthread_create(&th, NULL, fn, to);
	if (e) {
		out_add(o, "setup:pthread_create:%s", errname(e));
		return;
	}
	pthread_join(th, NULL);
	out_add(o, "thread:%s%s main:", to->o.len ? " " : "", to->o.buf);
}

static void *chdir_thread(void *arg)
{
	struct thread_out *to = arg;
	out_rc(&to->o, chdir("d"));
	return NULL;
}

static void thread_chdir_shared(struct out *o)
{
	struct thread_out to;
	run_thread(o, chdir_thread, &to);
	out_cwd(o);
	out_stat(o, "f");
}

static void *unshare_chdir_thread(void *arg)
{
	struct thread_out *to = arg;
	if (out_rc(&to->o, unshare(CLONE_FS)) == 0 && out_rc(&to->o, chdir("d")) == 0) {
		out_cwd(&to->o);
		out_readlink(&to->o, "/proc/thread-self/cwd");
		out_stat(&to->o, "f");
	}
	return NULL;
}

static void thread_unshare_fs(struct out *o)
{
	struct thread_out to;
	run_thread(o, unshare_chdir_thread, &to);
	out_cwd(o);
	out_readlink(o, "/proc/self/cwd");
	out_stat(o, "f");
}

static void *umask_thread(void *arg)
{
	(void)arg;
	umask(077);
	return NULL;
}

static void thread_umask_shared(struct out *o)
{
	struct thread_out to;
	run_thread(o, umask_thread, &to);
	int fd = open("w/umask-thread", O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (out_ok(o, fd) >= 0)
		out_fstat(o, fd);
}

static void *open_thread(void *arg)
{
	struct thread_out *to = arg;
	to->fd = open("d/f", O_RDONLY | O_CLOEXEC);
	out_ok(&to->o, to->fd);
	return NULL;
}

static void thread_fd_shared(struct out *o)
{
	struct thread_out to;
	run_thread(o, open_thread, &to);
	if (to.fd >= 0)
		out_fdpath(o, to.fd);
}

/* The child changes directory and waits; the parent looks at it. */
static void fork_chdir(struct out *o)
{
	int ready[2], done[2];
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0) {
		mk_fail(o, "pipe");
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		mk_fail(o, "fork");
		return;
	}
	if (pid == 0) {
		close(done[1]);
		char c = chdir("d/sub") == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(done[0]);
	char c = 'n', link[64];
	if (read(ready[0], &c, 1) != 1 || c != 'y')
		out_add(o, "child-chdir-failed");
	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)pid);
	out_add(o, "child:");
	out_readlink(o, link);
	out_add(o, "parent:");
	out_cwd(o);
	close(done[1]);
	waitpid(pid, NULL, 0);
}

static int clone_child(void *arg)
{
	(void)arg;
	return chdir("d") == 0 ? 0 : 1;
}

static void clone_fs_shared(struct out *o)
{
	size_t size = 256 * 1024;
	char *stack = malloc(size);
	if (!stack) {
		mk_fail(o, "malloc");
		return;
	}
	pid_t pid = clone(clone_child, stack + size, CLONE_FS | SIGCHLD, NULL);
	if (out_ok(o, pid) < 0)
		return;
	int status;
	waitpid(pid, &status, 0);
	out_add(o, "child-exit=%d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	out_cwd(o);
}

static bool two_fds(struct out *o, int *a, int *b)
{
	*a = open("f", O_RDONLY);
	*b = open("d/f", O_RDONLY);
	if (*a < 0 || *b < 0 || *b != *a + 1)
		return mk_fail(o, "open");
	return true;
}

static void close_range_cloexec(struct out *o)
{
	int a, b;
	if (!two_fds(o, &a, &b))
		return;
	out_rc(o, sys_close_range((unsigned)a, (unsigned)b, CLOSE_RANGE_CLOEXEC));
	out_cloexec(o, a);
	out_cloexec(o, b);
}

static void close_range_close(struct out *o)
{
	int a, b;
	if (!two_fds(o, &a, &b))
		return;
	out_rc(o, sys_close_range((unsigned)a, (unsigned)a, 0));
	out_cloexec(o, a);
	out_cloexec(o, b);
}

static void close_range_unshare(struct out *o)
{
	int a, b;
	if (!two_fds(o, &a, &b))
		return;
	out_rc(o, sys_close_range((unsigned)b, ~0U, CLOSE_RANGE_UNSHARE));
	out_cloexec(o, a);
	out_cloexec(o, b);
}

static void close_range_bad(struct out *o)
{
	out_rc(o, sys_close_range(10, 5, 0));
	out_rc(o, sys_close_range(100, 200, 0x80));
}

static void chroot_unprivileged(struct out *o)
{
	out_rc(o, chroot("d"));
	out_cwd(o);
}

const struct conform_case task_cases[] = {
	CASE("thread-chdir-seen-by-other-thread", thread_chdir_shared),
	CASE("thread-unshare-fs-chdir-not-seen", thread_unshare_fs),
	CASE("thread-umask-seen-by-other-thread", thread_umask_shared),
	CASE("thread-fd-seen-by-other-thread", thread_fd_shared),
	CASE("fork-child-chdir-not-seen-by-parent", fork_chdir),
	CASE("clone-fs-child-chdir-seen-by-parent", clone_fs_shared),
	CASE("close-range-cloexec", close_range_cloexec),
	CASE("close-range-close", close_range_close),
	CASE("close-range-unshare", close_range_unshare),
	CASE("close-range-bad-arguments", close_range_bad),
	CASE("chroot-unprivileged", chroot_unprivileged),
	CASES_END
};
