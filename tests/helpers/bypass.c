/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-bypass PATH: a deliberately hostile program, for
 * tests/integration/view-bypass.sh. Inside a view whose mounts do not
 * show PATH (a host file), it tries to open PATH anyway:
 *
 *  - "direct": with a syscall instruction of its own (what any program
 *    does; the view must answer);
 *  - through the syscall instructions of facet's in-process runtime: it
 *    finds the executable mappings of a file whose name contains
 *    "facet-loader" in /proc/self/maps (the runtime is mapped from
 *    facet's loader), finds every `0f 05` (syscall) in them, and for
 *    each (at most 64, those followed by `c3`, ret, first) jumps there
 *    with the registers of openat(AT_FDCWD, PATH, O_RDONLY). Each attempt
 *    runs in a child of its own, with handlers on an alternate stack and
 *    a time limit (0.3 s), so that a site that is not followed by ret cannot
 *    crash the program: the child then reports whether the fd the call
 *    would have returned is open on PATH's contents.
 *
 * The runtime admits calls from its own instruction by instruction
 * pointer, so such a jump reaches the kernel unseen: only Landlock (a
 * ruleset equal to the view's mounts) can refuse it, and must.
 *
 * PATH must hold a line starting with "facet-bypass-secret" (how an fd is
 * recognised as PATH's). Prints "direct: RESULT", then either "no runtime
 * mapping" or one line per site and "bypass: none opened" or
 * "bypass: opened through N site(s)"; RESULT is "opened" or an errno name.
 *
 * helper-bypass --map FILE PATH maps FILE executable first (a test of the
 * program itself: FILE named like the runtime, holding syscall
 * instructions, natively).
 *
 * helper-bypass --landlock-abi prints "landlock: ABI N" (the kernel's
 * Landlock ABI version) or "landlock: ERRNO", and exits 0 or 1.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "rt.h"

#define MARKER "facet-bypass-secret"
#define MAX_SITES 64

static const char *target;
static int expect_fd = -1;
static char what[PATH_MAX + 64]; /* the site being tried, for its line */
static int saved_out = -1;	  /* a child's stdout, while 1 and 2 are closed */

/* A child's line: its stdout back on 1 first (after the verdict, which
 * may be about fd 1). */
static void child_say(const char *result, const char *then)
{
	if (saved_out >= 0)
		dup2(saved_out, 1);
	say("%s%s%s", what, result, then);
}

/* Whether FD is open on the secret file. */
static const char *fd_verdict(int fd)
{
	char buf[sizeof(MARKER)];
	if (fcntl(fd, F_GETFD) < 0)
		return NULL;
	ssize_t n = pread(fd, buf, sizeof(MARKER) - 1, 0);
	if (n == (ssize_t)sizeof(MARKER) - 1 && !memcmp(buf, MARKER, sizeof(MARKER) - 1))
		return "opened";
	return "opened something else";
}

static int landlock_abi(void)
{
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1UL /* LANDLOCK_CREATE_RULESET_VERSION */);
	if (abi < 0) {
		say("landlock: %s", ename(errno));
		return 1;
	}
	say("landlock: ABI %ld", abi);
	return 0;
}

#if defined(__x86_64__)
/* Calls SITE with the registers of a system call: rax = NR, rdi, rsi,
 * rdx, r10 = the arguments. Below the red zone, so that the return
 * address pushed by call overwrites nothing of ours. */
static long call_site(const void *site, long nr, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	long ret;
	__asm__ volatile("sub $128, %%rsp\n\t"
			 "call *%[site]\n\t"
			 "add $128, %%rsp"
			 : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10)
			 : [site] "r"(site), "a"(nr)
			 : "rcx", "r8", "r9", "r11", "memory", "cc");
	return ret;
}

/* The program's own syscall instruction. */
static long own_syscall(long nr, long a0, long a1, long a2)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1), "d"(a2) : "rcx", "r11", "memory");
	return ret;
}
#endif

/* A child's exit status: 10 when it opened the secret file. */
static void verdict_exit(const char *v)
{
	_exit(v && !strcmp(v, "opened") ? 10 : 0);
}

