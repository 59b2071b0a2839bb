/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The calls the runtime answers itself (rt.h), where lookup.c finds that
 * the kernel resolves the path as the view would. A name alone in a plain
 * directory takes one call besides the answer: the call itself, made
 * without following the name (a symlink goes to the supervisor when the
 * call would follow it). Any other path is opened with O_PATH beneath
 * its plain directory and the call made on that fd. Writes (an open that
 * creates or truncates, unlink) are made where the mount is known to be
 * writable. Whatever the runtime cannot decide goes to the supervisor
 * unchanged: other writes, a read-only mount's (EROFS), flags it does not
 * know, chroots, procfs, fake root's creations.
 *
 * The program's path is read in place: a NULL pointer, one into the first
 * page or the kernel's half goes to the supervisor (EFAULT), but a pointer
 * into an unmapped page elsewhere faults in the runtime (SIGSEGV) where
 * the kernel would say EFAULT.
 */
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <linux/uio.h>

#include "loader/lib.h"
#include "rt/fake.h"
#include "rt/fds.h"
#include "rt/lookup.h"
#include "rt/sys.h"
#include "vfs/vfs.h"

#define STAT_FLAGS (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)
/* The open flags of a read the runtime makes itself. */
#define READ_FLAGS (O_NOCTTY | O_NONBLOCK | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_LARGEFILE | O_NOATIME | \
		    O_DSYNC | __O_SYNC | O_DIRECT | O_APPEND | FASYNC)

/* A call as the program made it: what goes to the supervisor. The
 * handlers get its arguments in the form of the *at call (`at`), so that
 * stat, lstat, open, readlink and access take the same way. */
struct call {
	long nr;
	const long *a;
};

