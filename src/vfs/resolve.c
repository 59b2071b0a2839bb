/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The resolver: a guest path to a host fd, as the kernel would resolve it
 * if the view's mounts were bind mounts.
 *
 * It walks the path component by component while it is at a directory
 * above some mount point (where the next component may be one), keeping
 * the canonical guest path of where it is, so that ".." and absolute
 * symlinks are resolved in guest terms and never climb above the root.
 * As soon as it reaches a directory with no mount point below it, it
 * hands the rest of the path to the kernel with openat2(RESOLVE_BENEATH):
 * whatever the kernel finds beneath such a directory belongs to the same
 * mount. If the kernel refuses (EXDEV: ".." above that directory or an
 * absolute symlink), the walk goes on component by component from there.
 */
#include "vfs/vfs.h"
#include "vfs/internal.h"

struct walk {
	const struct vfs_table *t;
	const struct vfs_ops *ops;
	struct vfs_scratch *s;
	unsigned flags;
	/* The root of this resolution (the process's, or the start with
	 * VFS_IN_ROOT) and, with VFS_BENEATH, the directory not to leave. */
	const char *root;
	size_t root_len;
	int root_fd;
	const char *limit;
	size_t limit_len;
	/* Where the walk is. */
	int fd;
	bool owned;
	int mount;
	size_t glen;                   /* guest path in s->guest */
	bool guest_known;
	/* What is left: s->rest[pos..end). */
	size_t pos, end;
	unsigned nlinks;
	bool kernel_may_walk;
};

static void set_cur(struct walk *w, int fd, bool owned)
{
	if (w->owned && w->fd != fd)
		w->ops->close(w->ops->ctx, w->fd);
	w->fd = fd;
	w->owned = owned;
}

static void drop(struct walk *w)
{
	set_cur(w, -1, false);
}

static int set_guest(struct walk *w, const char *p, size_t len)
{
	if (len >= VFS_PATH_MAX)
		return -VFS_ENAMETOOLONG;
	vfs_memmove(w->s->guest, p, len);
	w->s->guest[len] = '\0';
	w->glen = len;
	w->guest_known = true;
	w->mount = vfs_mount_of(w->t, w->s->guest, len);
	return 0;
}

static void go_to_root(struct walk *w)
{
	set_cur(w, w->root_fd, false);
	set_guest(w, w->root, w->root_len);
}

/* The next component of the rest: its start and length, whether it is
 * the last one and whether slashes follow it. False at the end. */
static bool next_component(struct walk *w, size_t *start, size_t *len, bool *last, bool *slash)
{
	const char *r = w->s->rest;
	size_t i = w->pos;
	while (i < w->end && r[i] == '/')
		i++;
	if (i == w->end) {
		w->pos = i;
		return false;
	}
	*start = i;
	while (i < w->end && r[i] != '/')
		i++;
	*len = i - *start;
	size_t j = i;
	while (j < w->end && r[j] == '/')
		j++;
	*slash = j > i;
	*last = j == w->end;
	w->pos = i;
	return true;
}

/* Replaces the component just read (a symlink) by its target. */
static int splice(struct walk *w, const char *target, size_t tlen)
{
	struct vfs_scratch *s = w->s;
	size_t tail = w->end - w->pos; /* what follows the link, slashes included */
	if (tlen + tail >= sizeof(s->rest))
		return -VFS_ENAMETOOLONG;
	vfs_memmove(s->rest + tlen, s->rest + w->pos, tail);
	vfs_memmove(s->rest, target, tlen);
	w->pos = 0;
	w->end = tlen + tail;
	s->rest[w->end] = '\0';
	return 0;
}

/* ".." in guest terms: the parent of a canonical path, found again from
 * the mount it is in (no symlink lies on a canonical path). */
