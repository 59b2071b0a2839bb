/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The text of --fakeroot-state FILE: parsed, merged and written (state.h). */
#include <errno.h>
#include <inttypes.h>
#include <linux/limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "core/fakeroot/fakeroot.h"
#include "core/fakeroot/state.h"

#define NTOKENS 8 /* DEV INO BTIME FIELDS UID GID MODE RDEV */
#define XTOKENS 6 /* x DEV INO BTIME NAME VALUE */

struct tok {
	const char *s;
	size_t n;
};

static bool is(const struct tok *t, const char *word)
{
	return t->n == strlen(word) && memcmp(t->s, word, t->n) == 0;
}

/* Digits only, at most max: no sign, no space, no prefix. */
static bool number(const char *s, size_t n, unsigned base, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d >= base || v > (max - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static bool tok_number(const struct tok *t, unsigned base, uint64_t max, uint64_t *out)
{
	return number(t->s, t->n, base, max, out);
}

/* MAJOR:MINOR, in the kernel's encoding. */
static bool device(const struct tok *t, uint64_t *out)
{
	const char *colon = memchr(t->s, ':', t->n);
	uint64_t maj, min;
	if (!colon || !number(t->s, (size_t)(colon - t->s), 10, UINT32_MAX, &maj) ||
	    !number(colon + 1, t->n - (size_t)(colon + 1 - t->s), 10, UINT32_MAX, &min))
		return false;
	*out = makedev((unsigned)maj, (unsigned)min);
	return true;
}

/* SECONDS.NANOSECONDS as statx gives them (seconds may be negative), or
 * - (*has false). */
static bool birth(const struct tok *t, bool *has, int64_t *sec_out, uint32_t *nsec_out)
{
	*has = false;
	if (is(t, "-"))
		return true;
	bool neg = t->n > 0 && t->s[0] == '-';
	const char *s = t->s + neg, *dot = memchr(s, '.', t->n - neg);
	uint64_t sec, nsec;
	size_t nsec_len = dot ? t->n - (size_t)(dot + 1 - t->s) : 0;
	if (!dot || nsec_len != 9 || !number(s, (size_t)(dot - s), 10, INT64_MAX, &sec) ||
	    !number(dot + 1, nsec_len, 10, 999999999, &nsec))
		return false;
	*has = true;
	*sec_out = neg ? -(int64_t)sec : (int64_t)sec;
	*nsec_out = (uint32_t)nsec;
	return true;
}

static const struct {
	char letter;
	uint32_t field;
} letters[] = { { 'u', OWNER_UID }, { 'g', OWNER_GID }, { 'm', OWNER_MODE }, { 't', OWNER_TYPE } };

static bool field_set(const struct tok *t, uint32_t *out)
{
	uint32_t set = 0;
	for (size_t i = 0; i < t->n; i++) {
		uint32_t f = 0;
		for (size_t j = 0; j < sizeof(letters) / sizeof(letters[0]); j++)
			if (t->s[i] == letters[j].letter)
				f = letters[j].field;
		if (!f || (set & f))
			return false;
		set |= f;
	}
	*out = set;
	return set != 0;
}

static bool file_type(uint32_t type)
{
	switch (type) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return true;
	default:
		return false;
	}
}

/* The mode's bits: the type's with t, the permission bits with m. */
static bool mode_of(const struct tok *t, uint32_t fields, uint32_t *out)
{
	uint64_t v;
	if (!tok_number(t, 8, 0177777, &v))
		return false;
	uint32_t type = (uint32_t)v & S_IFMT, perm = (uint32_t)v & 07777;
	if ((fields & OWNER_TYPE) ? !file_type(type) : type != 0)
		return false;
	if (!(fields & OWNER_MODE) && perm)
		return false;
	*out = (uint32_t)v;
	return true;
}

#define BAD_DEV "bad DEV (MAJOR:MINOR)"
#define BAD_INO "bad INO"
#define BAD_BTIME "bad BTIME (SECONDS.NANOSECONDS with nine digits, or -)"

/* One record's line, split: NULL, or what is wrong with it. */
static const char *record(const struct tok *tk, size_t nt, struct owner_rec *r)
{
	uint64_t v = 0;
	*r = (struct owner_rec){ 0 };
	if (nt != NTOKENS)
		return "a record has 8 fields: DEV INO BTIME FIELDS UID GID MODE RDEV";
	if (!device(&tk[0], &r->dev))
		return BAD_DEV;
	if (!tok_number(&tk[1], 10, FAKEROOT_TOMBSTONE - 1, &r->ino) || r->ino == 0)
		return BAD_INO;
	bool has;
	if (!birth(&tk[2], &has, &r->btime_sec, &r->btime_nsec))
		return BAD_BTIME;
	r->fields |= has ? OWNER_BTIME : 0;
	uint32_t f;
	if (!field_set(&tk[3], &f))
		return "bad FIELDS (some of the letters u g m t, each once)";
	r->fields |= f;
	/* A field the record does not set is -; one it sets is a value. */
	if ((f & OWNER_UID) ? !tok_number(&tk[4], 10, UINT32_MAX - 1, &v) : !is(&tk[4], "-"))
		return "bad UID (a number with u in FIELDS, else -)";
	r->uid = (uint32_t)v;
	if ((f & OWNER_GID) ? !tok_number(&tk[5], 10, UINT32_MAX - 1, &v) : !is(&tk[5], "-"))
		return "bad GID (a number with g in FIELDS, else -)";
	r->gid = (uint32_t)v;
	if ((f & (OWNER_MODE | OWNER_TYPE)) ? !mode_of(&tk[6], f, &r->mode) : !is(&tk[6], "-"))
		return "bad MODE (octal: a file type with t, permission bits with m, else -)";
	if ((f & OWNER_TYPE) ? !device(&tk[7], &r->rdev) : !is(&tk[7], "-"))
		return "bad RDEV (MAJOR:MINOR with t in FIELDS, else -)";
	return NULL;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A name as written, its %XX escapes undone into name: false if it is
 * not one (a byte outside ! to ~, a bad escape, NUL, too long). */
static bool unescape(const struct tok *t, char name[XATTR_NAME_MAX + 1])
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++, n++) {
		unsigned char c = (unsigned char)t->s[i];
		if (n == XATTR_NAME_MAX || c <= ' ' || c > '~')
			return false;
		if (c == '%') {
			int hi = i + 2 < t->n ? hex_digit(t->s[i + 1]) : -1, lo = hi >= 0 ? hex_digit(t->s[i + 2]) : -1;
			if (lo < 0 || (hi | lo) == 0)
				return false;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		name[n] = (char)c;
	}
	name[n] = '\0';
	return n > 0;
}

static bool hex_value(const struct tok *t)
{
	if (is(t, "-"))
		return true;
	if (t->n % 2 || t->n > 2 * (size_t)XATTR_SIZE_MAX)
		return false;
	for (size_t i = 0; i < t->n; i++)
		if (hex_digit(t->s[i]) < 0)
			return false;
	return true;
}

/* One attribute's line, split: NULL, or what is wrong with it. Its name
 * goes to name, undone; its value is checked, left in tk[5]. */
static const char *attribute(const struct tok *tk, size_t nt, struct fakeroot_xattr *x,
			     char name[XATTR_NAME_MAX + 1])
{
	*x = (struct fakeroot_xattr){ 0 };
	if (nt != XTOKENS)
		return "an attribute has 6 fields: x DEV INO BTIME NAME VALUE";
	if (!device(&tk[1], &x->file.dev))
		return BAD_DEV;
	if (!tok_number(&tk[2], 10, FAKEROOT_TOMBSTONE - 1, &x->file.ino) || x->file.ino == 0)
		return BAD_INO;
	bool has;
	if (!birth(&tk[3], &has, &x->file.btime_sec, &x->file.btime_nsec))
		return BAD_BTIME;
	x->file.has_btime = has;
	if (!unescape(&tk[4], name) || !fakeroot_xattr_recorded(name))
		return "bad NAME (security.* or trusted.*, each byte outside ! to ~ and % as %XX)";
	if (!hex_value(&tk[5]))
		return "bad VALUE (hexadecimal, two digits a byte, or - for none)";
	return NULL;
}

/* The words of the line [p, end), at most max + 1 of them. */
static size_t split(const char *p, const char *end, struct tok *tk, size_t max)
{
	size_t n = 0;
	while (p < end && n <= max) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		const char *w = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		tk[n++] = (struct tok){ w, (size_t)(p - w) };
	}
	return n;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct state_error *err, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err->line = line;
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int push(struct state_recs *l, const struct owner_rec *r)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct owner_rec *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *r;
	return 0;
}

