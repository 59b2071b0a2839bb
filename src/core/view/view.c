/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The view as the user describes it (struct facet_view: a root and binds),
 * and the running view the session builds from it when it starts: the
 * mount table for src/vfs, an O_PATH fd per mount, the synthetic
 * directories that stand for missing parents of mount points, the host
 * directories whose listing must show mount points they lack (the system
 * calls src/vfs makes, as the supervisor makes them, are vfs_ops.c's).
 */
#include <dirent.h>
#include <dlfcn.h>
#include <libgen.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/view.h"
#include "loader/plan_build.h"
#include "util/cleanup.h"

/* ---------------------------------------------------------------------- */
/* The public description.                                                 */

struct facet_view *facet_view_new(void)
{
	return calloc(1, sizeof(struct facet_view));
}

void facet_view_free(struct facet_view *v)
{
	if (!v)
		return;
	for (unsigned i = 0; i < v->nbinds; i++) {
		free(v->binds[i].host);
		free(v->binds[i].guest);
	}
	free(v->binds);
	free(v->root);
	free(v->cwd);
	free(v->owner_state);
	free(v);
}

static int replace(char **slot, const char *value)
{
	char *s = strdup(value);
	if (!s)
		return -ENOMEM;
	free(*slot);
	*slot = s;
	return 0;
}

int facet_view_set_root(struct facet_view *v, const char *host)
{
	return host[0] == '\0' ? -EINVAL : replace(&v->root, host);
}

int facet_view_set_cwd(struct facet_view *v, const char *guest)
{
	return guest[0] != '/' ? -EINVAL : replace(&v->cwd, guest);
}

int facet_view_set_mode(struct facet_view *v, enum facet_view_mode mode)
{
	if (mode != FACET_VIEW_FAST && mode != FACET_VIEW_CONFINE && mode != FACET_VIEW_SUPERVISOR)
		return -EINVAL;
	v->mode = mode;
	return 0;
}

int facet_view_set_identity(struct facet_view *v, uid_t uid, gid_t gid)
{
	if (uid == (uid_t)-1 || gid == (gid_t)-1)
		return -EINVAL;
	v->fake = true;
	v->fake_uid = uid;
	v->fake_gid = gid;
	return 0;
}

int facet_view_set_owner_state(struct facet_view *v, const char *path)
{
	if (!path || !path[0])
		return -EINVAL;
	return replace(&v->owner_state, path);
}

int facet_view_bind(struct facet_view *v, const char *host, const char *guest, unsigned flags)
{
	if (!host[0] || !guest || guest[0] != '/')
		return -EINVAL;
	struct view_bind *b = realloc(v->binds, (v->nbinds + 1) * sizeof(*b));
	if (!b)
		return -ENOMEM;
	v->binds = b;
	b = &v->binds[v->nbinds];
	b->host = strdup(host);
	b->guest = strdup(guest);
	b->flags = flags;
	if (!b->host || !b->guest) {
		free(b->host);
		free(b->guest);
		return -ENOMEM;
	}
	v->nbinds++;
	return 0;
}

int facet_session_set_view(struct facet_session *s, struct facet_view *v)
{
	if (s->started) {
		facet_view_free(v);
		return -EBUSY;
	}
	facet_view_free(s->view);
	s->view = v;
	return 0;
}

/* A guest path resolved before any task exists (the starting directory,
 * the command's PATH search): from the root, relative to `cwd`. */
static int lookup(struct facet_session *s, const char *cwd, const char *path, unsigned vflags,
		  struct vfs_result *r, char *guest)
{
	static struct vfs_scratch scratch;
	struct view_state *vs = s->vs;
	struct vfs_dir root = { .guest = "/", .guest_len = 1, .fd = vs->mount_fds[0] };
	struct vfs_dir start = { .guest = cwd, .guest_len = strlen(cwd), .fd = vs->start_fd >= 0 ? vs->start_fd : vs->mount_fds[0] };
	r->guest = guest;
	return vfs_resolve(view_session_vfs(s, NULL), &root, &start, path, vflags, r, &scratch);
}

int view_find_command(struct facet_session *s, const char *name, char *out, size_t size)
{
	char guest[VFS_PATH_MAX], magic[40];
	struct vfs_result r;
	if (strchr(name, '/'))
		return snprintf(out, size, "%s", name) >= (int)size ? -ENAMETOOLONG : 0;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int err = -ENOENT;
	for (const char *p = path;;) {
		const char *end = strchrnul(p, ':');
		int n = snprintf(out, size, "%.*s%s%s", (int)(end - p), p, end == p ? "" : "/", name);
		if (n > 0 && (size_t)n < size && lookup(s, s->vs->start_cwd, out, VFS_FOLLOW, &r, guest) == 0) {
			struct stat st;
			view_magic_name(magic, sizeof(magic), r.fd);
			bool reg = fstat(r.fd, &st) == 0 && S_ISREG(st.st_mode);
			bool x = reg && access(magic, X_OK) == 0;
			close(r.fd);
			if (x)
				return 0;
			if (reg)
				err = -EACCES;
		}
		if (!*end)
			break;
		p = end + 1;
	}
	return err;
}

void view_magic_name(char *buf, size_t size, int fd)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

int view_tracee_fd(struct facet_task *t, int fd)
{
	int r = task_dup_fd(t, fd);
	if (r >= 0)
		return r;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", t->tid, fd);
	r = open(proc, O_PATH | O_CLOEXEC);
	return r >= 0 ? r : (errno == ENOENT ? -EBADF : -errno);
}

/* ---------------------------------------------------------------------- */
/* Building the running view.                                              */

/* The host path a canonical guest path stands for in the table so far. */
static int host_of(const struct vfs_table *t, const char *guest, char *out, size_t size)
{
	char buf[VFS_PATH_MAX];
	long n = vfs_guest_to_host(t, guest, strlen(guest), buf);
	if (n < 0)
		return (int)n;
	return snprintf(out, size, "%s", buf) >= (int)size ? -ENAMETOOLONG : 0;
}

static bool is_procfs(const char *host)
{
	struct statfs sf;
	return statfs(host, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

static int mkdir_p(char *path, mode_t mode)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, mode);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -errno;
	}
	return mkdir(path, mode) < 0 && errno != EEXIST ? -errno : 0;
}

