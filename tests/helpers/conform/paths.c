/* paths.c: how a path is walked: absolute and relative, ".", "..", trailing
 * slashes, empty paths, length limits, and symlinks of every shape. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void fstatat_case(struct out *o, int dirfd, const char *path, int flags)
{
	struct stat st;
	if (out_rc(o, fstatat(dirfd, path, &st, flags)) == 0)
		out_statbuf(o, &st, dirfd, path);
}

static void fstatat_empty_fd(struct out *o)
{
	int fd = open_or_fail(o, "f", 0);
	if (fd >= 0)
		fstatat_case(o, fd, "", AT_EMPTY_PATH);
}

static void fstatat_empty_cwd(struct out *o)
{
	fstatat_case(o, AT_FDCWD, "", AT_EMPTY_PATH);
}

static void fstatat_empty_no_flag(struct out *o)
{
	int fd = open_or_fail(o, "f", 0);
	if (fd >= 0)
		fstatat_case(o, fd, "", 0);
}

/* --- length limits ------------------------------------------------------------- */

static void name_255_create(struct out *o)
{
	char path[300];
	strcpy(path, "w/");
	fill(path + 2, 255, 'n');
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out_ok(o, fd) >= 0) {
		close(fd);
		out_stat(o, path);
	}
}

static void name_256_stat(struct out *o)
{
	char path[300];
	strcpy(path, "d/");
	fill(path + 2, 256, 'n');
	out_stat(o, path);
}

/* A missing directory is found before the too-long name after it. */
static void name_256_after_missing(struct out *o)
{
	char path[300];
	strcpy(path, "nothere/");
	fill(path + 8, 256, 'n');
	out_stat(o, path);
}

/* Makes a file whose path (relative to ROOT/t if !absolute) is exactly LEN
 * bytes long, directories of 200-byte names leading to it. Its path goes
 * to BUF (of at least LEN + 2 bytes). */
static bool make_long_path(struct out *o, char *buf, size_t len, bool absolute, const char *top)
{
	size_t n = (size_t)snprintf(buf, len + 2, "%s%s/", absolute ? P("") : "", top);
	if (mkdir(buf, 0755) < 0)
		return mk_fail(o, top);
	while (len - n > 255) {
		fill(buf + n, 200, 'c');
		n += 200;
		if (mkdir(buf, 0755) < 0)
			return mk_fail(o, "long-component");
		buf[n++] = '/';
	}
	fill(buf + n, len - n, 'f');
	int fd = open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return mk_fail(o, "long-file");
	close(fd);
	return true;
}

static void path_4095_rel(struct out *o)
{
	char path[4200];
	if (make_long_path(o, path, 4095, false, "w/long-rel"))
		out_stat(o, path);
}

static void path_4096_rel(struct out *o)
{
	char path[4200];
	if (!make_long_path(o, path, 4095, false, "w/long-rel2"))
		return;
	strcat(path, "f");
	out_stat(o, path);
}

static void path_4095_abs(struct out *o)
{
	char path[4200];
	if (make_long_path(o, path, 4095, true, "w/long-abs"))
		out_stat(o, path);
}

static void path_4096_abs(struct out *o)
{
	char path[4200];
	if (!make_long_path(o, path, 4095, true, "w/long-abs2"))
		return;
	strcat(path, "f");
	out_stat(o, path);
}

static void path_5000(struct out *o)
{
	char path[5001];
	for (size_t i = 0; i < 5000; i += 2)
		memcpy(path + i, "a/", 2);
	path[4999] = 'a';
	path[5000] = '\0';
	out_stat(o, path);
}

/* --- what follows a name: nothing, "/", "/." or "/.." ------------------------------------- */

/* For each ending after NAME: stat, chdir (and where it leads) and
 * readlink, each with its result. */
static void endings(struct out *o, const char *name)
{
	static const char *const ends[] = { "", "/", "/.", "/.." };
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (here < 0) {
		mk_fail(o, ".");
		return;
	}
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", name, ends[i]);
		out_add(o, "[%s]", ends[i]);
		out_stat(o, path);
		if (out_rc(o, chdir(path)) == 0) {
			out_cwd(o);
			if (fchdir(here) < 0) {
				mk_fail(o, "fchdir");
				return;
			}
		}
		out_readlink(o, path);
	}
	close(here);
}

