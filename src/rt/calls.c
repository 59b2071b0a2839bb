/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The calls the runtime answers itself (rt.h), where lookup.c finds that
 * the kernel resolves the path as the view would. A name alone in a plain
 * directory takes one call besides the answer: the call itself, made
 * without following the name (a symlink goes to the supervisor when the
 * call would follow it). Any other path is opened with O_PATH beneath
 * its plain directory and the call made on that fd. Writes are
 * writes.c's, made where the mount is known to be writable. Whatever the
 * runtime cannot decide goes to the supervisor unchanged: other writes, a
 * read-only mount's (EROFS), flags it does not know, chroots, procfs,
 * fake root's records.
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
#include "rt/calls.h"
#include "rt/fake.h"
#include "rt/fds.h"
#include "rt/lookup.h"
#include "rt/sys.h"
#include "util/hot.h"
#include "vfs/vfs.h"

static long forward(const struct call *c)
{
	return rt_forward(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
}

#define STAT_FLAGS (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)

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
FACET_HOT static bool look_first(const char *name)
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

FACET_HOT static bool found_plain(long r, uint64_t dev, long dirfd)
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
FACET_HOT static bool found_host(long r, uint64_t dev)
{
	return r < 0 ? r != -EPERM && r != -ENOSYS : !rt_proc_dev(dev);
}

/* A stat answer the runtime made on the file name in dirfd, not followed
 * (name "": dirfd itself), with call nr: what the tree sees of it. A
 * directory above mount points counts them among its links, as the
 * supervisor's answer does. */
FACET_HOT static long stat_done(const struct call *c, long nr, long r, struct rt_stat *st, long dirfd, const char *name)
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

FACET_HOT static long statx_done(const struct call *c, long r, struct statx *sx)
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

/* A handler's own code, for the call's way on: the walk (rt_open_beneath). */
#define RT_WALK (RT_FORWARD - 20) /* past lookup.h's and lookup.c's codes */

/* The helpers with a path buffer of their own are not inlined: the
 * buffer is off the runtime's stack before rt_open_beneath() puts its
 * own there (each page of that stack a process touches is one more to
 * allocate and clear). */

/* stat of an absolute path that rt_host_path() takes, on its host path:
 * the answer, or RT_WALK (not such a path, or a symlink to follow). */
FACET_HOT __attribute__((noinline)) static long stat_host(const struct call *c, const char *path, struct rt_stat *st, long flags)
{
	char host[VFS_PATH_MAX];
	if (rt_host_path(path, host, NULL) < 0)
		return RT_WALK;
	long r = rt_syscall(__NR_newfstatat, AT_FDCWD, host, st, flags | AT_SYMLINK_NOFOLLOW, 0, 0);
	if (r == 0 && !(flags & AT_SYMLINK_NOFOLLOW) && S_ISLNK(st->mode))
		return RT_WALK;
	return stat_done(c, __NR_newfstatat, r, st, AT_FDCWD, host);
}

/* Each handler returns the call's result, or RT_FORWARD. */
FACET_HOT static long stat_call(const struct call *c, const long a[6])
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
	if (!link && path && path[0] == '/') {
		long r = stat_host(c, path, st, flags);
		if (r != RT_WALK)
			return r;
	}
	long fd = rt_open_beneath(a[0], path, O_PATH | (flags & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0), 0, NULL);
	if (fd < 0)
		return fd; /* RT_FORWARD too */
	long r = rt_syscall(__NR_newfstatat, fd, "", st, AT_EMPTY_PATH, 0, 0);
	r = stat_done(c, __NR_newfstatat, r, st, fd, "");
	close_fd(fd);
	return r;
}

FACET_HOT static long statx_call(const struct call *c, const long a[6])
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

/* open of an absolute path that rt_host_path() takes, on its host path:
 * the answer, or RT_WALK (not such a path, or a symlink, maybe). */
__attribute__((noinline)) static long open_host(const struct call *c, const char *path, long flags, int *mount)
{
	char host[VFS_PATH_MAX];
	if (rt_host_path(path, host, mount) < 0 || rt_above_mounts(path))
		return RT_WALK;
	long r = rt_syscall(__NR_openat, AT_FDCWD, host, flags | O_NOFOLLOW, 0, 0, 0);
	return (r == -ELOOP || r == -ENOTDIR) && !(flags & O_NOFOLLOW) ? RT_WALK : answer(c, __NR_openat, r);
}

