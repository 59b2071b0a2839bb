/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-rt-sigsys DIR: a program that uses SIGSYS itself, and must see
 * the same inside a view as natively, although the in-process runtime
 * uses SIGSYS (SECCOMP_RET_TRAP) to take the program's path calls. It
 * prints one "case: result" line each (tests/helpers/rt.h), in an empty
 * writable directory DIR that it leaves empty. Run it by an absolute path:
 * it execs itself (argv[0]).
 *
 *  - its own SIGSYS handler: installed, read back with sigaction() and
 *    the raw rt_sigaction (handler, flags, mask); SIGSYS sent with raise,
 *    kill and sigqueue reaches it with the right si_code, pid and value,
 *    with SIGSYS and its sa_mask blocked inside;
 *  - its own seccomp filter (in a child): SECCOMP_RET_TRAP for getppid
 *    reaches its handler with si_code SYS_SECCOMP, si_syscall, si_arch,
 *    si_errno (the filter's data) and si_call_addr (the address after its
 *    own syscall instruction), and the value the handler puts in the
 *    registers is the call's result; a trapped path call (faccessat) too;
 *    SECCOMP_RET_ERRNO for mkdirat wins over the runtime (the directory
 *    is not made); path calls still work under the filter, which refuses
 *    calls the program does not make (openat2, readlinkat, faccessat2,
 *    statx: a runtime must not answer with them); a trap while
 *    SIGSYS is blocked or ignored kills the process with SIGSYS, as the
 *    kernel forces it;
 *  - SIGSYS blocked: the mask read back (sigprocmask, the raw call and
 *    /proc/self/status), path calls work, a SIGSYS sent meanwhile stays
 *    pending and arrives when unblocked;
 *  - SIGSYS ignored: read back, and path calls work;
 *  - a handler whose sa_mask is full (every signal blocked inside) makes
 *    path calls;
 *  - across execve: a blocked SIGSYS stays blocked, an ignored one stays
 *    ignored, a handled one becomes SIG_DFL (argv[1] = "after-exec").
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>

#include "rt.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

#if defined(__x86_64__)
#define RT_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define RT_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

static char b1[PATH_MAX], b2[PATH_MAX + 16];

/* What the SIGSYS handler saw last. */
static volatile sig_atomic_t sys_count;
static volatile int sys_signo, sys_code, sys_errno, sys_syscall, sys_from_self, sys_value;
static volatile unsigned sys_arch;
static void *volatile sys_call_addr;
static volatile int sys_blocked_sys, sys_blocked_usr2;
static volatile long sys_set_result; /* when non-zero: a trapped call's result */

static void on_sigsys(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	sigset_t now;
	sys_count++;
	sys_signo = si->si_signo;
	sys_code = si->si_code;
	sys_errno = si->si_errno;
	if (si->si_code == SYS_SECCOMP) {
		sys_syscall = si->si_syscall;
		sys_arch = si->si_arch;
		sys_call_addr = si->si_call_addr;
		if (sys_set_result) {
#if defined(__x86_64__)
			uc->uc_mcontext.gregs[REG_RAX] = sys_set_result;
#elif defined(__aarch64__)
			uc->uc_mcontext.regs[0] = (unsigned long)sys_set_result;
#endif
		}
	} else {
		sys_from_self = si->si_pid == getpid() && si->si_uid == getuid();
		sys_value = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
	}
	sigprocmask(SIG_SETMASK, NULL, &now);
	sys_blocked_sys = sigismember(&now, SIGSYS);
	sys_blocked_usr2 = sigismember(&now, SIGUSR2);
	(void)uc;
}

static const char *code_name(int code)
{
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_TKILL: return "SI_TKILL";
	case SI_QUEUE: return "SI_QUEUE";
	case SYS_SECCOMP: return "SYS_SECCOMP";
	default: return "other";
	}
}

static void install_sigsys(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	if (sigaction(SIGSYS, &sa, NULL) != 0) {
		say("install-sigsys: %s", ename(errno));
		exit(1);
	}
}