static int step_up(struct walk *w)
{
	if (vfs_streq(w->s->guest, w->glen, w->root, w->root_len))
		return 0; /* ".." of the root is the root */
	if (w->limit && vfs_streq(w->s->guest, w->glen, w->limit, w->limit_len))
		return -VFS_EXDEV;
	int from = w->mount;
	size_t plen = vfs_dirname_len(w->s->guest, w->glen);
	set_guest(w, w->s->guest, plen);
	if ((w->flags & VFS_NO_XDEV) && w->mount != from)
		return -VFS_EXDEV;
	size_t mlen = w->t->mounts[w->mount].guest_len;
	int mfd = w->ops->mount_fd(w->ops->ctx, w->mount);
	if (w->glen == mlen) {
		set_cur(w, mfd, false);
		return 0;
	}
	const char *rel = w->s->guest + (mlen == 1 ? 1 : mlen + 1);
	long fd = w->ops->openat2(w->ops->ctx, mfd, rel, VFS_O_DIRECTORY, VFS_RESOLVE_BENEATH | VFS_RESOLVE_NO_SYMLINKS);
	if (fd == -VFS_ENOSYS)
		fd = w->ops->openat(w->ops->ctx, mfd, rel, VFS_O_PATH | VFS_O_DIRECTORY | VFS_O_CLOEXEC);
	if (fd < 0)
		return (int)fd;
	set_cur(w, (int)fd, true);
	return 0;
}

static bool is_dot(const char *c, size_t n) { return n == 1 && c[0] == '.'; }
static bool is_dotdot(const char *c, size_t n) { return n == 2 && c[0] == '.' && c[1] == '.'; }

/* With VFS_PARENT: hand back the directory and the last component. */
static int finish_parent(struct walk *w, struct vfs_result *out, const char *c, size_t n, bool slash)
{
	if (n + (slash ? 1 : 0) >= sizeof(out->name))
		return -VFS_ENAMETOOLONG;
	vfs_memcpy(out->name, c, n);
	if (slash)
		out->name[n++] = '/';
	out->name[n] = '\0';
	return 0;
}

/* The directory of the path's last name, rest[from, from + n) ending in
 * "/" (or empty), as a path for the kernel: with a last name "." after it,
 * so that the kernel does not take the directory's own name for the
 * path's last, which fs.protected_symlinks checks (vfs_may_follow). */
static int dir_path(struct vfs_scratch *s, size_t from, size_t n)
{
	if (n + 2 > sizeof(s->tmp))
		return -VFS_ENAMETOOLONG;
	vfs_memcpy(s->tmp, s->rest + from, n);
	s->tmp[n] = '.';
	s->tmp[n + 1] = '\0';
	return 0;
}

/* VFS_CREATE and the kernel found nothing: if only the last component is
 * missing, the result is its directory and name. A dangling symlink there,
 * or anything unusual, is left to the component walk. */
static int kernel_walk_create(struct walk *w, size_t from, struct vfs_result *out, int *err)
{
	struct vfs_scratch *s = w->s;
	size_t e = w->end;
	while (e > from && s->rest[e - 1] == '/')
		e--;
	size_t b = e;
	while (b > from && s->rest[b - 1] != '/')
		b--;
	size_t n = b - from, last = e - b;
	if (last == 0 || last > VFS_NAME_MAX || dir_path(s, from, n) < 0 ||
	    (last == 1 && s->rest[b] == '.') || (last == 2 && s->rest[b] == '.' && s->rest[b + 1] == '.'))
		goto walk_it;
	uint64_t resolve = VFS_RESOLVE_BENEATH | VFS_RESOLVE_NO_MAGICLINKS;
	if (w->flags & VFS_NO_SYMLINKS)
		resolve |= VFS_RESOLVE_NO_SYMLINKS;
	long dir = w->ops->openat2(w->ops->ctx, w->fd, s->tmp, VFS_O_DIRECTORY, resolve);
	if (dir == -VFS_EXDEV || dir == -VFS_ENOSYS)
		goto walk_it;
	if (dir < 0) {
		*err = (int)dir; /* a directory on the way is missing */
		return 1;
	}
	char name[VFS_NAME_MAX + 1];
	vfs_memcpy(name, s->rest + b, last);
	name[last] = '\0';
	long obj = w->ops->openat(w->ops->ctx, (int)dir, name, VFS_O_PATH | VFS_O_NOFOLLOW | VFS_O_CLOEXEC);
	if (obj >= 0) {
		/* A dangling symlink (or a file made meanwhile): walk it. */
		w->ops->close(w->ops->ctx, (int)obj);
		w->ops->close(w->ops->ctx, (int)dir);
		goto walk_it;
	}
	if (obj != -VFS_ENOENT) {
		w->ops->close(w->ops->ctx, (int)dir);
		*err = (int)obj;
		return 1;
	}
	set_cur(w, (int)dir, true);
	w->guest_known = false;
	out->missing = true;
	*err = finish_parent(w, out, name, last, e < w->end);
	return 1;
walk_it:
	w->kernel_may_walk = false;
	return 0;
}

