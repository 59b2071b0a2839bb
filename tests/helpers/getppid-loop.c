/* getppid-loop: call getppid(2) N times through syscall(2).
 *
 * Usage: getppid-loop [-v] N
 *
 * getppid is not in any facet trace set, so under a seccomp-based tracer it
 * is an *untrapped* call: the cost measured is that of the BPF filter alone.
 * The raw syscall(SYS_getppid) is used so that libc can neither cache nor
 * inline the result.  Prints nothing unless -v is given, in which case the
 * mean cost per call, measured with clock_gettime(CLOCK_MONOTONIC) around the
 * loop, is printed on stderr.  Exits 1 if the result ever changes (a tracer
 * that corrupts the return value is a failure, not a fast run).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: getppid-loop [-v] N\n");
	exit(2);
}

static unsigned long long parse_count(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		usage();
	return n;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int verbose = 0;
	const char *count = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (!count)
			count = argv[i];
		else
			usage();
	}
	if (!count)
		usage();
	unsigned long long n = parse_count(count);

	long first = syscall(SYS_getppid);
	uint64_t t0 = now_ns();
	for (unsigned long long i = 0; i < n; i++) {
		long r = syscall(SYS_getppid);
		if (r != first) {
			fprintf(stderr, "getppid-loop: call %llu returned %ld, expected %ld\n",
				i, r, first);
			return 1;
		}
	}
	uint64_t t1 = now_ns();

	if (verbose) {
		if (n)
			fprintf(stderr, "%.1f ns/call (%llu calls, %.3f ms)\n",
				(double)(t1 - t0) / (double)n, n, (double)(t1 - t0) / 1e6);
		else
			fprintf(stderr, "0 calls\n");
	}
	return 0;
}