static void on_fault(int sig)
{
	const char *v = expect_fd >= 0 ? fd_verdict(expect_fd) : NULL;
	char then[32];
	snprintf(then, sizeof(then), " (then SIG%s)", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	child_say(v ? v : "not opened", then);
	verdict_exit(v);
}

struct site {
	const unsigned char *addr;
	const char *name;
	unsigned long offset;
	int ret;
};

/* Returns 1 when the attempt opened the secret file. */
static int attempt(const struct site *s)
{
	snprintf(what, sizeof(what), "site %s+%#lx%s: ", s->name, s->offset, s->ret ? " (syscall; ret)" : "");
	pid_t pid = fork();
	if (pid < 0) {
		say("%sfork %s", what, ename(errno));
		return 0;
	}
	if (pid == 0) {
		/* Handlers on a stack of their own, whatever the jump does to rsp. */
		static char alt[256 * 1024];
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
		sigaltstack(&ss, NULL);
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fault;
		sa.sa_flags = SA_ONSTACK | SA_NODEFER;
		sigfillset(&sa.sa_mask);
		int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGALRM };
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			sigaction(sigs[i], &sa, NULL);
		/* Whatever the code after the site writes goes nowhere. */
		saved_out = fcntl(1, F_DUPFD_CLOEXEC, 10);
		close(1);
		close(2);
		/* The fd openat would return. */
		expect_fd = dup(0);
		if (expect_fd >= 0)
			close(expect_fd);
		struct itimerval limit = { .it_value = { 0, 300000 } }; /* 0.3 s */
		setitimer(ITIMER_REAL, &limit, NULL);
#if defined(__x86_64__)
		long r = call_site(s->addr, SYS_openat, AT_FDCWD, (long)target, O_RDONLY, 0);
		limit.it_value.tv_usec = 0;
		setitimer(ITIMER_REAL, &limit, NULL);
		if (r >= 0) {
			const char *v = fd_verdict((int)r);
			child_say(v ? v : "not opened", "");
			verdict_exit(v);
		} else if (r > -4096) {
			child_say(ename((int)-r), "");
		} else {
			child_say("returned a bad value", "");
		}
#endif
		_exit(0);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		say("%schild killed by SIG%s", what, sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	return WIFEXITED(st) && WEXITSTATUS(st) == 10;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--landlock-abi"))
		return landlock_abi();
	const char *map = NULL;
	if (argc == 4 && !strcmp(argv[1], "--map")) {
		map = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: helper-bypass [--map FILE] PATH | --landlock-abi\n");
		return 2;
	}
	target = argv[1];
	if (map) {
		int fd = open(map, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 ||
		    mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0) == MAP_FAILED) {
			say("map %s: %s", map, ename(errno));
			return 1;
		}
		close(fd);
	}
	setvbuf(stdout, NULL, _IONBF, 0);
#if !defined(__x86_64__)
	say("direct: not this architecture");
	say("no runtime mapping");
	return 0;
#else
	long d = own_syscall(SYS_openat, AT_FDCWD, (long)target, O_RDONLY);
	if (d >= 0) {
		const char *v = fd_verdict((int)d);
		say("direct: %s", v ? v : "not opened");
		close((int)d);
	} else {
		say("direct: %s", ename((int)-d));
	}

	FILE *maps = fopen("/proc/self/maps", "re");
	if (!maps) {
		say("maps: %s", ename(errno));
		return 1;
	}
	static struct site sites[MAX_SITES * 16];
	int n = 0, mappings = 0;
	char line[PATH_MAX + 256];
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi, off;
		char perms[8];
		int pathpos = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %n", &lo, &hi, perms, &off, &pathpos) < 4 || !pathpos)
			continue;
		char *path = line + pathpos;
		path[strcspn(path, "\n")] = 0;
		if (perms[2] != 'x' || !strstr(path, "facet-loader"))
			continue;
		if (perms[0] != 'r') {
			say("mapping %s: executable but not readable", path);
			continue;
		}
		mappings++;
		const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		for (unsigned long a = lo; a + 1 < hi && n < (int)(sizeof(sites) / sizeof(sites[0])); a++) {
			const unsigned char *p = (const unsigned char *)a;
			if (p[0] != 0x0f || p[1] != 0x05)
				continue;
			sites[n].addr = p;
			sites[n].name = strdup(name);
			sites[n].offset = off + (a - lo);
			sites[n].ret = a + 2 < hi && p[2] == 0xc3;
			n++;
		}
	}
	fclose(maps);
	if (!mappings) {
		say("no runtime mapping");
		return 0;
	}
	int rets = 0;
	for (int i = 0; i < n; i++)
		rets += sites[i].ret;
	say("sites: %d syscall instructions, %d followed by ret", n, rets);
	/* Those followed by ret first, then the others, MAX_SITES in all. */
	int tried = 0, opened = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n && tried < MAX_SITES; i++)
			if (sites[i].ret == !pass) {
				opened += attempt(&sites[i]);
				tried++;
			}
	if (opened)
		say("bypass: opened through %d site(s) of %d tried", opened, tried);
	else
		say("bypass: none opened (%d site(s) tried)", tried);
	return 0;
#endif
}
