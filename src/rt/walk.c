/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What openat2(RESOLVE_BENEATH) leaves over in an absolute path: symlinks
 * and "..". Every directory the runtime reaches from an absolute path has
 * a known name in the view, the path's own text up to there (made only of
 * names it opened without following), so where the kernel would follow a
 * symlink or climb with "..", the runtime rewrites the path as the kernel
 * reads it (the directory's name, the link's target, the rest) and
 * resolves the new absolute path from the start (lookup.c). A mount point
 * the new path crosses is then the view's, as for the program's own path.
 */
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/stat.h>

#include "loader/lib.h"
#include "rt/lookup.h"
#include "rt/rt.h"
#include "rt/sys.h"
#include "vfs/vfs.h"

long rt_splice(char *out, const char *dir, size_t dir_len, const char *mid, size_t mid_len, const char *tail)
{
	if (mid_len && mid[0] == '/')
		dir_len = 0; /* an absolute target starts again at the root */
	size_t tail_len = loader_strlen(tail), at_mid = dir_len + (mid_len && mid[0] != '/'), at_tail = at_mid + mid_len;
	if (at_tail + tail_len + 2 > VFS_PATH_MAX)
		return RT_FORWARD;
	/* dir and tail may lie in out (the path being resolved, rewritten in
	 * place): dir as its start, tail anywhere. The tail moves first, to
	 * where nothing else goes. */
	memmove(out + at_tail, tail, tail_len + 1);
	if (dir != out)
		memmove(out, dir, dir_len);
	if (at_mid > dir_len)
		out[dir_len] = '/';
	memcpy(out + at_mid, mid, mid_len);
	if (at_tail + tail_len == 0) {
		out[0] = '/';
		out[1] = '\0';
	}
	return RT_RESTART;
}

/* fs.protected_symlinks, for the link `name` in dirfd (or the absolute
 * host path `name`): where the kernel's walk would check it. */
/* Not inlined: its buffer is on the stack only when it is asked. */
__attribute__((noinline)) static long may_follow(long dirfd, const char *name)
{
	if (!(rt_config.flags & RT_CONFIG_PROTECTED_SYMLINKS))
		return 0;
	struct rt_stat dir, link;
	size_t slash = loader_strlen(name);
	while (slash > 0 && name[slash - 1] != '/')
		slash--;
	long r;
	if (slash) { /* the link's directory by its name: "/a/l" gives "/a", "/l" gives "/" */
		char parent[VFS_PATH_MAX];
		memcpy(parent, name, slash > 1 ? slash - 1 : 1);
		parent[slash > 1 ? slash - 1 : 1] = '\0';
		r = rt_syscall(__NR_newfstatat, dirfd, parent, &dir, 0, 0, 0);
	} else {
		r = rt_syscall(__NR_newfstatat, dirfd, "", &dir, AT_EMPTY_PATH, 0, 0);
	}
	if (r == 0)
		r = rt_syscall(__NR_newfstatat, dirfd, name, &link, AT_SYMLINK_NOFOLLOW, 0, 0);
	if (r < 0)
		return r;
	if (vfs_may_follow(dir.mode, dir.uid, link.uid, link.uid + 1) == 0)
		return 0; /* followed whoever follows */
	/* setfsuid(-1) changes nothing and says whose the fs ids are; a
	 * program's own filter may refuse it: then the supervisor decides. */
	long fsuid = rt_syscall(__NR_setfsuid, -1, 0, 0, 0, 0, 0);
	return fsuid < 0 ? RT_FORWARD : vfs_may_follow(dir.mode, dir.uid, link.uid, (uint32_t)fsuid);
}

