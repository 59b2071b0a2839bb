/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The path-call table by number, and the resolution of a call's names. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/view.h"

#define FAN_MARK_DONT_FOLLOW_ 0x04

static const struct path_call rows[] = {
#define PC(name_, op_, d_, p_, d2_, p2_, f_, kind_, how_, a1_, a2_, a3_, bits_)                  \
	{ .name = #name_, .op = PC_##op_, .dirfd = d_, .path = p_, .dirfd2 = d2_, .path2 = p2_, \
	  .flags = f_, .kind = PCK_##kind_, .how = PCH_##how_, .a1 = a1_, .a2 = a2_, .a3 = a3_, \
	  .bits = bits_ },
#define W PCB_W
#define T PCB_T
#define E PCB_E
#define R PCB_R
#define F PCB_F
#include "core/view/pathcalls.h"
#undef W
#undef T
#undef E
#undef R
#undef F
#undef PC
};

static const struct path_call *by_nr[FACET_NR_MAX];
static pthread_once_t by_nr_once = PTHREAD_ONCE_INIT;

static void index_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct facet_syscall_info *info = facet_syscall_by_name(rows[i].name);
		if (info && info->nr >= 0 && info->nr < FACET_NR_MAX)
			by_nr[info->nr] = &rows[i];
	}
}

const struct path_call *path_call_of(long nr)
{
	pthread_once(&by_nr_once, index_rows);
	return nr >= 0 && nr < FACET_NR_MAX ? by_nr[nr] : NULL;
}

bool view_traps(const struct facet_session *s, long nr)
{
	const struct path_call *pc = path_call_of(nr);
	if (!s->vs || !pc)
		return false;
	if ((pc->bits & PCB_R) && !s->vs->fr)
		return false;
	return pc->op != PC_GETDENTS || s->vs->naugment > 0 || s->vs->fr;
}

int view_getdents_from(const struct facet_session *s, long nr)
{
	const struct path_call *pc = path_call_of(nr);
	return s->vs && pc && pc->op == PC_GETDENTS && !s->vs->fr ? s->vs->aug_base : 0;
}

bool view_open_flags_arg(const struct facet_session *s, long nr, unsigned *argi)
{
	const struct path_call *pc = path_call_of(nr);
	if (!view_traps(s, nr) || pc->op != PC_OPEN || pc->kind == PCK_HOW || pc->flags < 0)
		return false;
	*argi = (unsigned)pc->flags;
	return true;
}

int facet_view_refusal(long nr)
{
	const struct path_call *pc = path_call_of(nr);
	return pc && pc->op == PC_DENY ? pc->a1 : 0;
}

bool path_call_by_tracee(long nr)
{
	const struct path_call *pc = path_call_of(nr);
	return pc && (pc->bits & PCB_T);
}

enum call_route view_route(const struct facet_session *s, long nr)
{
	const struct path_call *pc = path_call_of(nr);
	if (pc->bits & PCB_T)
		return ROUTE_PTRACE;
	/* The kernel runs these as they are: an engine that wants their
	 * result needs the exit stop. */
	bool native = pc->op == PC_UMASK || pc->op == PC_UNSHARE || (pc->op == PC_IDS && pc->a1 == FID_PRCTL);
	if (native && (s->want[nr] & FACET_EV_SYSCALL_EXIT))
		return ROUTE_PTRACE;
	return ROUTE_NOTIFY;
}

static uint64_t arg(const struct call *c, int i)
{
	return i >= 0 ? c->sc.args[i] : 0;
}

