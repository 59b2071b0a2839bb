/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks the text of --fakeroot-state FILE (src/core/fakeroot/state.h):
 * what is written reads back the same, every damaged text is refused
 * with its line, and a save applies only the session's changes to what
 * the file holds by then. The files and locks are the integration test's
 * (tests/integration/fakeroot-state.sh).
 *
 * Exit status: 0 all checks passed, 1 at least one failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "core/fakeroot/fakeroot.h"
#include "core/fakeroot/state.h"

static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	failures++;
}

static char *text_of(const struct state_recs *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f || state_write(f, l) < 0 || fclose(f) != 0) {
		fprintf(stderr, "open_memstream failed\n");
		exit(1);
	}
	return buf;
}

static struct owner_rec rec(unsigned maj, unsigned min, uint64_t ino, uint32_t fields, uint32_t uid, uint32_t gid,
			    uint32_t mode, uint64_t rdev)
{
	return (struct owner_rec){ .dev = makedev(maj, min), .ino = ino, .fields = fields, .uid = uid, .gid = gid,
				   .mode = mode, .rdev = rdev };
}

#define HEAD "facet-fakeroot-state 2\n"
#define HEAD1 "facet-fakeroot-state 1\n"
#define COLS "# DEV INO BTIME FIELDS UID GID MODE RDEV: see facet(1), FAKE ROOT\n" \
	     "# x DEV INO BTIME NAME VALUE: an extended attribute\n"

static void round_trip(void)
{
	struct owner_rec v[] = {
		rec(8, 1, 20, OWNER_MODE | OWNER_TYPE, 0, 0, S_IFCHR | 0644, makedev(1, 3)),
		rec(8, 1, 10, OWNER_UID | OWNER_GID | OWNER_BTIME, 0, 42, 0, 0),
		rec(259, 70000, 5, OWNER_TYPE, 0, 0, S_IFBLK, makedev(8, 0)),
		rec(8, 1, 11, OWNER_MODE | OWNER_BTIME, 0, 0, 04755, 0),
	};
	v[1].btime_sec = 1700000000;
	v[1].btime_nsec = 5;
	v[3].btime_sec = -2;
	v[3].btime_nsec = 500000000;
	const char *want = HEAD COLS "8:1 10 1700000000.000000005 ug 0 42 - -\n"
				     "8:1 11 -2.500000000 m - - 4755 -\n"
				     "8:1 20 - mt - - 20644 1:3\n"
				     "259:70000 5 - t - - 60000 8:0\n"
				     "end 4\n";
	struct state_recs l = { 0 }, back;
	struct state_error err;
	size_t changes;
	/* The merge sorts: an empty file and a table of the four records. */
	struct owners_table *t = calloc(1, OWNERS_SIZE(16));
	t->h.nslots = 16;
	for (size_t i = 0; i < 4; i++) {
		t->slot[i * 3] = v[i];
		t->slot[i * 3].dirty = 1;
	}
	t->h.used = 4;
	if (state_merge(&l, t, &changes) < 0 || changes != 4)
		fail("merge into an empty file: %zu changes", changes);
	char *text = text_of(&l);
	if (strcmp(text, want) != 0)
		fail("written:\n%s\nexpected:\n%s", text, want);
	if (state_parse(text, strlen(text), &back, &err) < 0)
		fail("reading back: line %u: %s", err.line, err.what);
	else if (back.n != l.n || memcmp(back.v, l.v, l.n * sizeof(l.v[0])) != 0)
		fail("what is read back differs from what was written");
	state_free(&back);
	state_free(&l);
	free(text);
	free(t);
}

/* A text of len bytes that must be refused at line `line` with a message
 * starting `what`. */
static void bad_len(const char *text, size_t len, unsigned line, const char *what)
{
	struct state_recs l;
	struct state_error err;
	int r = state_parse(text, len, &l, &err);
	if (r != -EINVAL)
		fail("accepted (%d): %s", r, text);
	else if (err.line != line || strncmp(err.what, what, strlen(what)) != 0)
		fail("[%s]: line %u: %s; expected line %u: %s", text, err.line, err.what, line, what);
}

