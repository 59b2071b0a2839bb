/* exec.c: execve and execveat of programs, scripts (#! with an absolute
 * and a relative interpreter) and things that cannot run. The program run
 * is bin/conform, a copy of helper-conform, in its --exec-report mode: it
 * prints its argv, /proc/self/cmdline, AT_EXECFN and its working
 * directory, which become the case's result. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
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
	CASES_END
};
