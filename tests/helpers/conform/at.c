/* at.c: the *at calls that look paths up relative to a dirfd: openat,
 * newfstatat, statx, faccessat/faccessat2, readlinkat, mkdirat, mknodat;
 * and dirfds that are not directories, not open, or outlived a chdir. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int dir_fd(struct out *o, const char *path)
{
	return open_or_fail(o, path, O_DIRECTORY);
}

static void openat_case(struct out *o, int dirfd, const char *path, int flags)
{
	int fd = openat(dirfd, path, flags | O_CLOEXEC, 0644);
	if (out_ok(o, fd) >= 0) {
		out_fstat(o, fd);
		close(fd);
	}
}

static void openat_rel(struct out *o)
{
	int d = dir_fd(o, "d");
	if (d >= 0)
		openat_case(o, d, "f", O_RDONLY);
}

static void openat_dotdot(struct out *o)
{
	int d = dir_fd(o, "d/sub");
	if (d >= 0)
		openat_case(o, d, "../f", O_RDONLY);
}

static void openat_abs(struct out *o)
{
	int d = dir_fd(o, "d/sub");
	if (d >= 0)
		openat_case(o, d, P("f"), O_RDONLY);
}

static void openat_abs_bad_dirfd(struct out *o)
{
	openat_case(o, 9999, P("f"), O_RDONLY);
}

static void openat_not_dir(struct out *o)
{
	int fd = open_or_fail(o, "f", 0);
	if (fd >= 0)
		openat_case(o, fd, "x", O_RDONLY);
}

static void openat_bad_dirfd(struct out *o)
{
	openat_case(o, 9999, "f", O_RDONLY);
}

static void openat_opath_dirfd(struct out *o)
{
	int d = open_or_fail(o, "d", O_PATH | O_DIRECTORY);
	if (d >= 0)
		openat_case(o, d, "f", O_RDONLY);
}

/* A dirfd keeps naming its directory after the process moved elsewhere. */
static void openat_after_chdir(struct out *o)
{
	int d = dir_fd(o, "d");
	if (d < 0)
		return;
	out_rc(o, chdir("e"));
	openat_case(o, d, "f", O_RDONLY);
	openat_case(o, AT_FDCWD, "f", O_RDONLY);
}

static void openat_removed_dir(struct out *o)
{
	if (!mk_dir(o, "w/removed"))
		return;
	int d = dir_fd(o, "w/removed");
	if (d < 0)
		return;
	out_rc(o, rmdir("w/removed"));
	openat_case(o, d, "x", O_WRONLY | O_CREAT);
	openat_case(o, d, ".", O_RDONLY);
}

/* --- newfstatat and statx -------------------------------------------------------- */

static void fstatat_at(struct out *o, const char *dir, const char *path, int flags)
{
	int d = dir ? open_or_fail(o, dir, 0) : AT_FDCWD;
	if (d == -1)
		return;
	struct stat st;
	if (out_rc(o, fstatat(d, path, &st, flags)) == 0)
		out_statbuf(o, &st, d, path);
}

static void fstatat_dirfd_rel(struct out *o) { fstatat_at(o, "d", "sub/g", 0); }
static void fstatat_dirfd_nofollow(struct out *o) { fstatat_at(o, "d", "sl-sub", AT_SYMLINK_NOFOLLOW); }
static void fstatat_dirfd_empty(struct out *o) { fstatat_at(o, "d", "", AT_EMPTY_PATH); }
/* A lone name in the directory of the dirfd: the view looks it up there
 * itself, unless it is a symlink to follow, ".", ".." or has a slash. */