static long forward(const struct call *c)
{
	return rt_forward(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
}

/* The result of call nr that the runtime made for c. A program may refuse
 * itself calls with its own seccomp filter (EPERM, ENOSYS), which the
 * kernel applies to the runtime's calls too: for the program's own call
 * that is the program's answer, for another one (openat2 for a stat) the
 * supervisor must answer instead. */
static long answer(const struct call *c, long nr, long r)
{
	return nr != c->nr && (r == -EPERM || r == -ENOSYS) ? RT_FORWARD : r;
}

static void close_fd(long fd)
{
	rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
}

/* A relative path of one name in a plain directory. */
static bool one_plain_name(long dirfd, const char *path)
{
	return rt_one_name(path) && rt_plain_dir(dirfd);
}

/* A name that no mount point of the view has is the same object in the
 * view and on the host, in whatever directory, fence or not, unless the
 * directory is in procfs (whose names are the process's own): so a stat
 * of such a name is made first, and its result's device says whether it
 * was in procfs (a name there is in procfs too, or a mount point into
 * another file system, which is no procfs name the view changes); a
 * failed lookup checks the directory itself. One call instead of two. */
static bool look_first(const char *name)
{
	return !(rt_config.flags & RT_CONFIG_ALL_FENCED) && !rt_names_mount(name, false);
}

/* Under fake root, procfs's "status" shows the tree's credentials: a
 * name the supervisor must see. */
static bool fake_status_name(const char *name)
{
	const char *s = "status";
	if (!(rt_config.flags & RT_CONFIG_FAKEROOT))
		return false;
	while (*s && *name == *s)
		s++, name++;
	return !*s && !*name;
}

static bool found_plain(long r, uint64_t dev, long dirfd)
{
	return r == 0 ? !rt_proc_dev(dev) : rt_plain_dir(dirfd);
}

/* An absolute path looked up, its last name not followed, in a view whose
 * names are the host's (rt_host_named): the kernel's answer is the view's
 * unless the lookup ended in procfs (the path led there through a
 * symlink), where the view shows some files otherwise. A symlink on the
 * way that the kernel follows into procfs, such as /dev/fd, leads to the
 * process's own objects, which are the view's too. Errors are the view's:
 * the same names, the same directories. */
static bool found_host(long r, uint64_t dev)
{
	return r < 0 ? r != -EPERM && r != -ENOSYS : !rt_proc_dev(dev);
}

/* A stat answer the runtime made on the file name in dirfd, not followed
 * (name "": dirfd itself), with call nr: what the tree sees of it. A
 * directory above mount points counts them among its links, as the
 * supervisor's answer does. */
static long stat_done(const struct call *c, long nr, long r, struct rt_stat *st, long dirfd, const char *name)
{
	/* A failed call wrote nothing, and the buffer may be none (EFAULT). */
	if (r != 0)
		return answer(c, nr, r);
	uint32_t links = S_ISDIR(st->mode) ? rt_fence_links(st->dev, st->ino) : 0;
	if (links == RT_LINKS_UNKNOWN)
		return RT_FORWARD;
	st->nlink += links;
	if (rt_fake())
		rt_fake_stat(st, dirfd, name);
	return answer(c, nr, r);
}

static long statx_done(const struct call *c, long r, struct statx *sx)
{
	if (r != 0)
		return r; /* as stat_done() */
	uint64_t dev = rt_makedev(sx->stx_dev_major, sx->stx_dev_minor);
	uint32_t links = S_ISDIR(sx->stx_mode) ? rt_fence_links(dev, sx->stx_ino) : 0;
	if (links == RT_LINKS_UNKNOWN)
		return RT_FORWARD;
	sx->stx_nlink += links;
	if (rt_fake())
		rt_fake_statx(sx);
	return r;
}

/* Each handler returns the call's result, or RT_FORWARD. */
static long stat_call(const struct call *c, const long a[6])
{
	const char *path = (const char *)a[1];
	long flags = a[3];
	struct rt_stat *st = (struct rt_stat *)a[2];
	if (path && !path[0] && (flags & AT_EMPTY_PATH)) /* fstat */
		return stat_done(c, __NR_newfstatat, rt_syscall(__NR_newfstatat, a[0], path, st, flags, 0, 0), st,
				 a[0], "");
	if (flags & ~STAT_FLAGS)
		return RT_FORWARD;
	if (rt_dotdot_plain(a[0], path))
		return stat_done(c, __NR_newfstatat, rt_syscall(__NR_newfstatat, a[0], path, st, flags, 0, 0), st,
				 a[0], path);
	if (rt_one_name(path)) {
		bool first = look_first(path);
		if (!first && !rt_plain_dir(a[0]))
			return RT_FORWARD;
		long r = rt_syscall(__NR_newfstatat, a[0], path, st, flags | AT_SYMLINK_NOFOLLOW, 0, 0);
		if (first && !found_plain(r, r == 0 ? st->dev : 0, a[0]))
			return RT_FORWARD;
		if (r == 0 && !(flags & AT_SYMLINK_NOFOLLOW) && S_ISLNK(st->mode))
			return RT_FORWARD;
		return stat_done(c, __NR_newfstatat, r, st, a[0], path);
	}
	/* A symlink to follow on these two ways: rt_open_beneath follows it. */
	bool link = false;
	if (rt_host_named(path)) {
		long r = rt_syscall(__NR_newfstatat, AT_FDCWD, path, st, flags | AT_SYMLINK_NOFOLLOW, 0, 0);
		if (!found_host(r, r == 0 ? st->dev : 0))
			return RT_FORWARD;
		link = r == 0 && !(flags & AT_SYMLINK_NOFOLLOW) && S_ISLNK(st->mode);
		if (!link)
			return stat_done(c, __NR_newfstatat, r, st, AT_FDCWD, path);
	}
	char host[4096];
	if (!link && path && path[0] == '/' && rt_host_path(path, host, NULL) == 0) {
		long r = rt_syscall(__NR_newfstatat, AT_FDCWD, host, st, flags | AT_SYMLINK_NOFOLLOW, 0, 0);
		if (!(r == 0 && !(flags & AT_SYMLINK_NOFOLLOW) && S_ISLNK(st->mode)))
			return stat_done(c, __NR_newfstatat, r, st, AT_FDCWD, host);
	}
	long fd = rt_open_beneath(a[0], path, O_PATH | (flags & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0), 0, NULL);
	if (fd < 0)
		return fd; /* RT_FORWARD too */
	long r = rt_syscall(__NR_newfstatat, fd, "", st, AT_EMPTY_PATH, 0, 0);
	r = stat_done(c, __NR_newfstatat, r, st, fd, "");
	close_fd(fd);
	return r;
}

static long statx_call(const struct call *c, const long a[6])
{
	const char *path = (const char *)a[1];
	long flags = a[2];
	/* With fake root, the birth time too, which tells a record from a
	 * stale one (as the supervisor asks). */
	long mask = rt_fake() ? a[3] | STATX_BTIME : a[3];
	struct statx *sx = (struct statx *)a[4];
	if (path && !path[0] && (flags & AT_EMPTY_PATH))
		return statx_done(c, rt_syscall(__NR_statx, a[0], path, flags, mask, sx, 0), sx);
	if (flags & ~(STAT_FLAGS | AT_STATX_SYNC_TYPE))
		return RT_FORWARD;
	if (rt_dotdot_plain(a[0], path))
		return statx_done(c, rt_syscall(__NR_statx, a[0], path, flags, mask, sx, 0), sx);
	if (rt_one_name(path)) {
		bool first = look_first(path);
		if (!first && !rt_plain_dir(a[0]))
			return RT_FORWARD;
		long r = rt_syscall(__NR_statx, a[0], path, flags | AT_SYMLINK_NOFOLLOW, mask, sx, 0);
		if (first && !found_plain(r, r == 0 ? rt_makedev(sx->stx_dev_major, sx->stx_dev_minor) : 0, a[0]))
			return RT_FORWARD;
		if (r == 0 && !(flags & AT_SYMLINK_NOFOLLOW) && (!(sx->stx_mask & STATX_TYPE) || S_ISLNK(sx->stx_mode)))
			return RT_FORWARD;
		return statx_done(c, r, sx);
	}
	if (rt_host_named(path)) {
		long r = rt_syscall(__NR_statx, AT_FDCWD, path, flags | AT_SYMLINK_NOFOLLOW, mask, sx, 0);
		if (!found_host(r, r == 0 ? rt_makedev(sx->stx_dev_major, sx->stx_dev_minor) : 0))
			return RT_FORWARD;
		if (!(r == 0 && !(flags & AT_SYMLINK_NOFOLLOW) &&
		      (!(sx->stx_mask & STATX_TYPE) || S_ISLNK(sx->stx_mode))))
			return statx_done(c, r, sx);
		/* A symlink to follow: rt_open_beneath follows it. */
	}
	long fd = rt_open_beneath(a[0], path, O_PATH | (flags & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0), 0, NULL);
	if (fd < 0)
		return fd;
	long r = rt_syscall(__NR_statx, fd, "", AT_EMPTY_PATH | (flags & AT_STATX_SYNC_TYPE), mask, sx, 0);
	close_fd(fd);
	return statx_done(c, r, sx);
}

/* fstat, with fake root only (config.h, rt_answers). */
static long fstat_call(const struct call *c, const long a[6])
{
	struct rt_stat *st = (struct rt_stat *)a[1];
	return stat_done(c, c->nr, rt_syscall(c->nr, a[0], st, 0, 0, 0, 0), st, a[0], "");
}

/* getdents64, with fake root only: the entries' types as recorded. A
 * directory above mount points lists them too: the supervisor's. */
static long getdents_call(const struct call *c, const long a[6])
{
	bool typed = rt_fake_typed();
	struct rt_stat st;
	bool known = false;
	if (typed || rt_config.nfences || (rt_config.flags & RT_CONFIG_ALL_FENCED)) {
		long r = rt_syscall(__NR_newfstatat, a[0], "", &st, AT_EMPTY_PATH, 0, 0);
		if (r == -EPERM || r == -ENOSYS || (r == 0 && S_ISDIR(st.mode) && rt_fence(st.dev, st.ino)))
			return RT_FORWARD;
		known = r == 0;
	}
	long n = rt_syscall(c->nr, a[0], a[1], a[2], 0, 0, 0);
	if (n > 0 && typed && known)
		rt_fake_dirents((void *)a[1], n, st.dev, a[0]);
	return n;
}

static long write_open_call(const struct call *c, const long a[6], int *mount);

/* openat; *mount: the mount the fd lies in, if known (else -1). */
static long open_call(const struct call *c, const long a[6], int *mount)
{
	const char *path = (const char *)a[1];
	long flags = a[2];
	/* O_PATH: resolved as the runtime's own lookups are (the supervisor
	 * could only make it by ptrace, ADDFD refusing such fds); the kernel
	 * takes O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC with it, and drops the
	 * other flags. */
	if (flags & O_PATH)
		return rt_open_beneath(a[0], path, (uint64_t)(flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) | RT_O_PROGRAM, 0,
				       mount);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return write_open_call(c, a, mount);
	if (flags & ~READ_FLAGS)
		return RT_FORWARD;
	/* A relative name lies in its directory's mount (".." too, but from
	 * a mount's own directory, which is the supervisor's). */
	*mount = path[0] != '/' ? rt_dir_mount(a[0]) : -1;
	/* ".." as the kernel takes it (fts climbs so): but a directory above
	 * mount points, opened to be listed, is the supervisor's (O_PATH
	 * opens went to it above). */
	if (rt_dotdot_plain(a[0], path)) {
		long r = rt_syscall(__NR_openat, a[0], path, flags, 0, 0, 0);
		if (r >= 0 && !rt_plain_dir(r)) {
			close_fd(r);
			return RT_FORWARD;
		}
		return answer(c, __NR_openat, r);
	}
	/* A name no mount point has is the host's in any directory (as for
	 * stat, look_first), procfs's too: the view changes only its links,
	 * which O_NOFOLLOW refuses, and under fake root "status". But a
	 * directory above mount points lists them: the supervisor opens it
	 * (rt_names_mount's fences, and "." in one). */
	if (rt_one_name(path) && look_first(path) && !rt_names_mount(path, true) && !fake_status_name(path) &&
	    !(path[0] == '.' && !path[1])) {
		long r = rt_syscall(__NR_openat, a[0], path, flags | O_NOFOLLOW, 0, 0, 0);
		if ((r == -ELOOP || r == -ENOTDIR) && !(flags & O_NOFOLLOW))
			return RT_FORWARD;
		return answer(c, __NR_openat, r);
	}
	if (one_plain_name(a[0], path)) {
		long r = rt_syscall(__NR_openat, a[0], path, flags | O_NOFOLLOW, 0, 0, 0);
		/* A symlink: ELOOP, or ENOTDIR with O_DIRECTORY. */
		if ((r == -ELOOP || r == -ENOTDIR) && !(flags & O_NOFOLLOW))
			return RT_FORWARD;
		return answer(c, __NR_openat, r);
	}
	char host[4096];
	if (path && path[0] == '/' && rt_host_path(path, host, mount) == 0 && !rt_above_mounts(path)) {
		long r = rt_syscall(__NR_openat, AT_FDCWD, host, flags | O_NOFOLLOW, 0, 0, 0);
		/* A symlink, maybe: rt_open_beneath follows it. */
		if (!((r == -ELOOP || r == -ENOTDIR) && !(flags & O_NOFOLLOW)))
			return answer(c, __NR_openat, r);
	}
	return rt_open_beneath(a[0], path, (uint64_t)flags, 0, mount);
}

/* The fd an open gives the program is marked with its mount, which
 * facet then names it after (fds.c). */
static long openat_call(const struct call *c, const long a[6])
{
	int mount = -1;
	long r = open_call(c, a, &mount);
	rt_fd_note(r, mount);
	return r;
}

static long readlinkat_call(const struct call *c, const long a[6])
{
	const char *path = (const char *)a[1];
	if ((int)a[3] <= 0)
		return RT_FORWARD; /* EINVAL comes first */
	if (one_plain_name(a[0], path))
		return answer(c, __NR_readlinkat, rt_syscall(__NR_readlinkat, a[0], path, a[2], a[3], 0, 0));
	long fd = rt_open_beneath(a[0], path, O_PATH | O_NOFOLLOW, 0, NULL);
	if (fd < 0)
		return fd;
	long r = rt_syscall(__NR_readlinkat, fd, "", a[2], a[3], 0, 0);
	close_fd(fd);
	/* The fd exists: "" finds nothing only where it is not a symlink. */
	return r == -ENOENT ? -EINVAL : answer(c, __NR_readlinkat, r);
}

static const char *absolute(long dirfd, const char *path, char buf[VFS_PATH_MAX]);

/* faccessat (flags 0) and faccessat2. W_OK is looked up as a write is:
 * a read-only mount's answer (EROFS) is the supervisor's. */
static long access_call(const struct call *c, const long a[6], long flags)
{
	const char *path = (const char *)a[1];
	long mode = a[2];
	if ((mode & ~(long)(RT_R_OK | RT_W_OK | RT_X_OK)) || (flags & ~(long)(AT_EACCESS | AT_SYMLINK_NOFOLLOW)))
		return RT_FORWARD;
	uint64_t oflags = O_PATH | (flags & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0);
	long fd;
	if (mode & RT_W_OK) {
		/* As a write's: not in a read-only mount, not with fake root. */
		char buf[VFS_PATH_MAX];
		if (rt_fake() || !(path = absolute(a[0], path, buf)))
			return RT_FORWARD;
		fd = rt_open_to_write(path, oflags, 0, NULL);
	} else {
		fd = rt_open_beneath(a[0], path, oflags, 0, NULL);
	}
	if (fd < 0)
		return fd;
	long r = rt_syscall(__NR_faccessat2, fd, "", mode, (flags & AT_EACCESS) | AT_EMPTY_PATH, 0, 0);
	close_fd(fd);
	return r == -EINVAL ? RT_FORWARD : answer(c, __NR_faccessat2, r);
}

/* A path the runtime may read in place: not NULL, not in the first page
 * nor in the kernel's half, where the kernel says EFAULT (the supervisor
 * will). A pointer to an unmapped page elsewhere faults in the runtime. */
static bool readable(long p)
{
	return (unsigned long)p >= 4096 && (unsigned long)p < 0x800000000000ul;
}

/* The view's name of the cwd, as the supervisor wrote it (rt_cwd), into
 * buf: its length, or RT_FORWARD unless the kernel's name of the cwd is
 * still the one written with it. */
static long cwd_name(char buf[RT_CWD_MAX])
{
	if (rt_config.flags & RT_CONFIG_ROOT_CHANGED)
		return RT_FORWARD;
	uint32_t seq = __atomic_load_n(&rt_cwd.seq, __ATOMIC_ACQUIRE);
	uint32_t hl = rt_cwd.host_len, gl = rt_cwd.guest_len;
	if ((seq & 1) || !hl || hl >= RT_CWD_MAX || !gl || gl >= RT_CWD_MAX)
		return RT_FORWARD;
	long n = rt_syscall(__NR_readlinkat, AT_FDCWD, "/proc/self/cwd", buf, RT_CWD_MAX, 0, 0);
	if (n != (long)hl || memcmp(buf, rt_cwd.host, hl))
		return RT_FORWARD;
	memcpy(buf, rt_cwd.guest, gl);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&rt_cwd.seq, __ATOMIC_RELAXED) != seq)
		return RT_FORWARD; /* written meanwhile */
	return gl;
}

