/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fds the runtime opens, marked with their mount (fds.c). */
#ifndef FACET_RT_FDS_H
#define FACET_RT_FDS_H

#include <stdbool.h>
#include <stdint.h>

#include "rt/config.h"

/* rt_fd_marks[fd]: 0 unknown, RT_FD_INSIDE in the view, or 1 + the
 * index of the mount it was opened through (config.h). */
extern uint8_t rt_fd_marks[RT_FD_MARKS];

/* Marks `result`, if it is an fd the runtime opened or let the kernel
 * open for the program: in the view, through mount `mount` (-1: unknown). */
void rt_fd_note(long result, int mount);
/* Unmarks `result`, if it is an fd the supervisor opened for the program. */
void rt_fd_forget(long result);
/* The mount fd was opened through, if the runtime knows it; else -1. */
int rt_fd_mount(long dirfd);
/* The mount a name in dirfd (AT_FDCWD: the cwd) lies in, or -1. */
int rt_dir_mount(long dirfd);
/* A /proc link (/proc/self/cwd, /proc/self/fd/N) names a path in some
 * mount's host directory: not outside every one, and a path at all (not
 * a pipe, a socket). */
bool rt_link_in_view(const char *link);
/* The host path of the program's fd (/proc/self/fd/N): its length, or -1. */
long rt_fd_host(long fd, char *host); /* VFS_PATH_MAX bytes */
/* dirfd (AT_FDCWD: the cwd) lies in the view: it is marked, or its host
 * path lies in a mount's host directory (then marked). */
bool rt_fd_inside(long dirfd);

#endif
