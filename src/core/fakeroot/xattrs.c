/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Extended attributes only root may set (security.*, trusted.*: file
 * capabilities, for one, which a package's maintainer script sets with
 * setcap): recorded per file under fake root and shown back, never set on
 * the host. Other names are the kernel's. Few files have them, so a list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "core/fakeroot/fakeroot.h"

struct fake_xattr {
	struct owner_view file;            /* dev, ino and birth time */
	char *name;
	void *value;
	size_t size;
};

static struct fake_xattr *list;
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

static struct fake_xattr *find(const struct owner_view *file, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (same_file(&list[i].file, file) && !strcmp(list[i].name, name))
			return &list[i];
	return NULL;
}

static void drop(struct fake_xattr *x)
{
	free(x->name);
	free(x->value);
	*x = list[--count];
}

int64_t fakeroot_xattr_get(const struct owner_view *file, const char *name, void *buf, size_t size)
{
	struct fake_xattr *x = find(file, name);
	if (!x)
		return -ENODATA;
	if (size && size < x->size)
		return -ERANGE;
	if (size)
		memcpy(buf, x->value, x->size);
	return (int64_t)x->size;
}

int64_t fakeroot_xattr_set(const struct owner_view *file, const char *name, const void *value, size_t size,
			   int flags)
{
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	struct fake_xattr *x = find(file, name);
	if (x && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!x && (flags & XATTR_REPLACE))
		return -ENODATA;
	void *copy = malloc(size ? size : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, value, size);
	if (!x) {
		if (count == room) {
			size_t n = room ? 2 * room : 16;
			struct fake_xattr *l = realloc(list, n * sizeof(*l));
			if (!l) {
				free(copy);
				return -ENOMEM;
			}
			list = l;
			room = n;
		}
		x = &list[count];
		*x = (struct fake_xattr){ .file = *file, .name = strdup(name) };
		if (!x->name) {
			free(copy);
			return -ENOMEM;
		}
		count++;
	}
	free(x->value);
	x->value = copy;
	x->size = size;
	return 0;
}

int64_t fakeroot_xattr_remove(const struct owner_view *file, const char *name)
{
	struct fake_xattr *x = find(file, name);
	if (!x)
		return -ENODATA;
	drop(x);
	return 0;
}

int64_t fakeroot_xattr_list(const struct owner_view *file, char *buf, size_t size, size_t used)
{
	size_t n = used;
	for (size_t i = 0; i < count; i++) {
		if (!same_file(&list[i].file, file))
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
	for (size_t i = 0; i < count;)
		if (list[i].file.dev == dev && list[i].file.ino == ino)
			drop(&list[i]);
		else
			i++;
}

void fakeroot_xattr_clear(void)
{
	while (count)
		drop(&list[count - 1]);
	free(list);
	list = NULL;
	room = 0;
}
