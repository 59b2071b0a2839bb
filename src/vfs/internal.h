/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the files of src/vfs; freestanding, like them. */
#ifndef FACET_VFS_INTERNAL_H
#define FACET_VFS_INTERNAL_H

#include <stddef.h>

#include "vfs/vfs.h"

/* Kernel values (the module includes no libc header that would define them). */
enum {
	VFS_ENOENT = 2, VFS_EBADF = 9, VFS_EACCES = 13, VFS_EEXIST = 17, VFS_EXDEV = 18,
	VFS_ENOTDIR = 20, VFS_EINVAL = 22, VFS_ENOSPC = 28, VFS_ENAMETOOLONG = 36,
	VFS_ENOSYS = 38, VFS_ELOOP = 40,
};
enum {
	VFS_O_DIRECTORY = 0200000, VFS_O_NOFOLLOW = 0400000, VFS_O_CLOEXEC = 02000000,
	VFS_O_PATH = 010000000,
};
enum {
	VFS_RESOLVE_NO_XDEV = 0x01, VFS_RESOLVE_NO_MAGICLINKS = 0x02, VFS_RESOLVE_NO_SYMLINKS = 0x04,
	VFS_RESOLVE_BENEATH = 0x08,
};
enum { VFS_S_IFMT = 0170000, VFS_S_IFDIR = 0040000, VFS_S_IFLNK = 0120000 };
#define VFS_TABLE_MAGIC 0x66766673u /* "svfv" */

void vfs_memcpy(void *dst, const void *src, size_t n);
void vfs_memmove(void *dst, const void *src, size_t n);
int vfs_memcmp(const void *a, const void *b, size_t n);
/* Appends "/name" to the canonical path buf (len bytes, capacity cap). */
int vfs_append(char *buf, size_t *len, size_t cap, const char *name, size_t name_len);

#endif
