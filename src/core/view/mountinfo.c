/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc/PID/mountinfo and /proc/PID/mounts in a view: the view's mounts,
 * as a mount namespace built from them would list them (bwrap's), instead
 * of the host's, which name host paths and miss the view's mount points
 * (mountpoint(1), findmnt, df and libmount read them).
 *
 * Built from the host's mountinfo at each open (the tree shares facet's
 * mount namespace):
 * - the view's root is the host mount that holds its host directory, that
 *   directory as the entry's root; the host mounts below that directory
 *   follow, at their paths in the view;
 * - each bind (-b, -w, the view's /proc) is a mount of its own, of the
 *   host mount that holds its host path, and brings the host mounts below
 *   that path with it (a recursive bind); read-only where the view's is;
 * - what a deeper mount of the view covers is not listed, nor the
 *   directories facet makes for a bind's missing parents.
 * The root keeps the host mount's ID, and so does a bind of a host mount
 * onto its own path (the view's /proc); every other entry has an ID above
 * the host's. statx's stx_mnt_id stays the host's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/view/view.h"
#include "util/strbuf.h"

/* One line of the host's mountinfo: "ID PARENT MAJ:MIN ROOT POINT OPTS
 * [OPTIONAL...] - TYPE SOURCE SUPER". */
struct host_mount {
	int id, parent;
	char *majmin, *root, *opts, *optional, *type, *source, *super;
	char point[VFS_PATH_MAX];          /* unescaped */
	size_t point_len;
};

/* An entry of the view's table. */
struct entry {
	int id, parent;
	const struct host_mount *m;
	char root[VFS_PATH_MAX * 2];       /* escaped, as mountinfo shows it */
	char point[VFS_PATH_MAX];          /* unescaped */
	bool ro;
};

/* mountinfo's octal escapes of space, tab, newline and backslash. */
static void unescape(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (; *s && o + 1 < size; o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			out[o] = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			out[o] = *s++;
		}
	}
	out[o] = '\0';
}

static void escape(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			strbuf_printf(b, "\\%03o", (unsigned char)*s);
		else
			strbuf_putc(b, *s);
	}
}

/* Splits one line in place; false if it is not one. */
static bool parse_line(char *line, struct host_mount *m)
{
	char *f[6], *save = NULL;
	for (int i = 0; i < 6; i++)
		if (!(f[i] = strtok_r(i ? NULL : line, " ", &save)))
			return false;
	/* The optional fields (none, or "shared:1 master:2"), then " - ". */
	char *rest = save ? save : (char *)"", *tail;
	if (!strncmp(rest, "- ", 2)) {
		m->optional = (char *)"";
		tail = rest + 2;
	} else if ((tail = strstr(rest, " - "))) {
		*tail = '\0';
		m->optional = rest;
		tail += 3;
	} else {
		return false;
	}
	char *super;
	if (!(m->type = strtok_r(tail, " ", &save)) || !(m->source = strtok_r(NULL, " ", &save)))
		return false;
	m->super = (super = strtok_r(NULL, " ", &save)) ? super : (char *)"";
	m->id = atoi(f[0]);
	m->parent = atoi(f[1]);
	m->majmin = f[2];
	m->root = f[3];
	m->opts = f[5];
	unescape(f[4], m->point, sizeof(m->point));
	m->point_len = strlen(m->point);
	return true;
}

/* The host mount that holds host path p: the last one listed at the
 * deepest mount point over it. */
static const struct host_mount *holder(const struct host_mount *hm, size_t n, const char *p)
{
	const struct host_mount *best = NULL;
	size_t len = strlen(p);
	for (size_t i = 0; i < n; i++)
		if (vfs_path_within(p, len, hm[i].point, hm[i].point_len) && (!best || hm[i].point_len >= best->point_len))
			best = &hm[i];
	return best;
}

/* `root`'s path joined with what follows `point` in `path`. */
static void entry_root(char *out, size_t size, const struct host_mount *m, const char *path)
{
	const char *tail = path + (m->point_len == 1 ? 0 : m->point_len);
	struct strbuf b = STRBUF_INIT;
	if (strcmp(m->root, "/") != 0 || !*tail)
		strbuf_puts(&b, m->root);
	escape(&b, tail);
	snprintf(out, size, "%s", b.s ? b.s : "/");
	strbuf_free(&b);
}

/* Whether a mount of the view deeper than mount `at` covers guest path g. */
static bool covered(const struct vfs_table *t, int at, const char *g)
{
	size_t len = strlen(g);
	for (uint32_t j = 0; j < t->nmounts; j++) {
		const struct vfs_mount *m = &t->mounts[j];
		if ((int)j != at && !(m->flags & VFS_MOUNT_SYNTHETIC) && m->guest_len > t->mounts[at].guest_len &&
		    vfs_path_within(g, len, vfs_mount_guest(t, (int)j), m->guest_len))
			return true;
	}
	return false;
}

struct build {
	struct entry *e;
	size_t n, cap;
	int next_id;
};