static void endings_file(struct out *o) { endings(o, "f"); }
static void endings_dir(struct out *o) { endings(o, "d/sub"); }
static void endings_symlink_file(struct out *o) { endings(o, "sl-f"); }
static void endings_symlink_dir(struct out *o) { endings(o, "sl-d"); }
static void endings_abs_symlink_dir(struct out *o) { endings(o, "sl-absd"); }
static void endings_dangling(struct out *o) { endings(o, "sl-dangling"); }
static void endings_missing(struct out *o) { endings(o, "nothere"); }

static void endings_symlink_dot_dot(struct out *o)
{
	if (mk_link(o, "%/d/sub/./.", "w/sl-dots"))
		endings(o, "w/sl-dots");
}

/* Absolute paths whose "." and ".." the runtime may hand to the kernel
 * whole: into the mount from its parent, and out of it and back. */
static void stat_dotted_into_root(struct out *o)
{
	const char *base = strrchr(ctx.root, '/');
	char path[sizeof(ctx.root) + 64];
	snprintf(path, sizeof(path), "%.*s/.%s/t/f", (int)(base - ctx.root), ctx.root, base);
	out_stat(o, path);
	snprintf(path, sizeof(path), "%s/t/d/../../..%s/t/f", ctx.root, base);
	out_stat(o, path);
	snprintf(path, sizeof(path), "%s/t/d/../../..%s/t/nothere/../f", ctx.root, base);
	out_stat(o, path);
}

const struct conform_case path_cases[] = {
	PROBE("stat-abs-file", PR_STAT, "%/d/f", 0),
	PROBE("stat-dot", PR_STAT, ".", 0),
	PROBE("stat-dot-components", PR_STAT, "./d/./f", 0),
	PROBE("stat-dotdot-rel", PR_STAT, "d/sub/../f", 0),
	PROBE("stat-dotdot-abs", PR_STAT, "%/d/sub/../../f", 0),
	PROBE("stat-dotdot-after-file", PR_STAT, "f/../d", 0),
	PROBE("stat-dotdot-after-missing", PR_STAT, "nothere/../d", 0),
	PROBE("stat-dotdot-abs-after-missing", PR_STAT, "%/nothere/../d", 0),
	PROBE("stat-dotdot-abs-after-file", PR_STAT, "%/f/../d", 0),
	PROBE("stat-dotdot-abs-after-symlink", PR_STAT, "%/sl-deep/../f", 0),
	PROBE("stat-dotdot-abs-denied", PR_STAT, "%/x000/../f", 0),
	PROBE("stat-dots-abs", PR_STAT, "%/./d/./sub/.././f", 0),
	PROBE("stat-dotdot-abs-to-mount-root", PR_STAT, "%/d/../..", 0),
	PROBE("stat-trailing-slash-abs-dir", PR_STAT, "%/d/sub/", 0),
	PROBE("stat-trailing-slash-abs-file", PR_STAT, "%/f/", 0),
	PROBE("lstat-trailing-slash-abs-symlink-dir", PR_LSTAT, "%/sl-d/", 0),
	PROBE("lstat-dotdot-abs-symlink", PR_LSTAT, "%/d/sub/../../sl-f", 0),
	PROBE("readlink-dotdot-abs", PR_READLINK, "%/d/../sl-f", 0),
	PROBE("readlink-dotdot-abs-dir", PR_READLINK, "%/d/sub/..", 0),
	PROBE("open-dotdot-abs", PR_OPEN, "%/d/sub/../f", O_RDONLY),
	PROBE("list-dotdot-abs", PR_LIST, "%/d/sub/..", 0),
	PROBE("access-dotdot-abs", PR_ACCESS, "%/d/sub/../f", R_OK),
	CASE("stat-dotted-into-root", stat_dotted_into_root),
	PROBE("stat-repeated-slashes", PR_STAT, "d//sub///g", 0),
	PROBE("stat-file-as-dir", PR_STAT, "f/x", 0),
	PROBE("stat-trailing-slash-file", PR_STAT, "d/f/", 0),
	PROBE("stat-trailing-dot-file", PR_STAT, "f/.", 0),
	PROBE("stat-trailing-slash-dir", PR_STAT, "d/", 0),
	PROBE("stat-trailing-slash-missing", PR_STAT, "nothere/", 0),
	PROBE("lstat-trailing-slash-symlink-dir", PR_LSTAT, "sl-d/", 0),
	PROBE("stat-trailing-slash-symlink-file", PR_STAT, "sl-f/", 0),
	PROBE("lstat-trailing-slash-symlink-file", PR_LSTAT, "sl-f/", 0),
	PROBE("mkdir-trailing-slash", PR_MKDIR, "w/mkdir-slash/", 0755),
	PROBE("mkdir-trailing-dot", PR_MKDIR, "w/mkdir-dot/.", 0755),
	PROBE("mkdir-trailing-slash-dangling-symlink", PR_MKDIR, "sl-dangling/", 0755),
	PROBE("open-creat-trailing-slash-missing", PR_OPEN, "w/creat-slash/", O_CREAT | O_WRONLY),
	PROBE("open-creat-trailing-slash-file", PR_OPEN, "f/", O_CREAT | O_RDONLY),
	PROBE("open-creat-trailing-slash-dir", PR_OPEN, "d/", O_CREAT | O_RDONLY),
	PROBE("open-trailing-slash-symlink-dir", PR_OPEN, "sl-d/", O_RDONLY),
	PROBE("open-trailing-slash-file", PR_OPEN, "f/", O_RDONLY),
	PROBE("stat-empty-path", PR_STAT, "", 0),
	PROBE("open-empty-path", PR_OPEN, "", O_RDONLY),
	CASE("fstatat-empty-path-fd", fstatat_empty_fd),
	CASE("fstatat-empty-path-cwd", fstatat_empty_cwd),
	CASE("fstatat-empty-path-without-flag", fstatat_empty_no_flag),
	CASE("name-255-create", name_255_create),
	CASE("name-256-stat", name_256_stat),
	CASE("name-256-after-missing-dir", name_256_after_missing),
	CASE("path-4095-relative", path_4095_rel),
	CASE("path-4096-relative", path_4096_rel),
	CASE("path-4095-absolute", path_4095_abs),
	CASE("path-4096-absolute", path_4096_abs),
	CASE("path-5000", path_5000),
	CASE("endings-after-file", endings_file),
	CASE("endings-after-dir", endings_dir),
	CASE("endings-after-symlink-to-file", endings_symlink_file),
	CASE("endings-after-symlink-to-dir", endings_symlink_dir),
	CASE("endings-after-abs-symlink-to-dir", endings_abs_symlink_dir),
	CASE("endings-after-symlink-ending-in-dots", endings_symlink_dot_dot),
	CASE("endings-after-dangling-symlink", endings_dangling),
	CASE("endings-after-missing", endings_missing),
	CASES_END
};

