/* statloop: call stat(2) on one path N times.
 *
 * Usage: statloop [-v] [-r|-s] [-t] N [PATH]   (PATH defaults to /etc/passwd)
 *
 * -r makes each call (newfstatat) from a call site of none of the shapes
 * facet's fast mode patches (five nops before the syscall instruction),
 * so that every call takes the way such sites take: a static program's
 * own syscall wrapper, say. -s makes it through glibc's syscall(2), whose site fast
 * mode patches although its number comes from a register. -t starts a
 * second thread, which waits, before the first call: the process's sites
 * are patched while another thread runs.
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
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "loop.h"

static int raw, via_syscall, threaded;

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* newfstatat(AT_FDCWD, path, st, 0) from a site no patcher knows. */
static long unpatchable_stat(const char *path, struct stat *st)
{
#ifndef __x86_64__
	return syscall(SYS_newfstatat, AT_FDCWD, path, st, 0) < 0 ? -errno : 0; /* no patcher there yet */
#else
	long ret;
	register long r10 __asm__("r10") = 0;
	__asm__ volatile("nop; nop; nop; nop; nop; syscall"
			 : "=a"(ret) : "a"((long)SYS_newfstatat), "D"((long)AT_FDCWD), "S"(path), "d"(st), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
#endif
}

static int stat_once(const char *path, struct stat *st)
{
	if (via_syscall)
		return (int)syscall(SYS_newfstatat, AT_FDCWD, path, st, 0);
	if (raw) {
		long r = unpatchable_stat(path, st);
		if (r < 0)
			errno = (int)-r;
		return r < 0 ? -1 : 0;
	}
	return stat(path, st);
}

int main(int argc, char **argv)
{
	/* -r, -s and -t, anywhere: taken out before the arguments loop.h knows. */
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (i > 0 && !strcmp(argv[i], "-r"))
			raw = 1;
		else if (i > 0 && !strcmp(argv[i], "-s"))
			via_syscall = 1;
		else if (i > 0 && !strcmp(argv[i], "-t"))
			threaded = 1;
		else
			argv[n++] = argv[i];
	}
	struct loop l = loop_args(n, argv, "statloop [-v] [-r|-s] [-t] N [PATH]", "/etc/passwd");
	const char *path = l.path;
	pthread_t th;
	if (threaded && pthread_create(&th, NULL, idle, NULL) != 0) {
		fprintf(stderr, "statloop: cannot start a thread\n");
		return 1;
	}

	struct stat ref, st;
	int ref_rc = stat_once(path, &ref);
	int ref_errno = ref_rc ? errno : 0;

	loop_start(&l);
	for (unsigned long long i = 0; i < l.n; i++) {
		int rc = stat_once(path, &st);
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
