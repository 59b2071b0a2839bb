/* exec.c: execve and execveat of programs, scripts (#! with an absolute
 * and a relative interpreter) and things that cannot run. The program run
 * is bin/conform, a copy of helper-conform, in its --exec-report mode: it
 * prints its argv, /proc/self/cmdline, AT_EXECFN and its working
 * directory, which become the case's result. Run with CONFORM_REPORT=MODE
 * in its environment, it makes the report MODE instead (conform_report()):
 * its argc, argv, /proc/self/exe, name and AT_EXECFN; its heap; or it
 * execs /proc/self/exe again. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* --- the report, in the exec'd program ------------------------------------------------------ */

/* Prints S with CONFORM_ROOT replaced by "ROOT". */
static void put_replaced(const char *s)
{
	const char *root = getenv("CONFORM_ROOT");
	size_t rlen = root ? strlen(root) : 0;
	while (*s) {
		if (rlen > 1 && strncmp(s, root, rlen) == 0) {
			fputs("ROOT", stdout);
			s += rlen;
		} else {
			putchar(*s++);
		}
	}
}

int exec_report(int argc, char **argv)
{
	fputs("argv=", stdout);
	for (int i = 0; i < argc; i++) {
		if (i)
			putchar(',');
		put_replaced(argv[i]);
	}
	fputs(" cmdline=", stdout);
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	char buf[4096];
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		fputs(errname(errno), stdout);
	} else {
		for (ssize_t i = 0; i + 1 < n; i++)
			if (buf[i] == '\0')
				buf[i] = ',';
		buf[n] = '\0';
		put_replaced(buf);
	}
	fputs(" execfn=", stdout);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	put_replaced(execfn ? execfn : "(none)");
	fputs(" cwd=", stdout);
	put_replaced(getcwd(buf, sizeof(buf)) ? buf : errname(errno));
	putchar('\n');
	return 0;
}

/* --- the reports a program run with CONFORM_REPORT=MODE makes ------------------------------------- */

static void put_file_line(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		fputs(errname(errno), stdout);
		return;
	}
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	put_replaced(buf);
}

/* argc, argv, the program /proc/self/exe names, its name (comm) and
 * AT_EXECFN: what a program learns of its own exec. */
static int report_exec(int argc, char **argv)
{
	printf("argc=%d argv=", argc);
	for (int i = 0; i < argc; i++) {
		if (i)
			putchar(',');
		put_replaced(argv[i]);
	}
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	fputs(" exe=", stdout);
	if (n < 0) {
		fputs(errname(errno), stdout);
	} else {
		buf[n] = '\0';
		put_replaced(buf);
	}
	fputs(" comm=", stdout);
	put_file_line("/proc/self/comm");
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	fputs(" execfn=", stdout);
	put_replaced(execfn ? execfn : "(none)");
	putchar('\n');
	return 0;
}

/* The heap of a program just exec'd (the loader sets it up in a view):
 * it starts where brk(0) says, grows a page at a time and by 64 MiB, does
 * not go below its start, and pages given back and taken again are zero.
 * Nothing is printed (stdio would take heap) until the end. */
static int report_brk(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *start = (char *)syscall(SYS_brk, 0);
	bool grow = (char *)syscall(SYS_brk, start + page) == start + page;
	bool refused = (char *)syscall(SYS_brk, start - 1000 * page) == start + page;
	bool zero = false;
	if (grow) {
		memset(start, 0xff, (size_t)page);
		syscall(SYS_brk, start);
		zero = (char *)syscall(SYS_brk, start + page) == start + page;
		for (long i = 0; zero && i < page; i++)
			zero = start[i] == 0;
	}
	bool big = (char *)syscall(SYS_brk, start + (64l << 20)) == start + (64l << 20);
	if (big)
		memset(start + (64l << 20) - page, 0xaa, (size_t)page);
	printf("brk: aligned=%s grow=%s below-start=%s regrown-zeroed=%s grow-64M=%s\n",
	       (uintptr_t)start % (uintptr_t)page == 0 ? "yes" : "no", grow ? "ok" : "no",
	       refused ? "refused" : "moved", zero ? "ok" : "no", big ? "ok" : "no");
	return 0;
}

/* Exec /proc/self/exe again with an empty argv (or a NULL one): the
 * kernel runs the same program, with argc 1 and argv[0] "". */
static int reexec_self(bool null_argv)
{
	char *empty[] = { NULL };
	setenv("CONFORM_REPORT", "exec", 1);
	fflush(stdout);
	syscall(SYS_execve, "/proc/self/exe", null_argv ? NULL : empty, environ);
	printf("%s\n", errname(errno));
	return 127;
}