static const char *disposition(int sig)
{
	struct sigaction old;
	if (sigaction(sig, NULL, &old) != 0)
		return ename(errno);
	if (old.sa_handler == SIG_DFL)
		return "SIG_DFL";
	if (old.sa_handler == SIG_IGN)
		return "SIG_IGN";
	if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction == on_sigsys)
		return "on_sigsys";
	return "another handler";
}

static int is_blocked(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	return sigismember(&cur, sig);
}

/* The SIGSYS bit of the /proc/self/status line NAME (SigBlk, SigIgn, SigCgt, SigPnd, ShdPnd). */
static const char *status_bit(const char *name, int sig)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return ename(errno);
	char line[256];
	size_t n = strlen(name);
	const char *res = "missing";
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			unsigned long long v = strtoull(line + n + 1, NULL, 16);
			res = (v >> (sig - 1)) & 1 ? "1" : "0";
			break;
		}
	}
	fclose(f);
	return res;
}

static void status_line(const char *what)
{
	char blk[8], ign[8], cgt[8], pnd[8];
	snprintf(blk, sizeof(blk), "%s", status_bit("SigBlk", SIGSYS));
	snprintf(ign, sizeof(ign), "%s", status_bit("SigIgn", SIGSYS));
	snprintf(cgt, sizeof(cgt), "%s", status_bit("SigCgt", SIGSYS));
	snprintf(pnd, sizeof(pnd), "%s", status_bit("ShdPnd", SIGSYS));
	say("%s: proc-status SIGSYS blocked=%s ignored=%s caught=%s pending=%s", what, blk, ign, cgt, pnd);
}

/* A few path calls in DIR, as one line: they must all work. */
static void path_calls(const char *what)
{
	struct stat st;
	char r[512] = "";
	char buf[64];
	const char *d = in_dir(what, b1, sizeof(b1));
	strcat(r, "mkdir=");
	strcat(r, rc(mkdir(d, 0755)));
	snprintf(b2, sizeof(b2), "%s/file", d);
	int fd = open(b2, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	strcat(r, " creat=");
	strcat(r, fd < 0 ? ename(errno) : "0");
	if (fd >= 0) {
		if (write(fd, "data", 4) != 4)
			strcat(r, "(short)");
		close(fd);
	}
	strcat(r, " stat=");
	strcat(r, rc(stat(b2, &st)));
	if (st.st_size != 4)
		strcat(r, "(size?)");
	strcat(r, " lstat=");
	strcat(r, rc(lstat(b2, &st)));
	strcat(r, " access=");
	strcat(r, rc(access(b2, R_OK)));
	snprintf(b2, sizeof(b2), "%s/link", d);
	strcat(r, " symlink=");
	strcat(r, rc(symlink("file", b2)));
	ssize_t n = readlink(b2, buf, sizeof(buf));
	strcat(r, " readlink=");
	strcat(r, n == 4 && !memcmp(buf, "file", 4) ? "file" : n < 0 ? ename(errno) : "?");
	fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int entries = 0;
	if (fd >= 0) {
		DIR *dir = fdopendir(fd);
		struct dirent *e;
		while (dir && (e = readdir(dir)))
			entries++;
		if (dir)
			closedir(dir);
		else
			close(fd);
	}
	snprintf(buf, sizeof(buf), " entries=%d", entries);
	strcat(r, buf);
	strcat(r, " unlink=");
	strcat(r, rc(unlink(b2)));
	snprintf(b2, sizeof(b2), "%s/file", d);
	strcat(r, ",");
	strcat(r, rc(unlink(b2)));
	strcat(r, " rmdir=");
	strcat(r, rc(rmdir(d)));
	strcat(r, " stat-gone=");
	strcat(r, rc(stat(d, &st)));
	say("%s: %s", what, r);
}

static void readback(void)
{
	struct sigaction old;
	sigaction(SIGSYS, NULL, &old);
	int flags = old.sa_flags & (SA_SIGINFO | SA_RESTART | SA_ONSTACK | SA_NODEFER | SA_RESETHAND);
	int others = 0;
	for (int s = 1; s < NSIG; s++)
		if (s != SIGUSR2 && sigismember(&old.sa_mask, s) == 1)
			others++;
	say("sigaction-readback: handler=%s flags=%s%s mask-usr2=%d mask-others=%d",
	    old.sa_sigaction == on_sigsys ? "ours" : "not ours", flags & SA_SIGINFO ? "SIGINFO" : "",
	    flags & SA_RESTART ? "|RESTART" : "", sigismember(&old.sa_mask, SIGUSR2), others);
	/* The kernel's own struct: handler, flags, restorer, mask. */
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} k;
	memset(&k, 0, sizeof(k));
	long r = syscall(SYS_rt_sigaction, SIGSYS, NULL, &k, 8);
	say("rt_sigaction-readback: %s handler=%s flags=%#lx mask=%#llx", rc(r),
	    k.handler == (void *)on_sigsys ? "ours" : "not ours", k.flags & ~0x04000000UL /* SA_RESTORER */,
	    (unsigned long long)k.mask);
}