/* Room for one more attribute in l: where it goes (l->nx is the caller's
 * to count it), or NULL. */
static struct fakeroot_xattr *grow_x(struct state_recs *l)
{
	if (l->nx == l->xcap) {
		size_t cap = l->xcap ? l->xcap * 2 : 64;
		struct fakeroot_xattr *v = realloc(l->x, cap * sizeof(*v));
		if (!v)
			return NULL;
		l->x = v;
		l->xcap = cap;
	}
	return &l->x[l->nx];
}

/* Adds the attribute x with its name and the value tok holds, checked. */
static int push_x(struct state_recs *l, const struct fakeroot_xattr *x, const char *name, const struct tok *value)
{
	struct fakeroot_xattr *n = grow_x(l);
	if (!n)
		return -ENOMEM;
	*n = *x;
	n->size = is(value, "-") ? 0 : value->n / 2;
	n->name = strdup(name);
	n->value = malloc(n->size ? n->size : 1);
	if (!n->name || !n->value) {
		free(n->name);
		free(n->value);
		return -ENOMEM;
	}
	unsigned char *v = n->value;
	for (size_t i = 0; i < n->size; i++)
		v[i] = (unsigned char)(hex_digit(value->s[2 * i]) << 4 | hex_digit(value->s[2 * i + 1]));
	l->nx++;
	return 0;
}

