/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading fake root's record of ownership (owners.h): shared by the
 * supervisor and the in-process runtime. Freestanding. */
#include "rt/owners.h"

#define S_IFMT_ 0170000u
#define OWNERS_SPINS (1u << 12)
#define OWNERS_YIELDS (1u << 21)
#define PERM_BITS 07777u

static inline uint32_t load_seq(const struct owners_header *h)
{
	return __atomic_load_n(&h->seq, __ATOMIC_ACQUIRE);
}

void owners_change_apply(struct owner_rec *r, const struct owner_change *c)
{
	/* A record of another file that had the inode number: gone. */
	if (r->fields && (r->dev != c->dev || r->ino != c->ino ||
			  ((r->fields & OWNER_BTIME) && c->has_btime &&
			   (r->btime_sec != c->btime_sec || r->btime_nsec != c->btime_nsec))))
		__builtin_memset(r, 0, sizeof(*r));
	if (c->set & (OWNER_UID | OWNER_GID)) {
		/* As the supervisor records one (fakeroot_record). */
		r->dev = c->dev;
		r->ino = c->ino;
		r->fields = (r->fields & ~(uint32_t)OWNER_BTIME) | (c->set & (OWNER_UID | OWNER_GID));
		if (c->has_btime) {
			r->fields |= OWNER_BTIME;
			r->btime_sec = c->btime_sec;
			r->btime_nsec = c->btime_nsec;
		}
		if (c->set & OWNER_UID)
			r->uid = c->uid;
		if (c->set & OWNER_GID)
			r->gid = c->gid;
	}
	r->fields &= ~(c->drop & (OWNER_UID | OWNER_GID | OWNER_MODE | OWNER_TYPE));
	if (!(r->fields & ~(uint32_t)OWNER_BTIME))
		r->fields = 0;
}

/* The ring's changes i, tail <= i < head, of (dev, ino) applied to *out,
 * in their order. A change still being written is not made yet (its call
 * has not returned); one the supervisor took is in the table. The caller
 * checks that the supervisor took none meanwhile. */
static void apply_ring(const struct owners_ring *ring, uint64_t tail, uint64_t head, uint64_t dev, uint64_t ino,
		       struct owner_rec *out)
{
	if (head - tail > OWNERS_RING)
		head = tail + OWNERS_RING; /* a ring the tree wrote itself */
	for (uint64_t i = tail; i != head; i++) {
		const struct owner_change *c = &ring->change[i % OWNERS_RING];
		if (__atomic_load_n(&c->seq, __ATOMIC_ACQUIRE) != i + 1 || c->dev != dev || c->ino != ino)
			continue;
		struct owner_change copy;
		__builtin_memcpy(&copy, c, sizeof(copy));
		owners_change_apply(out, &copy);
	}
}

int owners_none(const struct owners_table *t)
{
	const struct owners_ring *ring = owners_ring_of(t);
	/* The supervisor counts a change among the records before it takes
	 * it from the ring: the ring first. */
	if (ring && __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE) != __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE))
		return 0;
	return __atomic_load_n(&t->h.live, __ATOMIC_ACQUIRE) == 0;
}

int owners_push(struct owners_table *t, const struct owner_change *c)
{
	struct owners_ring *ring = owners_ring_of(t);
	if (!ring)
		return -1;
	uint64_t head = __atomic_load_n(&ring->head, __ATOMIC_RELAXED);
	do {
		if (head - __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE) >= OWNERS_RING)
			return -1;
	} while (!__atomic_compare_exchange_n(&ring->head, &head, head + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	struct owner_change *slot = &ring->change[head % OWNERS_RING];
	uint64_t seq = head + 1;
	__builtin_memcpy(slot, c, sizeof(*slot));
	slot->seq = 0; /* the copy's, until the change is whole */
	__atomic_store_n(&slot->seq, seq, __ATOMIC_RELEASE);
	return 0;
}

int owners_room(const struct owners_table *t, uint32_t n)
{
	const struct owners_ring *ring = owners_ring_of(t);
	return ring && __atomic_load_n(&ring->head, __ATOMIC_RELAXED) - __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE) +
			       n <= OWNERS_RING;
}

