/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text of --fakeroot-state FILE (doc/facet.1, FAKE ROOT, says it for
 * users), version 1:
 *
 *   facet-fakeroot-state 1
 *   # DEV INO BTIME FIELDS UID GID MODE RDEV
 *   8:1 1311 1700000000.123456789 ug 0 0 - -
 *   8:1 1312 1700000000.223456789 mt - - 20644 1:3
 *   end 2
 *
 * One record a line, sorted by device and inode number: the device as
 * MAJOR:MINOR, the inode number, the birth time as SECONDS.NANOSECONDS
 * (nine digits) or - where the file system has none, then which fields
 * the record sets (letters u uid, g gid, m mode's permission bits, t file
 * type and device number) and their values, - for a field it does not
 * set: UID and GID in decimal, MODE in octal (the type's bits with t, the
 * permission bits with m), RDEV as MAJOR:MINOR. Lines starting with # and
 * empty lines are ignored. The last line, "end N", counts the records,
 * and every line ends with a newline: a truncated file is always told.
 *
 * Parsing, merging and writing are pure (no files) for the unit test;
 * state.c does the files and the locks.
 */
#ifndef FACET_CORE_FAKEROOT_STATE_H
#define FACET_CORE_FAKEROOT_STATE_H

#include <stddef.h>
#include <stdio.h>

#include "rt/owners.h"

#define STATE_MAGIC "facet-fakeroot-state"
#define STATE_VERSION 1

/* Records read from a file or to be written, sorted by (dev, ino) once
 * parsed or merged. */
struct state_recs {
	struct owner_rec *v;
	size_t n, cap;
};

/* Where and why a text is not a valid state file. */
struct state_error {
	unsigned line;
	char what[160];
};

/* Parses len bytes of text: 0, -EINVAL with *err set, or -ENOMEM. */
int state_parse(const char *text, size_t len, struct state_recs *out, struct state_error *err);

/* Applies this session's changes in table t (its dirty records and
 * tombstones) to the records of a file: a removal drops the file's
 * record, a record replaces or joins them. Sets *changes to their number.
 * 0 or -ENOMEM. */
int state_merge(struct state_recs *file, const struct owners_table *t, size_t *changes);

/* Whether table t holds a change of this session. */
int state_changed(const struct owners_table *t);

/* Writes the records as a state file's text: 0, or -errno of the stream. */
int state_write(FILE *f, const struct state_recs *recs);

void state_free(struct state_recs *l);

#endif