/* openat; *mount: the mount the fd lies in, if known (else -1). */
FACET_HOT static long open_call(const struct call *c, const long a[6], int *mount)
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
		return rt_write_open_call(c, a, mount);
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
	if (path && path[0] == '/') {
		long r = open_host(c, path, flags, mount);
		if (r != RT_WALK)
			return r;
	}
	return rt_open_beneath(a[0], path, (uint64_t)flags, 0, mount);
}

/* The fd an open gives the program is marked with its mount, which
 * facet then names it after (fds.c). */
FACET_HOT static long openat_call(const struct call *c, const long a[6])
{
	int mount = -1;
	long r = open_call(c, a, &mount);
	rt_fd_note(r, mount);
	return r;
}

/* readlink of an absolute path that rt_host_path() takes, on its host
 * path: only the last name is read there, as the view reads it. realpath()
 * reads each name of a path so, the first one ("/usr") this way. */
FACET_HOT __attribute__((noinline)) static long readlink_host(const struct call *c, const char *path, long buf, long size)
{
	char host[VFS_PATH_MAX];
	if (rt_host_path(path, host, NULL) < 0)
		return RT_WALK;
	return answer(c, __NR_readlinkat, rt_syscall(__NR_readlinkat, AT_FDCWD, host, buf, size, 0, 0));
}

FACET_HOT static long readlinkat_call(const struct call *c, const long a[6])
{
	const char *path = (const char *)a[1];
	if ((int)a[3] <= 0)
		return RT_FORWARD; /* EINVAL comes first */
	if (one_plain_name(a[0], path))
		return answer(c, __NR_readlinkat, rt_syscall(__NR_readlinkat, a[0], path, a[2], a[3], 0, 0));
	if (path && path[0] == '/') {
		long r = readlink_host(c, path, a[2], a[3]);
		if (r != RT_WALK)
			return r;
	}
	long fd = rt_open_beneath(a[0], path, O_PATH | O_NOFOLLOW, 0, NULL);
	if (fd < 0)
		return fd;
	long r = rt_syscall(__NR_readlinkat, fd, "", a[2], a[3], 0, 0);
	close_fd(fd);
	/* The fd exists: "" finds nothing only where it is not a symlink. */
	return r == -ENOENT ? -EINVAL : answer(c, __NR_readlinkat, r);
}

/* access(W_OK): the name opened as for a write (not in a read-only mount). */
__attribute__((noinline)) static long open_to_write(long dirfd, const char *path, uint64_t oflags)
{
	char buf[VFS_PATH_MAX];
	if (!(path = rt_absolute(dirfd, path, buf)))
		return RT_FORWARD;
	return rt_open_to_write(path, oflags, 0, NULL);
}

/* faccessat (flags 0) and faccessat2. W_OK is looked up as a write is:
 * a read-only mount's answer (EROFS) is the supervisor's, and fake
 * root's. */
FACET_HOT static long access_call(const struct call *c, const long a[6], long flags)
{
	const char *path = (const char *)a[1];
	long mode = a[2];
	if ((mode & ~(long)(RT_R_OK | RT_W_OK | RT_X_OK)) || (flags & ~(long)(AT_EACCESS | AT_SYMLINK_NOFOLLOW)))
		return RT_FORWARD;
	uint64_t oflags = O_PATH | (flags & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0);
	long fd;
	if (mode & RT_W_OK)
		fd = rt_fake() ? RT_FORWARD : open_to_write(a[0], path, oflags);
	else
		fd = rt_open_beneath(a[0], path, oflags, 0, NULL);
	if (fd < 0)
		return fd;
	long r = rt_syscall(__NR_faccessat2, fd, "", mode, (flags & AT_EACCESS) | AT_EMPTY_PATH, 0, 0);
	close_fd(fd);
	return r == -EINVAL ? RT_FORWARD : answer(c, __NR_faccessat2, r);
}

