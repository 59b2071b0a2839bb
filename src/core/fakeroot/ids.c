/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The identity calls under fake root (fakeroot.h): the kernel's rules for
 * getting and setting uids, gids and supplementary groups (kernel/sys.c,
 * kernel/groups.c), applied to the task's fake_ids instead of its real
 * credentials. A task may do what the kernel would let it do with the
 * capabilities it believes it has (CAP_SETUID, CAP_SETGID in its
 * effective set). Each change is made on a copy, committed whole, as the
 * kernel's prepare_creds()/commit_creds() do: a refused call changes
 * nothing.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"
#include "core/view/view.h"

#define KEEP ((uint32_t)-1) /* an id argument that leaves the id as it is */

struct fake_ids *fakeroot_ids_new(const struct fakeroot *fr)
{
	struct fake_ids *ids = calloc(1, sizeof(*ids));
	gid_t *groups = malloc(sizeof(*groups));
	if (!ids || !groups) {
		free(ids);
		free(groups);
		return NULL;
	}
	ids->ruid = ids->euid = ids->suid = ids->fsuid = fr->uid;
	ids->rgid = ids->egid = ids->sgid = ids->fsgid = fr->gid;
	/* As after a login (su -): the one group of the identity; root's
	 * capabilities are those the kernel gives init, others have none
	 * but the bounding set. */
	groups[0] = fr->gid;
	ids->groups = groups;
	ids->ngroups = 1;
	ids->cap_bnd = fr->cap_all;
	if (fr->uid == 0)
		ids->cap_prm = ids->cap_eff = fr->cap_all;
	return ids;
}

struct fake_ids *fakeroot_ids_copy(const struct fake_ids *ids)
{
	struct fake_ids *c = malloc(sizeof(*c));
	gid_t *groups = malloc((ids->ngroups ? ids->ngroups : 1) * sizeof(*groups));
	if (!c || !groups) {
		free(c);
		free(groups);
		return NULL;
	}
	memcpy(c, ids, sizeof(*c));
	memcpy(groups, ids->groups, ids->ngroups * sizeof(*groups));
	c->groups = groups;
	return c;
}

void fakeroot_ids_free(struct fake_ids *ids)
{
	if (ids)
		free(ids->groups);
	free(ids);
}

struct fake_ids *fakeroot_ids_of(struct facet_task *t)
{
	return view_task(t)->ids; /* made with the task's view state (view/fs.c) */
}

static bool capable(const struct fake_ids *ids, int cap)
{
	return ids->cap_eff & (1ull << cap);
}

/* Three ids written one after the other, as the kernel's put_user()s:
 * a bad pointer fails the call after the ones before it were written. */
static int64_t put_three(struct facet_task *t, const uint64_t *addr, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t v[3] = { a, b, c };
	for (int i = 0; i < 3; i++)
		if (facet_mem_write(t, addr[i], &v[i], sizeof(v[i])) != sizeof(v[i]))
			return -EFAULT;
	return 0;
}

static int64_t set_uid(struct fake_ids *ids, uint32_t uid)
{
	struct fake_ids now = *ids;
	if (uid == KEEP)
		return -EINVAL;
	if (capable(ids, CAP_SETUID))
		now.ruid = now.suid = uid;
	else if (uid != ids->ruid && uid != ids->suid)
		return -EPERM;
	now.euid = now.fsuid = uid;
	fakeroot_caps_fix_setuid(&now, ids, FAKE_SETID_ID);
	*ids = now;
	return 0;
}

static int64_t set_gid(struct fake_ids *ids, uint32_t gid)
{
	if (gid == KEEP)
		return -EINVAL;
	if (capable(ids, CAP_SETGID))
		ids->rgid = ids->sgid = gid;
	else if (gid != ids->rgid && gid != ids->sgid)
		return -EPERM;
	ids->egid = ids->fsgid = gid;
	return 0;
}

/* setreuid and setregid: the same rules on uids and gids. */
static int64_t set_re(uint32_t id[4], uint32_t r, uint32_t e, bool priv)
{
	enum { R, E, S, FS };
	uint32_t old[4];
	memcpy(old, id, sizeof(old));
	if (r != KEEP && r != old[R] && r != old[E] && !priv)
		return -EPERM;
	if (e != KEEP && e != old[R] && e != old[E] && e != old[S] && !priv)
		return -EPERM;
	if (r != KEEP)
		id[R] = r;
	if (e != KEEP)
		id[E] = e;
	if (r != KEEP || (e != KEEP && e != old[R]))
		id[S] = id[E];
	id[FS] = id[E];
	return 0;
}

