/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the runtime's call handlers share: calls.c (reads, stats, the
 * dispatch) and writes.c (the writes). Freestanding. */
#ifndef FACET_RT_CALLS_H
#define FACET_RT_CALLS_H

#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <stdbool.h>

#include "rt/lookup.h"
#include "rt/sys.h"
#include "vfs/vfs.h"

/* The open flags of a read the runtime makes itself. */
#define READ_FLAGS (O_NOCTTY | O_NONBLOCK | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_LARGEFILE | O_NOATIME | \
		    O_DSYNC | __O_SYNC | O_DIRECT | O_APPEND | FASYNC)
#define WRITE_FLAGS (READ_FLAGS | O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_TRUNC)

/* A call as the program made it: what goes to the supervisor. The
 * handlers get its arguments in the form of the *at call (`at`), so that
 * stat, lstat, open, readlink and access take the same way. */
struct call {
	long nr;
	const long *a;
};

/* The result of call nr that the runtime made for c. A program may refuse
 * itself calls with its own seccomp filter (EPERM, ENOSYS), which the
 * kernel applies to the runtime's calls too: for the program's own call
 * that is the program's answer, for another one (openat2 for a stat) the
 * supervisor must answer instead. */
static inline long answer(const struct call *c, long nr, long r)
{
	return nr != c->nr && (r == -EPERM || r == -ENOSYS) ? RT_FORWARD : r;
}

static inline void close_fd(long fd)
{
	rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
}

/* A path the runtime may read in place: not NULL, not in the first page
 * nor in the kernel's half, where the kernel says EFAULT (the supervisor
 * will). A pointer to an unmapped page elsewhere faults in the runtime. */
static inline bool readable(long p)
{
	return (unsigned long)p >= 4096 && (unsigned long)p < 0x800000000000ul;
}

/* calls.c: the view's name of the cwd, as the supervisor wrote it
 * (rt_cwd), into buf: its length, or RT_FORWARD unless the kernel's name
 * of the cwd is still the one written with it. */
long rt_cwd_name(char buf[RT_CWD_MAX]);

/* writes.c */
/* path, absolute: itself, or the cwd's name and path in buf. NULL where
 * the runtime cannot tell (a dirfd, the cwd's name unknown). */
const char *rt_absolute(long dirfd, const char *path, char buf[VFS_PATH_MAX]);
/* openat that writes or creates; *mount as open's. */
long rt_write_open_call(const struct call *c, const long a[6], int *mount);
/* unlinkat, unlink, rmdir, mkdirat, mkdir, symlinkat, symlink (arg: the
 * target, or the flags, or the mode). */
long rt_name_call(const struct call *c, long nr, long dirfd, const char *path, long arg);
/* renameat2 (nr __NR_renameat2) and linkat (__NR_linkat). */
long rt_two_names_call(const struct call *c, long nr, long olddirfd, const char *oldpath, long newdirfd,
		       const char *newpath, long flags);
long rt_times_call(const struct call *c, const long a[6]);
long rt_chmod_call(const struct call *c, long dirfd, const char *path, long mode, long flags);
/* Under fake root: fchmod, fchown and fchownat of the fd itself. */
long rt_fd_owner_call(const struct call *c, long fd, long uid, long gid, long mode);
long rt_chown_call(const struct call *c, long dirfd, const char *path, long uid, long gid, long flags);

#endif
