/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Path resolution inside the runtime (lookup.c). */
#ifndef FACET_RT_LOOKUP_H
#define FACET_RT_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/fcntl.h>

#include "rt/rt.h"

/* Not an errno: the supervisor must decide. */
#define RT_FORWARD (-100000L)
/* Not errnos either (walk.c): resolve the absolute path written into the
 * caller's `next` buffer instead (RT_LINK: it follows a symlink); the
 * name is no symlink. */
#define RT_RESTART (-100001L)
#define RT_NOT_LINK (-100002L)
#define RT_LINK (-100004L)
/* calls.c: make the call as the program's own (rt_pass), for the filter
 * to send where it sends the program's. */
#define RT_PASS (-100003L)

/* In the open flags the functions below take, with O_PATH: the fd is the
 * program's (its own O_PATH open), not one for the runtime's use, which
 * is close-on-exec and may take the lowest free number: the program's
 * gets the lowest free number, as the kernel's, and close-on-exec only
 * where it asked. Never passed to the kernel (rt_open_flags). */
#define RT_O_PROGRAM (1ull << 40)
/* The open flags for the kernel, the runtime's own O_PATH fds
 * close-on-exec. */
static inline uint64_t rt_open_flags(uint64_t oflags)
{
	bool own = (oflags & O_PATH) && !(oflags & RT_O_PROGRAM);
	return (oflags & ~RT_O_PROGRAM) | (own ? O_CLOEXEC : 0);
}
/* The open gives the program its fd: the lowest free number. */
static inline bool rt_opens_for_program(uint64_t oflags)
{
	return !(oflags & O_PATH) || (oflags & RT_O_PROGRAM);
}

/* dirfd (or the cwd) is a directory with no mount point below it, not in
 * procfs. */
bool rt_plain_dir(long dirfd);
/* The same, with the directory's fstat in *st. */
struct rt_stat;
bool rt_plain_dir_stat(long dirfd, struct rt_stat *st);
/* path is "..", and from dirfd (or the cwd) it leads where the kernel
 * takes it: dirfd is no mount's host directory, not in procfs, and the
 * process's root is the view's. */
bool rt_dotdot_plain(long dirfd, const char *path);
/* The host directory (dev, ino) lies above a mount point of the view: its
 * links and its listing count mount points the kernel does not know. */
bool rt_fence(uint64_t dev, uint64_t ino);
/* An absolute path the kernel finds as the view would, if it does not
 * end in procfs (RT_CONFIG_HOST_PATHS: the view's names are the host's),
 * and that does not start in one of the view's procfs mounts. */
bool rt_host_named(const char *path);
/* Some mount point of the view has this last name (or the runtime has no
 * mount table): looked up in a directory above it, the name may be the
 * mount point, which the kernel does not see. With `fences`, any name of
 * a mount point's path counts: the name may be a directory above mount
 * points, which lists them. */
bool rt_names_mount(const char *name, bool fences);
/* The links a directory (dev, ino) has in the view beyond the host's (a
 * fence's mount points that are directories it lacks), or
 * RT_LINKS_UNKNOWN (too many fences to tell). */
#define RT_LINKS_UNKNOWN 0xffffffffu
uint32_t rt_fence_links(uint64_t dev, uint64_t ino);
/* The canonical absolute path is a directory above mount points, which
 * lists them: the supervisor opens it (the filter sends getdents of such
 * fds to it). */
bool rt_above_mounts(const char *path);
/* dev is procfs's, whose names are the process's own. */
bool rt_proc_dev(uint64_t dev);
/* One name: no slash, not "" and not "..". */
bool rt_one_name(const char *p);
/* For an absolute path whose last name lies in a mount point or in a
 * directory holding mount points, and is no mount point itself: its host
 * path, where the kernel finds that name as the view would if it does not
 * follow it. 0, or RT_FORWARD. *mount (if not NULL): the mount it lies in.
 * The functions below set *mount likewise, -1 where it is not known. */
long rt_host_path(const char *path, char host[4096], int *mount);
/* openat(dirfd, path, oflags, mode) as the view would resolve it: an fd
 * (the lowest free, as the kernel's; close-on-exec with O_PATH, which is
 * for the runtime's own use), the view's -errno, or RT_FORWARD. */
long rt_open_beneath(long dirfd, const char *path, uint64_t oflags, uint64_t mode, int *mount);
/* The same for an absolute path, where a write is meant (the open's own,
 * or one in the directory opened): RT_FORWARD where the path lies in a
 * read-only mount, besides. O_CREAT is taken. */
