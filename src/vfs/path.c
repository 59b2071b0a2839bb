/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the path layer that make no system call: paths as strings,
 * and the kernel's rule for following a symlink. */
#include "vfs/vfs.h"
#include "vfs/internal.h"
#include "util/hot.h"

FACET_HOT size_t vfs_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

FACET_HOT void vfs_memcpy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;
	while (n--)
		*d++ = *s++;
}

void vfs_memmove(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
}

int vfs_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

FACET_HOT bool vfs_streq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && vfs_memcmp(a, b, alen) == 0;
}

FACET_HOT bool vfs_path_within(const char *p, size_t len, const char *dir, size_t dir_len)
{
	if (dir_len == 1 && dir[0] == '/')
		return len >= 1 && p[0] == '/';
	if (len < dir_len || vfs_memcmp(p, dir, dir_len) != 0)
		return false;
	return len == dir_len || p[dir_len] == '/';
}

/* The length of the directory part of a canonical path ("/a/b" -> 2, "/a" -> 1). */
size_t vfs_dirname_len(const char *p, size_t len)
{
	while (len > 1 && p[len - 1] != '/')
		len--;
	if (len > 1)
		len--; /* the slash, unless it is the root's */
	return len;
}

int vfs_append(char *buf, size_t *len, size_t cap, const char *name, size_t name_len)
{
	size_t need = *len + (*len == 1 && buf[0] == '/' ? 0 : 1) + name_len;
	if (need >= cap)
		return -VFS_ENAMETOOLONG;
	if (!(*len == 1 && buf[0] == '/'))
		buf[(*len)++] = '/';
	vfs_memcpy(buf + *len, name, name_len);
	*len += name_len;
	buf[*len] = '\0';
	return 0;
}

long vfs_normalize(const char *in, char *out, size_t cap)
{
	size_t len = 0, i = 0;
	if (in[0] != '/')
		return -VFS_EINVAL;
	out[len++] = '/';
	out[len] = '\0';
	while (in[i]) {
		while (in[i] == '/')
			i++;
		size_t start = i;
		while (in[i] && in[i] != '/')
			i++;
		size_t n = i - start;
		if (n == 0 || (n == 1 && in[start] == '.'))
			continue;
		if (n == 2 && in[start] == '.' && in[start + 1] == '.') {
			len = vfs_dirname_len(out, len); /* lexically, as PRoot and mount(8) read it */
			out[len] = '\0';
			continue;
		}
		if (n > VFS_NAME_MAX)
			return -VFS_ENAMETOOLONG;
		int r = vfs_append(out, &len, cap, in + start, n);
		if (r < 0)
			return r;
	}
	return (long)len;
}

int vfs_may_follow(uint32_t dir_mode, uint32_t dir_uid, uint32_t link_uid, uint32_t fsuid)
{
	enum { STICKY_OTHERS_WRITE = 01002 }; /* S_ISVTX | S_IWOTH */
	if (link_uid == fsuid || (dir_mode & STICKY_OTHERS_WRITE) != STICKY_OTHERS_WRITE || dir_uid == link_uid)
		return 0;
	return -VFS_EACCES;
}

uint32_t vfs_name_hash(const char *name, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}