static void fstatat_dirfd_follow(struct out *o) { fstatat_at(o, "d", "sl-sub", 0); }
static void fstatat_dirfd_follow_parent(struct out *o) { fstatat_at(o, "d", "sl-parent", 0); }
static void fstatat_dirfd_dot(struct out *o) { fstatat_at(o, "d", ".", 0); }
static void fstatat_dirfd_dotdot(struct out *o) { fstatat_at(o, "d", "..", 0); }
static void fstatat_dirfd_slash(struct out *o) { fstatat_at(o, "d", "f/", 0); }
static void fstatat_dirfd_dir_slash(struct out *o) { fstatat_at(o, "d", "sub/", AT_SYMLINK_NOFOLLOW); }
static void fstatat_dirfd_link_slash(struct out *o) { fstatat_at(o, "d", "sl-sub/", AT_SYMLINK_NOFOLLOW); }
static void fstatat_dirfd_missing(struct out *o) { fstatat_at(o, "d", "nope", 0); }
static void fstatat_cwd_lone(struct out *o) { fstatat_at(o, NULL, "sl-d-slash", 0); }

static void statx_at(struct out *o, const char *dir, const char *path, int flags)
{
	int d = dir ? open_or_fail(o, dir, O_PATH) : AT_FDCWD;
	if (d == -1)
		return;
	struct statx stx;
	if (out_rc(o, syscall(SYS_statx, d, path, flags, STATX_BASIC_STATS, &stx)) < 0)
		return;
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_mode = stx.stx_mode;
	st.st_size = (off_t)stx.stx_size;
	st.st_nlink = stx.stx_nlink;
	out_statbuf(o, &st, d, path);
	out_add(o, "%s", (stx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS ? "basic-stats" : "partial");
}

static void statx_dirfd_rel(struct out *o) { statx_at(o, "d", "f", 0); }
static void statx_nofollow(struct out *o) { statx_at(o, NULL, "sl-d", AT_SYMLINK_NOFOLLOW); }
static void statx_dirfd_follow(struct out *o) { statx_at(o, "d", "sl-sub", 0); }
static void statx_dirfd_dangling(struct out *o) { statx_at(o, NULL, "sl-dangling", 0); }
static void statx_empty_path(struct out *o) { statx_at(o, "sl-f", "", AT_EMPTY_PATH); }
static void statx_empty_path_symlink(struct out *o)
{
	int d = open_or_fail(o, "sl-f", O_PATH | O_NOFOLLOW);
	struct statx stx;
	if (d >= 0 && out_rc(o, syscall(SYS_statx, d, "", AT_EMPTY_PATH, STATX_TYPE, &stx)) == 0)
		out_add(o, "%s", S_ISLNK(stx.stx_mode) ? "lnk" : "not-lnk");
}

static void statx_trailing_slash_file(struct out *o) { statx_at(o, NULL, "f/", 0); }

/* Since Linux 6.11 a NULL path with AT_EMPTY_PATH means the dirfd itself. */
static void statx_null_path(struct out *o)
{
	int d = open_or_fail(o, "f", 0);
	struct statx stx;
	if (d >= 0 && out_rc(o, syscall(SYS_statx, d, NULL, AT_EMPTY_PATH, STATX_TYPE, &stx)) == 0)
		out_add(o, "%s", S_ISREG(stx.stx_mode) ? "reg" : "not-reg");
}

/* --- faccessat, faccessat2 -------------------------------------------------------------- */

static void access_at(struct out *o, const char *dir, const char *path, int mode, int flags)
{
	int d = dir ? open_or_fail(o, dir, O_PATH) : AT_FDCWD;
	if (d != -1)
		out_rc(o, sys_faccessat2(d, path, mode, flags));
}

static void faccessat_rel(struct out *o)
{
	int d = dir_fd(o, "d");
	if (d >= 0)
		out_rc(o, faccessat(d, "f", R_OK, 0));
}

static void faccessat_wok_ro(struct out *o)
{
	int d = dir_fd(o, ".");
	if (d >= 0)
		out_rc(o, syscall(SYS_faccessat, d, "ro", W_OK));
}

static void faccessat_xok_noexec(struct out *o) { access_at(o, "bin", "noexec", X_OK, 0); }
static void faccessat2_eaccess(struct out *o) { access_at(o, "d", "f", R_OK | W_OK, AT_EACCESS); }
static void faccessat2_nofollow_dangling(struct out *o) { access_at(o, NULL, "sl-dangling", F_OK, AT_SYMLINK_NOFOLLOW); }
static void faccessat2_follow_dangling(struct out *o) { access_at(o, NULL, "sl-dangling", F_OK, 0); }
static void faccessat2_empty_path(struct out *o) { access_at(o, "f", "", R_OK, AT_EMPTY_PATH); }
static void faccessat2_empty_no_flag(struct out *o) { access_at(o, "f", "", R_OK, 0); }

/* --- readlinkat ------------------------------------------------------------------------------ */

static void readlinkat_case(struct out *o, const char *dir, const char *path)
{
	int d = open_or_fail(o, dir, O_PATH);
	if (d < 0)
		return;
	char buf[PATH_MAX];
	ssize_t n = readlinkat(d, path, buf, sizeof(buf) - 1);
	if (out_ok(o, n) >= 0)
		out_add(o, "%.*s", (int)n, buf);
}

static void readlinkat_rel(struct out *o) { readlinkat_case(o, "d", "sl-sub"); }
static void readlinkat_abs_target(struct out *o) { readlinkat_case(o, ".", "sl-absd"); }
static void readlinkat_abs_path(struct out *o) { readlinkat_case(o, "d", P("sl-f")); }

/* --- mkdirat, mknodat ---------------------------------------------------------------------------- */

static void mkdirat_case(struct out *o, const char *dir, const char *name, mode_t mode)
{
	int d = open_or_fail(o, dir, O_PATH | O_DIRECTORY);
	if (d < 0)
		return;
	if (out_rc(o, mkdirat(d, name, mode)) == 0)
		out_fstatat(o, d, name);
}

static void mkdirat_rel(struct out *o) { mkdirat_case(o, "w", "mkdirat", 0755); }
static void mkdirat_umask(struct out *o) { mkdirat_case(o, "w", "mkdirat-umask", 0777); }
static void mkdirat_existing(struct out *o) { mkdirat_case(o, ".", "d", 0755); }
static void mkdirat_not_dir(struct out *o)
{
	int fd = open_or_fail(o, "f", 0);
	if (fd >= 0)
		out_rc(o, mkdirat(fd, "x", 0755));
}

static void mknodat_case(struct out *o, const char *name, mode_t mode, dev_t dev)
{
	int d = dir_fd(o, "w");
	if (d < 0)
		return;
	if (out_rc(o, mknodat(d, name, mode, dev)) == 0)
		out_fstatat(o, d, name);
}

static void mknodat_fifo(struct out *o) { mknodat_case(o, "fifo", S_IFIFO | 0666, 0); }
static void mknodat_reg(struct out *o) { mknodat_case(o, "mknod-reg", S_IFREG | 0600, 0); }
static void mknodat_existing(struct out *o) { mknodat_case(o, ".keep", S_IFIFO | 0644, 0); }
static void mknodat_chr(struct out *o) { mknodat_case(o, "mknod-chr", S_IFCHR | 0644, makedev(1, 3)); }

/* faccessat (not faccessat2) has no flags: the kernel ignores a fourth
 * argument, so AT_SYMLINK_NOFOLLOW there still follows the symlink. */
static void faccessat_ignores_fourth(struct out *o)
{
	out_rc(o, syscall(SYS_faccessat, AT_FDCWD, "sl-abs", R_OK, AT_SYMLINK_NOFOLLOW));
	out_rc(o, syscall(SYS_faccessat, AT_FDCWD, "sl-dangling", F_OK, AT_SYMLINK_NOFOLLOW));
}

/* A pipe as dirfd, an empty path and a NULL one. */
static void openat_odd_arguments(struct out *o)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		mk_fail(o, "pipe");
		return;
	}
	out_ok(o, syscall(SYS_openat, p[0], "foo", O_RDONLY | O_CLOEXEC));
	out_ok(o, syscall(SYS_openat, p[0], "", O_RDONLY | O_CLOEXEC));
	out_ok(o, syscall(SYS_openat, p[0], NULL, O_RDONLY | O_CLOEXEC));
	out_ok(o, syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY | O_CLOEXEC));
}

