/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-exec-mt [thread]: starts 3 threads that loop doing getppid() and
 * stat(), waits until they all run, then execve()s "/bin/echo exec-mt ok"
 * from the main thread, or, with the argument "thread", from a fourth,
 * non-leader thread (the kernel then kills the others, and the execing
 * thread takes over the thread-group leader's pid). The exit status is
 * echo's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static atomic_int running;

static void *looper(void *arg)
{
	const struct timespec ts = { 0, 1000000 }; /* 1 ms */

	atomic_fetch_add(&running, 1);
	for (;;) {
		struct stat st;
		(void)getppid();
		(void)stat("/", &st);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void do_exec(void)
{
	char *const args[] = { "echo", "exec-mt ok", NULL };

	execve("/bin/echo", args, environ);
	fprintf(stderr, "helper-exec-mt: execve /bin/echo: %s\n", strerror(errno));
	exit(1);
}

static void *exec_thread(void *arg)
{
	do_exec();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int from_thread = argc > 1 && strcmp(argv[1], "thread") == 0;

	if (argc > 1 && !from_thread) {
		fprintf(stderr, "usage: helper-exec-mt [thread]\n");
		return 2;
	}
	for (int i = 0; i < 3; i++) {
		int err = pthread_create(&t, NULL, looper, NULL);
		if (err) {
			fprintf(stderr, "helper-exec-mt: pthread_create: %s\n", strerror(err));
			return 1;
		}
	}
	/* Let the threads get going (and through a few loops). */
	const struct timespec ts = { 0, 1000000 };
	while (atomic_load(&running) < 3)
		nanosleep(&ts, NULL);
	const struct timespec settle = { 0, 20000000 }; /* 20 ms */
	nanosleep(&settle, NULL);

	if (!from_thread)
		do_exec();

	int err = pthread_create(&t, NULL, exec_thread, NULL);
	if (err) {
		fprintf(stderr, "helper-exec-mt: pthread_create: %s\n", strerror(err));
		return 1;
	}
	/* The leader keeps busy too until the exec kills it. */
	for (;;) {
		(void)getppid();
		nanosleep(&ts, NULL);
	}
}
