/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The view's path layer: a mount table and a resolver that turns a path as
 * a traced program gives it (a *guest* path) into a host directory fd and
 * a name, as the kernel would if the view's mounts were bind mounts.
 *
 * Freestanding: the supervisor and the in-process runtime link the same
 * code. No libc, no malloc, no global state: the table is a flat buffer
 * with offsets (it can live in shared memory), buffers are the caller's,
 * errors are negative errno values, and every system call goes through a
 * small ops table the caller provides.
 *
 * Resolution lets the kernel do the work where it can: below a directory
 * under which the view has no mount point, openat2(RESOLVE_BENEATH) walks
 * the rest of the path, symlinks and ".." included, race-free. Only where
 * a mount point may be crossed (the directories above mount points, ".."
 * out of a mount, absolute symlinks, procfs magic links) does the resolver
 * walk component by component, keeping the guest path it is at.
 */
#ifndef FACET_VFS_H
#define FACET_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFS_PATH_MAX 4096
#define VFS_NAME_MAX 255
#define VFS_MAX_SYMLINKS 40

/* ---------------------------------------------------------------------- */
/* The mount table.                                                        */

enum vfs_mount_flags {
	VFS_MOUNT_RO = 1u << 0,        /* writes fail with EROFS */
	VFS_MOUNT_FILE = 1u << 1,      /* the host object is not a directory */
	VFS_MOUNT_SYNTHETIC = 1u << 2, /* a directory made for a missing parent */
	VFS_MOUNT_PROC = 1u << 3,      /* a procfs: its magic links mean the tracee */
};

struct vfs_mount {
	uint32_t guest;                /* offset of the guest path, from the table's start */
	uint32_t guest_len;            /* "/" for the root, else no trailing slash */
	uint32_t host;                 /* offset of the host path (canonical, absolute) */
	uint32_t host_len;
	uint32_t flags;                /* enum vfs_mount_flags */
	int32_t parent;                /* the mount its mount point is in; -1 for "/" */
};

struct vfs_table {
	uint32_t magic;
	uint32_t size;                 /* bytes in the buffer */
	uint32_t used;                 /* bytes used, strings included */
	uint32_t nmounts, max_mounts;
	uint32_t finished;             /* vfs_table_finish() succeeded */
	struct vfs_mount mounts[];     /* sorted by guest path once finished */
};

/* A table in `buf`, room for `max_mounts` mounts and their strings. */
int vfs_table_init(void *buf, size_t size, unsigned max_mounts);
/* Adds a mount; guest and host must be absolute, host canonical. Returns
 * its index until the table is finished (indexes change then), -EINVAL for
 * a relative path, -EEXIST for a second mount at the same guest path,
 * -ENAMETOOLONG, -ENOSPC. The guest path is taken lexically (vfs_normalize). */
int vfs_table_add(struct vfs_table *t, const char *guest, const char *host, unsigned flags);
/* Sorts the mounts and links each to its parent. Needs a mount at "/". */
int vfs_table_finish(struct vfs_table *t);

const char *vfs_mount_guest(const struct vfs_table *t, int i);
const char *vfs_mount_host(const struct vfs_table *t, int i);
/* The mount exactly at guest path `p` (len bytes), or -1. */
int vfs_mount_at(const struct vfs_table *t, const char *p, size_t len);
/* The mount a canonical guest path is in (the deepest whose mount point is
 * a prefix of it). */
int vfs_mount_of(const struct vfs_table *t, const char *p, size_t len);
/* Whether some mount point lies strictly below the guest directory `p`. */
bool vfs_mounts_below(const struct vfs_table *t, const char *p, size_t len);

/* ---------------------------------------------------------------------- */
/* Resolution.                                                             */

