/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-cwd DIR: relative names after the working directory changed, in
 * every way one task's chdir or fchdir can reach another's: in the same
 * task, in a thread (shared fs_struct), in a child made with CLONE_FS (not
 * a thread), and not through fork, vfork or a thread that unshared
 * CLONE_FS first. Each case changes the cwd somewhere, then looks up the
 * relative name "f" with stat, lstat, access, readlink, open and statx,
 * and prints "CASE: WHAT" where WHAT is the directory whose "f" was found
 * (DIR/a/f holds "a", DIR/b/f "b", DIR/c/f is a symlink to "c"), or an
 * errno name; then what getcwd says, DIR written "DIR". The output must be
 * the same natively and under facet.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir_a[4096], dir_b[4096], dir_c[4096];
static const char *top; /* DIR */

static void die(const char *what)
{
	fprintf(stderr, "helper-cwd: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Which directory's "f" a relative lookup finds, by its size (1, 2 or a
 * symlink, whose target names it). */
static const char *which(off_t size, bool link)
{
	if (link)
		return "c";
	return size == 1 ? "a" : size == 2 ? "b" : "?";
}

static void report(const char *what)
{
	struct stat st;
	char buf[16];
	struct statx stx;
	int fd;
	ssize_t n;

	printf("%s: stat %s", what, stat("f", &st) == 0 ? which(st.st_size, false) : strerrorname_np(errno));
	printf(", lstat %s", lstat("f", &st) == 0 ? which(st.st_size, S_ISLNK(st.st_mode)) : strerrorname_np(errno));
	printf(", access %s", access("f", R_OK) == 0 ? "ok" : strerrorname_np(errno));
	n = readlink("f", buf, sizeof(buf) - 1);
	if (n >= 0)
		buf[n] = '\0';
	printf(", readlink %s", n >= 0 ? buf : strerrorname_np(errno));
	if ((fd = open("f", O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		close(fd);
		printf(", open %s", buf);
	} else {
		printf(", open %s", strerrorname_np(errno));
	}
	if (syscall(SYS_statx, AT_FDCWD, "f", AT_SYMLINK_NOFOLLOW, STATX_SIZE | STATX_TYPE, &stx) == 0)
		printf(", statx %s", which((off_t)stx.stx_size, S_ISLNK(stx.stx_mode)));
	else
		printf(", statx %s", strerrorname_np(errno));
	/* Twice: in a view the first call of a site may patch it. */
	char cwd[4096];
	for (int i = 0; i < 2; i++) {
		long r = syscall(SYS_getcwd, cwd, sizeof(cwd));
		size_t t = strlen(top);
		if (r < 0)
			printf(", getcwd %s", strerrorname_np(errno));
		else
			printf(", getcwd %s%s", strncmp(cwd, top, t) ? "" : "DIR", cwd + (strncmp(cwd, top, t) ? 0 : t));
	}
	putchar('\n');
	fflush(stdout);
}

static void go(const char *d)
{
	if (chdir(d) < 0)
		die(d);
}

static void *thread_chdir(void *arg)
{
	go(arg);
	return NULL;
}

static void *thread_fchdir(void *arg)
{
	int fd = open(arg, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fchdir(fd) < 0)
		die(arg);
	close(fd);
	return NULL;
}

static void *thread_unshared(void *arg)
{
	if (unshare(CLONE_FS) < 0)
		die("unshare(CLONE_FS)");
	go(arg);
	report("thread-unshared, in the thread");
	return NULL;
}

static void in_thread(void *(*fn)(void *), const char *d)
{
	pthread_t th;
	if ((errno = pthread_create(&th, NULL, fn, (void *)d)) != 0)
		die("pthread_create");
	pthread_join(th, NULL);
}

static int child_chdir(void *arg)
{
	go(arg);
	return 0;
}

/* A child made with clone(CLONE_FS), which is not a thread. */
static void in_clone_fs(const char *d)
{
	size_t size = 256 * 1024;
	char *stack = malloc(size);
	if (!stack)
		die("malloc");
	pid_t pid = clone(child_chdir, stack + size, CLONE_FS | SIGCHLD, (void *)d);
	if (pid < 0)
		die("clone");
	int status;
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	free(stack);
}

static void mk(const char *root, const char *name, char *path, const char *content, bool link)
{
	snprintf(path, 4096, "%s/%s", root, name);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path);
	char f[4200];
	snprintf(f, sizeof(f), "%s/f", path);
	unlink(f);
	if (link) {
		if (symlink(content, f) < 0)
			die(f);
		return;
	}
	FILE *fp = fopen(f, "we");
	if (!fp || fputs(content, fp) < 0 || fclose(fp) != 0)
		die(f);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: helper-cwd DIR\n");
		return 2;
	}
	top = argv[1];
	mk(argv[1], "a", dir_a, "a", false);
	mk(argv[1], "b", dir_b, "bb", false);
	mk(argv[1], "c", dir_c, "c", true);

	go(dir_a);
	report("start");
	go(dir_b);
	report("chdir");
	go(dir_c);
	report("chdir to a symlink's directory");
	go(dir_a);
	report("back");

	in_thread(thread_chdir, dir_b);
	report("thread-chdir");
	in_thread(thread_fchdir, dir_a);
	report("thread-fchdir");
	in_thread(thread_unshared, dir_b);
	report("thread-unshared, in the process");

	in_clone_fs(dir_c);
	report("clone-fs child chdir");

	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		go(dir_b);
		report("fork, in the child");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	report("fork, in the parent");

	pid = vfork();
	if (pid < 0)
		die("vfork");
	if (pid == 0) {
		if (chdir(dir_a) < 0)
			_exit(1);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	report("vfork child chdir");

	/* A relative name whose directory goes away: the same answer. */
	go(dir_b);
	report("before rename");
	char moved[4200];
	snprintf(moved, sizeof(moved), "%s-moved", dir_b);
	if (rename(dir_b, moved) < 0)
		die("rename");
	report("cwd renamed");
	if (rename(moved, dir_b) < 0)
		die("rename back");
	return 0;
}
