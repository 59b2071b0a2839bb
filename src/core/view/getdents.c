/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A mount point shows in its parent's listing even where the host
 * directory has no entry of that name (PRoot fails this): getdents64 of
 * such a directory, from its start, returns the mount points first and
 * then as many of the real entries as fit, read on a copy of the tracee's
 * fd so that the directory offset moves for the tracee. With fake root,
 * whose record may give a file another type (a device node), every
 * listing is read so while the record has such a file, and the types of
 * the entries are the record's. Other calls go to the kernel as they are.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <sys/resource.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/view/exec.h"
#include "util/cleanup.h"

struct dirent64_head {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static const struct view_augment *augmented(const struct view_state *vs, const struct stat *st)
{
	for (unsigned a = 0; a < vs->naugment; a++)
		if (vs->augment[a].dev == st->st_dev && vs->augment[a].ino == st->st_ino)
			return &vs->augment[a];
	return NULL;
}

bool view_is_augmented(const struct view_state *vs, const struct stat *st)
{
	return S_ISDIR(st->st_mode) && augmented(vs, st);
}

int view_augmented_fd(struct facet_task *t)
{
	struct view_state *vs = t->session->vs;
	struct rlimit lim;
	if (vs->aug_base <= 0 || prlimit(t->proc->pid, RLIMIT_NOFILE, NULL, &lim) < 0)
		return -1;
	char path[64], buf[8];
	for (long fd = (long)(lim.rlim_cur > INT_MAX ? INT_MAX : lim.rlim_cur) - 1; fd >= vs->aug_base; fd--) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%ld", t->tid, fd);
		if (readlink(path, buf, sizeof(buf)) < 0 && errno == ENOENT)
			return (int)fd;
	}
	return -1;
}

/* Appends one entry; false if it does not fit. */
static bool put_entry(char *buf, size_t size, size_t *len, const struct view_extra *e)
{
	size_t name = strlen(e->name);
	size_t reclen = (offsetof(struct dirent64_head, d_name) + name + 1 + 7) & ~(size_t)7;
	if (*len + reclen > size)
		return false;
	struct dirent64_head *d = (struct dirent64_head *)(buf + *len);
	memset(d, 0, reclen);
	d->d_ino = e->ino;
	d->d_off = 0;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = e->d_type;
	memcpy(d->d_name, e->name, name);
	*len += reclen;
	return true;
}

/* Fake root: the entries' types as recorded (a device node made by mknod
 * is a regular file on the host). */
static void fix_types(struct facet_task *t, char *buf, size_t n, uint64_t dev, int dirfd)
{
	for (size_t off = 0; off + offsetof(struct dirent64_head, d_name) <= n;) {
		struct dirent64_head *d = (struct dirent64_head *)(buf + off);
		if (d->d_reclen == 0)
			break;
		int type = fakeroot_dirent_type(t, dev, d->d_ino, dirfd, d->d_name);
		if (type >= 0)
			d->d_type = (unsigned char)type;
		off += d->d_reclen;
	}
}

void view_getdents(struct facet_task *t, const struct call *c, const struct path_call *pc, struct emu_result *res)
{
	const uint64_t *a = c->sc.args;
	struct view_state *vs = t->session->vs;
	struct stat st;
	res->kind = EMU_NATIVE;
	_cleanup_close_ int fd = view_tracee_fd(t, (int)a[pc->a1]);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
		return; /* the kernel says EBADF or ENOTDIR */
	const struct view_augment *aug = augmented(vs, &st);
	if (aug && lseek(fd, 0, SEEK_CUR) != 0)
		aug = NULL; /* the mount points came with the first entries */
	bool typed = vs->fr && vs->fr->table->h.typed;
	if (!aug && !typed)
		return;
	size_t size = (size_t)a[pc->a3];
	if (size > 1 << 20)
		size = 1 << 20;
	_cleanup_free_ char *buf = malloc(size ? size : 1);
	if (!buf)
		return;
	size_t len = 0;
	for (unsigned i = 0; aug && i < aug->count; i++)
		if (!put_entry(buf, size, &len, &vs->extra[aug->first + i])) {
			res->kind = EMU_VALUE;
			res->value = -EINVAL; /* too small a buffer, as the kernel says */
			return;
		}
	long n = syscall(SYS_getdents64, fd, buf + len, size - len);
	res->kind = EMU_VALUE;
	if (n < 0 && !aug) {
		res->value = -errno; /* on the tracee's own open file: the kernel's answer */
		return;
	}
	if (n <= 0) {
		/* Nothing real fits after the mount points, or the directory is
		 * gone: let the kernel answer from the start. */
		res->kind = n == 0 ? EMU_VALUE : EMU_NATIVE;
		res->value = 0;
		if (n < 0)
			lseek(fd, 0, SEEK_SET);
		return;
	}
	if (typed)
		fix_types(t, buf + len, (size_t)n, st.st_dev, fd);
	res->value = view_write_out(t, a[pc->a2], buf, len + (size_t)n, (int64_t)(len + (size_t)n));
}
