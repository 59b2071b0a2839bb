/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fds the runtime opens for the program, marked in the process's own
 * memory with the mount it reached each through (rt/fds.h, config.h).
 *
 * One host directory can show at two places of a view (a bind of a
 * directory the root mount shows too); its host path cannot say which
 * one the program went through, yet facet must name the fd later in the
 * program's terms: getcwd after fchdir, /proc/self/fd/N, ".." from a
 * mount's own directory. The supervisor reads the mark there
 * (core/view/fdmounts.c) and believes it only while the fd's host path
 * lies in that mount. A mark also tells the runtime that a directory fd
 * lies in the view at all, which ".." from it needs (lookup.c); an fd
 * from elsewhere (one the command inherited) is checked once by its path.
 *
 * A mark stays when the program closes the fd (close is not trapped), and
 * a copy (dup, F_DUPFD) gets none: the kernel gives that number again to
 * an open, which the runtime or the supervisor makes (the supervisor's
 * clears the mark), or to a call that makes a new fd of another kind or a
 * copy, or receives one (SCM_RIGHTS). A stale mark can then name an
 * object by the other of its two places, never by a wrong one. Processes
 * that share memory but not fds (vfork, posix_spawn) share the marks too.
 */
#include <asm/unistd.h>
#include <linux/fcntl.h>

#include "loader/lib.h"
#include "rt/fds.h"
#include "rt/rt.h"
#include "rt/sys.h"
#include "util/hot.h"
#include "vfs/vfs.h"

/* Not static: the supervisor may read it (config.h). */
uint8_t rt_fd_marks[RT_FD_MARKS];

FACET_HOT void rt_fd_note(long result, int mount)
{
	int fd = (int)result;
	if (result >= 0 && fd < (int)RT_FD_MARKS)
		rt_fd_marks[fd] = mount >= 0 && mount < (int)RT_FD_INSIDE - 1 ? (uint8_t)(mount + 1) : RT_FD_INSIDE;
}

void rt_fd_forget(long result)
{
	int fd = (int)result;
	if (result >= 0 && fd < (int)RT_FD_MARKS)
		rt_fd_marks[fd] = 0;
}

int rt_fd_mount(long dirfd)
{
	int fd = (int)dirfd;
	uint8_t m = fd >= 0 && fd < (int)RT_FD_MARKS ? rt_fd_marks[fd] : 0;
	return m && m != RT_FD_INSIDE ? m - 1 : -1;
}

/* The mount the cwd lies in: where its name, as the supervisor wrote it
 * (config.h, struct rt_cwd), lies. Kept for the names' `seq`. */
static int cwd_mount(void)
{
	const struct vfs_table *t = rt_config_table(&rt_config);
	uint32_t seq = __atomic_load_n(&rt_cwd.seq, __ATOMIC_ACQUIRE);
	uint64_t c = __atomic_load_n(&rt_cwd_mount, __ATOMIC_RELAXED);
	if (c >> 32 == seq && (uint32_t)c)
		return (int)(uint32_t)c - 1;
	uint32_t hl = rt_cwd.host_len, gl = rt_cwd.guest_len;
	if (!t || (seq & 1) || !hl || hl >= RT_CWD_MAX || !gl || gl >= RT_CWD_MAX)
		return -1;
	int m = vfs_mount_of(t, rt_cwd.names + hl, gl);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (m < 0 || __atomic_load_n(&rt_cwd.seq, __ATOMIC_RELAXED) != seq)
		return -1;
	__atomic_store_n(&rt_cwd_mount, (uint64_t)seq << 32 | (uint32_t)(m + 1), __ATOMIC_RELAXED);
	return m;
}

int rt_dir_mount(long dirfd)
{
	return (int)dirfd == AT_FDCWD ? cwd_mount() : rt_fd_mount(dirfd);
}

static long host_link(const char *link, char host[VFS_PATH_MAX])
{
	long n = rt_syscall(__NR_readlinkat, AT_FDCWD, link, host, VFS_PATH_MAX, 0, 0);
	return n > 0 && n < VFS_PATH_MAX && host[0] == '/' ? n : -1;
}

long rt_fd_host(long fd, char *host)
{
	char proc[40] = "/proc/self/fd/", num[21];
	const char *d = loader_decimal(num, (unsigned long)fd);
	memcpy(proc + 14, d, loader_strlen(d) + 1);
	return host_link(proc, host);
}

static bool host_in_view(const char *host, long n)
{
	const struct vfs_table *t = rt_config_table(&rt_config);
	for (uint32_t i = 0; t && n > 0 && i < t->nmounts; i++)
		if (vfs_path_within(host, (size_t)n, vfs_mount_host(t, (int)i), t->mounts[i].host_len))
			return true;
	return false;
}

bool rt_link_in_view(const char *link)
{
	char host[VFS_PATH_MAX];
	return host_in_view(host, host_link(link, host));
}

bool rt_fd_inside(long dirfd)
{
	int fd = (int)dirfd; /* what the kernel takes */
	if (fd == AT_FDCWD)
		return true; /* the cwd is the view's: every chdir is */
	if (fd < 0)
		return false;
	if (fd < (int)RT_FD_MARKS && rt_fd_marks[fd])
		return true;
	char host[VFS_PATH_MAX];
	if (!host_in_view(host, rt_fd_host(fd, host)))
		return false;
	rt_fd_note(fd, -1); /* in the view, through which mount unknown */
	return true;
}