static void bad(const char *text, unsigned line, const char *what)
{
	bad_len(text, strlen(text), line, what);
}

static void good(const char *text, size_t n)
{
	struct state_recs l;
	struct state_error err;
	if (state_parse(text, strlen(text), &l, &err) < 0)
		fail("[%s] refused: line %u: %s", text, err.line, err.what);
	else if (l.n != n)
		fail("[%s]: %zu records, expected %zu", text, l.n, n);
	else
		state_free(&l);
}

static void damaged(void)
{
	good(HEAD "end 0\n", 0);
	good(HEAD "\n# a comment\n  8:1  7\t-  u 0 - - -\nend 1\n", 1);
	bad("", 1, "the file is empty");
	bad("facet-fakeroot-state 1", 1, "the last line has no newline");
	good(HEAD1 "8:1 7 - u 0 - - -\nend 1\n", 1);
	bad("facet-fakeroot-state 3\nend 0\n", 1, "version 3 of the format");
	bad("facet-fakeroot-state 0\nend 0\n", 1, "version 0 of the format");
	bad("facet-fakeroot-state\nend 0\n", 1, "not a fake root state file");
	bad("#!/bin/sh\nend 0\n", 1, "not a fake root state file");
	bad(HEAD, 1, "no 'end' line");
	bad(HEAD "8:1 7 - u 0 - - -\n", 2, "no 'end' line");
	bad(HEAD "8:1 7 - u 0 - - -\nend 1", 3, "the last line has no newline");
	bad(HEAD "8:1 7 - u 0 - - -\nend 2\n", 3, "'end 2' but 1 records");
	bad(HEAD "end 0\n8:1 7 - u 0 - - -\n", 3, "text after the 'end' line");
	bad(HEAD "end\n", 2, "bad 'end' line");
	bad(HEAD "8:1 7 - u 0 - -\nend 1\n", 2, "a record has 8 fields");
	bad(HEAD "8:1 7 - u 0 - - - x\nend 1\n", 2, "a record has 8 fields");
	bad(HEAD "8 7 - u 0 - - -\nend 1\n", 2, "bad DEV");
	bad(HEAD "8:1x 7 - u 0 - - -\nend 1\n", 2, "bad DEV");
	bad(HEAD "8:1 0 - u 0 - - -\nend 1\n", 2, "bad INO");
	bad(HEAD "8:1 -7 - u 0 - - -\nend 1\n", 2, "bad INO");
	bad(HEAD "8:1 18446744073709551616 - u 0 - - -\nend 1\n", 2, "bad INO");
	bad(HEAD "8:1 7 12.5 u 0 - - -\nend 1\n", 2, "bad BTIME");
	bad(HEAD "8:1 7 12 u 0 - - -\nend 1\n", 2, "bad BTIME");
	bad(HEAD "8:1 7 - uu 0 - - -\nend 1\n", 2, "bad FIELDS");
	bad(HEAD "8:1 7 - x 0 - - -\nend 1\n", 2, "bad FIELDS");
	bad(HEAD "8:1 7 - u - - - -\nend 1\n", 2, "bad UID");
	bad(HEAD "8:1 7 - g 0 - - -\nend 1\n", 2, "bad UID");
	bad(HEAD "8:1 7 - u 4294967295 - - -\nend 1\n", 2, "bad UID");
	bad(HEAD "8:1 7 - g - x - -\nend 1\n", 2, "bad GID");
	bad(HEAD "8:1 7 - m - - 8 -\nend 1\n", 2, "bad MODE");
	bad(HEAD "8:1 7 - m - - 104755 -\nend 1\n", 2, "bad MODE");
	bad(HEAD "8:1 7 - t - - 644 1:3\nend 1\n", 2, "bad MODE");
	bad(HEAD "8:1 7 - t - - 20000 -\nend 1\n", 2, "bad RDEV");
	bad(HEAD "8:1 7 - u 0 - - 1:3\nend 1\n", 2, "bad RDEV");
	bad(HEAD "8:1 7 - u 0 - - -\n8:1 8 - u 0 - - -\n8:1 7 - g - 0 - -\nend 3\n", 4,
	    "a second record of device 8:1 inode 7 (the first is on line 2)");
	static const char nul[] = HEAD "8:1 7 - u 0 - - -\0\nend 1\n";
	bad_len(nul, sizeof(nul) - 1, 2, "a NUL byte");
}

