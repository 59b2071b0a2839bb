/* helper-descend HOW COMMAND [ARG...]: runs COMMAND in a descendant made
 * in one of the ways a process can escape a tracer that is not careful:
 *   clone-untraced   clone(CLONE_UNTRACED | SIGCHLD)
 *   clone3-untraced  clone3 with CLONE_UNTRACED
 *   vfork            vfork() then exec
 *   thread-fork      fork() from a second thread
 *   orphan           a child that forks COMMAND and exits at once
 *   daemon           double fork with setsid(), as daemon(3) does
 * For the first four it waits for COMMAND and exits with its status; for
 * orphan and daemon it exits 0 once COMMAND has been started. */
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char **command;

static __attribute__((noreturn)) void run_command(void)
{
	execvp(command[0], command);
	perror(command[0]);
	_exit(127);
}

static long clone3_untraced(void)
{
	struct clone_args args;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_UNTRACED;
	args.exit_signal = SIGCHLD;
	return syscall(SYS_clone3, &args, sizeof(args));
}

static void *fork_in_thread(void *out)
{
	pid_t pid = fork();
	if (pid == 0)
		run_command();
	*(pid_t *)out = pid;
	return NULL;
}

static long thread_fork(void)
{
	pthread_t th;
	pid_t pid = -1;
	if (pthread_create(&th, NULL, fork_in_thread, &pid) != 0)
		return -1;
	pthread_join(th, NULL);
	return pid;
}

/* orphan and daemon: the intermediate child exits; COMMAND runs on. */
static int detached(int daemonize)
{
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (daemonize && setsid() < 0)
			_exit(1);
		if (fork() == 0)
			run_command();
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: helper-descend clone-untraced|clone3-untraced|vfork|thread-fork|orphan|daemon COMMAND [ARG...]\n");
		return 2;
	}
	const char *how = argv[1];
	command = argv + 2;
	long pid;
	if (strcmp(how, "orphan") == 0 || strcmp(how, "daemon") == 0)
		return detached(how[0] == 'd');
	if (strcmp(how, "clone-untraced") == 0)
		pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, NULL, NULL, 0);
	else if (strcmp(how, "clone3-untraced") == 0)
		pid = clone3_untraced();
	else if (strcmp(how, "vfork") == 0)
		pid = vfork();
	else if (strcmp(how, "thread-fork") == 0)
		pid = thread_fork();
	else {
		fprintf(stderr, "helper-descend: unknown way '%s'\n", how);
		return 2;
	}
	if (pid < 0) {
		perror(how);
		return 1;
	}
	if (pid == 0)
		run_command();
	int status;
	if (waitpid((pid_t)pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "child killed by signal %d\n", WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}
