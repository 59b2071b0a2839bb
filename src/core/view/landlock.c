/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A Landlock ruleset equal to the view's mounts, for the FAST and CONFINE
 * modes: the command's stub enforces it on itself before its exec
 * (spawn.c, holder.c), so that the whole tree is confined by the kernel to
 * the host objects of the view's mounts, read-only where the mount is,
 * whoever makes the call. The supervisor is never restricted.
 *
 * One rule per mount, on its O_PATH fd (the object the view resolves in,
 * not a path that could be replaced meanwhile), and one for the directory
 * of facet-loader (read and execute: the tree execs it, and the in-process
 * runtime lives beside it). Rights follow the mount: everything for a
 * writable directory; read, list and execute for a read-only one (and
 * device ioctls, which a read-only mount allows too); file rights for a
 * file. Landlock unites the rules of every directory above an object, so
 * a read-only mount inside a writable one's host directory (or anywhere
 * below a view whose root is the host's "/") is writable as far as
 * Landlock goes: there the view's own EROFS is the only guard.
 *
 * Landlock checks opening, creating, removing, renaming, linking,
 * truncating and executing, and following /proc/PID links of processes
 * outside the tree; it does not check stat, readlink, chmod, chown,
 * utime, xattrs, chdir or connect. The supervisor performs many of the
 * calls it checks in the tree's name; view_confined() makes it refuse,
 * as the kernel would, what the rules do not allow (an object reached
 * through an fd the tree brought from outside the view), so that a call
 * gets the same answer whether the kernel or the supervisor makes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/view.h"
#include "util/cleanup.h"

/* The file-system rights, and the ABI that brought each. */
static const struct { int abi; uint64_t access; } abi_rights[] = {
	{ 1, LANDLOCK_ACCESS_FS_EXECUTE }, { 1, LANDLOCK_ACCESS_FS_WRITE_FILE },
	{ 1, LANDLOCK_ACCESS_FS_READ_FILE }, { 1, LANDLOCK_ACCESS_FS_READ_DIR },
	{ 1, LANDLOCK_ACCESS_FS_REMOVE_DIR }, { 1, LANDLOCK_ACCESS_FS_REMOVE_FILE },
	{ 1, LANDLOCK_ACCESS_FS_MAKE_CHAR }, { 1, LANDLOCK_ACCESS_FS_MAKE_DIR },
	{ 1, LANDLOCK_ACCESS_FS_MAKE_REG }, { 1, LANDLOCK_ACCESS_FS_MAKE_SOCK },
	{ 1, LANDLOCK_ACCESS_FS_MAKE_FIFO }, { 1, LANDLOCK_ACCESS_FS_MAKE_BLOCK },
	{ 1, LANDLOCK_ACCESS_FS_MAKE_SYM },
	/* Without REFER (ABI 1) Landlock refuses every rename or link to
	 * another directory (EXDEV): the supervisor makes those itself. */
	{ 2, LANDLOCK_ACCESS_FS_REFER },
	{ 3, LANDLOCK_ACCESS_FS_TRUNCATE },
	{ 5, LANDLOCK_ACCESS_FS_IOCTL_DEV },
	/* ABI 4 (TCP ports) and 6 (signals, abstract sockets) are not used:
	 * the tree connects and signals as it did. */
};

#define LL_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_EXECUTE)
#define LL_FILE                                                                                       \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |  \
	 LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)
#define LL_FILE_RO (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* The kernel's Landlock ABI, or -errno: probed once. */
static int kernel_abi(void)
{
	static int abi;
	if (abi == 0) {
		long r = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
		abi = r > 0 ? (int)r : r == 0 ? -ENOSYS : -errno;
	}
	return abi;
}

