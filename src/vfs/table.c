/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The mount table: a header, an array of mounts and their strings in one
 * buffer, with offsets instead of pointers so that the buffer can be
 * shared with (and read by) the traced processes' runtime. Built once by
 * the supervisor; read-only afterwards.
 */
#include "vfs/vfs.h"
#include "vfs/internal.h"
#include "util/hot.h"

static const char *str(const struct vfs_table *t, uint32_t off)
{
	return (const char *)t + off;
}

const char *vfs_mount_guest(const struct vfs_table *t, int i)
{
	return str(t, t->mounts[i].guest);
}

const char *vfs_mount_host(const struct vfs_table *t, int i)
{
	return str(t, t->mounts[i].host);
}

int vfs_table_init(void *buf, size_t size, unsigned max_mounts)
{
	struct vfs_table *t = buf;
	size_t head = sizeof(*t) + (size_t)max_mounts * sizeof(t->mounts[0]);
	if (size < head || size > 0xffffffffu)
		return -VFS_ENOSPC;
	t->magic = VFS_TABLE_MAGIC;
	t->size = (uint32_t)size;
	t->used = (uint32_t)head;
	t->nmounts = 0;
	t->max_mounts = max_mounts;
	t->finished = 0;
	return 0;
}

static long add_string(struct vfs_table *t, const char *s, size_t len)
{
	if (t->used + len + 1 > t->size)
		return -VFS_ENOSPC;
	uint32_t off = t->used;
	vfs_memcpy((char *)t + off, s, len);
	((char *)t)[off + len] = '\0';
	t->used += (uint32_t)(len + 1);
	return off;
}

int vfs_table_add(struct vfs_table *t, const char *guest, const char *host, unsigned flags)
{
	char canon[VFS_PATH_MAX];
	if (t->finished || t->nmounts == t->max_mounts)
		return -VFS_ENOSPC;
	long glen = vfs_normalize(guest, canon, sizeof(canon));
	if (glen < 0)
		return (int)glen;
	if (host[0] != '/')
		return -VFS_EINVAL;
	if (vfs_mount_at(t, canon, (size_t)glen) >= 0)
		return -VFS_EEXIST;
	size_t hlen = vfs_strlen(host);
	while (hlen > 1 && host[hlen - 1] == '/')
		hlen--;
	long goff = add_string(t, canon, (size_t)glen);
	if (goff < 0)
		return (int)goff;
	long hoff = add_string(t, host, hlen);
	if (hoff < 0)
		return (int)hoff;
	struct vfs_mount *m = &t->mounts[t->nmounts];
	m->guest = (uint32_t)goff;
	m->guest_len = (uint32_t)glen;
	m->host = (uint32_t)hoff;
	m->host_len = (uint32_t)hlen;
	m->flags = flags;
	m->parent = -1;
	return (int)t->nmounts++;
}

/* Guest paths in byte order with '/' sorting first, so that a directory's
 * mounts follow it directly: "/a", "/a/b", "/a-b". */
static int compare_guest(const struct vfs_table *t, const struct vfs_mount *a, const struct vfs_mount *b)
{
	const unsigned char *x = (const unsigned char *)str(t, a->guest);
	const unsigned char *y = (const unsigned char *)str(t, b->guest);
	for (;; x++, y++) {
		unsigned cx = *x == '/' ? 1 : *x, cy = *y == '/' ? 1 : *y;
		if (cx != cy || !cx)
			return (int)cx - (int)cy;
	}
}

int vfs_table_finish(struct vfs_table *t)
{
	/* Insertion sort: tables hold tens of mounts. */
	for (uint32_t i = 1; i < t->nmounts; i++) {
		struct vfs_mount m = t->mounts[i];
		uint32_t j = i;
		while (j > 0 && compare_guest(t, &t->mounts[j - 1], &m) > 0) {
			t->mounts[j] = t->mounts[j - 1];
			j--;
		}
		t->mounts[j] = m;
	}
	if (t->nmounts == 0 || t->mounts[0].guest_len != 1)
		return -VFS_EINVAL; /* no mount at "/" */
	for (uint32_t i = 1; i < t->nmounts; i++) {
		const struct vfs_mount *m = &t->mounts[i];
		size_t plen = vfs_dirname_len(str(t, m->guest), m->guest_len);
		t->mounts[i].parent = vfs_mount_of(t, str(t, m->guest), plen);
	}
	t->finished = 1;
	return 0;
}

