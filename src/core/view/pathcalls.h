/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every system call that takes a path (or otherwise reaches past a view),
 * and what the view does with it: one row per call, by name, so that the
 * rows hold on every architecture (a call an architecture lacks has no
 * number there and is skipped). Included by pathcall.c.
 *
 *   PC(name, op, dirfd, path, dirfd2, path2, flags, kind, how, a1, a2, a3, bits)
 *
 * dirfd, path    argument indexes of the (first) name; -1: none (AT_FDCWD)
 * dirfd2, path2  the second name (rename, link, symlink's new name)
 * flags          index of the flags argument, -1: none; kind says which:
 *                AT (AT_*), OPEN (O_*), HOW (openat2's struct), INOTIFY,
 *                FANOTIFY, XATTR, NONE
 * how            the last component by default: FOLLOW, NOFOLLOW, PARENT
 *                (the call acts on a name: mkdir, unlink...), CREATE
 * a1..a3         op-specific argument indexes (see exec_call.c), -1: none
 * bits           W: changes the file system (EROFS on a read-only mount);
 *                T: only the tracee can do it (ptrace route, rewritten);
 *                E: AT_EMPTY_PATH may make the path "" mean the dirfd;
 *                R: only with fake root (src/core/fakeroot), which changes
 *                   what these calls see of files and of the caller;
 *                F: the object is the fd in the dirfd column (fchown...)
 *
 * DENY rows fail with the errno in a1: calls that would bypass the view.
 */
/*     name               op         dfd pth df2 pt2 flg kind      how       a1  a2  a3  bits */
PC(open,              OPEN,       -1,  0, -1, -1,  1, OPEN,     FOLLOW,    2, -1, -1, 0)
PC(openat,            OPEN,        0,  1, -1, -1,  2, OPEN,     FOLLOW,    3, -1, -1, 0)
PC(creat,             OPEN,       -1,  0, -1, -1, -1, NONE,     CREATE,    1, -1, -1, 0)
PC(openat2,           OPEN,        0,  1, -1, -1,  2, HOW,      FOLLOW,    3, -1, -1, 0)
PC(stat,              STAT,       -1,  0, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, 0)
PC(lstat,             STAT,       -1,  0, -1, -1, -1, NONE,     NOFOLLOW,  1, -1, -1, 0)
PC(newfstatat,        STAT,        0,  1, -1, -1,  3, AT,       FOLLOW,    2, -1, -1, E)
PC(statx,             STATX,       0,  1, -1, -1,  2, AT,       FOLLOW,    3,  4, -1, E)
PC(access,            ACCESS,     -1,  0, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, 0)
PC(faccessat,         ACCESS,      0,  1, -1, -1, -1, NONE,     FOLLOW,    2, -1, -1, 0)
PC(faccessat2,        ACCESS,      0,  1, -1, -1,  3, AT,       FOLLOW,    2, -1, -1, E)
PC(readlink,          READLINK,   -1,  0, -1, -1, -1, NONE,     NOFOLLOW,  1,  2, -1, 0)
PC(readlinkat,        READLINK,    0,  1, -1, -1, -1, NONE,     NOFOLLOW,  2,  3, -1, E)
PC(mkdir,             MKDIR,      -1,  0, -1, -1, -1, NONE,     PARENT,    1, -1, -1, W)
PC(mkdirat,           MKDIR,       0,  1, -1, -1, -1, NONE,     PARENT,    2, -1, -1, W)
PC(mknod,             MKNOD,      -1,  0, -1, -1, -1, NONE,     PARENT,    1,  2, -1, W)
PC(mknodat,           MKNOD,       0,  1, -1, -1, -1, NONE,     PARENT,    2,  3, -1, W)
PC(unlink,            UNLINK,     -1,  0, -1, -1, -1, NONE,     PARENT,   -1, -1, -1, W)
PC(unlinkat,          UNLINK,      0,  1, -1, -1,  2, AT,       PARENT,   -1, -1, -1, W)
PC(rmdir,             RMDIR,      -1,  0, -1, -1, -1, NONE,     PARENT,   -1, -1, -1, W)
PC(rename,            RENAME,     -1,  0, -1,  1, -1, NONE,     PARENT,   -1, -1, -1, W)
PC(renameat,          RENAME,      0,  1,  2,  3, -1, NONE,     PARENT,   -1, -1, -1, W)
PC(renameat2,         RENAME,      0,  1,  2,  3,  4, NONE,     PARENT,   -1, -1, -1, W)
PC(link,              LINK,       -1,  0, -1,  1, -1, NONE,     PARENT,   -1, -1, -1, W)
PC(linkat,            LINK,        0,  1,  2,  3,  4, AT,       PARENT,   -1, -1, -1, W|E)
PC(symlink,           SYMLINK,    -1, -1, -1,  1, -1, NONE,     PARENT,    0, -1, -1, W)
PC(symlinkat,         SYMLINK,    -1, -1,  1,  2, -1, NONE,     PARENT,    0, -1, -1, W)
PC(chmod,             CHMOD,      -1,  0, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, W)
PC(fchmodat,          CHMOD,       0,  1, -1, -1, -1, NONE,     FOLLOW,    2, -1, -1, W)
PC(fchmodat2,         CHMOD,       0,  1, -1, -1,  3, AT,       FOLLOW,    2, -1, -1, W|E)
PC(chown,             CHOWN,      -1,  0, -1, -1, -1, NONE,     FOLLOW,    1,  2, -1, W)
PC(lchown,            CHOWN,      -1,  0, -1, -1, -1, NONE,     NOFOLLOW,  1,  2, -1, W)
PC(fchownat,          CHOWN,       0,  1, -1, -1,  4, AT,       FOLLOW,    2,  3, -1, W|E)
PC(truncate,          TRUNCATE,   -1,  0, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, W)
PC(utime,             UTIME,      -1,  0, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, W)
PC(utimes,            UTIMES,     -1,  0, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, W)
PC(futimesat,         UTIMES,      0,  1, -1, -1, -1, NONE,     FOLLOW,    2, -1, -1, W)
PC(utimensat,         UTIMENSAT,   0,  1, -1, -1,  3, AT,       FOLLOW,    2, -1, -1, W|E)
PC(chdir,             CHDIR,      -1,  0, -1, -1, -1, NONE,     FOLLOW,   -1, -1, -1, T)
PC(fchdir,            FCHDIR,     -1, -1, -1, -1, -1, NONE,     FOLLOW,    0, -1, -1, T)
PC(chroot,            CHROOT,     -1,  0, -1, -1, -1, NONE,     FOLLOW,   -1, -1, -1, 0)
PC(getcwd,            GETCWD,     -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1, -1, 0)
PC(statfs,            STATFS,     -1,  0, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, 0)
PC(getxattr,          GETXATTR,   -1,  0, -1, -1, -1, NONE,     FOLLOW,    1,  2,  3, 0)
PC(lgetxattr,         GETXATTR,   -1,  0, -1, -1, -1, NONE,     NOFOLLOW,  1,  2,  3, 0)
PC(setxattr,          SETXATTR,   -1,  0, -1, -1,  4, XATTR,    FOLLOW,    1,  2,  3, W)
PC(lsetxattr,         SETXATTR,   -1,  0, -1, -1,  4, XATTR,    NOFOLLOW,  1,  2,  3, W)
PC(listxattr,         LISTXATTR,  -1,  0, -1, -1, -1, NONE,     FOLLOW,    1,  2, -1, 0)
PC(llistxattr,        LISTXATTR,  -1,  0, -1, -1, -1, NONE,     NOFOLLOW,  1,  2, -1, 0)
PC(removexattr,       REMOVEXATTR,-1,  0, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, W)
PC(lremovexattr,      REMOVEXATTR,-1,  0, -1, -1, -1, NONE,     NOFOLLOW,  1, -1, -1, W)
PC(inotify_add_watch, INOTIFY,    -1,  1, -1, -1,  2, INOTIFY,  FOLLOW,    0, -1, -1, 0)
PC(fanotify_mark,     FANOTIFY,    3,  4, -1, -1,  1, FANOTIFY, FOLLOW,    0,  2, -1, 0)
PC(execve,            EXEC,       -1,  0, -1, -1, -1, NONE,     FOLLOW,    1,  2, -1, T)
PC(execveat,          EXEC,        0,  1, -1, -1,  4, AT,       FOLLOW,    2,  3, -1, T|E)
PC(bind,              SOCKADDR,   -1, -1, -1, -1, -1, NONE,     PARENT,    0,  1,  2, T)
PC(connect,           SOCKADDR,   -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1,  2, T)
PC(sendto,            SOCKADDR,   -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  4,  5, T)
PC(sendmsg,           SENDMSG,    -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1, -1, T)
PC(sendmmsg,          SENDMSG,    -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1,  2, T)
/* With fake root, the calls on an fd that read or change what it records. */
PC(fstat,             STAT,        0, -1, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, R|F)
PC(fchown,            CHOWN,       0, -1, -1, -1, -1, NONE,     FOLLOW,    1,  2, -1, W|R|F)
PC(fchmod,            CHMOD,       0, -1, -1, -1, -1, NONE,     FOLLOW,    1, -1, -1, W|R|F)
/* ... and the identity calls (ids.c): a1 is what the call does. */
PC(getuid,            IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_GETUID,    -1, -1, R)
PC(geteuid,           IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_GETEUID,   -1, -1, R)
PC(getgid,            IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_GETGID,    -1, -1, R)
PC(getegid,           IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_GETEGID,   -1, -1, R)
PC(getresuid,         IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_GETRESUID, -1, -1, R)
PC(getresgid,         IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_GETRESGID, -1, -1, R)
PC(getgroups,         IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_GETGROUPS, -1, -1, R)
PC(setuid,            IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETUID,    -1, -1, R)
PC(setgid,            IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETGID,    -1, -1, R)
PC(setreuid,          IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETREUID,  -1, -1, R)
PC(setregid,          IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETREGID,  -1, -1, R)
PC(setresuid,         IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETRESUID, -1, -1, R)
PC(setresgid,         IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETRESGID, -1, -1, R)
PC(setfsuid,          IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETFSUID,  -1, -1, R)
PC(setfsgid,          IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETFSGID,  -1, -1, R)
PC(setgroups,         IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_SETGROUPS, -1, -1, R)
PC(capget,            IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_CAPGET,    -1, -1, R)
PC(capset,            IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_CAPSET,    -1, -1, R)
PC(prctl,             IDS,        -1, -1, -1, -1, -1, NONE,     FOLLOW,  FID_PRCTL,     -1, -1, R)
/* Addresses the kernel gives back: a socket bound in the view reads as
 * the program named it. */
PC(getsockname,       SOCKNAME,   -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1,  2, T)
PC(getpeername,       SOCKNAME,   -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1,  2, T)
PC(accept,            SOCKNAME,   -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1,  2, T)
PC(accept4,           SOCKNAME,   -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1,  2, T)
PC(umask,             UMASK,      -1, -1, -1, -1, -1, NONE,     FOLLOW,    0, -1, -1, 0)
PC(unshare,           UNSHARE,    -1, -1, -1, -1, -1, NONE,     FOLLOW,    0, -1, -1, 0)
PC(setns,             DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(name_to_handle_at, DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(open_by_handle_at, DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(io_uring_setup,    DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(mount,             DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(umount2,           DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(pivot_root,        DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(open_tree,         DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(move_mount,        DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(fsopen,            DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(fspick,            DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(fsconfig,          DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(fsmount,           DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(mount_setattr,     DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(swapon,            DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(swapoff,           DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(acct,              DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(quotactl,          DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(quotactl_fd,       DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
PC(uselib,            DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(lookup_dcookie,    DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(open_tree_attr,    DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,    1 /* EPERM */, -1, -1, 0)
/* Newer path calls (6.13, 6.17) the view does not serve yet: as on a kernel
 * without them, so that libc falls back to the calls it serves. */
PC(setxattrat,        DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(getxattrat,        DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(listxattrat,       DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(removexattrat,     DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(file_getattr,      DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(file_setattr,      DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(statmount,         DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
PC(listmount,         DENY,       -1, -1, -1, -1, -1, NONE,     FOLLOW,   38 /* ENOSYS */, -1, -1, 0)
/* Only where a host directory lacks mount points the view shows in it. */
PC(getdents64,        GETDENTS,   -1, -1, -1, -1, -1, NONE,     FOLLOW,    0,  1,  2, 0)