/* getcwd: the name the supervisor wrote (rt_cwd.c). */
static long getcwd_call(const long a[6])
{
	char buf[RT_CWD_MAX];
	long gl = cwd_name(buf);
	if (gl < 0)
		return gl;
	if ((unsigned long)a[1] < gl + 1ul)
		return -ERANGE;
	/* Into the program's buffer by the kernel, which says EFAULT where
	 * the kernel's getcwd would (a store here would fault). */
	buf[gl] = '\0';
	struct iovec local = { buf, gl + 1ul }, remote = { (void *)a[0], gl + 1ul };
	long pid = rt_syscall(__NR_getpid, 0, 0, 0, 0, 0, 0);
	long w = rt_syscall(__NR_process_vm_writev, pid, &local, 1, &remote, 1, 0);
	if (w == -EFAULT)
		return -EFAULT;
	return w == (long)gl + 1 ? w : RT_FORWARD;
}

/*
 * Writes: an open that writes or creates, unlink, rmdir, mkdir, symlink,
 * rename, link, utimensat and chmod. The kernel makes
 * them in the program, with its umask and credentials, and the fd is the
 * program's own from the start (its close is the last, as inotify and
 * locks expect), where the view's answer is the kernel's: not with fake
 * root (owners are recorded), and resolved as an absolute path (a relative
 * one from the cwd's name, rt_cwd), or below a directory fd whose host path
 * only writable mounts show, so that the mount is known: a read-only one
 * leaves the call to the supervisor (EROFS; lookup.c).
 */
