/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Credentials: the tracees', and the supervisor's own put on for a call it
 * performs in a tracee's name.
 *
 * A tracee starts with the supervisor's credentials. Only a privileged
 * supervisor (one with capabilities, or with differing real, effective and
 * saved ids) has tracees that can change theirs, and then the calls that do
 * so are watched (watch.c): each marks the task `creds_dirty`, and before
 * its next call performed in its name its credentials are read once from
 * /proc/TID/status. A task whose credentials are the supervisor's has
 * t->creds NULL, and costs nothing.
 *
 * The view performs every path call itself, and cannot leave one to the
 * kernel: for a task with other credentials, creds_assume() switches the
 * supervisor's thread to the task's fsuid, fsgid, supplementary groups
 * and file-system capabilities (CAP_CHOWN, CAP_DAC_*, CAP_FOWNER,
 * CAP_FSETID, CAP_MKNOD, CAP_LINUX_IMMUTABLE, CAP_MAC_OVERRIDE: the set
 * setfsuid(2) itself drops) for the duration of the call, so that the
 * kernel checks the task's permissions and creates files it owns; the
 * other capabilities stay the supervisor's, which needs CAP_SYS_PTRACE to
 * reach the tracee. creds_restore() puts the supervisor's own back. Raw
 * system calls: they change the calling thread only.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/internal.h"

/* The capabilities setfsuid() drops and raises (the kernel's CAP_FS_SET). */
#define CAP_FS_SET                                                                             \
	((1ull << CAP_CHOWN) | (1ull << CAP_DAC_OVERRIDE) | (1ull << CAP_DAC_READ_SEARCH) |     \
	 (1ull << CAP_FOWNER) | (1ull << CAP_FSETID) | (1ull << CAP_LINUX_IMMUTABLE) |         \
	 (1ull << CAP_MKNOD) | (1ull << CAP_MAC_OVERRIDE))

struct creds {
	unsigned refs;
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	uint64_t cap_eff, cap_prm, cap_inh;
	unsigned ngroups;
	gid_t groups[];
};

/* What the supervisor's thread wears: its own, or a task's. */
struct creds_state {
	struct creds *self;
	bool privileged;
	bool dumpable;
	const struct creds *worn;          /* NULL: its own */
	bool worn_real;                    /* ... with the real ids, as access(2) checks */
};

static void creds_put(struct creds *c)
{
	if (c && --c->refs == 0)
		free(c);
}

static bool ids_line(const char *line, const char *key, unsigned v[4])
{
	size_t n = strlen(key);
	return !strncmp(line, key, n) && sscanf(line + n, "%u %u %u %u", &v[0], &v[1], &v[2], &v[3]) == 4;
}

/* /proc/TID/status (tid 0: the supervisor's own). NULL if it cannot be read. */
static struct creds *creds_read(pid_t tid)
{
	char path[64];
	snprintf(path, sizeof(path), tid ? "/proc/%d/status" : "/proc/self/status", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *line = NULL;
	size_t cap = 0;
	unsigned u[4], g[4], found = 0;
	unsigned long long eff = 0, prm = 0, inh = 0;
	struct creds *c = NULL;
	while (getline(&line, &cap, f) > 0) {
		if (ids_line(line, "Uid:", u) || ids_line(line, "Gid:", g)) {
			found++;
		} else if (sscanf(line, "CapEff: %llx", &eff) == 1 || sscanf(line, "CapPrm: %llx", &prm) == 1 ||
			   sscanf(line, "CapInh: %llx", &inh) == 1) {
			found++;
		} else if (!strncmp(line, "Groups:", 7)) {
			unsigned n = 0;
			for (char *p = line + 7; *p; p++)
				n += (*p >= '0' && *p <= '9') && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == ':');
			free(c);
			c = calloc(1, sizeof(*c) + n * sizeof(gid_t));
			if (!c)
				break;
			char *p = line + 7, *end;
			while (c->ngroups < n && (c->groups[c->ngroups] = (gid_t)strtoul(p, &end, 10), end != p)) {
				c->ngroups++;
				p = end;
			}
			found++;
		}
	}
	free(line);
	fclose(f);
	if (!c || found != 6) {
		free(c);
		return NULL;
	}
	c->refs = 1;
	c->uid = u[0], c->euid = u[1], c->suid = u[2], c->fsuid = u[3];
	c->gid = g[0], c->egid = g[1], c->sgid = g[2], c->fsgid = g[3];
	c->cap_eff = eff, c->cap_prm = prm, c->cap_inh = inh;
	return c;
}

