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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"

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
	struct loop l = loop_args(argc, argv, "openloop [-v] N [PATH]", "/etc/passwd");
	const char *path = l.path;

	int ref = open_close(path, 0);

	loop_start(&l);
	for (unsigned long long i = 0; i < l.n; i++) {
		int r = open_close(path, i);
		if (r != ref) {
			fprintf(stderr, "openloop: call %llu on %s: %s, expected %s\n", i, path,
				r ? strerror(-r) : "success", ref ? strerror(-ref) : "success");
			return 1;
		}
	}
	loop_done(&l, "open+close pairs");
	return 0;
}