static int by_file(const void *a, const void *b)
{
	const struct owner_rec *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* By device, inode number and name; a removal of all of a file's names
 * (name NULL) first. */
static int by_name(const void *a, const void *b)
{
	const struct fakeroot_xattr *x = a, *y = b;
	if (x->file.dev != y->file.dev)
		return x->file.dev < y->file.dev ? -1 : 1;
	if (x->file.ino != y->file.ino)
		return x->file.ino < y->file.ino ? -1 : 1;
	if (!x->name || !y->name)
		return !y->name - !x->name;
	return strcmp(x->name, y->name);
}

/* A name as written: % and the bytes outside ! to ~ as %XX. */
static void escape(const char *name, char out[3 * XATTR_NAME_MAX + 1])
{
	char *p = out;
	for (const unsigned char *c = (const unsigned char *)name; *c && p < out + 3 * XATTR_NAME_MAX; c++)
		if (*c <= ' ' || *c > '~' || *c == '%')
			p += sprintf(p, "%%%02X", *c);
		else
			*p++ = (char)*c;
	*p = '\0';
}

static int header(const struct tok *tk, size_t nt, uint64_t *version, struct state_error *err)
{
	if (nt != 2 || !is(&tk[0], STATE_MAGIC) || !tok_number(&tk[1], 10, UINT32_MAX, version))
		return fail(err, 1, "not a fake root state file (the first line is not '%s %d')", STATE_MAGIC,
			    STATE_VERSION);
	if (*version < 1 || *version > STATE_VERSION)
		return fail(err, 1, "version %" PRIu64 " of the format, which this facet does not read (it reads 1 "
			    "to %d)", *version, STATE_VERSION);
	return 0;
}

/* The records and attributes, each with its line number in `dirty` until
 * they are sorted and checked for a file recorded twice (a file's name,
 * for attributes). */
static int check_unique(struct state_recs *l, struct state_error *err)
{
	qsort(l->v, l->n, sizeof(l->v[0]), by_file);
	for (size_t i = 1; i < l->n; i++) {
		const struct owner_rec *a = &l->v[i - 1], *b = &l->v[i];
		if (a->dev == b->dev && a->ino == b->ino)
			return fail(err, a->dirty > b->dirty ? a->dirty : b->dirty,
				    "a second record of device %u:%u inode %" PRIu64 " (the first is on line %u)",
				    major(a->dev), minor(a->dev), a->ino, a->dirty < b->dirty ? a->dirty : b->dirty);
	}
	for (size_t i = 0; i < l->n; i++)
		l->v[i].dirty = 0;
	if (l->nx)
		qsort(l->x, l->nx, sizeof(l->x[0]), by_name);
	for (size_t i = 1; i < l->nx; i++) {
		const struct fakeroot_xattr *a = &l->x[i - 1], *b = &l->x[i];
		if (by_name(a, b) == 0) {
			char name[3 * XATTR_NAME_MAX + 1];
			escape(a->name, name);
			return fail(err, a->dirty > b->dirty ? a->dirty : b->dirty,
				    "a second attribute %s of device %u:%u inode %" PRIu64 " (the first is on line %u)",
				    name, major(a->file.dev), minor(a->file.dev), a->file.ino,
				    a->dirty < b->dirty ? a->dirty : b->dirty);
		}
	}
	for (size_t i = 0; i < l->nx; i++)
		l->x[i].dirty = 0;
	return 0;
}

static int parse(const char *text, size_t len, struct state_recs *out, struct state_error *err)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;
	uint64_t version = 0;
	bool ended = false;
	if (len == 0)
		return fail(err, 1, "the file is empty (a state file starts with '%s %d')", STATE_MAGIC, STATE_VERSION);
	while (p < end) {
		line++;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return fail(err, line, "the last line has no newline: the file is truncated");
		if (memchr(p, '\0', (size_t)(nl - p)))
			return fail(err, line, "a NUL byte: this is not a text file");
		struct tok tk[NTOKENS + 1];
		size_t nt = split(p, nl, tk, NTOKENS);
		p = nl + 1;
		int r;
		if (line == 1) {
			if ((r = header(tk, nt, &version, err)) < 0)
				return r;
			continue;
		}
		if (ended)
			return fail(err, line, "text after the 'end' line");
		if (nt == 0 || tk[0].s[0] == '#')
			continue;
		uint64_t count;
		if (is(&tk[0], "end")) {
			if (nt != 2 || !tok_number(&tk[1], 10, UINT64_MAX, &count))
				return fail(err, line, "bad 'end' line (it is 'end N', N the number of records and "
					    "attributes)");
			if (count != out->n + out->nx)
				return fail(err, line, "'end %" PRIu64 "' but %zu records and %zu attributes: the file "
					    "is damaged", count, out->n, out->nx);
			ended = true;
			continue;
		}
		if (is(&tk[0], "x")) {
			struct fakeroot_xattr x;
			char name[XATTR_NAME_MAX + 1];
			const char *what = version < 2 ? "an attribute (x) in a file of version 1, which has none"
						       : attribute(tk, nt, &x, name);
			if (what)
				return fail(err, line, "%s", what);
			x.dirty = line;
			if ((r = push_x(out, &x, name, &tk[5])) < 0)
				return r;
			continue;
		}
		struct owner_rec rec;
		const char *what = record(tk, nt, &rec);
		if (what)
			return fail(err, line, "%s", what);
		rec.dirty = line;
		if ((r = push(out, &rec)) < 0)
			return r;
	}
	if (!ended)
		return fail(err, line, "no 'end' line after the last: the file is truncated");
	return check_unique(out, err);
}

