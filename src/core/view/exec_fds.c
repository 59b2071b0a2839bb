/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fds an exec names to the loader (its program and interpreter), kept
 * for the next exec of the same files.
 *
 * The loader opens them as /proc/<holder>/fd/N, N being the supervisor's
 * fd number (holder.c), and the holder is asked to put an fd at N unless
 * its fd N is that object already: a round trip to another process, some
 * 140 us here while a build keeps both CPUs busy. A fresh fd for each exec
 * had the numbers of the last one (the lowest free), so every exec of
 * another program than the last asked again: make running cc, cc1 and as
 * by turns asked every time. Kept here, a program run again, and ld.so
 * for every program, has its number, and the holder has it there already.
 *
 * An fd is taken for a new one only when it is the same file under the
 * same name (what Landlock and the view check); an entry is closed only
 * when no exec in flight names it (the loader has not opened it yet).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/view/view.h"

#define EXEC_FDS 16

struct view_exec_fds {
	struct view_exec_fd {
		int fd;                    /* -1: free */
		dev_t dev;
		ino_t ino;
		unsigned refs;             /* execs in flight that name it */
		unsigned long used;        /* when last taken: the least recent goes */
	} e[EXEC_FDS];
	unsigned long clock;
};

int view_exec_fd_take(struct view_state *vs, int fd)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return fd;
	struct view_exec_fds *c = vs->exec_fds;
	if (!c) {
		if (!(c = calloc(1, sizeof(*c))))
			return fd;
		for (unsigned i = 0; i < EXEC_FDS; i++)
			c->e[i].fd = -1;
		vs->exec_fds = c;
	}
	struct view_exec_fd *spare = NULL;
	for (unsigned i = 0; i < EXEC_FDS; i++) {
		struct view_exec_fd *e = &c->e[i];
		if (e->fd >= 0 && e->dev == st.st_dev && e->ino == st.st_ino &&
		    view_fds_same_name(vs->self, e->fd, vs->self, fd)) {
			close(fd);
			e->refs++;
			e->used = ++c->clock;
			return e->fd;
		}
		if (e->refs == 0 && (!spare || (spare->fd >= 0 && (e->fd < 0 || e->used < spare->used))))
			spare = e;
	}
	if (!spare)
		return fd; /* every entry is in flight: this one is not kept */
	if (spare->fd >= 0)
		close(spare->fd);
	*spare = (struct view_exec_fd){ .fd = fd, .dev = st.st_dev, .ino = st.st_ino, .refs = 1, .used = ++c->clock };
	return fd;
}

void view_exec_fd_release(struct view_state *vs, int fd)
{
	if (fd < 0)
		return;
	struct view_exec_fds *c = vs ? vs->exec_fds : NULL;
	for (unsigned i = 0; c && i < EXEC_FDS; i++)
		if (c->e[i].fd == fd && c->e[i].refs > 0) {
			c->e[i].refs--;
			return;
		}
	close(fd);
}

void view_exec_fds_free(struct view_state *vs)
{
	struct view_exec_fds *c = vs->exec_fds;
	for (unsigned i = 0; c && i < EXEC_FDS; i++)
		if (c->e[i].fd >= 0)
			close(c->e[i].fd);
	free(c);
	vs->exec_fds = NULL;
}
