/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Extended attributes only root may set (security.*, trusted.*: file
 * capabilities, for one, which a package's maintainer script sets with
 * setcap): recorded per file under fake root and shown back, never set on
 * the host. Other names are the kernel's. Few files have them, so a list.
 *
 * As in table.c, an entry holds one (device, inode, name) and its birth
 * time: a set on a file that got the inode number of a recorded file
 * deleted outside facet takes that file's entry. A removal leaves a
 * tombstone, and the removal of a file's last link one tombstone for all
 * its names; what this session changed is marked dirty, and state.c saves
 * only that (--fakeroot-state). Tombstones are few: one per name a file
 * ever had.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "core/fakeroot/fakeroot.h"

static struct fakeroot_xattr *list;
static size_t count, room;

bool fakeroot_xattr_recorded(const char *name)
{
	return !strncmp(name, "security.", 9) || !strncmp(name, "trusted.", 8);
}

static bool same_file(const struct owner_view *a, const struct owner_view *b)
{
	return a->dev == b->dev && a->ino == b->ino &&
	       (!a->has_btime || !b->has_btime || (a->btime_sec == b->btime_sec && a->btime_nsec == b->btime_nsec));
}

/* The entry of (dev, ino, name), live or a tombstone, whatever file (birth
 * time) it was about. */
static struct fakeroot_xattr *slot(uint64_t dev, uint64_t ino, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (list[i].file.dev == dev && list[i].file.ino == ino && list[i].name && !strcmp(list[i].name, name))
			return &list[i];
	return NULL;
}

/* The live entry of name on file, if there is one. */
static struct fakeroot_xattr *find(const struct owner_view *file, const char *name)
{
	struct fakeroot_xattr *x = slot(file->dev, file->ino, name);
	return x && !x->gone && same_file(&x->file, file) ? x : NULL;
}

static struct fakeroot_xattr *add(const struct owner_view *file, const char *name)
{
	if (count == room) {
		size_t n = room ? 2 * room : 16;
		struct fakeroot_xattr *l = realloc(list, n * sizeof(*l));
		if (!l)
			return NULL;
		list = l;
		room = n;
	}
	struct fakeroot_xattr *x = &list[count];
	*x = (struct fakeroot_xattr){ .file = *file, .gone = true };
	if (name && !(x->name = strdup(name)))
		return NULL;
	count++;
	return x;
}

static void drop(struct fakeroot_xattr *x)
{
	free(x->name);
	free(x->value);
	*x = list[--count];
}

int64_t fakeroot_xattr_get(const struct owner_view *file, const char *name, void *buf, size_t size)
{
	struct fakeroot_xattr *x = find(file, name);
	if (!x)
		return -ENODATA;
	if (size && size < x->size)
		return -ERANGE;
	if (size)
		memcpy(buf, x->value, x->size);
	return (int64_t)x->size;
}

/* Puts size bytes of value in entry x, for file. */
static int put(struct fakeroot_xattr *x, const struct owner_view *file, const void *value, size_t size)
{
	void *copy = malloc(size ? size : 1);
	if (!copy)
		return -ENOMEM;
	if (size)
		memcpy(copy, value, size);
	free(x->value);
	x->file = *file;
	x->value = copy;
	x->size = size;
	x->gone = false;
	return 0;
}

int64_t fakeroot_xattr_set(const struct owner_view *file, const char *name, const void *value, size_t size,
			   int flags)
{
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	bool exists = find(file, name) != NULL;
	if (exists && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!exists && (flags & XATTR_REPLACE))
		return -ENODATA;
	struct fakeroot_xattr *x = slot(file->dev, file->ino, name);
	if (!x && !(x = add(file, name)))
		return -ENOMEM;
	int r = put(x, file, value, size);
	if (r == 0)
		x->dirty = 1;
	return r;
}

int64_t fakeroot_xattr_remove(const struct owner_view *file, const char *name)
{
	struct fakeroot_xattr *x = find(file, name);
	if (!x)
		return -ENODATA;
	free(x->value);
	x->value = NULL;
	x->size = 0;
	x->gone = true;
	x->dirty = 1;
	return 0;
}

int64_t fakeroot_xattr_list(const struct owner_view *file, char *buf, size_t size, size_t used)
{
	size_t n = used;
	for (size_t i = 0; i < count; i++) {
		if (list[i].gone || !same_file(&list[i].file, file))
			continue;
		size_t len = strlen(list[i].name) + 1;
		if (size && n + len > size)
			return -ERANGE;
		if (size)
			memcpy(buf + n, list[i].name, len);
		n += len;
	}
	return (int64_t)n;
}

void fakeroot_xattr_forget(uint64_t dev, uint64_t ino)
{
	bool had = false, tomb = false;
	for (size_t i = 0; i < count;) {
		struct fakeroot_xattr *x = &list[i];
		if (x->file.dev != dev || x->file.ino != ino) {
			i++;
		} else if (!x->name) {
			tomb = true;
			i++;
		} else {
			had = true;
			drop(x);
		}
	}
	/* One tombstone for all of the file's names, those another run
	 * saved meanwhile included. Without memory for it the removal is
	 * not saved; the record still drops the names. */
	struct fakeroot_xattr *x;
	if (had && !tomb && (x = add(&(struct owner_view){ .dev = dev, .ino = ino }, NULL)))
		x->dirty = 1;
}

int fakeroot_xattr_insert(const struct fakeroot_xattr *from)
{
	if (!from->name || from->gone || slot(from->file.dev, from->file.ino, from->name))
		return -EEXIST;
	struct fakeroot_xattr *x = add(&from->file, from->name);
	if (!x)
		return -ENOMEM;
	int r = put(x, &from->file, from->value, from->size);
	if (r < 0)
		drop(x);
	return r;
}

const struct fakeroot_xattr *fakeroot_xattr_all(size_t *n)
{
	*n = count;
	return list;
}

void fakeroot_xattr_clear(void)
{
	while (count)
		drop(&list[count - 1]);
	free(list);
	list = NULL;
	room = 0;
}