#define WRITE_FLAGS (READ_FLAGS | O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_TRUNC)

/* path, absolute: itself, or the cwd's name and path in buf. NULL where
 * the runtime cannot tell (a dirfd, the cwd's name unknown). */
static const char *absolute(long dirfd, const char *path, char buf[VFS_PATH_MAX])
{
	if (path[0] == '/')
		return path;
	if ((int)dirfd != AT_FDCWD || !path[0]) /* the kernel takes an int */
		return 0;
	long gl = cwd_name(buf);
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

/* A relative name in the cwd is taken below it, as below a directory fd,
 * where one writable mount alone holds the cwd (the answer cached by its
 * identity: no name to read back from /proc/self/cwd at each call);
 * else, and where that gives no answer, by the cwd's name. */
static bool below_cwd(long dirfd, const char *path)
{
	return (int)dirfd == AT_FDCWD && path[0] && path[0] != '/' && rt_write_mount_of_fd(AT_FDCWD) >= 0;
}

static long name_dir(long dirfd, const char *path, char leaf[VFS_NAME_MAX + 1], bool *own, int *mount);

/* name_dir()'s directory: an fd, or AT_FDCWD for a name in the cwd (its
 * errors are never -ENETDOWN, AT_FDCWD's value). */
static bool dir_fd(long fd)
{
	return fd >= 0 || fd == AT_FDCWD;
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
	long fd = name_dir(a[0], (const char *)a[1], leaf, &own, mount);
	if (!dir_fd(fd))
		return fd;
	long r = RT_FORWARD;
	if (rt_fake_may_create(fd)) {
		if (own)
			fd = rt_fd_high(fd); /* the program's fd is the lowest free */
		r = rt_syscall(__NR_openat, fd, (long)leaf, flags | O_NOFOLLOW, a[3] & 07777, 0, 0);
		if (r == -ELOOP && !(flags & O_NOFOLLOW))
			r = RT_FORWARD;
	}
	if (own)
		close_fd(fd);
	return r;
}

static long write_open_call(const struct call *c, const long a[6], int *mount)
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
	if (below_cwd(a[0], (const char *)a[1])) {
		long r = rt_open_to_write_below(AT_FDCWD, (const char *)a[1], (uint64_t)flags, mode, mount);
		if (r != RT_FORWARD)
			return answer(c, __NR_openat, r);
	}
	if (!(path = absolute(a[0], (const char *)a[1], buf)))
		return answer(c, __NR_openat, rt_open_to_write_below(a[0], (const char *)a[1], (uint64_t)flags, mode, mount));
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
 * mount it lies in, -1 if not known), -errno, or RT_FORWARD. */
