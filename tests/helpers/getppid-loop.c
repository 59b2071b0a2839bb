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
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "loop.h"

int main(int argc, char **argv)
{
	struct loop l = loop_args(argc, argv, "getppid-loop [-v] N", NULL);

	long first = syscall(SYS_getppid);
	loop_start(&l);
	for (unsigned long long i = 0; i < l.n; i++) {
		long r = syscall(SYS_getppid);
		if (r != first) {
			fprintf(stderr, "getppid-loop: call %llu returned %ld, expected %ld\n",
				i, r, first);
			return 1;
		}
	}
	loop_done(&l, "calls");
	return 0;
}