/* The remaining path, from component start `from`, handed to the kernel
 * beneath the current directory. Returns 1 if the kernel resolved it (or
 * gave a final answer), 0 to walk on component by component. */
static int kernel_walk(struct walk *w, size_t from, struct vfs_result *out, int *err)
{
	struct vfs_scratch *s = w->s;
	size_t end = w->end;
	bool parent = w->flags & VFS_PARENT;
	uint64_t oflags = 0;
	if (parent) {
		/* Split off the last component: the kernel resolves its directory. */
		size_t e = end;
		while (e > from && s->rest[e - 1] == '/')
			e--;
		size_t b = e;
		while (b > from && s->rest[b - 1] != '/')
			b--;
		*err = finish_parent(w, out, s->rest + b, e - b, e < end);
		if (*err)
			return 1;
		end = b;
		oflags = VFS_O_DIRECTORY;
	} else {
		if (!(w->flags & VFS_FOLLOW))
			oflags |= VFS_O_NOFOLLOW;
	}
	size_t n = end - from;
	if (n == 0 && parent) {
		/* The last component was the only one: its directory is where
		 * the walk is, with its guest path if that is known. */
		*err = 0;
		return 1;
	}
	if (parent) {
		if (dir_path(s, from, n) < 0)
			return 0;
	} else {
		if (n >= sizeof(s->tmp))
			return 0;
		vfs_memcpy(s->tmp, s->rest + from, n);
		s->tmp[n] = '\0';
	}
	uint64_t resolve = VFS_RESOLVE_BENEATH | VFS_RESOLVE_NO_MAGICLINKS;
	if (w->flags & VFS_NO_SYMLINKS)
		resolve |= VFS_RESOLVE_NO_SYMLINKS;
	if (w->flags & VFS_NO_XDEV)
		resolve |= VFS_RESOLVE_NO_XDEV;
	long fd = w->ops->openat2(w->ops->ctx, w->fd, s->tmp, oflags, resolve);
	if (fd == -VFS_ENOSYS) {
		w->kernel_may_walk = false;
		return 0;
	}
	if (fd == -VFS_ENOENT && (w->flags & VFS_CREATE) && !parent)
		return kernel_walk_create(w, from, out, err);
	if (fd == -VFS_EXDEV) {
		/* ".." above this directory, an absolute symlink, or a mount of
		 * the host crossed with RESOLVE_NO_XDEV: in guest terms, step by
		 * step. For VFS_CREATE, which component is missing matters. */
		w->kernel_may_walk = false;
		return 0;
	}
	if (fd < 0) {
		*err = (int)fd;
		return 1;
	}
	set_cur(w, (int)fd, true);
	w->guest_known = false;
	*err = 0;
	return 1;
}

/* A symlink met on the way (or last, followed): continue at its target.
 * The kernel applies fs.protected_symlinks to the last name of a path
 * only (pick_link with WALK_TRAILING): with "name/" too, and to the
 * last name of a last name's target, which is again the path's last. */
