/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-rt-paths DIR (and helper-rt-paths-static, the same program linked
 * with -static): the path calls a view must answer as the kernel does,
 * made by a program whose system calls come from its own code (a static
 * glibc, or raw syscall()), in an empty writable directory DIR, printing
 * one "case: result" line each (tests/helpers/rt.h says how). It is what
 * the in-process runtime must get right in every mode, and on every route
 * a call can take: the first call from a site (a signal), the later ones
 * (a patched site), bad pointers (EFAULT, never a crash), paths longer in
 * the host than in the guest.
 *
 * Groups: by absolute path (open/stat/lstat/statx/readlink/access/
 * getdents/mkdir/unlink/rename/link/symlink/chmod/truncate/utimensat), the
 * legacy x86-64 calls (open, stat, lstat, access, readlink, mkdir...),
 * *at calls with dirfds (a directory, an O_PATH fd, "..", a file, a bad
 * fd), relative paths after chdir and fchdir, /proc/self/cwd and
 * /proc/self/fd, bad pointers, long paths, and the same calls repeated
 * many times; the fds the program has (/proc/self/fd: a runtime or a
 * supervisor must not leave any of theirs), path calls after
 * close_range(3, ~0U) (a program may close every fd it does not know),
 * and a FIFO's open ended by a signal.
 * Leaves DIR empty. Exits 0 when it ran to its end.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>

#include "rt.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

static char b1[PATH_MAX + 64], b2[PATH_MAX + 64], b3[PATH_MAX + 64];

static int cmp_int(const int *a, const int *b)
{
	return (*a > *b) - (*a < *b);
}

static void show_stat(const char *what, int r, const struct stat *st)
{
	char w[128];
	if (r < 0)
		say("%s: %s", what, ename(errno));
	else
		say("%s: %s", what, stat_words(st, w, sizeof(w)));
}

static void stat_path(const char *what, const char *path)
{
	struct stat st;
	int r = stat(path, &st);
	show_stat(what, r, &st);
}

static void lstat_path(const char *what, const char *path)
{
	struct stat st;
	int r = lstat(path, &st);
	show_stat(what, r, &st);
}

static void statx_path(const char *what, int dfd, const char *path, int flags)
{
	struct statx sx;
	memset(&sx, 0, sizeof(sx));
	int r = (int)syscall(SYS_statx, dfd, path, flags, STATX_BASIC_STATS, &sx);
	if (r < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_mode = sx.stx_mode;
	st.st_size = (off_t)sx.stx_size;
	st.st_nlink = sx.stx_nlink;
	st.st_uid = sx.stx_uid;
	char w[128];
	say("%s: %s basic=%s", what, stat_words(&st, w, sizeof(w)),
	    (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS ? "yes" : "no");
}

static void readlink_path(const char *what, int dfd, const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlinkat(dfd, path, buf, sizeof(buf) - 1);
	if (n < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	buf[n] = 0;
	say("%s: \"%s\"", what, rel(buf, b3, sizeof(b3)));
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* getdents64 with a small buffer (several calls), names sorted. */
static void list_fd(const char *what, int fd)
{
	static char names[64][300];
	int n = 0;
	char buf[96] __attribute__((aligned(8)));
	for (;;) {
		long got = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (got < 0) {
			say("%s: %s", what, ename(errno));
			return;
		}
		if (got == 0)
			break;
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (n < 64) {
				const char *t = d->d_type == DT_REG ? "reg" : d->d_type == DT_DIR ? "dir"
									  : d->d_type == DT_LNK ? "lnk"
												: "other";
				snprintf(names[n++], sizeof(names[0]), "%s:%s", d->d_name, t);
			}
		}
	}
	qsort(names, (size_t)n, sizeof(names[0]), (int (*)(const void *, const void *))strcmp);
	static char line[64 * 301];
	line[0] = 0;
	for (int i = 0; i < n; i++) {
		strcat(line, " ");
		strcat(line, names[i]);
	}
	say("%s:%s", what, n ? line : " (empty)");
}

static void list_path(const char *what, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	list_fd(what, fd);
	/* Rewound, it lists the same. */
	char again[256];
	snprintf(again, sizeof(again), "%s-rewound", what);
	lseek(fd, 0, SEEK_SET);
	list_fd(again, fd);
	close(fd);
}

static void read_file(const char *what, int dfd, const char *path)
{
	int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		say("%s: read %s", what, ename(errno));
		return;
	}
	buf[n] = 0;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\n')
			buf[i] = '|';
	say("%s: \"%s\"", what, buf);
}

static void write_file(const char *what, int dfd, const char *path, int flags, mode_t mode, const char *text)
{
	int fd = openat(dfd, path, flags | O_CLOEXEC, mode);
	if (fd < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	say("%s: %s", what, n == (ssize_t)strlen(text) ? "ok" : "short write");
}

/* An fd's /proc/self/fd link, with DIR shown as DIR. */
static void fd_link(const char *what, int fd)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	readlink_path(what, AT_FDCWD, link);
}

static void cwd_words(const char *what)
{
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)))
		say("%s: %s", what, ename(errno));
	else
		say("%s: \"%s\"", what, rel(buf, b3, sizeof(b3)));
}

