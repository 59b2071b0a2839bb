/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a view keeps per process: the cwd and the root (a virtual chroot)
 * as guest paths with the host directories they stand for, and the umask
 * for the files the supervisor creates in the tracee's name. The kernel
 * keeps these per fs_struct, shared by the tasks created with CLONE_FS and
 * split by unshare(CLONE_FS); so does the view. The tracee's real cwd is
 * kept on the same host directory (chdir is rewritten), so that what is
 * not translated (a core dump, /proc/PID/cwd read from outside) agrees.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/exec.h"
#include "core/view/view.h"

static struct view_fs *fs_new(void)
{
	struct view_fs *fs = calloc(1, sizeof(*fs));
	if (!fs)
		abort(); /* the supervisor cannot go on consistently */
	fs->refs = 1;
	fs->cwd_fd = fs->root_fd = -1;
	return fs;
}

static char *dup_path(const char *p, size_t len)
{
	char *s = malloc(len + 1);
	if (!s)
		abort();
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

static void fs_put(struct view_fs *fs)
{
	if (!fs || --fs->refs > 0)
		return;
	free(fs->cwd);
	free(fs->root);
	if (fs->cwd_fd >= 0)
		close(fs->cwd_fd);
	if (fs->root_fd >= 0)
		close(fs->root_fd);
	free(fs);
}

static struct view_fs *fs_copy(const struct view_fs *from)
{
	struct view_fs *fs = fs_new();
	fs->cwd = dup_path(from->cwd, from->cwd_len);
	fs->cwd_len = from->cwd_len;
	fs->root = dup_path(from->root, from->root_len);
	fs->root_len = from->root_len;
	fs->cwd_fd = fcntl(from->cwd_fd, F_DUPFD_CLOEXEC, 0);
	/* the program's exe is per process: a fork keeps it, an exec sets it */
	fs->root_fd = fcntl(from->root_fd, F_DUPFD_CLOEXEC, 0);
	fs->umask = from->umask;
	return fs;
}

struct view_task *view_task(struct facet_task *t)
{
	if (!t->view) {
		t->view = calloc(1, sizeof(*t->view));
		if (!t->view)
			abort();
		t->view->held[0] = t->view->held[1] = -1;
		t->view->pending_fd = -1;
		t->view->relock_fd = -1;
		t->view->open_mount = -1;
		t->view->scratch = -1;
		/* Under fake root, the identity the tree starts with; a clone
		 * copies its creator's instead (view_on_clone). */
		struct fakeroot *fr = t->session->vs ? t->session->vs->fr : NULL;
		if (fr && !(t->view->ids = fakeroot_ids_new(fr)))
			abort();
	}
	return t->view;
}

int view_fs_set_cwd(struct view_fs *fs, const char *guest, size_t len, int fd)
{
	char *p = dup_path(guest, len);
	free(fs->cwd);
	fs->cwd = p;
	fs->cwd_len = len;
	if (fs->cwd_fd != fd && fs->cwd_fd >= 0)
		close(fs->cwd_fd);
	fs->cwd_fd = fd;
	return 0;
}

/* The cwd's guest path as the kernel would give it now: from its host
 * directory (it may have been renamed), the stored path if that does not
 * map back; " (deleted)" after it with `deleted` once it was removed. */
long view_fs_cwd(const struct vfs_table *tb, struct view_fs *fs, char *buf, size_t size, bool deleted)
{
	char proc[40], host[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fs->cwd_fd);
	ssize_t n = readlink(proc, host, sizeof(host) - 1);
	struct stat st;
	bool gone = fstat(fs->cwd_fd, &st) == 0 && st.st_nlink == 0;
	if (n > 0 && !gone) {
		/* The path the process went to, unless its directory was
		 * renamed since (one host directory may show at two places). */
		host[n] = '\0';
		char stored[VFS_PATH_MAX];
		long sl = vfs_guest_to_host(tb, fs->cwd, fs->cwd_len, stored);
		int m;
		long g;
		if ((sl < 0 || !vfs_streq(stored, (size_t)sl, host, (size_t)n)) &&
		    (g = vfs_guest_of_host(tb, host, (size_t)n, guest, &m)) > 0)
			view_fs_set_cwd(fs, guest, (size_t)g, fs->cwd_fd);
	}
	int w = snprintf(buf, size, "%s%s", fs->cwd, gone && deleted ? " (deleted)" : "");
	return w < 0 || (size_t)w >= size ? -ENAMETOOLONG : w;
}

int view_fs_init_root(struct facet_session *s, struct facet_task *t)
{
	struct view_state *vs = s->vs;
	struct view_task *vt = view_task(t);
	struct view_fs *fs = fs_new();
	const struct vfs_view *v = view_vfs(t);
	fs->root = dup_path("/", 1);
	fs->root_len = 1;
	fs->root_fd = fcntl(v->ops->mount_fd(v->ops->ctx, 0), F_DUPFD_CLOEXEC, 0);
	mode_t mask = umask(0);
	umask(mask);
	fs->umask = mask;
	/* The starting directory, resolved when the view was built. */
	int fd = fcntl(vs->start_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		fs_put(fs);
		return -errno;
	}
	view_fs_set_cwd(fs, vs->start_cwd, strlen(vs->start_cwd), fd);
	vt->fs = fs;
	return 0;
}

struct view_fs *view_fs_of(struct facet_task *t)
{
	struct view_task *vt = view_task(t);
	if (!vt->fs) {
		/* A task whose creator died before announcing it: it starts at
		 * the view's root, as nothing better is known. */
		struct view_fs *fs = fs_new();
		const struct vfs_view *v = view_vfs(t);
		fs->root = dup_path("/", 1);
		fs->root_len = 1;
		fs->root_fd = fcntl(v->ops->mount_fd(v->ops->ctx, 0), F_DUPFD_CLOEXEC, 0);
		view_fs_set_cwd(fs, "/", 1, fcntl(fs->root_fd, F_DUPFD_CLOEXEC, 0));
		mode_t mask = umask(0);
		umask(mask);
		fs->umask = mask;
		vt->fs = fs;
	}
	return vt->fs;
}

int view_clone_entry(struct facet_task *t, const struct call *c)
{
	uint64_t flags = c->sc.args[0];
	if (c->sc.info && !strcmp(c->sc.info->name, "clone3") &&
	    facet_mem_read(t, c->sc.args[0], &flags, sizeof(flags)) != sizeof(flags))
		flags = 0; /* the kernel says EFAULT */
	if (flags & (CLONE_NEWNS | CLONE_NEWUSER))
		return -EPERM;
	view_task(t)->clone_flags = flags;
	return 0;
}

void view_on_clone(struct facet_task *parent, struct facet_task *child)
{
	struct view_task *pv = view_task(parent), *cv = view_task(child);
	/* Every task has its own credentials, a copy of its creator's. */
	if (pv->ids) {
		fakeroot_ids_free(cv->ids);
		if (!(cv->ids = fakeroot_ids_copy(pv->ids)))
			abort();
	}
	if (!pv->fs)
		return;
	fs_put(cv->fs);
	memcpy(cv->exe, pv->exe, sizeof(cv->exe));
	view_fd_copy(parent, child);
	if (pv->clone_flags & CLONE_FS) {
		cv->fs = pv->fs;
		pv->fs->refs++;
	} else {
		cv->fs = fs_copy(pv->fs);
	}
	pv->clone_flags = 0;
}

struct view_fs *view_fs_unshare(struct facet_task *t)
{
	struct view_task *vt = view_task(t);
	if (vt->fs && vt->fs->refs > 1) {
		struct view_fs *copy = fs_copy(vt->fs);
		fs_put(vt->fs);
		vt->fs = copy;
	}
	return vt->fs;
}

void view_task_free(struct facet_task *t)
{
	view_scratch_release(t);
	struct view_task *vt = t->view;
	if (!vt)
		return;
	fs_put(vt->fs);
	for (int i = 0; i < 2; i++)
		if (vt->held[i] >= 0)
			close(vt->held[i]);
	view_relock(vt);
	if (vt->pending_fd >= 0)
		close(vt->pending_fd);
	free(vt->pending_path);
	free(vt->pending_host);
	view_exec_free(vt->exec);
	view_exec_free(vt->loading);
	fakeroot_ids_free(vt->ids);
	free(vt);
	t->view = NULL;
}

bool view_fs_root_changed(const struct view_fs *fs)
{
	return fs->root_len != 1;
}
