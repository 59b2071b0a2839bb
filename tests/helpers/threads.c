/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-threads [PATH]: 8 threads each do 200 rounds of
 * openat(AT_FDCWD, PATH)/close plus a stat() of a path that does not exist.
 * Prints "threads ok N" (N = successful opens) and exits 0 only if every
 * open succeeded and every stat failed with ENOENT.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NTHREADS 8
#define NITER 200
#define MISSING "/nonexistent-facet-helper/no-such-file"

static const char *path;

struct result {
	int opens;      /* successful openat() */
	int open_fail;  /* failed openat(), last errno in open_errno */
	int open_errno;
	int stat_bad;   /* stat() of MISSING that did not fail with ENOENT */
	int close_fail;
};

static void *worker(void *arg)
{
	struct result *r = arg;

	for (int i = 0; i < NITER; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			r->open_fail++;
			r->open_errno = errno;
		} else {
			r->opens++;
			if (close(fd) != 0)
				r->close_fail++;
		}
		struct stat st;
		if (stat(MISSING, &st) == 0 || errno != ENOENT)
			r->stat_bad++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tids[NTHREADS];
	struct result res[NTHREADS];
	int total = 0, bad = 0;

	if (argc > 1)
		path = argv[1];
	else
		path = access("/etc/hostname", R_OK) == 0 ? "/etc/hostname" : "/etc/passwd";

	memset(res, 0, sizeof(res));
	for (int i = 0; i < NTHREADS; i++) {
		int err = pthread_create(&tids[i], NULL, worker, &res[i]);
		if (err) {
			fprintf(stderr, "helper-threads: pthread_create: %s\n", strerror(err));
			return 1;
		}
	}
	for (int i = 0; i < NTHREADS; i++) {
		int err = pthread_join(tids[i], NULL);
		if (err) {
			fprintf(stderr, "helper-threads: pthread_join: %s\n", strerror(err));
			return 1;
		}
		total += res[i].opens;
		if (res[i].open_fail) {
			fprintf(stderr, "helper-threads: thread %d: %d opens of %s failed (last: %s)\n",
				i, res[i].open_fail, path, strerror(res[i].open_errno));
			bad = 1;
		}
		if (res[i].stat_bad) {
			fprintf(stderr, "helper-threads: thread %d: %d stats of %s did not fail with ENOENT\n",
				i, res[i].stat_bad, MISSING);
			bad = 1;
		}
		if (res[i].close_fail) {
			fprintf(stderr, "helper-threads: thread %d: %d closes failed\n", i, res[i].close_fail);
			bad = 1;
		}
	}
	if (bad || total != NTHREADS * NITER) {
		printf("threads FAILED %d of %d opens\n", total, NTHREADS * NITER);
		return 1;
	}
	printf("threads ok %d\n", total);
	return 0;
}
