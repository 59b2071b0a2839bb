/* openloop: open(2) one path read-only and close(2) it, N times.
 *
 * Usage: openloop [-v] N [PATH]      (PATH defaults to /etc/passwd)
 *
 * open is in facet's %file set (a trapped call whose path argument has to be
 * read from the tracee); close is not.  Prints nothing unless -v is given, in
 * which case the mean cost of one open+close pair, measured with
 * clock_gettime(CLOCK_MONOTONIC) around the loop, is printed on stderr.  A
 * PATH that cannot be opened is allowed (every open then fails with the same
 * errno), but the outcome must be the same every time, and close must
 * succeed: otherwise the program exits 1, so that a tracer that corrupts
 * results shows up as a failure, not as a fast run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: openloop [-v] N [PATH]\n");
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

/* Returns 0 or -errno. */
static int open_close(const char *path, unsigned long long i)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (close(fd) != 0) {
		fprintf(stderr, "openloop: call %llu: close(%d): %s\n", i, fd, strerror(errno));
		exit(1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int verbose = 0;
	const char *count = NULL, *path = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (!count)
			count = argv[i];
		else if (!path)
			path = argv[i];
		else
			usage();
	}
	if (!count)
		usage();
	if (!path)
		path = "/etc/passwd";
	unsigned long long n = parse_count(count);

	int ref = open_close(path, 0);

	uint64_t t0 = now_ns();
	for (unsigned long long i = 0; i < n; i++) {
		int r = open_close(path, i);
		if (r != ref) {
			fprintf(stderr, "openloop: call %llu on %s: %s, expected %s\n", i, path,
				r ? strerror(-r) : "success", ref ? strerror(-ref) : "success");
			return 1;
		}
	}
	uint64_t t1 = now_ns();

	if (verbose) {
		if (n)
			fprintf(stderr, "%.1f ns/call (%llu open+close pairs, %.3f ms)\n",
				(double)(t1 - t0) / (double)n, n, (double)(t1 - t0) / 1e6);
		else
			fprintf(stderr, "0 calls\n");
	}
	return 0;
}