/* --- symlinks ------------------------------------------------------------------------ */

static void dangling_creat(struct out *o, const char *target, const char *link, const char *made, int flags)
{
	if (!mk_link(o, target, link))
		return;
	int fd = open(link, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0640);
	if (out_ok(o, fd) >= 0)
		close(fd);
	out_lstat(o, link);
	out_lstat(o, made);
}

static void creat_dangling_rel(struct out *o)
{
	dangling_creat(o, "made-rel", "w/dangle-rel", "w/made-rel", 0);
}

static void creat_dangling_abs(struct out *o)
{
	dangling_creat(o, "%/w/made-abs", "w/dangle-abs", "w/made-abs", 0);
}

static void creat_excl_dangling(struct out *o)
{
	dangling_creat(o, "made-excl", "w/dangle-excl", "w/made-excl", O_EXCL);
}

static void creat_dangling_missing_dir(struct out *o)
{
	dangling_creat(o, "nodir/x", "w/dangle-nodir", "w/nodir", 0);
}

static void creat_dangling_trailing_slash(struct out *o)
{
	dangling_creat(o, "made-slash/", "w/dangle-slash", "w/made-slash", 0);
}

static void fstatat_nofollow(struct out *o)
{
	fstatat_case(o, AT_FDCWD, "sl-f", AT_SYMLINK_NOFOLLOW);
}

static void fstatat_nofollow_mid(struct out *o)
{
	fstatat_case(o, AT_FDCWD, "sl-d/f", AT_SYMLINK_NOFOLLOW);
}

