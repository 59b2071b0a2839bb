/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * open, openat, openat2 and creat in a view. The resolver finds the object
 * (or, for a file to be created, its directory and name). On the notify
 * route the supervisor opens it and installs the fd in the tracee
 * (SECCOMP_IOCTL_NOTIF_ADDFD); what only the kernel can open in the
 * tracee's own name (a FIFO, which blocks for its peer; a terminal; an
 * O_PATH fd, which ADDFD cannot pass) is deferred to the ptrace route. On
 * the ptrace route the call is rewritten to name the object through the
 * supervisor's /proc/PID/fd/N, and the kernel opens it in the tracee.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/exec.h"

#define MEM_DEVICES_MAJOR 1 /* null, zero, full, random, urandom: opening them has no side effect */
#define OPEN_FLAGS_KNOWN 037777777

struct open_req {
	int flags;
	mode_t mode;
	unsigned vflags;
};

static int open_request(struct facet_task *t, const struct call *c, const struct path_call *pc, struct open_req *o)
{
	const uint64_t *a = c->sc.args;
	if (pc->kind == PCK_HOW) {
		struct open_how how;
		size_t size = (size_t)a[pc->a1];
		if (size < sizeof(uint64_t) * 3)
			return -EINVAL;
		memset(&how, 0, sizeof(how));
		if (facet_mem_read(t, a[pc->flags], &how, sizeof(how)) != sizeof(how))
			return -EFAULT;
		for (size_t off = sizeof(how); off < size && off < 4096; off += 8) {
			uint64_t extra = 0;
			if (facet_mem_read(t, a[pc->flags] + off, &extra, size - off < 8 ? size - off : 8) < 0)
				return -EFAULT;
			if (extra)
				return -E2BIG;
		}
		if ((how.flags & ~(uint64_t)OPEN_FLAGS_KNOWN) || (how.resolve & ~(uint64_t)0x3f) ||
		    (how.mode && !(how.flags & (O_CREAT | __O_TMPFILE))) || how.mode > 07777)
			return -EINVAL;
		o->flags = (int)how.flags;
		o->mode = (mode_t)how.mode;
		o->vflags = 0;
		if (how.resolve & RESOLVE_BENEATH)
			o->vflags |= VFS_BENEATH;
		if (how.resolve & RESOLVE_IN_ROOT)
			o->vflags |= VFS_IN_ROOT;
		if (how.resolve & RESOLVE_NO_SYMLINKS)
			o->vflags |= VFS_NO_SYMLINKS;
		if (how.resolve & RESOLVE_NO_XDEV)
			o->vflags |= VFS_NO_XDEV;
		if (how.resolve & RESOLVE_NO_MAGICLINKS)
			o->vflags |= VFS_NO_MAGICLINKS;
	} else if (pc->kind == PCK_OPEN) {
		o->flags = (int)a[pc->flags];
		o->mode = (mode_t)a[pc->a1];
		o->vflags = 0;
	} else { /* creat */
		o->flags = O_CREAT | O_WRONLY | O_TRUNC;
		o->mode = (mode_t)a[pc->a1];
		o->vflags = 0;
	}
	if ((o->flags & O_CREAT) && (o->flags & __O_TMPFILE) == __O_TMPFILE)
		return -EINVAL;
	if ((o->flags & __O_TMPFILE) == __O_TMPFILE)
		o->vflags |= VFS_FOLLOW; /* the directory */
	else if (o->flags & O_CREAT)
		o->vflags |= (o->flags & (O_EXCL | O_NOFOLLOW)) ? VFS_PARENT : VFS_CREATE;
	else if (!(o->flags & O_NOFOLLOW))
		o->vflags |= VFS_FOLLOW;
	return 0;
}

static bool writes(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) || (flags & __O_TMPFILE) == __O_TMPFILE;
}

static bool opens_alike(const struct stat *st)
{
	if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		return true;
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == MEM_DEVICES_MAJOR;
}

/* The rewritten call of the ptrace route: the object (or directory/name)
 * through /proc/<supervisor>/fd/N, the flags without O_NOFOLLOW where the
 * name is the magic link itself. */