/* setresuid and setresgid. */
static int64_t set_res(uint32_t id[4], uint32_t r, uint32_t e, uint32_t s, bool priv)
{
	enum { R, E, S, FS };
	if ((r == KEEP || r == id[R]) && (e == KEEP || (e == id[E] && e == id[FS])) && (s == KEEP || s == id[S]))
		return 0;
#define NEW_ID(x) ((x) != KEEP && (x) != id[R] && (x) != id[E] && (x) != id[S])
	if ((NEW_ID(r) || NEW_ID(e) || NEW_ID(s)) && !priv)
		return -EPERM;
#undef NEW_ID
	if (r != KEEP)
		id[R] = r;
	if (e != KEEP)
		id[E] = e;
	if (s != KEEP)
		id[S] = s;
	id[FS] = id[E];
	return 0;
}

/* setfsuid and setfsgid: the previous fsuid (fsgid) in every case. */
static int64_t set_fs(uint32_t id[4], uint32_t v, bool priv)
{
	enum { R, E, S, FS };
	uint32_t prev = id[FS];
	if (v != KEEP && (v == id[R] || v == id[E] || v == id[S] || v == id[FS] || priv))
		id[FS] = v;
	return prev;
}

/* The four uids (gids) of ids as an array, and back. */
static void uids(const struct fake_ids *ids, uint32_t id[4])
{
	id[0] = ids->ruid, id[1] = ids->euid, id[2] = ids->suid, id[3] = ids->fsuid;
}

static void gids(const struct fake_ids *ids, uint32_t id[4])
{
	id[0] = ids->rgid, id[1] = ids->egid, id[2] = ids->sgid, id[3] = ids->fsgid;
}

static void set_uids(struct fake_ids *ids, const uint32_t id[4])
{
	ids->ruid = id[0], ids->euid = id[1], ids->suid = id[2], ids->fsuid = id[3];
}

static void set_gids(struct fake_ids *ids, const uint32_t id[4])
{
	ids->rgid = id[0], ids->egid = id[1], ids->sgid = id[2], ids->fsgid = id[3];
}

/* The uid calls: ids changed as `how` says, the capabilities with them. */
static int64_t change_uids(struct fake_ids *ids, enum fake_setid how, const uint64_t *a)
{
	struct fake_ids now = *ids;
	uint32_t id[4];
	uids(ids, id);
	bool priv = capable(ids, CAP_SETUID);
	int64_t r;
	switch (how) {
	case FAKE_SETID_RE: r = set_re(id, (uint32_t)a[0], (uint32_t)a[1], priv); break;
	case FAKE_SETID_RES: r = set_res(id, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], priv); break;
	default: r = set_fs(id, (uint32_t)a[0], priv); break;
	}
	if (r < 0)
		return r;
	set_uids(&now, id);
	fakeroot_caps_fix_setuid(&now, ids, how);
	*ids = now;
	return r;
}

static int64_t change_gids(struct fake_ids *ids, enum fake_setid how, const uint64_t *a)
{
	uint32_t id[4];
	gids(ids, id);
	bool priv = capable(ids, CAP_SETGID);
	int64_t r;
	switch (how) {
	case FAKE_SETID_RE: r = set_re(id, (uint32_t)a[0], (uint32_t)a[1], priv); break;
	case FAKE_SETID_RES: r = set_res(id, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], priv); break;
	default: r = set_fs(id, (uint32_t)a[0], priv); break;
	}
	if (r >= 0)
		set_gids(ids, id);
	return r;
}

static int64_t get_groups(struct facet_task *t, const struct fake_ids *ids, int size, uint64_t list)
{
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return ids->ngroups;
	if ((unsigned)size < ids->ngroups)
		return -EINVAL;
	size_t len = ids->ngroups * sizeof(gid_t);
	if (len && facet_mem_write(t, list, ids->groups, len) != (ssize_t)len)
		return -EFAULT;
	return ids->ngroups;
}

static int gid_order(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;
	return (x > y) - (x < y);
}

static int64_t set_groups(struct facet_task *t, struct fake_ids *ids, int size, uint64_t list)
{
	if (!capable(ids, CAP_SETGID))
		return -EPERM;
	if ((unsigned)size > FAKE_NGROUPS_MAX)
		return -EINVAL;
	size_t len = (size_t)size * sizeof(gid_t);
	gid_t *groups = malloc(len ? len : 1);
	if (!groups)
		return -ENOMEM;
	if (len && facet_mem_read(t, list, groups, len) != (ssize_t)len) {
		free(groups);
		return -EFAULT;
	}
	for (int i = 0; i < size; i++)
		if (groups[i] == (gid_t)-1) {
			free(groups);
			return -EINVAL;
		}
	qsort(groups, (size_t)size, sizeof(*groups), gid_order); /* as the kernel keeps them */
	free(ids->groups);
	ids->groups = groups;
	ids->ngroups = (unsigned)size;
	return 0;
}