int conform_report(int argc, char **argv, const char *mode)
{
	if (strcmp(mode, "exec") == 0)
		return report_exec(argc, argv);
	if (strcmp(mode, "brk") == 0)
		return report_brk();
	if (strcmp(mode, "self-exe-empty") == 0)
		return reexec_self(false);
	if (strcmp(mode, "self-exe-null") == 0)
		return reexec_self(true);
	printf("unknown CONFORM_REPORT=%s\n", mode);
	return 2;
}

/* --- running it ------------------------------------------------------------------------------ */

enum exec_via { VIA_EXECVE, VIA_EXECVEAT, VIA_FEXECVE };

struct exec_how {
	const char *chdir_to;	/* before the exec, or NULL */
	const char *dirfd_path;	/* opened with dirfd_flags; NULL: AT_FDCWD */
	int dirfd_flags;
	const char *path;	/* passed to execve / execveat */
	enum exec_via via;
	int at_flags;		/* execveat's flags */
	const char *argv0;
	bool script;		/* a #! script: argv is its name's and "arg1" */
};

static __attribute__((noreturn)) void do_exec(const struct exec_how *h)
{
	char *argv[] = { (char *)(h->argv0 ? h->argv0 : "conform"), "--exec-report", "arg1", NULL };
	if (h->chdir_to && chdir(h->chdir_to) < 0) {
		printf("setup:chdir:%s\n", errname(errno));
		fflush(stdout);
		_exit(127);
	}
	int dirfd = AT_FDCWD;
	if (h->dirfd_path && (dirfd = open(h->dirfd_path, h->dirfd_flags)) < 0) {
		printf("setup:open:%s\n", errname(errno));
		fflush(stdout);
		_exit(127);
	}
	/* The interpreter line supplies --exec-report. */
	if (h->script) {
		argv[1] = "arg1";
		argv[2] = NULL;
	}
	switch (h->via) {
	case VIA_EXECVE:
		execve(h->path, argv, environ);
		break;
	case VIA_EXECVEAT:
		sys_execveat(dirfd, h->path, argv, environ, h->at_flags);
		break;
	case VIA_FEXECVE:
		fexecve(dirfd, argv, environ);
		break;
	}
	printf("%s\n", errname(errno));
	fflush(stdout);
	_exit(127);
}

/* Replaces "/dev/fd/DIGITS" by "/dev/fd/N": fd numbers are not the point. */
static void hide_fd_numbers(char *s)
{
	for (char *p = strstr(s, "/dev/fd/"); p; p = strstr(p + 1, "/dev/fd/")) {
		char *d = p + 8, *e = d;
		while (*e >= '0' && *e <= '9')
			e++;
		if (e > d) {
			*d = 'N';
			memmove(d + 1, e, strlen(e) + 1);
		}
	}
}

static void run_exec(struct out *o, const struct exec_how *h)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		mk_fail(o, "pipe");
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		mk_fail(o, "fork");
		return;
	}
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		do_exec(h);
	}
	close(pfd[1]);
	char buf[OUT_MAX / 2];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(buf) - 1 && (n = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(pfd[0]);
	buf[len] = '\0';
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	int status;
	waitpid(pid, &status, 0);
	hide_fd_numbers(buf);
	out_add(o, "%s", buf);
	if (!WIFEXITED(status))
		out_add(o, "(killed)");
}

#define EXEC_CASE(fn, ...) \
	static void fn(struct out *o) \
	{ \
		const struct exec_how h = { __VA_ARGS__ }; \
		run_exec(o, &h); \
	}

EXEC_CASE(exec_abs, .path = P("bin/conform"))
EXEC_CASE(exec_rel, .path = "bin/conform")
EXEC_CASE(exec_dot_slash, .chdir_to = "bin", .path = "./conform")
EXEC_CASE(exec_argv0, .path = P("bin/conform"), .argv0 = "custom-name")
EXEC_CASE(exec_keeps_cwd, .chdir_to = "sl-deep", .path = P("bin/conform"))
EXEC_CASE(exec_script_abs, .script = true, .path = P("bin/script-abs"))
EXEC_CASE(exec_script_rel_interp, .script = true, .path = "bin/script-rel")
EXEC_CASE(exec_script_rel_interp_elsewhere, .script = true, .chdir_to = "d", .path = P("bin/script-rel"))
EXEC_CASE(exec_script_missing_interp, .script = true, .path = "bin/script-missing")
EXEC_CASE(exec_noexec, .path = "bin/noexec")
EXEC_CASE(exec_dir, .path = "bin")
EXEC_CASE(exec_garbage, .path = "bin/garbage")
EXEC_CASE(exec_trailing_slash, .path = "bin/conform/")
EXEC_CASE(exec_x000, .path = "x000/inner")
EXEC_CASE(execveat_empty, .dirfd_flags = O_RDONLY | O_CLOEXEC, .dirfd_path = "bin/conform", .path = "",
	  .via = VIA_EXECVEAT, .at_flags = AT_EMPTY_PATH)