static void readlinkat_empty(struct out *o, const char *path)
{
	int fd = open_or_fail(o, path, O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return;
	char buf[PATH_MAX];
	ssize_t n = readlinkat(fd, "", buf, sizeof(buf) - 1);
	if (out_ok(o, n) >= 0) {
		buf[n] = '\0';
		out_add(o, "%s", buf);
	}
}

static void readlinkat_empty_rel(struct out *o)
{
	readlinkat_empty(o, "sl-f");
}

static void readlinkat_empty_abs(struct out *o)
{
	readlinkat_empty(o, "sl-abs");
}

static void readlink_short_rel(struct out *o)
{
	char buf[8] = "";
	ssize_t n = readlink("sl-chain1", buf, 4);
	if (out_rc(o, n) > 0)
		out_add(o, "%.*s", (int)n, buf);
}

/* The prefix of an absolute target depends on ROOT: say whether it is one. */
static void readlink_short_abs(struct out *o)
{
	char buf[8] = "";
	ssize_t n = readlink("sl-abs", buf, 5);
	if (out_rc(o, n) > 0)
		out_add(o, "%s", strncmp(buf, P("d/f"), (size_t)n) == 0 ? "prefix-of-target" : "wrong-bytes");
}

static void symlink_empty_target(struct out *o)
{
	out_rc(o, symlink("", "w/sl-empty"));
	out_lstat(o, "w/sl-empty");
}

const struct conform_case symlink_cases[] = {
	PROBE("stat-symlink-rel", PR_STAT, "sl-f", 0),
	PROBE("lstat-symlink-rel", PR_LSTAT, "sl-f", 0),
	PROBE("readlink-symlink-rel", PR_READLINK, "sl-f", 0),
	PROBE("stat-symlink-abs", PR_STAT, "sl-abs", 0),
	PROBE("readlink-symlink-abs", PR_READLINK, "sl-abs", 0),
	PROBE("stat-through-abs-dir-symlink", PR_STAT, "sl-absd/sub/g", 0),
	PROBE("stat-abs-dir-symlink-then-dotdot", PR_STAT, "sl-absd/../f", 0),
	PROBE("stat-deep-symlink-then-dotdot-is-physical", PR_STAT, "sl-deep/../f", 0),
	PROBE("stat-chain", PR_STAT, "sl-chain1", 0),
	PROBE("stat-chain-40-links", PR_STAT, "chain/c2", 0),
	PROBE("stat-chain-41-links", PR_STAT, "chain/c1", 0),
	PROBE("stat-loop", PR_STAT, "sl-loop1", 0),
	PROBE("lstat-loop", PR_LSTAT, "sl-loop1", 0),
	PROBE("open-loop", PR_OPEN, "sl-loop1", O_RDONLY),
	PROBE("stat-loop-in-middle", PR_STAT, "sl-loop1/x", 0),
	PROBE("stat-dangling", PR_STAT, "sl-dangling", 0),
	PROBE("lstat-dangling", PR_LSTAT, "sl-dangling", 0),
	CASE("open-creat-through-dangling-rel", creat_dangling_rel),
	CASE("open-creat-through-dangling-abs", creat_dangling_abs),
	CASE("open-creat-excl-through-dangling", creat_excl_dangling),
	CASE("open-creat-through-dangling-missing-dir", creat_dangling_missing_dir),
	CASE("open-creat-through-dangling-target-slash", creat_dangling_trailing_slash),
	PROBE("stat-symlink-target-dotdot", PR_STAT, "sl-dotdot", 0),
	PROBE("stat-symlink-target-up", PR_STAT, "d/sub/sl-up", 0),
	PROBE("stat-symlink-to-parent", PR_STAT, "d/sl-parent/f", 0),
	PROBE("stat-symlink-target-trailing-slash", PR_STAT, "sl-d-slash", 0),
	PROBE("stat-symlink-to-file-target-slash", PR_STAT, "sl-f-slash", 0),
	CASE("fstatat-nofollow-symlink", fstatat_nofollow),
	CASE("fstatat-nofollow-intermediate-symlink", fstatat_nofollow_mid),
	PROBE("open-nofollow-symlink", PR_OPEN, "sl-f", O_RDONLY | O_NOFOLLOW),
	PROBE("open-nofollow-intermediate-symlink", PR_OPEN, "sl-d/f", O_RDONLY | O_NOFOLLOW),
	PROBE("open-nofollow-trailing-slash", PR_OPEN, "sl-d/", O_RDONLY | O_NOFOLLOW),
	PROBE("open-nofollow-path-symlink", PR_OPEN, "sl-f", O_PATH | O_NOFOLLOW),
	CASE("readlinkat-empty-path-rel", readlinkat_empty_rel),
	CASE("readlinkat-empty-path-abs", readlinkat_empty_abs),
	PROBE("readlink-regular-file", PR_READLINK, "f", 0),
	PROBE("readlink-missing", PR_READLINK, "nothere", 0),
	PROBE("readlink-trailing-slash", PR_READLINK, "sl-d/", 0),
	CASE("readlink-short-buffer-rel", readlink_short_rel),
	CASE("readlink-short-buffer-abs", readlink_short_abs),
	CASE("symlink-empty-target", symlink_empty_target),
	CASES_END
};
