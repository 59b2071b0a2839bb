/* statloop: call stat(2) on one path N times.
 *
 * Usage: statloop [-v] N [PATH]      (PATH defaults to /etc/passwd)
 *
 * stat is in facet's %file set, so under a seccomp-based tracer every call is
 * a *trapped* call.  Prints nothing unless -v is given, in which case the
 * mean cost per call, measured with clock_gettime(CLOCK_MONOTONIC) around the
 * loop, is printed on stderr.  A PATH that does not exist is allowed (every
 * call then fails with the same errno), but the outcome must be the same for
 * every call: if it changes (success vs. failure, errno, or inode), the
 * program exits 1 so that a tracer that corrupts results shows up as a
 * failure, not as a fast run.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: statloop [-v] N [PATH]\n");
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

	struct stat ref, st;
	int ref_rc = stat(path, &ref);
	int ref_errno = ref_rc ? errno : 0;

	uint64_t t0 = now_ns();
	for (unsigned long long i = 0; i < n; i++) {
		int rc = stat(path, &st);
		int e = rc ? errno : 0;
		if (rc != ref_rc || e != ref_errno ||
		    (rc == 0 && (st.st_ino != ref.st_ino || st.st_dev != ref.st_dev))) {
			fprintf(stderr, "statloop: call %llu on %s: rc=%d errno=%d, "
				"expected rc=%d errno=%d\n", i, path, rc, e, ref_rc, ref_errno);
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