static void own_handler(void)
{
	install_sigsys(SA_RESTART);
	readback();

	sys_count = 0;
	raise(SIGSYS);
	say("raise: count=%d signo=%s code=%s self=%d blocked-inside sys=%d usr2=%d", sys_count,
	    sys_signo == SIGSYS ? "SIGSYS" : "?", code_name(sys_code), sys_from_self, sys_blocked_sys, sys_blocked_usr2);
	say("after-raise: blocked=%d", is_blocked(SIGSYS));
	sys_count = 0;
	kill(getpid(), SIGSYS);
	say("kill: count=%d code=%s self=%d", sys_count, code_name(sys_code), sys_from_self);
	sys_count = 0;
	sigqueue(getpid(), SIGSYS, (union sigval){ .sival_int = 77 });
	say("sigqueue: count=%d code=%s value=%d", sys_count, code_name(sys_code), sys_value);
	sys_count = 0;
	syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGSYS);
	say("tgkill: count=%d code=%s", sys_count, code_name(sys_code));
	status_line("handled");
	path_calls("handled-path-calls");
}

/* --- the program's own seccomp filter ---------------------------------------------------- */

#if defined(__x86_64__)
extern const char rt_after_own_syscall[];
/* getppid from an instruction of our own, whose next address is known. */
__attribute__((noinline)) static long own_getppid(void)
{
	long ret;
	__asm__ volatile("syscall\n\t"
			 ".globl rt_after_own_syscall\n\t"
			 ".hidden rt_after_own_syscall\n"
			 "rt_after_own_syscall:"
			 : "=a"(ret)
			 : "0"((long)SYS_getppid)
			 : "rcx", "r11", "memory");
	return ret;
}
#endif

static int install_filter(void)
{
#ifdef RT_AUDIT_ARCH
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RT_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 0x2a),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_faccessat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 0x2b),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdirat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		/* Calls glibc's wrappers do not make here (x86-64: open is
		 * openat, readlink readlink, access access, stat newfstatat),
		 * refused as sandboxes refuse them: a runtime that answers the
		 * program's calls with these gets the refusal. */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM), /* Docker's default errno */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_readlinkat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EROFS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_faccessat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EROFS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_statx, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EROFS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* In a child: what it printed, then how it ended. */