static void rewrite_open(struct facet_task *t, const struct call *c, const struct path_call *pc, int fd,
			 const char *name, int flags, struct emu_result *res)
{
	char path[PATH_MAX + 64];
	int len = view_fd_name(t, path, sizeof(path), fd, name);
	uint64_t args[6];
	memcpy(args, c->sc.args, sizeof(args));
	uint64_t addr = len < 0 ? 0 : view_push(t, 0, path, (size_t)len + 1);
	if (!addr) {
		close(fd);
		res->kind = EMU_VALUE;
		res->value = len < 0 ? len : -ENOMEM;
		return;
	}
	args[pc->path] = addr;
	if (pc->kind == PCK_OPEN && !name)
		args[pc->flags] = (uint64_t)(unsigned)(flags & ~O_NOFOLLOW);
	if (pc->kind == PCK_HOW) {
		/* The resolve flags were applied in the view: the kernel gets none. */
		struct open_how orig = { 0 };
		facet_mem_read(t, c->sc.args[pc->flags], &orig, sizeof(orig));
		struct open_how how = { .flags = (uint64_t)(unsigned)(name ? flags : flags & ~O_NOFOLLOW),
					.mode = orig.mode };
		uint64_t hv = view_push(t, 1, &how, sizeof(how));
		if (!hv) {
			close(fd);
			res->kind = EMU_VALUE;
			res->value = -ENOMEM;
			return;
		}
		args[pc->flags] = hv;
		args[pc->a1] = sizeof(how);
	}
	struct view_task *vt = view_task(t);
	if (vt->held[0] >= 0)
		close(vt->held[0]);
	vt->held[0] = fd;
	view_rewrite(t, c, args);
	res->kind = EMU_REWRITTEN;
}

static void answer_fd(struct emu_result *res, int fd, int flags)
{
	if (fd < 0) {
		res->kind = EMU_VALUE;
		res->value = -errno;
		return;
	}
	res->kind = EMU_INJECT;
	res->fd = fd;
	res->cloexec = flags & O_CLOEXEC;
}

/* A file of procfs that the view shows otherwise, opened to be read by
 * name (/proc/PID/..., PID a task of the tree): fake root's status, with
 * the task's fake credentials (core/fakeroot/status.c), and the mount
 * table, with the view's mounts (mountinfo.c). A copy is given instead. */
static bool proc_copy(struct facet_task *t, const struct call *c, const struct path_call *pc, enum call_route route,
		      struct pc_name *n, const struct open_req *o, struct emu_result *res)
{
	struct facet_session *s = t->session;
	if ((o->flags & O_PATH) || writes(o->flags) || !(pc_mount_flags(t, n) & VFS_MOUNT_PROC))
		return false;
	char name[16];
	pid_t tid = view_proc_task_file(s, n->r.fd, name, sizeof(name));
	int fd;
	if (tid > 0 && s->vs->fr && !strcmp(name, "status"))
		fd = fakeroot_status_file(t, n->r.fd, tid);
	else if (tid > 0 && (!strcmp(name, "mountinfo") || !strcmp(name, "mounts")))
		fd = view_mounts_file(s, !strcmp(name, "mounts"));
	else
		return false;
	if (fd < 0) {
		res->kind = EMU_VALUE;
		res->value = fd;
	} else if (route == ROUTE_PTRACE) {
		rewrite_open(t, c, pc, fd, NULL, o->flags, res);
	} else {
		answer_fd(res, fd, o->flags);
	}
	return true;
}

/* Fake root's open of a file the real user owns whose host mode lacks an
 * owner's bit the open needs, which root's capabilities allow: the bits
 * added to the file (p, an O_PATH fd of it; st, its stat) for the open
 * (fakeroot_open_needs), 0 and in *mode the mode to give back after; or
 * -EACCES, the real user's refusal being the tree's too. */
static int unlock(struct facet_task *t, int p, const struct stat *st, int flags, mode_t *mode)
{
	mode_t add = t->session->vs->fr ? fakeroot_open_needs(t, st, flags) : 0;
	if (!add || fakeroot_relock(p, st->st_mode | add) < 0)
		return -EACCES;
	*mode = st->st_mode;
	return 0;
}

/* The same on the ptrace route, where the tracee's kernel opens the file
 * (p; st: its stat), or makes it in the directory p (st NULL): unlocked
 * until the call's exit (view_relock). */
static void unlock_for_tracee(struct facet_task *t, int p, const struct stat *st, int flags)
{
	struct view_task *vt = view_task(t);
	view_relock(vt);
	mode_t was = FAKEROOT_UNCHANGED;
	if (!t->session->vs->fr)
		return;
	if (st ? unlock(t, p, st, flags, &was) < 0 : (was = fakeroot_dir_unlock(t, p)) == FAKEROOT_UNCHANGED)
		return;
	view_relock_at_exit(t, p, was);
}

void view_relock_at_exit(struct facet_task *t, int p, mode_t was)
{
	struct view_task *vt = view_task(t);
	vt->relock_fd = fcntl(p, F_DUPFD_CLOEXEC, 0);
	vt->relock_mode = was;
	if (vt->relock_fd < 0)
		fakeroot_relock(p, was);
}

/* An O_PATH fd of name in dirfd, not followed, while it is the file st;
 * else -1. */
static int still_file(int dirfd, const char *name, const struct stat *st)
{
	int p = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat now;
	if (p >= 0 && (fstat(p, &now) < 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino)) {
		close(p);
		p = -1;
	}
	return p;
}

