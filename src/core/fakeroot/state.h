/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text of --fakeroot-state FILE (doc/facet.1, FAKE ROOT, says it for
 * users), version 2:
 *
 *   facet-fakeroot-state 2
 *   # DEV INO BTIME FIELDS UID GID MODE RDEV
 *   # x DEV INO BTIME NAME VALUE
 *   8:1 1311 1700000000.123456789 ug 0 0 - -
 *   8:1 1312 1700000000.223456789 mt - - 20644 1:3
 *   x 8:1 1313 - security.capability 0000000200200000000000000000000000000000
 *   end 3
 *
 * One record a line, sorted by device and inode number: the device as
 * MAJOR:MINOR, the inode number, the birth time as SECONDS.NANOSECONDS
 * (nine digits) or - where the file system has none, then which fields
 * the record sets (letters u uid, g gid, m mode's permission bits, t file
 * type and device number) and their values, - for a field it does not
 * set: UID and GID in decimal, MODE in octal (the type's bits with t, the
 * permission bits with m), RDEV as MAJOR:MINOR.
 *
 * Then the extended attributes (xattrs.c), one a line starting with x,
 * sorted by device, inode number and name: the file as a record names it
 * (DEV INO BTIME), the attribute's name, a security.* or trusted.* one,
 * with % and every byte outside ! to ~ (a space, a control character,
 * UTF-8) written %XX, two hexadecimal digits, and its value in
 * hexadecimal, two digits a byte, or - for an empty one.
 *
 * Lines starting with # and empty lines are ignored. The last line,
 * "end N", counts the records and attributes, and every line ends with a
 * newline: a truncated file is always told. Version 1 is the same
 * without attributes; it is read still, and written as version 2.
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
#define STATE_VERSION 2

struct fakeroot_xattr;

/* Records and attributes read from a file or to be written, sorted by
 * (dev, ino), and name for attributes, once parsed or merged. The
 * attributes' names and values are the list's. */
struct state_recs {
	struct owner_rec *v;
	size_t n, cap;
	struct fakeroot_xattr *x;
	size_t nx, xcap;
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

/* Applies this session's changes to extended attributes (the dirty
 * entries of xattrs.c, n of them at x) to the attributes of a file: a
 * removal drops the file's attribute of that name, or all of the file's
 * for a removal of the file; a name set replaces or joins them. Adds
 * their number to *changes. 0 or -ENOMEM. */
int state_merge_xattrs(struct state_recs *file, const struct fakeroot_xattr *x, size_t n, size_t *changes);

/* Whether table t holds a change of this session. */
int state_changed(const struct owners_table *t);

/* Whether the n attributes at x hold a change of this session. */
int state_xattrs_changed(const struct fakeroot_xattr *x, size_t n);

/* Writes the records and attributes as a state file's text: 0, or
 * -errno of the stream. */
int state_write(FILE *f, const struct state_recs *recs);

void state_free(struct state_recs *l);

#endif
