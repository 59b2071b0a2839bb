/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Path calls that change the file system (and the watches, which name an
 * object), performed by the supervisor in the tracee's name. Calls that act
 * on a name (mkdir, unlink, rename...) get the directory and the name from
 * the resolver and hand both to the *at() call, so that the kernel applies
 * its own rules to the name (trailing slash, "." and "..", EEXIST...);
 * what only a view can know comes first: EBUSY for a mount point, EXDEV
 * across mounts, EROFS on a read-only mount, in the kernel's order.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/exec.h"
#include "util/cleanup.h"

static bool is_dots(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "/") || !strcmp(name, "./") ||
	       !strcmp(name, "../");
}

/* The creating calls: EEXIST wins over EROFS, as in the kernel; then
 * what Landlock would refuse the tree (`access`, in the directory). */
static int64_t may_create(struct facet_task *t, struct pc_name *n, uint64_t access)
{
	struct stat st;
	if (n->r.mount_point)
		return -EEXIST;
	if (!view_read_only(t, n))
		return view_confined(t, n, access);
	if (fstatat(n->r.fd, n->r.name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -EEXIST;
	return -EROFS;
}

/* The removing calls: "." ".." and "/" are the kernel's to refuse. */
static int64_t may_remove(struct facet_task *t, struct pc_name *n, uint64_t access)
{
	if (is_dots(n->r.name))
		return 0;
	if (n->r.mount_point)
		return -EBUSY;
	return view_read_only(t, n) ? -EROFS : view_confined(t, n, access);
}

static mode_t tracee_umask(struct facet_task *t)
{
	return view_fs_of(t)->umask;
}

/* Fake root makes and removes names in a directory of the real user's
 * whose owner's bits refuse it, as root does: unlocked for the call. */
static mode_t unlock_dir(struct facet_task *t, int dirfd)
{
	return t->session->vs->fr ? fakeroot_dir_unlock(t, dirfd) : FAKEROOT_UNCHANGED;
}

static void relock_dir(int dirfd, mode_t mode)
{
	if (mode != FAKEROOT_UNCHANGED)
		fakeroot_relock(dirfd, mode);
}

static int64_t do_create(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	const uint64_t *a = c->sc.args;
	int64_t r = may_create(t, n, view_landlock_make_access(pc->op == PC_MKDIR ? S_IFDIR : (mode_t)a[pc->a1]));
	if (r < 0)
		return r;
	mode_t old = umask(tracee_umask(t)), mode = (mode_t)a[pc->a1];
	bool fake = t->session->vs->fr != NULL;
	/* Fake root writes in a directory it made without the owner's bits
	 * (mkdir -m 500, install -d -m 555) as root does. */
	bool add_bits = pc->op == PC_MKDIR && fake && fakeroot_dir_needs_bits(t, mode & ~tracee_umask(t));
	mode_t dir = unlock_dir(t, n->r.fd);
	if (pc->op == PC_MKDIR)
		r = mkdirat(n->r.fd, n->r.name, add_bits ? mode | S_IRWXU : mode) < 0 ? -errno : 0;
	else if (fake && (S_ISCHR(mode) || S_ISBLK(mode)))
		r = fakeroot_mknod(t, n->r.fd, n->r.name, mode, (dev_t)(uint32_t)a[pc->a2]); /* the kernel's u32 */
	else
		r = mknodat(n->r.fd, n->r.name, mode, (dev_t)(uint32_t)a[pc->a2]) < 0 ? -errno : 0;
	umask(old);
	relock_dir(n->r.fd, dir);
	if (r == 0 && add_bits)
		fakeroot_made_dir(t, n->r.fd, n->r.name, mode & ~tracee_umask(t));
	if (r == 0 && fake)
		fakeroot_created(t, n->r.fd, n->r.name, fakeroot_new_gid(t, n->r.fd));
	return r;
}

static int64_t do_unlink(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	int flags = pc->op == PC_RMDIR ? AT_REMOVEDIR : pc->flags >= 0 ? (int)c->sc.args[pc->flags] : 0;
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	int64_t r = may_remove(t, n, (flags & AT_REMOVEDIR) ? LANDLOCK_ACCESS_FS_REMOVE_DIR
							   : LANDLOCK_ACCESS_FS_REMOVE_FILE);
	if (r < 0)
		return r;
	struct fake_gone gone = { 0 };
	if (t->session->vs->fr)
		fakeroot_removing(t, n->r.fd, n->r.name, &gone);
	mode_t dir = unlock_dir(t, n->r.fd);
	r = unlinkat(n->r.fd, n->r.name, flags) < 0 ? -errno : 0;
	relock_dir(n->r.fd, dir);
	if (r < 0)
		return r;
	if (t->session->vs->fr)
		fakeroot_removed(t, &gone);
	return 0;
}

static int64_t do_symlink(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	char target[PATH_MAX];
	ssize_t len = facet_mem_read_string(t, c->sc.args[pc->a1], target, sizeof(target));
	if (len < 0)
		return len;
	if (len == 0)
		return -ENOENT;
	int64_t r = may_create(t, n, LANDLOCK_ACCESS_FS_MAKE_SYM);
	if (r < 0)
		return r;
	mode_t dir = unlock_dir(t, n->r.fd);
	r = symlinkat(target, n->r.fd, n->r.name) < 0 ? -errno : 0;
	relock_dir(n->r.fd, dir);
	if (r < 0)
		return r;
	if (t->session->vs->fr)
		fakeroot_created(t, n->r.fd, n->r.name, fakeroot_new_gid(t, n->r.fd));
	return 0;
}

/* rename and link: two names, which must be in one mount. */
static int64_t two_names(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	const uint64_t *a = c->sc.args;
	int flags = pc->flags >= 0 ? (int)a[pc->flags] : 0;
	unsigned v1 = VFS_PARENT;
	if (pc->op == PC_LINK) {
		if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
		if (flags & AT_SYMLINK_FOLLOW)
			v1 = VFS_FOLLOW;
		if (flags & AT_EMPTY_PATH)
			v1 |= VFS_EMPTY_PATH;
	}
	struct pc_name old, new;
	int64_t r = pc_resolve(t, c, pc->dirfd, pc->path, v1, &old);
	if (r < 0)
		return r;
	r = pc_resolve(t, c, pc->dirfd2, pc->path2, VFS_PARENT, &new);
	if (r < 0) {
		pc_name_release(&old);
		return r;
	}
	bool by_object = !(v1 & VFS_PARENT) || old.empty;
	if (pc_mount(t, &old) != pc_mount(t, &new))
		r = -EXDEV;
	else if (pc->op == PC_RENAME)
		r = (is_dots(old.r.name) || is_dots(new.r.name)) ? 0
		    : (old.r.mount_point || new.r.mount_point) ? -EBUSY
		    : view_read_only(t, &old) ? -EROFS
		    : view_confined(t, &new, LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REFER);
	else
		r = may_create(t, &new, LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REFER);
	/* The new name's directory, then the old one's if it is another. */
	mode_t new_dir = r == 0 ? unlock_dir(t, new.r.fd) : FAKEROOT_UNCHANGED;
	mode_t old_dir = r == 0 && pc->op == PC_RENAME ? unlock_dir(t, old.r.fd) : FAKEROOT_UNCHANGED;
	if (r == 0 && pc->op == PC_RENAME) {
		/* A file renamed over loses that name: perhaps its last link. */
		struct fake_gone gone = { 0 };
		if (t->session->vs->fr && !(flags & RENAME_EXCHANGE)) {
			fakeroot_removing(t, new.r.fd, new.r.name, &gone);
			/* A rename onto another name of the same file removes nothing. */
			struct fake_gone self;
			fakeroot_removing(t, old.r.fd, old.r.name, &self);
			if (self.known && gone.known && self.dev == gone.dev && self.ino == gone.ino)
				gone.known = false;
		}
		r = syscall(SYS_renameat2, old.r.fd, old.r.name, new.r.fd, new.r.name, (unsigned)flags) < 0 ? -errno : 0;
		if (r == 0 && gone.known)
			fakeroot_removed(t, &gone);
	}
	else if (r == 0 && by_object) {
		/* Also AT_EMPTY_PATH: the kernel allows it to the file's opener,
		 * and the tracee's fd may be one the supervisor opened for it. */
		char magic[40];
		view_magic(magic, sizeof(magic), old.r.fd);
		r = linkat(AT_FDCWD, magic, new.r.fd, new.r.name, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
	} else if (r == 0) {
		r = old.r.mount_point ? -EPERM /* a directory mount point */
		    : linkat(old.r.fd, old.r.name, new.r.fd, new.r.name, 0) < 0 ? -errno : 0;
	}
	relock_dir(old.r.fd, old_dir);
	relock_dir(new.r.fd, new_dir);
	pc_name_release(&old);
	pc_name_release(&new);
	return r;
}

/* The times of utime (struct utimbuf), utimes/futimesat (timeval[2]) and
 * utimensat (timespec[2]) as timespecs; *none when NULL (now). */
static int64_t read_times(struct facet_task *t, const struct path_call *pc, uint64_t addr, struct timespec ts[2],
			  bool *none)
{
	*none = addr == 0;
	if (*none)
		return 0;
	if (pc->op == PC_UTIME) {
		struct utimbuf u;
		if (facet_mem_read(t, addr, &u, sizeof(u)) != sizeof(u))
			return -EFAULT;
		ts[0] = (struct timespec){ u.actime, 0 };
		ts[1] = (struct timespec){ u.modtime, 0 };
	} else if (pc->op == PC_UTIMES) {
		struct timeval tv[2];
		if (facet_mem_read(t, addr, tv, sizeof(tv)) != sizeof(tv))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			ts[i] = (struct timespec){ tv[i].tv_sec, tv[i].tv_usec * 1000 };
		}
	} else if (facet_mem_read(t, addr, ts, 2 * sizeof(ts[0])) != 2 * (ssize_t)sizeof(ts[0])) {
		return -EFAULT;
	}
	return 0;
}

/* The call acts on its fd: one without a name (fchown, fchmod) or with
 * a NULL one. */
static bool on_the_fd(const struct path_call *pc, const uint64_t *a)
{
	return pc->dirfd >= 0 && (pc->path < 0 || a[pc->path] == 0);
}

/* chmod, chown, truncate, the utime family: on the object. */
static int64_t on_object(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	const uint64_t *a = c->sc.args;
	unsigned vflags = pc_vfs_flags(pc, c);
	int flags = pc->flags >= 0 ? (int)a[pc->flags] : 0;
	struct timespec ts[2];
	bool now = false;
	int64_t r = 0;
	if (pc->op == PC_UTIME || pc->op == PC_UTIMES || pc->op == PC_UTIMENSAT) {
		if ((r = read_times(t, pc, a[pc->a1], ts, &now)) < 0)
			return r;
		bool fd_itself = on_the_fd(pc, a) && (int)a[pc->dirfd] != AT_FDCWD;
		/* The kernel's checks, in its order: utimensat on the fd
		 * itself takes no flags, on a name these two. */
		if (fd_itself ? flags != 0 : (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0)
			return -EINVAL;
		if (on_the_fd(pc, a)) {
			/* utimensat/futimesat(fd, NULL, ...): the fd itself */
			if (!fd_itself)
				return -EFAULT;
			vflags |= VFS_EMPTY_PATH;
		}
	}
	struct pc_name n;
	if ((r = pc_resolve(t, c, pc->dirfd, pc->path, vflags, &n)) < 0)
		return r;
	/* On the fd itself the kernel takes no O_PATH fd (a name's lookup
	 * from one, with AT_EMPTY_PATH, it does). */
	int fl;
	if (on_the_fd(pc, a) && (fl = fcntl(n.r.fd, F_GETFL)) >= 0 && (fl & O_PATH)) {
		pc_name_release(&n);
		return -EBADF;
	}
	char magic[40];
	view_magic(magic, sizeof(magic), n.r.fd);
	struct stat st;
	struct fakeroot *fr = t->session->vs->fr;
	/* Fake root's chown reads the file itself, with its birth time. */
	if (!(pc->op == PC_CHOWN && fr) && fstat(n.r.fd, &st) < 0) {
		r = -errno;
	} else if (pc->op == PC_TRUNCATE && (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode))) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	} else if (pc->op == PC_CHMOD && S_ISLNK(st.st_mode)) {
		r = -EOPNOTSUPP; /* fchmodat2(AT_SYMLINK_NOFOLLOW) on a symlink */
	} else if (view_read_only(t, &n)) {
		r = -EROFS;
	} else if (pc->op == PC_TRUNCATE && (r = view_confined(t, &n, LANDLOCK_ACCESS_FS_TRUNCATE)) < 0) {
		/* Landlock checks truncate(2); chmod, chown and utime it does not */
	} else {
		switch (pc->op) {
		case PC_CHMOD:
			if (fr) {
				r = fakeroot_chmod(t, n.r.fd, (mode_t)a[pc->a1]);
				goto done;
			}
			r = fchmodat(AT_FDCWD, magic, (mode_t)a[pc->a1], 0);
			break;
		case PC_CHOWN:
			if (fr) {
				r = fakeroot_chown(t, n.r.fd, (uid_t)a[pc->a1], (gid_t)a[pc->a2]);
				goto done;
			}
			r = fchownat(n.r.fd, "", (uid_t)a[pc->a1], (gid_t)a[pc->a2], AT_EMPTY_PATH);
			break;
		case PC_TRUNCATE: r = truncate(magic, (off_t)a[pc->a1]); break;
		default:
			/* A symlink itself: by its fd (utimensat takes AT_EMPTY_PATH). */
			r = S_ISLNK(st.st_mode) ? utimensat(n.r.fd, "", now ? NULL : ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)
						: utimensat(AT_FDCWD, magic, now ? NULL : ts, 0);
		}
		r = r < 0 ? -errno : 0;
	}
done:
	pc_name_release(&n);
	return r;
}

/* inotify_add_watch and fanotify_mark: the watch goes on the tracee's own
 * instance (a copy of its fd), on the object the view names. */
static int64_t watch(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	const uint64_t *a = c->sc.args;
	unsigned vflags = pc_vfs_flags(pc, c);
	if (pc->op == PC_FANOTIFY && a[pc->path] == 0)
		vflags |= VFS_EMPTY_PATH;
	_cleanup_close_ int fd = view_tracee_fd(t, (int)a[pc->a1]);
	if (fd < 0)
		return fd;
	struct pc_name n;
	int64_t r = pc_resolve(t, c, pc->dirfd, pc->path, vflags, &n);
	if (r < 0)
		return r;
	char magic[40];
	view_magic(magic, sizeof(magic), n.r.fd);
	if (pc->op == PC_INOTIFY)
		r = inotify_add_watch(fd, magic, (uint32_t)a[pc->flags] & ~(uint32_t)IN_DONT_FOLLOW);
	else
		r = fanotify_mark(fd, (unsigned)a[pc->flags] & ~(unsigned)FAN_MARK_DONT_FOLLOW, a[pc->a2], AT_FDCWD,
				  magic);
	r = r < 0 ? -errno : r;
	pc_name_release(&n);
	return r;
}

int64_t view_modify(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	if (pc->op == PC_RENAME || pc->op == PC_LINK)
		return two_names(t, c, pc);
	if (pc->op == PC_CHMOD || pc->op == PC_CHOWN || pc->op == PC_TRUNCATE || pc->op == PC_UTIME ||
	    pc->op == PC_UTIMES || pc->op == PC_UTIMENSAT)
		return on_object(t, c, pc);
	if (pc->op == PC_INOTIFY || pc->op == PC_FANOTIFY)
		return watch(t, c, pc);
	struct pc_name n;
	bool second = pc->op == PC_SYMLINK;
	int64_t r = pc_resolve(t, c, second ? pc->dirfd2 : pc->dirfd, second ? pc->path2 : pc->path,
			       pc_vfs_flags(pc, c), &n);
	if (r < 0)
		return r;
	switch (pc->op) {
	case PC_MKDIR: case PC_MKNOD: r = do_create(t, c, pc, &n); break;
	case PC_SYMLINK: r = do_symlink(t, c, pc, &n); break;
	default: r = do_unlink(t, c, pc, &n); break;
	}
	pc_name_release(&n);
	return r;
}
