/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The path layer against real directory trees, with no tracee: a view with
 * an alternate root, a directory mounted below a directory of the root, a
 * file mounted over one of the root's, and symlinks of every kind between
 * them. Each case resolves a guest path and checks the host object found
 * (by its path under the test's temporary directory) or the errno. Every
 * case runs twice: with openat2, and as on a kernel without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs/vfs.h"

/* Paths here are short; truncation would show as a failed case. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static int failures;
static char top[PATH_MAX];        /* the temporary directory */
static int mount_fds[16];
static bool have_openat2;
static struct vfs_table *table;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); putchar('\n'); } } while (0)

static int opens_of_mnt; /* opens of the name "mnt" (the directory above /mnt/usr) */
static int link_opens;    /* opens of a symlink's name that are not a try as a directory */

static long op_openat(void *c, int dfd, const char *p, int flags)
{
	opens_of_mnt += !strcmp(p, "mnt");
	link_opens += !(flags & O_DIRECTORY) && (!strcmp(p, "lib") || !strcmp(p, "todir") || !strcmp(p, "loop1"));
	int fd = openat(dfd, p, flags);
	return fd < 0 ? -errno : fd;
}

static long op_openat2(void *c, int dfd, const char *p, uint64_t oflags, uint64_t resolve)
{
	if (!have_openat2)
		return -ENOSYS;
	opens_of_mnt += !strcmp(p, "mnt");
	struct open_how how = { .flags = oflags | O_PATH | O_CLOEXEC, .resolve = resolve };
	long fd = syscall(SYS_openat2, dfd, p, &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

static long op_readlinkat(void *c, int dfd, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(dfd, name, buf, size);
	return n < 0 ? -errno : n;
}

static long op_fd_type(void *c, int fd)
{
	struct stat st;
	return fstat(fd, &st) < 0 ? -errno : (long)(st.st_mode & S_IFMT);
}

static long op_fd_path(void *c, int fd, char *buf, size_t size)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, buf, size);
	return n < 0 ? -errno : n;
}

static long op_close(void *c, int fd) { return close(fd) < 0 ? -errno : 0; }
static long op_dup(void *c, int fd) { int r = fcntl(fd, F_DUPFD_CLOEXEC, 0); return r < 0 ? -errno : r; }
static int op_mount_fd(void *c, int i) { return mount_fds[i]; }

static const struct vfs_ops ops = {
	.openat = op_openat, .openat2 = op_openat2, .readlinkat = op_readlinkat,
	.fd_type = op_fd_type, .fd_path = op_fd_path, .close = op_close, .dup = op_dup,
	.mount_fd = op_mount_fd,
};
static struct vfs_view view_of;

/* --- the tree --------------------------------------------------------------- */

static void mk(const char *rel, const char *kind, const char *target)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", top, rel);
	int r = 0;
	if (!strcmp(kind, "dir"))
		r = mkdir(p, 0755);
	else if (!strcmp(kind, "file")) {
		int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		r = fd < 0 ? -1 : close(fd);
	} else
		r = symlink(target, p);
	if (r < 0) {
		printf("setup: %s: %s\n", p, strerror(errno));
		exit(1);
	}
}

