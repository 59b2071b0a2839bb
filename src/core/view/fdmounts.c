/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which mount an fd of the tracee was opened through. One host directory
 * can show at two places of a view (-b H:/a -b H:/b, or a bind of a host
 * directory the host's own / shows too); its host path cannot tell which
 * one a program went through, yet ".." from it, fchdir to it and
 * /proc/self/fd/N must answer in the program's terms. So the view notes,
 * per process, the mount of each fd it opens, with the object's identity:
 * an entry is believed only while the fd still refers to that object
 * (fds are closed and reused without the view seeing it).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/view/view.h"

struct view_fdtab {
	unsigned n, cap;
	struct view_fdmount { int fd; int mount; dev_t dev; ino_t ino; } *e;
};

static struct view_fdmount *find(struct view_fdtab *tab, int fd)
{
	for (unsigned i = 0; tab && i < tab->n; i++)
		if (tab->e[i].fd == fd)
			return &tab->e[i];
	return NULL;
}

void view_fd_note(struct facet_task *t, int fd, int mount, const struct stat *st)
{
	if (fd < 0 || mount < 0)
		return;
	struct view_fdtab *tab = t->proc->view_fds;
	if (!tab && !(tab = t->proc->view_fds = calloc(1, sizeof(*tab))))
		return;
	struct view_fdmount *m = find(tab, fd);
	if (!m) {
		if (tab->n == tab->cap) {
			unsigned cap = tab->cap ? 2 * tab->cap : 16;
			struct view_fdmount *e = realloc(tab->e, cap * sizeof(*e));
			if (!e)
				return;
			tab->e = e;
			tab->cap = cap;
		}
		m = &tab->e[tab->n++];
	}
	*m = (struct view_fdmount){ fd, mount, st->st_dev, st->st_ino };
}

int view_fd_mount(struct facet_task *t, int fd, const struct stat *st)
{
	struct view_fdmount *m = find(t->proc->view_fds, fd);
	if (!m || m->dev != st->st_dev || m->ino != st->st_ino)
		return -1;
	return m->mount;
}

void view_fd_copy(struct facet_task *parent, struct facet_task *child)
{
	struct view_fdtab *from = parent->proc->view_fds;
	if (!from || child->proc == parent->proc || child->proc->view_fds)
		return;
	struct view_fdtab *tab = calloc(1, sizeof(*tab));
	if (!tab || !(tab->e = malloc(from->cap * sizeof(*tab->e)))) {
		free(tab);
		return;
	}
	memcpy(tab->e, from->e, from->n * sizeof(*tab->e));
	tab->n = from->n;
	tab->cap = from->cap;
	child->proc->view_fds = tab;
}

void view_fd_free(struct view_fdtab *tab)
{
	if (tab)
		free(tab->e);
	free(tab);
}
