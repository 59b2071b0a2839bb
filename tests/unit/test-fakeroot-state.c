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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

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

#define HEAD "facet-fakeroot-state 1\n"
#define COLS "# DEV INO BTIME FIELDS UID GID MODE RDEV: see facet(1), FAKE ROOT\n"

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
	bad("facet-fakeroot-state 2\nend 0\n", 1, "version 2 of the format");
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

int main(void)
{
	round_trip();
	damaged();
	merge();
	if (failures)
		printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
