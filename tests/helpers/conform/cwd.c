/* cwd.c: chdir, fchdir and getcwd; relative paths after a chdir; a working
 * directory that was removed or renamed; the paths /proc/self/cwd and
 * /proc/self/fd/N show. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void getcwd_syscall_length(struct out *o)
{
	char buf[PATH_MAX];
	long n = sys_getcwd(buf, sizeof(buf));
	if (out_ok(o, n) >= 0)
		out_add(o, "%s", (size_t)n == strlen(buf) + 1 ? "length-with-nul" : "wrong-length");
}

/* The buffer must hold the path and its '\0'. */
static void getcwd_exact_buffer(struct out *o)
{
	char buf[PATH_MAX];
	size_t need = strlen(ctx.t) + 1;
	out_ok(o, sys_getcwd(buf, need));
	out_ok(o, sys_getcwd(buf, need - 1));
	out_ok(o, sys_getcwd(buf, 1));
}

static void chdir_then(struct out *o, const char *first, const char *second)
{
	if (out_rc(o, chdir(first)) == 0 && out_rc(o, chdir(second)) == 0)
		out_cwd(o);
}

static void chdir_symlink_dotdot(struct out *o) { chdir_then(o, "sl-deep", ".."); }
static void chdir_root_itself(struct out *o) { chdir_then(o, ctx.root, "."); }

static void fchdir_case(struct out *o, const char *path, int flags)
{
	int fd = open_or_fail(o, path, flags);
	if (fd >= 0 && out_rc(o, fchdir(fd)) == 0)
		out_cwd(o);
}

static void fchdir_dir(struct out *o) { fchdir_case(o, "sl-d/sub", O_DIRECTORY); }
static void fchdir_file(struct out *o) { fchdir_case(o, "f", 0); }

static void relative_after_chdir(struct out *o)
{
	if (out_rc(o, chdir("d")) < 0)
		return;
	out_stat(o, "f");
	out_stat(o, "../f");
	out_stat(o, "sl-sub/g");
}

/* Leaves the process in a directory that no longer exists. */
static bool cwd_gone(struct out *o, const char *name)
{
	if (!mk_dir(o, name) || chdir(name) < 0)
		return mk_fail(o, name);
	if (rmdir(P(name)) < 0)
		return mk_fail(o, "rmdir");
	return true;
}

static void removed_getcwd(struct out *o)
{
	char buf[PATH_MAX];
	if (!cwd_gone(o, "w/gone1"))
		return;
	out_cwd(o);
	out_ok(o, sys_getcwd(buf, sizeof(buf)));
}

static void removed_proc_cwd(struct out *o)
{
	if (cwd_gone(o, "w/gone2"))
		out_readlink(o, "/proc/self/cwd");
}

static void removed_stat_dot(struct out *o)
{
	if (!cwd_gone(o, "w/gone3"))
		return;
	out_stat(o, ".");
	out_list(o, ".");
	out_ok(o, open("new", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
}

static void removed_dotdot(struct out *o)
{
	if (cwd_gone(o, "w/gone4") && out_rc(o, chdir("..")) == 0)
		out_cwd(o);
}

static void renamed_cwd(struct out *o)
{
	if (!mk_dir(o, "w/ren-a") || chdir("w/ren-a") < 0) {
		mk_fail(o, "chdir");
		return;
	}
	out_rc(o, rename(P("w/ren-a"), P("w/ren-b")));
	out_cwd(o);
	out_readlink(o, "/proc/self/cwd");
}

/* The working directory's parent is renamed: relative names still work,
 * getcwd shows the new name; once removed, getcwd fails. */
static void ancestor_renamed(struct out *o)
{
	if (!mk_dir(o, "w/anc") || !mk_dir(o, "w/anc/sub") || !mk_file(o, "w/anc/sub/c", "c"))
		return;
	if (chdir("w/anc/sub") < 0) {
		mk_fail(o, "chdir");
		return;
	}
	out_rc(o, rename(P("w/anc"), P("w/anc2")));
	out_rc(o, access("c", F_OK));
	out_cwd(o);
	out_readlink(o, "/proc/self/cwd");
	out_rc(o, unlink("c"));
	out_rc(o, rmdir(P("w/anc2/sub")));
	out_cwd(o);
}

/* Removed and made again under the same name: a new directory. */
static void removed_recreated(struct out *o)
{
	if (!mk_dir(o, "w/again") || chdir("w/again") < 0) {
		mk_fail(o, "chdir");
		return;
	}
	out_rc(o, chdir(".."));
	out_rc(o, rmdir("again"));
	out_rc(o, mkdir("again", 0755));
	out_rc(o, chdir("again"));
	out_cwd(o);
	out_readlink(o, "/proc/self/cwd");
}

static void long_cwd(struct out *o)
{
	char path[PATH_MAX], comp[201];
	fill(comp, 200, 'c');
	if (!mk_dir(o, "w/lcwd") || chdir("w/lcwd") < 0) {
		mk_fail(o, "w/lcwd");
		return;
	}
	snprintf(path, sizeof(path), "%s", P("w/lcwd"));
	while (strlen(path) < 3500) {
		if (mkdir(comp, 0755) < 0 || chdir(comp) < 0) {
			mk_fail(o, "deep");
			return;
		}
		strcat(path, "/");
		strcat(path, comp);
	}
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)))
		out_add(o, "%s", errname(errno));
	else
		out_add(o, "%s", strcmp(buf, path) == 0 ? "match" : "differs");
}