void view_relock(struct view_task *vt)
{
	if (vt->relock_fd < 0)
		return;
	fakeroot_relock(vt->relock_fd, vt->relock_mode);
	close(vt->relock_fd);
	vt->relock_fd = -1;
}

/* An object that exists: opened again through its fd by the supervisor,
 * or by the tracee through the rewritten call. */
static void open_object(struct facet_task *t, const struct call *c, const struct path_call *pc,
			enum call_route route, struct pc_name *n, const struct open_req *o, struct emu_result *res)
{
	struct stat st;
	res->kind = EMU_VALUE;
	if (fstat(n->r.fd, &st) < 0) {
		res->value = -errno;
		return;
	}
	if (S_ISLNK(st.st_mode) && (o->flags & O_DIRECTORY)) {
		res->value = -ENOTDIR; /* O_DIRECTORY is checked first */
		return;
	}
	if (S_ISLNK(st.st_mode) && !(o->flags & O_PATH)) {
		res->value = -ELOOP; /* O_NOFOLLOW on a symlink */
		return;
	}
	if (S_ISSOCK(st.st_mode) && !(o->flags & O_PATH)) {
		res->value = -ENXIO;
		return;
	}
	if ((o->flags & O_DIRECTORY) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
		res->value = -ENOTDIR;
		return;
	}
	if (writes(o->flags) && view_read_only(t, n) && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
		res->value = S_ISDIR(st.st_mode) && (o->flags & O_ACCMODE) != O_RDONLY ? -EISDIR : -EROFS;
		return;
	}
	if ((res->value = view_confined(t, n, view_landlock_open_access(o->flags, st.st_mode))) < 0)
		return;
	if (S_ISREG(st.st_mode) && proc_copy(t, c, pc, route, n, o, res))
		return;
	view_task(t)->open_mount = n->r.mount; /* -1: unknown, and not worth a readlink */
	if (route == ROUTE_PTRACE) {
		int fd = pc_name_take_fd(n);
		if (fd < 0) {
			res->value = fd;
			return;
		}
		unlock_for_tracee(t, fd, &st, o->flags);
		rewrite_open(t, c, pc, fd, NULL, o->flags, res);
		return;
	}
	if ((o->flags & O_PATH) || !opens_alike(&st)) {
		res->kind = EMU_DEFER;
		return;
	}
	char magic[40];
	view_magic(magic, sizeof(magic), n->r.fd);
	/* Only O_TMPFILE creates here: the umask matters for it alone. */
	bool tmpfile = (o->flags & __O_TMPFILE) == __O_TMPFILE;
	mode_t old = tmpfile ? umask(view_fs_of(t)->umask) : 0;
	/* O_EXCL stays with O_TMPFILE, where it means "never to be linked". */
	int drop = O_NOFOLLOW | O_CREAT | (tmpfile ? 0 : O_EXCL);
	int fd = open(magic, (o->flags & ~drop) | O_CLOEXEC | O_NOCTTY, o->mode);
	mode_t was;
	if (fd < 0 && errno == EACCES && !tmpfile && unlock(t, n->r.fd, &st, o->flags, &was) == 0) {
		fd = open(magic, (o->flags & ~drop) | O_CLOEXEC | O_NOCTTY, o->mode);
		int err = errno;
		fakeroot_relock(n->r.fd, was);
		errno = err;
	}
	if (tmpfile)
		umask(old);
	answer_fd(res, fd, o->flags);
	if (res->kind == EMU_INJECT && view_is_augmented(t->session->vs, &st))
		res->target_fd = view_augmented_fd(t);
}

