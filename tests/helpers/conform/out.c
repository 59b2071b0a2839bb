/* out.c: how helper-conform writes results, and the raw system calls it
 * makes where glibc lacks a wrapper or emulates the call. */
#include "conform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void out_add(struct out *o, const char *fmt, ...)
{
	if (o->len >= OUT_MAX - 1)
		return;
	if (o->len > 0)
		o->buf[o->len++] = ' ';
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, OUT_MAX - o->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	o->len += (size_t)n;
	if (o->len >= OUT_MAX)
		o->len = OUT_MAX - 1;
	o->buf[o->len] = '\0';
}

const char *errname(int e)
{
	static char unknown[32];
	const char *name = strerrorname_np(e);
	if (name)
		return name;
	snprintf(unknown, sizeof(unknown), "E%d", e);
	return unknown;
}

long out_rc(struct out *o, long rc)
{
	int e = errno;
	if (rc < 0)
		out_add(o, "%s", errname(e));
	else if (rc == 0)
		out_add(o, "ok");
	else
		out_add(o, "%ld", rc);
	errno = e;
	return rc;
}

long out_ok(struct out *o, long rc)
{
	int e = errno;
	if (rc < 0)
		out_add(o, "%s", errname(e));
	else
		out_add(o, "ok");
	errno = e;
	return rc;
}

static const char *type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "reg";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "lnk";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "sock";
	case S_IFCHR: return "chr";
	case S_IFBLK: return "blk";
	}
	return "?";
}

/* A symlink's size is the length of its target, which for the fixture's
 * absolute symlinks contains ROOT: "size=ROOT+N" says so without depending
 * on ROOT's length. DIRFD and PATH (readlinkat's) name the symlink. */
static void out_link_size(struct out *o, const struct stat *st, int dirfd, const char *path)
{
	char target[PATH_MAX];
	size_t rlen = strlen(ctx.root);
	ssize_t n = path ? readlinkat(dirfd, path, target, sizeof(target) - 1) : -1;
	if (n >= 0)
		target[n] = '\0';
	if (n >= 0 && st->st_size == n && (size_t)n >= rlen && strncmp(target, ctx.root, rlen) == 0)
		out_add(o, "lnk size=ROOT+%lld", (long long)(st->st_size - (off_t)rlen));
	else
		out_add(o, "lnk size=%lld", (long long)st->st_size);
}

/* Directories: no size (it depends on the file system) and no link count
 * (btrfs says 1); the cases that care print the count themselves. */
void out_statbuf(struct out *o, const struct stat *st, int dirfd, const char *path)
{
	mode_t m = st->st_mode;
	if (S_ISDIR(m))
		out_add(o, "dir %04o", (unsigned)(m & 07777));
	else if (S_ISLNK(m))
		out_link_size(o, st, dirfd, path);
	else if (S_ISREG(m))
		out_add(o, "reg %04o size=%lld nlink=%lu", (unsigned)(m & 07777),
			(long long)st->st_size, (unsigned long)st->st_nlink);
	else
		out_add(o, "%s %04o", type_name(m), (unsigned)(m & 07777));
}

void out_stat(struct out *o, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		out_add(o, "%s", errname(errno));
	else
		out_statbuf(o, &st, AT_FDCWD, path);
}

void out_lstat(struct out *o, const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		out_add(o, "%s", errname(errno));
	else
		out_statbuf(o, &st, AT_FDCWD, path);
}

void out_fstatat(struct out *o, int dirfd, const char *path)
{
	struct stat st;
	if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		out_add(o, "%s", errname(errno));
	else
		out_statbuf(o, &st, dirfd, path);
}

void out_fstat(struct out *o, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		out_add(o, "%s", errname(errno));
	else
		out_statbuf(o, &st, fd, "");
}

void out_readlink(struct out *o, const char *path)
{
	char buf[PATH_MAX + 1];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0) {
		out_add(o, "%s", errname(errno));
		return;
	}
	buf[n] = '\0';
	out_add(o, "%s", buf);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void out_list_fd(struct out *o, int fd)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!d) {
		out_add(o, "%s", errname(errno));
		if (dup_fd >= 0)
			close(dup_fd);
		return;
	}
	rewinddir(d);
	char *names[256];
	size_t n = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d)) && n < 256)
		names[n++] = strdup(de->d_name);
	int e = errno;
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	char buf[OUT_MAX / 2];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "", names[i]);
		if (w > 0 && (size_t)w < sizeof(buf) - len)
			len += (size_t)w;
		free(names[i]);
	}
	out_add(o, "[%s]%s%s", buf, e ? " " : "", e ? errname(e) : "");
}

void out_list(struct out *o, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		out_add(o, "%s", errname(errno));
		return;
	}
	out_list_fd(o, fd);
	close(fd);
}

void out_content(struct out *o, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		out_add(o, "%s", errname(errno));
		return;
	}
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int e = errno;
	close(fd);
	if (n < 0) {
		out_add(o, "%s", errname(e));
		return;
	}
	buf[n] = '\0';
	out_add(o, "\"%s\"", buf);
}

void out_cwd(struct out *o)
{
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)))
		out_add(o, "%s", errname(errno));
	else
		out_add(o, "%s", buf);
}

void out_fdpath(struct out *o, int fd)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	out_readlink(o, link);
}

void out_cloexec(struct out *o, int fd)
{
	int f = fcntl(fd, F_GETFD);
	if (f < 0)
		out_add(o, "%s", errname(errno));
	else
		out_add(o, "%s", (f & FD_CLOEXEC) ? "cloexec" : "no-cloexec");
}

long sys_openat2(int dirfd, const char *path, const struct open_how *how, size_t size)
{
	return syscall(SYS_openat2, dirfd, path, how, size);
}

long sys_faccessat2(int dirfd, const char *path, int mode, int flags)
{
	return syscall(SYS_faccessat2, dirfd, path, mode, flags);
}

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
long sys_fchmodat2(int dirfd, const char *path, mode_t mode, int flags)
{
	return syscall(SYS_fchmodat2, dirfd, path, mode, flags);
}

long sys_renameat2(int olddir, const char *oldpath, int newdir, const char *newpath, unsigned flags)
{
	return syscall(SYS_renameat2, olddir, oldpath, newdir, newpath, flags);
}

long sys_execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags)
{
	return syscall(SYS_execveat, dirfd, path, argv, envp, flags);
}

long sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	return syscall(SYS_close_range, first, last, flags);
}

long sys_getcwd(char *buf, size_t size)
{
	return syscall(SYS_getcwd, buf, size);
}
