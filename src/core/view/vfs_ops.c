/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system calls src/vfs makes (struct vfs_ops), as the supervisor makes
 * them for a task: with its credentials on (view_call), its procfs links
 * read as the task sees them, and fs.protected_symlinks applied where the
 * resolver follows a link itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/view.h"

/* fs.protected_symlinks: taken as on where it cannot be read, as every
 * distribution sets it. */
bool view_protected_symlinks(void)
{
	FILE *f = fopen("/proc/sys/fs/protected_symlinks", "re");
	int on = 1;
	if (f) {
		if (fscanf(f, "%d", &on) != 1)
			on = 1;
		fclose(f);
	}
	return on != 0;
}

static struct {
	struct facet_session *s;
	struct facet_task *t;          /* whose paths are being resolved */
	bool no_openat2;
} ops_ctx;

/* Fake root walks through a directory of the real user's that its
 * owner's search bit refuses, as root's CAP_DAC_READ_SEARCH does: the
 * bit is added for the lookup of one name in it and given back at once
 * (the fd the lookup gives needs no search right in its directory). */
static bool searches_for_root(void)
{
	return ops_ctx.t && ops_ctx.s->vs->fr && fakeroot_searches(ops_ctx.t);
}

/* After a lookup of name in dfd failed (errno): the mode to give dfd
 * back once the bit is added for a second try, or FAKEROOT_UNCHANGED. */
static mode_t search_as_root(int dfd, const char *name)
{
	if (errno != EACCES || !name[0] || strchr(name, '/') || !searches_for_root())
		return FAKEROOT_UNCHANGED;
	return fakeroot_dir_search(ops_ctx.t, dfd);
}

static void relock(int dfd, mode_t was)
{
	int e = errno; /* the second try's */
	fakeroot_relock(dfd, was);
	errno = e;
}

static long op_openat(void *c, int dfd, const char *p, int flags)
{
	int fd = openat(dfd, p, flags | O_CLOEXEC);
	mode_t was;
	if (fd < 0 && (was = search_as_root(dfd, p)) != FAKEROOT_UNCHANGED) {
		fd = openat(dfd, p, flags | O_CLOEXEC);
		relock(dfd, was);
	}
	return fd < 0 ? -errno : fd;
}

static long op_openat2(void *c, int dfd, const char *p, uint64_t oflags, uint64_t resolve)
{
	if (ops_ctx.no_openat2)
		return -ENOSYS;
	struct open_how how = { .flags = oflags | O_PATH | O_CLOEXEC, .resolve = resolve };
	long fd = syscall(SYS_openat2, dfd, p, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		ops_ctx.no_openat2 = true;
	/* Which directory refused is the walk's to find, name by name. */
	if (fd < 0 && errno == EACCES && searches_for_root())
		return -ENOSYS;
	return fd < 0 ? -errno : fd;
}

static long op_readlinkat(void *c, int dfd, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(dfd, name, buf, size);
	mode_t was;
	if (n < 0 && (was = search_as_root(dfd, name)) != FAKEROOT_UNCHANGED) {
		n = readlinkat(dfd, name, buf, size);
		relock(dfd, was);
	}
	return n < 0 ? -errno : n;
}

static long op_fd_type(void *c, int fd)
{
	struct stat st;
	return fstat(fd, &st) < 0 ? -errno : (long)(st.st_mode & S_IFMT);
}

static long op_fd_path(void *c, int fd, char *buf, size_t size)
{
	char proc[40];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, buf, size);
	return n < 0 ? -errno : n;
}

static long op_close(void *c, int fd) { return close(fd) < 0 ? -errno : 0; }

static long op_dup(void *c, int fd)
{
	int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return r < 0 ? -errno : r;
}

static int op_mount_fd(void *c, int i) { return ops_ctx.s->vs->mount_fds[i]; }

static long op_proc_link(void *c, const char *dir, size_t dir_len, const char *name, char *buf, size_t size)
{
	return view_proc_link(ops_ctx.s, ops_ctx.t, dir, dir_len, name, buf, size);
}

/* The follower is the task: the supervisor wears its fsuid for the call
 * (view_call), which setfsuid(-1) reads without changing it. */
static long op_may_follow(void *c, int dirfd, int linkfd)
{
	struct stat dir, link;
	if (!ops_ctx.s->vs->protected_symlinks)
		return 0;
	if (fstat(dirfd, &dir) < 0 || fstatat(linkfd, "", &link, AT_EMPTY_PATH) < 0)
		return -errno;
	uint32_t fsuid = (uint32_t)syscall(SYS_setfsuid, (uid_t)-1);
	return vfs_may_follow(dir.st_mode, dir.st_uid, link.st_uid, fsuid);
}

static const struct vfs_ops supervisor_ops = {
	.openat = op_openat, .openat2 = op_openat2, .readlinkat = op_readlinkat,
	.fd_type = op_fd_type, .fd_path = op_fd_path, .close = op_close, .dup = op_dup,
	.mount_fd = op_mount_fd, .proc_link = op_proc_link, .may_follow = op_may_follow,
};

const struct vfs_view *view_session_vfs(struct facet_session *s, struct facet_task *t)
{
	static struct vfs_view v;
	ops_ctx.s = s;
	ops_ctx.t = t;
	v.table = s->vs->table;
	v.ops = &supervisor_ops;
	return &v;
}

const struct vfs_view *view_vfs(struct facet_task *t)
{
	return view_session_vfs(t->session, t);
}