/* A name in a directory: created, or opened without following it. */
static void open_name(struct facet_task *t, const struct call *c, const struct path_call *pc,
		      enum call_route route, struct pc_name *n, const struct open_req *o, struct emu_result *res)
{
	struct stat st;
	bool exists = fstatat(n->r.fd, n->r.name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	res->kind = EMU_VALUE;
	if (exists && (o->flags & O_EXCL) && (o->flags & O_CREAT)) {
		res->value = -EEXIST;
		return;
	}
	if (!exists && view_read_only(t, n)) {
		res->value = -EROFS;
		return;
	}
	if (exists && writes(o->flags) && view_read_only(t, n) && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
		res->value = -EROFS;
		return;
	}
	uint64_t access = exists ? view_landlock_open_access(o->flags, st.st_mode) : LANDLOCK_ACCESS_FS_MAKE_REG;
	if ((res->value = view_confined(t, n, access)) < 0)
		return;
	view_task(t)->open_mount = n->r.mount; /* -1: unknown, and not worth a readlink */
	if (route == ROUTE_PTRACE) {
		int fd = pc_name_take_fd(n);
		if (fd < 0) {
			res->value = fd;
			return;
		}
		view_task(t)->open_creates = !exists && (o->flags & O_CREAT);
		if (view_task(t)->open_creates && t->session->vs->fr)
			view_task(t)->open_gid = fakeroot_new_gid(t, fd);
		int p = exists && t->session->vs->fr ? still_file(fd, n->r.name, &st) : -1;
		if (p >= 0) {
			unlock_for_tracee(t, p, &st, o->flags);
			close(p);
		} else if (!exists && (o->flags & O_CREAT)) {
			unlock_for_tracee(t, fd, NULL, o->flags);
		}
		rewrite_open(t, c, pc, fd, n->r.name, o->flags, res);
		return;
	}
	if (exists && (S_ISLNK(st.st_mode) ? (o->flags & O_PATH) : !opens_alike(&st))) {
		res->kind = EMU_DEFER;
		return;
	}
	/* A new file: O_EXCL, so that a symlink put there meanwhile is not
	 * followed out of the view; the caller resolves again on EEXIST. */
	int extra = exists ? 0 : O_EXCL;
	mode_t old = umask(view_fs_of(t)->umask);
	mode_t dir = !exists && t->session->vs->fr ? fakeroot_dir_unlock(t, n->r.fd) : FAKEROOT_UNCHANGED;
	int fd = openat(n->r.fd, n->r.name, o->flags | extra | O_CLOEXEC | O_NOCTTY, o->mode);
	if (dir != FAKEROOT_UNCHANGED) {
		int err = errno;
		fakeroot_relock(n->r.fd, dir);
		errno = err;
	}
	umask(old);
	if (fd < 0 && errno == EEXIST && extra) {
		res->kind = EMU_DEFER; /* lost a race: let the kernel decide, in the tracee */
		return;
	}
	int p = fd < 0 && errno == EACCES && exists && t->session->vs->fr ? still_file(n->r.fd, n->r.name, &st) : -1;
	mode_t was;
	if (p >= 0 && unlock(t, p, &st, o->flags, &was) == 0) {
		char magic[40];
		view_magic_name(magic, sizeof(magic), p);
		/* The very file unlocked: O_NOFOLLOW would refuse the link. */
		fd = openat(AT_FDCWD, magic, (o->flags | O_CLOEXEC | O_NOCTTY) & ~O_NOFOLLOW, o->mode);
		int err = errno;
		fakeroot_relock(p, was);
		errno = err;
	} else if (p >= 0) {
		errno = EACCES;
	}
	if (p >= 0)
		close(p);
	if (fd >= 0 && !exists && t->session->vs->fr)
		fakeroot_created(t, n->r.fd, n->r.name, fakeroot_new_gid(t, n->r.fd));
	answer_fd(res, fd, o->flags);
}

static bool trailing_slash(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	char path[PATH_MAX];
	ssize_t n = facet_mem_read_string(t, c->sc.args[pc->path], path, sizeof(path));
	return n > 0 && path[n - 1] == '/';
}

void view_open(struct facet_task *t, const struct call *c, const struct path_call *pc, enum call_route route,
	       struct emu_result *res)
{
	struct open_req o;
	res->kind = EMU_VALUE;
	int r = open_request(t, c, pc, &o);
	if (r < 0) {
		res->value = r;
		return;
	}
	struct pc_name n;
	bool creat_slash = (o.flags & O_CREAT) && (o.flags & __O_TMPFILE) != __O_TMPFILE && trailing_slash(t, c, pc);
	if (creat_slash)
		o.vflags = (o.vflags & ~(unsigned)(VFS_CREATE | VFS_FOLLOW)) | VFS_PARENT;
	r = pc_resolve(t, c, pc->dirfd, pc->path, o.vflags, &n);
	if (r < 0) {
		res->value = r;
		return;
	}
	if (creat_slash) {
		pc_name_release(&n);
		res->value = -EISDIR; /* the kernel's answer to O_CREAT on "name/" */
		return;
	}
	if ((o.vflags & VFS_PARENT) && n.r.mount_point) {
		/* O_CREAT with O_EXCL or O_NOFOLLOW at a mount point: it exists. */
		pc_name_release(&n);
		if (o.flags & O_EXCL) {
			res->value = -EEXIST;
			return;
		}
		if ((r = pc_resolve(t, c, pc->dirfd, pc->path, (o.vflags & ~VFS_PARENT) | VFS_FOLLOW, &n)) < 0) {
			res->value = r;
			return;
		}
		open_object(t, c, pc, route, &n, &o, res);
	} else if ((o.vflags & VFS_PARENT) || n.r.missing) {
		open_name(t, c, pc, route, &n, &o, res);
	} else {
		open_object(t, c, pc, route, &n, &o, res);
	}
	pc_name_release(&n);
}