long rt_cwd_name(char buf[RT_CWD_MAX])
{
	if (rt_config.flags & RT_CONFIG_ROOT_CHANGED)
		return RT_FORWARD;
	uint32_t seq = __atomic_load_n(&rt_cwd.seq, __ATOMIC_ACQUIRE);
	uint32_t hl = rt_cwd.host_len, gl = rt_cwd.guest_len;
	if ((seq & 1) || !hl || hl >= RT_CWD_MAX || !gl || gl >= RT_CWD_MAX)
		return RT_FORWARD;
	long n = rt_syscall(__NR_readlinkat, AT_FDCWD, "/proc/self/cwd", buf, RT_CWD_MAX, 0, 0);
	if (n != (long)hl || memcmp(buf, rt_cwd.names, hl))
		return RT_FORWARD;
	memcpy(buf, rt_cwd.names + hl, gl);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&rt_cwd.seq, __ATOMIC_RELAXED) != seq)
		return RT_FORWARD; /* written meanwhile */
	return gl;
}

/* getcwd: the name the supervisor wrote (rt_cwd.c). */
static long getcwd_call(const long a[6])
{
	char buf[RT_CWD_MAX];
	long gl = rt_cwd_name(buf);
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

FACET_HOT static long handle(const struct call *c)
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
		return rt_times_call(c, a);
	/* The target is a string, stored as it is. */
	if (c->nr == __NR_symlinkat)
		return readable(a[0]) && readable(a[2]) ? rt_name_call(c, __NR_symlinkat, a[1], (const char *)a[2], a[0])
							: RT_FORWARD;
	if (c->nr == __NR_renameat2 || c->nr == __NR_renameat)
		return rt_two_names_call(c, __NR_renameat2, a[0], (const char *)a[1], a[2], (const char *)a[3],
				      c->nr == __NR_renameat2 ? a[4] : 0);
	if (c->nr == __NR_linkat)
		return rt_two_names_call(c, __NR_linkat, a[0], (const char *)a[1], a[2], (const char *)a[3], a[4]);
	if (c->nr == __NR_fchown || c->nr == __NR_fchmod)
		return rt_fd_owner_call(c, a[0], a[1], a[2], a[1]);
	if (c->nr == __NR_fchownat)
		return rt_chown_call(c, a[0], (const char *)a[1], a[2], a[3], a[4]);
	if (c->nr == __NR_fchmodat || c->nr == __NR_fchmodat2)
		return rt_chmod_call(c, a[0], (const char *)a[1], a[2], c->nr == __NR_fchmodat2 ? a[3] : 0);
#ifdef __NR_rename
	if (c->nr == __NR_rename)
		return rt_two_names_call(c, __NR_renameat2, AT_FDCWD, (const char *)a[0], AT_FDCWD, (const char *)a[1], 0);
	if (c->nr == __NR_link)
		return rt_two_names_call(c, __NR_linkat, AT_FDCWD, (const char *)a[0], AT_FDCWD, (const char *)a[1], 0);
	if (c->nr == __NR_chmod)
		return rt_chmod_call(c, AT_FDCWD, (const char *)a[0], a[1], 0);
	if (c->nr == __NR_chown || c->nr == __NR_lchown)
		return rt_chown_call(c, AT_FDCWD, (const char *)a[0], a[1], a[2],
				  c->nr == __NR_lchown ? AT_SYMLINK_NOFOLLOW : 0);
	if (c->nr == __NR_symlink)
		return readable(a[0]) && readable(a[1]) ? rt_name_call(c, __NR_symlinkat, AT_FDCWD, (const char *)a[1], a[0])
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
		return rt_name_call(c, __NR_unlinkat, a[0], (const char *)a[1], a[2]);
	case __NR_mkdirat:
		return rt_name_call(c, __NR_mkdirat, a[0], (const char *)a[1], a[2]);
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
		return rt_name_call(c, __NR_unlinkat, AT_FDCWD, (const char *)a[0], 0);
	case __NR_rmdir:
		return rt_name_call(c, __NR_unlinkat, AT_FDCWD, (const char *)a[0], AT_REMOVEDIR);
	case __NR_mkdir:
		return rt_name_call(c, __NR_mkdirat, AT_FDCWD, (const char *)a[0], a[1]);
#endif
	default:
		return RT_FORWARD;
	}
}

FACET_HOT long rt_call(long nr, const long a[6])
{
	const struct call c = { nr, a };
	long r = handle(&c);
	/* Fake root may do what the real user's bits refuse: open a file
	 * or search a directory its owner's bits refuse, write in a
	 * directory without the owner's write bit. The supervisor makes
	 * such calls as root would (core/view/open.c, vfs_ops.c,
	 * exec_modify.c). */
	if (r == -EACCES && rt_fake_writes())
		r = RT_FORWARD;
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