/* The system calls the resolver makes, as raw calls returning -errno. */
struct vfs_ops {
	void *ctx;
	/* openat(dfd, path, flags) */
	long (*openat)(void *ctx, int dfd, const char *path, int flags);
	/* openat2 with O_PATH|oflags and the resolve flags; -ENOSYS where the
	 * kernel has none (the resolver then walks every component itself). */
	long (*openat2)(void *ctx, int dfd, const char *path, uint64_t oflags, uint64_t resolve);
	/* readlinkat(dfd, name, buf, size): name "" for an O_PATH fd of a
	 * symlink, or a name in directory dfd */
	long (*readlinkat)(void *ctx, int dfd, const char *name, char *buf, size_t size);
	/* The S_IFMT bits of what fd refers to. */
	long (*fd_type)(void *ctx, int fd);
	/* The host path of fd (readlink of /proc/self/fd/N). */
	long (*fd_path)(void *ctx, int fd, char *buf, size_t size);
	long (*close)(void *ctx, int fd);
	long (*dup)(void *ctx, int fd);
	/* A borrowed O_PATH fd of mount i's host object. */
	int (*mount_fd)(void *ctx, int i);
	/* The symlink `name` in the procfs directory `dir` (a guest path):
	 * writes what it reads as for the traced process — "1234" for
	 * "self", a guest path for cwd, root, exe and fd links — and returns
	 * its length; 0 means the link is an opaque object (a pipe, a socket)
	 * to be opened as is; -errno. NULL: links are read as they are. */
	long (*proc_link)(void *ctx, const char *dir, size_t dir_len, const char *name, char *buf, size_t size);
	/* Whether the walk may follow the symlink linkfd (an O_PATH fd) in
	 * directory dirfd, as the kernel's walk would let the tracee:
	 * 0, or -EACCES where fs.protected_symlinks refuses it (see
	 * vfs_may_follow). NULL: every link is followed. */
	long (*may_follow)(void *ctx, int dirfd, int linkfd);
};

struct vfs_view {
	const struct vfs_table *table;
	const struct vfs_ops *ops;
};

/* Where a resolution stands: a directory of the view. */
struct vfs_dir {
	const char *guest;             /* its canonical guest path; NULL if not known */
	size_t guest_len;
	int fd;                        /* borrowed host O_PATH fd */
	/* Without a guest path: the mount the directory was reached through,
	 * if the caller knows (a host directory may show in several mounts). */
	bool mount_known;
	int mount;
};

enum vfs_flags {
	VFS_FOLLOW = 1u << 0,          /* follow a symlink in the last component */
	VFS_PARENT = 1u << 1,          /* stop before the last component (see below) */
	VFS_EMPTY_PATH = 1u << 2,      /* "" means the start directory (AT_EMPTY_PATH) */
	VFS_BENEATH = 1u << 3,         /* RESOLVE_BENEATH, relative to the start */
	VFS_IN_ROOT = 1u << 4,         /* RESOLVE_IN_ROOT: the start is "/" */
	VFS_NO_SYMLINKS = 1u << 5,     /* RESOLVE_NO_SYMLINKS */
	VFS_NO_XDEV = 1u << 6,         /* RESOLVE_NO_XDEV */
	VFS_NO_MAGICLINKS = 1u << 7,   /* RESOLVE_NO_MAGICLINKS */
	VFS_WANT_GUEST = 1u << 8,      /* fill in the result's guest path */
	VFS_CREATE = 1u << 9,          /* follow; a missing last component gives its parent */
	VFS_START_PLAIN = 1u << 10,    /* the caller knows that no mount point lies below the
					* start: the kernel may walk from it before its guest
					* path is known (the result's mount is then -1) */
	VFS_BORROW = 1u << 11,         /* the result's fd may be the start's, the root's or a
					* mount's own (`borrowed`) instead of a copy */
};

/*
 * The result. Without VFS_PARENT, `fd` is an O_PATH fd of the object (a
 * symlink itself if it was not followed). With VFS_PARENT, `fd` is the
 * directory the last component is in and `name` that component, with its
 * trailing slash if the path had one, for the caller to hand to the real
 * call (mkdirat, unlinkat, renameat...), which applies the kernel's rules
 * to it; "." and ".." come back as names too (the kernel refuses them in
 * those calls without looking them up), and a path with no component at
 * all ("/") gives `fd` = the root and `name` = "/"; `mount_point` says
 * that the name is a mount point of the view (unlink, rmdir and rename
 * must fail with EBUSY).
 * With VFS_CREATE the last component is followed like VFS_FOLLOW; if what
 * it names (a dangling symlink's target, too) does not exist, the result
 * is its directory and `name`, with `missing` set, as for VFS_PARENT.
 * `fd` is owned by the caller (close it with ops->close), but with
 * VFS_BORROW it may be borrowed: the start's, the root's or a mount's own
 * fd (`borrowed`), valid as long as they are, and not to be closed.
 * `mount` is the mount the object (or the parent) is in.
 */