int state_parse(const char *text, size_t len, struct state_recs *out, struct state_error *err)
{
	*out = (struct state_recs){ 0 };
	int r = parse(text, len, out, err);
	if (r < 0)
		state_free(out);
	return r;
}

static bool is_free(const struct owner_rec *r)
{
	return r->dev == 0 && r->ino == 0;
}

int state_changed(const struct owners_table *t)
{
	for (uint32_t i = 0, seen = 0; i < OWNERS_SLOTS && seen < t->h.used; i++) {
		seen += !is_free(&t->slot[i]);
		if (!is_free(&t->slot[i]) && t->slot[i].dirty)
			return 1;
	}
	return 0;
}

static struct owner_rec *find(struct state_recs *l, uint64_t dev, uint64_t ino)
{
	struct owner_rec key = { .dev = dev, .ino = ino };
	return l->n ? bsearch(&key, l->v, l->n, sizeof(key), by_file) : NULL;
}

/* One pass over the table's used slots: removals (tombstones) or records. */
static int apply(struct state_recs *file, struct state_recs *added, const struct owners_table *t, bool removals,
		 size_t *changes)
{
	for (uint32_t i = 0, seen = 0; i < OWNERS_SLOTS && seen < t->h.used; i++) {
		const struct owner_rec *r = &t->slot[i];
		if (is_free(r))
			continue;
		seen++;
		bool tomb = r->ino == FAKEROOT_TOMBSTONE;
		if (!r->dirty || tomb != removals)
			continue;
		++*changes;
		struct owner_rec *f = find(file, r->dev, tomb ? r->rdev : r->ino);
		if (tomb) {
			/* Not a record saved since for a new file with the inode
			 * number, where both birth times are known. */
			bool other = f && (r->fields & OWNER_BTIME) && (f->fields & OWNER_BTIME) &&
				     (f->btime_sec != r->btime_sec || f->btime_nsec != r->btime_nsec);
			if (f && !other)
				f->fields = 0; /* dropped when the list is compacted */
			continue;
		}
		struct owner_rec n = *r;
		n.dirty = 0;
		if (f)
			*f = n;
		else if (push(added, &n) < 0)
			return -ENOMEM;
	}
	return 0;
}