static void merge(void)
{
	const char *file = HEAD "8:1 1 - u 1 - - -\n8:1 2 - u 2 - - -\n8:1 3 - u 3 - - -\n8:1 5 - u 5 - - -\nend 4\n";
	struct state_recs l;
	struct state_error err;
	if (state_parse(file, strlen(file), &l, &err) < 0) {
		fail("merge: the file: line %u: %s", err.line, err.what);
		return;
	}
	struct owners_table *t = calloc(1, OWNERS_SIZE(16));
	t->h.nslots = 16;
	/* Loaded and untouched: the file's own (1: another run changed it since). */
	t->slot[0] = rec(8, 1, 1, OWNER_UID, 100, 0, 0, 0);
	/* Removed here. */
	t->slot[1] = rec(8, 1, FAKEROOT_TOMBSTONE, 0, 0, 0, 0, 2);
	t->slot[1].dirty = 1;
	/* Changed here. */
	t->slot[5] = rec(8, 1, 3, OWNER_GID, 0, 33, 0, 0);
	t->slot[5].dirty = 1;
	/* New here: removed and then its inode number taken by a new file. */
	t->slot[9] = rec(8, 1, 4, OWNER_UID, 4, 0, 0, 0);
	t->slot[9].dirty = 1;
	t->slot[10] = rec(8, 1, FAKEROOT_TOMBSTONE, 0, 0, 0, 0, 4);
	t->slot[10].dirty = 1;
	t->h.used = 5;
	if (!state_changed(t))
		fail("state_changed: no change seen");
	size_t changes;
	if (state_merge(&l, t, &changes) < 0 || changes != 4)
		fail("merge: %zu changes, expected 4", changes);
	char *text = text_of(&l);
	const char *want = HEAD COLS "8:1 1 - u 1 - - -\n8:1 3 - g - 33 - -\n8:1 4 - u 4 - - -\n8:1 5 - u 5 - - -\nend 4\n";
	if (strcmp(text, want) != 0)
		fail("merged:\n%s\nexpected:\n%s", text, want);
	free(text);
	state_free(&l);
	for (unsigned i = 0; i < 16; i++)
		t->slot[i].dirty = 0;
	if (state_changed(t))
		fail("state_changed: a change seen in a clean table");
	free(t);
}

/* A removal with the birth time of the file it was does not drop a record
 * another run saved for a new file that got the inode number since. */
static void merge_births(void)
{
	const char *file = HEAD "8:1 7 100.000000000 u 7 - - -\n8:1 8 100.000000000 u 8 - - -\nend 2\n";
	struct state_recs l;
	struct state_error err;
	if (state_parse(file, strlen(file), &l, &err) < 0) {
		fail("merge_births: the file: line %u: %s", err.line, err.what);
		return;
	}
	struct owners_table *t = calloc(1, OWNERS_SIZE(16));
	t->h.nslots = 16;
	t->slot[0] = rec(8, 1, FAKEROOT_TOMBSTONE, OWNER_BTIME, 0, 0, 0, 7); /* another file, born at 50 */
	t->slot[0].btime_sec = 50;
	t->slot[1] = rec(8, 1, FAKEROOT_TOMBSTONE, OWNER_BTIME, 0, 0, 0, 8); /* the same file */
	t->slot[1].btime_sec = 100;
	t->slot[0].dirty = t->slot[1].dirty = 1;
	t->h.used = 2;
	size_t changes;
	if (state_merge(&l, t, &changes) < 0)
		fail("merge_births: failed");
	char *text = text_of(&l);
	const char *want = HEAD COLS "8:1 7 100.000000000 u 7 - - -\nend 1\n";
	if (strcmp(text, want) != 0)
		fail("merge_births:\n%s\nexpected:\n%s", text, want);
	free(text);
	state_free(&l);
	free(t);
}

