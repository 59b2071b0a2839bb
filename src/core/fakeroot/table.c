/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fake root's record (src/rt/owners.h), the supervisor's side: the
 * table's one writer. It keeps its own copy (private memory) and copies
 * each change into a memfd mapped shared, which the runtime in every
 * traced process maps through /proc/PID/fd/N (view_rt_config_for: the
 * holder's under Landlock), read-only but for the ring of the runtimes'
 * chowns, which fakeroot_sync() moves into the table before the table is
 * read or changed; only the pages records land on take memory. The table
 * starts small and doubles as records come (rebuild()): a record lands on
 * a page the hash picks, and each page first touched is a fault in the
 * supervisor, twice, and in every process that looks a file up there. The
 * memfd is sealed against shrinking, so that
 * nothing the tree does to it (it may open it writable: it is the same
 * user's) can make the supervisor's stores fault; what it writes changes
 * what its own runtimes see, never the supervisor's copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"

#define TOMBSTONE FAKEROOT_TOMBSTONE

/* The supervisor reads its own copy, never odd: owners.c never waits
 * here. */
void owners_yield(void)
{
	sched_yield();
}

/* Copies part of the supervisor's table into the published copy. */
static void publish(struct fakeroot *fr, const void *part, size_t len)
{
	size_t off = (size_t)((const char *)part - (const char *)fr->table);
	memcpy((char *)fr->shown + off, part, len);
}

/* A change readers must not see half made: the counter is odd meanwhile
 * (a seqlock; owners_find() is the reader). The supervisor, the one
 * writer, reads its own copy without it. */
static void begin(struct fakeroot *fr)
{
	struct owners_header *h = &fr->table->h;
	h->seq++;
	__atomic_store_n(&fr->shown->h.seq, h->seq, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* odd before the change */
}

/* The change's slot r and the counts, then the counter even again. */
static void end(struct fakeroot *fr, const struct owner_rec *r)
{
	struct owners_header *h = &fr->table->h;
	publish(fr, r, sizeof(*r));
	size_t counts = offsetof(struct owners_header, used);
	publish(fr, (const char *)h + counts, sizeof(*h) - counts);
	h->seq++;
	__atomic_store_n(&fr->shown->h.seq, h->seq, __ATOMIC_RELEASE); /* the change before even */
}

void fakeroot_table_xattrs(struct fakeroot *fr)
{
	struct owners_header *h = &fr->table->h;
	if (h->xattrs)
		return;
	h->xattrs = 1;
	__atomic_store_n(&fr->shown->h.xattrs, 1, __ATOMIC_RELAXED);
}

int fakeroot_table_create(struct fakeroot *fr)
{
	uint64_t size = OWNERS_FILE_SIZE;
	/* The supervisor's own copy: private, so that nothing the tree does
	 * to the published one reaches the supervisor. */
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	void *shown = MAP_FAILED;
	int fd = memfd_create("facet-owners", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int r = fd < 0 || ftruncate(fd, (off_t)size) < 0 ||
			fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0 ||
			(shown = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED
		? -errno : 0;
	if (r < 0) {
		if (shown != MAP_FAILED)
			munmap(shown, size);
		if (fd >= 0)
			close(fd);
		munmap(p, size);
		return r;
	}
	fr->fd = fd;
	fr->size = size;
	fr->table = p;
	fr->shown = shown;
	struct owners_header *h = &fr->table->h;
	h->magic = OWNERS_MAGIC;
	h->version = OWNERS_VERSION;
	h->nslots = FAKEROOT_FIRST_SLOTS;
	h->real_uid = fr->real_uid;
	h->real_gid = fr->real_gid;
	h->fake_uid = fr->uid;
	h->fake_gid = fr->gid;
	h->ring_off = OWNERS_RING_OFF; /* the private copy's stays empty */
	publish(fr, h, sizeof(*h));
	return 0;
}

void fakeroot_table_destroy(struct fakeroot *fr)
{
	if (fr->graves)
		munmap(fr->graves, OWNERS_SIZE(OWNERS_SLOTS));
	fr->graves = NULL;
	if (fr->table)
		munmap(fr->table, fr->size);
	if (fr->shown)
		munmap(fr->shown, fr->size);
	if (fr->fd >= 0)
		close(fr->fd);
	fr->table = NULL;
	fr->shown = NULL;
	fr->fd = -1;
}

void fakeroot_view_of(struct owner_view *v, const struct stat *st, const struct statx *stx)
{
	memset(v, 0, sizeof(*v));
	if (st) {
		v->dev = st->st_dev;
		v->ino = st->st_ino;
		v->uid = st->st_uid;
		v->gid = st->st_gid;
		v->mode = st->st_mode;
		v->rdev = st->st_rdev;
	}
	if (stx) {
		v->dev = makedev(stx->stx_dev_major, stx->stx_dev_minor);
		v->ino = stx->stx_ino;
		v->uid = stx->stx_uid;
		v->gid = stx->stx_gid;
		v->mode = stx->stx_mode;
		v->rdev = makedev(stx->stx_rdev_major, stx->stx_rdev_minor);
		if (stx->stx_mask & STATX_BTIME) {
			v->has_btime = 1;
			v->btime_sec = stx->stx_btime.tv_sec;
			v->btime_nsec = stx->stx_btime.tv_nsec;
		}
	}
}

/* The slot of (dev, ino), or where it would go (the first tombstone or
 * free slot on its chain); NULL if the table is full. A tombstone still
 * marked dirty is a removal state.c must save (one bury() could not keep):
 * not reused. */
static struct owner_rec *slot_of(struct fakeroot *fr, uint64_t dev, uint64_t ino, bool *found)
{
	struct owners_table *t = fr->table;
	uint32_t n = t->h.nslots, i = owners_hash(dev, ino, n); /* the private copy's: the tree cannot write it */
	struct owner_rec *place = NULL;
	*found = false;
	for (uint32_t probes = 0; probes < n; probes++, i = (i + 1) & (n - 1)) {
		struct owner_rec *r = &t->slot[i];
		if (r->dev == dev && r->ino == ino) {
			*found = true;
			return r;
		}
		if (r->ino == TOMBSTONE && !place && !r->dirty)
			place = r;
		if (r->dev == 0 && r->ino == 0)
			return place ? place : r;
	}
	return place;
}

/* Notes the removal of (dev, ino) for state.c, among the graves, with
 * the birth time of the file it was (btime_sec < 0: none known): 0, or
 * -ENOSPC. */
static int bury(struct fakeroot *fr, uint64_t dev, uint64_t ino, int64_t btime_sec, uint32_t btime_nsec)
{
	if (!fr->graves) {
		void *p = mmap(NULL, OWNERS_SIZE(OWNERS_SLOTS), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED)
			return -ENOMEM;
		fr->graves = p;
	}
	struct owners_header *h = &fr->graves->h;
	if (h->used == OWNERS_SLOTS)
		return -ENOSPC;
	/* The birth time tells the removed file from a new one that got its
	 * inode number, whose record another run may have saved meanwhile. */
	fr->graves->slot[h->used++] = (struct owner_rec){ .dev = dev, .ino = TOMBSTONE, .rdev = ino, .dirty = 1,
		.fields = btime_sec >= 0 ? OWNER_BTIME : 0, .btime_sec = btime_sec, .btime_nsec = btime_nsec };
	return 0;
}

/* The table built again from its records alone, without tombstones, in
 * nslots slots (as many as before, or more), and the whole of it
 * published. 0, -ENOSPC if it holds removals to save that cannot be
 * buried, or -ENOMEM. */
static int rebuild(struct fakeroot *fr, uint32_t nslots)
{
	struct owners_table *t = fr->table;
	uint32_t old_n = t->h.nslots;
	for (uint32_t i = 0; i < old_n; i++) {
		struct owner_rec *r = &t->slot[i];
		if (r->ino == TOMBSTONE && r->dirty && bury(fr, r->dev, r->rdev, -1, 0) < 0)
			return -ENOSPC;
	}
	struct owner_rec *old = malloc((size_t)old_n * sizeof(*old));
	if (!old)
		return -ENOMEM;
	memcpy(old, t->slot, (size_t)old_n * sizeof(*old));
	size_t size = (size_t)nslots * sizeof(*old);
	begin(fr);
	memset(t->slot, 0, size);
	t->h.nslots = nslots;
	t->h.used = 0;
	for (uint32_t i = 0; i < old_n; i++) {
		if (old[i].ino == TOMBSTONE || (old[i].dev == 0 && old[i].ino == 0))
			continue;
		uint32_t j = owners_hash(old[i].dev, old[i].ino, nslots);
		while (t->slot[j].dev || t->slot[j].ino)
			j = (j + 1) & (nslots - 1);
		t->slot[j] = old[i];
		t->h.used++;
	}
	free(old);
	publish(fr, &t->h.nslots, sizeof(t->h.nslots));
	publish(fr, t->slot, size);
	end(fr, &t->slot[0]);
	return 0;
}

/* Room for one more record, which room_in() did not find: the table
 * doubles once live records would fill half of what it takes, else it
 * drops its tombstones. 0, or a negative errno. */
static int make_room(struct fakeroot *fr)
{
	const struct owners_header *h = &fr->table->h;
	if (h->live + 1 > FAKEROOT_TABLE_MAX(h->nslots) / 2 && h->nslots < OWNERS_SLOTS)
		return rebuild(fr, h->nslots * 2);
	return h->used == h->live ? -ENOSPC : rebuild(fr, h->nslots);
}

/* Whether a new record may take slot r: a quarter of the table stays
 * free, so that chains stay short and a free slot ends each. */
static bool room_in(const struct owners_table *t, const struct owner_rec *r)
{
	return r && (r->ino == TOMBSTONE || t->h.used + 1 <= FAKEROOT_TABLE_MAX(t->h.nslots));
}

static int record(struct fakeroot *fr, const struct owner_view *v, uint32_t fields, uid_t uid, gid_t gid,
		  mode_t mode, dev_t rdev)
{
	struct owners_table *t = fr->table;
	bool found;
	struct owner_rec *r = slot_of(fr, v->dev, v->ino, &found);
	if (!found && !room_in(t, r) && (make_room(fr) < 0 || !room_in(t, r = slot_of(fr, v->dev, v->ino, &found))))
		return -ENOSPC;
	struct owner_rec n = found && owners_matches(r, v) ? *r : (struct owner_rec){ 0 };
	n.dev = v->dev;
	n.ino = v->ino;
	n.fields = (n.fields & ~(uint32_t)OWNER_BTIME) | fields;
	if (v->has_btime) {
		n.fields |= OWNER_BTIME;
		n.btime_sec = v->btime_sec;
		n.btime_nsec = v->btime_nsec;
	}
	if (fields & OWNER_UID)
		n.uid = uid;
	if (fields & OWNER_GID)
		n.gid = gid;
	if (fields & (OWNER_MODE | OWNER_TYPE)) {
		uint32_t keep_perm = (fields & OWNER_MODE) ? 0 : (n.mode & 07777);
		uint32_t keep_type = (fields & OWNER_TYPE) ? 0 : (n.mode & S_IFMT);
		n.mode = ((fields & OWNER_TYPE) ? (mode & S_IFMT) : keep_type) |
			 ((fields & OWNER_MODE) ? (mode & 07777) : keep_perm);
	}
	if (fields & OWNER_TYPE)
		n.rdev = rdev;
	n.dirty = 1;
	struct owners_header *h = &t->h;
	bool was_typed = found && (r->fields & OWNER_TYPE), was_live = found && r->fields;
	begin(fr);
	if (!found && r->ino != TOMBSTONE)
		h->used++;
	*r = n;
	h->live += !was_live;
	h->typed += (n.fields & OWNER_TYPE) && !was_typed;
	h->typed -= was_typed && !(n.fields & OWNER_TYPE);
	end(fr, r);
	return 0;
}

static void forget(struct fakeroot *fr, uint64_t dev, uint64_t ino, uint32_t fields)
{
	struct owners_table *t = fr->table;
	bool found;
	struct owner_rec *r = slot_of(fr, dev, ino, &found);
	if (!found || !r->fields)
		return;
	struct owners_header *h = &t->h;
	begin(fr);
	if (r->fields & fields & OWNER_TYPE)
		h->typed--;
	int64_t born = (r->fields & OWNER_BTIME) ? r->btime_sec : -1;
	r->fields &= ~fields;
	r->dirty = 1;
	if (!(r->fields & ~(uint32_t)OWNER_BTIME)) {
		/* A removal state.c must save goes among the graves, and the
		 * tombstone may be reused; one that cannot keeps the dirty mark,
		 * and which file it was. */
		r->fields = 0;
		r->ino = TOMBSTONE;
		r->rdev = ino;
		if (!fr->state_path || bury(fr, dev, ino, born, r->btime_nsec) == 0)
			r->dirty = 0;
		h->live--;
	}
	end(fr, r);
}

/* A chown the runtime made (owners.h), as fakeroot_chown() records one,
 * or a removal, as fakeroot_removed() forgets the file. A change the tree
 * wrote itself may say anything of the ids it sets, but sets only owner
 * and group. */
static void take(const struct owner_change *c, void *ctx)
{
	struct fakeroot *fr = ctx;
	uint32_t set = c->set & (OWNER_UID | OWNER_GID);
	uint32_t drop = c->drop & (OWNER_UID | OWNER_GID | OWNER_MODE | OWNER_TYPE) & ~set;
	struct owner_view v = { .dev = c->dev, .ino = c->ino, .has_btime = c->has_btime != 0,
		.btime_sec = c->btime_sec, .btime_nsec = c->btime_nsec };
	/* The runtime stops using the ring while the table has room for a
	 * ring's records more (OWNERS_RING_LIVE_MAX): record() finds room. */
	if (set)
		record(fr, &v, set, c->uid, c->gid, 0, 0);
	if (drop)
		forget(fr, c->dev, c->ino, drop);
}

void fakeroot_sync(struct fakeroot *fr)
{
	if (fr->shown)
		owners_take(fr->shown, take, fr);
}

const struct owners_table *fakeroot_table(struct fakeroot *fr)
{
	fakeroot_sync(fr);
	return fr->table;
}

int fakeroot_record(struct fakeroot *fr, const struct owner_view *v, uint32_t fields, uid_t uid, gid_t gid,
		    mode_t mode, dev_t rdev)
{
	fakeroot_sync(fr);
	return record(fr, v, fields, uid, gid, mode, rdev);
}

void fakeroot_forget(struct fakeroot *fr, uint64_t dev, uint64_t ino, uint32_t fields)
{
	fakeroot_sync(fr);
	forget(fr, dev, ino, fields);
}

int fakeroot_insert(struct fakeroot *fr, const struct owner_rec *rec)
{
	fakeroot_sync(fr);
	struct owners_table *t = fr->table;
	bool found;
	struct owner_rec *r = slot_of(fr, rec->dev, rec->ino, &found);
	if (found)
		return -EEXIST;
	if (!room_in(t, r) && (make_room(fr) < 0 || !room_in(t, r = slot_of(fr, rec->dev, rec->ino, &found))))
		return -ENOSPC;
	struct owners_header *h = &t->h;
	begin(fr);
	if (r->ino != TOMBSTONE)
		h->used++;
	*r = *rec;
	r->dirty = 0;
	h->live++;
	h->typed += (rec->fields & OWNER_TYPE) != 0;
	end(fr, r);
	return 0;
}