static int scratch_dir(struct view_state *vs, struct facet_session *s)
{
	if (vs->scratch)
		return 0;
	const char *tmp = getenv("TMPDIR");
	char tmpl[PATH_MAX];
	snprintf(tmpl, sizeof(tmpl), "%s/facet-view.XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (!mkdtemp(tmpl))
		return session_fail(s, -errno, "creating a directory for the view in %s", tmpl);
	chmod(tmpl, 0755);
	vs->scratch = strdup(tmpl);
	return vs->scratch ? 0 : -ENOMEM;
}

/* Missing parents of a mount point become synthetic directories, each a
 * mount of a directory facet makes; a mount point under one of them gets
 * a placeholder there, so that its parent lists it. */
static int add_missing_parents(struct facet_session *s, struct view_state *vs, const char *guest,
			       bool is_dir)
{
	char anc[VFS_PATH_MAX], host[PATH_MAX], sp[PATH_MAX];
	size_t len = strlen(guest);
	for (size_t i = 1; i <= len; i++) {
		if (guest[i] != '/' && guest[i] != '\0')
			continue;
		memcpy(anc, guest, i);
		anc[i] = '\0';
		bool last = i == len;
		int m = vfs_mount_at(vs->table, anc, i);
		if (m >= 0 && !last)
			continue;
		/* The mount the name is in: its parent directory's. */
		size_t plen = vfs_dirname_len(anc, i);
		int pm = vfs_mount_of(vs->table, anc, plen);
		bool parent_synthetic = vs->table->mounts[pm].flags & VFS_MOUNT_SYNTHETIC;
		if (last) {
			/* The mount point itself: under a synthetic parent it needs
			 * a placeholder to be listed. */
			if (!parent_synthetic)
				return 0;
			snprintf(sp, sizeof(sp), "%s%s", vs->scratch, anc);
			if (is_dir)
				return mkdir(sp, 0755) < 0 && errno != EEXIST ? -errno : 0;
			int fd = open(sp, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
			return fd < 0 ? -errno : close(fd);
		}
		struct stat st;
		if (!parent_synthetic) {
			int r = host_of(vs->table, anc, host, sizeof(host));
			if (r < 0)
				return r;
			if (lstat(host, &st) == 0) {
				if (S_ISDIR(st.st_mode))
					continue;
				return session_fail(s, -ENOTDIR, "the mount point %s: %s is not a directory in the view",
						    guest, anc);
			}
		}
		int r = scratch_dir(vs, s);
		if (r < 0)
			return r;
		snprintf(sp, sizeof(sp), "%s%s", vs->scratch, anc);
		if ((r = mkdir_p(sp, 0755)) < 0)
			return session_fail(s, r, "creating %s", sp);
		r = vfs_table_add(vs->table, anc, sp, VFS_MOUNT_SYNTHETIC | VFS_MOUNT_RO);
		if (r < 0 && r != -EEXIST)
			return r;
		/* Keep lookups right for the next ancestors: sort now. */
		vfs_table_finish(vs->table);
		vs->table->finished = 0;
	}
	return 0;
}

static int add_mount(struct facet_session *s, struct view_state *vs, const char *host, const char *guest,
		     unsigned flags, const char *what)
{
	char real[PATH_MAX];
	if (!realpath(host, real))
		return session_fail(s, -errno, "%s %s", what, host);
	struct stat st;
	if (stat(real, &st) < 0)
		return session_fail(s, -errno, "%s %s", what, host);
	if (!S_ISDIR(st.st_mode))
		flags |= VFS_MOUNT_FILE;
	else if (is_procfs(real))
		flags |= VFS_MOUNT_PROC;
	int r = vfs_table_add(vs->table, guest, real, flags);
	if (r == -EEXIST)
		return session_fail(s, r, "two mounts at %s", guest);
	if (r < 0)
		return session_fail(s, r, "%s %s:%s", what, host, guest);
	return 0;
}

static unsigned depth(const char *guest)
{
	char norm[VFS_PATH_MAX];
	unsigned d = 0;
	if (vfs_normalize(guest, norm, sizeof(norm)) > 1)
		for (const char *p = norm; *p; p++)
			d += *p == '/';
	return d;
}

/* Closes the mounts' fds. */
static void mount_fds_free(struct view_state *vs)
{
	for (unsigned i = 0; vs->mount_fds && i < vs->nfds; i++) {
		if (vs->mount_fds[i] >= 0)
			close(vs->mount_fds[i]);
		if (vs->mount_hosts)
			free(vs->mount_hosts[i]);
	}
	free(vs->mount_fds);
	free(vs->mount_hosts);
	vs->mount_fds = NULL;
	vs->mount_hosts = NULL;
	vs->nfds = 0;
}

/* The table so far, sorted, with an fd per mount: a view to resolve in.
 * A host directory that had an fd keeps it: each bind of a view refreshes
 * it, and a Debian root's dozen binds reopened every host directory a
 * dozen times. */
static int refresh(struct view_state *vs)
{
	int r = vfs_table_finish(vs->table);
	vs->table->finished = 0;
	unsigned n = vs->table->nmounts, had = vs->mount_fds ? vs->nfds : 0;
	int *fds = r < 0 ? NULL : calloc(n ? n : 1, sizeof(int));
	char **hosts = fds ? calloc(n ? n : 1, sizeof(char *)) : NULL;
	for (unsigned j = 0; hosts && j < n; j++) {
		const char *host = vfs_mount_host(vs->table, (int)j);
		fds[j] = -1;
		for (unsigned i = 0; i < had && fds[j] < 0; i++)
			if (vs->mount_fds[i] >= 0 && vs->mount_hosts[i] && !strcmp(vs->mount_hosts[i], host)) {
				fds[j] = vs->mount_fds[i];
				vs->mount_fds[i] = -1;
			}
		if (fds[j] < 0 && (fds[j] = open(host, O_PATH | O_CLOEXEC)) < 0 && r == 0)
			r = -errno;
		if (!(hosts[j] = strdup(host)) && r == 0)
			r = -ENOMEM;
	}
	mount_fds_free(vs);
	if (!hosts) {
		free(fds);
		return r < 0 ? r : -ENOMEM;
	}
	vs->mount_fds = fds;
	vs->mount_hosts = hosts;
	vs->nfds = n;
	return r;
}

/* Where a bind really goes: its guest path with the symlinks on the way
 * followed in the view so far (Debian's /var/run -> ../run), and its last
 * component too if it is a symlink to something (mount(2) mounts on the
 * target); from the first name that does not exist, the rest as written. */
static int canonical_guest(struct facet_session *s, const char *guest, char *out, size_t size)
{
	char norm[VFS_PATH_MAX], cur[VFS_PATH_MAX] = "/", cand[VFS_PATH_MAX], g[VFS_PATH_MAX];
	long n = vfs_normalize(guest, norm, sizeof(norm));
	if (n < 0)
		return (int)n;
	for (const char *p = norm + 1; *p;) {
		const char *e = strchrnul(p, '/');
		int w = snprintf(cand, sizeof(cand), "%s%s%.*s", cur, strcmp(cur, "/") ? "/" : "", (int)(e - p), p);
		if (w < 0 || (size_t)w >= sizeof(cand))
			return -ENAMETOOLONG;
		struct vfs_result r;
		if (lookup(s, "/", cand, VFS_FOLLOW | VFS_WANT_GUEST, &r, g) < 0) {
			/* Missing (or a dangling link): the rest as written. */
			return snprintf(out, size, "%s%s", cand, e) >= (int)size ? -ENAMETOOLONG : 0;
		}
		close(r.fd);
		snprintf(cur, sizeof(cur), "%s", r.guest_known ? g : cand);
		if (!*e)
			break;
		p = e + 1;
	}
	return snprintf(out, size, "%s", cur) >= (int)size ? -ENAMETOOLONG : 0;
}

static int build_table(struct facet_session *s, struct view_state *vs)
{
	const struct facet_view *v = s->view;
	vs->table_size = 64 * 1024;
	/* Room for long paths, of which a few hundred bytes are used: zeroing
	 * it all (calloc) cost 16 page faults at every start, ~12 us each on
	 * some VMs. The mounts' slots are zeroed, the strings written as they
	 * come, and only what the table uses is ever read or copied. */
	vs->table = malloc(vs->table_size);
	if (!vs->table)
		return -ENOMEM;
	vfs_table_init(vs->table, vs->table_size, VIEW_MAX_MOUNTS);
	memset(vs->table->mounts, 0, VIEW_MAX_MOUNTS * sizeof(vs->table->mounts[0]));
	/* A bind at "/" is the root, unless a root was given too. */
	const char *root = v->root;
	unsigned root_flags = 0, root_bind = v->nbinds;
	char canon[VFS_PATH_MAX];
	for (unsigned i = 0; !root && i < v->nbinds; i++)
		if (vfs_normalize(v->binds[i].guest, canon, sizeof(canon)) == 1) {
			root = v->binds[i].host;
			root_flags = (v->binds[i].flags & FACET_BIND_RO) ? VFS_MOUNT_RO : 0;
			root_bind = i;
		}
	int r = add_mount(s, vs, root ? root : "/", "/", root_flags, "the root");
	if (r == 0 && (vs->table->mounts[0].flags & VFS_MOUNT_FILE))
		r = session_fail(s, -ENOTDIR, "the root %s", root);
	/* Binds from the shallowest: each mount point is found in the view the
	 * ones before it make, following symlinks as mount(2) does. */
	unsigned *order = calloc(v->nbinds + 1, sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (unsigned i = 0; i < v->nbinds; i++)
		order[i] = i;
	for (unsigned i = 1; i < v->nbinds; i++)
		for (unsigned j = i; j > 0 && depth(v->binds[order[j - 1]].guest) > depth(v->binds[order[j]].guest); j--) {
			unsigned x = order[j];
			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	for (unsigned k = 0; r == 0 && k < v->nbinds; k++) {
		unsigned i = order[k];
		if (i == root_bind)
			continue;
		if ((r = refresh(vs)) == 0 && (r = canonical_guest(s, v->binds[i].guest, canon, sizeof(canon))) < 0)
			r = session_fail(s, r, "the bind %s:%s", v->binds[i].host, v->binds[i].guest);
		if (r == 0)
			r = add_mount(s, vs, v->binds[i].host, canon,
				      (v->binds[i].flags & FACET_BIND_RO) ? VFS_MOUNT_RO : 0, "the bind");
	}
	free(order);
	if (r < 0)
		return r;
	/* The guest /proc is the host's procfs when nothing else is bound
	 * there: mark it, so that its magic links mean the tracee. */
	char host[PATH_MAX];
	if (vfs_table_finish(vs->table) < 0)
		return -EINVAL;
	vs->table->finished = 0;
	if (vfs_mount_at(vs->table, "/proc", 5) < 0 && host_of(vs->table, "/proc", host, sizeof(host)) == 0 &&
	    is_procfs(host))
		vfs_table_add(vs->table, "/proc", host, VFS_MOUNT_PROC);
	vfs_table_finish(vs->table);
	vs->table->finished = 0;
	/* Mounts in order of depth: parents' synthetic directories first. */
	unsigned n = vs->table->nmounts;
	for (unsigned i = 1; r == 0 && i < n; i++) {
		char guest[VFS_PATH_MAX];
		snprintf(guest, sizeof(guest), "%s", vfs_mount_guest(vs->table, (int)i));
		bool is_dir = !(vs->table->mounts[i].flags & VFS_MOUNT_FILE);
		if (!(vs->table->mounts[i].flags & VFS_MOUNT_SYNTHETIC))
			r = add_missing_parents(s, vs, guest, is_dir);
		n = vs->table->nmounts;
	}
	if (r < 0)
		return r;
	return vfs_table_finish(vs->table);
}

/* Host directories whose listing lacks a mount point they hold in the view. */
static int find_augmented(struct view_state *vs)
{
	const struct vfs_table *t = vs->table;
	for (unsigned i = 1; i < t->nmounts; i++) {
		const struct vfs_mount *m = &t->mounts[i];
		const struct vfs_mount *p = &t->mounts[m->parent];
		if (p->flags & VFS_MOUNT_SYNTHETIC)
			continue; /* the placeholder is listed */
		const char *guest = vfs_mount_guest(t, (int)i);
		size_t plen = vfs_dirname_len(guest, m->guest_len);
		char parent[VFS_PATH_MAX], host[PATH_MAX];
		memcpy(parent, guest, plen);
		parent[plen] = '\0';
		if (host_of(t, parent, host, sizeof(host)) < 0)
			continue;
		struct stat dir, child, obj;
		const char *name = guest + (plen == 1 ? 1 : plen + 1);
		char childp[PATH_MAX + VFS_NAME_MAX + 2];
		snprintf(childp, sizeof(childp), "%s/%s", host, name);
		if (stat(host, &dir) < 0 || lstat(childp, &child) == 0 || stat(vfs_mount_host(t, (int)i), &obj) < 0)
			continue;
		struct view_extra *e = realloc(vs->extra, (vs->nextra + 1) * sizeof(*e));
		if (!e)
			return -ENOMEM;
		vs->extra = e;
		unsigned a = 0;
		while (a < vs->naugment && !(vs->augment[a].dev == dir.st_dev && vs->augment[a].ino == dir.st_ino))
			a++;
		if (a == vs->naugment) {
			struct view_augment *na = realloc(vs->augment, (vs->naugment + 1) * sizeof(*na));
			if (!na)
				return -ENOMEM;
			vs->augment = na;
			na[a] = (struct view_augment){ dir.st_dev, dir.st_ino, vs->nextra, 0 };
			vs->naugment++;
		}
		/* A directory's extra names stay together (a nested mount's
		 * parent may come between two of them): this one goes after
		 * the last, and those of the directories after it move on. */
		unsigned at = vs->augment[a].first + vs->augment[a].count;
		memmove(&vs->extra[at + 1], &vs->extra[at], (vs->nextra - at) * sizeof(*e));
		for (unsigned b = 0; b < vs->naugment; b++)
			if (b != a && vs->augment[b].first >= at)
				vs->augment[b].first++;
		e = &vs->extra[at];
		snprintf(e->name, sizeof(e->name), "%s", name);
		e->d_type = S_ISDIR(obj.st_mode) ? DT_DIR : S_ISREG(obj.st_mode) ? DT_REG : DT_UNKNOWN;
		e->ino = obj.st_ino;
		vs->augment[a].count++;
		vs->nextra++;
	}
	return 0;
}

static int add_ident(struct view_state *vs, const struct stat *st)
{
	for (unsigned i = 0; i < vs->nfences; i++)
		if (vs->fences[i].dev == st->st_dev && vs->fences[i].ino == st->st_ino)
			return 0;
	struct view_ident *f = realloc(vs->fences, (vs->nfences + 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	vs->fences = f;
	f[vs->nfences++] = (struct view_ident){ st->st_dev, st->st_ino };
	return 0;
}

/* The host directories of every guest directory above a mount point, and
 * the devices of the view's procfs mounts. */
static int find_fences(struct view_state *vs)
{
	const struct vfs_table *t = vs->table;
	struct stat st;
	for (unsigned i = 0; i < t->nmounts; i++) {
		const char *guest = vfs_mount_guest(t, (int)i);
		if (t->mounts[i].flags & VFS_MOUNT_PROC) {
			if (stat(vfs_mount_host(t, (int)i), &st) == 0) {
				dev_t *d = realloc(vs->proc_devs, (vs->nproc_devs + 1) * sizeof(*d));
				if (!d)
					return -ENOMEM;
				vs->proc_devs = d;
				d[vs->nproc_devs++] = st.st_dev;
			}
		}
		char anc[VFS_PATH_MAX], host[PATH_MAX];
		size_t len = t->mounts[i].guest_len;
		while (len > 1) {
			len = vfs_dirname_len(guest, len);
			memcpy(anc, guest, len);
			anc[len] = '\0';
			if (host_of(t, anc, host, sizeof(host)) == 0 && stat(host, &st) == 0 && add_ident(vs, &st) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

bool view_is_fence(const struct view_state *vs, const struct stat *st)
{
	for (unsigned i = 0; i < vs->nproc_devs; i++)
		if (vs->proc_devs[i] == st->st_dev)
			return true;
	for (unsigned i = 0; i < vs->nfences; i++)
		if (vs->fences[i].dev == st->st_dev && vs->fences[i].ino == st->st_ino)
			return true;
	return false;
}

/* -w, or the current directory if the view shows it, or "/". */
static int choose_cwd(struct facet_session *s, struct view_state *vs)
{
	if (s->view->cwd) {
		long n = vfs_normalize(s->view->cwd, vs->start_cwd, sizeof(vs->start_cwd));
		return n < 0 ? session_fail(s, (int)n, "the starting directory %s", s->view->cwd) : 0;
	}
	snprintf(vs->start_cwd, sizeof(vs->start_cwd), "/");
	char here[PATH_MAX], guest[VFS_PATH_MAX], back[PATH_MAX];
	int m;
	if (!getcwd(here, sizeof(here)))
		return 0;
	/* The same path, if the view shows the same directory there; else
	 * where the view shows it. */
	if (host_of(vs->table, here, back, sizeof(back)) == 0 && !strcmp(back, here))
		snprintf(guest, sizeof(guest), "%s", here);
	else if (vfs_guest_of_host(vs->table, here, strlen(here), guest, &m) < 0 ||
		 host_of(vs->table, guest, back, sizeof(back)) < 0)
		return 0;
	struct stat a, b;
	if (stat(here, &a) == 0 && stat(back, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		snprintf(vs->start_cwd, sizeof(vs->start_cwd), "%s", guest);
	return 0;
}

int view_start(struct facet_session *s)
{
	if (!s->view)
		return 0;
	struct view_state *vs = calloc(1, sizeof(*vs));
	if (!vs)
		return -ENOMEM;
	s->vs = vs;
	vs->self = getpid();
	vs->protected_symlinks = view_protected_symlinks();
	vs->start_fd = -1;
	vs->landlock.ruleset_fd = -1;
	vs->holder.sock[0] = vs->holder.sock[1] = vs->holder.pidfd = -1;
	for (unsigned i = 0; i < sizeof(vs->holder.placed) / sizeof(vs->holder.placed[0]); i++)
		vs->holder.placed[i].fd = -1;
	int r = build_table(s, vs);
	if (r < 0)
		return s->error[0] ? r : session_fail(s, r, "building the view");
	vs->table->finished = 0;
	if ((r = refresh(vs)) < 0)
		return session_fail(s, r, "opening the view's mounts");
	vs->table->finished = 1;
	if ((r = find_augmented(vs)) < 0 || (r = find_fences(vs)) < 0)
		return r;
	/* The top 64 fds under the soft limit the command starts with. */
	struct rlimit lim;
	if (vs->naugment && s->backend == FACET_BACKEND_NOTIFY && getrlimit(RLIMIT_NOFILE, &lim) == 0 &&
	    lim.rlim_cur >= 256 && lim.rlim_cur <= INT_MAX)
		vs->aug_base = (int)lim.rlim_cur - 64;
	/* facet-loader next to libfacet: where dladdr says this code is. */
	Dl_info info;
	char libdir[PATH_MAX] = "";
	if (dladdr((void *)view_start, &info) && info.dli_fname) {
		snprintf(libdir, sizeof(libdir), "%s", info.dli_fname);
		dirname(libdir);
	}
	if (view_find_loader(vs, libdir[0] ? libdir : NULL) < 0)
		return session_fail(s, -ENOENT, "facet-loader, which runs programs in a view, is not installed "
				    "next to libfacet or in %s; reinstall facet", FACET_LOADER_INSTALLED);
	/* The runtime forwards through user notification: the ptrace back
	 * end, or an image without the runtime, leave the supervisor alone. */
	vs->fast = s->view->mode == FACET_VIEW_FAST && s->backend == FACET_BACKEND_NOTIFY && vs->rt_gate;
	if (s->view->owner_state && !s->view->fake)
		return session_fail(s, -EINVAL, "a fake-root state file (%s) without a fake identity "
				    "(facet_view_set_identity)", s->view->owner_state);
	if (s->view->fake && ((r = scratch_dir(vs, s)) < 0 || (r = fakeroot_start(s)) < 0))
		return s->error[0] ? r : session_fail(s, r, "starting fake root");
	if ((r = view_rt_prepare(vs)) < 0)
		return r;
	vs->aslr_flags = loader_plan_aslr_flags();
	if ((r = view_landlock_prepare(s)) < 0 || (r = view_holder_prepare(s)) < 0)
		return r;
	if ((r = choose_cwd(s, vs)) < 0)
		return r;
	char guest[VFS_PATH_MAX];
	struct vfs_result res;
	vs->start_fd = -1;
	r = lookup(s, "/", vs->start_cwd, VFS_FOLLOW | VFS_WANT_GUEST, &res, guest);
	if (r < 0)
		return session_fail(s, r, "the starting directory %s", vs->start_cwd);
	struct stat st;
	if (fstat(res.fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(res.fd);
		return session_fail(s, -ENOTDIR, "the starting directory %s", vs->start_cwd);
	}
	vs->start_fd = res.fd;
	if (res.guest_known)
		snprintf(vs->start_cwd, sizeof(vs->start_cwd), "%s", guest);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	remove(path);
	return 0; /* go on: remove what can be */
}

int view_end(struct facet_session *s)
{
	return s->vs ? fakeroot_end(s) : 0;
}

void view_stop(struct facet_session *s)
{
	struct view_state *vs = s->vs;
	if (!vs)
		return;
	view_proxies_stop(vs);
	fakeroot_stop(s);
	if (vs->scratch)
		nftw(vs->scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	mount_fds_free(vs);
	if (vs->start_fd >= 0)
		close(vs->start_fd);
	view_landlock_free(&vs->landlock);
	free(vs->loader_path);
	free(vs->table);
	free(vs->scratch);
	free(vs->augment);
	free(vs->extra);
	free(vs->fences);
	free(vs->rt_config);
	free(vs->proc_devs);
	view_sites_free(vs);
	view_go_sites_free(vs);
	view_exec_fds_free(vs);
	for (unsigned i = 0; i < sizeof(vs->bound) / sizeof(vs->bound[0]); i++) {
		free(vs->bound[i].kernel);
		free(vs->bound[i].program);
	}
	free(vs);
	s->vs = NULL;
}