static void proc_fd_path(struct out *o, const char *path, int flags)
{
	int fd = open_or_fail(o, path, flags);
	if (fd >= 0)
		out_fdpath(o, fd);
}

static void proc_fd_file(struct out *o) { proc_fd_path(o, "d/f", 0); }
static void proc_fd_dir(struct out *o) { proc_fd_path(o, "d", O_DIRECTORY); }
static void proc_fd_symlink(struct out *o) { proc_fd_path(o, "sl-f", O_PATH | O_NOFOLLOW); }
static void proc_fd_through_symlinks(struct out *o) { proc_fd_path(o, "sl-absd/sub/../sl-sub/g", 0); }

static void proc_fd_deleted(struct out *o)
{
	if (!mk_file(o, "w/del", "x"))
		return;
	int fd = open_or_fail(o, "w/del", 0);
	if (fd >= 0 && out_rc(o, unlink("w/del")) == 0)
		out_fdpath(o, fd);
}

static void proc_fd_renamed(struct out *o)
{
	if (!mk_file(o, "w/ren2-a", "x"))
		return;
	int fd = open_or_fail(o, "w/ren2-a", 0);
	if (fd >= 0 && out_rc(o, rename("w/ren2-a", "w/ren2-b")) == 0)
		out_fdpath(o, fd);
}

static void realpath_case(struct out *o)
{
	char buf[PATH_MAX];
	if (!realpath("sl-deep/../sl-sub/./g", buf))
		out_add(o, "%s", errname(errno));
	else
		out_add(o, "%s", buf);
}

const struct conform_case cwd_cases[] = {
	PROBE("getcwd-at-start", PR_CHDIR, ".", 0),
	CASE("getcwd-syscall-returns-length", getcwd_syscall_length),
	CASE("getcwd-buffer-exact-short-tiny", getcwd_exact_buffer),
	PROBE("chdir-rel", PR_CHDIR, "d/sub", 0),
	PROBE("chdir-dotdot", PR_CHDIR, "d/sub/..", 0),
	PROBE("chdir-symlink-dir", PR_CHDIR, "sl-d", 0),
	PROBE("chdir-abs-symlink-dir", PR_CHDIR, "sl-absd", 0),
	PROBE("chdir-file", PR_CHDIR, "f", 0),
	PROBE("chdir-empty-path", PR_CHDIR, "", 0),
	CASE("chdir-symlink-then-dotdot-is-physical", chdir_symlink_dotdot),
	CASE("chdir-to-root-itself", chdir_root_itself),
	CASE("fchdir-dir", fchdir_dir),
	CASE("fchdir-file", fchdir_file),
	CASE("relative-paths-after-chdir", relative_after_chdir),
	CASE("getcwd-after-cwd-removed", removed_getcwd),
	CASE("proc-cwd-after-cwd-removed", removed_proc_cwd),
	CASE("removed-cwd-stat-list-create", removed_stat_dot),
	CASE("removed-cwd-dotdot", removed_dotdot),
	CASE("getcwd-after-cwd-renamed", renamed_cwd),
	CASE("getcwd-after-parent-renamed", ancestor_renamed),
	CASE("cwd-removed-then-made-again", removed_recreated),
	CASE("getcwd-long-cwd", long_cwd),
	PROBE("proc-self-cwd", PR_READLINK, "/proc/self/cwd", 0),
	PROBE("proc-self-cwd-open-child", PR_OPEN, "/proc/self/cwd/d/f", O_RDONLY),
	PROBE("proc-self-root", PR_READLINK, "/proc/self/root", 0),
	CASE("proc-fd-file", proc_fd_file),
	CASE("proc-fd-dir", proc_fd_dir),
	CASE("proc-fd-opath-symlink", proc_fd_symlink),
	CASE("proc-fd-opened-through-symlinks", proc_fd_through_symlinks),
	CASE("proc-fd-deleted-file", proc_fd_deleted),
	CASE("proc-fd-renamed-file", proc_fd_renamed),
	CASE("realpath-through-symlinks", realpath_case),
	CASES_END
};
