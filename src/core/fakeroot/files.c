/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What fake root changes of the calls on files (fakeroot.h): the view
 * performs each call (src/core/view/exec_*.c) and hands the object here
 * as an fd the supervisor holds.
 *
 * chown is recorded, never made: the real user could not give a file
 * away. chmod is made with the bits the real user needs to keep using
 * the file (read and write, and search for a directory), and what the
 * tree asked for is recorded where that differs. A device node is an
 * empty regular file with a record of its type and number. A record goes
 * with its file's last link.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"
#include "core/view/view.h"

/* Bits the real user keeps on a file the tree chmods. */
#define KEEP_FILE (S_IRUSR | S_IWUSR)
#define KEEP_DIR (S_IRWXU)

static struct fakeroot *fr_of(struct facet_task *t)
{
	return t->session->vs->fr;
}

/* Whether the task has capability cap in its fake effective set (a task
 * whose identity is not known yet is the tree's first, root's under -0). */
static bool capable(struct facet_task *t, int cap)
{
	const struct fake_ids *ids = t->view ? t->view->ids : NULL;
	return ids ? (ids->cap_eff >> cap) & 1 : fr_of(t)->uid == 0;
}

int fakeroot_xattr_may_change(struct facet_task *t, const char *name)
{
	/* The kernel: trusted.* needs CAP_SYS_ADMIN, a file capability
	 * CAP_SETFCAP; the other security.* names are their module's. */
	if (!strncmp(name, "trusted.", 8))
		return capable(t, CAP_SYS_ADMIN) ? 0 : -EPERM;
	if (!strcmp(name, "security.capability"))
		return capable(t, CAP_SETFCAP) ? 0 : -EPERM;
	return 0;
}

static uid_t fsuid_of(struct facet_task *t)
{
	const struct fake_ids *ids = t->view ? t->view->ids : NULL;
	return ids ? ids->fsuid : fr_of(t)->uid;
}

static bool in_group(struct facet_task *t, gid_t g)
{
	const struct fake_ids *ids = t->view ? t->view->ids : NULL;
	if (!ids)
		return g == fr_of(t)->gid;
	if (ids->fsgid == g)
		return true;
	for (unsigned i = 0; i < ids->ngroups; i++)
		if (ids->groups[i] == g)
			return true;
	return false;
}

/* The object's identity with its birth time, for a record. */
static int view_of_fd(int fd, const char *name, struct owner_view *v)
{
	struct statx stx;
	int flags = AT_SYMLINK_NOFOLLOW | (name[0] ? 0 : AT_EMPTY_PATH);
	if (statx(fd, name, flags, STATX_BASIC_STATS | STATX_BTIME, &stx) < 0)
		return -errno;
	fakeroot_view_of(v, NULL, &stx);
	return 0;
}

int fakeroot_file_of(int fd, struct owner_view *v)
{
	return view_of_fd(fd, "", v);
}

static int64_t set_mode(struct facet_task *t, int fd, const struct owner_view *file, mode_t mode)
{
	struct fakeroot *fr = fr_of(t);
	mode &= 07777;
	mode_t keep = S_ISDIR(file->mode) ? KEEP_DIR : KEEP_FILE;
	char magic[40];
	view_magic_name(magic, sizeof(magic), fd);
	/* A symlink's own mode cannot change (the caller refused that);
	 * a file the real user does not own keeps its real mode. */
	mode_t real = file->mode & 07777;
	if (file->uid == fr->real_uid && !S_ISLNK(file->mode) && fchmodat(AT_FDCWD, magic, mode | keep, 0) == 0)
		real = (mode | keep) & 07777;
	/* The kernel drops S_ISGID where the real user is not in the group. */
	struct owner_view now;
	if (view_of_fd(fd, "", &now) == 0)
		real = now.mode & 07777;
	if (real == mode) {
		fakeroot_forget(fr, file->dev, file->ino, OWNER_MODE);
		return 0;
	}
	return fakeroot_record(fr, file, OWNER_MODE, 0, 0, mode, 0);
}

int64_t fakeroot_chmod(struct facet_task *t, int fd, mode_t mode)
{
	struct owner_view v, now;
	int64_t r = view_of_fd(fd, "", &v);
	if (r < 0)
		return r;
	/* The owner, or CAP_FOWNER; S_ISGID needs the group (or CAP_FSETID). */
	now = v;
	owners_apply(fakeroot_table(fr_of(t)), &now);
	if (now.uid != fsuid_of(t) && !capable(t, CAP_FOWNER))
		return -EPERM;
	if ((mode & S_ISGID) && !in_group(t, now.gid) && !capable(t, CAP_FSETID))
		mode &= ~(mode_t)S_ISGID;
	return set_mode(t, fd, &v, mode);
}