static int follow_link(struct walk *w, int linkfd, const char *c, size_t n, bool last, long len)
{
	struct vfs_scratch *s = w->s;
	/* In the kernel's order (pick_link): the count, fs.protected_symlinks,
	 * then RESOLVE_NO_SYMLINKS. */
	if (++w->nlinks > VFS_MAX_SYMLINKS)
		return -VFS_ELOOP;
	const struct vfs_mount *m = &w->t->mounts[w->mount];
	if (last && !(m->flags & VFS_MOUNT_PROC) && w->ops->may_follow) {
		long r = w->ops->may_follow(w->ops->ctx, w->fd, linkfd);
		if (r < 0)
			return (int)r;
	}
	if (w->flags & VFS_NO_SYMLINKS)
		return -VFS_ELOOP;
	if ((m->flags & VFS_MOUNT_PROC) && w->ops->proc_link) {
		char name[VFS_NAME_MAX + 1];
		vfs_memcpy(name, c, n);
		name[n] = '\0';
		len = w->ops->proc_link(w->ops->ctx, s->guest, w->glen, name, s->link, sizeof(s->link));
		if (len == 0)
			return (w->flags & VFS_NO_MAGICLINKS) ? -VFS_ELOOP : 1; /* an opaque object: opened as it is */
		if (len > 0 && s->link[0] == '/' && (w->flags & VFS_NO_MAGICLINKS))
			return -VFS_ELOOP; /* cwd, root, exe, fd/N are magic links */
	} else if (linkfd >= 0) {
		len = w->ops->readlinkat(w->ops->ctx, linkfd, "", s->link, sizeof(s->link));
	} /* else read already, by name (len) */
	if (len < 0)
		return (int)len;
	if ((size_t)len >= sizeof(s->link))
		return -VFS_ENAMETOOLONG;
	int r = splice(w, s->link, (size_t)len);
	if (r < 0)
		return r;
	if (s->link[0] == '/') {
		if (w->limit)
			return -VFS_EXDEV;
		go_to_root(w);
	}
	return 0;
}

/* One component, looked up by the resolver itself. Returns 1 when the
 * walk ended on it (the result is in w->fd), 2 when it ended on a missing
 * last component with VFS_CREATE (its directory is in w->fd, the name in
 * out), 0 to go on, or -errno. */
