/* loop.h: what the micro-benchmark helpers share: parsing of [-v] N [PATH]
 * (bad arguments print the usage and exit 2), a CLOCK_MONOTONIC clock around
 * the loop, and the -v report on stderr.  Each helper keeps its loop body. */
#ifndef FACET_TESTS_LOOP_H
#define FACET_TESTS_LOOP_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct loop {
	unsigned long long n;	/* N: how many times to run the loop body */
	const char *path;	/* PATH, or the default given to loop_args */
	int verbose;		/* -v */
	uint64_t t0;		/* set by loop_start */
};

static inline void loop_usage(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	exit(2);
}

static inline uint64_t loop_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* USAGE is the usage line without "usage: ".  A PATH argument is accepted
 * only if DEFAULT_PATH is not NULL; it is used when PATH is not given. */
static inline struct loop loop_args(int argc, char **argv, const char *usage,
				    const char *default_path)
{
	struct loop l = { 0, NULL, 0, 0 };
	const char *count = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			l.verbose = 1;
		else if (!count)
			count = argv[i];
		else if (default_path && !l.path)
			l.path = argv[i];
		else
			loop_usage(usage);
	}
	if (!count)
		loop_usage(usage);
	if (!l.path)
		l.path = default_path;

	char *end;
	errno = 0;
	l.n = strtoull(count, &end, 10);
	if (errno || end == count || *end || count[0] == '-')
		loop_usage(usage);
	return l;
}

static inline void loop_start(struct loop *l)
{
	l->t0 = loop_now_ns();
}

/* Call right after the loop.  WHAT names one iteration in the -v report. */
static inline void loop_done(const struct loop *l, const char *what)
{
	uint64_t t1 = loop_now_ns();

	if (l->verbose) {
		if (l->n)
			fprintf(stderr, "%.1f ns/call (%llu %s, %.3f ms)\n",
				(double)(t1 - l->t0) / (double)l->n, l->n, what,
				(double)(t1 - l->t0) / 1e6);
		else
			fprintf(stderr, "0 calls\n");
	}
}

#endif
