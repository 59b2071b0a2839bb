/* errors.c: which errno the kernel picks when a call cannot be done:
 * rmdir and unlink of the wrong kind, renames of directories into
 * themselves and across kinds, and permissions (EACCES, which needs an
 * unprivileged caller: x000 is mode 000, x644 readable but not searchable,
 * x555 searchable but not writable). */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static void rmdir_dot(struct out *o)
{
	if (mk_dir(o, "w/rd-dot"))
		out_rc(o, rmdir("w/rd-dot/."));
}

static void rmdir_dotdot(struct out *o)
{
	if (mk_dir(o, "w/rd-dotdot"))
		out_rc(o, rmdir("w/rd-dotdot/.."));
}

/* A trailing slash is fine for rmdir; a trailing "/." is not. */
static void rmdir_trailing(struct out *o)
{
	if (mk_dir(o, "w/rd-slash1") && mk_dir(o, "w/rd-slash2") && mk_dir(o, "w/rd-slash3")) {
		out_rc(o, rmdir("w/rd-slash1/"));
		out_rc(o, rmdir("./w/rd-slash2/"));
		out_rc(o, rmdir("w/rd-slash3/./"));
	}
}

/* A dangling symlink is a name that exists: nothing is made through it. */
static void onto_dangling(struct out *o)
{
	out_rc(o, link("f", "sl-dangling"));
	out_rc(o, symlink("x", "sl-dangling"));
	out_rc(o, mkdir("sl-dangling", 0755));
	out_lstat(o, "nothere");
}

static void rename_case(struct out *o, const char *from, const char *to)
{
	out_rc(o, rename(from, to));
}

static void rename_dir_into_itself(struct out *o)
{
	if (mk_dir(o, "w/rn-self"))
		rename_case(o, "w/rn-self", "w/rn-self/sub");
}

static void rename_dir_into_descendant(struct out *o)
{
	if (mk_dir(o, "w/rn-desc") && mk_dir(o, "w/rn-desc/a"))
		rename_case(o, "w/rn-desc", "w/rn-desc/a/b");
}

static void rename_dir_onto_descendant(struct out *o)
{
	if (mk_dir(o, "w/rn-onto") && mk_dir(o, "w/rn-onto/a"))
		rename_case(o, "w/rn-onto", "w/rn-onto/a");
}

static void rename_parent_onto_child(struct out *o)
{
	if (mk_dir(o, "w/rn-up") && mk_dir(o, "w/rn-up/a"))
		rename_case(o, "w/rn-up/a", "w/rn-up");
}

static void rename_dot(struct out *o)
{
	if (mk_dir(o, "w/rn-dot"))
		rename_case(o, "w/rn-dot/.", "w/rn-dot2");
}

static void rename_onto_dotdot(struct out *o)
{
	if (mk_file(o, "w/rn-dd", "x") && mk_dir(o, "w/rn-dd-dir"))
		rename_case(o, "w/rn-dd", "w/rn-dd-dir/..");
}

static void rename_file_over_dir(struct out *o)
{
	if (mk_file(o, "w/rn-f", "x") && mk_dir(o, "w/rn-d"))
		rename_case(o, "w/rn-f", "w/rn-d");
}

static void rename_dir_over_file(struct out *o)
{
	if (mk_dir(o, "w/rn-d2") && mk_file(o, "w/rn-f2", "x"))
		rename_case(o, "w/rn-d2", "w/rn-f2");
}

static void rename_dir_over_nonempty(struct out *o)
{
	if (mk_dir(o, "w/rn-d3") && mk_dir(o, "w/rn-d4") && mk_file(o, "w/rn-d4/x", "x"))
		rename_case(o, "w/rn-d3", "w/rn-d4");
}

static void rename_dir_over_empty(struct out *o)
{
	if (mk_dir(o, "w/rn-d5") && mk_file(o, "w/rn-d5/x", "x") && mk_dir(o, "w/rn-d6")) {
		rename_case(o, "w/rn-d5", "w/rn-d6");
		out_list(o, "w/rn-d6");
	}
}

