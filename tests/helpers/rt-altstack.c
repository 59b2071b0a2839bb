/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-rt-altstack DIR: signal handlers on an alternate stack
 * (sigaltstack + SA_ONSTACK, which Go uses for every signal) that make
 * path calls, natively and in a view: the in-process runtime's own SIGSYS
 * then arrives while the program runs on its alternate stack, and must
 * neither move it, nor overflow it, nor show in what the program reads
 * back. One "case: result" line each (tests/helpers/rt.h), in an empty
 * writable directory DIR that it leaves empty.
 *
 *  - no alternate stack at first; one set is read back as set;
 *  - an SA_ONSTACK handler runs on it (the address of a local), sees
 *    SS_ONSTACK from sigaltstack() and the stack as set in its ucontext's
 *    uc_stack (the kernel saves the settings there, flags 0), cannot
 *    change it (EPERM), makes path calls (open, stat, lstat, readlink,
 *    access, getdents, mkdir, unlink) and a nested SA_ONSTACK handler
 *    runs below it on the same stack and makes path calls too;
 *  - a handler without SA_ONSTACK runs on the ordinary stack;
 *  - a stack of sysconf(_SC_SIGSTKSZ) bytes with a guard page below it is
 *    enough for a handler making path calls;
 *  - SS_AUTODISARM: disarmed inside the handler, armed again after;
 *  - SS_DISABLE: an SA_ONSTACK handler then runs on the ordinary stack;
 *  - a thread starts without one and uses its own;
 *  - SIGSYS itself, sent with kill, handled on the alternate stack;
 *  - an interval timer whose SA_ONSTACK handler makes path calls while
 *    the program makes path calls in a loop: every call answers right;
 *  - code running on a tiny stack (4 KiB, as a goroutine's; signals go
 *    to the alternate stack) makes path calls, chdir included: nothing
 *    is written below that stack (a canary fills the 60 KiB under it).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>

#include "rt.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static char dpath[PATH_MAX], fpath[PATH_MAX + 8], lpath[PATH_MAX + 8], npath[PATH_MAX + 8];

struct stack {
	char *base;
	size_t size;
};

/* A stack of SIZE bytes with an inaccessible guard page below it. */
static struct stack new_stack(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size = (size + page - 1) / page * page;
	char *m = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		say("mmap: %s", ename(errno));
		exit(1);
	}
	mprotect(m, page, PROT_NONE);
	return (struct stack){ m + page, size };
}

static int on(const struct stack *s, const void *p)
{
	return (const char *)p >= s->base && (const char *)p < s->base + s->size;
}

static const char *ss_flags(int f)
{
	static char buf[64];
	buf[0] = 0;
	if (f & SS_ONSTACK)
		strcat(buf, "|ONSTACK");
	if (f & SS_DISABLE)
		strcat(buf, "|DISABLE");
	if ((unsigned)f & SS_AUTODISARM)
		strcat(buf, "|AUTODISARM");
	if (f & ~(SS_ONSTACK | SS_DISABLE | (int)SS_AUTODISARM))
		strcat(buf, "|?");
	return buf[0] ? buf + 1 : "0";
}

static void set_stack(const char *what, const struct stack *s, int flags)
{
	stack_t ss = { .ss_sp = s->base, .ss_size = s->size, .ss_flags = flags };
	say("%s: %s", what, rc(sigaltstack(&ss, NULL)));
}

/* What sigaltstack(NULL, &old) says, compared with S. */
static const char *current(const struct stack *s, char *buf, size_t size)
{
	stack_t cur;
	if (sigaltstack(NULL, &cur) != 0)
		return ename(errno);
	if (cur.ss_flags & SS_DISABLE)
		snprintf(buf, size, "flags=%s", ss_flags(cur.ss_flags));
	else
		snprintf(buf, size, "flags=%s sp=%s size=%s", ss_flags(cur.ss_flags),
			 s && cur.ss_sp == s->base ? "ours" : "other", s && cur.ss_size == s->size ? "ours" : "other");
	return buf;
}