static long name_dir_in(long dirfd, const char *path, char leaf[VFS_NAME_MAX + 1], bool *own, int *mount,
			bool below);

static long name_dir(long dirfd, const char *path, char leaf[VFS_NAME_MAX + 1], bool *own, int *mount)
{
	if (below_cwd(dirfd, path)) {
		long r = name_dir_in(dirfd, path, leaf, own, mount, true);
		if (r != RT_FORWARD)
			return r;
	}
	/* the kernel takes an int */
	return name_dir_in(dirfd, path, leaf, own, mount, (int)dirfd >= 0 && path[0] && path[0] != '/');
}

static long name_dir_in(long dirfd, const char *path, char leaf[VFS_NAME_MAX + 1], bool *own, int *mount,
			bool below)
{
	char buf[VFS_PATH_MAX];
	const char *p = below ? path : absolute(dirfd, path, buf);
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
	if (below && !*own) {
		long m = rt_write_mount_of_fd(dirfd);
		if (m == RT_FORWARD || !rt_plain_dir(dirfd))
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
		return rt_open_to_write_below(dirfd, buf, O_PATH, 0, mount);
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
static long name_call(const struct call *c, long nr, long dirfd, const char *path, long arg)
{
	char leaf[VFS_NAME_MAX + 1];
	bool own;
	int mount = -1;
	if (nr == __NR_unlinkat && arg & ~(long)AT_REMOVEDIR)
		return RT_FORWARD;
	long fd = name_dir(dirfd, path, leaf, &own, &mount);
	if (!dir_fd(fd))
		return fd;
	long r;
	if (rt_fake() && !(nr == __NR_unlinkat ? rt_fake_may_remove(fd, leaf) : rt_fake_may_create(fd)))
		r = RT_FORWARD;
	else if (nr == __NR_symlinkat)
		r = rt_syscall(nr, arg, fd, (long)leaf, 0, 0, 0);
	else
		r = rt_syscall(nr, fd, (long)leaf, nr == __NR_mkdirat ? arg & 07777 : arg, 0, 0, 0);
	if (own)
		close_fd(fd);
	return r == RT_FORWARD ? r : answer(c, nr, r);
}

/* renameat2, renameat and rename, and linkat and link of a name not
 * followed (nr: __NR_renameat2 or __NR_linkat): both names in their
 * directories (name_dir), which must lie in one known mount (else EXDEV,
 * or not, is the supervisor's answer); and the kernel's EXDEV too, which
 * Landlock gives a rename or link between directories where it cannot
 * tell the rights (ABI 1): the supervisor, outside Landlock, makes it. */
static long two_names_call(const struct call *c, long nr, long olddirfd, const char *oldpath, long newdirfd,
			   const char *newpath, long flags)
{
	char oleaf[VFS_NAME_MAX + 1], nleaf[VFS_NAME_MAX + 1];
	bool oown, nown;
	int om = -1, nm = -1;
	if (!readable((long)oldpath) || !readable((long)newpath) || (nr == __NR_linkat && flags))
		return RT_FORWARD;
	long ofd = name_dir(olddirfd, oldpath, oleaf, &oown, &om);
	if (!dir_fd(ofd))
		return ofd;
	long nfd = name_dir(newdirfd, newpath, nleaf, &nown, &nm);
	long r = nfd;
	if (dir_fd(nfd)) {
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
	return r == -EXDEV ? RT_FORWARD : answer(c, nr, r);
}

/* utimensat: on the fd itself (futimens: no name; or "" with
 * AT_EMPTY_PATH), the kernel's answer where every mount holding the fd's
 * host path is writable; on a name, in its directory (name_dir), not
 * following it: a symlink to follow is the supervisor's (the kernel would
 * follow it out of the view), and one put there meanwhile gets the times
 * itself. Else EROFS, and the rest, are the supervisor's. */
static long times_call(const struct call *c, const long a[6])
{
	const char *path = (const char *)a[1];
	if ((rt_fake() && !rt_fake_writes()) || (a[3] & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		return RT_FORWARD;
	if (!path || ((a[3] & AT_EMPTY_PATH) && readable(a[1]) && !path[0]))
		return (int)a[0] < 0 || rt_write_mount_of_fd(a[0]) == RT_FORWARD
			       ? RT_FORWARD
			       : answer(c, __NR_utimensat, rt_syscall(__NR_utimensat, a[0], a[1], a[2], a[3], 0, 0));
	char leaf[VFS_NAME_MAX + 1];
	bool own;
	int mount = -1;
	if (!readable(a[1]))
		return RT_FORWARD;
	long fd = name_dir(a[0], path, leaf, &own, &mount);
	if (!dir_fd(fd))
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
static long chmod_call(const struct call *c, long dirfd, const char *path, long mode, long flags)
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
	long fd = name_dir(dirfd, path, leaf, &own, &mount);
	if (!dir_fd(fd))
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

/* Under fake root (the calls no other view traps), with root's identity
 * (rt_fake_writes): fchmod where the kernel's chmod is fake root's
 * (rt_fake_chmod_is_real); fchown, and fchownat of the fd itself, where
 * the chown changes nothing (rt_fake_chown_is_noop: a tar or dpkg giving
 * its files to root), made as fchown(fd, -1, -1), or fchownat's own
 * form, for the kernel's errors (EBADF on an O_PATH fd, EROFS) and the
 * change time a chown sets. The fd must lie in writable mounts only. */
static long fd_owner_call(const struct call *c, long fd, long uid, long gid, long mode)
{
	struct rt_stat st;
	if (!rt_fake_writes())
		return RT_FORWARD;
	long r = rt_syscall(__NR_newfstatat, fd, "", (long)&st, AT_EMPTY_PATH, 0, 0);
	if (r < 0)
		return r == -EBADF ? r : RT_FORWARD;
	if (!rt_fd_writable(fd, &st))
		return RT_FORWARD;
	if (c->nr == __NR_fchmod)
		return rt_fake_chmod_is_real(&st, (uint32_t)mode) ? answer(c, __NR_fchmod, rt_syscall(__NR_fchmod, fd, mode, 0, 0, 0, 0))
								    : RT_FORWARD;
	if (!rt_fake_chown_is_noop(&st, (uint32_t)uid, (uint32_t)gid))
		return RT_FORWARD;
	/* fchownat's own form: it takes AT_FDCWD and O_PATH fds, fchown not. */
	if (c->nr == __NR_fchownat)
		return answer(c, __NR_fchownat, rt_syscall(__NR_fchownat, fd, "", -1, -1, AT_EMPTY_PATH, 0));
	return answer(c, __NR_fchown, rt_syscall(__NR_fchown, fd, -1, -1, 0, 0, 0));
}

/* fchownat, chown and lchown of a name, under fake root as above: in its
 * directory (name_dir), the name not followed; a symlink to follow is
 * the supervisor's. */
static long chown_call(const struct call *c, long dirfd, const char *path, long uid, long gid, long flags)
{
	char leaf[VFS_NAME_MAX + 1];
	bool own;
	int mount = -1;
	if (!rt_fake_writes() || (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) || !readable((long)path))
		return RT_FORWARD;
	if ((flags & AT_EMPTY_PATH) && !path[0])
		return fd_owner_call(c, dirfd, uid, gid, 0);
	long fd = name_dir(dirfd, path, leaf, &own, &mount);
	if (!dir_fd(fd))
		return fd;
	struct rt_stat st;
	long r = rt_syscall(__NR_newfstatat, fd, (long)leaf, (long)&st, AT_SYMLINK_NOFOLLOW, 0, 0);
	if (r < 0 && r != -ENOENT && r != -ENOTDIR)
		r = RT_FORWARD;
	else if (r == 0 && ((S_ISLNK(st.mode) && !(flags & AT_SYMLINK_NOFOLLOW)) ||
		       !rt_fake_chown_is_noop(&st, (uint32_t)uid, (uint32_t)gid)))
		r = RT_FORWARD;
	else if (r == 0)
		r = answer(c, __NR_fchownat,
			   rt_syscall(__NR_fchownat, fd, (long)leaf, -1, -1, AT_SYMLINK_NOFOLLOW, 0));
	if (own)
		close_fd(fd);
	return r;
}

/* execve: a program the view does not have, or cannot reach, fails here
 * (gcc, make and the shells try each directory of $PATH in turn); any
 * other goes on as the program's call, to the supervisor by ptrace, which
 * alone can make an exec in the view. An O_PATH lookup fails only where
 * the path does: EACCES is a directory the user may not search, which
 * execve's own lookup refuses first, as it meets ELOOP. */
static long execve_call(const long a[6])
{
	if (!readable(a[0]))
		return RT_PASS;
	long fd = rt_open_beneath(AT_FDCWD, (const char *)a[0], O_PATH, 0, NULL);
	if (fd == -ENOENT || fd == -ENOTDIR || fd == -EACCES || fd == -ELOOP)
		return fd;
	if (fd >= 0)
		close_fd(fd);
	return RT_PASS;
}

/* The calls fake root changes: the supervisor's when the record could not
 * be mapped. */
static bool fake_changes(long nr)
{
	switch (nr) {
	case __NR_newfstatat: case __NR_statx: case __NR_getdents64:
#ifdef __NR_fstat
	case __NR_fstat:
#endif
#ifdef __NR_stat
	case __NR_stat: case __NR_lstat:
#endif
		return true;
	default:
		return false;
	}
}

static long handle(const struct call *c)
{
	const long *a = c->a;
	if (rt_fake() && !rt_fake_ready() && fake_changes(c->nr))
		return RT_FORWARD;
	/* Calls on an fd, which only fake root makes the runtime's. */
	if (c->nr == __NR_getdents64)
		return rt_fake() ? getdents_call(c, a) : RT_FORWARD;
	if (c->nr == __NR_getcwd)
		return getcwd_call(a);
	if (c->nr == __NR_execve)
		return execve_call(a);
	if (c->nr == __NR_utimensat)
		return times_call(c, a);
	/* The target is a string, stored as it is. */
	if (c->nr == __NR_symlinkat)
		return readable(a[0]) && readable(a[2]) ? name_call(c, __NR_symlinkat, a[1], (const char *)a[2], a[0])
							: RT_FORWARD;
	if (c->nr == __NR_renameat2 || c->nr == __NR_renameat)
		return two_names_call(c, __NR_renameat2, a[0], (const char *)a[1], a[2], (const char *)a[3],
				      c->nr == __NR_renameat2 ? a[4] : 0);
	if (c->nr == __NR_linkat)
		return two_names_call(c, __NR_linkat, a[0], (const char *)a[1], a[2], (const char *)a[3], a[4]);
	if (c->nr == __NR_fchown || c->nr == __NR_fchmod)
		return fd_owner_call(c, a[0], a[1], a[2], a[1]);
	if (c->nr == __NR_fchownat)
		return chown_call(c, a[0], (const char *)a[1], a[2], a[3], a[4]);
	if (c->nr == __NR_fchmodat || c->nr == __NR_fchmodat2)
		return chmod_call(c, a[0], (const char *)a[1], a[2], c->nr == __NR_fchmodat2 ? a[3] : 0);
#ifdef __NR_rename
	if (c->nr == __NR_rename)
		return two_names_call(c, __NR_renameat2, AT_FDCWD, (const char *)a[0], AT_FDCWD, (const char *)a[1], 0);
	if (c->nr == __NR_link)
		return two_names_call(c, __NR_linkat, AT_FDCWD, (const char *)a[0], AT_FDCWD, (const char *)a[1], 0);
	if (c->nr == __NR_chmod)
		return chmod_call(c, AT_FDCWD, (const char *)a[0], a[1], 0);
	if (c->nr == __NR_chown || c->nr == __NR_lchown)
		return chown_call(c, AT_FDCWD, (const char *)a[0], a[1], a[2],
				  c->nr == __NR_lchown ? AT_SYMLINK_NOFOLLOW : 0);
	if (c->nr == __NR_symlink)
		return readable(a[0]) && readable(a[1]) ? name_call(c, __NR_symlinkat, AT_FDCWD, (const char *)a[1], a[0])
							: RT_FORWARD;
#endif
#ifdef __NR_fstat
	if (c->nr == __NR_fstat)
		return rt_fake() ? fstat_call(c, a) : RT_FORWARD;
#endif
#ifdef __NR_stat
	bool at = c->nr != __NR_stat && c->nr != __NR_lstat && c->nr != __NR_open && c->nr != __NR_readlink &&
		  c->nr != __NR_access && c->nr != __NR_unlink && c->nr != __NR_rmdir && c->nr != __NR_mkdir;
#else
	bool at = true;
#endif
	if (!readable(a[at ? 1 : 0]))
		return RT_FORWARD;
	switch (c->nr) {
	case __NR_newfstatat:
		return stat_call(c, a);
	case __NR_statx:
		return statx_call(c, a);
	case __NR_openat:
		return openat_call(c, a);
	case __NR_readlinkat:
		return readlinkat_call(c, a);
	case __NR_faccessat:
		return access_call(c, a, 0);
	case __NR_faccessat2:
		return access_call(c, a, a[3]);
	case __NR_unlinkat:
		return name_call(c, __NR_unlinkat, a[0], (const char *)a[1], a[2]);
	case __NR_mkdirat:
		return name_call(c, __NR_mkdirat, a[0], (const char *)a[1], a[2]);
#ifdef __NR_stat /* the calls without a dirfd, where the architecture has them */
	case __NR_stat:
		return stat_call(c, (const long[6]){ AT_FDCWD, a[0], a[1], 0 });
	case __NR_lstat:
		return stat_call(c, (const long[6]){ AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW });
	case __NR_open:
		return openat_call(c, (const long[6]){ AT_FDCWD, a[0], a[1], a[2] });
	case __NR_readlink:
		return readlinkat_call(c, (const long[6]){ AT_FDCWD, a[0], a[1], a[2] });
	case __NR_access:
		return access_call(c, (const long[6]){ AT_FDCWD, a[0], a[1] }, 0);
	case __NR_unlink:
		return name_call(c, __NR_unlinkat, AT_FDCWD, (const char *)a[0], 0);
	case __NR_rmdir:
		return name_call(c, __NR_unlinkat, AT_FDCWD, (const char *)a[0], AT_REMOVEDIR);
	case __NR_mkdir:
		return name_call(c, __NR_mkdirat, AT_FDCWD, (const char *)a[0], a[1]);
#endif
	default:
		return RT_FORWARD;
	}
}

long rt_call(long nr, const long a[6])
{
	const struct call c = { nr, a };
	long r = handle(&c);
	if (r != RT_FORWARD)
		return r; /* RT_PASS: the trampoline makes it */
	r = forward(&c);
	/* The supervisor's fd: its own note names it (fds.c). */
	if (c.nr == __NR_openat
#ifdef __NR_open
	    || c.nr == __NR_open
#endif
	)
		rt_fd_forget(r);
	return r;
}