void owners_take(struct owners_table *t, void (*take)(const struct owner_change *c, void *ctx), void *ctx)
{
	struct owners_ring *ring = owners_ring_of(t);
	if (!ring)
		return;
	uint64_t tail = __atomic_load_n(&ring->tail, __ATOMIC_RELAXED), head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
	if (head - tail > OWNERS_RING)
		head = tail + OWNERS_RING;
	uint64_t taken_to = tail;
	for (uint64_t i = tail; i != head; i++) {
		struct owner_change *slot = &ring->change[i % OWNERS_RING];
		uint64_t seq = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE);
		if (seq == i + 1) {
			struct owner_change c;
			__builtin_memcpy(&c, slot, sizeof(c));
			take(&c, ctx);
			/* After the table's change, whose counter readers check
			 * after they have read the ring. */
			seq = (i + 1) | OWNERS_TAKEN;
			__atomic_store_n(&slot->seq, seq, __ATOMIC_RELEASE);
		}
		if (seq == ((i + 1) | OWNERS_TAKEN) && taken_to == i)
			taken_to = i + 1;
	}
	if (taken_to != tail)
		__atomic_store_n(&ring->tail, taken_to, __ATOMIC_RELEASE);
}

int owners_find(const struct owners_table *t, uint64_t dev, uint64_t ino, struct owner_rec *out)
{
	if (t->h.magic != OWNERS_MAGIC)
		return 0;
	const struct owners_ring *ring = owners_ring_of(t);
	if (owners_none(t))
		return 0;
	/* A change takes the writer well under a microsecond, but the table
	 * built again larger takes milliseconds (pages to clear and copy):
	 * the reader spins a while, then yields the CPU until the counter is
	 * even. A counter odd for that long (seconds) is a file the tree
	 * wrote itself (it may, where the view shows it writable): no
	 * record, rather than a hang. */
	for (uint32_t tries = 0; tries < OWNERS_SPINS + OWNERS_YIELDS; tries++) {
		uint32_t seq = load_seq(&t->h);
		if (seq & 1) {
			if (tries >= OWNERS_SPINS)
				owners_yield();
			__asm__ volatile("" ::: "memory");
			continue;
		}
		/* The ring's ends, the table, the ring's changes, then the
		 * counter and the tail again: a change the supervisor takes
		 * into the table meanwhile moves the counter, and places it
		 * frees for writers move the tail. */
		uint64_t tail = 0, head = 0;
		if (ring) {
			tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
			head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
		}
		/* The table grows (the supervisor rebuilds it, the counter odd
		 * meanwhile): its size is read with the records. */
		uint32_t n = __atomic_load_n(&t->h.nslots, __ATOMIC_RELAXED);
		if (n == 0 || (n & (n - 1)) || n > OWNERS_SLOTS)
			return 0;
		int found = 0;
		__builtin_memset(out, 0, sizeof(*out));
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
		if (tail != head) {
			if (!found)
				__builtin_memset(out, 0, sizeof(*out)); /* a record being freed */
			apply_ring(ring, tail, head, dev, ino, out);
			found = out->fields != 0;
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (load_seq(&t->h) != seq || (ring && __atomic_load_n(&ring->tail, __ATOMIC_RELAXED) != tail))
			continue;
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

int owners_apply_record(const struct owners_table *t, struct owner_view *v, const struct owner_rec *r)
{
	if (v->uid == t->h.real_uid)
		v->uid = t->h.fake_uid;
	if (v->gid == t->h.real_gid)
		v->gid = t->h.fake_gid;
	if (!r || !owners_matches(r, v))
		return 0;
	if (r->fields & OWNER_UID)
		v->uid = r->uid;
	if (r->fields & OWNER_GID)
		v->gid = r->gid;
	if (r->fields & OWNER_MODE)
		v->mode = (v->mode & S_IFMT_) | (r->mode & PERM_BITS);
	if (r->fields & OWNER_TYPE) {
		v->mode = (r->mode & S_IFMT_) | (v->mode & PERM_BITS);
		v->rdev = r->rdev;
	}
	return 1;
}

int owners_apply_lazy(const struct owners_table *t, struct owner_view *v, owners_btime_fn *btime, void *ctx)
{
	if (!t)
		return 0;
	struct owner_rec r;
	int found = owners_find(t, v->dev, v->ino, &r);
	if (found && (r.fields & OWNER_BTIME) && !v->has_btime && btime)
		btime(ctx, v);
	return owners_apply_record(t, v, found ? &r : 0);
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
