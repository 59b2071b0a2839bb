/* helper-untraced clone|clone3 COMMAND [ARG...]: runs COMMAND in a child
 * created with CLONE_UNTRACED (by clone or by clone3), waits for it, and
 * exits with its status. Under a tracer such a child would escape
 * supervision; facet must keep it traced. */
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long untraced_child(const char *how)
{
	if (strcmp(how, "clone") == 0)
		return syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, NULL, NULL, 0);
	struct clone_args args;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_UNTRACED;
	args.exit_signal = SIGCHLD;
	return syscall(SYS_clone3, &args, sizeof(args));
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "clone") && strcmp(argv[1], "clone3"))) {
		fprintf(stderr, "usage: helper-untraced clone|clone3 COMMAND [ARG...]\n");
		return 2;
	}
	long pid = untraced_child(argv[1]);
	if (pid < 0) {
		perror(argv[1]);
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
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