static void rename_dir_over_symlink_to_dir(struct out *o)
{
	if (mk_dir(o, "w/rn-d7") && mk_link(o, "../e", "w/rn-sl")) {
		rename_case(o, "w/rn-d7", "w/rn-sl");
		out_lstat(o, "w/rn-sl");
	}
}

/* --- permissions --------------------------------------------------------------------------- */

static void create_in(struct out *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	out_ok(o, fd);
}

static void x000_create(struct out *o) { create_in(o, "x000/new"); }
static void x555_create(struct out *o) { create_in(o, "x555/new"); }
static void x555_rename(struct out *o) { rename_case(o, "x555/inner", "x555/renamed"); }

static void x555_creat_excl_existing(struct out *o)
{
	out_ok(o, open("x555/inner", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
}

static void x555_mkdir_existing(struct out *o) { out_rc(o, mkdir("x555/inner", 0755)); }

const struct conform_case errno_cases[] = {
	CASE("rmdir-dot", rmdir_dot),
	CASE("rmdir-dotdot", rmdir_dotdot),
	CASE("rmdir-trailing-slash-and-dot", rmdir_trailing),
	CASE("link-symlink-mkdir-onto-dangling-symlink", onto_dangling),
	PROBE("rmdir-nonempty", PR_RMDIR, "d", 0),
	PROBE("rmdir-file", PR_RMDIR, "f", 0),
	PROBE("rmdir-symlink-to-dir", PR_RMDIR, "sl-d", 0),
	PROBE("unlink-dir", PR_UNLINK, "d", 0),
	PROBE("unlink-symlink-dir-trailing-slash", PR_UNLINK, "sl-d/", 0),
	CASE("rename-dir-into-itself", rename_dir_into_itself),
	CASE("rename-dir-into-descendant", rename_dir_into_descendant),
	CASE("rename-dir-onto-its-child", rename_dir_onto_descendant),
	CASE("rename-child-onto-its-parent", rename_parent_onto_child),
	CASE("rename-dot", rename_dot),
	CASE("rename-onto-dotdot", rename_onto_dotdot),
	CASE("rename-file-over-dir", rename_file_over_dir),
	CASE("rename-dir-over-file", rename_dir_over_file),
	CASE("rename-dir-over-nonempty-dir", rename_dir_over_nonempty),
	CASE("rename-dir-over-empty-dir", rename_dir_over_empty),
	CASE("rename-dir-over-symlink-to-dir", rename_dir_over_symlink_to_dir),
	PROBE("mkdir-existing-dir", PR_MKDIR, "d", 0755),
	PROBE("mkdir-missing-parent", PR_MKDIR, "nothere/x", 0755),
	PROBE("mkdir-under-file", PR_MKDIR, "f/x", 0755),
	PROBE("eacces-x000-lstat-itself", PR_LSTAT, "x000", 0),
	PROBE("eacces-x000-stat-inside", PR_STAT, "x000/inner", 0),
	PROBE("eacces-x000-list", PR_LIST, "x000", 0),
	PROBE("eacces-x000-chdir", PR_CHDIR, "x000", 0),
	CASE("eacces-x000-create-inside", x000_create),
	PROBE("eacces-x000-through-symlink", PR_STAT, "sl-x000", 0),
	PROBE("eacces-x644-list", PR_LIST, "x644", 0),
	PROBE("eacces-x644-stat-inside", PR_STAT, "x644/inner", 0),
	CASE("eacces-x555-create-inside", x555_create),
	PROBE("eacces-x555-unlink-inside", PR_UNLINK, "x555/inner", 0),
	CASE("eacces-x555-rename-inside", x555_rename),
	CASE("eacces-x555-creat-excl-existing", x555_creat_excl_existing),
	CASE("eacces-x555-mkdir-existing", x555_mkdir_existing),
	PROBE("access-write-readonly-file", PR_ACCESS, "ro", W_OK),
	PROBE("open-write-readonly-file", PR_OPEN, "ro", O_WRONLY),
	PROBE("open-trunc-readonly-file", PR_OPEN, "ro", O_RDONLY | O_TRUNC),
	CASES_END
};