static void wait_child(const char *what, pid_t pid)
{
	int st;
	if (pid < 0) {
		say("%s: fork %s", what, ename(errno));
		return;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		say("%s: exit %d", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		say("%s: killed by %s", what, sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	else
		say("%s: status %#x", what, st);
}

static void trap_getppid_then(int how)
{
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* no core dump of the expected death */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	if (how == 1)
		sigprocmask(SIG_BLOCK, &s, NULL);
	else
		signal(SIGSYS, SIG_IGN);
	(void)syscall(SYS_getppid);
	say("trap-not-fatal");
	_exit(0);
}

static void own_filter_child(void)
{
	install_sigsys(0);
	/* Path calls before the filter too: sites the fast mode may have
	 * patched by the time the filter comes. */
	path_calls("path-calls-before-own-filter-1");
	path_calls("path-calls-before-own-filter-2");
	int r = install_filter();
	say("own-filter: %s", rc(r));
	if (r != 0)
		_exit(1);

	sys_count = 0;
	sys_set_result = 4242;
	long got = syscall(SYS_getppid);
	say("trap-getppid: result=%ld count=%d code=%s syscall=%s arch=%s data=%#x", got, sys_count,
	    code_name(sys_code), sys_syscall == SYS_getppid ? "getppid" : "?",
	    sys_arch == RT_AUDIT_ARCH ? "native" : "?", sys_errno);
#if defined(__x86_64__)
	sys_count = 0;
	sys_set_result = 4343;
	got = own_getppid();
	say("trap-own-site: result=%ld count=%d call_addr=%s", got, sys_count,
	    sys_call_addr == (void *)rt_after_own_syscall ? "after-our-syscall" : "elsewhere");
#endif
	sys_count = 0;
	sys_set_result = 0;
	/* The handler leaves the registers as the kernel rolled them back:
	 * the call's number in the return register (x86-64). */
	got = getppid();
	say("trap-getppid-unchanged: result=%ld errno=%s count=%d", got, got < 0 ? ename(errno) : "-", sys_count);

	/* A path call the program's filter traps: the program's handler answers. */
	sys_count = 0;
	sys_set_result = -EL2HLT;
	long a = syscall(SYS_faccessat, AT_FDCWD, in_dir(".", b1, sizeof(b1)), F_OK);
	say("trap-faccessat: result=%s count=%d syscall=%s data=%#x", rc(a), sys_count,
	    sys_syscall == SYS_faccessat ? "faccessat" : "?", sys_errno);
	sys_set_result = 0;

	/* A path call the program's filter refuses. */
	struct stat st;
	long m = syscall(SYS_mkdirat, AT_FDCWD, in_dir("refused", b1, sizeof(b1)), 0755);
	const char *mr = rc(m);
	say("errno-mkdirat: %s made=%s", mr, stat(in_dir("refused", b1, sizeof(b1)), &st) == 0 ? "yes" : "no");
	rmdir(in_dir("refused", b1, sizeof(b1)));

	/* Other path calls are untouched by the filter, the first time from
	 * a site and later (where the fast mode patched it). */
	path_calls("path-calls-under-own-filter-1");
	path_calls("path-calls-under-own-filter-2");
	path_calls("path-calls-under-own-filter-3");

	fflush(stdout);
	wait_child("trap-while-blocked", ({
			   pid_t p = fork();
			   if (p == 0)
				   trap_getppid_then(1);
			   p;
		   }));
	wait_child("trap-while-ignored", ({
			   pid_t p = fork();
			   if (p == 0)
				   trap_getppid_then(2);
			   p;
		   }));
	_exit(0);
}

static void own_filter(void)
{
	pid_t pid = fork();
	if (pid == 0)
		own_filter_child();
	wait_child("own-filter-child", pid);
}

/* --- SIGSYS blocked, ignored ------------------------------------------------------------------ */

static void blocked(void)
{
	sigset_t s, cur;
	install_sigsys(0);
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	say("block: %s", rc(sigprocmask(SIG_BLOCK, &s, NULL)));
	sigprocmask(SIG_SETMASK, NULL, &cur);
	uint64_t raw = 0;
	long r = syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &raw, 8);
	say("blocked-readback: sigprocmask=%d raw=%s %#llx", sigismember(&cur, SIGSYS), rc(r), (unsigned long long)raw);
	status_line("blocked");
	path_calls("blocked-path-calls");

	sys_count = 0;
	kill(getpid(), SIGSYS);
	sigset_t pend;
	sigpending(&pend);
	say("blocked-kill: count=%d pending=%d", sys_count, sigismember(&pend, SIGSYS));
	status_line("blocked-pending");
	path_calls("pending-path-calls");
	say("unblock: %s", rc(sigprocmask(SIG_UNBLOCK, &s, NULL)));
	say("after-unblock: count=%d code=%s self=%d", sys_count, code_name(sys_code), sys_from_self);
	sigpending(&pend);
	say("after-unblock-pending: %d", sigismember(&pend, SIGSYS));

	/* The raw call too, with an old set read back in the same call. */
	uint64_t set = 1ULL << (SIGSYS - 1), old = 0;
	r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8);
	say("raw-block: %s old-has-sigsys=%d", rc(r), (int)((old >> (SIGSYS - 1)) & 1));
	r = syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, &old, 8);
	say("raw-unblock: %s old-has-sigsys=%d", rc(r), (int)((old >> (SIGSYS - 1)) & 1));
	say("raw-unblocked: %d", is_blocked(SIGSYS));
}