/* --- extended attributes (x lines) ------------------------------------------ */

static struct owner_view file_at(unsigned maj, unsigned min, uint64_t ino, int64_t btime)
{
	return (struct owner_view){ .dev = makedev(maj, min), .ino = ino, .has_btime = btime != 0,
				    .btime_sec = btime };
}

/* Sets name on file in xattrs.c's list, as the tree would: 0 or fails. */
static void set(const struct owner_view *file, const char *name, const char *value)
{
	int64_t r = fakeroot_xattr_set(file, name, value, strlen(value), 0);
	if (r < 0)
		fail("set %s: %lld", name, (long long)r);
}

/* Parses text: fails and returns false if it is refused. */
static bool parsed(const char *text, struct state_recs *l)
{
	struct state_error err;
	if (state_parse(text, strlen(text), l, &err) == 0)
		return true;
	fail("[%s] refused: line %u: %s", text, err.line, err.what);
	return false;
}

/* Merges xattrs.c's list into the file `text` and compares the result
 * with `want`. */
static void merged(const char *what, const char *text, size_t n, const char *want)
{
	struct state_recs l;
	if (!parsed(text, &l))
		return;
	size_t nx, changes = 0;
	const struct fakeroot_xattr *x = fakeroot_xattr_all(&nx);
	if (state_merge_xattrs(&l, x, nx, &changes) < 0 || changes != n)
		fail("%s: %zu changes, expected %zu", what, changes, n);
	char *out = text_of(&l);
	if (strcmp(out, want) != 0)
		fail("%s: merged:\n%s\nexpected:\n%s", what, out, want);
	free(out);
	state_free(&l);
}

