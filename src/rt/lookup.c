/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where the kernel may resolve a path for the view by itself: a directory
 * under which the view has no mount point, and which is not in procfs
 * ("plain"). Below one, openat2(RESOLVE_BENEATH) finds what the view
 * would show, symlinks and ".." included, and fails with EXDEV where the
 * view's answer lies elsewhere (an absolute symlink, ".." out of it): then
 * the supervisor decides.
 *
 * A relative path starts at the dirfd (or the cwd) if that is plain. An
 * absolute one starts at its shallowest plain directory, found in the
 * view's mount table and opened name by name without following symlinks
 * (a symlink there is the supervisor's).
 */
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/openat2.h>
#include <linux/stat.h>

#include "loader/lib.h"
#include "rt/fds.h"
#include "rt/lookup.h"
#include "rt/sys.h"
#include "util/hot.h"
#include "vfs/vfs.h"

FACET_HOT bool rt_proc_dev(uint64_t dev)
{
	const uint64_t *devs = rt_config_proc_devs(&rt_config);
	for (uint32_t i = 0; i < rt_config.nproc_devs; i++)
		if (devs[i] == dev)
			return true;
	return false;
}

FACET_HOT bool rt_fence(uint64_t dev, uint64_t ino)
{
	if (rt_config.flags & RT_CONFIG_ALL_FENCED)
		return true;
	const struct rt_ident *f = rt_config_fences(&rt_config);
	for (uint32_t i = 0; i < rt_config.nfences; i++)
		if (f[i].dev == dev && f[i].ino == ino)
			return true;
	return false;
}

FACET_HOT uint32_t rt_fence_links(uint64_t dev, uint64_t ino)
{
	if (rt_config.flags & RT_CONFIG_ALL_FENCED)
		return RT_LINKS_UNKNOWN;
	const struct rt_ident *f = rt_config_fences(&rt_config);
	for (uint32_t i = 0; i < rt_config.nfences; i++)
		if (f[i].dev == dev && f[i].ino == ino)
			return rt_config_fence_links(&rt_config)[i];
	return 0;
}

FACET_HOT static bool is_fence(uint64_t dev, uint64_t ino)
{
	return rt_proc_dev(dev) || rt_fence(dev, ino);
}

FACET_HOT bool rt_plain_dir_stat(long dirfd, struct rt_stat *st)
{
	if (rt_syscall(__NR_newfstatat, dirfd, "", st, AT_EMPTY_PATH, 0, 0) < 0)
		return false;
	return S_ISDIR(st->mode) && !is_fence(st->dev, st->ino);
}

FACET_HOT bool rt_plain_dir(long dirfd)
{
	struct rt_stat st;
	return rt_plain_dir_stat(dirfd, &st);
}

static const struct vfs_table *table(void)
{
	return rt_config_table(&rt_config);
}

FACET_HOT bool rt_dotdot_plain(long dirfd, const char *path)
{
	if (!path || path[0] != '.' || path[1] != '.' || path[2] ||
	    (rt_config.flags & (RT_CONFIG_ROOTS_UNKNOWN | RT_CONFIG_ROOT_CHANGED | RT_CONFIG_ALL_FENCED)))
		return false;
	struct rt_stat st;
	if (rt_syscall(__NR_newfstatat, dirfd, "", &st, AT_EMPTY_PATH, 0, 0) < 0 || !S_ISDIR(st.mode) ||
	    rt_proc_dev(st.dev))
		return false;
	const struct rt_ident *roots = rt_config_roots(&rt_config);
	for (uint32_t i = 0; i < rt_config.nroots; i++)
		if (roots[i].dev == st.dev && roots[i].ino == st.ino)
			return false; /* ".." is the mount point's parent, another mount's */
	/* A directory outside the view (an fd from elsewhere) has no ".." in
	 * it: the supervisor refuses it. */
	const struct vfs_table *t = table();
	if (!t)
		return false;
	return (int)dirfd != AT_FDCWD ? rt_fd_inside(dirfd) : rt_link_in_view("/proc/self/cwd");
}

FACET_HOT bool rt_one_name(const char *p)
{
	if (!p || !p[0] || (p[0] == '.' && p[1] == '.' && !p[2]))
		return false;
	for (; *p; p++)
		if (*p == '/')
			return false;
	return true;
}

FACET_HOT bool rt_host_named(const char *path)
{
	const struct vfs_table *t = table();
	if (!t || !(rt_config.flags & RT_CONFIG_HOST_PATHS) || (rt_config.flags & RT_CONFIG_ROOT_CHANGED) ||
	    path[0] != '/')
		return false;
	size_t len = loader_strlen(path);
	int m = len < VFS_PATH_MAX ? vfs_mount_of(t, path, len) : -1;
	return m >= 0 && !(t->mounts[m].flags & VFS_MOUNT_PROC);
}

FACET_HOT bool rt_names_mount(const char *name, bool fences)
{
	const struct vfs_table *t = table();
	if (!t)
		return true; /* not known here */
	size_t n = loader_strlen(name);
	uint32_t bit = vfs_name_hash(name, n) % RT_NAME_BITS;
	if (!(rt_config.name_bits[bit / 64] & (1ull << (bit % 64))))
		return false; /* no mount point's path has that name */
	for (uint32_t i = 0; i < t->nmounts; i++) {
		const char *g = vfs_mount_guest(t, (int)i);
		size_t len = t->mounts[i].guest_len;
		/* Its last name, or with `fences` any of its names. */
		for (size_t e = len; e > 1;) {
			size_t b = e;
			while (b > 0 && g[b - 1] != '/')
				b--;
			if (e - b == n && !memcmp(g + b, name, n))
				return true;
			if (!fences)
				break;
			e = b - 1; /* the names before it end at its '/' */
		}
	}
	return false;
}

bool rt_above_mounts(const char *path)
{
	const struct vfs_table *t = table();
	return !t || vfs_mounts_below(t, path, loader_strlen(path));
}

/* An absolute path: its length (0 if too long), and in *plain the length
 * of its leading names that are neither "", "." nor ".." ("/" counts 1;
 * == the length: the whole path, "/" included, is such names, without a
 * trailing "/"). */
FACET_HOT static size_t absolute_len(const char *p, size_t *plain)
{
	size_t i = 1;
	*plain = 0;
	if (!p[1]) {
		*plain = 1;
		return 1; /* "/" */
	}
	for (;;) {
		size_t start = i;
		while (p[i] && p[i] != '/' && i < VFS_PATH_MAX)
			i++;
		if (i >= VFS_PATH_MAX)
			return 0;
		size_t n = i - start;
		bool dots = n == 0 || (n == 1 && p[start] == '.') || (n == 2 && p[start] == '.' && p[start + 1] == '.');
		if (dots && !*plain)
			*plain = start > 1 ? start - 1 : 1;
		if (!p[i]) {
			if (!*plain)
				*plain = i;
			return i;
		}
		i++;
	}
}

/* open_plain_prefix(): the last name's directory holds mount points. */
#define RT_IN_FENCE (RT_FORWARD - 9) /* past lookup.h's codes */

/* A write through mount m: the supervisor's where the mount is read-only
 * (EROFS, and a device there may still be written: it knows). */
static bool refuses(const struct vfs_table *t, int m, bool writes)
{
	return writes && (t->mounts[m].flags & VFS_MOUNT_RO);
}

/* rt_follow() for a caller with no path buffer to spare. Not inlined:
 * the buffer is on the stack only while it is needed. */
__attribute__((noinline)) static long follow_name(long dirfd, const char *name, const char *dir, size_t dir_len,
						  const char *tail, char *next)
{
	char link[VFS_PATH_MAX];
	return rt_follow(dirfd, name, link, sizeof(link), dir, dir_len, tail, next);
}

/* rt_follow() of the host path in host[] (VFS_PATH_MAX bytes), the
 * target read into the rest of host[], which the caller no longer needs. */
static long follow_host(char *host, const char *dir, size_t dir_len, const char *tail, char *next)
{
	size_t used = loader_strlen(host) + 1;
	return rt_follow(AT_FDCWD, host, host + used, VFS_PATH_MAX - used, dir, dir_len, tail, next);
}

/* Opens the shallowest plain directory of absolute `path` (len bytes)
 * that lies above its last name, among the first `plain` bytes (names
 * without "." or ".."); *rest is then what follows it, for openat2 to
 * resolve, "." and ".." included, and *dir_len the length of the
 * directory's name in path (0 for "/"). A symlink on the way gives
 * RT_LINK and the path that follows it in `next`. With `writes`, a
 * read-only mount gives RT_FORWARD. */
static long open_plain_prefix(const char *path, size_t len, size_t plain, const char **rest, size_t *dir_len,
			      char *next, bool writes, int *mount)
{
	const struct vfs_table *t = table();
	/* The parent directory's length ("/" counts 1), then the prefixes
	 * ending at a name, shortest first: "/", "/a", "/a/b"... */
	size_t parent = len;
	while (parent > 0 && path[parent - 1] != '/')
		parent--;
	parent = parent > 1 ? parent - 1 : 1;
	size_t d = 1;
	while (vfs_mounts_below(t, path, d)) {
		if (plain < len && d >= plain)
			return RT_FORWARD; /* "." or ".." above mount points */
		if (d >= parent)
			return RT_IN_FENCE; /* the last name's directory holds mount points */
		size_t j = d == 1 ? 1 : d + 1;
		while (j < len && path[j] != '/')
			j++;
		d = j;
	}
	int m = vfs_mount_of(t, path, d);
	if (m < 0 || (t->mounts[m].flags & (VFS_MOUNT_PROC | VFS_MOUNT_FILE | VFS_MOUNT_SYNTHETIC)) ||
	    refuses(t, m, writes))
		return RT_FORWARD;
	*mount = m;
	/* From the mount's host directory, the names down to the prefix. */
	long fd = rt_syscall(__NR_openat, AT_FDCWD, vfs_mount_host(t, m), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
	size_t i = t->mounts[m].guest_len;
	char name[VFS_NAME_MAX + 1];
	while (fd >= 0 && i < d) {
		while (path[i] == '/')
			i++;
		size_t start = i, n = 0;
		while (i < d && path[i] != '/' && n < VFS_NAME_MAX)
			name[n++] = path[i++];
		name[n] = '\0';
		long below = rt_syscall(__NR_openat, fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, 0, 0);
		if (below < 0 && (below == -ENOTDIR || below == -ELOOP)) {
			/* A symlink (/lib -> usr/lib), maybe: the path through it. */
			long r = follow_name(fd, name, path, start - 1, path + i, next);
			rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
			return r == RT_LINK || r == -ENOENT ? r : RT_FORWARD;
		}
		rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
		fd = below;
	}
	if (fd < 0)
		return RT_FORWARD; /* missing: the supervisor says what */
	struct rt_stat st;
	if (rt_syscall(__NR_newfstatat, fd, "", &st, AT_EMPTY_PATH, 0, 0) < 0 || rt_proc_dev(st.dev)) {
		rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
		return RT_FORWARD;
	}
	/* "/a//b" and "/a/": what follows the directory, "." for itself. */
	*dir_len = d == 1 ? 0 : d;
	*rest = path + (d == 1 ? 1 : d + 1);
	while (**rest == '/')
		++*rest;
	if (!**rest)
		*rest = ".";
	return fd;
}


/* Into host[]: the host path of absolute `path` (len bytes, canonical)
 * that lies in mount m, or is m's mount point. */
FACET_HOT static long host_of(const struct vfs_table *t, int m, const char *path, size_t len, char host[VFS_PATH_MAX])
{
	size_t hlen = t->mounts[m].host_len, glen = t->mounts[m].guest_len;
	size_t tail = len == glen ? 0 : (glen == 1 ? len : len - glen); /* "/x" after the mount's host path */
	if (hlen == 1 && tail)
		hlen = 0; /* "/" + "/x" */
	if (hlen + tail >= VFS_PATH_MAX)
		return RT_FORWARD;
	memcpy(host, vfs_mount_host(t, m), hlen);
	memcpy(host + hlen, path + len - tail, tail);
	host[hlen + tail] = '\0';
	return 0;
}

/* rt_host_path(), and in *mount the mount the name lies in. */
FACET_HOT static long host_path_in(const char *path, char host[VFS_PATH_MAX], int *mount)
{
	const struct vfs_table *t = table();
	size_t plain, len = absolute_len(path, &plain);
	if (!len || plain != len || len == 1 || !t || (rt_config.flags & RT_CONFIG_ROOT_CHANGED))
		return RT_FORWARD;
	size_t parent = len;
	while (parent > 0 && path[parent - 1] != '/')
		parent--;
	parent = parent > 1 ? parent - 1 : 1;
	int m = vfs_mount_of(t, path, parent);
	/* The directory is a mount point (its host path is canonical), or
	 * holds mount points (it and those above it are real directories),
	 * and the name itself is not one. */
	if (m < 0 || vfs_mount_at(t, path, len) >= 0 ||
	    (t->mounts[m].guest_len != parent && !vfs_mounts_below(t, path, parent)) ||
	    (t->mounts[m].flags & (VFS_MOUNT_PROC | VFS_MOUNT_SYNTHETIC | VFS_MOUNT_FILE)))
		return RT_FORWARD;
	*mount = m;
	return host_of(t, m, path, len, host);
}

FACET_HOT long rt_host_path(const char *path, char host[VFS_PATH_MAX], int *mount)
{
	int m;
	return host_path_in(path, host, mount ? mount : &m);
}

/* openat(AT_FDCWD, host path) of an absolute guest path that is a mount
 * point or "/" (its host path is canonical), or that rt_host_path()
 * takes: the last name is not followed unless the caller follows it; a
 * symlink followed gives RT_LINK and the path through it in `next`.
 * With `writes`, a read-only mount gives RT_FORWARD. */
FACET_HOT static long open_host_path(const char *path, size_t len, uint64_t oflags, uint64_t mode, char *next, bool writes,
			   int *mount)
{
	const struct vfs_table *t = table();
	int m = vfs_mount_at(t, path, len);
	bool point = m >= 0;
	char host[VFS_PATH_MAX];
	if (point ? (t->mounts[m].flags & (VFS_MOUNT_PROC | VFS_MOUNT_SYNTHETIC)) || host_of(t, m, path, len, host) < 0
		  : host_path_in(path, host, &m) < 0)
		return RT_FORWARD;
	if (refuses(t, m, writes))
		return RT_FORWARD;
	*mount = m;
	/* A directory above mount points lists them: the supervisor opens it
	 * (the filter sends getdents of such fds to it). O_PATH fds are the
	 * runtime's own, for a stat, which sees to such directories itself. */
	if (!(oflags & O_PATH) && rt_above_mounts(path))
		return RT_FORWARD;
	bool follow = !(oflags & O_NOFOLLOW);
	uint64_t flags = rt_open_flags(oflags) | (point ? 0 : O_NOFOLLOW);
	long fd = rt_syscall(__NR_openat, AT_FDCWD, host, flags, mode, 0, 0);
	if (fd == -EPERM || fd == -ENOSYS)
		return RT_FORWARD; /* maybe the program's own filter (rt_open_beneath) */
	if (point || !follow)
		return fd;
	struct rt_stat st;
	if (oflags & O_PATH) {
		if (fd < 0 || rt_syscall(__NR_newfstatat, fd, "", &st, AT_EMPTY_PATH, 0, 0) < 0 || !S_ISLNK(st.mode))
			return fd;
		rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
		fd = RT_FORWARD; /* closed: a link replaced meanwhile is the supervisor's */
	} else if (fd != -ELOOP && fd != -ENOTDIR) {
		return fd;
	}
	/* A symlink, maybe: the path through it. */
	long r = follow_host(host, path, rt_parent_len(path, len), "", next);
	return r == RT_NOT_LINK ? fd : r == RT_LINK ? r : RT_FORWARD;
}

/* RT_NOT_DIRECT: open_direct() leaves the path to the walk. */
#define RT_NOT_DIRECT (RT_FORWARD - 10)

/* open_direct() met a symlink (ELOOP) where it follows the last name:
 * if that name is the only symlink on the way (a library's soname,
 * /usr/bin/cc), the path through it (RT_LINK, into next), or O_NOFOLLOW's
 * ELOOP, which is then the answer; else RT_NOT_DIRECT, for the walk. A
 * link in procfs (a mount that shows the host's / shows its /proc too)
 * is the process's own, or magic: the supervisor's. */
__attribute__((noinline)) static long last_link(char *host, const char *path, size_t len, uint64_t oflags,
						char *next)
{
	if ((oflags & O_CREAT) && (oflags & O_EXCL))
		return RT_NOT_DIRECT; /* the last name is not followed */
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS };
	long fd = rt_syscall(__NR_openat2, AT_FDCWD, host, &how, sizeof(how), 0, 0);
	if (fd < 0)
		return RT_NOT_DIRECT;
	struct rt_stat st;
	long r = rt_syscall(__NR_newfstatat, fd, "", &st, AT_EMPTY_PATH, 0, 0);
	rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
	if (r < 0 || !S_ISLNK(st.mode))
		return RT_NOT_DIRECT; /* replaced meanwhile */
	if (rt_proc_dev(st.dev))
		return RT_FORWARD;
	if (oflags & O_NOFOLLOW)
		return -ELOOP;
	/* No directory on the way is a symlink (the open above): the kernel
	 * reads the link from the host path as the view would. */
	r = follow_host(host, path, rt_parent_len(path, len), "", next);
	return r == RT_NOT_LINK ? RT_NOT_DIRECT : r;
}

/* open_direct() met a symlink on the way: if it is the first name below
 * the mount's mount point (/lib -> usr/lib, /bin, /sbin in a merged-/usr
 * root), the path through it (RT_LINK, into next), read from the host
 * path, which has no symlink above it; else RT_NOT_DIRECT, for the walk. */
__attribute__((noinline)) static long first_link(const struct vfs_table *t, int m, const char *path, size_t len,
						 char *host, char *next)
{
	size_t glen = t->mounts[m].guest_len, start = glen == 1 ? 1 : glen + 1, end = start;
	while (end < len && path[end] != '/')
		end++;
	if (end >= len)
		return RT_NOT_DIRECT; /* the last name: last_link's */
	/* In host[], the first name ends where it does in path, moved by
	 * what replaced the mount point (host_of). */
	size_t hlen = t->mounts[m].host_len == 1 ? 0 : t->mounts[m].host_len;
	size_t hend = hlen + (end - (glen == 1 ? 0 : glen));
	host[hend] = '\0'; /* host[] is spent: the target goes after it */
	long r = follow_host(host, path, start - 1, path + end, next);
	return r == RT_LINK || r == -ENOENT ? r : RT_NOT_DIRECT;
}

/* The mount whose host path open_direct() or open_dotted() may open for
 * a path whose leading names (len bytes) lie in it, or -1. */
FACET_HOT static int direct_mount(const struct vfs_table *t, const char *path, size_t len, bool writes)
{
	int m = vfs_mount_of(t, path, len);
	if (m < 0 || (t->mounts[m].flags & (VFS_MOUNT_PROC | VFS_MOUNT_FILE | VFS_MOUNT_SYNTHETIC)) || refuses(t, m, writes))
		return -1;
	return m;
}

/* openat2 of a host path on which the kernel must meet no symlink. */
FACET_HOT static long open_no_links(const char *host, uint64_t oflags, uint64_t mode)
{
	struct open_how how = {
		.flags = rt_open_flags(oflags) | (oflags & O_PATH ? 0 : O_LARGEFILE),
		.mode = mode,
		.resolve = RESOLVE_NO_SYMLINKS,
	};
	return rt_syscall(__NR_openat2, AT_FDCWD, host, &how, sizeof(how), 0, 0);
}

/* An answer of open_no_links() that is not the view's: a kernel without
 * openat2, or flags it refuses, and EPERM or ENOSYS, maybe the program's
 * own seccomp filter (rt_open_beneath). */
FACET_HOT static bool not_direct(long fd)
{
	return fd == -EINVAL || fd == -ENOSYS || fd == -EPERM || fd == -EAGAIN || fd == -EXDEV;
}

/* An absolute path of names alone (no ".", "..", "//"), not itself a
 * mount point: it lies in the deepest mount whose mount point is a
 * prefix of it, and no other mount point is on its way. If the kernel
 * walks its host path without meeting a symlink (RESOLVE_NO_SYMLINKS; a
 * last one opened with O_PATH|O_NOFOLLOW is the link itself), it walks
 * the names the view would, and its answer is the view's, errors
 * included: one call, where the walk to the plain directory takes
 * several. The view's procfs mounts (/proc, and any bind of one) are
 * mounts of their own, which this leaves alone. A symlink on the way
 * (ELOOP) is the walk's. */
FACET_HOT __attribute__((noinline)) static long open_direct(const char *path, size_t len, uint64_t oflags, uint64_t mode,
						  bool writes, char *next, int *mount)
{
	const struct vfs_table *t = table();
	int m = direct_mount(t, path, len, writes);
	char host[VFS_PATH_MAX];
	if (m < 0 || (!(oflags & O_PATH) && rt_above_mounts(path)) || host_of(t, m, path, len, host) < 0)
		return RT_NOT_DIRECT;
	long fd = open_no_links(host, oflags, mode);
	if (fd == -ELOOP) {
		fd = (oflags & O_PATH) && (oflags & O_NOFOLLOW) ? RT_NOT_DIRECT : last_link(host, path, len, oflags, next);
		return fd == RT_NOT_DIRECT ? first_link(t, m, path, len, host, next) : fd;
	}
	if (not_direct(fd))
		return RT_NOT_DIRECT;
	*mount = m;
	return fd;
}

/* An absolute path with "." or ".." among its names, or "//" (gcc's
 * driver looks up /usr/lib/gcc/x86_64-linux-gnu/12/../../../../x86_64-linux-gnu/bin/as):
 * with no symlink on the way each ".." takes back the name before it, so
 * the walk goes through the places its names say. If no step leaves the
 * mount its leading names lie in (a ".." from the mount's root, a name
 * that is another mount's point), the kernel's walk of its host path,
 * refusing symlinks, is the view's walk, errors included: one call, as
 * open_direct() makes for a path of names alone, where the walk from its
 * plain directory takes five or more. A symlink on the way (ELOOP) is the
 * walk's. `plain`: the length of the leading names (absolute_len). */
FACET_HOT __attribute__((noinline)) static long open_dotted(const char *path, size_t len, size_t plain, uint64_t oflags,
							  uint64_t mode, bool writes, int *mount)
{
	const struct vfs_table *t = table();
	int m = direct_mount(t, path, plain, writes);
	if (m < 0)
		return RT_NOT_DIRECT;
	/* Where the walk is, as names alone ("/" counts 1); then the host
	 * path, in the same buffer. */
	char at[VFS_PATH_MAX];
	size_t root = t->mounts[m].guest_len, n = plain, i = plain;
	memcpy(at, path, plain);
	while (i < len) {
		while (path[i] == '/')
			i++;
		size_t start = i;
		while (i < len && path[i] != '/')
			i++;
		size_t k = i - start;
		if (k == 0 || (k == 1 && path[start] == '.'))
			continue;
		if (k == 2 && path[start] == '.' && path[start + 1] == '.') {
			if (n <= root)
				return RT_NOT_DIRECT; /* out of the mount */
			while (at[n - 1] != '/')
				n--;
			n = n > 1 ? n - 1 : 1;
			continue;
		}
		if (n + 1 + k >= VFS_PATH_MAX)
			return RT_NOT_DIRECT;
		if (n > 1)
			at[n++] = '/';
		memcpy(at + n, path + start, k);
		n += k;
		if (vfs_mount_of(t, at, n) != m)
			return RT_NOT_DIRECT; /* into another mount */
	}
	/* A directory above mount points lists them (open_direct). */
	char *host = at;
	if ((!(oflags & O_PATH) && vfs_mounts_below(t, at, n)) || host_of(t, m, path, len, host) < 0)
		return RT_NOT_DIRECT;
	long fd = open_no_links(host, oflags, mode);
	if (fd == -ELOOP || not_direct(fd))
		return RT_NOT_DIRECT;
	*mount = m;
	return fd;
}

/* openat2(start, rest) beneath the plain directory `start`, which is the
 * runtime's own if `owned`: as rt_open_beneath(). `resolve`: RESOLVE_*
 * flags besides. */
static long open_below(long start, bool owned, const char *text, size_t text_len, const char *rest, uint64_t oflags,
		       uint64_t mode, uint64_t resolve, char *next)
{
	/* openat2 refuses with O_PATH what openat ignores; openat adds
	 * O_LARGEFILE itself. The runtime's own O_PATH fds are close-on-exec.
	 * After a symlink the runtime followed, it follows the others too
	 * (rt_walk), so that it counts them to the kernel's 40. */
	struct open_how how = {
		.flags = rt_open_flags(oflags) | (oflags & O_PATH ? 0 : O_LARGEFILE),
		.mode = mode,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | resolve,
	};
	/* The kernel gives the lowest free fd, which the directory holds (the
	 * shell's close(1); open() relies on it): the directory moves up
	 * first. Not closed and taken back after: another thread could get
	 * that number meanwhile, and lose its file. */
	if (owned && rt_opens_for_program(oflags))
		start = rt_fd_high(start);
	long fd = rt_syscall(__NR_openat2, start, rest, &how, sizeof(how), 0, 0);
	/* EXDEV: an absolute symlink or ".." out of it; ELOOP may be a
	 * magic link. Below an absolute path's directory, the runtime
	 * knows every name, and takes them one by one. */
	if (owned && (fd == -EXDEV || fd == -ELOOP))
		fd = rt_walk(start, text, text_len, rest, oflags, mode, next);
	if (owned)
		rt_syscall(__NR_close, start, 0, 0, 0, 0, 0);
	/* EXDEV: the view's answer lies elsewhere; ELOOP may be a magic
	 * link; ENOSYS: a kernel without openat2; EPERM, ENOSYS: maybe the
	 * program's own seccomp filter, refusing a call it did not make. */
	return fd == -EXDEV || fd == -ELOOP || fd == -ENOSYS || fd == -EAGAIN || fd == -EPERM ? RT_FORWARD : fd;
}

/* One absolute path: as rt_open_beneath(), or RT_RESTART or RT_LINK with
 * the path to resolve instead in `next`; `linked`: after a symlink. */
static long open_absolute(const char *path, uint64_t oflags, uint64_t mode, bool linked, char *next, bool writes,
			  int *mount)
{
	size_t plain, len = absolute_len(path, &plain);
	if (!len)
		return RT_FORWARD;
	bool simple = plain == len;
	if (simple && (len == 1 || vfs_mount_at(table(), path, len) >= 0))
		return open_host_path(path, len, oflags, mode, next, writes, mount);
	long fd = simple ? open_direct(path, len, oflags, mode, writes, next, mount)
			: open_dotted(path, len, plain, oflags, mode, writes, mount);
	if (fd != RT_NOT_DIRECT)
		return fd;
	const char *rest = 0;
	size_t dir_len = 0;
	long start = open_plain_prefix(path, len, plain, &rest, &dir_len, next, writes, mount);
	if (start == RT_IN_FENCE && simple)
		return open_host_path(path, len, oflags, mode, next, writes, mount);
	if (start < 0)
		return start == RT_LINK || start == -ENOENT ? start : RT_FORWARD;
	return open_below(start, true, path, dir_len, rest, oflags, mode, linked ? RESOLVE_NO_SYMLINKS : 0, next);
}

/* The kernel follows at most 40 symlinks in one lookup (ELOOP after);
 * the runtime leaves a path with many ".." on top to the supervisor. */
#define MAX_LINKS 40
#define MAX_RESTARTS 64

long rt_fd_high(long fd)
{
	long high = rt_syscall(__NR_fcntl, fd, F_DUPFD_CLOEXEC, RT_FD_HIGH, 0, 0, 0);
	if (high < 0)
		return fd; /* a limit below RT_FD_HIGH, or every fd taken */
	rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
	return high;
}

/* An absolute path, resolved again after each symlink or "..". */
static long open_path(const char *path, uint64_t oflags, uint64_t mode, bool writes, int *mount)
{
	if (!table() || (rt_config.flags & RT_CONFIG_ROOT_CHANGED))
		return RT_FORWARD;
	char next[VFS_PATH_MAX]; /* each path through a symlink, made in place */
	unsigned links = 0;
	for (unsigned i = 0; i < MAX_RESTARTS; i++) {
		long r = open_absolute(path, oflags, mode, links > 0, next, writes, mount);
		if (r == RT_LINK && ++links > MAX_LINKS)
			return -ELOOP;
		if (r != RT_RESTART && r != RT_LINK)
			return r;
		path = next;
	}
	return RT_FORWARD;
}

FACET_HOT long rt_open_beneath(long dirfd, const char *path, uint64_t oflags, uint64_t mode, int *mount)
{
	int m;
	if (!mount)
		mount = &m;
	if (!path || !path[0] || (oflags & O_CREAT))
		return RT_FORWARD;
	if (path[0] != '/') {
		*mount = rt_dir_mount(dirfd);
		return rt_plain_dir(dirfd) ? open_below(dirfd, false, 0, 0, path, oflags, mode, 0, 0) : RT_FORWARD;
	}
	return open_path(path, oflags, mode, false, mount);
}

long rt_open_to_write(const char *path, uint64_t oflags, uint64_t mode, int *mount)
{
	int m;
	return path[0] == '/' ? open_path(path, oflags, mode, true, mount ? mount : &m) : RT_FORWARD;
}

long rt_open_to_write_below(long dirfd, const char *path, uint64_t oflags, uint64_t mode, int *mount, bool exact)
{
	return rt_open_to_write_below_as(dirfd, path, oflags, mode, 0, mount, exact);
}

long rt_open_to_write_below_as(long dirfd, const char *path, uint64_t oflags, uint64_t mode, uint64_t resolve,
			       int *mount, bool exact)
{
	if (!path || !rt_write_below(dirfd, path, exact))
		return RT_FORWARD;
	long m = rt_write_mount_of_dir((int)dirfd, exact);
	if (m == RT_FORWARD)
		return RT_FORWARD;
	*mount = (int)m;
	/* Not into another of the host's mounts below it (procfs under a
	 * bind of the host's /, which the view leaves to the supervisor). */
	return open_below((int)dirfd, false, 0, 0, path, oflags, mode, RESOLVE_NO_XDEV | resolve, 0);
}