long rt_follow(long dirfd, const char *name, char *spare, size_t spare_len, const char *dir, size_t dir_len,
	       const char *tail, char *next)
{
	if (spare_len < 2)
		return RT_FORWARD; /* readlink's EINVAL would say "no link" */
	long n = rt_syscall(__NR_readlinkat, dirfd, name, spare, spare_len, 0, 0);
	if (n == 0)
		return -ENOENT; /* an empty target names nothing */
	if (n == -EINVAL)
		return RT_NOT_LINK;
	if (n < 0 || n >= (long)spare_len)
		return n == -ENOENT || n == -ENOTDIR || n == -EACCES ? n : RT_FORWARD;
	/* The kernel checks the last name only, "name/" too (vfs_may_follow):
	 * the last name of the target is again the last, and checked then. */
	const char *after = tail;
	while (*after == '/')
		after++;
	long r = *after ? 0 : may_follow(dirfd, name);
	if (r < 0)
		return r == -EACCES ? r : RT_FORWARD;
	r = rt_splice(next, dir, dir_len, spare, (size_t)n, tail);
	return r == RT_RESTART ? RT_LINK : r;
}

size_t rt_parent_len(const char *dir, size_t len)
{
	while (len > 0 && dir[len - 1] != '/')
		len--;
	return len ? len - 1 : 0;
}

static bool walk_error(long r)
{
	return r == -ENOENT || r == -ENOTDIR || r == -EACCES || r == -ENAMETOOLONG;
}

long rt_walk(long start, const char *text, size_t text_len, const char *rest, uint64_t oflags, uint64_t mode,
	     char *next)
{
	char dir[VFS_PATH_MAX];
	size_t dl = text_len;
	memcpy(dir, text, dl);
	long cur = start, r = RT_FORWARD;
	const char *p = rest;
	for (;;) {
		while (*p == '/')
			p++;
		size_t n = 0;
		while (p[n] && p[n] != '/')
			n++;
		const char *after = p + n;
		const char *q = after;
		while (*q == '/')
			q++;
		bool last = !*q, slash = *after == '/';
		char name[VFS_NAME_MAX + 2];
		if (n > VFS_NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		memcpy(name, n ? p : ".", n ? n : 1);
		name[n ? n : 1] = '\0';
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			r = rt_splice(next, dir, rt_parent_len(dir, dl), "", 0, after);
			break;
		}
		bool dot = n == 0 || (n == 1 && p[0] == '.');
		if (dot && !last) {
			p = after;
			continue;
		}
		/* The last name is followed unless O_NOFOLLOW, or O_CREAT with
		 * O_EXCL (EEXIST, as the kernel says, at a symlink). */
		bool follow = !last || slash ||
			      !((oflags & O_NOFOLLOW) || ((oflags & O_CREAT) && (oflags & O_EXCL)));
		if (follow && !dot) {
			/* The target goes after the directory's name in dir[]. */
			r = rt_follow(cur, name, dir + dl, VFS_PATH_MAX - dl, dir, dl, after, next);
			/* A last name not there yet is O_CREAT's to make. */
			if (r != RT_NOT_LINK && !(last && r == -ENOENT && (oflags & O_CREAT)))
				break;
		}
		if (last) {
			if (slash) { /* "name/": the kernel checks that it is a directory */
				name[n] = '/';
				name[n + 1] = '\0';
			}
			if (cur != start && rt_opens_for_program(oflags))
				cur = rt_fd_high(cur); /* the program's fd is the lowest free */
			r = rt_syscall(__NR_openat, cur, name, rt_open_flags(oflags), mode, 0, 0);
			break;
		}
		long fd = rt_syscall(__NR_openat, cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, 0, 0);
		struct rt_stat st;
		if (fd >= 0 && (rt_syscall(__NR_newfstatat, fd, "", &st, AT_EMPTY_PATH, 0, 0) < 0 || rt_proc_dev(st.dev))) {
			rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
			fd = RT_FORWARD; /* procfs: names there are the process's own */
		}
		if (fd < 0) {
			r = walk_error(fd) ? fd : RT_FORWARD;
			break;
		}
		if (cur != start)
			rt_syscall(__NR_close, cur, 0, 0, 0, 0, 0);
		cur = fd;
		if (dl + 1 + n >= VFS_PATH_MAX) {
			r = RT_FORWARD;
			break;
		}
		dir[dl++] = '/';
		memcpy(dir + dl, p, n);
		dl += n;
		p = after;
	}
	if (cur != start)
		rt_syscall(__NR_close, cur, 0, 0, 0, 0, 0);
	return r;
}
