/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Path calls the supervisor performs in the tracee's name, on the objects
 * the resolver found: the stat, access, readlink and xattr families,
 * statfs, getcwd, the virtual chroot, and the calls the view only watches
 * (umask, unshare) or refuses. The calls that change the file system are
 * in exec_modify.c, open in open.c, the ones the tracee must make itself
 * in tracee_calls.c; view_call() below sends each call to its handler.
 *
 * An object found by the resolver is named to the kernel either by its
 * O_PATH fd with AT_EMPTY_PATH, or as /proc/self/fd/N, a magic link that
 * leads to exactly that object: never by a host path that could be
 * resolved again differently.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/exec.h"
#include "util/cleanup.h"

#define XATTR_MAX 65536

int64_t view_write_out(struct facet_task *t, uint64_t addr, const void *data, size_t len, int64_t ok)
{
	return facet_mem_write(t, addr, data, len) < 0 ? -EFAULT : ok;
}

void view_magic(char *buf, size_t size, int fd)
{
	view_magic_name(buf, size, fd);
}

/* A directory of the view with mount points the host directory lacks
 * counts them among its links, as the kernel counts real subdirectories. */
unsigned view_extra_links(const struct view_state *vs, dev_t dev, ino_t ino)
{
	unsigned links = 0;
	for (unsigned a = 0; a < vs->naugment; a++)
		if (vs->augment[a].dev == dev && vs->augment[a].ino == ino)
			for (unsigned i = 0; i < vs->augment[a].count; i++)
				links += vs->extra[vs->augment[a].first + i].d_type == DT_DIR;
	return links;
}

static void adjust_nlink(struct facet_task *t, struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		st->st_nlink += view_extra_links(t->session->vs, st->st_dev, st->st_ino);
}

/* The stat family's answer as the tree sees it: links of mount points
 * counted, fake root's record applied. */
static void adjust_stat(struct facet_task *t, struct stat *st, int fd, const char *name)
{
	adjust_nlink(t, st);
	if (t->session->vs->fr)
		fakeroot_stat(t, st, fd, name);
}