long rt_open_to_write(const char *path, uint64_t oflags, uint64_t mode, int *mount);
/* The mount a write at or below the program's fd lies in, by the fd's
 * host path: every mount whose host directory holds it must take the
 * runtime's writes (a host directory the view shows at two places may be
 * read-only at one, and a mark can be stale, fds.c), else RT_FORWARD.
 * Where several hold it, the fd's mark if it is one of them, else -1
 * (not known). An fd from outside the view is the supervisor's. Unless
 * `exact` (a rename or link compares the mounts of its two names): where
 * every host path lies in the view and no mount refuses a write, the
 * fd's mark (-1: none), which names what is made below it, without
 * reading the host path; procfs stays the supervisor's. */
long rt_write_mount_of_fd(long fd, bool exact);
/* The same for a directory fd that must also be plain (rt_plain_dir()):
 * RT_FORWARD if it is not. */
long rt_write_mount_of_dir(long fd, bool exact);
/* Whether a write of relative `path` is made below dirfd, a directory fd
 * or the cwd (where the view's root shows the host's / and no mount
 * refuses a write, and not `exact`), rather than on an absolute path from
 * the cwd's name (writes.c, rt_absolute). */
bool rt_write_below(long dirfd, const char *path, bool exact);
/* path (relative to dirfd) is "/proc/self/fd/N", as glibc names an O_PATH
 * fd to chmod the file through it (fchmodat's AT_SYMLINK_NOFOLLOW), and
 * the view's /proc is a procfs of the host's, and the caller is the
 * process's leader (whose fd table /proc/self/fd shows): N, with the host
 * path of that magic link in host; else -1. */
long rt_proc_self_fd(long dirfd, const char *path, char host[4096]);
/* Whether a write on the program's fd, st its stat, is the kernel's to
 * make: not in procfs, and in writable mounts only (as above). */
bool rt_fd_writable(long fd, const struct rt_stat *st);
/* The same for a relative path below the program's directory fd, whose
 * host path lies in no read-only mount (tar -C, and the *at() calls of
 * programs that walk a tree they write), or below the cwd where
 * rt_write_below() says so. */
long rt_open_to_write_below(long dirfd, const char *path, uint64_t oflags, uint64_t mode, int *mount, bool exact);
/* The same with openat2's RESOLVE_* flags `resolve` besides. */
long rt_open_to_write_below_as(long dirfd, const char *path, uint64_t oflags, uint64_t mode, uint64_t resolve,
			       int *mount, bool exact);

/* Moves the runtime's own fd above the numbers programs use
 * (F_DUPFD_CLOEXEC, RT_FD_HIGH and up), so that the fd an open then gives
 * the program is the lowest free, as the kernel's: the new fd, or fd
 * itself where it cannot. */
#define RT_FD_HIGH 256
long rt_fd_high(long fd);

/* walk.c. Writes into out (VFS_PATH_MAX bytes) the absolute path that
 * directory `dir` (its canonical name, dir_len bytes, "" for the root),
 * then `mid` (a symlink's target, or ""), then `tail` (the rest, "" or
 * from a "/") make, as the kernel reads them: RT_RESTART, or RT_FORWARD
 * if it is too long. `dir` may be out's start, and `tail` lie in out. */
long rt_splice(char *out, const char *dir, size_t dir_len, const char *mid, size_t mid_len, const char *tail);
/* The length of the name of the directory that holds the last name of
 * `path` (len bytes): "/a/b" gives 2, "/b" and "b" give 0 (the root, or
 * the start). */
size_t rt_parent_len(const char *path, size_t len);
/* If `name` in dirfd (whose name is dir) is a symlink, writes the path
 * that follows it, with `tail`, into next: RT_LINK; RT_NOT_LINK if it
 * is none; the kernel's -errno (ENOENT...) or RT_FORWARD. The target is
 * read into spare (spare_len bytes; RT_FORWARD if it does not fit): the
 * unused end of a caller's path buffer, so that the runtime's stack holds
 * one 4 KiB buffer less (each page of it a process touches is one more to
 * allocate). spare must not lie in next. */
long rt_follow(long dirfd, const char *name, char *spare, size_t spare_len, const char *dir, size_t dir_len,
	       const char *tail, char *next);
/* Resolves `rest` name by name below `start`, the directory named `text`
 * (text_len bytes, "" for the root), where openat2(RESOLVE_BENEATH) could
 * not: the opened fd (oflags, mode), -errno, RT_FORWARD, or RT_RESTART or
 * RT_LINK with the path to resolve next in `next`. */
long rt_walk(long start, const char *text, size_t text_len, const char *rest, uint64_t oflags, uint64_t mode,
	     char *next);

#endif