static int step(struct walk *w, struct vfs_result *out, const char *c, size_t n, bool last, bool slash)
{
	struct vfs_scratch *s = w->s;
	size_t saved = w->glen;
	int r = vfs_append(s->guest, &w->glen, sizeof(s->guest), c, n);
	if (r < 0)
		return r;
	int m = vfs_mount_at(w->t, s->guest, w->glen);
	if (m >= 0) {
		if (w->flags & VFS_NO_XDEV)
			return -VFS_EXDEV;
		if ((w->t->mounts[m].flags & VFS_MOUNT_FILE) && (!last || slash))
			return -VFS_ENOTDIR;
		set_cur(w, w->ops->mount_fd(w->ops->ctx, m), false);
		w->mount = m;
		return 0;
	}
	w->glen = saved;
	s->guest[saved] = '\0';

	char name[VFS_NAME_MAX + 1];
	vfs_memcpy(name, c, n);
	name[n] = '\0';
	long fd = -VFS_ENOTDIR, type = VFS_S_IFDIR;
	if ((!last || slash) && !(w->flags & VFS_NO_XDEV))
		/* Most likely a directory: then its type needs no call of its
		 * own. A symlink (or anything else) is ENOTDIR here. */
		fd = w->ops->openat(w->ops->ctx, w->fd, name, VFS_O_PATH | VFS_O_NOFOLLOW | VFS_O_DIRECTORY | VFS_O_CLOEXEC);
	if (fd == -VFS_ENOTDIR && !last && !(w->flags & VFS_NO_XDEV) &&
	    !(w->t->mounts[w->mount].flags & VFS_MOUNT_PROC)) {
		/* A name on the way that is no directory: a symlink (/bin or /lib
		 * of a merged /usr), or ENOTDIR. fs.protected_symlinks looks at
		 * last names only, so its target is all the walk needs: read by
		 * name, one call where opening it, its type, reading it and
		 * closing it took four. */
		long len = w->ops->readlinkat(w->ops->ctx, w->fd, name, s->link, sizeof(s->link));
		if (len == -VFS_EINVAL)
			return -VFS_ENOTDIR;
		return len < 0 ? (int)len : follow_link(w, -1, c, n, false, len);
	}
	if (fd == -VFS_ENOTDIR) {
		fd = (w->flags & VFS_NO_XDEV)
			     ? w->ops->openat2(w->ops->ctx, w->fd, name, VFS_O_NOFOLLOW, VFS_RESOLVE_NO_XDEV)
			     : w->ops->openat(w->ops->ctx, w->fd, name, VFS_O_PATH | VFS_O_NOFOLLOW | VFS_O_CLOEXEC);
		if (fd == -VFS_ENOSYS)
			fd = w->ops->openat(w->ops->ctx, w->fd, name, VFS_O_PATH | VFS_O_NOFOLLOW | VFS_O_CLOEXEC);
		type = -1;
	}
	if (fd == -VFS_ENOENT && last && (w->flags & VFS_CREATE)) {
		out->missing = true;
		int r2 = finish_parent(w, out, c, n, slash);
		return r2 < 0 ? r2 : 2;
	}
	if (fd < 0)
		return (int)fd;
	if (type < 0)
		type = w->ops->fd_type(w->ops->ctx, (int)fd);
	if (type < 0) {
		w->ops->close(w->ops->ctx, (int)fd);
		return (int)type;
	}
	if (type == VFS_S_IFLNK && (!last || slash || (w->flags & VFS_FOLLOW))) {
		r = follow_link(w, (int)fd, c, n, last, 0);
		if (r == 1) {
			/* A procfs link to an object without a path: open it as is. */
			w->ops->close(w->ops->ctx, (int)fd);
			if (!last || slash)
				return -VFS_ENOTDIR;
			fd = w->ops->openat(w->ops->ctx, w->fd, name, VFS_O_PATH | VFS_O_CLOEXEC);
			if (fd < 0)
				return (int)fd;
			set_cur(w, (int)fd, true);
			w->guest_known = false;
			w->mount = -1; /* the object's, not procfs's: found from its path if needed */
			return 1;
		}
		w->ops->close(w->ops->ctx, (int)fd);
		return r;
	}
	if (type == VFS_S_IFDIR) {
		set_cur(w, (int)fd, true);
		return vfs_append(s->guest, &w->glen, sizeof(s->guest), c, n);
	}
	if (!last || slash) {
		w->ops->close(w->ops->ctx, (int)fd);
		return -VFS_ENOTDIR;
	}
	set_cur(w, (int)fd, true);
	vfs_append(s->guest, &w->glen, sizeof(s->guest), c, n);
	return 1;
}

/* Whether the component c (n bytes, not the last) only leads to a mount
 * point: its guest path is none, and it with the next name is one
 * (/mnt of /mnt/usr/bin). Then nothing in it is looked at and the walk
 * does not open it: the guest path goes on to the mount, as the runtime
 * takes it, by its guest path. Not when the mount point is the last name
 * of a VFS_PARENT walk, whose result is the directory itself. */
static bool only_leads_to_mount(struct walk *w, const char *c, size_t n)
{
	const char *r = w->s->rest;
	size_t i = w->pos;
	while (i < w->end && r[i] == '/')
		i++;
	size_t start = i;
	while (i < w->end && r[i] != '/')
		i++;
	size_t next = i - start, j = i;
	while (j < w->end && r[j] == '/')
		j++;
	if (!next || is_dot(r + start, next) || is_dotdot(r + start, next) || next > VFS_NAME_MAX ||
	    (j == w->end && (w->flags & VFS_PARENT)))
		return false;
	size_t len = w->glen;
	bool leads = vfs_append(w->s->guest, &len, sizeof(w->s->guest), c, n) == 0 &&
		     vfs_mount_at(w->t, w->s->guest, len) < 0 &&
		     vfs_append(w->s->guest, &len, sizeof(w->s->guest), r + start, next) == 0 &&
		     vfs_mount_at(w->t, w->s->guest, len) >= 0;
	w->s->guest[w->glen] = '\0';
	return leads;
}

