/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fake root in the runtime (facet -0): the supervisor keeps the record of
 * owners, modes and device nodes in a shared file (rt/owners.h); each
 * process maps it at OWNERS_ADDR when it starts, and the runtime applies
 * it to every stat answer it gives and to the types of directory entries,
 * as the supervisor does to its own (core/fakeroot/files.c), so that a
 * call gets the same answer on either way. The runtime's own chowns go
 * into the file's ring, its one page mapped writable.
 *
 * A process that cannot map it (a program whose own segments lie there, a
 * path that did not fit the configuration) answers none of the calls fake
 * root changes: they go to the supervisor.
 */
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/stat.h>

#include "rt/fake.h"
#include "rt/owners.h"

_Static_assert(OWNERS_ADDR >= RT_SITE_TABLE + 8ull * RT_MAX_SITES + 4096,
	       "fake root's record lies above the runtime's jump table");
_Static_assert(OWNERS_ADDR + OWNERS_FILE_SIZE < FACET_LOADER_BASE,
	       "fake root's record lies below facet-loader's image (src/loader/meson.build)");

/* rt_owners, fake root's mapped record, is defined in start.c with the
 * runtime's other small state: alone here it took a page of its own, one
 * more to allocate in every process, written only to store the zero it
 * already held. */

void owners_yield(void)
{
	rt_syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
}

bool rt_fake_ready(void)
{
	return rt_owners != 0;
}

bool rt_fake_typed(void)
{
	return __atomic_load_n(&rt_owners->h.typed, __ATOMIC_RELAXED) != 0;
}

static bool mapped(long p)
{
	return (unsigned long)p < -4095ul;
}