FACET_HOT int vfs_mount_at(const struct vfs_table *t, const char *p, size_t len)
{
	for (uint32_t i = 0; i < t->nmounts; i++)
		if (vfs_streq(str(t, t->mounts[i].guest), t->mounts[i].guest_len, p, len))
			return (int)i;
	return -1;
}

FACET_HOT int vfs_mount_of(const struct vfs_table *t, const char *p, size_t len)
{
	int best = -1;
	uint32_t best_len = 0;
	for (uint32_t i = 0; i < t->nmounts; i++) {
		const struct vfs_mount *m = &t->mounts[i];
		if (vfs_path_within(p, len, str(t, m->guest), m->guest_len) &&
		    (best < 0 || m->guest_len > best_len)) {
			best = (int)i;
			best_len = m->guest_len;
		}
	}
	return best;
}

FACET_HOT bool vfs_mounts_below(const struct vfs_table *t, const char *p, size_t len)
{
	for (uint32_t i = 0; i < t->nmounts; i++) {
		const struct vfs_mount *m = &t->mounts[i];
		if (m->guest_len > len && vfs_path_within(str(t, m->guest), m->guest_len, p, len))
			return true;
	}
	return false;
}

long vfs_host_to_guest(const struct vfs_table *t, int i, const char *host, size_t host_len, char *buf)
{
	const struct vfs_mount *m = &t->mounts[i];
	const char *mh = str(t, m->host);
	if (!vfs_path_within(host, host_len, mh, m->host_len))
		return -VFS_ENOENT;
	/* What follows the mount's host directory, with its leading '/': all of
	 * `host` under a mount of "/", save "/" itself. */
	size_t rest = m->host_len == 1 ? (host_len == 1 ? 0 : host_len) : host_len - m->host_len;
	const char *tail = host + (host_len - rest);
	size_t len = m->guest_len;
	if (len + rest >= VFS_PATH_MAX)
		return -VFS_ENAMETOOLONG;
	vfs_memcpy(buf, str(t, m->guest), len);
	if (len == 1 && rest > 0)
		len = 0; /* "/" + "/x" */
	vfs_memcpy(buf + len, tail, rest);
	len += rest;
	if (len == 0)
		buf[len++] = '/';
	buf[len] = '\0';
	return (long)len;
}

long vfs_guest_to_host(const struct vfs_table *t, const char *guest, size_t len, char *buf)
{
	int m = vfs_mount_of(t, guest, len);
	if (m < 0)
		return -VFS_ENOENT;
	const struct vfs_mount *mt = &t->mounts[m];
	const char *rel = mt->guest_len == 1 ? (len == 1 ? "" : guest) : guest + mt->guest_len;
	size_t rl = len - (size_t)(rel - guest);
	if (mt->guest_len == 1 && len == 1)
		rl = 0;
	size_t hl = mt->host_len == 1 ? 0 : mt->host_len;
	if (hl + rl + 1 >= VFS_PATH_MAX)
		return -VFS_ENAMETOOLONG;
	vfs_memcpy(buf, str(t, mt->host), hl);
	vfs_memcpy(buf + hl, rel, rl);
	size_t n = hl + rl;
	if (n == 0)
		buf[n++] = '/';
	buf[n] = '\0';
	return (long)n;
}

long vfs_guest_of_host(const struct vfs_table *t, const char *host, size_t host_len, char *buf, int *mount)
{
	int best = -1;
	uint32_t best_len = 0;
	for (uint32_t i = 0; i < t->nmounts; i++) {
		const struct vfs_mount *m = &t->mounts[i];
		if (vfs_path_within(host, host_len, str(t, m->host), m->host_len) &&
		    (best < 0 || m->host_len > best_len)) {
			best = (int)i;
			best_len = m->host_len;
		}
	}
	if (best < 0)
		return -VFS_ENOENT;
	*mount = best;
	return vfs_host_to_guest(t, best, host, host_len, buf);
}