/* The walk's fd as the result: a copy if the walk does not own it (the
 * start, the root, a mount's own), unless the caller may borrow it. */
static int own_result(struct walk *w, const struct vfs_view *v, struct vfs_result *out)
{
	out->borrowed = !w->owned && (w->flags & VFS_BORROW);
	if (!w->owned && !out->borrowed) {
		long fd = v->ops->dup ? v->ops->dup(v->ops->ctx, w->fd) : -VFS_ENOSYS;
		if (fd < 0)
			return (int)fd;
		w->fd = (int)fd;
		w->owned = true;
	}
	out->fd = w->fd;
	return 0;
}

static int walk(struct walk *w, struct vfs_result *out)
{
	size_t c, n;
	bool last, slash;
	while (next_component(w, &c, &n, &last, &slash)) {
		const char *comp = w->s->rest + c;
		if (n > VFS_NAME_MAX)
			return -VFS_ENAMETOOLONG;
		if (last && (w->flags & VFS_PARENT)) {
			int r = finish_parent(w, out, comp, n, slash);
			if (r == 0 && w->guest_known) {
				size_t saved = w->glen;
				if (vfs_append(w->s->guest, &w->glen, sizeof(w->s->guest), comp, n) == 0)
					out->mount_point = vfs_mount_at(w->t, w->s->guest, w->glen) >= 0;
				w->glen = saved;
				w->s->guest[saved] = '\0';
			}
			return r;
		}
		if (is_dot(comp, n))
			continue;
		if (is_dotdot(comp, n)) {
			int r = step_up(w);
			if (r < 0)
				return r;
			continue;
		}
		if (w->kernel_may_walk && w->guest_known && !(w->t->mounts[w->mount].flags & VFS_MOUNT_PROC) &&
		    !vfs_mounts_below(w->t, w->s->guest, w->glen)) {
			int err;
			if (kernel_walk(w, c, out, &err))
				return err;
		}
		if (!last && w->guest_known && !(w->flags & VFS_NO_XDEV) && only_leads_to_mount(w, comp, n)) {
			int r = vfs_append(w->s->guest, &w->glen, sizeof(w->s->guest), comp, n);
			if (r < 0)
				return r;
			continue;
		}
		int r = step(w, out, comp, n, last, slash);
		if (r < 0)
			return r;
		if (r >= 1)
			return 0;
	}
	if (w->flags & VFS_PARENT) {
		/* No component: "/" (or "" with VFS_EMPTY_PATH). */
		out->name[0] = '/';
		out->name[1] = '\0';
		out->mount_point = true;
	}
	return 0;
}

/* The canonical guest path of the result, if it can be had. */
static void result_guest(struct walk *w, struct vfs_result *out)
{
	out->guest_known = false;
	if (!(w->flags & VFS_WANT_GUEST) || !out->guest)
		return;
	if (w->guest_known) {
		vfs_memcpy(out->guest, w->s->guest, w->glen + 1);
		out->guest_len = w->glen;
		out->guest_known = true;
		return;
	}
	long n = w->ops->fd_path(w->ops->ctx, w->fd, w->s->tmp, sizeof(w->s->tmp));
	if (n <= 0 || (size_t)n >= sizeof(w->s->tmp))
		return;
	int m = w->mount;
	long g = m >= 0 ? vfs_host_to_guest(w->t, m, w->s->tmp, (size_t)n, out->guest)
			: vfs_guest_of_host(w->t, w->s->tmp, (size_t)n, out->guest, &m);
	if (g < 0)
		return;
	out->mount = m;
	out->guest_len = (size_t)g;
	out->guest_known = true;
}