EXEC_CASE(execveat_opath, .dirfd_flags = O_PATH | O_CLOEXEC, .dirfd_path = "bin/conform", .path = "",
	  .via = VIA_EXECVEAT, .at_flags = AT_EMPTY_PATH)
EXEC_CASE(execveat_dirfd, .dirfd_flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC, .dirfd_path = "bin",
	  .path = "conform", .via = VIA_EXECVEAT, .at_flags = 0)
EXEC_CASE(execveat_abs, .dirfd_flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC, .dirfd_path = "d",
	  .path = P("bin/conform"), .via = VIA_EXECVEAT, .at_flags = 0)
EXEC_CASE(execveat_script_cloexec, .script = true, .dirfd_flags = O_RDONLY | O_CLOEXEC, .dirfd_path = "bin/script-abs",
	  .path = "", .via = VIA_EXECVEAT, .at_flags = AT_EMPTY_PATH)
EXEC_CASE(execveat_script, .script = true, .dirfd_flags = O_RDONLY, .dirfd_path = "bin/script-abs", .path = "",
	  .via = VIA_EXECVEAT, .at_flags = AT_EMPTY_PATH)
EXEC_CASE(fexecve_fd, .dirfd_flags = O_RDONLY | O_CLOEXEC, .dirfd_path = "bin/conform", .path = "",
	  .via = VIA_FEXECVE)

static void exec_symlink(struct out *o)
{
	const struct exec_how h = { .path = "w/exe-link" };
	if (mk_link(o, "../bin/conform", "w/exe-link"))
		run_exec(o, &h);
}

static void exec_script_symlink(struct out *o)
{
	const struct exec_how h = { .path = "w/script-link", .script = true };
	if (mk_link(o, "%/bin/script-abs", "w/script-link"))
		run_exec(o, &h);
}

static void execveat_nofollow(struct out *o)
{
	const struct exec_how h = { .path = "w/exe-link2", .via = VIA_EXECVEAT, .at_flags = AT_SYMLINK_NOFOLLOW };
	if (mk_link(o, "../bin/conform", "w/exe-link2"))
		run_exec(o, &h);
}

/* --- programs run with a report mode -------------------------------------------------------- */

/* Runs PATH with ARGV and ENVP in a child made by fork (or vfork), and
 * appends what it printed and, if it did not exit 0, how it ended. */
static void capture(struct out *o, const char *path, char *const argv[], char *const envp[], bool by_vfork)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		mk_fail(o, "pipe");
		return;
	}
	fflush(stdout);
	pid_t pid = by_vfork ? vfork() : fork();
	if (pid < 0) {
		mk_fail(o, "fork");
		return;
	}
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		execve(path, argv, envp);
		const char *e = errname(errno);
		if (write(1, e, strlen(e)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pfd[1]);
	char buf[OUT_MAX / 2];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(buf) - 1 && (n = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(pfd[0]);
	buf[len] = '\0';
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	int status;
	waitpid(pid, &status, 0);
	out_add(o, "%s", buf);
	if (WIFSIGNALED(status))
		out_add(o, "(killed by %d)", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		out_add(o, "(exit %d)", WEXITSTATUS(status));
}

/* The environment with CONFORM_REPORT=MODE added, in a static array. */
static char **env_with_report(const char *mode)
{
	static char *env[512];
	static char var[64];
	size_t n = 0;
	for (char **e = environ; *e && n < 510; e++)
		if (strncmp(*e, "CONFORM_REPORT=", 15) != 0)
			env[n++] = *e;
	snprintf(var, sizeof(var), "CONFORM_REPORT=%s", mode);
	env[n++] = var;
	env[n] = NULL;
	return env;
}

void exec_report_case(struct out *o, const char *path, char *const argv[], const char *mode)
{
	capture(o, path, argv, env_with_report(mode), false);
}

static void report_abs(struct out *o)
{
	char *argv[] = { "conform", "arg1", NULL };
	exec_report_case(o, P("bin/conform"), argv, "exec");
}

/* The name (comm) is the last component of the path run, cut at 15 bytes:
 * the symlink's, the script's, not the target's or the interpreter's. */
static void comm_long_symlink(struct out *o)
{
	char *argv[] = { "x", NULL };
	if (mk_link(o, "../bin/conform", "w/a-symlink-with-a-long-name"))
		exec_report_case(o, "w/a-symlink-with-a-long-name", argv, "exec");
}

static void comm_script(struct out *o)
{
	char text[PATH_MAX + 16];
	snprintf(text, sizeof(text), "#!%s\n", P("bin/conform"));
	char *argv[] = { "x", NULL };
	if (mk_script(o, "w/a-script-with-a-long-name", text))
		exec_report_case(o, "w/a-script-with-a-long-name", argv, "exec");
}

static void comm_script_symlink(struct out *o)
{
	char text[PATH_MAX + 16];
	snprintf(text, sizeof(text), "#!%s\n", P("bin/conform"));
	char *argv[] = { "x", NULL };
	if (mk_script(o, "w/script-for-link", text) && mk_link(o, "script-for-link", "w/a-link-to-a-script-long-name"))
		exec_report_case(o, "w/a-link-to-a-script-long-name", argv, "exec");
}

static void self_exe(struct out *o, const char *mode)
{
	char *argv[] = { "conform", NULL };
	exec_report_case(o, P("bin/conform"), argv, mode);
}

static void self_exe_empty(struct out *o) { self_exe(o, "self-exe-empty"); }
static void self_exe_null(struct out *o) { self_exe(o, "self-exe-null"); }

/* vfork, then execve with an environment of two variables only. */
static void vfork_small_env(struct out *o)
{
	static char root[sizeof(ctx.root) + 16];
	snprintf(root, sizeof(root), "CONFORM_ROOT=%s", ctx.root);
	char *env[] = { "CONFORM_REPORT=exec", root, NULL };
	char *argv[] = { "conform", NULL };
	capture(o, "bin/conform", argv, env, true);
}

static void brk_case(struct out *o)
{
	char *argv[] = { "conform", NULL };
	exec_report_case(o, "bin/conform", argv, "brk");
}

/* With an unlimited stack the kernel lays memory out the legacy way
 * (mmap bottom-up): the heap must still grow. */
static void brk_stack_unlimited(struct out *o)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_STACK, &rl) < 0) {
		mk_fail(o, "getrlimit");
		return;
	}
	out_add(o, "%s", rl.rlim_max == RLIM_INFINITY ? "unlimited" : "limited");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_STACK, &rl) < 0) {
		mk_fail(o, "setrlimit");
		return;
	}
	brk_case(o);
}