/* --- by absolute path ----------------------------------------------------------- */

static void absolute(void)
{
	struct stat st;
	const char *p = in_dir("p", b1, sizeof(b1));
	say("mkdir-p: %s", rc(mkdir(p, 0755)));
	say("mkdir-p-again: %s", rc(mkdir(p, 0755)));
	say("mkdir-p-d: %s", rc(mkdir(in_dir("p/d", b1, sizeof(b1)), 0750)));
	stat_path("stat-p-d", in_dir("p/d", b1, sizeof(b1)));
	write_file("creat-f", AT_FDCWD, in_dir("p/d/f", b1, sizeof(b1)), O_CREAT | O_WRONLY | O_TRUNC, 0640,
		   "hello\n");
	stat_path("stat-f", in_dir("p/d/f", b1, sizeof(b1)));
	lstat_path("lstat-f", in_dir("p/d/f", b1, sizeof(b1)));
	read_file("read-f", AT_FDCWD, in_dir("p/d/f", b1, sizeof(b1)));
	say("symlink-l: %s", rc(symlink("f", in_dir("p/d/l", b1, sizeof(b1)))));
	say("symlink-abs: %s", rc(symlink(in_dir("p/d/f", b2, sizeof(b2)), in_dir("p/d/abs", b1, sizeof(b1)))));
	say("symlink-dangling: %s", rc(symlink("nowhere", in_dir("p/d/dangling", b1, sizeof(b1)))));
	lstat_path("lstat-l", in_dir("p/d/l", b1, sizeof(b1)));
	stat_path("stat-l", in_dir("p/d/l", b1, sizeof(b1)));
	stat_path("stat-abs", in_dir("p/d/abs", b1, sizeof(b1)));
	stat_path("stat-dangling", in_dir("p/d/dangling", b1, sizeof(b1)));
	lstat_path("lstat-dangling", in_dir("p/d/dangling", b1, sizeof(b1)));
	read_file("read-l", AT_FDCWD, in_dir("p/d/l", b1, sizeof(b1)));
	read_file("read-abs", AT_FDCWD, in_dir("p/d/abs", b1, sizeof(b1)));
	readlink_path("readlink-l", AT_FDCWD, in_dir("p/d/l", b1, sizeof(b1)));
	readlink_path("readlink-abs", AT_FDCWD, in_dir("p/d/abs", b1, sizeof(b1)));
	readlink_path("readlink-f", AT_FDCWD, in_dir("p/d/f", b1, sizeof(b1)));
	readlink_path("readlink-missing", AT_FDCWD, in_dir("p/d/missing", b1, sizeof(b1)));
	/* Names in DIR itself, a mount point in the views: a readlink there
	 * reads the host path's last name at once. */
	say("symlink-top: %s", rc(symlink("p/d/f", in_dir("top-l", b1, sizeof(b1)))));
	readlink_path("readlink-top", AT_FDCWD, in_dir("top-l", b1, sizeof(b1)));
	readlink_path("readlink-top-dir", AT_FDCWD, in_dir("p", b1, sizeof(b1)));
	readlink_path("readlink-top-missing", AT_FDCWD, in_dir("top-missing", b1, sizeof(b1)));
	char small[4];
	ssize_t n = readlink(in_dir("top-l", b1, sizeof(b1)), small, sizeof(small));
	say("readlink-top-short: %zd %.*s", n, n > 0 ? (int)n : 0, small);
	say("unlink-top: %s", rc(unlink(in_dir("top-l", b1, sizeof(b1)))));
	statx_path("statx-l-nofollow", AT_FDCWD, in_dir("p/d/l", b1, sizeof(b1)), AT_SYMLINK_NOFOLLOW);
	statx_path("statx-l", AT_FDCWD, in_dir("p/d/l", b1, sizeof(b1)), 0);
	statx_path("statx-missing", AT_FDCWD, in_dir("p/d/missing", b1, sizeof(b1)), 0);
	say("access-f-rw: %s", rc(access(in_dir("p/d/f", b1, sizeof(b1)), R_OK | W_OK)));
	say("access-f-x: %s", rc(access(in_dir("p/d/f", b1, sizeof(b1)), X_OK)));
	say("access-missing: %s", rc(access(in_dir("p/d/missing", b1, sizeof(b1)), F_OK)));
	say("access-dangling: %s", rc(access(in_dir("p/d/dangling", b1, sizeof(b1)), F_OK)));
	say("faccessat2-nofollow: %s",
	    rc(syscall(SYS_faccessat2, AT_FDCWD, in_dir("p/d/dangling", b1, sizeof(b1)), F_OK, AT_SYMLINK_NOFOLLOW)));
	list_path("list-d", in_dir("p/d", b1, sizeof(b1)));
	say("rename-f-g: %s", rc(rename(in_dir("p/d/f", b1, sizeof(b1)), in_dir("p/d/g", b2, sizeof(b2)))));
	stat_path("stat-f-after-rename", in_dir("p/d/f", b1, sizeof(b1)));
	stat_path("stat-g", in_dir("p/d/g", b1, sizeof(b1)));
	stat_path("stat-l-after-rename", in_dir("p/d/l", b1, sizeof(b1)));
	say("renameat2-noreplace: %s", rc(syscall(SYS_renameat2, AT_FDCWD, in_dir("p/d/g", b1, sizeof(b1)), AT_FDCWD,
						  in_dir("p/d/l", b2, sizeof(b2)), 1 /* RENAME_NOREPLACE */)));
	say("link-g-h: %s", rc(link(in_dir("p/d/g", b1, sizeof(b1)), in_dir("p/d/h", b2, sizeof(b2)))));
	stat_path("stat-g-linked", in_dir("p/d/g", b1, sizeof(b1)));
	say("unlink-h: %s", rc(unlink(in_dir("p/d/h", b1, sizeof(b1)))));
	stat_path("stat-g-unlinked", in_dir("p/d/g", b1, sizeof(b1)));
	say("chmod-g: %s", rc(chmod(in_dir("p/d/g", b1, sizeof(b1)), 0604)));
	say("truncate-g: %s", rc(truncate(in_dir("p/d/g", b1, sizeof(b1)), 3)));
	stat_path("stat-g-chmod-truncate", in_dir("p/d/g", b1, sizeof(b1)));
	struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
	say("utimensat-g: %s", rc(utimensat(AT_FDCWD, in_dir("p/d/g", b1, sizeof(b1)), ts, 0)));
	if (stat(in_dir("p/d/g", b1, sizeof(b1)), &st) == 0)
		say("mtime-g: %lld", (long long)st.st_mtime);
	say("rmdir-nonempty: %s", rc(rmdir(in_dir("p/d", b1, sizeof(b1)))));
	say("unlink-dir: %s", rc(unlink(in_dir("p/d", b1, sizeof(b1)))));
	say("rmdir-file: %s", rc(rmdir(in_dir("p/d/g", b1, sizeof(b1)))));
	say("open-directory-on-file: %s", rc(open(in_dir("p/d/g", b1, sizeof(b1)), O_RDONLY | O_DIRECTORY)));
	say("open-nofollow-symlink: %s", rc(open(in_dir("p/d/l", b1, sizeof(b1)), O_RDONLY | O_NOFOLLOW)));
	say("open-excl-existing: %s", rc(open(in_dir("p/d/g", b1, sizeof(b1)), O_WRONLY | O_CREAT | O_EXCL, 0600)));
	say("open-trailing-slash-file: %s", rc(open(in_dir("p/d/g/", b1, sizeof(b1)), O_RDONLY)));
	say("open-through-file: %s", rc(open(in_dir("p/d/g/x", b1, sizeof(b1)), O_RDONLY)));
	say("open-missing-parent: %s", rc(open(in_dir("p/nope/x", b1, sizeof(b1)), O_WRONLY | O_CREAT, 0600)));
	say("open-write-dir: %s", rc(open(in_dir("p/d", b1, sizeof(b1)), O_WRONLY)));
	say("mkdir-through-dangling: %s", rc(mkdir(in_dir("p/d/dangling", b1, sizeof(b1)), 0755)));
	say("unlink-abs: %s", rc(unlink(in_dir("p/d/abs", b1, sizeof(b1)))));
	say("unlink-dangling: %s", rc(unlink(in_dir("p/d/dangling", b1, sizeof(b1)))));
	list_path("list-d-after", in_dir("p/d", b1, sizeof(b1)));
	/* Symlinks on the way, not last: relative, absolute, chained, in a
	 * loop (the runtime walks a path without one in one call, and must
	 * see each of these). */
	say("symlink-dir-rel: %s", rc(symlink("d", in_dir("p/dl", b1, sizeof(b1)))));
	say("symlink-dir-abs: %s", rc(symlink(in_dir("p/d", b2, sizeof(b2)), in_dir("p/da", b1, sizeof(b1)))));
	say("symlink-chain: %s", rc(symlink("g", in_dir("p/d/l1", b1, sizeof(b1)))));
	say("symlink-chain2: %s", rc(symlink("l1", in_dir("p/d/l2", b1, sizeof(b1)))));
	say("symlink-loop1: %s", rc(symlink("loop2", in_dir("p/d/loop1", b1, sizeof(b1)))));
	say("symlink-loop2: %s", rc(symlink("loop1", in_dir("p/d/loop2", b1, sizeof(b1)))));
	read_file("read-via-dir-rel", AT_FDCWD, in_dir("p/dl/g", b1, sizeof(b1)));
	read_file("read-via-dir-abs", AT_FDCWD, in_dir("p/da/g", b1, sizeof(b1)));
	stat_path("stat-via-dir-abs", in_dir("p/da/l2", b1, sizeof(b1)));
	lstat_path("lstat-via-dir-rel", in_dir("p/dl/l2", b1, sizeof(b1)));
	readlink_path("readlink-via-dir-abs", AT_FDCWD, in_dir("p/da/l2", b1, sizeof(b1)));
	read_file("read-chain", AT_FDCWD, in_dir("p/d/l2", b1, sizeof(b1)));
	stat_path("stat-via-dir-missing", in_dir("p/da/nope", b1, sizeof(b1)));
	say("open-nofollow-chain: %s", rc(open(in_dir("p/d/l2", b1, sizeof(b1)), O_RDONLY | O_NOFOLLOW)));
	say("open-loop: %s", rc(open(in_dir("p/d/loop1", b1, sizeof(b1)), O_RDONLY)));
	stat_path("stat-loop", in_dir("p/d/loop1", b1, sizeof(b1)));
	say("access-via-dir-abs: %s", rc(access(in_dir("p/da/g", b1, sizeof(b1)), R_OK)));
	int made = open(in_dir("p/dl/new", b1, sizeof(b1)), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	say("open-creat-via-dir-rel: %s", made < 0 ? ename(errno) : "ok");
	if (made >= 0)
		close(made);
	stat_path("stat-created-via-dir", in_dir("p/d/new", b1, sizeof(b1)));
	const char *gone[] = { "p/dl", "p/da", "p/d/l1", "p/d/l2", "p/d/loop1", "p/d/loop2", "p/d/new" };
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		if (unlink(in_dir(gone[i], b1, sizeof(b1))) < 0)
			say("unlink-%s: %s", gone[i], ename(errno));
	/* Still open on it: the fd names it in /proc/self/fd, and under the
	 * process's number, where no symlink leads into procfs. */
	int fd = open(in_dir("p/d/g", b1, sizeof(b1)), O_RDONLY | O_CLOEXEC);
	fd_link("fd-link-g", fd);
	char pid_link[64];
	snprintf(pid_link, sizeof(pid_link), "/proc/%d/fd/%d", (int)getpid(), fd);
	readlink_path("pid-fd-link-g", AT_FDCWD, pid_link);
	struct stat fst;
	show_stat("fstat-g", fstat(fd, &fst), &fst);
	close(fd);
}

/* --- the legacy x86-64 calls, by number ------------------------------------------- */

static void legacy(void)
{
#if defined(SYS_open) && defined(SYS_stat)
	struct stat st;
	say("legacy-mkdir: %s", rc(syscall(SYS_mkdir, in_dir("p/old", b1, sizeof(b1)), 0755)));
	long fd = syscall(SYS_open, in_dir("p/old/a", b1, sizeof(b1)), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	say("legacy-open-creat: %s", rc(fd));
	if (fd >= 0) {
		say("legacy-write: %s", write((int)fd, "xyz", 3) == 3 ? "ok" : "short");
		close((int)fd);
	}
	long r = syscall(SYS_stat, in_dir("p/old/a", b1, sizeof(b1)), &st);
	show_stat("legacy-stat", (int)r, &st);
	say("legacy-symlink: %s", rc(syscall(SYS_symlink, "a", in_dir("p/old/s", b1, sizeof(b1)))));
	r = syscall(SYS_lstat, in_dir("p/old/s", b1, sizeof(b1)), &st);
	show_stat("legacy-lstat", (int)r, &st);
	char buf[64];
	r = syscall(SYS_readlink, in_dir("p/old/s", b1, sizeof(b1)), buf, sizeof(buf));
	say("legacy-readlink: %s%.*s", r < 0 ? ename(errno) : "", r < 0 ? 0 : (int)r, buf);
	say("legacy-access: %s", rc(syscall(SYS_access, in_dir("p/old/s", b1, sizeof(b1)), R_OK)));
	say("legacy-access-missing: %s", rc(syscall(SYS_access, in_dir("p/old/zz", b1, sizeof(b1)), R_OK)));
	say("legacy-link: %s", rc(syscall(SYS_link, in_dir("p/old/a", b1, sizeof(b1)), in_dir("p/old/b", b2, sizeof(b2)))));
	say("legacy-rename: %s",
	    rc(syscall(SYS_rename, in_dir("p/old/b", b1, sizeof(b1)), in_dir("p/old/c", b2, sizeof(b2)))));
	say("legacy-chmod: %s", rc(syscall(SYS_chmod, in_dir("p/old/c", b1, sizeof(b1)), 0600)));
	r = syscall(SYS_stat, in_dir("p/old/c", b1, sizeof(b1)), &st);
	show_stat("legacy-stat-c", (int)r, &st);
	long cfd = syscall(SYS_creat, in_dir("p/old/n", b1, sizeof(b1)), 0600);
	say("legacy-creat: %s", rc(cfd));
	if (cfd >= 0)
		close((int)cfd);
	fd = syscall(SYS_open, in_dir("p/old", b1, sizeof(b1)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		list_fd("legacy-list", (int)fd);
		close((int)fd);
	}
	say("legacy-unlink-a: %s", rc(syscall(SYS_unlink, in_dir("p/old/a", b1, sizeof(b1)))));
	say("legacy-unlink-c: %s", rc(syscall(SYS_unlink, in_dir("p/old/c", b1, sizeof(b1)))));
	say("legacy-unlink-n: %s", rc(syscall(SYS_unlink, in_dir("p/old/n", b1, sizeof(b1)))));
	say("legacy-unlink-s: %s", rc(syscall(SYS_unlink, in_dir("p/old/s", b1, sizeof(b1)))));
	say("legacy-rmdir: %s", rc(syscall(SYS_rmdir, in_dir("p/old", b1, sizeof(b1)))));
#else
	say("legacy: not this architecture");
#endif
}

/* --- *at calls with dirfds ----------------------------------------------------------- */

static void with_dirfds(void)
{
	struct stat st;
	int dfd = open(in_dir("p/d", b1, sizeof(b1)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	say("open-dirfd: %s", dfd < 0 ? ename(errno) : "ok");
	say("mkdirat-sub: %s", rc(mkdirat(dfd, "sub", 0755)));
	write_file("openat-creat-sub-x", dfd, "sub/x", O_CREAT | O_WRONLY, 0644, "abc");
	show_stat("fstatat-sub-x", fstatat(dfd, "sub/x", &st, 0), &st);
	show_stat("fstatat-empty-path", fstatat(dfd, "", &st, AT_EMPTY_PATH), &st);
	show_stat("fstatat-empty-no-flag", fstatat(dfd, "", &st, 0), &st);
	show_stat("fstatat-dot", fstatat(dfd, ".", &st, 0), &st);
	statx_path("statx-dirfd", dfd, "sub/x", 0);
	statx_path("statx-empty-path", dfd, "", AT_EMPTY_PATH);
	say("faccessat-sub-x: %s", rc(faccessat(dfd, "sub/x", R_OK, 0)));
	say("symlinkat-lx: %s", rc(symlinkat("sub/x", dfd, "lx")));
	readlink_path("readlinkat-lx", dfd, "lx");
	read_file("openat-lx", dfd, "lx");
	say("linkat-x-y: %s", rc(linkat(dfd, "sub/x", dfd, "sub/y", 0)));
	say("renameat-y-z: %s", rc(renameat(dfd, "sub/y", dfd, "sub/z")));
	say("fchmodat-z: %s", rc(fchmodat(dfd, "sub/z", 0600, 0)));
	show_stat("fstatat-sub-z", fstatat(dfd, "sub/z", &st, 0), &st);
	say("unlinkat-z: %s", rc(unlinkat(dfd, "sub/z", 0)));
	say("unlinkat-sub-not-removedir: %s", rc(unlinkat(dfd, "sub", 0)));
	say("unlinkat-sub-removedir-nonempty: %s", rc(unlinkat(dfd, "sub", AT_REMOVEDIR)));
	int up = openat(dfd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	say("openat-dotdot: %s", up < 0 ? ename(errno) : "ok");
	fd_link("fd-link-dotdot", up);
	show_stat("fstatat-dotdot-d-sub-x", fstatat(up, "d/sub/x", &st, 0), &st);
	list_fd("list-dotdot", up);
	close(up);
	/* An absolute path ignores the dirfd, even a bad one. */
	read_file("openat-absolute", dfd, in_dir("p/d/sub/x", b1, sizeof(b1)));
	read_file("openat-absolute-badfd", 9999, in_dir("p/d/sub/x", b1, sizeof(b1)));
	read_file("openat-relative-badfd", 9999, "sub/x");
	int ffd = openat(dfd, "sub/x", O_RDONLY | O_CLOEXEC);
	read_file("openat-file-as-dirfd", ffd, "y");
	show_stat("fstatat-file-empty-path", fstatat(ffd, "", &st, AT_EMPTY_PATH), &st);
	close(ffd);
	/* An O_PATH directory as dirfd. */
	int pfd = open(in_dir("p/d", b1, sizeof(b1)), O_PATH | O_CLOEXEC);
	say("open-opath: %s", pfd < 0 ? ename(errno) : "ok");
	fd_link("fd-link-opath", pfd);
	show_stat("fstatat-opath-sub-x", fstatat(pfd, "sub/x", &st, 0), &st);
	read_file("openat-opath-sub-x", pfd, "sub/x");
	list_fd("getdents-opath", pfd);
	close(pfd);
	fd_link("fd-link-dirfd", dfd);
	close(dfd);
}

/* --- relative paths, chdir, fchdir ----------------------------------------------------- */

static void relative(void)
{
	struct stat st;
	char start[PATH_MAX];
	if (!getcwd(start, sizeof(start)))
		strcpy(start, "/");
	say("chdir-d: %s", rc(chdir(in_dir("p/d", b1, sizeof(b1)))));
	cwd_words("getcwd-d");
	readlink_path("proc-self-cwd", AT_FDCWD, "/proc/self/cwd");
	stat_path("stat-rel-g", "g");
	stat_path("stat-rel-dots", "./sub/../g");
	read_file("read-rel-sub-x", AT_FDCWD, "sub/x");
	read_file("read-rel-lx", AT_FDCWD, "lx");
	say("mkdir-rel: %s", rc(mkdir("rel", 0700)));
	stat_path("stat-rel-dir", "rel");
	say("rmdir-rel: %s", rc(rmdir("rel")));
	list_path("list-dot", ".");
	say("chdir-sub: %s", rc(chdir("sub")));
	cwd_words("getcwd-sub");
	stat_path("stat-dotdot-g", "../g");
	stat_path("stat-dotdot-dotdot-d", "../../d");
	say("chdir-dotdot: %s", rc(chdir("..")));
	cwd_words("getcwd-back");
	say("chdir-missing: %s", rc(chdir("nope")));
	say("chdir-file: %s", rc(chdir("g")));
	cwd_words("getcwd-unchanged");
	int dfd = open(in_dir("p/d/sub", b1, sizeof(b1)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	say("fchdir-sub: %s", rc(fchdir(dfd)));
	close(dfd);
	cwd_words("getcwd-fchdir");
	read_file("read-after-fchdir", AT_FDCWD, "x");
	show_stat("fstatat-fdcwd-rel", fstatat(AT_FDCWD, "../g", &st, 0), &st);
	/* The cwd removed under the program. */
	say("mkdir-gone: %s", rc(mkdir("gone", 0755)));
	say("chdir-gone: %s", rc(chdir("gone")));
	say("rmdir-gone-from-inside: %s", rc(rmdir(in_dir("p/d/sub/gone", b1, sizeof(b1)))));
	cwd_words("getcwd-removed");
	say("creat-in-removed: %s", rc(open("new", O_WRONLY | O_CREAT | O_CLOEXEC, 0600)));
	stat_path("stat-dot-removed", ".");
	stat_path("stat-dotdot-removed", "..");
	say("chdir-dotdot-from-removed: %s", rc(chdir("..")));
	cwd_words("getcwd-after-removed");
	say("unlink-rel-x: %s", rc(unlink("x")));
	say("chdir-start: %s", rc(chdir(start)));
}

/* --- bad pointers, long paths ------------------------------------------------------ */

static void hostile(void)
{
	struct stat st;
	char *bad = (char *)1;
	say("stat-bad-path: %s", rc(syscall(SYS_newfstatat, AT_FDCWD, bad, &st, 0)));
	say("stat-bad-buffer: %s", rc(syscall(SYS_newfstatat, AT_FDCWD, in_dir("p/d/g", b1, sizeof(b1)), bad, 0)));
	say("open-bad-path: %s", rc(syscall(SYS_openat, AT_FDCWD, bad, O_RDONLY)));
	say("readlink-bad-buffer: %s", rc(syscall(SYS_readlinkat, AT_FDCWD, in_dir("p/d/l", b1, sizeof(b1)), bad, 10)));
	say("statx-bad-buffer: %s",
	    rc(syscall(SYS_statx, AT_FDCWD, in_dir("p/d/g", b1, sizeof(b1)), 0, STATX_BASIC_STATS, bad)));
	say("mkdir-bad-path: %s", rc(syscall(SYS_mkdirat, AT_FDCWD, bad, 0755)));
	say("getdents-bad-buffer: %s", ({
		    int fd = open(in_dir("p/d", b1, sizeof(b1)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		    long r = syscall(SYS_getdents64, fd, bad, 4096);
		    int e = errno;
		    close(fd);
		    errno = e;
		    rc(r);
	    }));
	say("stat-empty-path: %s", rc(stat("", &st)));
	/* A path of 4095 bytes is allowed, and must work although the host's
	 * name for it is longer; one of 4096 bytes is too long. */
	static char lng[PATH_MAX + 8];
	snprintf(lng, sizeof(lng), "%s/p/d", rt_dir);
	size_t len = strlen(lng);
	while (len + 2 + 2 < PATH_MAX - 1) {
		memcpy(lng + len, "/.", 3);
		len += 2;
	}
	while (len + 2 < PATH_MAX - 1) {
		lng[len++] = '/';
		lng[len] = 0;
	}
	strcpy(lng + len, "/g");
	len += 2;
	say("long-path-%zu: %s", len, rc(stat(lng, &st)));
	lng[len] = 'g';
	lng[len + 1] = 0;
	say("long-path-%zu: %s", len + 1, rc(stat(lng, &st)));
	/* A name of 255 bytes is allowed, 256 is too long. */
	char name[300];
	memset(name, 'n', 256);
	name[255] = 0;
	snprintf(lng, sizeof(lng), "%s/p/d/%s", rt_dir, name);
	say("name-255: %s", rc(stat(lng, &st)));
	strcat(lng, "n");
	say("name-256: %s", rc(stat(lng, &st)));
}

/* --- the same calls, many times ------------------------------------------------------ */

static void repeated(void)
{
	const char *g = in_dir("p/d/g", b1, sizeof(b1));
	const char *missing = in_dir("p/d/missing", b2, sizeof(b2));
	int wrong = 0;
	for (int i = 0; i < 500; i++) {
		struct stat st;
		errno = 0;
		if (stat(g, &st) != 0 || st.st_size != 3)
			wrong++;
		if (stat(missing, &st) != -1 || errno != ENOENT)
			wrong++;
		int fd = open(g, O_RDONLY | O_CLOEXEC);
		char c;
		if (fd < 0 || read(fd, &c, 1) != 1 || c != 'h')
			wrong++;
		if (fd >= 0)
			close(fd);
		errno = 0;
		if (open(missing, O_RDONLY | O_CLOEXEC) != -1 || errno != ENOENT)
			wrong++;
		char buf[8];
		if (readlink(in_dir("p/d/l", b3, sizeof(b3)), buf, sizeof(buf)) != 1 || buf[0] != 'f')
			wrong++;
		if (access(g, R_OK) != 0)
			wrong++;
	}
	say("repeat-500: %d wrong", wrong);
}

/* The program's open fds, from /proc/self/fd (its own fd left out). */
static void fd_list(const char *what)
{
	int fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	int fds[256], n = 0;
	char buf[1024] __attribute__((aligned(8)));
	long got;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (d->d_name[0] == '.')
				continue;
			int v = atoi(d->d_name);
			if (v != fd && n < 256)
				fds[n++] = v;
		}
	}
	close(fd);
	qsort(fds, (size_t)n, sizeof(fds[0]), (int (*)(const void *, const void *))cmp_int);
	char line[2048] = "";
	for (int i = 0; i < n; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " %d", fds[i]);
	say("%s:%s", what, n ? line : " none");
}

/* After closing every fd above 2, path calls still work. */
static void after_close_range(void)
{
	struct stat st;
	long r = syscall(SYS_close_range, 3U, ~0U, 0U);
	say("close_range: %s", rc(r));
	show_stat("after-close-range-stat", stat(in_dir("p/d/g", b1, sizeof(b1)), &st), &st);
	read_file("after-close-range-open", AT_FDCWD, in_dir("p/d/g", b1, sizeof(b1)));
	say("after-close-range-mkdir: %s", rc(mkdir(in_dir("p/d/cr", b1, sizeof(b1)), 0755)));
	say("after-close-range-rmdir: %s", rc(rmdir(in_dir("p/d/cr", b1, sizeof(b1)))));
	int dfd = open(in_dir("p/d", b1, sizeof(b1)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	say("after-close-range-dirfd: %s", dfd == 3 ? "3" : dfd < 0 ? ename(errno) : "not the lowest free fd");
	show_stat("after-close-range-fstatat", fstatat(dfd, "g", &st, 0), &st);
	close(dfd);
	say("after-close-range-chdir: %s", rc(chdir(in_dir("p/d", b1, sizeof(b1)))));
	show_stat("after-close-range-relative", stat("g", &st), &st);
	fd_list("fds-after-close-range");
	say("after-close-range-chdir-back: %s", rc(chdir("/")));
}

static void cleanup(void)
{
	int r = 0;
	r |= rmdir(in_dir("p/d/sub", b1, sizeof(b1)));
	r |= unlink(in_dir("p/d/lx", b1, sizeof(b1)));
	r |= unlink(in_dir("p/d/l", b1, sizeof(b1)));
	r |= unlink(in_dir("p/d/g", b1, sizeof(b1)));
	r |= rmdir(in_dir("p/d", b1, sizeof(b1)));
	r |= rmdir(in_dir("p", b1, sizeof(b1)));
	say("cleanup: %s", r ? ename(errno) : "ok");
}

/* A FIFO's open waits for a writer; a signal whose handler has no
 * SA_RESTART ends it with EINTR, the same where the runtime made the open
 * (the second round, from the patched site) as where the kernel did. A
 * child opens the FIFO for writing after 3 s, should the signal not end
 * the wait (a bug): "opened" then, instead of hanging. */
static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void fifo_alarm(void)
{
	const char *fifo = in_dir("fifo", b1, sizeof(b1));
	say("mkfifo: %s", rc(mkfifo(fifo, 0600)));
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	sigaction(SIGALRM, &sa, &old);
	pid_t rescue = fork();
	if (rescue == 0) {
		sleep(3);
		for (int i = 0; i < 200; i++) {
			if (open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC) >= 0)
				for (;;)
					pause(); /* a writer for every open after */
			usleep(10000);
		}
		_exit(1);
	}
	for (int round = 0; round < 2; round++) {
		/* Every 200 ms, should one come before the open waits. */
		alarms = 0;
		struct itimerval it = { { 0, 200000 }, { 0, 200000 } }, off = { { 0, 0 }, { 0, 0 } };
		setitimer(ITIMER_REAL, &it, NULL);
		int fd = open(fifo, O_RDONLY | O_CLOEXEC);
		int e = errno;
		setitimer(ITIMER_REAL, &off, NULL);
		say("fifo-open-alarm: %s alarmed=%s", fd < 0 ? ename(e) : "opened", alarms ? "yes" : "no");
		if (fd >= 0)
			close(fd);
	}
	if (rescue > 0) {
		kill(rescue, SIGKILL);
		waitpid(rescue, NULL, 0);
	}
	sigaction(SIGALRM, &old, NULL);
	say("unlink-fifo: %s", rc(unlink(fifo)));
}

int main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] != '/') {
		fprintf(stderr, "usage: helper-rt-paths /ABSOLUTE/EMPTY-DIR\n");
		return 2;
	}
	rt_dir = argv[1];
	umask(022);
	fd_list("fds-at-start");
	absolute();
	fd_list("fds-after-absolute");
	legacy();
	with_dirfds();
	relative();
	hostile();
	repeated();
	fd_list("fds-after-repeated");
	after_close_range();
	fifo_alarm();
	cleanup();
	return 0;
}