static void ignored(void)
{
	say("ignore: %s", signal(SIGSYS, SIG_IGN) == SIG_ERR ? ename(errno) : "0");
	say("ignored-readback: %s", disposition(SIGSYS));
	status_line("ignored");
	kill(getpid(), SIGSYS);
	raise(SIGSYS);
	say("ignored-kill: survived");
	path_calls("ignored-path-calls");
	signal(SIGSYS, SIG_DFL);
	say("default-readback: %s", disposition(SIGSYS));
	status_line("default");
}

/* --- a handler that blocks every signal ----------------------------------------------------------- */

static volatile sig_atomic_t usr1_ran;

static void on_usr1(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	int blocked_n = 0, blockable = 0;
	for (int s = 1; s < NSIG; s++) {
		if (s == SIGKILL || s == SIGSTOP || (s >= 32 && s < SIGRTMIN))
			continue;
		blockable++;
		blocked_n += sigismember(&cur, s) == 1;
	}
	say("full-mask-inside: %s", blocked_n == blockable ? "all blocked" : "not all blocked");
	path_calls("full-mask-path-calls");
	usr1_ran = 1;
}

static void full_mask(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigfillset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	say("full-mask-handler: ran=%d sigsys-blocked-after=%d", usr1_ran, is_blocked(SIGSYS));
	signal(SIGUSR1, SIG_DFL);
}

/* --- across execve ---------------------------------------------------------------------------------- */

static void exec_self(char **argv, const char *how)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGSYS);
		if (!strcmp(how, "blocked")) {
			install_sigsys(0);
			sigprocmask(SIG_BLOCK, &s, NULL);
		} else if (!strcmp(how, "ignored")) {
			signal(SIGSYS, SIG_IGN);
		} else {
			install_sigsys(0);
		}
		char *args[] = { argv[0], "after-exec", (char *)how, (char *)rt_dir, NULL };
		execv(argv[0], args);
		say("exec-%s: %s", how, ename(errno));
		_exit(127);
	}
	char what[64];
	snprintf(what, sizeof(what), "exec-%s", how);
	wait_child(what, pid);
}

static int after_exec(const char *how)
{
	say("after-exec-%s: disposition=%s blocked=%d", how, disposition(SIGSYS), is_blocked(SIGSYS));
	char what[64];
	snprintf(what, sizeof(what), "after-exec-%s", how);
	status_line(what);
	strcat(what, "-path-calls");
	path_calls(what);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "after-exec")) {
		rt_dir = argv[3];
		return after_exec(argv[2]);
	}
	if (argc != 2 || argv[1][0] != '/' || argv[0][0] != '/') {
		fprintf(stderr, "usage: /PATH/TO/helper-rt-sigsys /ABSOLUTE/EMPTY-DIR\n");
		return 2;
	}
	rt_dir = argv[1];
	umask(022);
	own_handler();
	own_filter();
	blocked();
	ignored();
	full_mask();
	exec_self(argv, "blocked");
	exec_self(argv, "ignored");
	exec_self(argv, "handled");
	return 0;
}
