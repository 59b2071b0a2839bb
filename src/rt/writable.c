/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where the runtime may make a write itself (writes.c, and the creates of
 * calls.c): below a directory fd, or below the cwd where the view's root
 * shows the host's / and no mount refuses a write; in which mount such a
 * write lies, from the fd's host path or, where every host path lies in
 * the view, from its mark (fds.c); and whether a write on an fd is the
 * kernel's to make. The opens themselves are lookup.c's.
 */
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/stat.h>

#include "loader/lib.h"
#include "rt/fds.h"
#include "rt/lookup.h"
#include "rt/sys.h"
#include "vfs/vfs.h"

/* Whether every host path lies in the view (its root shows the host's /)
 * and no mount refuses a write or stands for a file or a made-up
 * directory. */
static bool host_root_all_writable(const struct vfs_table *t)
{
	bool root = false;
	for (uint32_t i = 0; i < t->nmounts; i++) {
		if (t->mounts[i].flags & (VFS_MOUNT_RO | VFS_MOUNT_FILE | VFS_MOUNT_SYNTHETIC))
			return false;
		root |= t->mounts[i].guest_len == 1 && t->mounts[i].host_len == 1;
	}
	return root;
}

/* rt_write_mount_of_fd(), with the fd's fstat in *st if `stat` (else
 * made here only where it is needed). */
static long write_mount_of_fd(long dirfd, bool exact, struct rt_stat *st, bool stat)
{
	const struct vfs_table *t = rt_config_table(&rt_config);
	char host[VFS_PATH_MAX];
	long n;
	if (!t || (rt_config.flags & RT_CONFIG_ROOT_CHANGED)) /* the link is named from the root */
		return RT_FORWARD;
	if (!exact && host_root_all_writable(t)) {
		/* Then whether a write may be made there needs no look at the
		 * fd's host path (a readlink of /proc/self/fd/N: 2.6 us on the
		 * VM of 1 December, an fstat 0.27), but for procfs, which stays
		 * the supervisor's. The mount, for the name of what is made below
		 * the fd, is its mark, which facet believes only where the host
		 * path lies in that mount (fds.c). */
		if ((!stat && rt_syscall(__NR_newfstatat, dirfd, "", st, AT_EMPTY_PATH, 0, 0) < 0) ||
		    rt_proc_dev(st->dev))
			return RT_FORWARD;
		return rt_dir_mount(dirfd);
	}
	if ((n = rt_fd_host(dirfd, host)) < 0)
		return RT_FORWARD;
	long found = RT_FORWARD, mark = rt_fd_mount(dirfd);
	bool marked = false;
	for (uint32_t i = 0; i < t->nmounts; i++) {
		if (!vfs_path_within(host, (size_t)n, vfs_mount_host(t, (int)i), t->mounts[i].host_len))
			continue;
		if (t->mounts[i].flags & (VFS_MOUNT_RO | VFS_MOUNT_PROC | VFS_MOUNT_FILE | VFS_MOUNT_SYNTHETIC))
			return RT_FORWARD;
		found = found == RT_FORWARD ? (long)i : -1;
		marked |= (long)i == mark;
	}
	return found == -1 && marked ? mark : found;
}

/* Whether a write relative to the cwd may be made below it, as below a
 * directory fd, without the cwd's name: the view's root shows the host's
 * / and no mount refuses a write (then a directory's fstat tells all a
 * write needs; its name, a readlink of /proc/self/cwd, cost more than the
 * write). */
static bool cwd_writes_below(void)
{
	const struct vfs_table *t = rt_config_table(&rt_config);
	return t && !(rt_config.flags & RT_CONFIG_ROOT_CHANGED) && host_root_all_writable(t);
}

/* Whether path has a ".." name, which leads above the directory it
 * starts in. */
static bool has_dotdot(const char *p)
{
	while (*p) {
		if (p[0] == '.' && p[1] == '.' && (!p[2] || p[2] == '/'))
			return true;
		while (*p && *p != '/')
			p++;
		while (*p == '/')
			p++;
	}
	return false;
}

/* A ".." above the cwd (gcc -o ../x.o) would leave below it for the
 * supervisor: such paths keep the cwd's name, which the runtime
 * resolves itself. */
bool rt_write_below(long dirfd, const char *path, bool exact)
{
	if (!path[0] || path[0] == '/')
		return false;
	int fd = (int)dirfd; /* the kernel takes an int */
	return fd >= 0 || (fd == AT_FDCWD && !exact && !has_dotdot(path) && cwd_writes_below());
}


long rt_write_mount_of_fd(long dirfd, bool exact)
{
	struct rt_stat st;
	return write_mount_of_fd(dirfd, exact, &st, false);
}

long rt_write_mount_of_dir(long dirfd, bool exact)
{
	/* One fstat for both looks: a write below a directory fd (tar -C,
	 * rm -r) makes one per file. */
	struct rt_stat st;
	return rt_plain_dir_stat(dirfd, &st) ? write_mount_of_fd(dirfd, exact, &st, true) : RT_FORWARD;
}

long rt_proc_self_fd(long dirfd, const char *path, char host[VFS_PATH_MAX])
{
	const struct vfs_table *t = rt_config_table(&rt_config);
	static const char prefix[] = "/proc/self/fd/";
	if (!t || (rt_config.flags & RT_CONFIG_ROOT_CHANGED) || ((int)dirfd != AT_FDCWD && path[0] != '/'))
		return -1;
	size_t i = 0;
	while (prefix[i] && path[i] == prefix[i])
		i++;
	if (prefix[i] || !path[i] || (path[i] == '0' && path[i + 1]))
		return -1; /* procfs has no "03" */
	long n = 0;
	for (; path[i]; i++) {
		if (path[i] < '0' || path[i] > '9' || n > 0x7fffffff / 10)
			return -1;
		n = n * 10 + (path[i] - '0');
	}
	/* The view's /proc must be a procfs of the host's, whose "self" is
	 * this process as it is the program's. */
	int m = vfs_mount_at(t, "/proc", 5);
	size_t hl;
	if (m < 0 || !(t->mounts[m].flags & VFS_MOUNT_PROC) || (hl = t->mounts[m].host_len) + 32 >= VFS_PATH_MAX)
		return -1;
	/* /proc/self/fd is the fd table of the process's leader, which the
	 * runtime's own look at fd N sees only in the leader itself: another
	 * thread may have a table of its own (unshare(CLONE_FILES)). */
	if (rt_syscall(__NR_gettid, 0, 0, 0, 0, 0, 0) != rt_syscall(__NR_getpid, 0, 0, 0, 0, 0, 0))
		return -1;
	memcpy(host, vfs_mount_host(t, m), hl);
	memcpy(host + hl, path + 5, loader_strlen(path + 5) + 1); /* "/self/fd/N" */
	return n;
}

bool rt_fd_writable(long fd, const struct rt_stat *st)
{
	const struct vfs_table *t = rt_config_table(&rt_config);
	if (!t || rt_proc_dev(st->dev))
		return false;
	/* Each host path is its own name in the view, and no mount refuses a
	 * write (facet -0 alone): no need to read the fd's host path. */
	bool all = (rt_config.flags & RT_CONFIG_HOST_PATHS) != 0;
	for (uint32_t i = 0; all && i < t->nmounts; i++)
		all = !(t->mounts[i].flags & (VFS_MOUNT_RO | VFS_MOUNT_FILE | VFS_MOUNT_SYNTHETIC));
	return all || rt_write_mount_of_fd(fd, false) != RT_FORWARD;
}
