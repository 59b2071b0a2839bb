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

/* The writes fake root leaves as the kernel makes them for the real
 * user, which the runtime may then make itself: the record is mapped and
 * the process's identity is root's (RT_CONFIG_FAKE_ROOT_IDS). Each
 * write then asks one of the tests below, and goes to the supervisor if
 * a record could change its answer or must change with it. */
bool rt_fake_writes(void);
/* No record at all: what tar -x, cp -a and make install under -0 leave
 * until they give a file away or chmod it beyond the real user's bits. */
bool rt_fake_none(void);
/* Name in dirfd may be removed (unlink, rmdir, a rename over it): no
 * extended attribute is recorded, and the file there, if any, has no
 * record to drop. */
bool rt_fake_may_remove(long dirfd, const char *name);
/* unlinkat of name in dirfd (rmdir too) by the runtime: 0 if it changes
 * nothing recorded, 1 if it takes the last link of a recorded file,
 * whose record then goes: *c, for rt_fake_removed() once the kernel has
 * removed it; -1 if the supervisor must make it (an extended attribute
 * is recorded, no room in the ring). */
struct owner_change;
int rt_fake_removal(long dirfd, const char *name, struct owner_change *c);
void rt_fake_removed(const struct owner_change *c);
/* A file may be made in directory dirfd, and then needs no record: the
 * directory has none, or one that leaves it not set-group-ID (which
 * would give the new file a recorded group), nor is it so on the host. */
bool rt_fake_may_create(long dirfd);
/* The same for the directory whose stat is dir. */
bool rt_fake_may_create_in(const struct rt_stat *dir);
/* chown of the file st to uid, gid (-1: unchanged) changes nothing fake
 * root records or the kernel would change: the file is the real user's,
 * has no record, each id asked for is the tree's root's, and the file
 * has no set-user-ID bit (nor set-group-ID with group execute) that a
 * chown by root takes away. */
bool rt_fake_chown_is_noop(const struct rt_stat *st, uint32_t uid, uint32_t gid);
/* A chown by root of the file sx (statx with its birth time, not
 * followed) to uid, gid (-1: unchanged) that the runtime may record
 * itself, in the ring (rt/owners.h): 1 with the change in *c, to put
 * there once the kernel's chown(-1, -1) has said yes, 0 if it changes
 * nothing fake root records, -1 if the supervisor must (a set-user-ID
 * bit to take, no writable ring, a table nearly full). */
int rt_fake_chown_change(const struct statx *sx, uint32_t uid, uint32_t gid, struct owner_change *c);
/* Puts change c in the ring: false if it is full (the supervisor's then). */
bool rt_fake_chown_record(const struct owner_change *c);
/* The ids a chown asks for (-1: unchanged) are the tree's root's: else
 * the chown is a record, the supervisor's, whatever the file. */
bool rt_fake_chown_to_root(uint32_t uid, uint32_t gid);
/* chmod of the file st to mode is the kernel's: the process has fake
 * root's identity (rt_fake_writes), the file is the real user's, owner
 * and group, no record says its mode or type (one may say its owner), it
 * is no symlink, and mode keeps the bits the real user keeps
 * (core/fakeroot/files.c: read and write, and search for a directory),
 * so that nothing is recorded. */
bool rt_fake_chmod_is_real(const struct rt_stat *st, uint32_t mode);

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