unsigned pc_vfs_flags(const struct path_call *pc, const struct call *c)
{
	uint64_t f = arg(c, pc->flags);
	unsigned v = 0;
	if (pc->bits & PCB_F)
		return VFS_EMPTY_PATH; /* the fd itself */
	switch (pc->how) {
	case PCH_FOLLOW: v = VFS_FOLLOW; break;
	case PCH_NOFOLLOW: v = 0; break;
	case PCH_PARENT: v = VFS_PARENT; break;
	case PCH_CREATE: v = VFS_CREATE; break;
	}
	switch (pc->kind) {
	case PCK_AT:
		if (f & AT_SYMLINK_NOFOLLOW)
			v &= ~(unsigned)VFS_FOLLOW;
		if ((f & AT_EMPTY_PATH) && (pc->bits & PCB_E))
			v |= VFS_EMPTY_PATH;
		break;
	case PCK_OPEN:
		if ((f & O_CREAT) && !((f & O_TMPFILE) == O_TMPFILE))
			v = (f & (O_EXCL | O_NOFOLLOW)) ? VFS_PARENT : VFS_CREATE;
		else if (f & O_NOFOLLOW)
			v &= ~(unsigned)VFS_FOLLOW;
		break;
	case PCK_INOTIFY:
		if (f & IN_DONT_FOLLOW)
			v &= ~(unsigned)VFS_FOLLOW;
		break;
	case PCK_FANOTIFY:
		if (f & FAN_MARK_DONT_FOLLOW_)
			v &= ~(unsigned)VFS_FOLLOW;
		break;
	default:
		break;
	}
	return v;
}

static struct vfs_scratch scratch; /* the supervisor resolves one name at a time */

/* The directory a relative name starts from: the cwd, or the dirfd. */
static int start_dir(struct facet_task *t, int64_t dirfd, struct vfs_dir *start, int *owned)
{
	struct view_fs *fs = view_fs_of(t);
	*owned = -1;
	if ((int)dirfd == AT_FDCWD) {
		*start = (struct vfs_dir){ .guest = fs->cwd, .guest_len = fs->cwd_len, .fd = fs->cwd_fd };
		return 0;
	}
	if ((int)dirfd < 0)
		return -EBADF;
	int fd = view_tracee_fd(t, (int)dirfd);
	if (fd < 0)
		return fd;
	*owned = fd;
	*start = (struct vfs_dir){ NULL, 0, fd, false, -1 };
	/* One fstat: the mount the fd was opened through, and whether the
	 * kernel may walk from it alone. */
	struct stat st;
	if (fstat(fd, &st) < 0)
		return 0;
	if ((start->mount = view_fd_mount(t, (int)dirfd, &st)) >= 0)
		start->mount_known = true;
	return view_is_fence(t->session->vs, &st) ? 0 : 1;
}