mode_t fakeroot_open_needs(struct facet_task *t, const struct stat *st, int flags)
{
	int acc = flags & O_ACCMODE;
	mode_t need = (acc != O_WRONLY ? S_IRUSR : 0) | (acc != O_RDONLY || (flags & O_TRUNC) ? S_IWUSR : 0);
	need &= ~st->st_mode;
	if (!need || (flags & O_PATH) || st->st_uid != fr_of(t)->real_uid ||
	    !(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode)))
		return 0;
	/* Reading needs CAP_DAC_READ_SEARCH, writing CAP_DAC_OVERRIDE. */
	return capable(t, CAP_DAC_OVERRIDE) || (!(need & S_IWUSR) && capable(t, CAP_DAC_READ_SEARCH)) ? need : 0;
}

int fakeroot_relock(int fd, mode_t mode)
{
	char magic[40];
	view_magic_name(magic, sizeof(magic), fd);
	return fchmodat(AT_FDCWD, magic, mode & 07777, 0) < 0 ? -errno : 0;
}

mode_t fakeroot_dir_unlock(struct facet_task *t, int dirfd)
{
	struct stat st;
	if (fstat(dirfd, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != fr_of(t)->real_uid)
		return FAKEROOT_UNCHANGED;
	mode_t need = (S_IWUSR | S_IXUSR) & ~st.st_mode;
	if (!need || !capable(t, CAP_DAC_OVERRIDE) || fakeroot_relock(dirfd, st.st_mode | need) < 0)
		return FAKEROOT_UNCHANGED;
	return st.st_mode;
}

bool fakeroot_searches(struct facet_task *t)
{
	return capable(t, CAP_DAC_READ_SEARCH) || capable(t, CAP_DAC_OVERRIDE);
}

mode_t fakeroot_dir_search(struct facet_task *t, int dirfd)
{
	struct stat st;
	if (fstat(dirfd, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != fr_of(t)->real_uid ||
	    (st.st_mode & S_IXUSR) || !fakeroot_searches(t) || fakeroot_relock(dirfd, st.st_mode | S_IXUSR) < 0)
		return FAKEROOT_UNCHANGED;
	return st.st_mode;
}

bool fakeroot_dir_needs_bits(struct facet_task *t, mode_t mode)
{
	/* Another identity than root's is refused as the real user is. */
	return (mode & S_IRWXU) != S_IRWXU && capable(t, CAP_DAC_OVERRIDE);
}

void fakeroot_made_dir(struct facet_task *t, int dirfd, const char *name, mode_t mode)
{
	int fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct owner_view v;
	if (fd < 0)
		return;
	/* The kernel's bits but the owner's, which mkdir was asked for
	 * (S_ISGID comes from the parent). */
	if (view_of_fd(fd, "", &v) == 0)
		set_mode(t, fd, &v, (v.mode & 07777 & ~(mode_t)S_IRWXU) | (mode & S_IRWXU));
	close(fd);
}

int64_t fakeroot_chown(struct facet_task *t, int fd, uid_t uid, gid_t gid)
{
	struct fakeroot *fr = fr_of(t);
	struct owner_view file, now, bare;
	int64_t r = view_of_fd(fd, "", &file);
	if (r < 0)
		return r;
	now = file;
	owners_apply(fakeroot_table(fr), &now);
	/* What the file shows with no record of its owner. */
	bare = file;
	bare.uid = file.uid == fr->real_uid ? fr->uid : file.uid;
	bare.gid = file.gid == fr->real_gid ? fr->gid : file.gid;
	uid_t u = uid == (uid_t)-1 ? now.uid : uid;
	gid_t g = gid == (gid_t)-1 ? now.gid : gid;
	/* Without CAP_CHOWN: the owner may only change the group, to one of
	 * its own (-1 and -1 change nothing, which anyone may). */
	if (!capable(t, CAP_CHOWN) && (uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    (u != now.uid || now.uid != fsuid_of(t) || (g != now.gid && !in_group(t, g))))
		return -EPERM;
	uint32_t set = (u != bare.uid ? OWNER_UID : 0) | (g != bare.gid ? OWNER_GID : 0);
	uint32_t drop = (OWNER_UID | OWNER_GID) & ~set;
	if (set && (r = fakeroot_record(fr, &file, set, u, g, 0, 0)) < 0)
		return r;
	if (drop)
		fakeroot_forget(fr, file.dev, file.ino, drop);
	/* As for root: a chown of a file that is not a directory, even to
	 * -1 and -1, takes its set-user-ID bit, and set-group-ID with group
	 * execute. */
	if (!S_ISDIR(now.mode) && !S_ISLNK(now.mode)) {
		mode_t m = now.mode & 07777, n = m & ~(mode_t)S_ISUID;
		if ((m & S_ISGID) && (m & S_IXGRP))
			n &= ~(mode_t)S_ISGID;
		if (n != m)
			return set_mode(t, fd, &file, n);
	}
	return 0;
}

int64_t fakeroot_mknod(struct facet_task *t, int dirfd, const char *name, mode_t mode, dev_t rdev)
{
	struct fakeroot *fr = fr_of(t);
	if (!capable(t, CAP_MKNOD))
		return -EPERM;
	/* The caller has put the tree's umask on. */
	if (mknodat(dirfd, name, S_IFREG | (mode & 07777), 0) < 0)
		return -errno;
	struct owner_view v;
	int64_t r = view_of_fd(dirfd, name, &v);
	if (r == 0)
		r = fakeroot_record(fr, &v, OWNER_TYPE, 0, 0, mode & S_IFMT, rdev);
	if (r < 0) {
		unlinkat(dirfd, name, 0);
		return r;
	}
	return 0;
}

void fakeroot_removing(struct facet_task *t, int dirfd, const char *name, struct fake_gone *g)
{
	struct stat st;
	g->known = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (!g->known)
		return;
	g->dev = st.st_dev;
	g->ino = st.st_ino;
	g->nlink = st.st_nlink;
	g->dir = S_ISDIR(st.st_mode);
}

void fakeroot_removed(struct facet_task *t, const struct fake_gone *g)
{
	if (g->known && (g->dir || g->nlink <= 1)) {
		fakeroot_forget(fr_of(t), g->dev, g->ino, ~0u);
		fakeroot_xattr_forget(g->dev, g->ino);
	}
}

gid_t fakeroot_new_gid(struct facet_task *t, int dirfd)
{
	struct fakeroot *fr = fr_of(t);
	const struct fake_ids *ids = t->view ? t->view->ids : NULL;
	gid_t g = ids ? ids->fsgid : fr->gid;
	/* A set-group-ID directory gives its group, as the tree sees it: one
	 * only a record can make differ from the host's. */
	struct owner_view v;
	if (!owners_none(fakeroot_table(fr)) && view_of_fd(dirfd, "", &v) == 0) {
		owners_apply(fr->table, &v);
		if (S_ISDIR(v.mode) && (v.mode & S_ISGID))
			g = v.gid;
	}
	return g;
}

void fakeroot_created(struct facet_task *t, int fd, const char *name, gid_t gid)
{
	struct fakeroot *fr = fr_of(t);
	const struct fake_ids *ids = t->view ? t->view->ids : NULL;
	uid_t u = ids ? ids->fsuid : fr->uid;
	/* The host gives it the real user's ids, which show as the tree's. */
	uint32_t fields = (u != fr->uid ? OWNER_UID : 0) | (gid != fr->gid ? OWNER_GID : 0);
	struct owner_view v;
	if (fields && view_of_fd(fd, name, &v) == 0)
		fakeroot_record(fr, &v, fields, u, gid, 0, 0);
}

/* Where the file of a stat result is, to ask for its birth time. */
struct stat_where {
	int fd;
	const char *name;
};

/* The birth time of the file v, which a record found for it was made with
 * (owners_apply_lazy): the file still there must be the same one. */
static void btime_of(void *ctx, struct owner_view *v)
{
	const struct stat_where *w = ctx;
	struct owner_view b;
	if (w->fd >= 0 && view_of_fd(w->fd, w->name, &b) == 0 && b.dev == v->dev && b.ino == v->ino) {
		v->has_btime = b.has_btime;
		v->btime_sec = b.btime_sec;
		v->btime_nsec = b.btime_nsec;
	}
}

static void apply(struct fakeroot *fr, struct owner_view *v, int fd, const char *name)
{
	struct stat_where w = { fd, name };
	owners_apply_lazy(fakeroot_table(fr), v, btime_of, &w);
}

void fakeroot_stat(struct facet_task *t, struct stat *st, int fd, const char *name)
{
	struct owner_view v;
	fakeroot_view_of(&v, st, NULL);
	apply(fr_of(t), &v, fd, name);
	st->st_uid = v.uid;
	st->st_gid = v.gid;
	st->st_mode = v.mode;
	st->st_rdev = v.rdev;
	if (S_ISCHR(v.mode) || S_ISBLK(v.mode))
		st->st_size = 0;
}

void fakeroot_statx(struct facet_task *t, struct statx *stx)
{
	struct owner_view v;
	fakeroot_view_of(&v, NULL, stx);
	apply(fr_of(t), &v, -1, "");
	stx->stx_uid = v.uid;
	stx->stx_gid = v.gid;
	stx->stx_mode = (uint16_t)v.mode;
	stx->stx_rdev_major = major(v.rdev);
	stx->stx_rdev_minor = minor(v.rdev);
	if (S_ISCHR(v.mode) || S_ISBLK(v.mode))
		stx->stx_size = 0; /* as stat's */
}

int fakeroot_dirent_type(struct facet_task *t, uint64_t dev, uint64_t ino, int dirfd, const char *name)
{
	struct stat_where w = { dirfd, name };
	return owners_dirent_type(fakeroot_table(fr_of(t)), dev, ino, btime_of, &w);
}
