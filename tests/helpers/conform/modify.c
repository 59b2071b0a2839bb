/* modify.c: the *at calls that change the tree or its attributes:
 * unlinkat, renameat/renameat2, linkat, symlinkat, fchmodat/fchmodat2,
 * fchownat, utimensat, futimesat. Each case works on names of its own
 * under w/. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int wfd(struct out *o)
{
	return open_or_fail(o, "w", O_DIRECTORY | O_PATH);
}

/* --- unlinkat ---------------------------------------------------------------------- */

static void unlinkat_case(struct out *o, const char *make_dir, const char *make_file,
			  const char *path, int flags, const char *check)
{
	if ((make_dir && !mk_dir(o, make_dir)) || (make_file && !mk_file(o, make_file, "x")))
		return;
	int d = wfd(o);
	if (d < 0)
		return;
	out_rc(o, unlinkat(d, path, flags));
	if (check)
		out_lstat(o, check);
}

static void unlinkat_file(struct out *o) { unlinkat_case(o, NULL, "w/ul-f", "ul-f", 0, "w/ul-f"); }
static void unlinkat_removedir(struct out *o) { unlinkat_case(o, "w/ul-d", NULL, "ul-d", AT_REMOVEDIR, "w/ul-d"); }
static void unlinkat_removedir_file(struct out *o) { unlinkat_case(o, NULL, "w/ul-f2", "ul-f2", AT_REMOVEDIR, "w/ul-f2"); }
static void unlinkat_dir_no_flag(struct out *o) { unlinkat_case(o, "w/ul-d2", NULL, "ul-d2", 0, "w/ul-d2"); }
static void unlinkat_trailing_slash_file(struct out *o) { unlinkat_case(o, NULL, "w/ul-f3", "ul-f3/", 0, "w/ul-f3"); }

static void unlinkat_symlink_to_dir(struct out *o)
{
	if (!mk_link(o, "../d", "w/ul-sl"))
		return;
	unlinkat_case(o, NULL, NULL, "ul-sl", 0, "w/ul-sl");
	out_stat(o, "d");
}

static void unlinkat_removedir_symlink(struct out *o)
{
	if (!mk_link(o, "../e", "w/ul-sl2"))
		return;
	unlinkat_case(o, NULL, NULL, "ul-sl2", AT_REMOVEDIR, "w/ul-sl2");
}

/* --- renameat, renameat2 ---------------------------------------------------------------- */

static void rename_two_files(struct out *o, const char *a, const char *b, unsigned flags)
{
	if (!mk_file(o, a, "A") || !mk_file(o, b, "B"))
		return;
	int d = wfd(o), t = open_or_fail(o, ".", O_DIRECTORY | O_PATH);
	if (d < 0 || t < 0)
		return;
	out_rc(o, sys_renameat2(t, a, d, b + 2, flags));
	out_content(o, a);
	out_content(o, b);
}

static void renameat_dirfds(struct out *o)
{
	if (!mk_file(o, "w/rn-a", "A"))
		return;
	int d = wfd(o), t = open_or_fail(o, "d", O_DIRECTORY | O_PATH);
	if (d < 0 || t < 0)
		return;
	out_rc(o, renameat(d, "rn-a", t, "../w/rn-b"));
	out_content(o, "w/rn-a");
	out_content(o, "w/rn-b");
}

static void renameat2_noreplace_existing(struct out *o) { rename_two_files(o, "w/nr-a", "w/nr-b", RENAME_NOREPLACE); }
static void renameat2_exchange(struct out *o) { rename_two_files(o, "w/ex-a", "w/ex-b", RENAME_EXCHANGE); }
static void renameat2_both_flags(struct out *o) { rename_two_files(o, "w/bf-a", "w/bf-b", RENAME_NOREPLACE | RENAME_EXCHANGE); }
/* Allowed unprivileged since Linux 5.8: the old name becomes a whiteout,
 * a character device 0:0. */
static void renameat2_whiteout(struct out *o)
{
	if (!mk_file(o, "w/wo-a", "A") || !mk_file(o, "w/wo-b", "B"))
		return;
	out_rc(o, sys_renameat2(AT_FDCWD, "w/wo-a", AT_FDCWD, "w/wo-b", RENAME_WHITEOUT));
	out_lstat(o, "w/wo-a");
	out_content(o, "w/wo-b");
}