static int64_t id_call(struct facet_task *t, struct fake_ids *ids, enum fake_id_call call, const uint64_t *a,
		       bool *native)
{
	switch (call) {
	case FID_GETUID: return ids->ruid;
	case FID_GETEUID: return ids->euid;
	case FID_GETGID: return ids->rgid;
	case FID_GETEGID: return ids->egid;
	case FID_GETRESUID: return put_three(t, a, ids->ruid, ids->euid, ids->suid);
	case FID_GETRESGID: return put_three(t, a, ids->rgid, ids->egid, ids->sgid);
	case FID_GETGROUPS: return get_groups(t, ids, (int)a[0], a[1]);
	case FID_SETUID: return set_uid(ids, (uint32_t)a[0]);
	case FID_SETGID: return set_gid(ids, (uint32_t)a[0]);
	case FID_SETREUID: return change_uids(ids, FAKE_SETID_RE, a);
	case FID_SETREGID: return change_gids(ids, FAKE_SETID_RE, a);
	case FID_SETRESUID: return change_uids(ids, FAKE_SETID_RES, a);
	case FID_SETRESGID: return change_gids(ids, FAKE_SETID_RES, a);
	case FID_SETFSUID: return change_uids(ids, FAKE_SETID_FS, a);
	case FID_SETFSGID: return change_gids(ids, FAKE_SETID_FS, a);
	case FID_SETGROUPS: return set_groups(t, ids, (int)a[0], a[1]);
	case FID_CAPGET: return fakeroot_capget(t, a[0], a[1]);
	case FID_CAPSET: return fakeroot_capset(t, a[0], a[1]);
	case FID_PRCTL: return fakeroot_prctl(t, a, native);
	}
	return -ENOSYS;
}

void fakeroot_id_call(struct facet_task *t, const struct call *c, const struct path_call *pc,
		      struct emu_result *res)
{
	bool native = false;
	enum fake_id_call call = (enum fake_id_call)pc->a1;
	int64_t r = id_call(t, fakeroot_ids_of(t), call, c->sc.args, &native);
	res->kind = native ? EMU_NATIVE : EMU_VALUE;
	res->value = r;
	/* An identity that may have changed: the runtime makes the writes
	 * of root's only (RT_CONFIG_FAKE_ROOT_IDS). */
	if (call >= FID_SETUID && call != FID_CAPGET && !native)
		view_rt_ids_changed(t);
}

bool fakeroot_ids_root(const struct fakeroot *fr, const struct fake_ids *ids)
{
	const uint64_t files = (1ull << CAP_CHOWN) | (1ull << CAP_FOWNER) | (1ull << CAP_FSETID);
	if (!ids)
		return fr->uid == 0; /* the tree's first task, not started yet */
	return fr->uid == 0 && ids->fsuid == fr->uid && ids->fsgid == fr->gid && (ids->cap_eff & files) == files;
}

/* The set-user-ID and set-group-ID bits of the program, as the tree sees
 * its file (the record may hold bits the real file lacks), unless its
 * mount is nosuid (bprm_fill_uid). */
static void exec_setid(struct facet_task *t, struct fake_ids *ids, int prog_fd)
{
	struct stat st;
	struct statvfs sv;
	if (prog_fd < 0 || fstat(prog_fd, &st) < 0)
		return;
	fakeroot_stat(t, &st, prog_fd, "");
	if (!(st.st_mode & (S_ISUID | S_ISGID)) || fstatvfs(prog_fd, &sv) < 0 || (sv.f_flag & ST_NOSUID))
		return;
	if (st.st_mode & S_ISUID)
		ids->euid = st.st_uid;
	if ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		ids->egid = st.st_gid;
}

void fakeroot_on_exec(struct facet_task *t, int prog_fd)
{
	struct fake_ids *ids = fakeroot_ids_of(t);
	exec_setid(t, ids, prog_fd);
	/* The kernel's test: the new effective ids against the real ones. */
	fakeroot_caps_exec(ids, ids->euid != ids->ruid || ids->egid != ids->rgid);
	ids->suid = ids->fsuid = ids->euid;
	ids->sgid = ids->fsgid = ids->egid;
}
