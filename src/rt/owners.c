/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading fake root's record of ownership (owners.h): shared by the
 * supervisor and the in-process runtime. Freestanding. */
#include "rt/owners.h"

#define S_IFMT_ 0170000u
#define PERM_BITS 07777u

static inline uint32_t load_seq(const struct owners_header *h)
{
	return __atomic_load_n(&h->seq, __ATOMIC_ACQUIRE);
}

int owners_find(const struct owners_table *t, uint64_t dev, uint64_t ino, struct owner_rec *out)
{
	if (t->h.magic != OWNERS_MAGIC || !t->h.live)
		return 0;
	/* A change takes the writer well under a microsecond; a counter odd
	 * for a million tries is a file the tree wrote itself (it may, where
	 * the view shows it writable): no record, rather than a hang. */
	for (uint32_t tries = 0; tries < (1u << 20); tries++) {
		uint32_t seq = load_seq(&t->h);
		if (seq & 1) {
			__asm__ volatile("" ::: "memory");
			continue;
		}
		/* The table grows (the supervisor rebuilds it, the counter odd
		 * meanwhile): its size is read with the records. */
		uint32_t n = __atomic_load_n(&t->h.nslots, __ATOMIC_RELAXED);
		if (n == 0 || (n & (n - 1)) || n > OWNERS_SLOTS)
			return 0;
		int found = 0;
		uint32_t i = owners_hash(dev, ino, n);
		for (uint32_t probes = 0; probes < n; probes++, i = (i + 1) & (n - 1)) {
			const struct owner_rec *r = &t->slot[i];
			uint64_t rdev = __atomic_load_n(&r->dev, __ATOMIC_RELAXED);
			uint64_t rino = __atomic_load_n(&r->ino, __ATOMIC_RELAXED);
			if (rdev == 0 && rino == 0)
				break; /* a free slot ends the chain */
			if (rdev == dev && rino == ino) {
				__builtin_memcpy(out, r, sizeof(*out));
				found = out->fields != 0;
				break;
			}
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (load_seq(&t->h) == seq)
			return found;
	}
	return 0;
}

int owners_matches(const struct owner_rec *r, const struct owner_view *v)
{
	if (r->dev != v->dev || r->ino != v->ino)
		return 0;
	if ((r->fields & OWNER_BTIME) && v->has_btime)
		return r->btime_sec == v->btime_sec && r->btime_nsec == v->btime_nsec;
	return 1;
}

int owners_apply_lazy(const struct owners_table *t, struct owner_view *v, owners_btime_fn *btime, void *ctx)
{
	if (!t)
		return 0;
	if (v->uid == t->h.real_uid)
		v->uid = t->h.fake_uid;
	if (v->gid == t->h.real_gid)
		v->gid = t->h.fake_gid;
	struct owner_rec r;
	if (!owners_find(t, v->dev, v->ino, &r))
		return 0;
	if ((r.fields & OWNER_BTIME) && !v->has_btime && btime)
		btime(ctx, v);
	if (!owners_matches(&r, v))
		return 0;
	if (r.fields & OWNER_UID)
		v->uid = r.uid;
	if (r.fields & OWNER_GID)
		v->gid = r.gid;
	if (r.fields & OWNER_MODE)
		v->mode = (v->mode & S_IFMT_) | (r.mode & PERM_BITS);
	if (r.fields & OWNER_TYPE) {
		v->mode = (r.mode & S_IFMT_) | (v->mode & PERM_BITS);
		v->rdev = r.rdev;
	}
	return 1;
}

int owners_apply(const struct owners_table *t, struct owner_view *v)
{
	return owners_apply_lazy(t, v, 0, 0);
}

int owners_dirent_type(const struct owners_table *t, uint64_t dev, uint64_t ino, owners_btime_fn *btime, void *ctx)
{
	struct owner_rec r;
	if (!t || !__atomic_load_n(&t->h.typed, __ATOMIC_RELAXED) || !owners_find(t, dev, ino, &r) ||
	    !(r.fields & OWNER_TYPE))
		return -1;
	if ((r.fields & OWNER_BTIME) && btime) {
		struct owner_view v = { .dev = dev, .ino = ino };
		btime(ctx, &v);
		if (!owners_matches(&r, &v))
			return -1; /* a stale record: the inode number has another file */
	}
	return (int)((r.mode & S_IFMT_) >> 12);
}