int view_landlock_status(const struct facet_session *s, const char **why)
{
	const char *reason = NULL;
	int abi = kernel_abi();
	if (!s->view)
		reason = "there is no view";
	else if (s->view->mode == FACET_VIEW_SUPERVISOR)
		reason = "the view's mode is FACET_VIEW_SUPERVISOR";
	else if (abi == -ENOSYS)
		reason = "the kernel has no Landlock";
	else if (abi == -EOPNOTSUPP)
		reason = "Landlock is disabled in this kernel (see its lsm= boot parameter)";
	else if (abi < 0)
		reason = "the kernel refused to tell its Landlock version";
	if (why)
		*why = reason;
	return reason ? 0 : abi;
}

int facet_session_landlock(const struct facet_session *s, const char **why)
{
	return view_landlock_status(s, why);
}

static int add_rule(struct view_landlock *ll, int fd, const char *host, uint64_t access)
{
	access &= ll->handled;
	if (!access)
		return 0;
	struct landlock_path_beneath_attr attr = { .allowed_access = access, .parent_fd = fd };
	if (syscall(SYS_landlock_add_rule, ll->ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0)
		return -errno;
	struct view_rule *r = realloc(ll->rules, (ll->nrules + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	ll->rules = r;
	r[ll->nrules].host = strdup(host);
	r[ll->nrules].access = access;
	return r[ll->nrules++].host ? 0 : -ENOMEM;
}

/* A writable mount of the host's "/": its rule gives every right on every
 * file, since Landlock unites the rules of all directories above one. */
static bool host_root_writable(const struct vfs_table *tb)
{
	for (unsigned i = 0; i < tb->nmounts; i++)
		if (tb->mounts[i].host_len == 1 && vfs_mount_host(tb, (int)i)[0] == '/' &&
		    !(tb->mounts[i].flags & (VFS_MOUNT_RO | VFS_MOUNT_SYNTHETIC | VFS_MOUNT_FILE | VFS_MOUNT_PROC)))
			return true;
	return false;
}

int view_landlock_prepare(struct facet_session *s)
{
	struct view_state *vs = s->vs;
	struct view_landlock *ll = &vs->landlock;
	ll->ruleset_fd = -1;
	int abi = view_landlock_status(s, NULL);
	if (abi <= 0)
		return 0;
	for (size_t i = 0; i < sizeof(abi_rights) / sizeof(abi_rights[0]); i++)
		if (abi >= abi_rights[i].abi)
			ll->handled |= abi_rights[i].access;
	/* Where the rules allow every file access anyway, handling them would
	 * only make each open, exec and creation walk up to "/" to be allowed
	 * (a fifth of a build's cost in a view). Then Landlock handles just
	 * the right it refuses where it is not handled, a rename or link into
	 * another directory (REFER; ABI 1 refuses those whatever it handles,
	 * and needs one right handled: a block device's creation, which the
	 * same rule allows). The domain still keeps the tree from ptrace and
	 * from the /proc links of processes outside it. */
	if (host_root_writable(vs->table))
		ll->handled = abi >= 2 ? LANDLOCK_ACCESS_FS_REFER : LANDLOCK_ACCESS_FS_MAKE_BLOCK;
	struct landlock_ruleset_attr attr = { .handled_access_fs = ll->handled };
	ll->ruleset_fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ll->ruleset_fd < 0)
		return session_fail(s, -errno, "creating the view's Landlock ruleset");
	const struct vfs_table *tb = vs->table;
	for (unsigned i = 0; i < tb->nmounts; i++) {
		unsigned flags = tb->mounts[i].flags;
		bool ro = flags & (VFS_MOUNT_RO | VFS_MOUNT_SYNTHETIC);
		uint64_t access = (flags & VFS_MOUNT_FILE) ? (ro ? LL_FILE_RO : LL_FILE)
				  : ro ? LL_READ | LANDLOCK_ACCESS_FS_IOCTL_DEV : ll->handled;
		int r = add_rule(ll, vs->mount_fds[i], vfs_mount_host(tb, (int)i), access);
		if (r < 0)
			return session_fail(s, r, "the Landlock rule for the mount of %s at %s",
					    vfs_mount_host(tb, (int)i), vfs_mount_guest(tb, (int)i));
	}
	/* facet-loader's directory: the tree execs the loader, which maps the
	 * in-process runtime from beside it. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", vs->loader_path);
	dirname(dir);
	_cleanup_close_ int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r = fd < 0 ? -errno : add_rule(ll, fd, dir, LL_READ);
	if (r < 0)
		return session_fail(s, r, "the Landlock rule for facet-loader's directory %s", dir);
	/* Fake root's record, which the in-process runtime maps read-only,
	 * is a memfd (fakeroot/table.c): Landlock leaves such files alone,
	 * and takes no rule for one. */
	ll->abi = abi;
	return 0;
}

void view_landlock_free(struct view_landlock *ll)
{
	if (ll->ruleset_fd >= 0)
		close(ll->ruleset_fd);
	ll->ruleset_fd = -1;
	for (unsigned i = 0; i < ll->nrules; i++)
		free(ll->rules[i].host);
	free(ll->rules);
	ll->rules = NULL;
	ll->nrules = 0;
}

/* ---------------------------------------------------------------------- */
/* The supervisor's side: the same answer as the kernel's.                 */

uint64_t view_landlock_open_access(int flags, mode_t mode)
{
	if (flags & O_PATH)
		return 0; /* Landlock does not check O_PATH opens */
	uint64_t a = 0;
	int acc = flags & O_ACCMODE;
	if (acc == O_RDONLY || acc == O_RDWR)
		a |= S_ISDIR(mode) ? LANDLOCK_ACCESS_FS_READ_DIR : LANDLOCK_ACCESS_FS_READ_FILE;
	if (acc == O_WRONLY || acc == O_RDWR)
		a |= LANDLOCK_ACCESS_FS_WRITE_FILE;
	if (flags & O_TRUNC)
		a |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return a;
}

uint64_t view_landlock_make_access(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return LANDLOCK_ACCESS_FS_MAKE_DIR;
	case S_IFCHR: return LANDLOCK_ACCESS_FS_MAKE_CHAR;
	case S_IFBLK: return LANDLOCK_ACCESS_FS_MAKE_BLOCK;
	case S_IFIFO: return LANDLOCK_ACCESS_FS_MAKE_FIFO;
	case S_IFSOCK: return LANDLOCK_ACCESS_FS_MAKE_SOCK;
	case S_IFLNK: return LANDLOCK_ACCESS_FS_MAKE_SYM;
	default: return LANDLOCK_ACCESS_FS_MAKE_REG;
	}
}

static bool beneath(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	if (n == 1)
		return true; /* "/" */
	return !strncmp(dir, path, n) && (path[n] == '\0' || path[n] == '/');
}

/* Whether the rules give `access` on the object of host fd `fd`. */
static bool allowed(const struct view_landlock *ll, int fd, uint64_t access)
{
	char proc[40], path[PATH_MAX];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, path, sizeof(path) - 1);
	if (n <= 0)
		return false;
	path[n] = '\0';
	/* A pipe, a socket, an anonymous inode: no file hierarchy, nothing
	 * for Landlock to check. An object no longer linked anywhere (a
	 * memfd, which lives on a kernel-internal mount; a removed file the
	 * tree holds open) has no path left to compare; it is let through. */
	struct stat st;
	if (path[0] != '/' || (fstat(fd, &st) == 0 && st.st_nlink == 0))
		return true;
	uint64_t granted = 0;
	for (unsigned i = 0; i < ll->nrules; i++)
		if (beneath(ll->rules[i].host, path))
			granted |= ll->rules[i].access;
	return (access & ~granted) == 0;
}

int view_confined(struct facet_task *t, struct pc_name *n, uint64_t access)
{
	const struct view_landlock *ll = &t->session->vs->landlock;
	access &= ll->handled;
	if (ll->abi <= 0 || !access || n->r.fd < 0)
		return 0;
	/* Inside a mount: its rule allows what the view allows (a write on a
	 * read-only mount is the view's EROFS before it comes to this). */
	if (pc_mount(t, n) >= 0)
		return 0;
	return allowed(ll, n->r.fd, access) ? 0 : -EACCES;
}