static void xattr_round_trip(void)
{
	struct owner_view a = file_at(8, 1, 10, 1700000000), b = file_at(8, 1, 3, 0);
	a.btime_nsec = 5;
	set(&a, "trusted.overlay.opaque", "y");
	if (fakeroot_xattr_set(&a, "security.capability", "\x01\x00\x00\x02\x00\x20\x00\x00", 8, XATTR_CREATE) < 0)
		fail("set security.capability");
	set(&b, "security.with space%\x01\xc3\xa9", "");
	set(&b, "security.selinux", "system_u:object_r:bin_t:s0");
	if (fakeroot_xattr_set(&b, "security.empty", "", 0, 0) < 0)
		fail("set security.empty");
	const char *want = HEAD COLS "8:1 3 - u 0 - - -\n"
		"x 8:1 3 - security.empty -\n"
		"x 8:1 3 - security.selinux 73797374656d5f753a6f626a6563745f723a62696e5f743a733000\n"
		"x 8:1 3 - security.with%20space%25%01%C3%A9 -\n"
		"x 8:1 10 1700000000.000000005 security.capability 0100000200200000\n"
		"x 8:1 10 1700000000.000000005 trusted.overlay.opaque 79\n"
		"end 6\n";
	/* The value of security.selinux holds its NUL: set it with one. */
	if (fakeroot_xattr_set(&b, "security.selinux", "system_u:object_r:bin_t:s0", 27, 0) < 0)
		fail("set security.selinux");
	struct state_recs l;
	if (!parsed(HEAD "8:1 3 - u 0 - - -\nend 1\n", &l))
		return;
	size_t nx, changes = 0;
	const struct fakeroot_xattr *x = fakeroot_xattr_all(&nx);
	if (state_merge_xattrs(&l, x, nx, &changes) < 0 || changes != 5)
		fail("xattrs into a file: %zu changes, expected 5", changes);
	char *text = text_of(&l);
	if (strcmp(text, want) != 0)
		fail("xattrs written:\n%s\nexpected:\n%s", text, want);
	struct state_recs back;
	if (parsed(text, &back)) {
		bool same = back.n == 1 && back.nx == l.nx;
		for (size_t i = 0; same && i < l.nx; i++) {
			const struct fakeroot_xattr *p = &l.x[i], *q = &back.x[i];
			same = !strcmp(p->name, q->name) && p->size == q->size && !memcmp(p->value, q->value, p->size) &&
			       !memcmp(&p->file, &q->file, sizeof(p->file)) && !q->dirty && !q->gone;
		}
		if (!same)
			fail("the attributes read back differ from those written");
		/* What is read back is loaded as it was, and not a change. */
		fakeroot_xattr_clear();
		for (size_t i = 0; i < back.nx; i++)
			if (fakeroot_xattr_insert(&back.x[i]) < 0)
				fail("insert %s", back.x[i].name);
		if (fakeroot_xattr_insert(&back.x[0]) != -EEXIST)
			fail("a second insert of %s", back.x[0].name);
		x = fakeroot_xattr_all(&nx);
		if (nx != 5 || state_xattrs_changed(x, nx))
			fail("loaded: %zu attributes, changed %d", nx, state_xattrs_changed(x, nx));
		char v[64];
		int64_t got = fakeroot_xattr_get(&a, "security.capability", v, sizeof(v));
		if (got != 8 || memcmp(v, "\x01\x00\x00\x02\x00\x20\x00\x00", 8) != 0)
			fail("get of a loaded attribute: %lld", (long long)got);
		state_free(&back);
	}
	free(text);
	state_free(&l);
	fakeroot_xattr_clear();
}

static void good_x(const char *text, size_t n, size_t nx)
{
	struct state_recs l;
	if (!parsed(text, &l))
		return;
	if (l.n != n || l.nx != nx)
		fail("[%s]: %zu records and %zu attributes, expected %zu and %zu", text, l.n, l.nx, n, nx);
	state_free(&l);
}

/* HEAD, one attribute line with `name` and `value`, end 1. */
static char *one(const char *name, const char *value)
{
	char *text;
	if (asprintf(&text, HEAD "x 8:1 7 - %s %s\nend 1\n", name, value) < 0)
		exit(1);
	return text;
}

static void xattr_damaged(void)
{
	good_x(HEAD "x 8:1 7 - security.a 00ff\nend 1\n", 0, 1);
	good_x(HEAD "x 8:1 7 1.000000000 trusted.b -\n8:1 7 - u 0 - - -\nend 2\n", 1, 1);
	good_x(HEAD "x 8:1 7 - security.a 00\nx 8:1 8 - security.a 00\nx 8:1 7 - trusted.a AbCd\nend 3\n", 0, 3);
	bad(HEAD1 "x 8:1 7 - security.a 00\nend 1\n", 2, "an attribute (x) in a file of version 1");
	bad(HEAD "x 8:1 7 - security.a\nend 1\n", 2, "an attribute has 6 fields");
	bad(HEAD "x 8:1 7 - security.a 00 00\nend 1\n", 2, "an attribute has 6 fields");
	bad(HEAD "x 8 7 - security.a 00\nend 1\n", 2, "bad DEV");
	bad(HEAD "x 8:1 0 - security.a 00\nend 1\n", 2, "bad INO");
	bad(HEAD "x 8:1 7 5 security.a 00\nend 1\n", 2, "bad BTIME");
	static const char *names[] = { "user.a", "security.%zz", "security.%0", "security.a%00b", "security.\xc3\xa9",
				       "security.a\rb", "%73ecurity" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *t = one(names[i], "00");
		bad(t, 2, "bad NAME");
		free(t);
	}
	static const char *values[] = { "0", "0g", "--", "+1", "0x00" };
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char *t = one("security.a", values[i]);
		bad(t, 2, "bad VALUE");
		free(t);
	}
	/* The longest name (255 bytes) and value (64 KiB), and one more. */
	char name[300] = "security.", *value = malloc(2 * 65536 + 3);
	memset(name + 9, 'n', 246);
	memset(value, 'f', 2 * 65536);
	value[2 * 65536] = '\0';
	char *t = one(name, value);
	good_x(t, 0, 1);
	free(t);
	strcpy(name + 9 + 246, "n");
	t = one(name, "00");
	bad(t, 2, "bad NAME");
	free(t);
	strcpy(value + 2 * 65536, "00");
	t = one("security.a", value);
	bad(t, 2, "bad VALUE");
	free(t);
	free(value);
	bad(HEAD "x 8:1 7 - security.a 00\nx 8:1 7 - security.b 00\nx 8:1 7 5.000000000 security.%61 01\nend 3\n", 4,
	    "a second attribute security.a of device 8:1 inode 7 (the first is on line 2)");
	bad(HEAD "8:1 7 - u 0 - - -\nx 8:1 7 - security.a 00\nend 1\n", 4, "'end 1' but 1 records and 1 attributes");
	bad(HEAD "x 8:1 7 - security.a 00\n", 2, "no 'end' line");
	bad(HEAD "x 8:1 7 - security.a 0", 2, "the last line has no newline");
}

