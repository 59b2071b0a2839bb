/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Path calls as data (pathcalls.h), and resolving their arguments. */
#ifndef FACET_CORE_VIEW_PATHCALL_H
#define FACET_CORE_VIEW_PATHCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "vfs/vfs.h"

enum pc_op {
	PC_OPEN, PC_STAT, PC_STATX, PC_ACCESS, PC_READLINK, PC_MKDIR, PC_MKNOD, PC_UNLINK, PC_RMDIR,
	PC_RENAME, PC_LINK, PC_SYMLINK, PC_CHMOD, PC_CHOWN, PC_TRUNCATE, PC_UTIME, PC_UTIMES,
	PC_UTIMENSAT, PC_CHDIR, PC_FCHDIR, PC_CHROOT, PC_GETCWD, PC_STATFS, PC_GETXATTR, PC_SETXATTR,
	PC_LISTXATTR, PC_REMOVEXATTR, PC_INOTIFY, PC_FANOTIFY, PC_EXEC, PC_SOCKADDR, PC_UMASK,
	PC_UNSHARE, PC_DENY, PC_GETDENTS, PC_SOCKNAME, PC_SENDMSG, PC_IDS,
};
enum pc_kind { PCK_NONE, PCK_AT, PCK_OPEN, PCK_HOW, PCK_INOTIFY, PCK_FANOTIFY, PCK_XATTR };
enum pc_how { PCH_FOLLOW, PCH_NOFOLLOW, PCH_PARENT, PCH_CREATE };
enum { PCB_W = 1, PCB_T = 2, PCB_E = 4, PCB_R = 8, PCB_F = 16 };

struct path_call {
	const char *name;
	enum pc_op op;
	int8_t dirfd, path, dirfd2, path2, flags;
	enum pc_kind kind;
	enum pc_how how;
	int8_t a1, a2, a3;
	unsigned bits;
};

struct facet_task;
struct call;

/* The row for call nr, NULL if the view leaves it alone. */
const struct path_call *path_call_of(long nr);
/* Whether the view traps call nr in session s. */
struct facet_session;
bool view_traps(const struct facet_session *s, long nr);
/* For open and openat in a view: the argument that holds the open flags
 * (the filter sends O_PATH opens down the ptrace route). */
bool view_open_flags_arg(const struct facet_session *s, long nr, unsigned *argi);
/* For getdents64 in a view: the lowest fd it is trapped on, 0 for all. */
int view_getdents_from(const struct facet_session *s, long nr);
/* Whether the tracee itself must make call nr (it changes its own state or
 * needs its own identity): such calls take the ptrace route in a view. */
bool path_call_by_tracee(long nr);

/* One resolved name of a call. */
struct pc_name {
	struct vfs_result r;
	char guest[VFS_PATH_MAX];          /* r.guest points here */
	bool empty;                        /* "" with AT_EMPTY_PATH: the dirfd itself */
	int tracee_fd;                     /* that dirfd, the tracee's number (else -1) */
};

/* Resolves the name at (dirfd argument di, path argument pi) of call c as
 * `how` and the call's flags say (VFS_* flags in `extra` are added). */
int pc_resolve(struct facet_task *t, const struct call *c, int di, int pi, unsigned vflags,
	       struct pc_name *out);
/* The same for a name the supervisor holds (a #! line's, a PT_INTERP),
 * from the tracee's fd dirfd (or AT_FDCWD). */
int pc_resolve_name(struct facet_task *t, int dirfd, const char *path, unsigned vflags, struct pc_name *out);
/* The VFS_* flags for the first name of c, from its row and flags. */
unsigned pc_vfs_flags(const struct path_call *pc, const struct call *c);
void pc_name_release(struct pc_name *n);
/* The name's fd, now the caller's own (a copy if it was borrowed), or
 * -errno; the name holds none after. */
int pc_name_take_fd(struct pc_name *n);
/* Makes the name's fd its own (a copy if it was borrowed): for a number
 * named to the tracee (view_fd_name), which must outlive the cwd's or the
 * root's replacement by another task. 0 or -errno. */
int pc_name_own(struct pc_name *n);
/* The mount a resolved name is in (found from its host path if the
 * resolver did not say), and that mount's VFS_MOUNT_* flags (0 if the
 * name is outside the view). */
int pc_mount(struct facet_task *t, struct pc_name *n);
unsigned pc_mount_flags(struct facet_task *t, struct pc_name *n);

#endif
