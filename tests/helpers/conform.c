/* helper-conform ROOT
 * helper-conform --view-only ROOT
 * helper-conform --exec-report [ARG...]   (what the exec cases run)
 * CONFORM_REPORT=MODE helper-conform ...  (what the newer exec cases run)
 *
 * Runs a fixed list of file-system cases against the directory ROOT and
 * prints one line per case, "case-name: RESULT", RESULT being values or
 * errno names, with every occurrence of ROOT replaced by "ROOT" and nothing
 * that varies between runs. The output of a native run is the reference a
 * run inside a facet view (ROOT bind-mounted elsewhere) must reproduce.
 *
 * It builds its fixture in ROOT/t (removed first if present), runs every
 * case in a child process of its own (cwd ROOT/t, umask 022, a time limit),
 * and removes ROOT/t at the end, restoring permissions. --view-only runs the
 * cases whose answers are fixed only inside a view (".." at the view's root,
 * a symlink to "/"...); natively they give the same answers at the real "/".
 *
 * The cases live in tests/helpers/conform/, one file per group. Exit status:
 * 0 once every case has run (whatever the results), 2 for bad usage or a
 * ROOT that cannot be used. */
#include "conform/conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CASE_TIMEOUT 20

struct conform_ctx ctx;
static struct out *shared;

/* Prints "NAME: TEXT" with ROOT replaced by "ROOT" and newlines folded. */
static void print_line(const char *name, const char *text)
{
	size_t rlen = strlen(ctx.root);
	printf("%s: ", name);
	for (const char *p = text; *p;) {
		if (rlen > 1 && strncmp(p, ctx.root, rlen) == 0) {
			fputs("ROOT", stdout);
			p += rlen;
		} else {
			putchar(*p == '\n' ? ' ' : *p);
			p++;
		}
	}
	putchar('\n');
	fflush(stdout);
}

static void run_case(const struct conform_case *c)
{
	shared->len = 0;
	shared->buf[0] = '\0';
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		print_line(c->name, "FORK-FAILED");
		return;
	}
	if (pid == 0) {
		/* A group of its own, so that whatever the case leaves behind
		 * is killed with it. */
		setpgid(0, 0);
		alarm(CASE_TIMEOUT);
		if (chdir(ctx.t) < 0)
			out_add(shared, "setup:chdir:%s", errname(errno));
		else if (c->fn)
			c->fn(shared);
		else
			probe_run(shared, c);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			print_line(c->name, "WAIT-FAILED");
			return;
		}
	kill(-pid, SIGKILL);
	char why[64];
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		if (sig == SIGALRM)
			snprintf(why, sizeof(why), "TIMEOUT");
		else
			snprintf(why, sizeof(why), "CRASH SIG%s", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		out_add(shared, "%s", why);
	} else if (WEXITSTATUS(status) != 0) {
		out_add(shared, "EXIT %d", WEXITSTATUS(status));
	}
	print_line(c->name, shared->len ? shared->buf : "(nothing)");
}

static void run_cases(const struct conform_case *cases)
{
	for (const struct conform_case *c = cases; c->name; c++)
		run_case(c);
}

/* ROOT/t, fresh: removed if a run left it, then made again. */
static void fresh_t(void)
{
	struct out o = { 0, "" };
	struct stat st;
	int r = rm_tree(ctx.t);
	if (r < 0)
		out_add(&o, "rm:%s", errname(-r));
	else if (lstat(ctx.t, &st) == 0 || errno != ENOENT)
		out_add(&o, "still-there");
	else
		out_rc(&o, mkdir(ctx.t, 0755));
	print_line("setup-fresh-t", o.buf);
}

static void cleanup_t(void)
{
	struct out o = { 0, "" };
	struct stat st;
	if (chdir(ctx.root) < 0)
		out_add(&o, "chdir:%s", errname(errno));
	int r = rm_tree(ctx.t);
	if (r < 0)
		out_add(&o, "rm:%s", errname(-r));
	else if (lstat(ctx.t, &st) == 0)
		out_add(&o, "still-there");
	else
		out_add(&o, "ok");
	print_line("cleanup", o.buf);
}

static int usage(void)
{
	fprintf(stderr, "usage: helper-conform [--view-only] ROOT\n");
	return 2;
}

int main(int argc, char **argv)
{
	/* First: a program exec'd with an empty argv has argc 1 and argv[0] "". */
	const char *report = getenv("CONFORM_REPORT");
	if (report)
		return conform_report(argc, argv, report);
	if (argc >= 2 && strcmp(argv[1], "--exec-report") == 0)
		return exec_report(argc, argv);

	bool view_only = argc == 3 && strcmp(argv[1], "--view-only") == 0;
	if (argc != 2 && !view_only)
		return usage();
	const char *root = argv[argc - 1];
	if (root[0] != '/')
		return usage();
	char real[PATH_MAX];
	if (!realpath(root, real)) {
		fprintf(stderr, "helper-conform: %s: %s\n", root, strerror(errno));
		return 2;
	}
	if (strcmp(real, "/") == 0 || strlen(real) > 1024) {
		fprintf(stderr, "helper-conform: %s: ROOT must not be / or longer than 1024 bytes\n", real);
		return 2;
	}
	snprintf(ctx.root, sizeof(ctx.root), "%s", real);
	snprintf(ctx.t, sizeof(ctx.t), "%s/t", real);
	if (setenv("CONFORM_ROOT", ctx.root, 1) < 0)
		return 2;

	umask(022);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("helper-conform: mmap");
		return 2;
	}

	fresh_t();
	if (view_only) {
		run_cases(view_only_cases);
	} else {
		static const struct conform_case *const groups[] = {
			setup_cases, path_cases, symlink_cases, at_cases, modify_cases, openat2_cases,
			open_cases, errno_cases, cwd_cases, misc_cases, exec_cases, shebang_cases,
			procfs_cases, task_cases,
		};
		for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
			run_cases(groups[i]);
	}
	cleanup_t();
	return 0;
}