const struct conform_case at_cases[] = {
	CASE("openat-dirfd-rel", openat_rel),
	CASE("openat-dirfd-dotdot", openat_dotdot),
	CASE("openat-abs-path-ignores-dirfd", openat_abs),
	CASE("openat-abs-path-ignores-bad-dirfd", openat_abs_bad_dirfd),
	CASE("openat-dirfd-not-dir", openat_not_dir),
	CASE("openat-bad-dirfd", openat_bad_dirfd),
	CASE("openat-opath-dirfd", openat_opath_dirfd),
	CASE("openat-dirfd-opened-before-chdir", openat_after_chdir),
	CASE("openat-dirfd-of-removed-dir", openat_removed_dir),
	CASE("fstatat-dirfd-rel", fstatat_dirfd_rel),
	CASE("fstatat-dirfd-nofollow", fstatat_dirfd_nofollow),
	CASE("fstatat-dirfd-empty-path", fstatat_dirfd_empty),
	CASE("fstatat-dirfd-follow-symlink", fstatat_dirfd_follow),
	CASE("fstatat-dirfd-follow-symlink-to-dotdot", fstatat_dirfd_follow_parent),
	CASE("fstatat-dirfd-dot", fstatat_dirfd_dot),
	CASE("fstatat-dirfd-dotdot", fstatat_dirfd_dotdot),
	CASE("fstatat-dirfd-file-slash", fstatat_dirfd_slash),
	CASE("fstatat-dirfd-dir-slash-nofollow", fstatat_dirfd_dir_slash),
	CASE("fstatat-dirfd-symlink-slash-nofollow", fstatat_dirfd_link_slash),
	CASE("fstatat-dirfd-missing", fstatat_dirfd_missing),
	CASE("fstatat-cwd-symlink-to-dir-slash", fstatat_cwd_lone),
	CASE("statx-dirfd-rel", statx_dirfd_rel),
	CASE("statx-nofollow-symlink", statx_nofollow),
	CASE("statx-dirfd-follow-symlink", statx_dirfd_follow),
	CASE("statx-follow-dangling-symlink", statx_dirfd_dangling),
	CASE("statx-empty-path", statx_empty_path),
	CASE("statx-empty-path-opath-symlink", statx_empty_path_symlink),
	CASE("statx-null-path-empty-path", statx_null_path),
	CASE("statx-trailing-slash-file", statx_trailing_slash_file),
	CASE("faccessat-dirfd-rel", faccessat_rel),
	CASE("faccessat-write-readonly-file", faccessat_wok_ro),
	CASE("faccessat-exec-nonexec-file", faccessat_xok_noexec),
	CASE("faccessat2-eaccess", faccessat2_eaccess),
	CASE("faccessat2-nofollow-dangling", faccessat2_nofollow_dangling),
	CASE("faccessat2-follow-dangling", faccessat2_follow_dangling),
	CASE("faccessat2-empty-path", faccessat2_empty_path),
	CASE("faccessat2-empty-path-without-flag", faccessat2_empty_no_flag),
	CASE("faccessat-ignores-fourth-argument", faccessat_ignores_fourth),
	CASE("openat-pipe-dirfd-empty-and-null-paths", openat_odd_arguments),
	CASE("readlinkat-dirfd-rel", readlinkat_rel),
	CASE("readlinkat-dirfd-abs-target", readlinkat_abs_target),
	CASE("readlinkat-abs-path-ignores-dirfd", readlinkat_abs_path),
	CASE("mkdirat-dirfd", mkdirat_rel),
	CASE("mkdirat-mode-masked-by-umask", mkdirat_umask),
	CASE("mkdirat-existing", mkdirat_existing),
	CASE("mkdirat-dirfd-not-dir", mkdirat_not_dir),
	CASE("mknodat-fifo", mknodat_fifo),
	CASE("mknodat-regular", mknodat_reg),
	CASE("mknodat-existing", mknodat_existing),
	CASE("mknodat-char-device-unprivileged", mknodat_chr),
	CASES_END
};
