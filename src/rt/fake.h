/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fake root in the runtime (fake.c). */
#ifndef FACET_RT_FAKE_H
#define FACET_RT_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "rt/rt.h"
#include "rt/sys.h"

struct statx;

/* Maps fake root's record at exec (rt_start), when the session has it. */
void rt_fake_start(void);

/* The session has fake root (RT_CONFIG_FAKEROOT). */
static inline bool rt_fake(void)
{
	return rt_config.flags & RT_CONFIG_FAKEROOT;
}

/* The record is mapped: without it, fake root's calls are the supervisor's. */
bool rt_fake_ready(void);
/* Some record changes a file's type: directory entries must be looked up
 * (only with the record mapped). */
bool rt_fake_typed(void);

/* A stat answer as the tree sees it: the file is name in dirfd, not
 * followed (name "": dirfd itself), for its birth time, which a record
 * found for it is checked against. */
void rt_fake_stat(struct rt_stat *st, long dirfd, const char *name);
/* A statx answer, whose birth time the runtime asked for. */
void rt_fake_statx(struct statx *sx);
/* getdents64's n bytes of entries of a directory on device dev: the
 * types the record gives them. */
void rt_fake_dirents(void *buf, long n, uint64_t dev, long dirfd);

#endif
