/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-forks [PATH]: creates children in four ways and checks each one's
 * exit status:
 *   fork()                              child opens PATH, exits 11
 *   vfork() + execve("/bin/true")       exits 0
 *   raw clone3() with exit_signal=SIGCHLD (fork-like; skipped on ENOSYS)
 *                                       child opens PATH, exits 13
 *   posix_spawn("/bin/echo", "spawned echo")  exits 0
 * PATH defaults to /etc/hostname (or /etc/passwd if that is missing).
 * Prints "pids fork=N vfork=N clone3=N|skipped spawn=N" and "forks ok";
 * exits 0 iff everything behaved.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
# ifdef __NR_clone3
#  define SYS_clone3 __NR_clone3
# else
#  define SYS_clone3 435
# endif
#endif

extern char **environ;

/* Matches the kernel's struct clone_args (CLONE_ARGS_SIZE_VER0 = 64). */
struct clone_args_v0 {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
};

static const char *path;

static void child_open_and_exit(int code)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(100);
	close(fd);
	_exit(code);
}

/* vfork()s a child that execs /bin/true. In a function of its own so that
 * the parent's locals cannot be clobbered by the shared stack. */
static __attribute__((noinline)) pid_t vfork_true(void)
{
	pid_t pid = vfork();
	if (pid == 0) {
		char *const args[] = { "true", NULL };
		execve("/bin/true", args, environ);
		_exit(127);
	}
	return pid;
}

/* Waits for pid and checks it exited normally with the expected code. */
static int reap(const char *what, pid_t pid, int expect)
{
	int status;
	pid_t r;

	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid) {
		fprintf(stderr, "helper-forks: %s: waitpid(%d): %s\n", what, (int)pid, strerror(errno));
		return 0;
	}
	if (!WIFEXITED(status)) {
		fprintf(stderr, "helper-forks: %s: child %d did not exit normally (status 0x%x)\n",
			what, (int)pid, status);
		return 0;
	}
	if (WEXITSTATUS(status) != expect) {
		fprintf(stderr, "helper-forks: %s: child %d exited %d, expected %d%s\n", what, (int)pid,
			WEXITSTATUS(status), expect,
			WEXITSTATUS(status) == 100 ? " (its open failed)" : "");
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	int ok = 1;
	pid_t pid_fork, pid_vfork, pid_clone3 = -1, pid_spawn;

	if (argc > 1)
		path = argv[1];
	else
		path = access("/etc/hostname", R_OK) == 0 ? "/etc/hostname" : "/etc/passwd";
	fflush(stdout);

	/* fork */
	pid_fork = fork();
	if (pid_fork < 0) {
		perror("helper-forks: fork");
		return 1;
	}
	if (pid_fork == 0)
		child_open_and_exit(11);
	ok &= reap("fork", pid_fork, 11);

	/* vfork + execve */
	pid_vfork = vfork_true();
	if (pid_vfork < 0) {
		perror("helper-forks: vfork");
		return 1;
	}
	ok &= reap("vfork+execve", pid_vfork, 0);

	/* clone3, fork-like */
	struct clone_args_v0 ca;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	long r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r == 0)
		child_open_and_exit(13);
	if (r < 0) {
		if (errno != ENOSYS) {
			fprintf(stderr, "helper-forks: clone3: %s\n", strerror(errno));
			ok = 0;
		}
	} else {
		pid_clone3 = (pid_t)r;
		ok &= reap("clone3", pid_clone3, 13);
	}

	/* posix_spawn */
	char *const sargs[] = { "echo", "spawned echo", NULL };
	int err = posix_spawn(&pid_spawn, "/bin/echo", NULL, NULL, sargs, environ);
	if (err) {
		fprintf(stderr, "helper-forks: posix_spawn: %s\n", strerror(err));
		return 1;
	}
	ok &= reap("posix_spawn", pid_spawn, 0);

	printf("pids fork=%d vfork=%d clone3=", (int)pid_fork, (int)pid_vfork);
	if (pid_clone3 > 0)
		printf("%d", (int)pid_clone3);
	else
		printf("skipped");
	printf(" spawn=%d\n", (int)pid_spawn);

	/* Nothing may be left to wait for. */
	if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD) {
		fprintf(stderr, "helper-forks: unexpected extra children\n");
		ok = 0;
	}
	if (!ok) {
		printf("forks FAILED\n");
		return 1;
	}
	printf("forks ok\n");
	return 0;
}
