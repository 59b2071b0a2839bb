/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The calls the runtime answers itself: a name looked up in a directory
 * under which the view has no mount point, and which is not in procfs.
 * There the kernel finds what the view would show, as long as it does not
 * follow a symlink (whose target the view may place elsewhere) or "..";
 * so the runtime makes the call without following the last name, and
 * hands anything else to the supervisor: a path of several names, "..",
 * a symlink the call would follow, a write that a read-only mount must
 * refuse.
 *
 * The program's path is read in place: like the kernel, the runtime
 * refuses a NULL path (it forwards it), but an invalid non-NULL pointer
 * faults in the runtime (SIGSEGV) where the kernel would say EFAULT.
 */
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <stdbool.h>

#include "rt/rt.h"
#include "rt/sys.h"

/* The kernel's struct stat on x86-64 (the fields used here come first). */
struct rt_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad;
	uint8_t rest[144 - 40];
};

static bool is_fence(uint64_t dev, uint64_t ino)
{
	if (rt_config.flags & RT_CONFIG_ALL_FENCED)
		return true;
	for (uint32_t i = 0; i < rt_config.nproc_devs; i++)
		if (rt_config.proc_devs[i] == dev)
			return true;
	for (uint32_t i = 0; i < rt_config.nfences; i++)
		if (rt_config.fences[i].dev == dev && rt_config.fences[i].ino == ino)
			return true;
	return false;
}

/* dirfd (or the cwd) is a directory with no mount point below it. */
static bool plain_dir(long dirfd)
{
	struct rt_stat st;
	if (rt_syscall(__NR_newfstatat, dirfd, "", &st, AT_EMPTY_PATH, 0, 0) < 0)
		return false;
	return S_ISDIR(st.mode) && !is_fence(st.dev, st.ino);
}

/* One name: no slash, not "" and not "..". */
static bool one_name(const char *p)
{
	if (!p || !p[0] || (p[0] == '.' && p[1] == '.' && !p[2]))
		return false;
	for (; *p; p++)
		if (*p == '/')
			return false;
	return true;
}

static long forward(long nr, const long a[6])
{
	return rt_forward(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static long stat_call(const long a[6])
{
	const char *path = (const char *)a[1];
	long flags = a[3];
	if (path && !path[0] && (flags & AT_EMPTY_PATH))
		return rt_syscall(__NR_newfstatat, a[0], path, a[2], flags, 0, 0); /* fstat */
	if (!one_name(path) || !plain_dir(a[0]))
		return forward(__NR_newfstatat, a);
	long r = rt_syscall(__NR_newfstatat, a[0], path, a[2], flags | AT_SYMLINK_NOFOLLOW, 0, 0);
	if (r == 0 && !(flags & AT_SYMLINK_NOFOLLOW) && S_ISLNK(((struct rt_stat *)a[2])->mode))
		return forward(__NR_newfstatat, a);
	return r;
}

static long statx_call(const long a[6])
{
	const char *path = (const char *)a[1];
	long flags = a[2];
	if (path && !path[0] && (flags & AT_EMPTY_PATH))
		return rt_syscall(__NR_statx, a[0], path, flags, a[3], a[4], 0);
	if (!one_name(path) || !plain_dir(a[0]))
		return forward(__NR_statx, a);
	long r = rt_syscall(__NR_statx, a[0], path, flags | AT_SYMLINK_NOFOLLOW, a[3], a[4], 0);
	const struct statx *sx = (const struct statx *)a[4];
	if (r == 0 && !(flags & AT_SYMLINK_NOFOLLOW) && (!(sx->stx_mask & STATX_TYPE) || S_ISLNK(sx->stx_mode)))
		return forward(__NR_statx, a);
	return r;
}

static long openat_call(const long a[6])
{
	long flags = a[2];
	/* Writes may meet a read-only mount; O_PATH opens a symlink itself. */
	if ((flags & (O_ACCMODE | O_CREAT | O_TRUNC | O_PATH | __O_TMPFILE)) || !one_name((const char *)a[1]) ||
	    !plain_dir(a[0]))
		return forward(__NR_openat, a);
	long r = rt_syscall(__NR_openat, a[0], a[1], flags | O_NOFOLLOW, a[3], 0, 0);
	/* A symlink: ELOOP, or ENOTDIR with O_DIRECTORY. */
	if ((r == -ELOOP || r == -ENOTDIR) && !(flags & O_NOFOLLOW))
		return forward(__NR_openat, a);
	return r;
}

static long readlinkat_call(const long a[6])
{
	if (!one_name((const char *)a[1]) || !plain_dir(a[0]))
		return forward(__NR_readlinkat, a);
	return rt_syscall(__NR_readlinkat, a[0], a[1], a[2], a[3], 0, 0);
}

long rt_call(long nr, const long a[6])
{
	switch (nr) {
	case __NR_newfstatat:
		return stat_call(a);
	case __NR_statx:
		return statx_call(a);
	case __NR_openat:
		return openat_call(a);
	case __NR_readlinkat:
		return readlinkat_call(a);
	default:
		return forward(nr, a);
	}
}