int state_merge(struct state_recs *file, const struct owners_table *t, size_t *changes)
{
	struct state_recs added = { 0 };
	*changes = 0;
	/* Removals first: a file removed and a new one that got its inode
	 * number, recorded since, leave the new one's record. */
	int r = apply(file, &added, t, true, changes);
	if (r == 0)
		r = apply(file, &added, t, false, changes);
	for (size_t i = 0; r == 0 && i < added.n; i++)
		r = push(file, &added.v[i]);
	state_free(&added);
	if (r < 0)
		return r;
	size_t n = 0;
	for (size_t i = 0; i < file->n; i++)
		if (file->v[i].fields)
			file->v[n++] = file->v[i];
	file->n = n;
	qsort(file->v, file->n, sizeof(file->v[0]), by_file);
	return 0;
}

/* The first attribute of file (dev, ino) in l (sorted) with a name not
 * before `name` (NULL: the file's first), or l->nx. */
static size_t first_of(const struct state_recs *l, uint64_t dev, uint64_t ino, const char *name)
{
	struct fakeroot_xattr key = { .file = { .dev = dev, .ino = ino }, .name = (char *)name };
	size_t lo = 0, hi = l->nx;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (by_name(&l->x[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A removal of this session: the file's attribute of that name, or all of
 * them (name NULL), are marked gone, and leave when the list is compacted. */
static void remove_x(struct state_recs *file, const struct fakeroot_xattr *x)
{
	uint64_t dev = x->file.dev, ino = x->file.ino;
	for (size_t i = first_of(file, dev, ino, x->name); i < file->nx; i++) {
		struct fakeroot_xattr *f = &file->x[i];
		if (f->file.dev != dev || f->file.ino != ino || (x->name && strcmp(f->name, x->name)))
			break;
		f->gone = true;
	}
}

/* A name this session set: it replaces the file's attribute of that name,
 * or joins them (in added: the list stays sorted meanwhile). */
static int set_x(struct state_recs *file, struct state_recs *added, const struct fakeroot_xattr *x)
{
	size_t i = first_of(file, x->file.dev, x->file.ino, x->name);
	struct fakeroot_xattr *f = i < file->nx && by_name(&file->x[i], x) == 0 ? &file->x[i] : NULL;
	void *value = malloc(x->size ? x->size : 1);
	if (!value)
		return -ENOMEM;
	if (x->size)
		memcpy(value, x->value, x->size);
	if (f) {
		free(f->value);
		f->file = x->file;
		f->value = value;
		f->size = x->size;
		f->gone = false;
		return 0;
	}
	struct fakeroot_xattr *n = grow_x(added);
	char *name = n ? strdup(x->name) : NULL;
	if (!name) {
		free(value);
		return -ENOMEM;
	}
	*n = (struct fakeroot_xattr){ .file = x->file, .name = name, .value = value, .size = x->size };
	added->nx++;
	return 0;
}

int state_xattrs_changed(const struct fakeroot_xattr *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (x[i].dirty)
			return 1;
	return 0;
}

int state_merge_xattrs(struct state_recs *file, const struct fakeroot_xattr *x, size_t n, size_t *changes)
{
	struct state_recs added = { 0 };
	int r = 0;
	/* Removals first, as for records: a file removed and a new one that
	 * got its inode number, given names since, keeps them. */
	for (size_t i = 0; i < n; i++)
		if (x[i].dirty && x[i].gone) {
			remove_x(file, &x[i]);
			++*changes;
		}
	for (size_t i = 0; r == 0 && i < n; i++)
		if (x[i].dirty && !x[i].gone) {
			r = set_x(file, &added, &x[i]);
			++*changes;
		}
	size_t k = 0;
	for (size_t i = 0; i < file->nx; i++)
		if (file->x[i].gone) {
			free(file->x[i].name);
			free(file->x[i].value);
		} else {
			file->x[k++] = file->x[i];
		}
	file->nx = k;
	for (size_t i = 0; r == 0 && i < added.nx; i++) {
		struct fakeroot_xattr *slot = grow_x(file);
		if (!slot) {
			r = -ENOMEM;
			break;
		}
		*slot = added.x[i];
		added.x[i] = (struct fakeroot_xattr){ 0 };
		file->nx++;
	}
	state_free(&added);
	if (file->nx)
		qsort(file->x, file->nx, sizeof(file->x[0]), by_name);
	return r;
}

static void put_birth(char *buf, size_t size, int64_t sec, uint32_t nsec)
{
	snprintf(buf, size, "%" PRId64 ".%09" PRIu32, sec, nsec);
}

static void put_record(FILE *f, const struct owner_rec *r)
{
	char btime[32] = "-", fields[8], *p = fields, uid[16] = "-", gid[16] = "-", mode[16] = "-", rdev[32] = "-";
	if (r->fields & OWNER_BTIME)
		put_birth(btime, sizeof(btime), r->btime_sec, r->btime_nsec);
	for (size_t j = 0; j < sizeof(letters) / sizeof(letters[0]); j++)
		if (r->fields & letters[j].field)
			*p++ = letters[j].letter;
	*p = '\0';
	if (r->fields & OWNER_UID)
		snprintf(uid, sizeof(uid), "%" PRIu32, r->uid);
	if (r->fields & OWNER_GID)
		snprintf(gid, sizeof(gid), "%" PRIu32, r->gid);
	uint32_t bits = ((r->fields & OWNER_TYPE) ? r->mode & S_IFMT : 0) | ((r->fields & OWNER_MODE) ? r->mode & 07777 : 0);
	if (r->fields & (OWNER_TYPE | OWNER_MODE))
		snprintf(mode, sizeof(mode), "%" PRIo32, bits);
	if (r->fields & OWNER_TYPE)
		snprintf(rdev, sizeof(rdev), "%u:%u", major(r->rdev), minor(r->rdev));
	fprintf(f, "%u:%u %" PRIu64 " %s %s %s %s %s %s\n", major(r->dev), minor(r->dev), r->ino, btime, fields, uid,
		gid, mode, rdev);
}

static void put_attribute(FILE *f, const struct fakeroot_xattr *x)
{
	char btime[32] = "-", name[3 * XATTR_NAME_MAX + 1];
	if (x->file.has_btime)
		put_birth(btime, sizeof(btime), x->file.btime_sec, x->file.btime_nsec);
	escape(x->name, name);
	fprintf(f, "x %u:%u %" PRIu64 " %s %s ", major(x->file.dev), minor(x->file.dev), x->file.ino, btime, name);
	const unsigned char *v = x->value;
	for (size_t i = 0; i < x->size; i++)
		fprintf(f, "%02x", v[i]);
	fputs(x->size ? "\n" : "-\n", f);
}

int state_write(FILE *f, const struct state_recs *l)
{
	fprintf(f, "%s %d\n# DEV INO BTIME FIELDS UID GID MODE RDEV: see facet(1), FAKE ROOT\n"
		"# x DEV INO BTIME NAME VALUE: an extended attribute\n", STATE_MAGIC, STATE_VERSION);
	for (size_t i = 0; i < l->n; i++)
		put_record(f, &l->v[i]);
	for (size_t i = 0; i < l->nx; i++)
		put_attribute(f, &l->x[i]);
	fprintf(f, "end %zu\n", l->n + l->nx);
	return ferror(f) ? -EIO : 0;
}

void state_free(struct state_recs *l)
{
	free(l->v);
	for (size_t i = 0; i < l->nx; i++) {
		free(l->x[i].name);
		free(l->x[i].value);
	}
	free(l->x);
	*l = (struct state_recs){ 0 };
}
