/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fake root's record of ownership (facet -0): what the tree has made of
 * the files' owners, modes and types that the real user could not make
 * real. The supervisor writes it (src/core/fakeroot/); the in-process
 * runtime reads it to answer stat calls; both apply it with the functions
 * below. Freestanding: no libc.
 *
 * It is a file each traced process maps at OWNERS_ADDR, read-only but
 * for the ring's page, into which the supervisor copies each change of
 * its own copy. A header, then an
 * open-addressed hash table of records keyed by the file's identity
 * (device and inode number) in h.nslots slots: a record that goes leaves
 * a tombstone, and records move only when the supervisor builds the table
 * again, larger (it starts small) or without its tombstones. The
 * supervisor is the table's only writer, one change at a time; a reader
 * copies a record under the sequence counter (odd while a change is
 * being made) and tries again if it moved.
 *
 * A chown the runtime can make itself (root's identity, a file in a
 * writable mount), and the removal of a recorded file's last link, it
 * does not send to the supervisor: it puts the change
 * in the ring (struct owners_ring), the one page of the file every
 * process maps writable, and the supervisor moves the ring's changes into
 * the table before it reads or changes the table (core/fakeroot/table.c),
 * in their order. A reader applies the changes still in the ring over
 * the table's record, and checks the table's counter after it has read
 * the ring; a change sets the owner or group, or drops fields, so that
 * applying one the table already holds changes nothing. A full ring sends the chown to the supervisor, which empties
 * it first.
 *
 * A file's inode number is reused once the file is gone: a record also
 * holds the file's birth time (statx STATX_BTIME) where the file system
 * has one, and a record whose birth time differs from the file's is
 * stale (a file deleted outside facet, and a new one since): ignored.
 *
 * Files the tree owns on the host (the real user's uid and gid), and that
 * have no record of another owner, appear owned by the tree's identity
 * (-0: root). Everything else shows as the kernel says.
 */
#ifndef FACET_RT_OWNERS_H
#define FACET_RT_OWNERS_H

#include <stdint.h>

/* Where the runtime maps the table, and its largest size: just above the
 * runtime's jump table (RT_SITE_TABLE, 0x050f0000-0x050f8000), so that
 * the view keeps one low range (0x050ef000-0x05802000 with fake root)
 * that a non-PIE program must leave free; its brk already stops below the
 * jump table. */
#define OWNERS_ADDR 0x05100000ull
#define OWNERS_SLOTS (1u << 17)
#define OWNERS_MAGIC 0x666b7274u /* "trkf" */
#define OWNERS_VERSION 2u

/* What a record changes of what the kernel says. */
enum owner_fields {
	OWNER_UID = 1u << 0,
	OWNER_GID = 1u << 1,
	OWNER_MODE = 1u << 2,    /* permission bits (07777) */
	OWNER_TYPE = 1u << 3,    /* file type (S_IFMT) and rdev: a device node */
	OWNER_BTIME = 1u << 8,   /* btime_* hold the file's birth time */
};

struct owner_rec {
	uint64_t dev, ino;       /* dev 0 and ino 0: a free slot; ino ~0: a tombstone */
	int64_t btime_sec;
	uint32_t btime_nsec;
	uint32_t fields;         /* enum owner_fields; 0: free or tombstone */
	uint32_t uid, gid;
	uint32_t mode;           /* S_IFMT with OWNER_TYPE, and the permission bits */
	uint32_t dirty;          /* the supervisor's: changed by this session */
	uint64_t rdev;           /* the kernel's encoding (makedev) */
};

struct owners_header {
	uint32_t magic, version;
	uint32_t seq;            /* odd while the supervisor changes a record */
	uint32_t nslots;         /* a power of two, at most OWNERS_SLOTS */
	uint32_t used;           /* records and tombstones */
	uint32_t live;           /* records */
	uint32_t typed;          /* records with OWNER_TYPE: getdents must look */
	uint32_t xattrs;         /* not 0 once an extended attribute is recorded
				  * (core/fakeroot/xattrs.c): the removal of a
				  * name is then the supervisor's, which drops the
				  * file's attributes with its last link */
	/* Files owned by real_uid (real_gid) with no record appear owned by
	 * fake_uid (fake_gid). */
	uint32_t real_uid, real_gid, fake_uid, fake_gid;
	uint32_t ring_off;       /* where the ring lies from the table's start (0: none) */
	uint32_t reserved32;
	uint64_t reserved[3];
};

struct owners_table {
	struct owners_header h;
	struct owner_rec slot[];
};

#define OWNERS_SIZE(nslots) (sizeof(struct owners_header) + (uint64_t)(nslots) * sizeof(struct owner_rec))

/* A chown the runtime made: the file, its birth time, and what becomes of
 * its record's owner and group. */
struct owner_change {
	uint64_t seq;            /* its index in the ring + 1, once written */
	uint64_t dev, ino;
	int64_t btime_sec;       /* valid with has_btime */
	uint32_t btime_nsec;
	uint32_t has_btime;
	uint32_t set;            /* OWNER_UID and OWNER_GID: recorded as uid and gid */
	uint32_t drop;           /* those two, or with OWNER_MODE and OWNER_TYPE (a removal): dropped */
	uint32_t uid, gid;
	uint32_t pad[2];
};

/* The ring: head counts the changes the runtimes took places for, tail
 * those the supervisor has moved into the table; change i lies at
 * change[i % OWNERS_RING]. One page, after the table's largest size. */
#define OWNERS_RING 62u
struct owners_ring {
	uint64_t head;
	uint64_t pad_head[7];    /* the writers' line apart from the supervisor's */
	uint64_t tail;
	uint64_t pad_tail[7];
	struct owner_change change[OWNERS_RING];
};
/* The runtime puts changes in the ring while the table has fewer records
 * than this: far below the most it takes (3/4 of OWNERS_SLOTS). */
#define OWNERS_RING_LIVE_MAX (OWNERS_SLOTS / 2)
#define OWNERS_RING_OFF ((OWNERS_SIZE(OWNERS_SLOTS) + 4095u) & ~4095ull)
#define OWNERS_FILE_SIZE (OWNERS_RING_OFF + 4096u)
_Static_assert(sizeof(struct owners_ring) <= 4096, "the ring is one page");

/* The table's ring: a table with one is OWNERS_FILE_SIZE bytes long. */
static inline struct owners_ring *owners_ring_of(const struct owners_table *t)
{
	return __atomic_load_n(&t->h.ring_off, __ATOMIC_RELAXED) == OWNERS_RING_OFF
		? (struct owners_ring *)((char *)t + OWNERS_RING_OFF) : 0;
}

/* A file as the kernel describes it, the fields a record may change. */
struct owner_view {
	uint64_t dev, ino;
	int64_t btime_sec;       /* valid with has_btime */
	uint32_t btime_nsec;
	uint32_t has_btime;
	uint32_t uid, gid, mode; /* mode: type and permission bits */
	uint64_t rdev;
};

/* The slot index to start looking for a file at. */
static inline uint32_t owners_hash(uint64_t dev, uint64_t ino, uint32_t nslots)
{
	uint64_t h = (ino ^ (dev * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
	return (uint32_t)(h >> 32) & (nslots - 1);
}

/* Copies the live record of (dev, ino), with the ring's changes of it
 * applied, into *out: 1, or 0 if there is none. Safe against the
 * supervisor changing the table meanwhile. */
int owners_find(const struct owners_table *t, uint64_t dev, uint64_t ino, struct owner_rec *out);

/* Gives up the CPU while the supervisor changes the table (sched_yield):
 * each side that links owners.c has its own. */
void owners_yield(void);

/* No record and no change in the ring. */
int owners_none(const struct owners_table *t);

/* The runtime's side of the ring: puts change *c in it (its seq is
 * set): 0, or -1 if the ring is full or absent. */
int owners_push(struct owners_table *t, const struct owner_change *c);
/* The ring has n free places at least (for a change that must be put
 * there after a call that cannot be undone: a removal). */
int owners_room(const struct owners_table *t, uint32_t n);

/* The supervisor's side: take(c, ctx) for each change written and not
 * yet taken, in the ring's order, which the table must hold once take()
 * returns; each is then marked taken (OWNERS_TAKEN in its seq), and the
 * tail moves past those taken. Changes after one still being written are
 * taken too: a later change of the supervisor's own must not find an
 * older one of the same file still in the ring, which readers would
 * apply over it. */
#define OWNERS_TAKEN (1ull << 63)
void owners_take(struct owners_table *t, void (*take)(const struct owner_change *c, void *ctx), void *ctx);

/* Change c applied to record *r of its file (*r: fields 0 for none). */
void owners_change_apply(struct owner_rec *r, const struct owner_change *c);

/* Whether record r is about the file v (not a stale record of an inode
 * number reused since). */
int owners_matches(const struct owner_rec *r, const struct owner_view *v);

/* What the tree sees of file v: its owner mapped, its record applied.
 * Returns 1 if a record applied, 0 otherwise. */
int owners_apply(const struct owners_table *t, struct owner_view *v);

/* The same with the record r that owners_find() gave (NULL: none). */
int owners_apply_record(const struct owners_table *t, struct owner_view *v, const struct owner_rec *r);

/* The same, for a caller whose view of the file has no birth time yet
 * (stat has none): btime(ctx, v) is asked for it only when a record with
 * one is found, so that the common case stays one call. */
typedef void owners_btime_fn(void *ctx, struct owner_view *v);
int owners_apply_lazy(const struct owners_table *t, struct owner_view *v, owners_btime_fn *btime, void *ctx);

/* The d_type (DT_*) a directory entry (dev, ino) shows, -1 if its
 * record does not change it; btime (if not NULL) as for owners_apply_lazy. */
int owners_dirent_type(const struct owners_table *t, uint64_t dev, uint64_t ino, owners_btime_fn *btime, void *ctx);

#endif