static bool creds_equal(const struct creds *a, const struct creds *b)
{
	return a->uid == b->uid && a->euid == b->euid && a->suid == b->suid && a->fsuid == b->fsuid &&
	       a->gid == b->gid && a->egid == b->egid && a->sgid == b->sgid && a->fsgid == b->fsgid &&
	       a->cap_eff == b->cap_eff && a->cap_prm == b->cap_prm && a->ngroups == b->ngroups &&
	       !memcmp(a->groups, b->groups, a->ngroups * sizeof(gid_t));
}

int creds_start(struct facet_session *s)
{
	struct creds_state *cs = calloc(1, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	cs->self = creds_read(0);
	if (!cs->self) {
		free(cs);
		return -EIO;
	}
	const struct creds *c = cs->self;
	cs->privileged = c->cap_prm || c->uid != c->euid || c->uid != c->suid || c->gid != c->egid ||
			 c->gid != c->sgid;
	cs->dumpable = prctl(PR_GET_DUMPABLE) == 1;
	s->creds = cs;
	return 0;
}

void creds_stop(struct facet_session *s)
{
	if (!s->creds)
		return;
	creds_restore(s);
	creds_put(s->creds->self);
	free(s->creds);
	s->creds = NULL;
}

bool creds_privileged(const struct facet_session *s)
{
	return s->creds && s->creds->privileged;
}

const struct creds *creds_of(struct facet_task *t)
{
	struct creds_state *cs = t->session->creds;
	if (!t->creds_dirty || !cs)
		return t->creds;
	t->creds_dirty = false;
	struct creds *now = creds_read(t->tid);
	if (!now)
		return t->creds; /* gone: its calls do not matter any more */
	if (creds_equal(now, cs->self) || (t->creds && creds_equal(now, t->creds))) {
		if (creds_equal(now, cs->self)) {
			creds_put(t->creds);
			t->creds = NULL;
		}
		creds_put(now);
		return t->creds;
	}
	creds_put(t->creds);
	t->creds = now;
	return now;
}

void creds_share(struct facet_task *parent, struct facet_task *child)
{
	creds_put(child->creds);
	child->creds = parent->creds;
	if (child->creds)
		child->creds->refs++;
	child->creds_dirty = parent->creds_dirty;
}

void creds_fs_ids(const struct creds *c, uid_t *uid, gid_t *gid)
{
	*uid = c->fsuid;
	*gid = c->fsgid;
}

void creds_task_free(struct facet_task *t)
{
	creds_put(t->creds);
	t->creds = NULL;
}

static int set_caps(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* setfsuid/setfsgid say nothing of a failure: ask again with -1. */
static int set_fs_ids(uid_t uid, gid_t gid)
{
	syscall(SYS_setfsgid, gid);
	syscall(SYS_setfsuid, uid);
	if ((gid_t)syscall(SYS_setfsgid, -1) != gid || (uid_t)syscall(SYS_setfsuid, -1) != uid)
		return -EPERM;
	return 0;
}

/* Puts on `c` (real ids if `real`), or the supervisor's own for NULL. */
static int wear(struct creds_state *cs, const struct creds *c, bool real)
{
	const struct creds *self = cs->self;
	const struct creds *g = c ? c : self;
	const struct creds *was = cs->worn ? cs->worn : self;
	int r = 0;
	if (g->ngroups != was->ngroups || memcmp(g->groups, was->groups, g->ngroups * sizeof(gid_t)))
		r = syscall(SYS_setgroups, g->ngroups, g->groups) < 0 ? -errno : 0;
	uid_t uid = !c ? self->fsuid : real ? c->uid : c->fsuid;
	gid_t gid = !c ? self->fsgid : real ? c->gid : c->fsgid;
	if (r == 0)
		r = set_fs_ids(uid, gid);
	/* access(2) gives the real ids of root the permitted set, of anyone
	 * else none; the other calls check the effective set. */
	uint64_t want = !c ? self->cap_eff : real ? (c->uid == 0 ? c->cap_prm : 0) : c->cap_eff;
	uint64_t eff = (self->cap_eff & ~CAP_FS_SET) | (want & CAP_FS_SET & self->cap_prm);
	if (r == 0)
		r = set_caps(eff, self->cap_prm, self->cap_inh);
	if (!c && cs->dumpable)
		prctl(PR_SET_DUMPABLE, 1); /* a change of fsuid made it suid_dumpable */
	cs->worn = c;
	cs->worn_real = real;
	return r;
}

int creds_assume(struct facet_task *t, bool real)
{
	struct creds_state *cs = t->session->creds;
	const struct creds *c = cs ? creds_of(t) : NULL;
	if (!c)
		return 0;
	if (cs->worn == c && cs->worn_real == real)
		return 1;
	int r = wear(cs, c, real);
	if (r < 0) {
		wear(cs, NULL, false);
		return r;
	}
	return 1;
}

void creds_restore(struct facet_session *s)
{
	struct creds_state *cs = s->creds;
	if (cs && cs->worn)
		wear(cs, NULL, false);
}