/* The program ld.so runs when it is run itself (ldd does that). */
static void ld_so_runs_program(struct out *o)
{
	static const char ld_so[] = "/lib64/ld-linux-x86-64.so.2";
	char *argv[] = { (char *)ld_so, (char *)P("bin/conform"), "arg1", NULL };
	exec_report_case(o, ld_so, argv, "exec");
}

const struct conform_case exec_cases[] = {
	CASE("exec-abs", exec_abs),
	CASE("exec-rel", exec_rel),
	CASE("exec-dot-slash-after-chdir", exec_dot_slash),
	CASE("exec-custom-argv0", exec_argv0),
	CASE("exec-keeps-cwd", exec_keeps_cwd),
	CASE("exec-through-symlink", exec_symlink),
	CASE("exec-script-abs-interpreter", exec_script_abs),
	CASE("exec-script-rel-interpreter", exec_script_rel_interp),
	CASE("exec-script-rel-interpreter-other-cwd", exec_script_rel_interp_elsewhere),
	CASE("exec-script-through-symlink", exec_script_symlink),
	CASE("exec-script-missing-interpreter", exec_script_missing_interp),
	CASE("exec-not-executable", exec_noexec),
	CASE("exec-dir", exec_dir),
	CASE("exec-unknown-format", exec_garbage),
	CASE("exec-trailing-slash", exec_trailing_slash),
	CASE("exec-in-x000", exec_x000),
	CASE("execveat-empty-path", execveat_empty),
	CASE("execveat-empty-path-opath-fd", execveat_opath),
	CASE("execveat-dirfd-rel", execveat_dirfd),
	CASE("execveat-abs-path-ignores-dirfd", execveat_abs),
	CASE("execveat-script-cloexec-fd", execveat_script_cloexec),
	CASE("execveat-script-fd", execveat_script),
	CASE("execveat-nofollow-symlink", execveat_nofollow),
	CASE("fexecve", fexecve_fd),
	CASE("exec-report-abs", report_abs),
	CASE("exec-comm-long-symlink-name", comm_long_symlink),
	CASE("exec-comm-script", comm_script),
	CASE("exec-comm-symlink-to-script", comm_script_symlink),
	CASE("exec-proc-self-exe-empty-argv", self_exe_empty),
	CASE("exec-proc-self-exe-null-argv", self_exe_null),
	CASE("exec-after-vfork-small-env", vfork_small_env),
	CASE("exec-brk", brk_case),
	CASE("exec-brk-stack-unlimited", brk_stack_unlimited),
	CASE("exec-ld-so-runs-program", ld_so_runs_program),
	CASES_END
};