/* xattrs.c's list as a session leaves it, merged into what another run
 * saved meanwhile. */
static void xattr_merge(void)
{
	const char *file = HEAD
		"x 8:1 1 - security.a 61\n"               /* loaded, removed here */
		"x 8:1 1 - security.b 62\n"               /* loaded, untouched */
		"x 8:1 1 - security.c 63\n"               /* another run's */
		"x 8:1 2 - security.x 78\n"               /* loaded; the file is removed here */
		"x 8:1 2 - trusted.y 79\n"                /* another run's, goes with the file */
		"x 8:1 4 - security.v 6262\n"             /* loaded as aa, set here */
		"x 8:1 5 - security.o 6f\n"               /* another run's; 5 removed and reused here */
		"x 8:1 6 100.000000000 security.s 6f\n"   /* loaded; deleted outside facet, reused */
		"x 8:1 8 - security.w 6262\n"             /* loaded as aa, another run's bb since */
		"x 8:1 9 - security.q 71\n"               /* another run's */
		"end 10\n";
	const char *loaded = HEAD
		"x 8:1 1 - security.a 61\nx 8:1 1 - security.b 62\nx 8:1 2 - security.x 78\n"
		"x 8:1 4 - security.v 6161\nx 8:1 6 100.000000000 security.s 6f\nx 8:1 8 - security.w 6161\nend 6\n";
	struct state_recs l;
	if (!parsed(loaded, &l))
		return;
	for (size_t i = 0; i < l.nx; i++)
		if (fakeroot_xattr_insert(&l.x[i]) < 0)
			fail("insert %s", l.x[i].name);
	state_free(&l);
	struct owner_view f1 = file_at(8, 1, 1, 0), f2 = file_at(8, 1, 2, 0), f3 = file_at(8, 1, 3, 0),
			  f4 = file_at(8, 1, 4, 0), f5 = file_at(8, 1, 5, 100), f5new = file_at(8, 1, 5, 200),
			  f6 = file_at(8, 1, 6, 100), f6new = file_at(8, 1, 6, 200), f7 = file_at(8, 1, 7, 0);
	if (fakeroot_xattr_remove(&f1, "security.a") < 0)
		fail("remove security.a");
	fakeroot_xattr_forget(f2.dev, f2.ino);
	set(&f3, "trusted.t", "t");
	set(&f4, "security.v", "new");
	set(&f5, "security.p", "p");
	fakeroot_xattr_forget(f5.dev, f5.ino);
	set(&f5new, "security.n", "n");
	set(&f6new, "security.s", "new");
	set(&f7, "security.z", "z");
	if (fakeroot_xattr_remove(&f7, "security.z") < 0)
		fail("remove security.z");

	/* What the tree sees meanwhile. */
	char buf[256];
	int64_t r;
	if ((r = fakeroot_xattr_get(&f2, "security.x", buf, sizeof(buf))) != -ENODATA)
		fail("get of a name of a removed file: %lld", (long long)r);
	if ((r = fakeroot_xattr_list(&f1, buf, sizeof(buf), 0)) != 11 || memcmp(buf, "security.b", 11) != 0)
		fail("list of file 1: %lld", (long long)r);
	if ((r = fakeroot_xattr_list(&f5new, buf, sizeof(buf), 0)) != 11 || memcmp(buf, "security.n", 11) != 0)
		fail("list of the file that took inode 5: %lld", (long long)r);
	if ((r = fakeroot_xattr_remove(&f7, "security.z")) != -ENODATA)
		fail("a second remove: %lld", (long long)r);
	if ((r = fakeroot_xattr_set(&f7, "security.z", "z", 1, XATTR_REPLACE)) != -ENODATA)
		fail("replace of a removed name: %lld", (long long)r);
	if ((r = fakeroot_xattr_get(&f6, "security.s", buf, sizeof(buf))) != -ENODATA)
		fail("the file deleted outside facet still has its name: %lld", (long long)r);
	size_t nx;
	const struct fakeroot_xattr *x = fakeroot_xattr_all(&nx);
	size_t six = 0;
	for (size_t i = 0; i < nx; i++)
		six += x[i].file.ino == 6;
	if (six != 1)
		fail("%zu entries of inode 6, expected 1", six);
	if (!state_xattrs_changed(x, nx))
		fail("state_xattrs_changed: no change seen");

	merged("merge of attributes", file, 8, HEAD COLS
	       "x 8:1 1 - security.b 62\n"
	       "x 8:1 1 - security.c 63\n"
	       "x 8:1 3 - trusted.t 74\n"
	       "x 8:1 4 - security.v 6e6577\n"
	       "x 8:1 5 200.000000000 security.n 6e\n"
	       "x 8:1 6 200.000000000 security.s 6e6577\n"
	       "x 8:1 8 - security.w 6262\n"
	       "x 8:1 9 - security.q 71\n"
	       "end 8\n");
	/* Records and attributes in one file: each merge keeps the other's. */
	struct owners_table *t = calloc(1, OWNERS_SIZE(16));
	t->h.nslots = 16;
	t->slot[2] = rec(8, 1, 3, OWNER_UID, 7, 0, 0, 0);
	t->slot[2].dirty = 1;
	t->h.used = 1;
	if (!parsed(HEAD "8:1 9 - g - 5 - -\nx 8:1 9 - security.q 71\nend 2\n", &l))
		return;
	size_t changes;
	if (state_merge(&l, t, &changes) < 0 || state_merge_xattrs(&l, x, nx, &changes) < 0 || changes != 9)
		fail("merge of records and attributes: %zu changes", changes);
	char *text = text_of(&l);
	const char *want = HEAD COLS "8:1 3 - u 7 - - -\n8:1 9 - g - 5 - -\n"
		"x 8:1 3 - trusted.t 74\nx 8:1 4 - security.v 6e6577\nx 8:1 5 200.000000000 security.n 6e\n"
		"x 8:1 6 200.000000000 security.s 6e6577\nx 8:1 9 - security.q 71\nend 7\n";
	if (strcmp(text, want) != 0)
		fail("records and attributes merged:\n%s\nexpected:\n%s", text, want);
	free(text);
	free(t);
	state_free(&l);
	fakeroot_xattr_clear();
}

int main(void)
{
	round_trip();
	damaged();
	merge();
	merge_births();
	xattr_round_trip();
	xattr_damaged();
	xattr_merge();
	if (failures)
		printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