static void renameat2_exchange_file_dir(struct out *o)
{
	if (!mk_file(o, "w/exd-a", "A") || !mk_dir(o, "w/exd-b"))
		return;
	out_rc(o, sys_renameat2(AT_FDCWD, "w/exd-a", AT_FDCWD, "w/exd-b", RENAME_EXCHANGE));
	out_lstat(o, "w/exd-a");
	out_lstat(o, "w/exd-b");
}

/* A symlink moved elsewhere keeps its text, so a relative one now
 * resolves from its new directory. */
static void rename_relative_symlink(struct out *o)
{
	if (!mk_link(o, "../f", "w/rs") || !mk_dir(o, "w/rs-dir"))
		return;
	out_stat(o, "w/rs");
	out_rc(o, rename("w/rs", "w/rs-dir/rs"));
	out_readlink(o, "w/rs-dir/rs");
	out_stat(o, "w/rs-dir/rs");
}

static void rename_hardlink_same_inode(struct out *o)
{
	if (!mk_file(o, "w/hl-a", "A"))
		return;
	if (link("w/hl-a", "w/hl-b") < 0) {
		mk_fail(o, "link");
		return;
	}
	out_rc(o, rename("w/hl-a", "w/hl-b"));
	out_lstat(o, "w/hl-a");
	out_lstat(o, "w/hl-b");
}

static void rename_trailing_slash_file(struct out *o)
{
	if (!mk_file(o, "w/rts", "A"))
		return;
	out_rc(o, rename("w/rts/", "w/rts2"));
	out_rc(o, rename("w/rts", "w/rts2/"));
}

/* --- linkat ----------------------------------------------------------------------------------- */

static void linkat_case(struct out *o, const char *from, const char *name, int flags)
{
	int d = wfd(o), t = open_or_fail(o, ".", O_DIRECTORY | O_PATH);
	if (d < 0 || t < 0)
		return;
	out_rc(o, linkat(t, from, d, name, flags));
	char path[64];
	snprintf(path, sizeof(path), "w/%s", name);
	out_lstat(o, path);
}

static void linkat_dirfds(struct out *o)
{
	if (mk_file(o, "w/ln-src", "x"))
		linkat_case(o, "w/ln-src", "ln-dst", 0);
}

static void linkat_symlink_nofollow(struct out *o)
{
	if (mk_link(o, "ln-t1", "w/ln-sl1"))
		linkat_case(o, "w/ln-sl1", "ln-sl1-link", 0);
}

static void linkat_symlink_follow(struct out *o)
{
	if (mk_file(o, "w/ln-t2", "x") && mk_link(o, "ln-t2", "w/ln-sl2"))
		linkat_case(o, "w/ln-sl2", "ln-follow", AT_SYMLINK_FOLLOW);
}

static void linkat_dir(struct out *o) { linkat_case(o, "e", "ln-dir", 0); }

/* Linking an fd by AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH on older
 * kernels (ENOENT without it); newer ones also accept the credentials the
 * file was opened with. Either answer is the kernel's to give. */
static void linkat_empty_path(struct out *o)
{
	if (!mk_file(o, "w/ln-e", "x"))
		return;
	int fd = open_or_fail(o, "w/ln-e", 0);
	if (fd >= 0)
		out_rc(o, linkat(fd, "", AT_FDCWD, "w/ln-empty", AT_EMPTY_PATH));
	out_lstat(o, "w/ln-empty");
}

static int tmpfile_in_w(struct out *o, int extra)
{
	int fd = open("w", O_TMPFILE | O_RDWR | O_CLOEXEC | extra, 0600);
	if (fd < 0) {
		mk_fail(o, "O_TMPFILE");
		return -1;
	}
	if (write(fd, "tmp", 3) != 3) {
		mk_fail(o, "write");
		close(fd);
		return -1;
	}
	return fd;
}

static void linkat_tmpfile_empty_path(struct out *o)
{
	int fd = tmpfile_in_w(o, 0);
	if (fd < 0)
		return;
	out_rc(o, linkat(fd, "", AT_FDCWD, "w/tmp-empty", AT_EMPTY_PATH));
	out_lstat(o, "w/tmp-empty");
}