int vfs_resolve(const struct vfs_view *v, const struct vfs_dir *root, const struct vfs_dir *start,
		const char *path, unsigned flags, struct vfs_result *out, struct vfs_scratch *s)
{
	struct walk w = {
		.t = v->table, .ops = v->ops, .s = s, .flags = flags,
		.root = root->guest, .root_len = root->guest_len, .root_fd = root->fd,
		.fd = -1, .kernel_may_walk = true,
	};
	out->fd = -1;
	out->name[0] = '\0';
	out->mount_point = false;
	out->missing = false;
	out->borrowed = false;
	if (flags & VFS_CREATE)
		w.flags |= VFS_FOLLOW;
	size_t len = vfs_strlen(path);
	if (len == 0 && !(flags & VFS_EMPTY_PATH))
		return -VFS_ENOENT;
	if (len >= sizeof(s->rest))
		return -VFS_ENAMETOOLONG;
	vfs_memcpy(s->rest, path, len + 1);
	w.end = len;

	/* Below a start with no mount point under it, the kernel may walk the
	 * whole relative path at once; only if it refuses (an escape above the
	 * start) is the start's guest path needed. */
	if ((flags & VFS_START_PLAIN) && path[0] != '/' && !(flags & (VFS_IN_ROOT | VFS_BENEATH))) {
		int err;
		w.fd = start->fd;
		w.mount = -1;
		if (kernel_walk(&w, 0, out, &err)) {
			if (err < 0) {
				drop(&w);
				return err;
			}
			/* VFS_PARENT of a single component: the start */
			int r = own_result(&w, v, out);
			if (r < 0)
				return r;
			out->mount = start->mount_known ? start->mount : -1;
			w.mount = out->mount;
			out->guest_known = false;
			if ((flags & VFS_WANT_GUEST) && out->guest)
				result_guest(&w, out);
			return 0;
		}
		w.fd = -1;
		w.owned = false;
		w.kernel_may_walk = true;
		w.flags = flags;
		if (flags & VFS_CREATE)
			w.flags |= VFS_FOLLOW;
	}
	/* Where relative names start: the start's guest path, found from its
	 * host path if the caller does not know it. */
	const char *sg = start->guest;
	size_t sglen = start->guest_len;
	if (!sg && (path[0] != '/' || (flags & (VFS_IN_ROOT | VFS_BENEATH)))) {
		long n = v->ops->fd_path(v->ops->ctx, start->fd, s->tmp, sizeof(s->tmp));
		int m;
		long g = -1;
		if (n > 0 && (size_t)n < sizeof(s->tmp) && start->mount_known)
			g = vfs_host_to_guest(v->table, start->mount, s->tmp, (size_t)n, s->start);
		if (g < 0 && (n <= 0 || (size_t)n >= sizeof(s->tmp) ||
			      (g = vfs_guest_of_host(v->table, s->tmp, (size_t)n, s->start, &m)) < 0))
			return -VFS_EACCES; /* a directory outside the view */
		sg = s->start;
		sglen = (size_t)g;
	}
	if (flags & VFS_IN_ROOT) {
		w.root = sg;
		w.root_len = sglen;
		w.root_fd = start->fd;
	} else if (flags & VFS_BENEATH) {
		if (path[0] == '/')
			return -VFS_EXDEV;
		w.limit = sg;
		w.limit_len = sglen;
	}

	int r;
	if (path[0] == '/') {
		go_to_root(&w);
	} else {
		set_cur(&w, start->fd, false);
		r = set_guest(&w, sg, sglen);
		if (r < 0)
			return r;
	}
	r = walk(&w, out);
	if (r < 0) {
		drop(&w);
		return r;
	}
	r = own_result(&w, v, out);
	if (r < 0)
		return r;
	out->mount = w.mount;
	result_guest(&w, out);
	return 0;
}