static struct entry *add(struct build *b)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct entry *e = realloc(b->e, cap * sizeof(*e));
		if (!e)
			return NULL;
		b->e = e;
		b->cap = cap;
	}
	struct entry *e = &b->e[b->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* Mount i of the view, then the host mounts below its host path. */
static int add_mount(struct build *b, const struct vfs_table *t, int i, const struct host_mount *hm, size_t n)
{
	const char *host = vfs_mount_host(t, i), *guest = vfs_mount_guest(t, i);
	size_t host_len = t->mounts[i].host_len;
	const struct host_mount *m = holder(hm, n, host);
	if (!m)
		return 0;
	struct entry *e = add(b);
	if (!e)
		return -ENOMEM;
	/* A host mount bound onto its own path keeps its ID, and so do the
	 * host mounts below it. */
	bool same = !strcmp(host, guest) && m->point_len == host_len && !strcmp(m->point, host);
	bool ro = t->mounts[i].flags & VFS_MOUNT_RO;
	e->m = m;
	e->id = i == 0 || same ? m->id : b->next_id++;
	e->parent = m->parent; /* the root's; link_parents() sets the others' */
	e->ro = ro;
	entry_root(e->root, sizeof(e->root), m, host);
	snprintf(e->point, sizeof(e->point), "%s", guest);
	for (size_t k = 0; k < n; k++) {
		/* (Another at the host path itself is one the holder covers.) */
		if (hm[k].point_len == host_len || !vfs_path_within(hm[k].point, hm[k].point_len, host, host_len))
			continue;
		char g[VFS_PATH_MAX];
		const char *tail = hm[k].point + (host_len == 1 ? 0 : host_len);
		if (snprintf(g, sizeof(g), "%s%s", strcmp(guest, "/") ? guest : "", tail) >= (int)sizeof(g) ||
		    covered(t, i, g))
			continue;
		struct entry *s = add(b);
		if (!s)
			return -ENOMEM;
		s->m = &hm[k];
		s->id = i == 0 || same ? hm[k].id : b->next_id++;
		s->ro = ro;
		snprintf(s->root, sizeof(s->root), "%s", hm[k].root);
		snprintf(s->point, sizeof(s->point), "%s", g[0] ? g : "/");
	}
	return 0;
}

/* Each entry's parent: the one before it whose mount point is the
 * deepest over its own (an earlier one at the same point: the mount it
 * covers). The root keeps the host's. */
static void link_parents(struct build *b)
{
	for (size_t i = 1; i < b->n; i++) {
		struct entry *e = &b->e[i];
		size_t len = strlen(e->point), best = 0;
		e->parent = b->e[0].id;
		for (size_t k = 0; k < i; k++) {
			size_t pl = strlen(b->e[k].point);
			if (vfs_path_within(e->point, len, b->e[k].point, pl) && pl >= best) {
				best = pl;
				e->parent = b->e[k].id;
			}
		}
	}
}

/* "rw" or "ro" first, as the kernel puts it, then what follows it in o. */
static const char *after_rw(const char *o)
{
	return (!strncmp(o, "rw", 2) || !strncmp(o, "ro", 2)) && (o[2] == ',' || !o[2]) ? o + 2 : NULL;
}

/* The mount's own options, read-only where the view's mount is. */
static void put_opts(struct strbuf *out, const struct entry *e)
{
	const char *o = e->m->opts, *rest = after_rw(o);
	strbuf_puts(out, e->ro || !strncmp(o, "ro", 2) ? "ro" : "rw");
	if (rest)
		strbuf_puts(out, rest);
	else if (*o)
		strbuf_printf(out, ",%s", o);
}

static void put_mountinfo(struct strbuf *out, const struct entry *e)
{
	strbuf_printf(out, "%d %d %s %s ", e->id, e->parent, e->m->majmin, e->root);
	escape(out, e->point);
	strbuf_putc(out, ' ');
	put_opts(out, e);
	if (*e->m->optional)
		strbuf_printf(out, " %s", e->m->optional);
	strbuf_printf(out, " - %s %s %s\n", e->m->type, e->m->source, e->m->super);
}

/* /proc/PID/mounts: SOURCE POINT TYPE OPTIONS 0 0, the options the
 * mount's and then its file system's. */
static void put_mounts(struct strbuf *out, const struct entry *e)
{
	strbuf_printf(out, "%s ", e->m->source);
	escape(out, e->point);
	strbuf_printf(out, " %s ", e->m->type);
	put_opts(out, e);
	const char *rest = after_rw(e->m->super);
	if (rest)
		strbuf_puts(out, rest);
	else if (*e->m->super)
		strbuf_printf(out, ",%s", e->m->super);
	strbuf_puts(out, " 0 0\n");
}

int view_mounts_file(struct facet_session *s, bool legacy)
{
	const struct vfs_table *t = s->vs->table;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	struct host_mount *hm = NULL;
	char **lines = NULL;
	size_t n = 0, cap = 0;
	int r = 0, max_id = 0;
	char *line = NULL;
	size_t size = 0;
	while (r == 0 && getline(&line, &size, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			struct host_mount *h = realloc(hm, cap * sizeof(*hm));
			char **l = h ? realloc(lines, cap * sizeof(*lines)) : NULL;
			if (h)
				hm = h;
			if (!h || !l) {
				r = -ENOMEM;
				break;
			}
			lines = l;
		}
		if (!(lines[n] = strdup(line))) {
			r = -ENOMEM;
			break;
		}
		if (parse_line(lines[n], &hm[n])) {
			if (hm[n].id > max_id)
				max_id = hm[n].id;
			n++;
		} else {
			free(lines[n]);
		}
	}
	free(line);
	fclose(f);
	struct build b = { .next_id = max_id + 1 };
	for (uint32_t i = 0; r == 0 && i < t->nmounts; i++)
		if (!(t->mounts[i].flags & VFS_MOUNT_SYNTHETIC))
			r = add_mount(&b, t, (int)i, hm, n);
	struct strbuf out = STRBUF_INIT;
	if (r == 0 && b.n == 0)
		r = -EIO; /* the host's table was unreadable */
	if (r == 0) {
		link_parents(&b);
		for (size_t i = 0; i < b.n; i++)
			(legacy ? put_mounts : put_mountinfo)(&out, &b.e[i]);
		r = view_sealed_file(legacy ? "mounts" : "mountinfo", out.s, out.len);
	}
	strbuf_free(&out);
	free(b.e);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(hm);
	return r;
}
