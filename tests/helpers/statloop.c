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
#include <stdio.h>
#include <sys/stat.h>

#include "loop.h"

int main(int argc, char **argv)
{
	struct loop l = loop_args(argc, argv, "statloop [-v] N [PATH]", "/etc/passwd");
	const char *path = l.path;

	struct stat ref, st;
	int ref_rc = stat(path, &ref);
	int ref_errno = ref_rc ? errno : 0;

	loop_start(&l);
	for (unsigned long long i = 0; i < l.n; i++) {
		int rc = stat(path, &st);
		int e = rc ? errno : 0;
		if (rc != ref_rc || e != ref_errno ||
		    (rc == 0 && (st.st_ino != ref.st_ino || st.st_dev != ref.st_dev))) {
			fprintf(stderr, "statloop: call %llu on %s: rc=%d errno=%d, "
				"expected rc=%d errno=%d\n", i, path, rc, e, ref_rc, ref_errno);
			return 1;
		}
	}
	loop_done(&l, "calls");
	return 0;
}