static void linkat_tmpfile_proc(struct out *o, int extra, const char *name, int flags)
{
	int fd = tmpfile_in_w(o, extra);
	if (fd < 0)
		return;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	out_rc(o, linkat(AT_FDCWD, proc, AT_FDCWD, name, flags));
	out_lstat(o, name);
	out_content(o, name);
}

static void linkat_tmpfile_follow(struct out *o) { linkat_tmpfile_proc(o, 0, "w/tmp-linked", AT_SYMLINK_FOLLOW); }
static void linkat_tmpfile_nofollow(struct out *o) { linkat_tmpfile_proc(o, 0, "w/tmp-nofollow", 0); }
static void linkat_tmpfile_excl(struct out *o) { linkat_tmpfile_proc(o, O_EXCL, "w/tmp-excl", AT_SYMLINK_FOLLOW); }

/* --- symlinkat --------------------------------------------------------------------------------- */

static void symlinkat_case(struct out *o, const char *target, const char *name)
{
	int d = wfd(o);
	if (d < 0)
		return;
	if (out_rc(o, symlinkat(target, d, name)) == 0) {
		char path[64];
		snprintf(path, sizeof(path), "w/%s", name);
		out_readlink(o, path);
		out_stat(o, path);
	}
}

static void symlinkat_rel(struct out *o) { symlinkat_case(o, "../d/f", "syat-rel"); }
static void symlinkat_abs(struct out *o) { symlinkat_case(o, P("f"), "syat-abs"); }
static void symlinkat_bad_dirfd(struct out *o) { out_rc(o, symlinkat("x", 9999, "syat-bad")); }

/* --- fchmodat, fchmodat2 ------------------------------------------------------------------------ */

static void chmod_case(struct out *o, const char *make, const char *path, mode_t mode, int flags)
{
	if (make && !mk_file(o, make, "x"))
		return;
	int d = wfd(o);
	if (d < 0)
		return;
	out_rc(o, sys_fchmodat2(d, path, mode, flags));
	char full[64];
	snprintf(full, sizeof(full), "w/%s", path);
	out_lstat(o, full);
}

static void fchmodat_dirfd(struct out *o)
{
	if (!mk_file(o, "w/cm", "x"))
		return;
	int d = wfd(o);
	if (d >= 0 && out_rc(o, fchmodat(d, "cm", 0600, 0)) == 0)
		out_stat(o, "w/cm");
}

static void fchmodat_follows_symlink(struct out *o)
{
	if (!mk_file(o, "w/cm-target", "x") || !mk_link(o, "cm-target", "w/cm-link"))
		return;
	int d = wfd(o);
	if (d >= 0)
		out_rc(o, syscall(SYS_fchmodat, d, "cm-link", 0604));
	out_lstat(o, "w/cm-link");
	out_stat(o, "w/cm-link");
}

static void fchmodat2_nofollow_symlink(struct out *o)
{
	if (mk_link(o, "../f", "w/cm2-link"))
		chmod_case(o, NULL, "cm2-link", 0600, AT_SYMLINK_NOFOLLOW);
}

static void fchmodat2_nofollow_file(struct out *o) { chmod_case(o, "w/cm2-f", "cm2-f", 0640, AT_SYMLINK_NOFOLLOW); }

static void fchmodat2_empty_path(struct out *o)
{
	if (!mk_file(o, "w/cm2-e", "x"))
		return;
	int fd = open_or_fail(o, "w/cm2-e", 0);
	if (fd >= 0)
		out_rc(o, sys_fchmodat2(fd, "", 0620, AT_EMPTY_PATH));
	out_stat(o, "w/cm2-e");
}

static void fchmod_opath(struct out *o)
{
	int fd = open_or_fail(o, "f", O_PATH);
	if (fd >= 0)
		out_rc(o, fchmod(fd, 0600));
}

/* --- fchownat ------------------------------------------------------------------------------------- */

static void chown_case(struct out *o, const char *path, uid_t uid, gid_t gid, int flags)
{
	int d = open_or_fail(o, ".", O_PATH | O_DIRECTORY);
	if (d >= 0)
		out_rc(o, fchownat(d, path, uid, gid, flags));
}

static void fchownat_own(struct out *o) { chown_case(o, "d/f", getuid(), getgid(), 0); }
static void fchownat_nofollow(struct out *o) { chown_case(o, "sl-dangling", getuid(), getgid(), AT_SYMLINK_NOFOLLOW); }

