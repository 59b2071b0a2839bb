/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runtime's writes (calls.c dispatches them): an open that writes or
 * creates, unlink, rmdir, mkdir, symlink, rename, link, utimensat, chmod,
 * and under fake root chown. The kernel makes them in the program, with
 * its umask and credentials, and the fd is the program's own from the
 * start (its close is the last, as inotify and locks expect), where the
 * view's answer is the kernel's: resolved as an absolute path (a relative
 * one from the cwd's name, rt_cwd), or below a directory fd whose host
 * path only writable mounts show (the cwd too, where every mount takes
 * writes: rt_write_below), so that the mount is known:
 * a read-only one leaves the call to the supervisor (EROFS; lookup.c).
 * Under fake root, only while the process is root and no record is
 * concerned (rt/fake.c), but for a chown, which the runtime records
 * itself (fake_chown).
 */
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/openat2.h>
#include <linux/stat.h>

#include "loader/lib.h"
#include "rt/calls.h"
#include "rt/fake.h"
#include "rt/fds.h"
#include "rt/lookup.h"
#include "rt/owners.h"
#include "rt/sys.h"
#include "vfs/vfs.h"

const char *rt_absolute(long dirfd, const char *path, char buf[VFS_PATH_MAX])
{
	if (path[0] == '/')
		return path;
	if ((int)dirfd != AT_FDCWD || !path[0]) /* the kernel takes an int */
		return 0;
	/* "./a/b" (tar -x in the cwd) is "a/b": a "." before another name
	 * changes nothing the kernel finds, and a "." in an absolute path
	 * takes the runtime's walk, a call a name, where a plain path is one
	 * openat2. */
	const char *rest = path;
	while (rest[0] == '.' && rest[1] == '/') {
		const char *next = rest + 2;
		while (*next == '/')
			next++;
		if (!*next)
			break;
		rest = next;
	}
	path = rest;
	long gl = rt_cwd_name(buf);
	size_t n = loader_strlen(path);
	if (gl < 0 || (size_t)gl + 1 + n >= VFS_PATH_MAX)
		return 0;
	size_t at = gl == 1 ? 1 : (size_t)gl + 1; /* "/" + name, or "/dir" + "/" + name */
	buf[at - 1] = '/';
	memcpy(buf + at, path, n + 1);
	return buf;
}

/* Under fake root, an open that writes is the kernel's where no record
 * is about the file: none at all, or none of a device node for one that
 * does not create (one that may create, with records, is
 * fake_create_call's). */
static bool fake_write_open(long flags)
{
	return rt_fake_writes() && (rt_fake_none() || (!(flags & O_CREAT) && !rt_fake_typed()));
}

static long name_dir(long dirfd, const char *path, char leaf[VFS_NAME_MAX + 1], bool *own, int *mount, bool exact);

/* fake_create_below() leaves the open to fake_create_call()'s way. */
#define RT_NOT_BELOW (RT_FORWARD - 30)

/* fake_create_call() of a path with a directory in it below the program's
 * directory fd (tar -C DIR -x opens "./a/b" from DIR's fd): where the
 * directory has no record that concerns the new file, openat2 of the
 * whole path beneath the fd, with no symlink on the way
 * (RESOLVE_NO_SYMLINKS: one there, or at the last name to follow, is the
 * supervisor's), so that the fd is the program's from the start: three
 * calls (the two directories' fstat, the open), where opening the
 * directory, moving its fd up, the open and the close take seven. */
static long fake_create_below(const struct call *c, const long a[6], int *mount)
{
	const char *path = (const char *)a[1];
	if (!rt_write_below(a[0], path, false))
		return RT_NOT_BELOW;
	size_t len = loader_strlen(path), name = len;
	while (name > 0 && path[name - 1] != '/')
		name--;
	size_t dl = name;
	while (dl > 0 && path[dl - 1] == '/')
		dl--;
	if (!dl || name == len || len >= VFS_PATH_MAX)
		return RT_NOT_BELOW;
	char dir[VFS_PATH_MAX];
	memcpy(dir, path, dl);
	dir[dl] = '\0';
	struct rt_stat st;
	if (rt_syscall(__NR_newfstatat, a[0], (long)dir, (long)&st, AT_SYMLINK_NOFOLLOW, 0, 0) < 0 ||
	    !S_ISDIR(st.mode) || !rt_fake_may_create_in(&st))
		return RT_NOT_BELOW;
	/* openat2 refuses a mode without O_CREAT or O_TMPFILE, which openat
	 * ignores. */
	uint64_t mode = (uint64_t)a[3] & 07777;
	return answer(c, __NR_openat, rt_open_to_write_below_as(a[0], path, (uint64_t)a[2], mode, RESOLVE_NO_SYMLINKS,
								 mount, false));
}

/* Under fake root with records, an open that may create: made in the
 * name's directory (name_dir) where that directory has no record (a
 * recorded set-group-ID one gives the new file its group), the name not
 * followed: a symlink to follow is the supervisor's. No record may be of
 * a device node, which an open of the name would reach. */
static long fake_create_call(const struct call *c, const long a[6], int *mount)
{
	char leaf[VFS_NAME_MAX + 1];
	bool own;
	long flags = a[2];
	if (rt_fake_typed() || !readable(a[1]))
		return RT_FORWARD;
	long r = fake_create_below(c, a, mount);
	if (r != RT_NOT_BELOW)
		return r;
	long fd = name_dir(a[0], (const char *)a[1], leaf, &own, mount, false);
	if (fd < 0)
		return fd;
	r = RT_FORWARD;
	if (rt_fake_may_create(fd)) {
		if (own)
			fd = rt_fd_high(fd); /* the program's fd is the lowest free */
		r = rt_syscall(__NR_openat, fd, (long)leaf, flags | O_NOFOLLOW, a[3] & 07777, 0, 0);
		r = r == -ELOOP && !(flags & O_NOFOLLOW) ? RT_FORWARD : answer(c, __NR_openat, r);
	}
	if (own)
		close_fd(fd);
	return r;
}

long rt_write_open_call(const struct call *c, const long a[6], int *mount)
{
	long flags = a[2];
	char buf[VFS_PATH_MAX];
	const char *path;
	if ((flags & ~WRITE_FLAGS) || (flags & O_ACCMODE) == O_ACCMODE)
		return RT_FORWARD;
	if (rt_fake() && !fake_write_open(flags))
		return rt_fake_writes() && (flags & O_CREAT) ? fake_create_call(c, a, mount) : RT_FORWARD;
	/* openat ignores the mode without O_CREAT, openat2 refuses it. */
	uint64_t mode = flags & O_CREAT ? (uint64_t)a[3] & 07777 : 0;
	if (rt_write_below(a[0], (const char *)a[1], false) || !(path = rt_absolute(a[0], (const char *)a[1], buf)))
		return answer(c, __NR_openat, rt_open_to_write_below(a[0], (const char *)a[1], (uint64_t)flags, mode, mount, false));
	return answer(c, __NR_openat, rt_open_to_write(path, (uint64_t)flags, mode, mount));
}

/* The directory a write of a path's last name acts in (unlink, rmdir,
 * mkdir, symlink, rename, link, utimensat), and that name, in leaf:
 * below the program's directory fd (the
 * fd itself for one name) where no mount point lies below it and only
 * writable mounts show it; else the directory of the absolute path (one
 * relative to the cwd, from its name), opened as a write's, where the
 * name is no name of a mount point's path (EBUSY, EEXIST, ENOTEMPTY:
 * the supervisor's). The fd (*own: the runtime's, to close; *mount: the
 * mount it lies in, -1 if not known; not `exact`: maybe only the fd's
 * mark, rt_write_mount_of_fd), -errno, or RT_FORWARD. */
static long name_dir(long dirfd, const char *path, char leaf[VFS_NAME_MAX + 1], bool *own, int *mount, bool exact)
{
	char buf[VFS_PATH_MAX];
	bool below = rt_write_below(dirfd, path, exact);
	const char *p = below ? path : rt_absolute(dirfd, path, buf);
	if ((rt_fake() && !rt_fake_writes()) || !p)
		return RT_FORWARD;
	/* The kernel's PATH_MAX (ENAMETOOLONG): the supervisor's answer. */
	size_t len = loader_strlen(p), name = len;
	if (len >= VFS_PATH_MAX)
		return RT_FORWARD;
	while (name > 0 && p[name - 1] != '/')
		name--;
	const char *last = p + name;
	size_t ll = len - name;
	if (!rt_one_name(last) || (last[0] == '.' && !last[1]) || ll > VFS_NAME_MAX)
		return RT_FORWARD;
	memcpy(leaf, last, ll + 1);
	*own = name > 0;
	if (below && !*own && (int)dirfd == AT_FDCWD) {
		/* The cwd has no fd to give the call: its own, "." below it. */
		*own = true;
		return rt_open_to_write_below(dirfd, ".", O_PATH, 0, mount, exact);
	}
	if (below && !*own) {
		long m = rt_write_mount_of_dir(dirfd, exact);
		if (m == RT_FORWARD)
			return RT_FORWARD;
		*mount = (int)m;
		return dirfd;
	}
	if (below) {
		/* "a/b": a, opened below the fd as "a/." (a name after it, as
		 * in the kernel's lookup of "b": fs.protected_symlinks checks
		 * a symlink only as a path's last name), which takes the same
		 * test. */
		memcpy(buf, p, name);
		buf[name] = '.';
		buf[name + 1] = '\0';
		return rt_open_to_write_below(dirfd, buf, O_PATH, 0, mount, exact);
	}
	if (rt_names_mount(last, true))
		return RT_FORWARD;
	/* The directory, in buf: "/a/b/" -> "/a/b" ("/" stays). Opened
	 * without O_DIRECTORY, which a symlink to follow would fail: a file
	 * there makes the call say ENOTDIR, as the kernel's lookup. */
	size_t dl = name;
	while (dl > 1 && p[dl - 1] == '/')
		dl--;
	if (p != buf)
		memcpy(buf, p, dl);
	buf[dl] = '\0';
	long fd = rt_open_to_write(buf, O_PATH, 0, mount);
	/* That open takes the directory's name for the path's last, which
	 * fs.protected_symlinks checks and the call's lookup does not: its
	 * EACCES is the supervisor's to judge. */
	if (fd == -EACCES && (rt_config.flags & RT_CONFIG_PROTECTED_SYMLINKS))
		return RT_FORWARD;
	return fd;
}

/* unlinkat(dirfd, path, 0 or AT_REMOVEDIR), unlink, rmdir, mkdirat,
 * mkdir, symlinkat and symlink (arg: the target), made on the last name
 * in its directory (name_dir). */
long rt_name_call(const struct call *c, long nr, long dirfd, const char *path, long arg)
{
	char leaf[VFS_NAME_MAX + 1];
	bool own;
	int mount = -1;
	if (nr == __NR_unlinkat && arg & ~(long)AT_REMOVEDIR)
		return RT_FORWARD;
	/* A directory without its owner's bits: fake root's is made with
	 * them and its mode recorded (core/fakeroot/files.c). */
	if (nr == __NR_mkdirat && rt_fake() && (arg & S_IRWXU) != S_IRWXU)
		return RT_FORWARD;
	long fd = name_dir(dirfd, path, leaf, &own, &mount, false);
	if (fd < 0)
		return fd;
	long r;
	struct owner_change gone;
	int removal = rt_fake() && nr == __NR_unlinkat ? rt_fake_removal(fd, leaf, &gone) : 0;
	if (removal < 0 || (rt_fake() && nr != __NR_unlinkat && !rt_fake_may_create(fd)))
		r = RT_FORWARD;
	else if (nr == __NR_symlinkat)
		r = rt_syscall(nr, arg, fd, (long)leaf, 0, 0, 0);
	else
		r = rt_syscall(nr, fd, (long)leaf, nr == __NR_mkdirat ? arg & 07777 : arg, 0, 0, 0);
	if (r == 0 && removal > 0)
		rt_fake_removed(&gone);
	if (own)
		close_fd(fd);
	/* EACCES under fake root: rt_call() forwards it. */
	return r == RT_FORWARD ? r : answer(c, nr, r);
}

/* renameat2, renameat and rename, and linkat and link of a name not
 * followed (nr: __NR_renameat2 or __NR_linkat): both names in their
 * directories (name_dir), which must lie in one known mount (else EXDEV,
 * or not, is the supervisor's answer); and the kernel's EXDEV too, which
 * Landlock gives a rename or link between directories where it cannot
 * tell the rights (ABI 1): the supervisor, outside Landlock, makes it. */
long rt_two_names_call(const struct call *c, long nr, long olddirfd, const char *oldpath, long newdirfd,
			   const char *newpath, long flags)
{
	char oleaf[VFS_NAME_MAX + 1], nleaf[VFS_NAME_MAX + 1];
	bool oown, nown;
	int om = -1, nm = -1;
	if (!readable((long)oldpath) || !readable((long)newpath) || (nr == __NR_linkat && flags))
		return RT_FORWARD;
	long ofd = name_dir(olddirfd, oldpath, oleaf, &oown, &om, true);
	if (ofd < 0)
		return ofd;
	long nfd = name_dir(newdirfd, newpath, nleaf, &nown, &nm, true);
	long r = nfd;
	if (nfd >= 0) {
		/* Under fake root, a rename may remove the file at the new name. */
		if (om < 0 || om != nm || (rt_fake() && nr == __NR_renameat2 && !rt_fake_may_remove(nfd, nleaf)))
			r = RT_FORWARD;
		else
			r = rt_syscall(nr, ofd, (long)oleaf, nfd, (long)nleaf, flags, 0);
		if (nown)
			close_fd(nfd);
	}
	if (oown)
		close_fd(ofd);
	/* EXDEV: across mounts (EACCES under fake root: rt_call). */
	return r == -EXDEV ? RT_FORWARD : answer(c, nr, r);
}

/* utimensat: on the fd itself (futimens: no name; or "" with
 * AT_EMPTY_PATH), the kernel's answer where every mount holding the fd's
 * host path is writable; on a name, in its directory (name_dir), not
 * following it: a symlink to follow is the supervisor's (the kernel would
 * follow it out of the view), and one put there meanwhile gets the times
 * itself. Else EROFS, and the rest, are the supervisor's. */
long rt_times_call(const struct call *c, const long a[6])
{
	const char *path = (const char *)a[1];
	if ((rt_fake() && !rt_fake_writes()) || (a[3] & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		return RT_FORWARD;
	if (!path || ((a[3] & AT_EMPTY_PATH) && readable(a[1]) && !path[0]))
		return (int)a[0] < 0 || rt_write_mount_of_fd(a[0], false) == RT_FORWARD
			       ? RT_FORWARD
			       : answer(c, __NR_utimensat, rt_syscall(__NR_utimensat, a[0], a[1], a[2], a[3], 0, 0));
	char leaf[VFS_NAME_MAX + 1];
	bool own;
	int mount = -1;
	if (!readable(a[1]))
		return RT_FORWARD;
	long fd = name_dir(a[0], path, leaf, &own, &mount, false);
	if (fd < 0)
		return fd;
	struct rt_stat st;
	long r = rt_syscall(__NR_newfstatat, fd, (long)leaf, (long)&st, AT_SYMLINK_NOFOLLOW, 0, 0);
	if (r == 0 && S_ISLNK(st.mode) && !(a[3] & AT_SYMLINK_NOFOLLOW))
		r = RT_FORWARD;
	else if (r == 0)
		r = answer(c, __NR_utimensat,
			   rt_syscall(__NR_utimensat, fd, (long)leaf, a[2], (a[3] & ~(long)AT_EMPTY_PATH) | AT_SYMLINK_NOFOLLOW, 0, 0));
	if (own)
		close_fd(fd);
	return r;
}

/* chmod, fchmodat and fchmodat2 of a name: in its directory (name_dir),
 * with fchmodat2's AT_SYMLINK_NOFOLLOW whatever the call asked, so that
 * the kernel never follows the name out of the view: on a symlink that
 * answers EOPNOTSUPP, the call's own answer if it asked not to follow,
 * else the supervisor follows it. A kernel without fchmodat2 (ENOSYS),
 * the fd itself (AT_EMPTY_PATH) and EPERM (answer()) are the
 * supervisor's too. */
long rt_chmod_call(const struct call *c, long dirfd, const char *path, long mode, long flags)
{
	char leaf[VFS_NAME_MAX + 1];
	bool own;
	int mount = -1;
	if ((flags & ~(long)AT_SYMLINK_NOFOLLOW) || !readable((long)path))
		return RT_FORWARD;
	/* glibc's fchmodat(AT_SYMLINK_NOFOLLOW), which tar makes on each
	 * directory: an O_PATH fd, then chmod of /proc/self/fd/N. The kernel
	 * follows that link to the fd's file: the runtime makes it where a
	 * write on the fd would be made (not in a read-only mount; under
	 * fake root, where nothing is recorded). */
	char host[VFS_PATH_MAX];
	long pfd = flags ? -1 : rt_proc_self_fd(dirfd, path, host);
	if (pfd >= 0) {
		struct rt_stat st;
		if (rt_syscall(__NR_newfstatat, pfd, "", (long)&st, AT_EMPTY_PATH, 0, 0) < 0 || S_ISLNK(st.mode) ||
		    !rt_fd_writable(pfd, &st) ||
		    (rt_fake() && !(rt_fake_writes() && rt_fake_chmod_is_real(&st, (uint32_t)mode))))
			return RT_FORWARD;
		return answer(c, __NR_fchmodat, rt_syscall(__NR_fchmodat, AT_FDCWD, (long)host, mode, 0, 0, 0));
	}
	long fd = name_dir(dirfd, path, leaf, &own, &mount, false);
	if (fd < 0)
		return fd;
	struct rt_stat st;
	long r = 0;
	if (rt_fake() && ((r = rt_syscall(__NR_newfstatat, fd, (long)leaf, (long)&st, AT_SYMLINK_NOFOLLOW, 0, 0)) < 0 ||
			  !rt_fake_chmod_is_real(&st, (uint32_t)mode)))
		r = r == -ENOENT || r == -ENOTDIR ? r : RT_FORWARD;
	else
		r = rt_syscall(__NR_fchmodat2, fd, (long)leaf, mode, AT_SYMLINK_NOFOLLOW, 0, 0);
	if (own)
		close_fd(fd);
	if ((r == -EOPNOTSUPP && !(flags & AT_SYMLINK_NOFOLLOW)) || r == -ENOSYS || r == RT_FORWARD)
		return RT_FORWARD;
	return answer(c, __NR_fchmodat2, r);
}

/* A chown by fake root's root of name in fd (name "": fd itself, as
 * fchown, or fchownat with AT_EMPTY_PATH) that a record must say: the
 * kernel's chown(-1, -1) for its errors and the change time, then the
 * change put in the ring (rt_fake_chown_change). `follow`: a symlink
 * there is the supervisor's to follow. The fd must lie in writable mounts
 * only, as rt_fd_owner_call's. */
static long fake_chown(const struct call *c, long fd, const char *name, long uid, long gid, bool follow)
{
	struct statx sx;
	bool itself = !name[0];
	long r = rt_syscall(__NR_statx, fd, (long)name, AT_SYMLINK_NOFOLLOW | (itself ? AT_EMPTY_PATH : 0),
			    STATX_BASIC_STATS | STATX_BTIME, (long)&sx, 0);
	if (r < 0)
		return r == -EBADF || r == -ENOENT || r == -ENOTDIR ? r : RT_FORWARD;
	struct rt_stat st = { .dev = rt_makedev(sx.stx_dev_major, sx.stx_dev_minor) };
	struct owner_change change;
	int k;
	if ((follow && S_ISLNK(sx.stx_mode)) || (itself && !rt_fd_writable(fd, &st)) ||
	    (k = rt_fake_chown_change(&sx, (uint32_t)uid, (uint32_t)gid, &change)) < 0)
		return RT_FORWARD;
	long nr = c->nr == __NR_fchown ? __NR_fchown : __NR_fchownat;
	if (c->nr == __NR_fchown)
		r = rt_syscall(__NR_fchown, fd, -1, -1, 0, 0, 0);
	else
		r = rt_syscall(__NR_fchownat, fd, (long)name, -1, -1, itself ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW, 0);
	/* A full ring: the supervisor's, which empties it first (the change
	 * time is set: the kernel's chown would have set it too). */
	if (r == 0 && k > 0 && !rt_fake_chown_record(&change))
		return RT_FORWARD;
	return answer(c, nr, r);
}

/* Under fake root (the calls no other view traps), with root's identity
 * (rt_fake_writes): fchmod where the kernel's chmod is fake root's
 * (rt_fake_chmod_is_real); fchown, and fchownat of the fd itself, where
 * the chown changes nothing (rt_fake_chown_is_noop: a tar or dpkg giving
 * its files to root), made as fchown(fd, -1, -1), or fchownat's own
 * form, for the kernel's errors (EBADF on an O_PATH fd, EROFS) and the
 * change time a chown sets; any other chown, fake_chown(). The fd must
 * lie in writable mounts only. */
long rt_fd_owner_call(const struct call *c, long fd, long uid, long gid, long mode)
{
	struct rt_stat st;
	if (!rt_fake_writes())
		return RT_FORWARD;
	if (c->nr != __NR_fchmod && !rt_fake_chown_to_root((uint32_t)uid, (uint32_t)gid))
		return fake_chown(c, fd, "", uid, gid, false);
	long r = rt_syscall(__NR_newfstatat, fd, "", (long)&st, AT_EMPTY_PATH, 0, 0);
	if (r < 0)
		return r == -EBADF ? r : RT_FORWARD;
	if (!rt_fd_writable(fd, &st))
		return RT_FORWARD;
	if (c->nr == __NR_fchmod)
		return rt_fake_chmod_is_real(&st, (uint32_t)mode) ? answer(c, __NR_fchmod, rt_syscall(__NR_fchmod, fd, mode, 0, 0, 0, 0))
								    : RT_FORWARD;
	if (!rt_fake_chown_is_noop(&st, (uint32_t)uid, (uint32_t)gid))
		return fake_chown(c, fd, "", uid, gid, false);
	/* fchownat's own form: it takes AT_FDCWD and O_PATH fds, fchown not. */
	if (c->nr == __NR_fchownat)
		return answer(c, __NR_fchownat, rt_syscall(__NR_fchownat, fd, "", -1, -1, AT_EMPTY_PATH, 0));
	return answer(c, __NR_fchown, rt_syscall(__NR_fchown, fd, -1, -1, 0, 0, 0));
}

/* fchownat, chown and lchown of a name, under fake root as above: in its
 * directory (name_dir), the name not followed; a symlink to follow is
 * the supervisor's. */
long rt_chown_call(const struct call *c, long dirfd, const char *path, long uid, long gid, long flags)
{
	char leaf[VFS_NAME_MAX + 1];
	bool own;
	int mount = -1;
	if (!rt_fake_writes() || (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) || !readable((long)path))
		return RT_FORWARD;
	if ((flags & AT_EMPTY_PATH) && !path[0])
		return rt_fd_owner_call(c, dirfd, uid, gid, 0);
	long fd = name_dir(dirfd, path, leaf, &own, &mount, false);
	if (fd < 0)
		return fd;
	struct rt_stat st;
	bool follow = !(flags & AT_SYMLINK_NOFOLLOW);
	long r;
	/* A chown to another owner: fake_chown()'s statx is the one look. */
	if (!rt_fake_chown_to_root((uint32_t)uid, (uint32_t)gid))
		r = fake_chown(c, fd, leaf, uid, gid, follow);
	else if ((r = rt_syscall(__NR_newfstatat, fd, (long)leaf, (long)&st, AT_SYMLINK_NOFOLLOW, 0, 0)) < 0 &&
		 r != -ENOENT && r != -ENOTDIR)
		r = RT_FORWARD;
	else if (r == 0 && S_ISLNK(st.mode) && follow)
		r = RT_FORWARD;
	else if (r == 0 && !rt_fake_chown_is_noop(&st, (uint32_t)uid, (uint32_t)gid))
		r = fake_chown(c, fd, leaf, uid, gid, follow);
	else if (r == 0)
		r = answer(c, __NR_fchownat,
			   rt_syscall(__NR_fchownat, fd, (long)leaf, -1, -1, AT_SYMLINK_NOFOLLOW, 0));
	if (own)
		close_fd(fd);
	return r;
}

