/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which mount an fd of the tracee was opened through. One host directory
 * can show at two places of a view (-b H:/a -b H:/b, or a bind of a host
 * directory the host's own / shows too); its host path cannot tell which
 * one a program went through, yet ".." from it, fchdir to it and
 * /proc/self/fd/N must answer in the program's terms. So the view notes,
 * per process, the mount of each fd it opens, with the object's identity:
 * an entry is believed only while the fd still refers to that object
 * (fds are closed and reused without the view seeing it). The fds the
 * runtime opens in fast mode it marks itself, in the process's memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/view/view.h"
#include "rt/config.h"

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

/* The mount the runtime noted for an fd it opened (rt/fds.h), if the fd's
 * host path still lies in that mount's host directory; else -1. A note
 * outlives the fd it was made for (the program's close is not seen): it
 * is then believed only where it names the object truly, if maybe not as
 * the program reached it. */
static int runtime_mount(struct facet_task *t, int fd)
{
	struct view_state *vs = t->session->vs;
	uint8_t mark = 0;
	if (!vs->fast || !vs->rt_fd_marks || !t->view || fd < 0 || fd >= (int)RT_FD_MARKS ||
	    facet_mem_read(t, vs->rt_fd_marks + (uint64_t)fd, &mark, 1) != 1 || !mark || mark == RT_FD_INSIDE ||
	    mark > vs->table->nmounts)
		return -1;
	int m = mark - 1;
	char link[64], host[VFS_PATH_MAX];
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", t->tid, fd);
	ssize_t n = readlink(link, host, sizeof(host));
	if (n <= 0 || (size_t)n >= sizeof(host) ||
	    !vfs_path_within(host, (size_t)n, vfs_mount_host(vs->table, m), vs->table->mounts[m].host_len))
		return -1;
	return m;
}

/* The runtime's mark is the newer where there is one: the runtime clears
 * it for the fds the supervisor installs through it (rt/calls.c), and
 * view_fd_installed() for the others. */
int view_fd_mount(struct facet_task *t, int fd, const struct stat *st)
{
	int r = runtime_mount(t, fd);
	if (r >= 0)
		return r;
	struct view_fdmount *m = find(t->proc->view_fds, fd);
	if (!m || m->dev != st->st_dev || m->ino != st->st_ino)
		return -1;
	return m->mount;
}

void view_fd_installed(struct facet_task *t, uint64_t ip, int64_t fd)
{
	struct view_state *vs = t->session->vs;
	uint8_t none = 0;
	if (!vs || !vs->fast || !vs->rt_fd_marks || !t->view || fd < 0 || fd >= (int64_t)RT_FD_MARKS ||
	    ip == view_rt_gate_ip(vs))
		return;
	/* Answered already, the thread may be gone (a thread that opens and
	 * exits): its process's memory is written through its leader. */
	struct facet_task *leader;
	if (facet_mem_write(t, vs->rt_fd_marks + (uint64_t)fd, &none, 1) == -ESRCH && t->proc->pid != t->tid &&
	    (leader = task_find(t->session, t->proc->pid)))
		facet_mem_write(leader, vs->rt_fd_marks + (uint64_t)fd, &none, 1);
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
