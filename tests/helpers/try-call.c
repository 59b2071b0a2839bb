/* try-call: one raw system call per case, and what it gave, for the tests
 * of what a confined tree may do (tests/integration/view-landlock.sh).
 *
 * Usage: helper-try-call CASE [CASE...], each CASE one of
 *
 *   open DIRFD PATH MODE    openat(DIRFD, PATH, r|w|rw|creat|dir) (O_CREAT mode 0644)
 *   mkdir DIRFD PATH        mkdirat(DIRFD, PATH, 0755)
 *   unlink DIRFD PATH       unlinkat(DIRFD, PATH, 0)
 *   stat DIRFD PATH         newfstatat(DIRFD, PATH, AT_SYMLINK_NOFOLLOW)
 *   exec DIRFD PATH         execveat(DIRFD, PATH) in a child: "ok" if it ran
 *   getfd PID FD            pidfd_getfd of PID's FD (PID "parent": getppid())
 *
 * DIRFD is a number or "cwd" (AT_FDCWD). Prints one line per case,
 * "CASE PATH: ok" or "CASE PATH: ERRNO" (the errno's name), and exits 0.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int dirfd_of(const char *s)
{
	return !strcmp(s, "cwd") ? AT_FDCWD : atoi(s);
}

static void report(const char *what, const char *arg, long r)
{
	if (r < 0)
		printf("%s %s: %s\n", what, arg, strerrorname_np(errno));
	else
		printf("%s %s: ok\n", what, arg);
	fflush(stdout);
}

static int open_flags(const char *mode)
{
	if (!strcmp(mode, "w"))
		return O_WRONLY;
	if (!strcmp(mode, "rw"))
		return O_RDWR;
	if (!strcmp(mode, "creat"))
		return O_WRONLY | O_CREAT;
	if (!strcmp(mode, "dir"))
		return O_RDONLY | O_DIRECTORY;
	return O_RDONLY;
}

/* execveat in a child: its status says whether the program ran (0), or
 * which errno the call failed with (that plus 64). */
static long try_exec(int dirfd, const char *path)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };
		syscall(SYS_execveat, dirfd, path, argv, envp, 0);
		_exit(64 + errno);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 64) {
		errno = WEXITSTATUS(status) - 64;
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc;) {
		const char *c = argv[i];
		int need = !strcmp(c, "open") ? 3 : 2;
		if (i + need >= argc) {
			fprintf(stderr, "helper-try-call: %s needs %d arguments\n", c, need);
			return 2;
		}
		const char *a = argv[i + 1], *b = argv[i + 2];
		long r;
		struct stat st;
		if (!strcmp(c, "open"))
			r = syscall(SYS_openat, dirfd_of(a), b, open_flags(argv[i + 3]), 0644);
		else if (!strcmp(c, "mkdir"))
			r = syscall(SYS_mkdirat, dirfd_of(a), b, 0755);
		else if (!strcmp(c, "unlink"))
			r = syscall(SYS_unlinkat, dirfd_of(a), b, 0);
		else if (!strcmp(c, "stat"))
			r = syscall(SYS_newfstatat, dirfd_of(a), b, &st, AT_SYMLINK_NOFOLLOW);
		else if (!strcmp(c, "exec"))
			r = try_exec(dirfd_of(a), b);
		else if (!strcmp(c, "getfd")) {
			pid_t pid = !strcmp(a, "parent") ? getppid() : atoi(a);
			long pidfd = syscall(SYS_pidfd_open, pid, 0);
			r = pidfd < 0 ? pidfd : syscall(SYS_pidfd_getfd, (int)pidfd, atoi(b), 0);
		} else {
			fprintf(stderr, "helper-try-call: unknown case %s\n", c);
			return 2;
		}
		report(c, b, r);
		i += need + 1;
	}
	return 0;
}