static int64_t do_stat(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	struct stat st;
	if (fstatat(n->r.fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	adjust_stat(t, &st, n->r.fd, "");
	return view_write_out(t, c->sc.args[pc->a1], &st, sizeof(st), 0);
}

/* statx's buffer written into the tracee, its links counted as stat's. */
static int64_t write_statx(struct facet_task *t, const struct call *c, const struct path_call *pc,
				struct statx *stx)
{
	if (S_ISDIR(stx->stx_mode)) {
		struct stat st = { .st_mode = stx->stx_mode, .st_nlink = stx->stx_nlink,
				   .st_dev = makedev(stx->stx_dev_major, stx->stx_dev_minor), .st_ino = stx->stx_ino };
		adjust_nlink(t, &st);
		stx->stx_nlink = (uint32_t)st.st_nlink;
	}
	if (t->session->vs->fr)
		fakeroot_statx(t, stx);
	return view_write_out(t, c->sc.args[pc->a2], stx, sizeof(*stx), 0);
}

/* The fields statx is asked for: with fake root, the birth time too,
 * which tells a record from a stale one. */
static unsigned statx_mask(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	unsigned mask = (unsigned)c->sc.args[pc->a1];
	return t->session->vs->fr ? mask | STATX_BTIME : mask;
}

static int64_t do_statx(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	struct statx stx;
	int flags = (int)c->sc.args[pc->flags] & AT_STATX_SYNC_TYPE;
	if (syscall(SYS_statx, n->r.fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | flags,
		    statx_mask(t, c, pc), &stx) < 0)
		return -errno;
	return write_statx(t, c, pc, &stx);
}

bool view_read_only(struct facet_task *t, struct pc_name *n)
{
	/* A view with no such mount (facet -0, writable binds) need not
	 * find the name's: for an fd, that reads the runtime's mark and the
	 * fd's host path at each fchown and fchmod of fake root. */
	const struct vfs_table *tb = view_vfs(t)->table;
	bool any = false;
	for (uint32_t i = 0; i < tb->nmounts && !any; i++)
		any = tb->mounts[i].flags & (VFS_MOUNT_RO | VFS_MOUNT_SYNTHETIC);
	return any && (pc_mount_flags(t, n) & (VFS_MOUNT_RO | VFS_MOUNT_SYNTHETIC));
}

static int64_t do_access(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	int mode = (int)c->sc.args[pc->a1];
	int flags = pc->flags >= 0 ? (int)c->sc.args[pc->flags] : 0;
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	struct stat st;
	if ((mode & W_OK) && view_read_only(t, n) && fstat(n->r.fd, &st) == 0 &&
	    (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)))
		return -EROFS;
	char magic[40];
	view_magic(magic, sizeof(magic), n->r.fd);
	/* Without AT_EACCESS the kernel checks the caller's real ids: those of
	 * a task with its own credentials are put on, and checked as such. */
	if (!(flags & AT_EACCESS) && creds_assume(t, true) > 0) {
		long r = syscall(SYS_faccessat2, AT_FDCWD, magic, mode, AT_EACCESS);
		int err = errno;
		int back = creds_assume(t, false);
		return back < 0 ? back : r < 0 ? -err : 0;
	}
	return syscall(SYS_faccessat2, AT_FDCWD, magic, mode, flags & AT_EACCESS) < 0 ? -errno : 0;
}

/* The guest directory and name of a resolved object, for /proc links. */
static bool split_guest(const struct pc_name *n, char *dir, const char **name)
{
	if (!n->r.guest_known || n->r.guest_len <= 1)
		return false;
	size_t d = vfs_dirname_len(n->guest, n->r.guest_len);
	memcpy(dir, n->guest, d);
	dir[d] = '\0';
	*name = n->guest + (d == 1 ? 1 : d + 1);
	return true;
}

static int64_t do_readlink(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	int64_t size = (int)c->sc.args[pc->a2];
	char target[PATH_MAX + 1], dir[VFS_PATH_MAX];
	const char *name;
	struct stat st;
	if (fstat(n->r.fd, &st) < 0)
		return -errno;
	if (!S_ISLNK(st.st_mode))
		return -EINVAL;
	long len = -EINVAL;
	if ((pc_mount_flags(t, n) & VFS_MOUNT_PROC) && split_guest(n, dir, &name))
		len = view_proc_readlink(t, dir, strlen(dir), name, target, sizeof(target));
	if (len == -EINVAL) {
		len = readlinkat(n->r.fd, "", target, sizeof(target));
		if (len < 0)
			return -errno;
	}
	if (len < 0)
		return len;
	if (len > size)
		len = size;
	return view_write_out(t, c->sc.args[pc->a1], target, (size_t)len, len);
}

static int64_t do_statfs(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	struct statfs sf;
	if (fstatfs(n->r.fd, &sf) < 0)
		return -errno;
	if (view_read_only(t, n))
		sf.f_flags |= ST_RDONLY;
	return view_write_out(t, c->sc.args[pc->a1], &sf, sizeof(sf), 0);
}

static int64_t read_xattr_name(struct facet_task *t, uint64_t addr, char *name, size_t size)
{
	ssize_t n = facet_mem_read_string(t, addr, name, size);
	if (n == -ENAMETOOLONG)
		return -ERANGE;
	if (n == 0)
		return -ERANGE;
	return n < 0 ? n : 0;
}

#define KERNEL_ANSWERS INT64_MIN

/* Under fake root: the names only root may set, as recorded (xattrs.c);
 * KERNEL_ANSWERS for a name not recorded. */
static int64_t fake_xattr(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n,
			  const char *name, char *buf, size_t size)
{
	const uint64_t *a = c->sc.args;
	struct owner_view file;
	int64_t r = fakeroot_file_of(n->r.fd, &file);
	if (r < 0)
		return r;
	switch (pc->op) {
	case PC_GETXATTR:
		r = fakeroot_xattr_get(&file, name, buf, size);
		if (r == -ENODATA)
			return KERNEL_ANSWERS;
		return r > 0 && size ? view_write_out(t, a[pc->a2], buf, (size_t)r, r) : r;
	case PC_SETXATTR:
		if ((r = fakeroot_xattr_may_change(t, name)) < 0)
			return r;
		if (size && facet_mem_read(t, a[pc->a2], buf, size) != (ssize_t)size)
			return -EFAULT;
		fakeroot_table_xattrs(t->session->vs->fr); /* before: a removal meanwhile is the supervisor's */
		return fakeroot_xattr_set(&file, name, buf, size, (int)a[pc->flags]);
	case PC_REMOVEXATTR:
		if ((r = fakeroot_xattr_may_change(t, name)) < 0)
			return r;
		r = fakeroot_xattr_remove(&file, name);
		return r == -ENODATA ? KERNEL_ANSWERS : r;
	default: { /* PC_LISTXATTR: the kernel's names, then the recorded ones */
		char magic[40];
		view_magic(magic, sizeof(magic), n->r.fd);
		ssize_t got = listxattr(magic, buf, size);
		if (got < 0 && errno != ENOTSUP)
			return -errno;
		r = fakeroot_xattr_list(&file, buf, size, got < 0 ? 0 : (size_t)got);
		return r > 0 && size ? view_write_out(t, a[pc->a1], buf, (size_t)r, r) : r;
	}
	}
}

static int64_t do_xattr(struct facet_task *t, const struct call *c, const struct path_call *pc, struct pc_name *n)
{
	char magic[40], name[256];
	view_magic(magic, sizeof(magic), n->r.fd);
	const uint64_t *a = c->sc.args;
	int64_t r;
	if (pc->op != PC_LISTXATTR && (r = read_xattr_name(t, a[pc->a1], name, sizeof(name))) < 0)
		return r;
	if ((pc->bits & PCB_W) && view_read_only(t, n))
		return -EROFS;
	size_t size = pc->op == PC_LISTXATTR ? (size_t)a[pc->a2] : pc->a3 >= 0 ? (size_t)a[pc->a3] : 0;
	if (size > XATTR_MAX && pc->op == PC_SETXATTR)
		return -E2BIG; /* a value the kernel would not take */
	if (size > XATTR_MAX)
		size = XATTR_MAX;
	_cleanup_free_ char *buf = size ? malloc(size) : NULL;
	if (size && !buf)
		return -ENOMEM;
	if (t->session->vs->fr && (pc->op == PC_LISTXATTR || fakeroot_xattr_recorded(name))) {
		r = fake_xattr(t, c, pc, n, name, buf, size);
		if (r != KERNEL_ANSWERS)
			return r;
	}
	ssize_t got;
	switch (pc->op) {
	case PC_GETXATTR:
		got = getxattr(magic, name, buf, size);
		if (got < 0)
			return -errno;
		return size ? view_write_out(t, a[pc->a2], buf, (size_t)got, got) : got;
	case PC_LISTXATTR:
		got = listxattr(magic, buf, size);
		if (got < 0)
			return -errno;
		return size ? view_write_out(t, a[pc->a1], buf, (size_t)got, got) : got;
	case PC_SETXATTR:
		if (size && facet_mem_read(t, a[pc->a2], buf, size) != (ssize_t)size)
			return -EFAULT;
		return setxattr(magic, name, buf, size, (int)a[pc->flags]) < 0 ? -errno : 0;
	default: /* PC_REMOVEXATTR */
		return removexattr(magic, name) < 0 ? -errno : 0;
	}
}

/* getcwd as the kernel answers it: relative to the process's root, with
 * "(unreachable)" before a cwd outside it, ENOENT once it was removed. */
static int64_t do_getcwd(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	struct view_fs *fs = view_fs_of(t);
	char buf[VFS_PATH_MAX + 16];
	struct stat st;
	if (fstat(fs->cwd_fd, &st) == 0 && st.st_nlink == 0)
		return -ENOENT;
	view_fs_cwd(t->session->vs->table, fs, buf, sizeof(buf), false); /* renamed meanwhile? */
	const char *p = fs->cwd;
	if (fs->root_len > 1) {
		if (vfs_path_within(fs->cwd, fs->cwd_len, fs->root, fs->root_len))
			p = fs->cwd_len == fs->root_len ? "/" : fs->cwd + fs->root_len;
		else
			p = NULL;
	}
	int len = p ? snprintf(buf, sizeof(buf), "%s", p) : snprintf(buf, sizeof(buf), "(unreachable)%s", fs->cwd);
	view_rt_cwd_note(t); /* the runtime's names were cleared, or the cwd renamed */
	uint64_t size = c->sc.args[pc->a2];
	if ((uint64_t)len + 1 > size)
		return -ERANGE;
	return view_write_out(t, c->sc.args[pc->a1], buf, (size_t)len + 1, len + 1);
}

/* chroot inside the view needs no privilege: it only changes where this
 * process's "/" is. */
static int64_t do_chroot(struct facet_task *t, struct pc_name *n)
{
	struct stat st;
	if (fstat(n->r.fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	char magic[40];
	view_magic(magic, sizeof(magic), n->r.fd);
	if (faccessat(AT_FDCWD, magic, X_OK, AT_EACCESS) < 0) /* as the kernel's chroot checks */
		return -errno;
	if (!n->r.guest_known)
		return -EACCES;
	struct view_fs *fs = view_fs_of(t);
	int fd = pc_name_take_fd(n);
	if (fd < 0)
		return fd;
	char *root = strdup(n->guest);
	if (!root) {
		close(fd);
		return -ENOMEM;
	}
	free(fs->root);
	fs->root = root;
	fs->root_len = n->r.guest_len;
	if (fs->root_fd >= 0)
		close(fs->root_fd);
	fs->root_fd = fd;
	view_rt_root_changed(t->session, fs);
	return 0;
}

/* stat and statx look the last component up themselves, in the directory
 * the resolver found: the same answer as on the object the whole path
 * leads to, one open fewer. A name the call cannot look up as the view
 * would (a mount point, "." and "..", a trailing slash, a symlink to
 * follow) takes the whole resolution: returns 1 then. */
static int64_t stat_in_parent(struct facet_task *t, const struct call *c, const struct path_call *pc,
			      unsigned vflags)
{
	struct pc_name n;
	int64_t r = pc_resolve(t, c, pc->dirfd, pc->path, (vflags & ~(unsigned)VFS_FOLLOW) | VFS_PARENT, &n);
	if (r < 0)
		return r;
	const char *name = n.r.name;
	if (n.empty) { /* the fd itself */
		r = pc->op == PC_STAT ? do_stat(t, c, pc, &n) : do_statx(t, c, pc, &n);
		pc_name_release(&n);
		return r;
	}
	if (n.r.mount_point || !name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		pc_name_release(&n);
		return 1;
	}
	bool link;
	if (pc->op == PC_STAT) {
		struct stat st;
		r = fstatat(n.r.fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
		link = r == 0 && S_ISLNK(st.st_mode);
		if (r == 0 && !(link && (vflags & VFS_FOLLOW))) {
			adjust_stat(t, &st, n.r.fd, name);
			r = view_write_out(t, c->sc.args[pc->a1], &st, sizeof(st), 0);
		}
	} else {
		struct statx stx;
		int sync = (int)c->sc.args[pc->flags] & AT_STATX_SYNC_TYPE;
		r = syscall(SYS_statx, n.r.fd, name, AT_SYMLINK_NOFOLLOW | sync, statx_mask(t, c, pc), &stx) < 0
			    ? -errno : 0;
		link = r == 0 && S_ISLNK(stx.stx_mode);
		if (r == 0 && !(link && (vflags & VFS_FOLLOW)))
			r = write_statx(t, c, pc, &stx);
	}
	pc_name_release(&n);
	/* A directory fake root searches as root does: the whole
	 * resolution's walk looks the name up (vfs_ops.c). */
	if (r == -EACCES && t->session->vs->fr && fakeroot_searches(t))
		return 1;
	return r == 0 && link && (vflags & VFS_FOLLOW) ? 1 : r;
}

/* Calls on one name that need nothing but the object. */
static int64_t one_name(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	struct pc_name n;
	unsigned vflags = pc_vfs_flags(pc, c);
	if (pc->op == PC_STAT || pc->op == PC_STATX) {
		int64_t r = stat_in_parent(t, c, pc, vflags);
		if (r != 1)
			return r;
	}
	if (pc->op == PC_READLINK || pc->op == PC_CHROOT)
		vflags |= VFS_WANT_GUEST;
	if (pc->op == PC_READLINK && pc->dirfd >= 0)
		vflags |= VFS_EMPTY_PATH; /* readlinkat(fd, "") reads the link fd is */
	int64_t r = pc_resolve(t, c, pc->dirfd, pc->path, vflags, &n);
	if (r < 0)
		return r;
	switch (pc->op) {
	case PC_STAT: r = do_stat(t, c, pc, &n); break;
	case PC_STATX: r = do_statx(t, c, pc, &n); break;
	case PC_ACCESS: r = do_access(t, c, pc, &n); break;
	case PC_READLINK: r = do_readlink(t, c, pc, &n); break;
	case PC_STATFS: r = do_statfs(t, c, pc, &n); break;
	case PC_CHROOT: r = do_chroot(t, &n); break;
	default: r = do_xattr(t, c, pc, &n); break;
	}
	pc_name_release(&n);
	return r;
}

static void value(struct emu_result *res, int64_t v)
{
	res->kind = EMU_VALUE;
	res->value = v;
}

/* A call on an fd (fake root's rows with F) takes an open file: not
 * AT_FDCWD, and, but for fstat, not an O_PATH fd. */
static int64_t fd_call_ok(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	int fd = (int)c->sc.args[pc->dirfd];
	if (fd < 0)
		return -EBADF;
	/* fstat takes O_PATH fds; fchown and fchmod check the fd they are
	 * given themselves (exec_modify.c, on_object). */
	if (pc->op == PC_STAT || pc->op == PC_CHOWN || pc->op == PC_CHMOD)
		return 0;
	int copy = view_tracee_fd(t, fd);
	if (copy < 0)
		return copy;
	int fl = fcntl(copy, F_GETFL);
	close(copy);
	return fl >= 0 && (fl & O_PATH) ? -EBADF : 0;
}

static void perform(struct facet_task *t, const struct call *c, enum call_route route, struct emu_result *res)
{
	const struct path_call *pc = path_call_of(c->sc.nr);
	uint64_t arg0 = c->sc.args[0];
	int64_t bad = (pc->bits & PCB_F) ? fd_call_ok(t, c, pc) : 0;
	if (bad < 0)
		return value(res, bad);
	switch (pc->op) {
	case PC_STAT: case PC_STATX: case PC_ACCESS: case PC_READLINK: case PC_STATFS: case PC_CHROOT:
	case PC_GETXATTR: case PC_SETXATTR: case PC_LISTXATTR: case PC_REMOVEXATTR:
		return value(res, one_name(t, c, pc));
	case PC_MKDIR: case PC_MKNOD: case PC_UNLINK: case PC_RMDIR: case PC_RENAME: case PC_LINK:
	case PC_SYMLINK: case PC_CHMOD: case PC_CHOWN: case PC_TRUNCATE: case PC_UTIME: case PC_UTIMES:
	case PC_UTIMENSAT: case PC_INOTIFY: case PC_FANOTIFY:
		return value(res, view_modify(t, c, pc));
	case PC_OPEN:
		return view_open(t, c, pc, route, res);
	case PC_CHDIR: case PC_FCHDIR: case PC_SOCKADDR: case PC_EXEC: case PC_SOCKNAME: case PC_SENDMSG:
		return view_tracee_call(t, c, pc, route, res);
	case PC_GETCWD:
		return value(res, do_getcwd(t, c, pc));
	case PC_UMASK:
		view_fs_of(t)->umask = (mode_t)(arg0 & 0777);
		res->kind = EMU_NATIVE;
		return;
	case PC_UNSHARE:
		if (arg0 & (CLONE_NEWNS | CLONE_NEWUSER))
			return value(res, -EPERM); /* a mount namespace the view cannot follow */
		if (arg0 & CLONE_FS)
			view_fs_unshare(t);
		res->kind = EMU_NATIVE;
		return;
	case PC_DENY:
		return value(res, -pc->a1);
	case PC_GETDENTS:
		return view_getdents(t, c, pc, res);
	case PC_IDS:
		return fakeroot_id_call(t, c, pc, res);
	}
}

/* The kernel checks the permissions of the task: the supervisor performs
 * the call with its credentials when they are not its own (creds.c). */
void view_call(struct facet_task *t, const struct call *c, enum call_route route, struct emu_result *res)
{
	memset(res, 0, sizeof(*res));
	res->fd = -1;
	res->target_fd = -1;
	int r = creds_assume(t, false);
	if (r < 0)
		return value(res, r);
	perform(t, c, route, res);
	creds_restore(t->session);
}