void rt_fake_start(void)
{
	rt_owners = 0;
	rt_owners_ring_rw = false;
	if (!rt_fake() || !rt_config.owners_len)
		return;
	/* Close-on-exec, and closed at once: the program never sees it.
	 * Writable for the ring (owners.h); where it cannot be, this
	 * process's chowns are the supervisor's. */
	const char *path = rt_config_owners(&rt_config);
	bool rw = true;
	long fd = rt_syscall(__NR_openat, AT_FDCWD, path, O_RDWR | O_CLOEXEC, 0, 0, 0);
	if (fd < 0) {
		rw = false;
		fd = rt_syscall(__NR_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
	}
	if (fd < 0)
		return;
	uint64_t size = OWNERS_FILE_SIZE;
	struct rt_stat st;
	long p = -EINVAL;
	if (rt_syscall(__NR_fstat, fd, &st, 0, 0, 0, 0) == 0 && (uint64_t)st.size >= size)
		p = rt_syscall(__NR_mmap, OWNERS_ADDR, size, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	rt_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
	if (!mapped(p))
		return;
	const struct owners_table *t = (const struct owners_table *)p;
	uint32_t n = t->h.nslots;
	/* A kernel older than MAP_FIXED_NOREPLACE (4.17) takes the address
	 * as a hint only. */
	if ((uint64_t)p != OWNERS_ADDR || t->h.magic != OWNERS_MAGIC || t->h.version != OWNERS_VERSION || !n ||
	    (n & (n - 1)) || n > OWNERS_SLOTS || !owners_ring_of(t)) {
		rt_syscall(__NR_munmap, p, size, 0, 0, 0, 0);
		return;
	}
	rt_owners_ring_rw = rw && rt_syscall(__NR_mprotect, p + OWNERS_RING_OFF, 4096, PROT_READ | PROT_WRITE, 0, 0, 0) == 0;
	rt_owners = t;
}

bool rt_fake_writes(void)
{
	return rt_fake() && rt_owners && (__atomic_load_n(&rt_config.flags, __ATOMIC_RELAXED) & RT_CONFIG_FAKE_ROOT_IDS);
}

bool rt_fake_none(void)
{
	return owners_none(rt_owners);
}

/* A record of (dev, ino), stale or not: the supervisor's to judge. */
static bool recorded(uint64_t dev, uint64_t ino)
{
	struct owner_rec r;
	return owners_find(rt_owners, dev, ino, &r) != 0;
}

bool rt_fake_may_remove(long dirfd, const char *name)
{
	if (__atomic_load_n(&rt_owners->h.xattrs, __ATOMIC_RELAXED))
		return false;
	if (rt_fake_none())
		return true;
	struct rt_stat st;
	long r = rt_syscall(__NR_newfstatat, dirfd, name, &st, AT_SYMLINK_NOFOLLOW, 0, 0);
	/* Nothing there: the call fails as the kernel says, or makes nothing. */
	return r == -ENOENT || r == -ENOTDIR || (r == 0 && !recorded(st.dev, st.ino));
}

/* The file a statx answer describes, as a record keys and changes it. */
static void view_of_statx(struct owner_view *v, const struct statx *sx)
{
	*v = (struct owner_view){
		.dev = rt_makedev(sx->stx_dev_major, sx->stx_dev_minor), .ino = sx->stx_ino,
		.uid = sx->stx_uid, .gid = sx->stx_gid, .mode = sx->stx_mode,
		.rdev = rt_makedev(sx->stx_rdev_major, sx->stx_rdev_minor),
	};
	if (sx->stx_mask & STATX_BTIME) {
		v->has_btime = 1;
		v->btime_sec = sx->stx_btime.tv_sec;
		v->btime_nsec = sx->stx_btime.tv_nsec;
	}
}

/* The ring's places kept free for removals: a removal checks for room
 * before its call and puts its change after it; a few chowns of other
 * threads may take places meanwhile. */
#define REMOVAL_ROOM 8

int rt_fake_removal(long dirfd, const char *name, struct owner_change *c)
{
	if (__atomic_load_n(&rt_owners->h.xattrs, __ATOMIC_RELAXED))
		return -1;
	if (rt_fake_none())
		return 0;
	struct statx sx;
	struct owner_rec r;
	long e = rt_syscall(__NR_statx, dirfd, (long)name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME,
			    (long)&sx, 0);
	/* Nothing there: the call fails as the kernel says, or makes nothing. */
	if (e == -ENOENT || e == -ENOTDIR)
		return 0;
	if (e < 0 || !(sx.stx_mask & STATX_BASIC_STATS))
		return -1;
	struct owner_view v;
	view_of_statx(&v, &sx);
	/* No record, or one another link keeps (a directory has none). */
	if (!owners_find(rt_owners, v.dev, v.ino, &r) || (!S_ISDIR(v.mode) && sx.stx_nlink > 1))
		return 0;
	if (!rt_owners_ring_rw || !owners_room(rt_owners, REMOVAL_ROOM))
		return -1;
	*c = (struct owner_change){
		.dev = v.dev, .ino = v.ino, .btime_sec = v.btime_sec, .btime_nsec = v.btime_nsec,
		.has_btime = v.has_btime, .drop = OWNER_UID | OWNER_GID | OWNER_MODE | OWNER_TYPE,
	};
	return 1;
}

void rt_fake_removed(const struct owner_change *c)
{
	/* Made: the change must go in. A ring still full after many tries
	 * (a writer killed while it wrote its change) leaves the record, which
	 * the birth time marks stale where the file system has one. */
	for (int tries = 0; tries < 10000; tries++) {
		if (owners_push((struct owners_table *)rt_owners, c) == 0)
			return;
		rt_syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
	}
}

bool rt_fake_may_create(long dirfd)
{
	if (rt_fake_none())
		return true;
	struct rt_stat st;
	return rt_syscall(__NR_newfstatat, dirfd, "", &st, AT_EMPTY_PATH, 0, 0) == 0 && rt_fake_may_create_in(&st);
}

bool rt_fake_may_create_in(const struct rt_stat *dir)
{
	struct owner_rec r;
	if (!owners_find(rt_owners, dir->dev, dir->ino, &r))
		return true;
	/* A record of its owner or mode (tar and dpkg chown each directory
	 * they make): the new file has the tree's ids, the host's with no
	 * record, unless the directory is set-group-ID as the tree or the
	 * host sees it. */
	uint32_t mode = (r.fields & OWNER_MODE) ? r.mode : dir->mode;
	return !(r.fields & OWNER_TYPE) && !(mode & S_ISGID) && !(dir->mode & S_ISGID);
}

/* The file is the real user's, owner and group, with no record: it shows
 * as the tree's root's. */
static bool plain_owned(const struct rt_stat *st)
{
	return st->uid == rt_owners->h.real_uid && st->gid == rt_owners->h.real_gid && !recorded(st->dev, st->ino);
}


int rt_fake_chown_change(const struct statx *sx, uint32_t uid, uint32_t gid, struct owner_change *c)
{
	if (!rt_owners_ring_rw || __atomic_load_n(&rt_owners->h.xattrs, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&rt_owners->h.live, __ATOMIC_RELAXED) >= OWNERS_RING_LIVE_MAX ||
	    !(sx->stx_mask & STATX_BASIC_STATS))
		return -1;
	struct owner_view v;
	view_of_statx(&v, sx);
	struct owner_view now = v;
	struct owner_rec r;
	bool found = owners_find(rt_owners, v.dev, v.ino, &r);
	bool owner_recorded = owners_apply_record(rt_owners, &now, found ? &r : 0) && (r.fields & (OWNER_UID | OWNER_GID));
	/* A chown by root takes a set-user-ID bit, and set-group-ID with
	 * group execute: a mode the supervisor records. */
	if (!S_ISDIR(now.mode) && !S_ISLNK(now.mode) &&
	    ((now.mode & S_ISUID) || (now.mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)))
		return -1;
	/* As the supervisor's fakeroot_chown(): what the file shows with no
	 * record of its owner, and the ids it is to show. */
	const struct owners_header *h = &rt_owners->h;
	uint32_t bare_uid = v.uid == h->real_uid ? h->fake_uid : v.uid;
	uint32_t bare_gid = v.gid == h->real_gid ? h->fake_gid : v.gid;
	uint32_t u = uid == (uint32_t)-1 ? now.uid : uid, g = gid == (uint32_t)-1 ? now.gid : gid;
	uint32_t set = (u != bare_uid ? OWNER_UID : 0) | (g != bare_gid ? OWNER_GID : 0);
	if (!set && !owner_recorded)
		return 0;
	*c = (struct owner_change){
		.dev = v.dev, .ino = v.ino, .btime_sec = v.btime_sec, .btime_nsec = v.btime_nsec,
		.has_btime = v.has_btime, .set = set, .drop = (OWNER_UID | OWNER_GID) & ~set, .uid = u, .gid = g,
	};
	return 1;
}

bool rt_fake_chown_record(const struct owner_change *c)
{
	return owners_push((struct owners_table *)rt_owners, c) == 0;
}

bool rt_fake_chown_to_root(uint32_t uid, uint32_t gid)
{
	return (uid == (uint32_t)-1 || uid == rt_owners->h.fake_uid) && (gid == (uint32_t)-1 || gid == rt_owners->h.fake_gid);
}

bool rt_fake_chown_is_noop(const struct rt_stat *st, uint32_t uid, uint32_t gid)
{
	if (!rt_fake_chown_to_root(uid, gid))
		return false;
	if (!S_ISDIR(st->mode) && !S_ISLNK(st->mode) &&
	    ((st->mode & S_ISUID) || (st->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)))
		return false;
	return plain_owned(st);
}

/* The file is the real user's, owner and group (so the kernel neither
 * refuses a chmod nor drops S_ISGID), and no record says its mode or
 * type: a record may give it another owner (tar and dpkg chown each file
 * to its owner, then chmod it), which a chmod leaves as it is. */
static bool mode_is_real(const struct rt_stat *st)
{
	struct owner_rec r;
	return st->uid == rt_owners->h.real_uid && st->gid == rt_owners->h.real_gid &&
	       !(owners_find(rt_owners, st->dev, st->ino, &r) && (r.fields & (OWNER_MODE | OWNER_TYPE)));
}

/* The supervisor makes fake root's chmod real with the bits the real
 * user keeps (core/fakeroot/files.c) and records the mode only where the
 * file's then differs: with those bits asked for, and root's
 * CAP_FOWNER and CAP_FSETID, the kernel's chmod is that answer. */
bool rt_fake_chmod_is_real(const struct rt_stat *st, uint32_t mode)
{
	uint32_t keep = S_ISDIR(st->mode) ? S_IRWXU : S_IRUSR | S_IWUSR;
	return rt_fake_writes() && !S_ISLNK(st->mode) && (mode & keep) == keep && mode_is_real(st);
}

/* Where the file of a stat answer is. */
struct where {
	long dirfd;
	const char *name;
};

/* The file's birth time, asked for only when a record with one is found
 * (owners_apply_lazy): the file there must still be the one stat saw. */
static void btime_of(void *ctx, struct owner_view *v)
{
	const struct where *w = ctx;
	struct statx sx;
	long flags = AT_SYMLINK_NOFOLLOW | (w->name[0] ? 0 : AT_EMPTY_PATH);
	if (rt_syscall(__NR_statx, w->dirfd, w->name, flags, STATX_INO | STATX_BTIME, &sx, 0) < 0 ||
	    !(sx.stx_mask & STATX_BTIME) || rt_makedev(sx.stx_dev_major, sx.stx_dev_minor) != v->dev ||
	    sx.stx_ino != v->ino)
		return;
	v->has_btime = 1;
	v->btime_sec = sx.stx_btime.tv_sec;
	v->btime_nsec = sx.stx_btime.tv_nsec;
}

static bool device(uint32_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode);
}

void rt_fake_stat(struct rt_stat *st, long dirfd, const char *name)
{
	struct owner_view v = {
		.dev = st->dev, .ino = st->ino, .uid = st->uid, .gid = st->gid, .mode = st->mode, .rdev = st->rdev,
	};
	struct where w = { dirfd, name };
	owners_apply_lazy(rt_owners, &v, btime_of, &w);
	st->uid = v.uid;
	st->gid = v.gid;
	st->mode = v.mode;
	st->rdev = v.rdev;
	if (device(v.mode))
		st->size = 0; /* a placeholder's, or a real node's: 0 */
}

void rt_fake_statx(struct statx *sx)
{
	struct owner_view v;
	view_of_statx(&v, sx);
	owners_apply(rt_owners, &v);
	sx->stx_uid = v.uid;
	sx->stx_gid = v.gid;
	sx->stx_mode = (uint16_t)v.mode;
	sx->stx_rdev_major = rt_major(v.rdev);
	sx->stx_rdev_minor = rt_minor(v.rdev);
	if (device(v.mode))
		sx->stx_size = 0;
}

/* The kernel's struct linux_dirent64. */
struct dirent64_head {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

void rt_fake_dirents(void *buf, long n, uint64_t dev, long dirfd)
{
	for (long off = 0; off < n;) {
		struct dirent64_head *d = (struct dirent64_head *)((char *)buf + off);
		if (d->d_reclen == 0)
			break;
		struct where w = { dirfd, d->d_name };
		int type = owners_dirent_type(rt_owners, dev, d->d_ino, btime_of, &w);
		if (type >= 0)
			d->d_type = (uint8_t)type;
		off += d->d_reclen;
	}
}