static void build_tree(void)
{
	/* root/ is the view's "/", usr/ is mounted at /mnt/usr, hosts at /etc/hosts. */
	const char *dirs[] = { "root", "root/mnt", "root/etc", "root/bin", "root/deep", "root/deep/er",
			       "usr", "usr/bin", "usr/lib", "usr/share", "outside" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mk(dirs[i], "dir", NULL);
	mk("root/etc/hosts", "file", NULL);   /* shadowed by the file mount */
	mk("root/etc/passwd", "file", NULL);
	mk("root/bin/sh", "file", NULL);
	mk("usr/bin/env", "file", NULL);
	mk("usr/lib/libc.so", "file", NULL);
	mk("hosts", "file", NULL);
	mk("outside/secret", "file", NULL);
	mk("root/lib", "link", "mnt/usr/lib");        /* relative, into the mount */
	mk("root/abs", "link", "/mnt/usr/bin");       /* absolute: inside the view */
	mk("root/deep/er/up", "link", "../../../../../..");
	mk("usr/share/root", "link", "../../..");     /* from /mnt/usr/share: up to / */
	mk("usr/share/top", "link", "/");
	mk("root/loop1", "link", "loop2");
	mk("root/loop2", "link", "loop1");
	mk("root/dangling", "link", "newfile");
	mk("root/tofile", "link", "etc/passwd");
	mk("root/todir", "link", "deep");
}

static void build_table(void)
{
	static char buf[8192];
	char host[PATH_MAX];
	table = (struct vfs_table *)buf;
	CHECK(vfs_table_init(buf, sizeof(buf), 8) == 0, "table init");
	snprintf(host, sizeof(host), "%s/usr", top);
	vfs_table_add(table, "/mnt/usr/", host, 0);
	snprintf(host, sizeof(host), "%s/root", top);
	vfs_table_add(table, "/", host, 0);
	snprintf(host, sizeof(host), "%s/hosts", top);
	vfs_table_add(table, "/etc/hosts", host, VFS_MOUNT_FILE);
	CHECK(vfs_table_add(table, "/mnt/usr", host, 0) == -EEXIST, "a second mount at /mnt/usr is refused");
	CHECK(vfs_table_add(table, "relative", host, 0) == -EINVAL, "a relative guest path is refused");
	CHECK(vfs_table_add(table, "/mnt/x/../usr", host, 0) == -EEXIST, "a guest path's .. is lexical: /mnt/usr again");
	CHECK(vfs_table_finish(table) == 0, "table finish");
	view_of.table = table;
	view_of.ops = &ops;
	CHECK(!strcmp(vfs_mount_guest(table, 0), "/"), "mounts sorted: / first, got %s", vfs_mount_guest(table, 0));
	for (unsigned i = 0; i < table->nmounts; i++) {
		mount_fds[i] = open(vfs_mount_host(table, (int)i), O_PATH | O_CLOEXEC);
		CHECK(mount_fds[i] >= 0, "open mount %u", i);
	}
	CHECK(vfs_mounts_below(table, "/", 1), "/ has mounts below");
	CHECK(vfs_mounts_below(table, "/mnt", 4), "/mnt has mounts below");
	CHECK(!vfs_mounts_below(table, "/mnt/usr", 8), "/mnt/usr has none");
	CHECK(!vfs_mounts_below(table, "/mn", 3), "/mn is not /mnt");
	CHECK(vfs_mount_of(table, "/mnt/usr/bin", 12) == vfs_mount_at(table, "/mnt/usr", 8), "mount of /mnt/usr/bin");
	char g[VFS_PATH_MAX];
	int m;
	snprintf(host, sizeof(host), "%s/usr/lib", top);
	CHECK(vfs_guest_of_host(table, host, strlen(host), g, &m) > 0 && !strcmp(g, "/mnt/usr/lib"),
	      "host usr/lib maps to /mnt/usr/lib, got %s", g);
	snprintf(host, sizeof(host), "%s/root", top);
	CHECK(vfs_guest_of_host(table, host, strlen(host), g, &m) > 0 && !strcmp(g, "/"), "host root maps to /");
	snprintf(host, sizeof(host), "%s/outside", top);
	CHECK(vfs_guest_of_host(table, host, strlen(host), g, &m) == -ENOENT, "outside maps to nothing");
}

/* --- cases -------------------------------------------------------------------- */

static struct vfs_scratch scratch;

/* The host object of a result, relative to top ("root/etc/passwd"). */
static const char *where(int fd)
{
	static char buf[PATH_MAX];
	char host[PATH_MAX];
	long n = op_fd_path(NULL, fd, host, sizeof(host) - 1);
	if (n < 0)
		return "?";
	host[n] = '\0';
	size_t tl = strlen(top);
	if (strncmp(host, top, tl) == 0 && host[tl] == '/')
		snprintf(buf, sizeof(buf), "%s", host + tl + 1);
	else if (strcmp(host, top) == 0)
		snprintf(buf, sizeof(buf), ".");
	else
		snprintf(buf, sizeof(buf), "OUTSIDE:%s", host);
	return buf;
}

static bool plain_start; /* the start's guest path is not given (VFS_START_PLAIN) */

/* resolve START PATH FLAGS -> "host-relative object" or "name@dir" or "-ERRNO" */
static void expect(const char *start, const char *path, unsigned flags, const char *want)
{
	struct vfs_dir root = { .guest = "/", .guest_len = 1, .fd = mount_fds[0] };
	char host[PATH_MAX];
	struct vfs_dir st = { .guest = start, .guest_len = strlen(start), .fd = -1 };
	snprintf(host, sizeof(host), "%s/%s", top, start[1] ? start + 1 : "root");
	/* The start's host directory: resolved by the module itself. */
	struct vfs_result r0;
	if (vfs_resolve(&view_of, &root, &root, start, VFS_FOLLOW, &r0, &scratch) < 0) {
		CHECK(0, "cannot resolve the start %s", start);
		return;
	}
	st.fd = r0.fd;
	if (plain_start) {
		st.guest = NULL;
		st.guest_len = 0;
		flags |= VFS_START_PLAIN;
	}
	char guest[VFS_PATH_MAX];
	struct vfs_result r = { .guest = guest };
	int e = vfs_resolve(&view_of, &root, &st, path, flags | VFS_WANT_GUEST, &r, &scratch);
	char got[PATH_MAX];
	if (e < 0)
		snprintf(got, sizeof(got), "%s", strerrorname_np(-e));
	else if (flags & (VFS_PARENT | VFS_CREATE) && (r.name[0] || r.missing))
		snprintf(got, sizeof(got), "%s%s@%s%s", r.name, r.missing ? "(missing)" : "", where(r.fd),
			 r.mount_point ? " (mount point)" : "");
	else
		snprintf(got, sizeof(got), "%s", where(r.fd));
	CHECK(strcmp(got, want) == 0, "%s%s resolve(%s, \"%s\", %#x): got %s, expected %s",
	      have_openat2 ? "[openat2]" : "[no openat2]", plain_start ? "[plain start]" : "", start, path,
	      flags, got, want);
	if (e == 0 && (flags & VFS_WANT_GUEST) && r.guest_known)
		(void)0;
	CHECK(e < 0 || r.fd != st.fd, "resolve(%s, \"%s\", %#x): the result is the start's fd, not a new one",
	      start, path, flags);
	if (r.fd >= 0)
		close(r.fd);
	close(st.fd);
	(void)host;
}

static void expect_guest(const char *path, unsigned flags, const char *want)
{
	struct vfs_dir root = { .guest = "/", .guest_len = 1, .fd = mount_fds[0] };
	char guest[VFS_PATH_MAX];
	struct vfs_result r = { .guest = guest };
	int e = vfs_resolve(&view_of, &root, &root, path, flags | VFS_WANT_GUEST, &r, &scratch);
	CHECK(e == 0 && r.guest_known && !strcmp(guest, want), "%s guest path of %s: got %s (%d), expected %s",
	      have_openat2 ? "[openat2]" : "[no openat2]", path, e == 0 && r.guest_known ? guest : "?", e, want);
	if (r.fd >= 0)
		close(r.fd);
}

static void cases(void)
{
	const unsigned F = VFS_FOLLOW, P = VFS_PARENT;
	/* Plain paths, in the root and in the mount. */
	expect("/", "/etc/passwd", F, "root/etc/passwd");
	expect("/", "etc/passwd", F, "root/etc/passwd");
	expect("/", "/mnt/usr/bin/env", F, "usr/bin/env");
	expect("/", "/mnt/usr", F, "usr");
	expect("/", "/mnt", F, "root/mnt");
	expect("/", "/", F, "root");
	expect("/", "/etc/hosts", F, "hosts");
	expect("/mnt/usr", "bin/env", F, "usr/bin/env");
	expect("/mnt/usr/bin", "env", F, "usr/bin/env");
	/* ".." in guest terms: out of a mount to its mount point's parent, never above /. */
	expect("/", "/mnt/usr/..", F, "root/mnt");
	expect("/", "/mnt/usr/bin/../../../etc/passwd", F, "root/etc/passwd");
	expect("/", "/..", F, "root");
	expect("/", "/../../../etc/passwd", F, "root/etc/passwd");
	expect("/mnt/usr/bin", "../../..", F, "root");
	expect("/mnt/usr/bin", "../../../../../../../..", F, "root");
	expect("/mnt/usr", "..", F, "root/mnt");
	/* Symlinks: relative into a mount, absolute inside the view, up and out. */
	expect("/", "/lib/libc.so", F, "usr/lib/libc.so");
	expect("/", "/abs/env", F, "usr/bin/env");
	expect("/", "/abs", F, "usr/bin");
	expect("/", "/abs", 0, "root/abs");
	expect("/", "/deep/er/up/etc/passwd", F, "root/etc/passwd");
	expect("/", "/mnt/usr/share/root/etc/passwd", F, "root/etc/passwd");
	expect("/mnt/usr/share", "root", F, "root");
	expect("/mnt/usr/share", "top/etc/hosts", F, "hosts");
	expect("/mnt/usr/share", "top", 0, "usr/share/top");
	expect("/", "/todir/", 0, "root/deep");
	expect("/", "/tofile/", F, "ENOTDIR");
	expect("/", "/loop1", F, "ELOOP");
	expect("/", "/loop1/x", 0, "ELOOP");
	expect("/", "/loop1", 0, "root/loop1");
	/* A symlink on the way is read by name, not opened (then typed, read
	 * and closed). */
	link_opens = 0;
	expect("/", "/lib/libc.so", F, "usr/lib/libc.so");
	expect("/", "/todir/er", F, "root/deep/er");
	expect("/", "/loop1/x", 0, "ELOOP");
	expect("/", "/tofile/x", F, "ENOTDIR");
	CHECK(link_opens == 0, "symlinks on the way were opened %d times", link_opens);
	/* Errors. */
	expect("/", "/nope", F, "ENOENT");
	expect("/", "/nope/x", F, "ENOENT");
	expect("/", "/etc/passwd/x", F, "ENOTDIR");
	expect("/", "/etc/hosts/x", F, "ENOTDIR");
	expect("/", "/etc/passwd/", F, "ENOTDIR");
	expect("/", "", F, "ENOENT");
	char longname[300];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	expect("/", longname, F, "ENAMETOOLONG");
	/* The parent and the last name, for calls that act on a name. */
	expect("/", "/mnt/usr/newfile", P, "newfile@usr");
	expect("/", "/mnt/usr", P, "usr@root/mnt (mount point)");
	expect("/", "/mnt/usr/", P, "usr/@root/mnt (mount point)");
	expect("/", "/etc/hosts", P, "hosts@root/etc (mount point)");
	expect("/", "/", P, "/@root (mount point)");
	expect("/", "/mnt/usr/bin/..", P, "..@usr/bin");
	expect("/", ".", P, ".@root");
	expect("/", "/dangling", P, "dangling@root");
	expect("/", "/lib/newlib", P, "newlib@usr/lib");
	expect("/mnt/usr/lib", "x", P, "x@usr/lib");
	/* Creation follows a dangling symlink to where the kernel would create. */
	expect("/", "/dangling", VFS_CREATE, "newfile(missing)@root");
	expect("/", "/etc/passwd", VFS_CREATE, "root/etc/passwd");
	expect("/", "/abs/newtool", VFS_CREATE, "newtool(missing)@usr/bin");
	expect("/", "/nope/newtool", VFS_CREATE, "ENOENT");
	/* RESOLVE_BENEATH and RESOLVE_IN_ROOT relative to the start. */
	expect("/mnt/usr", "bin/env", VFS_BENEATH | F, "usr/bin/env");
	expect("/mnt/usr", "../usr/bin", VFS_BENEATH | F, "EXDEV");
	expect("/mnt/usr", "/etc", VFS_BENEATH | F, "EXDEV");
	expect("/mnt/usr", "share/top", VFS_BENEATH | F, "EXDEV");
	expect("/mnt/usr", "/bin/env", VFS_IN_ROOT | F, "usr/bin/env");
	expect("/mnt/usr", "share/top/bin", VFS_IN_ROOT | F, "usr/bin");
	expect("/mnt/usr", "../../../lib", VFS_IN_ROOT | F, "usr/lib");
	expect("/", "/abs", VFS_NO_SYMLINKS | F, "ELOOP");
	expect("/", "/mnt/usr/bin", VFS_NO_XDEV | F, "EXDEV");
	/* Guest paths of results. */
	expect_guest("/lib", F, "/mnt/usr/lib");
	expect_guest("/deep/er/up/mnt/usr/bin/../share", F, "/mnt/usr/share");
	expect_guest("/mnt/usr/bin/env", F, "/mnt/usr/bin/env");
	expect_guest("/etc/hosts", F, "/etc/hosts");
	/* A directory that only leads to a mount point is not opened. */
	opens_of_mnt = 0;
	expect("/", "/mnt/usr/bin/env", F, "usr/bin/env");
	expect("/", "/mnt//usr/lib", P, "lib@usr");
	expect("/", "/mnt/usr/", F, "usr");
	expect_guest("/mnt/usr/bin/../share", F, "/mnt/usr/share");
	CHECK(opens_of_mnt == 0, "/mnt was opened %d times on the way to its mount", opens_of_mnt);
	expect("/", "/mnt/./usr/bin", F, "usr/bin");
	expect("/", "/mnt/usr/bin", VFS_NO_XDEV | F, "EXDEV");
}

/* From a dirfd with no mount point below, whose guest path the caller
 * does not know: the kernel walks first, the guest path is found only to
 * climb out of it. */
static void plain_cases(void)
{
	const unsigned F = VFS_FOLLOW, P = VFS_PARENT;
	plain_start = true;
	expect("/mnt/usr", "bin/env", F, "usr/bin/env");
	expect("/mnt/usr/lib", "x", P, "x@usr/lib");
	expect("/mnt/usr/lib", "libc.so", P, "libc.so@usr/lib");
	expect("/mnt/usr/bin", "env", 0, "usr/bin/env");
	expect("/mnt/usr/bin", "../lib/libc.so", F, "usr/lib/libc.so");
	expect("/mnt/usr/bin", "../../../etc/passwd", F, "root/etc/passwd");
	expect("/mnt/usr/share", "top/etc/hosts", F, "hosts");
	expect("/mnt/usr/share", "root", F, "root");
	expect("/mnt/usr/bin", "nope", F, "ENOENT");
	expect("/mnt/usr/bin", "newtool", VFS_CREATE, "newtool(missing)@usr/bin");
	plain_start = false;
}

/* fs.protected_symlinks' rule (fs/namei.c, may_follow_link). */
static void follow_rule_cases(void)
{
	const uint32_t tmp = 041777, open_dir = 040777, sticky_mine = 041775, root = 0, me = 1000, other = 65534;
	CHECK(vfs_may_follow(tmp, root, other, me) == -EACCES, "another's link in /tmp is refused");
	CHECK(vfs_may_follow(tmp, root, me, me) == 0, "the follower's own link is followed");
	CHECK(vfs_may_follow(tmp, root, root, me) == 0, "the directory owner's link is followed");
	CHECK(vfs_may_follow(tmp, other, other, me) == 0, "a link of the directory's owner (not root) is followed");
	CHECK(vfs_may_follow(open_dir, root, other, me) == 0, "not sticky: followed");
	CHECK(vfs_may_follow(sticky_mine, root, other, me) == 0, "sticky, not world-writable: followed");
	CHECK(vfs_may_follow(tmp, root, other, root) == -EACCES, "root is refused too");
}

int main(void)
{
	snprintf(top, sizeof(top), "%s/facet-test-vfs.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		return 1;
	}
	char real[PATH_MAX];
	if (realpath(top, real))
		snprintf(top, sizeof(top), "%s", real);
	follow_rule_cases();
	build_tree();
	build_table();
	struct open_how how = { .flags = O_PATH };
	long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));
	bool kernel_has_openat2 = fd >= 0;
	if (fd >= 0)
		close((int)fd);
	for (int pass = 0; pass < 2; pass++) {
		have_openat2 = pass == 0 && kernel_has_openat2;
		cases();
		plain_cases();
	}
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		printf("warning: could not remove %s\n", top);
	if (failures)
		return 1;
	puts("ok");
	return 0;
}