struct vfs_result {
	int fd;
	int mount;
	char name[VFS_NAME_MAX + 2];
	char *guest;                   /* VFS_WANT_GUEST: caller's buffer of VFS_PATH_MAX */
	size_t guest_len;
	bool guest_known;              /* false if the fd's host path did not map back */
	bool mount_point;              /* VFS_PARENT: `name` is a mount point */
	bool missing;                  /* VFS_CREATE: the object does not exist */
	bool borrowed;                 /* VFS_BORROW: fd is not the caller's to close */
};

/* Scratch memory for one resolution (about 24 KiB): the caller's, so that
 * the resolver needs no stack beyond a few words and no allocation. */
struct vfs_scratch {
	char start[VFS_PATH_MAX];
	char rest[2 * VFS_PATH_MAX];
	char guest[VFS_PATH_MAX];
	char link[VFS_PATH_MAX];
	char tmp[VFS_PATH_MAX];
};

/*
 * Resolves `path` for a process whose root is `root` and whose relative
 * names start at `start` (its cwd, or the dirfd of an *at call). `root`'s
 * guest path must be known. Returns 0 or -errno: the kernel's errno for
 * the same path on real bind mounts (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG,
 * EACCES, EXDEV for the RESOLVE_* flags...).
 */
int vfs_resolve(const struct vfs_view *v, const struct vfs_dir *root, const struct vfs_dir *start,
		const char *path, unsigned flags, struct vfs_result *out, struct vfs_scratch *s);

/* The guest path of host path `host` in mount i, into buf (VFS_PATH_MAX):
 * its length, or -ENOENT if `host` is not inside mount i's host directory. */
long vfs_host_to_guest(const struct vfs_table *t, int i, const char *host, size_t host_len, char *buf);
/* The same, choosing the mount: the deepest whose host directory holds
 * `host` (a host directory the view shows at two places gives one of them). */
long vfs_guest_of_host(const struct vfs_table *t, const char *host, size_t host_len, char *buf, int *mount);
/* The host path a canonical guest path stands for, lexically (no symlink
 * is followed): its length, -ENOENT outside every mount. */
long vfs_guest_to_host(const struct vfs_table *t, const char *guest, size_t len, char *buf);

/* fs.protected_symlinks as the kernel applies it (fs/namei.c,
 * may_follow_link) to a symlink that is a path's last name: in a directory both
 * sticky and world-writable (/tmp), a link the follower (its fsuid) does
 * not own is refused with -EACCES unless the directory's owner owns it
 * too. Whoever follows a link itself, where the kernel's walk would have,
 * asks this when the sysctl is on, with the two objects' stat. */
int vfs_may_follow(uint32_t dir_mode, uint32_t dir_uid, uint32_t link_uid, uint32_t fsuid);

/* A hash of a file name (n bytes), for sets of names kept as bits. */
uint32_t vfs_name_hash(const char *name, size_t n);

/* Lexical helpers (no system calls). */
size_t vfs_strlen(const char *s);
size_t vfs_dirname_len(const char *p, size_t len);
bool vfs_streq(const char *a, size_t alen, const char *b, size_t blen);
/* The canonical form of an absolute path (no "//", "." or trailing "/",
 * ".." taken lexically): its length, -EINVAL if it is relative,
 * -ENAMETOOLONG. */
long vfs_normalize(const char *in, char *out, size_t cap);
/* Whether `p` (len bytes) is `dir` or lies below it. */
bool vfs_path_within(const char *p, size_t len, const char *dir, size_t dir_len);

#endif