/* A symlink to itself: following it loops (ELOOP), not following it
 * changes the link. */
static void fchownat_self_loop(struct out *o)
{
	if (!mk_link(o, "%/w/chown-loop", "w/chown-loop"))
		return;
	out_rc(o, fchownat(AT_FDCWD, "w/chown-loop", getuid(), getgid(), 0));
	out_rc(o, fchownat(AT_FDCWD, "w/chown-loop", getuid(), getgid(), AT_SYMLINK_NOFOLLOW));
}

/* Giving a file away needs CAP_CHOWN (the suite runs unprivileged). */
static void fchownat_other_uid(struct out *o) { chown_case(o, "f", 0, (gid_t)-1, 0); }

static void fchownat_empty_path(struct out *o)
{
	int fd = open_or_fail(o, "f", O_PATH);
	if (fd >= 0)
		out_rc(o, fchownat(fd, "", getuid(), (gid_t)-1, AT_EMPTY_PATH));
}

/* --- utimensat, futimesat ------------------------------------------------------------------------- */

static const struct timespec fixed_times[2] = { { 1000000000, 0 }, { 1100000000, 500 } };

static void out_mtime(struct out *o, const char *path, bool follow)
{
	struct stat st;
	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
		out_add(o, "%s", errname(errno));
	else if (st.st_mtim.tv_sec == fixed_times[1].tv_sec)
		out_add(o, "mtime=%lld.%09ld", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	else if (llabs((long long)(st.st_mtim.tv_sec - time(NULL))) < 600)
		out_add(o, "mtime=now");
	else
		out_add(o, "mtime=other");
}

static void utimensat_case(struct out *o, const char *link_target, const char *path,
			   const struct timespec *ts, int flags)
{
	char full[64];
	snprintf(full, sizeof(full), "w/%s", path);
	if (link_target ? !mk_link(o, link_target, full) : !mk_file(o, full, "x"))
		return;
	int d = wfd(o);
	if (d < 0)
		return;
	out_rc(o, utimensat(d, path, ts, flags));
	out_mtime(o, full, false);
	if (link_target)
		out_mtime(o, full, true);
}

static void utimensat_set(struct out *o) { utimensat_case(o, NULL, "ut-f", fixed_times, 0); }
static void utimensat_nofollow(struct out *o)
{
	if (mk_file(o, "w/ut-t1", "x"))
		utimensat_case(o, "ut-t1", "ut-l1", fixed_times, AT_SYMLINK_NOFOLLOW);
}

static void utimensat_follow(struct out *o)
{
	if (mk_file(o, "w/ut-t2", "x"))
		utimensat_case(o, "ut-t2", "ut-l2", fixed_times, 0);
}

/* The system call with a NULL path acts on the dirfd (futimens). */
static void utimensat_null_path(struct out *o, int flags, bool cwd)
{
	if (!mk_file(o, "w/ut-null", "x"))
		return;
	int fd = open_or_fail(o, "w/ut-null", 0);
	if (fd < 0)
		return;
	out_rc(o, syscall(SYS_utimensat, cwd ? AT_FDCWD : fd, NULL, fixed_times, flags));
	out_mtime(o, "w/ut-null", false);
}

static void utimensat_null_fd(struct out *o) { utimensat_null_path(o, 0, false); }
static void utimensat_null_nofollow(struct out *o) { utimensat_null_path(o, AT_SYMLINK_NOFOLLOW, false); }
static void utimensat_null_cwd(struct out *o) { utimensat_null_path(o, 0, true); }

static void utimensat_empty_path(struct out *o)
{
	if (!mk_file(o, "w/ut-empty", "x"))
		return;
	int fd = open_or_fail(o, "w/ut-empty", O_PATH);
	if (fd >= 0)
		out_rc(o, utimensat(fd, "", fixed_times, AT_EMPTY_PATH));
	out_mtime(o, "w/ut-empty", false);
}

static void futimesat_case(struct out *o, bool null_path)
{
	static const struct timeval tv[2] = { { 1000000000, 0 }, { 1100000000, 0 } };
	if (!mk_file(o, null_path ? "w/fut-null" : "w/fut", "x"))
		return;
	int d = null_path ? open_or_fail(o, "w/fut-null", 0) : wfd(o);
	if (d >= 0)
		out_rc(o, syscall(SYS_futimesat, d, null_path ? NULL : "fut", tv));
	struct stat st;
	if (out_rc(o, stat(null_path ? "w/fut-null" : "w/fut", &st)) == 0)
		out_add(o, "mtime=%lld", (long long)st.st_mtim.tv_sec);
}

static void futimesat_dirfd(struct out *o) { futimesat_case(o, false); }
static void futimesat_null(struct out *o) { futimesat_case(o, true); }

const struct conform_case modify_cases[] = {
	CASE("unlinkat-file", unlinkat_file),
	CASE("unlinkat-removedir", unlinkat_removedir),
	CASE("unlinkat-removedir-on-file", unlinkat_removedir_file),
	CASE("unlinkat-dir-without-removedir", unlinkat_dir_no_flag),
	CASE("unlinkat-trailing-slash-file", unlinkat_trailing_slash_file),
	CASE("unlinkat-symlink-to-dir-removes-link", unlinkat_symlink_to_dir),
	CASE("unlinkat-removedir-symlink-to-dir", unlinkat_removedir_symlink),
	CASE("renameat-dirfds", renameat_dirfds),
	CASE("renameat2-noreplace-existing", renameat2_noreplace_existing),
	CASE("renameat2-exchange", renameat2_exchange),
	CASE("renameat2-exchange-file-and-dir", renameat2_exchange_file_dir),
	CASE("renameat2-noreplace-and-exchange", renameat2_both_flags),
	CASE("renameat2-whiteout-unprivileged", renameat2_whiteout),
	CASE("rename-relative-symlink-keeps-text", rename_relative_symlink),
	CASE("rename-onto-hard-link-of-itself", rename_hardlink_same_inode),
	CASE("rename-trailing-slash-file", rename_trailing_slash_file),
	CASE("linkat-dirfds", linkat_dirfds),
	CASE("linkat-symlink-not-followed", linkat_symlink_nofollow),
	CASE("linkat-symlink-follow", linkat_symlink_follow),
	CASE("linkat-dir", linkat_dir),
	CASE("linkat-empty-path-unprivileged", linkat_empty_path),
	CASE("linkat-tmpfile-empty-path", linkat_tmpfile_empty_path),
	CASE("linkat-tmpfile-proc-fd-follow", linkat_tmpfile_follow),
	CASE("linkat-tmpfile-proc-fd-nofollow", linkat_tmpfile_nofollow),
	CASE("linkat-tmpfile-excl", linkat_tmpfile_excl),
	CASE("symlinkat-dirfd-rel", symlinkat_rel),
	CASE("symlinkat-dirfd-abs-target", symlinkat_abs),
	CASE("symlinkat-bad-dirfd", symlinkat_bad_dirfd),
	CASE("fchmodat-dirfd", fchmodat_dirfd),
	CASE("fchmodat-follows-symlink", fchmodat_follows_symlink),
	CASE("fchmodat2-nofollow-symlink", fchmodat2_nofollow_symlink),
	CASE("fchmodat2-nofollow-file", fchmodat2_nofollow_file),
	CASE("fchmodat2-empty-path", fchmodat2_empty_path),
	CASE("fchmod-opath-fd", fchmod_opath),
	CASE("fchownat-own-ids", fchownat_own),
	CASE("fchownat-nofollow-dangling", fchownat_nofollow),
	CASE("fchownat-self-loop-follow-and-nofollow", fchownat_self_loop),
	CASE("fchownat-to-root-unprivileged", fchownat_other_uid),
	CASE("fchownat-empty-path", fchownat_empty_path),
	CASE("utimensat-set", utimensat_set),
	CASE("utimensat-nofollow-symlink", utimensat_nofollow),
	CASE("utimensat-follow-symlink", utimensat_follow),
	CASE("utimensat-null-path-fd", utimensat_null_fd),
	CASE("utimensat-null-path-nofollow", utimensat_null_nofollow),
	CASE("utimensat-null-path-cwd", utimensat_null_cwd),
	CASE("utimensat-empty-path", utimensat_empty_path),
	CASE("futimesat-dirfd", futimesat_dirfd),
	CASE("futimesat-null-path", futimesat_null),
	CASES_END
};