/* The mount a host fd lies in, by its path; -1 if outside the view. */
static int mount_of_fd(struct facet_task *t, int fd)
{
	const struct vfs_view *v = view_vfs(t);
	char host[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	long n = v->ops->fd_path(v->ops->ctx, fd, host, sizeof(host));
	int m = -1;
	if (n <= 0 || (size_t)n >= sizeof(host) || vfs_guest_of_host(v->table, host, (size_t)n, guest, &m) < 0)
		return -1;
	return m;
}

/* A name the kernel looks up in its directory as it is: one component, not
 * "." or "..". */
static bool lone_name(const char *path)
{
	return path[0] && !strchr(path, '/') && strcmp(path, ".") != 0 && strcmp(path, "..") != 0;
}

static void name_init(struct pc_name *out)
{
	memset(&out->r, 0, sizeof(out->r));
	out->r.fd = -1;
	out->r.mount = -1;
	out->r.guest = out->guest;
	out->empty = false;
	out->tracee_fd = -1;
}

int pc_resolve(struct facet_task *t, const struct call *c, int di, int pi, unsigned vflags, struct pc_name *out)
{
	char path[VFS_PATH_MAX];
	name_init(out);
	uint64_t addr = arg(c, pi);
	if (addr == 0 && (vflags & VFS_EMPTY_PATH)) {
		path[0] = '\0'; /* NULL with AT_EMPTY_PATH means "" (Linux 6.11) */
	} else {
		ssize_t n = facet_mem_read_string(t, addr, path, sizeof(path));
		if (n < 0)
			return (int)n;
	}
	return pc_resolve_name(t, di >= 0 ? (int)arg(c, di) : AT_FDCWD, path, vflags, out);
}

int pc_resolve_name(struct facet_task *t, int dirfd, const char *path, unsigned vflags, struct pc_name *out)
{
	name_init(out);
	struct view_fs *fs = view_fs_of(t);
	struct vfs_dir root = { .guest = fs->root, .guest_len = fs->root_len, .fd = fs->root_fd }, start;
	if (path[0] == '\0' && (vflags & VFS_EMPTY_PATH)) {
		/* The dirfd itself: an fd-based call, performed on a copy. Its
		 * mount is found by pc_mount() if the call needs it. */
		out->empty = true;
		int fd = -EBADF;
		if (dirfd == AT_FDCWD && (fd = fcntl(fs->cwd_fd, F_DUPFD_CLOEXEC, 0)) < 0)
			fd = -errno;
		else if (dirfd >= 0)
			fd = view_tracee_fd(t, dirfd);
		if (fd < 0)
			return fd;
		out->r.fd = fd;
		out->tracee_fd = dirfd;
		return 0;
	}
	int owned = -1, r;
	if (path[0] == '/' && !(vflags & (VFS_BENEATH | VFS_IN_ROOT))) {
		start = root; /* an absolute name ignores the dirfd, even a bad one */
		r = 0;
	} else {
		r = start_dir(t, dirfd, &start, &owned);
		if (r < 0)
			return r;
	}
	if (r == 1) {
		/* No mount point below the start: a lone name's directory is
		 * the start itself, as vfs_resolve() would find. */
		if ((vflags & VFS_PARENT) && owned >= 0 && lone_name(path) &&
		    !(vflags & (VFS_CREATE | VFS_BENEATH | VFS_IN_ROOT | VFS_WANT_GUEST))) {
			if (strlen(path) >= sizeof(out->r.name)) {
				close(owned);
				return -ENAMETOOLONG;
			}
			strcpy(out->r.name, path);
			out->r.fd = owned;
			out->r.mount = start.mount_known ? start.mount : -1;
			return 0;
		}
		vflags |= VFS_START_PLAIN;
	}
	/* The result may be the root's, the cwd's or a mount's own fd, valid
	 * for the call: most calls only use it (pc_name_take_fd() copies). */
	r = vfs_resolve(view_vfs(t), &root, &start, path, vflags | VFS_BORROW, &out->r, &scratch);
	if (r == 0 && out->r.borrowed && out->r.fd == owned)
		out->r.borrowed = false; /* the start was this call's copy: now the name's */
	else if (owned >= 0)
		close(owned);
	return r;
}

void pc_name_release(struct pc_name *n)
{
	if (n->r.fd >= 0 && !n->r.borrowed)
		close(n->r.fd);
	n->r.fd = -1;
}

int pc_name_own(struct pc_name *n)
{
	if (n->r.fd < 0 || !n->r.borrowed)
		return 0;
	int fd = fcntl(n->r.fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n->r.fd = fd;
	n->r.borrowed = false;
	return 0;
}

int pc_name_take_fd(struct pc_name *n)
{
	int r = pc_name_own(n), fd = n->r.fd;
	n->r.fd = -1;
	return r < 0 ? r : fd;
}

int pc_mount(struct facet_task *t, struct pc_name *n)
{
	struct stat st;
	/* An fd of the tracee's is in the mount it was opened through, which
	 * its host path cannot tell where the view shows that directory at
	 * two places (one read-only, say). */
	if (n->r.mount < 0 && n->tracee_fd >= 0 && fstat(n->r.fd, &st) == 0)
		n->r.mount = view_fd_mount(t, n->tracee_fd, &st);
	if (n->r.mount < 0 && n->r.fd >= 0)
		n->r.mount = mount_of_fd(t, n->r.fd);
	return n->r.mount;
}

unsigned pc_mount_flags(struct facet_task *t, struct pc_name *n)
{
	const struct vfs_table *tb = view_vfs(t)->table;
	int m = pc_mount(t, n);
	if (m < 0 || (uint32_t)m >= tb->nmounts)
		return 0;
	return tb->mounts[m].flags;
}