/* Path calls with a small frame (the small stack's handler uses it): a
 * word per call into OUT. */
static void path_calls(char *out, size_t size)
{
	struct stat st;
	char buf[16];
	int fd = open(fpath, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	if (fd >= 0)
		close(fd);
	int s = stat(fpath, &st);
	int l = lstat(lpath, &st);
	int ls = S_ISLNK(st.st_mode);
	ssize_t rl = readlink(lpath, buf, sizeof(buf));
	int a = access(fpath, R_OK);
	int m = mkdir(npath, 0700);
	int r = rmdir(npath);
	int missing = stat(npath, &st) == -1 && errno == ENOENT;
	int dfd = open(dpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char dents[512] __attribute__((aligned(8)));
	long g = dfd >= 0 ? syscall(SYS_getdents64, dfd, dents, sizeof(dents)) : -1;
	if (dfd >= 0)
		close(dfd);
	snprintf(out, size, "open+read=%s stat=%s lstat=%s readlink=%s access=%s mkdir=%s rmdir=%s gone=%s getdents=%s",
		 n == 6 ? "ok" : "bad", s == 0 ? "ok" : "bad", l == 0 && ls ? "ok" : "bad",
		 rl == 4 && !memcmp(buf, "file", 4) ? "ok" : "bad", a == 0 ? "ok" : "bad", m == 0 ? "ok" : "bad",
		 r == 0 ? "ok" : "bad", missing ? "ok" : "bad", g > 0 ? "ok" : "bad");
}

/* --- the main alternate stack ------------------------------------------------------------ */

static struct stack big, small;
static const struct stack *expect; /* the stack the handlers should run on */

static void on_usr2(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	int here;
	char buf[128], calls[256];
	say("nested: on-altstack=%d uc_stack.flags=%s %s", on(expect, &here), ss_flags(uc->uc_stack.ss_flags),
	    current(expect, buf, sizeof(buf)));
	path_calls(calls, sizeof(calls));
	say("nested-path-calls: %s", calls);
}

static void on_usr1(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	int here;
	char buf[128], calls[256];
	say("handler: on-altstack=%d uc_stack.flags=%s uc_stack.sp=%s %s", on(expect, &here),
	    ss_flags(uc->uc_stack.ss_flags), uc->uc_stack.ss_sp == expect->base ? "ours" : "other",
	    current(expect, buf, sizeof(buf)));
	stack_t other = { .ss_sp = small.base, .ss_size = small.size, .ss_flags = 0 };
	say("handler-change-altstack: %s", rc(sigaltstack(&other, NULL)));
	path_calls(calls, sizeof(calls));
	say("handler-path-calls: %s", calls);
	raise(SIGUSR2);
	say("handler-after-nested: %s", current(expect, buf, sizeof(buf)));
}

static void on_plain(int sig)
{
	int here;
	char buf[128], calls[256];
	say("plain-handler: on-altstack=%d %s", on(&big, &here), current(&big, buf, sizeof(buf)));
	path_calls(calls, sizeof(calls));
	say("plain-path-calls: %s", calls);
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* --- a small stack: no say() inside (its buffer is 4 KiB) ---------------------------------- */

static volatile int small_on;
static char small_calls[256];
static char small_state[128];

static void on_small(int sig)
{
	int here;
	small_on = on(&small, &here);
	current(&small, small_state, sizeof(small_state));
	path_calls(small_calls, sizeof(small_calls));
}

/* --- SS_AUTODISARM ------------------------------------------------------------------------------- */

static char autodisarm_inside[128];
static volatile int autodisarm_on;

static void on_autodisarm(int sig)
{
	int here;
	autodisarm_on = on(&big, &here);
	current(&big, autodisarm_inside, sizeof(autodisarm_inside));
}

/* --- SIGSYS on the alternate stack ---------------------------------------------------------------- */

static volatile int sys_on, sys_count;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	int here;
	sys_on = on(&big, &here);
	sys_count++;
}

/* --- a thread ------------------------------------------------------------------------------------- */

static struct stack thread_stack;

static void on_thread_usr1(int sig)
{
	int here;
	char buf[128], calls[256];
	say("thread-handler: on-own-altstack=%d %s", on(&thread_stack, &here), current(&thread_stack, buf, sizeof(buf)));
	path_calls(calls, sizeof(calls));
	say("thread-path-calls: %s", calls);
}

static void *thread_main(void *arg)
{
	char buf[128];
	say("thread-initially: %s", current(NULL, buf, sizeof(buf)));
	set_stack("thread-sigaltstack", &thread_stack, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_thread_usr1;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pthread_kill(pthread_self(), SIGUSR1);
	return NULL;
}

/* --- an interval timer during path calls ------------------------------------------------------------ */

static volatile sig_atomic_t ticks, tick_off_stack, tick_bad;

static void on_tick(int sig)
{
	int here;
	int saved = errno;
	struct stat st;
	ticks++;
	if (!on(&big, &here))
		tick_off_stack++;
	if (stat(fpath, &st) != 0 || st.st_size != 6)
		tick_bad++;
	if (stat(npath, &st) != -1 || errno != ENOENT)
		tick_bad++;
	errno = saved;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void timer_during_calls(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick;
	sa.sa_flags = SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	int bad = 0;
	long calls = 0;
	double end = now() + 0.4;
	while (now() < end || ticks < 20) {
		struct stat st;
		char buf[8];
		if (stat(fpath, &st) != 0 || st.st_size != 6)
			bad++;
		int fd = open(fpath, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || read(fd, buf, 6) != 6)
			bad++;
		if (fd >= 0)
			close(fd);
		if (readlink(lpath, buf, sizeof(buf)) != 4)
			bad++;
		calls += 3;
		if (now() > end + 20)
			break;
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_IGN);
	say("timer-during-calls: ticks>=20=%d off-altstack=%d handler-wrong=%d main-wrong=%d", ticks >= 20,
	    (int)tick_off_stack, (int)tick_bad, bad);
}

/* --- a tiny stack ------------------------------------------------------------------------------------ */

static volatile long tiny_results[6];

/* On the tiny stack: raw calls only, results in a static array. */
static void on_tiny_stack(void)
{
	char st[256];
	char buf[16];
	tiny_results[0] = syscall(SYS_openat, AT_FDCWD, fpath, O_RDONLY | O_CLOEXEC);
	if (tiny_results[0] >= 0)
		syscall(SYS_close, tiny_results[0]);
	tiny_results[1] = syscall(SYS_newfstatat, AT_FDCWD, fpath, st, 0);
	tiny_results[2] = syscall(SYS_readlinkat, AT_FDCWD, lpath, buf, sizeof(buf));
	tiny_results[3] = syscall(SYS_newfstatat, AT_FDCWD, npath, st, 0) < 0 ? errno : 0;
	tiny_results[4] = syscall(SYS_chdir, dpath);
	tiny_results[5] = syscall(SYS_chdir, "/");
}

static void tiny_stack(void)
{
	long touched = rt_on_tiny_stack(on_tiny_stack);
	if (touched < 0) {
		say("tiny-stack: mmap %s", ename((int)-touched));
		return;
	}
	say("tiny-stack: open=%s stat=%s readlink=%s missing=%s chdir=%s,%s bytes-below-written=%ld",
	    tiny_results[0] >= 0 ? "ok" : "bad", tiny_results[1] == 0 ? "ok" : "bad", tiny_results[2] == 4 ? "ok" : "bad",
	    ename((int)tiny_results[3]), tiny_results[4] == 0 ? "ok" : "bad", tiny_results[5] == 0 ? "ok" : "bad", touched);
}

int main(int argc, char **argv)
{
	char buf[128];
	if (argc != 2 || argv[1][0] != '/') {
		fprintf(stderr, "usage: helper-rt-altstack /ABSOLUTE/EMPTY-DIR\n");
		return 2;
	}
	rt_dir = argv[1];
	umask(022);
	snprintf(dpath, sizeof(dpath), "%s/as", rt_dir);
	snprintf(fpath, sizeof(fpath), "%s/file", dpath);
	snprintf(lpath, sizeof(lpath), "%s/link", dpath);
	snprintf(npath, sizeof(npath), "%s/new", dpath);
	say("setup: mkdir=%s", rc(mkdir(dpath, 0755)));
	int fd = open(fpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	say("setup: file=%s", fd >= 0 && write(fd, "hello\n", 6) == 6 ? "ok" : ename(errno));
	if (fd >= 0)
		close(fd);
	say("setup: symlink=%s", rc(symlink("file", lpath)));

	big = new_stack(256 * 1024);
	long sigstksz = sysconf(_SC_SIGSTKSZ);
	small = new_stack(sigstksz > 0 ? (size_t)sigstksz : SIGSTKSZ);
	thread_stack = new_stack(64 * 1024);

	say("initially: %s", current(NULL, buf, sizeof(buf)));
	set_stack("sigaltstack", &big, 0);
	say("readback: %s", current(&big, buf, sizeof(buf)));
	stack_t bad = { .ss_sp = big.base, .ss_size = 1024, .ss_flags = 0 };
	say("too-small: %s", rc(sigaltstack(&bad, NULL)));
	bad.ss_size = big.size;
	bad.ss_flags = 0x4000;
	say("bad-flags: %s", rc(sigaltstack(&bad, NULL)));
	say("readback-unchanged: %s", current(&big, buf, sizeof(buf)));

	/* An SA_ONSTACK handler, and one nested in it. */
	expect = &big;
	handle(SIGUSR1, on_usr1, SA_ONSTACK);
	handle(SIGUSR2, on_usr2, SA_ONSTACK);
	raise(SIGUSR1);
	say("after-handler: %s", current(&big, buf, sizeof(buf)));

	/* Without SA_ONSTACK. */
	signal(SIGURG, on_plain);
	raise(SIGURG);

	/* SIGSYS on the alternate stack. */
	handle(SIGSYS, on_sigsys, SA_ONSTACK);
	kill(getpid(), SIGSYS);
	say("sigsys-handler: count=%d on-altstack=%d", sys_count, sys_on);
	signal(SIGSYS, SIG_DFL);

	/* Path calls from a tiny stack, signals on the alternate one. */
	tiny_stack();

	/* An interval timer's handler during path calls. */
	timer_during_calls();

	/* SS_AUTODISARM. */
	set_stack("sigaltstack-autodisarm", &big, (int)SS_AUTODISARM);
	say("readback-autodisarm: %s", current(&big, buf, sizeof(buf)));
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_autodisarm;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	say("autodisarm-inside: on-altstack=%d %s", autodisarm_on, autodisarm_inside);
	say("autodisarm-after: %s", current(&big, buf, sizeof(buf)));

	/* A stack of _SC_SIGSTKSZ bytes. */
	set_stack("sigaltstack-small", &small, 0);
	sa.sa_handler = on_small;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	say("small-handler: on-altstack=%d %s", small_on, small_state);
	say("small-path-calls: %s", small_calls);

	/* Disabled. */
	stack_t off = { .ss_flags = SS_DISABLE };
	say("disable: %s", rc(sigaltstack(&off, NULL)));
	say("readback-disabled: %s", current(NULL, buf, sizeof(buf)));
	sa.sa_handler = on_autodisarm;
	sigaction(SIGUSR1, &sa, NULL);
	autodisarm_on = -1;
	raise(SIGUSR1);
	say("disabled-handler: on-altstack=%d", autodisarm_on);
	signal(SIGUSR1, SIG_DFL);

	/* A thread. */
	pthread_t t;
	if (pthread_create(&t, NULL, thread_main, NULL) == 0)
		pthread_join(t, NULL);

	say("cleanup: %s", unlink(lpath) || unlink(fpath) || rmdir(dpath) ? ename(errno) : "ok");
	return 0;
}
