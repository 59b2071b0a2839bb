/* viewonly.c: the cases of --view-only, about the top of the file system:
 * ".." at "/" stays at "/", a symlink to "/" means "/", /proc's links to
 * the root and the working directory say "/". Inside a view with another
 * root (facet -r) their answers are fixed, whatever that root holds, and
 * natively at the real "/" they are the same: the output is
 * tests/integration/view-only.expected in both cases. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "same" if A and B are the same inode, else what each is. */
static void same_inode(struct out *o, int dirfd, const char *a, const char *b)
{
	struct stat sa, sb;
	if (fstatat(dirfd, a, &sa, 0) < 0) {
		out_add(o, "%s:%s", a, errname(errno));
		return;
	}
	if (stat(b, &sb) < 0) {
		out_add(o, "%s:%s", b, errname(errno));
		return;
	}
	out_add(o, "%s", sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino ? "same" : "differs");
}

/* "same-listing" if the directories A and B list the same names. */
static void same_listing(struct out *o, const char *a, const char *b)
{
	static struct out la, lb;
	la.len = lb.len = 0;
	la.buf[0] = lb.buf[0] = '\0';
	out_list(&la, a);
	out_list(&lb, b);
	if (strcmp(la.buf, lb.buf) == 0 && la.buf[0] == '[')
		out_add(o, "same-listing");
	else
		out_add(o, "listings-differ:%s:%s", la.buf, lb.buf);
}

static void root_dotdot_is_root(struct out *o) { same_inode(o, AT_FDCWD, "/..", "/"); }
static void root_dotdot_lists_root(struct out *o) { same_listing(o, "/..", "/"); }
static void root_dotdots_list_root(struct out *o) { same_listing(o, "/../../..", "/"); }

static void chdir_root_dotdot(struct out *o)
{
	if (out_rc(o, chdir("/")) == 0 && out_rc(o, chdir("..")) == 0)
		out_cwd(o);
}

static void chdir_root_dotdots(struct out *o)
{
	if (out_rc(o, chdir("/../../..")) == 0)
		out_cwd(o);
	out_readlink(o, "/proc/self/cwd");
}

static void relative_dotdot_at_root(struct out *o)
{
	if (out_rc(o, chdir("/")) < 0)
		return;
	same_inode(o, AT_FDCWD, "..", "/");
	same_listing(o, "../..", "/");
}

static void openat_root_dotdot(struct out *o)
{
	int fd = open_or_fail(o, "/", O_DIRECTORY);
	if (fd < 0)
		return;
	same_inode(o, fd, "..", "/");
	int up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (out_ok(o, up) >= 0)
		out_fdpath(o, up);
}

static void symlink_to(struct out *o, const char *target, const char *name, bool show_target)
{
	if (!mk_link(o, target, name))
		return;
	if (show_target)
		out_readlink(o, P(name));
	same_inode(o, AT_FDCWD, P(name), "/");
	char slash[PATH_MAX];
	snprintf(slash, sizeof(slash), "%s/", P(name));
	same_listing(o, slash, "/");
}

static void symlink_to_root(struct out *o) { symlink_to(o, "/", "root-link", true); }
static void symlink_to_root_dotdot(struct out *o) { symlink_to(o, "/..", "root-dotdot-link", true); }
static void symlink_dotdots_to_root(struct out *o)
{
	/* As many ".." as it takes and more: the walk stops at "/". The
	 * target depends on ROOT's depth: not shown. */
	char target[PATH_MAX] = "";
	for (const char *p = ctx.t; *p; p++)
		if (*p == '/')
			strcat(target, "../");
	strcat(target, "../..");
	symlink_to(o, target, "dotdots-link", false);
}

static void proc_cwd_dotdot_at_root(struct out *o)
{
	if (out_rc(o, chdir("/")) == 0) {
		out_readlink(o, "/proc/self/cwd");
		same_listing(o, "/proc/self/cwd/..", "/");
	}
}

static void proc_root(struct out *o)
{
	out_readlink(o, "/proc/self/root");
	same_listing(o, "/proc/self/root/..", "/");
}

static void proc_fd_root(struct out *o)
{
	int fd = open_or_fail(o, "/", O_PATH);
	if (fd >= 0)
		out_fdpath(o, fd);
}

static void realpath_root_dotdot(struct out *o)
{
	char buf[PATH_MAX];
	if (!realpath("/../..", buf))
		out_add(o, "%s", errname(errno));
	else
		out_add(o, "%s", buf);
}

const struct conform_case view_only_cases[] = {
	CASE("root-dotdot-is-root", root_dotdot_is_root),
	CASE("root-dotdot-lists-root", root_dotdot_lists_root),
	CASE("root-many-dotdots-list-root", root_dotdots_list_root),
	CASE("chdir-root-then-dotdot-stays", chdir_root_dotdot),
	CASE("chdir-root-many-dotdots-stays", chdir_root_dotdots),
	CASE("relative-dotdot-at-root-stays", relative_dotdot_at_root),
	CASE("openat-root-fd-dotdot-stays", openat_root_dotdot),
	CASE("symlink-to-root-is-root", symlink_to_root),
	CASE("symlink-to-root-dotdot-is-root", symlink_to_root_dotdot),
	CASE("symlink-of-many-dotdots-stops-at-root", symlink_dotdots_to_root),
	CASE("proc-cwd-dotdot-at-root-stays", proc_cwd_dotdot_at_root),
	CASE("proc-self-root-is-root", proc_root),
	CASE("proc-fd-of-root", proc_fd_root),
	CASE("realpath-root-dotdot", realpath_root_dotdot),
	CASES_END
};
