/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --fakeroot-state FILE: fake root's record, loaded when the session
 * starts and saved once its tree is gone (the text: state.h).
 *
 * A save never corrupts FILE and never loses another run's changes.
 * Under an exclusive flock of FILE itself, facet reads FILE as it is now,
 * applies only this session's changes (the records and extended
 * attributes it made or changed, and its removals), writes FILE.tmp.PID
 * in the same directory, fsyncs it and renames it over FILE. The rename
 * puts a new inode at FILE: a run that waited for the lock of the old one
 * finds, once it holds it, that FILE no longer names what it locked, and
 * starts over with the new one.
 * A FILE that does not exist yet is made by a rename that does not
 * replace (or link()), and a run that loses that race starts over too.
 * The lock is on FILE and not on a FILE.lock beside it, so that nothing
 * but FILE is left behind.
 *
 * Loading takes no lock: every FILE a rename puts in place is complete,
 * and a save merges into whatever FILE is by then.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/fakeroot/state.h"
#include "core/internal.h"
#include "util/cleanup.h"

/* Far more than the most records a table takes, in the longest lines,
 * and room for many attributes (a file capability's line is ~80 bytes,
 * the longest value 128 KiB). */
#define STATE_MAX_BYTES (64u << 20)
/* A save that keeps finding FILE replaced under it gives up. */
#define SAVE_TRIES 1000

static const char fix[] = "it is left as it is: remove it to start afresh";

/* FILE, open for reading with its status: -ENOENT if there is none.
 * O_NONBLOCK, so that a FIFO cannot hang facet. A file that is not a
 * regular one: -EISDIR for a directory, else -ENODEV (open_failed()
 * words it). */
static int open_state(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	int r = fstat(fd, st) < 0 ? -errno : S_ISDIR(st->st_mode) ? -EISDIR : !S_ISREG(st->st_mode) ? -ENODEV : 0;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

static int read_all(int fd, char **out, size_t *len)
{
	_cleanup_free_ char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			if (cap >= STATE_MAX_BYTES)
				return -EFBIG;
			cap = cap ? cap * 2 : 65536;
			char *b = realloc(buf, cap);
			if (!b)
				return -ENOMEM;
			buf = b;
		}
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			break;
		n += (size_t)k;
	}
	*out = TAKE_PTR(buf);
	*len = n;
	return 0;
}

/* The records of the open FILE fd: 0, -EINVAL with *err, or -errno. */
static int read_state(int fd, struct state_recs *recs, struct state_error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = read_all(fd, &text, &len);
	return r < 0 ? r : state_parse(text, len, recs, err);
}

/* fr->state_file: FILE made absolute, its symbolic links followed, so
 * that a save replaces what a link points to and not the link. 0, 1 if
 * FILE is a symbolic link to nothing, or -errno. */
static int resolve(struct fakeroot *fr)
{
	if ((fr->state_file = realpath(fr->state_path, NULL)))
		return 0;
	if (errno != ENOENT)
		return -errno;
	/* No FILE yet: its directory must exist. */
	_cleanup_free_ char *d = strdup(fr->state_path), *b = strdup(fr->state_path);
	if (!d || !b)
		return -ENOMEM;
	_cleanup_free_ char *dir = realpath(dirname(d), NULL);
	if (!dir)
		return -errno;
	if (asprintf(&fr->state_file, "%s/%s", strcmp(dir, "/") ? dir : "", basename(b)) < 0) {
		fr->state_file = NULL;
		return -ENOMEM;
	}
	/* FILE there now, and no link: a run that saved made it meanwhile
	 * (realpath() found none), and fr->state_file names it. */
	struct stat st;
	return lstat(fr->state_file, &st) == 0 && S_ISLNK(st.st_mode);
}

static int dir_of(const char *file, char *dir, size_t size)
{
	if (snprintf(dir, size, "%s", file) >= (int)size)
		return -ENAMETOOLONG;
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	return 0;
}

static int open_failed(struct facet_session *s, struct fakeroot *fr, int r, const char *before)
{
	if (r == -ENODEV)
		return session_fail_text(s, r, "%s--fakeroot-state %s: not a regular file", before, fr->state_path);
	return session_fail(s, r, "%s--fakeroot-state %s", before, fr->state_path);
}

int fakeroot_state_load(struct facet_session *s, struct fakeroot *fr)
{
	int r = resolve(fr);
	if (r == 1)
		return session_fail_text(s, -ENOENT, "--fakeroot-state %s: a symbolic link to nothing; remove it or "
					 "make what it names", fr->state_path);
	if (r < 0)
		return open_failed(s, fr, r, "");
	/* Learn now, not when the command has run, that FILE cannot be saved. */
	char dir[PATH_MAX];
	if ((r = dir_of(fr->state_file, dir, sizeof(dir))) < 0)
		return open_failed(s, fr, r, "");
	if (access(dir, W_OK | X_OK) < 0)
		return session_fail(s, -errno, "--fakeroot-state %s: the record cannot be saved in %s at the end",
				    fr->state_path, dir);
	struct stat st;
	_cleanup_close_ int fd = open_state(fr->state_file, &st);
	if (fd == -ENOENT)
		return 0; /* made at the end */
	if (fd < 0)
		return open_failed(s, fr, fd, "");
	struct state_recs recs;
	struct state_error err;
	if ((r = read_state(fd, &recs, &err)) == -EINVAL)
		return session_fail_text(s, r, "--fakeroot-state %s, line %u: %s; %s", fr->state_path, err.line,
					 err.what, fix);
	if (r < 0)
		return open_failed(s, fr, r, "");
	uint32_t max = FAKEROOT_TABLE_MAX(OWNERS_SLOTS);
	if (recs.n > max) {
		size_t n = recs.n;
		state_free(&recs);
		return session_fail_text(s, -ENOSPC, "--fakeroot-state %s: %zu records, more than fake root takes "
					 "(%u); %s", fr->state_path, n, max, fix);
	}
	for (size_t i = 0; i < recs.n && r >= 0; i++)
		if ((r = fakeroot_insert(fr, &recs.v[i])) == -EEXIST)
			r = 0;
	for (size_t i = 0; i < recs.nx && r >= 0; i++)
		if ((r = fakeroot_xattr_insert(&recs.x[i])) == -EEXIST)
			r = 0;
	if (recs.nx)
		fakeroot_table_xattrs(fr);
	state_free(&recs);
	return r < 0 ? session_fail(s, r, "loading --fakeroot-state %s", fr->state_path) : 0;
}

/* What the command did, for a message saying that its record was lost. */
static void ran(const struct facet_session *s, char *buf, size_t size)
{
	int st = s->root_status;
	if (WIFSIGNALED(st))
		snprintf(buf, size, "the command ran and was killed by signal %d (%s), but ", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(buf, size, "the command ran and exited with status %d, but ", WEXITSTATUS(st));
}

/* Holds an exclusive lock of fd, FILE opened: 0 if FILE still names it,
 * 1 if a save replaced (or removed) FILE meanwhile, or -errno. */
static int lock_current(int fd, const char *path)
{
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -errno;
	struct stat held, now;
	if (fstat(fd, &held) < 0)
		return -errno;
	if (stat(path, &now) < 0)
		return errno == ENOENT ? 1 : -errno;
	return held.st_dev == now.st_dev && held.st_ino == now.st_ino ? 0 : 1;
}

/* Puts tmp at file where there is no file: 0, 1 if one appeared, -errno. */
static int create_new(const char *tmp, const char *file)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, file, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EEXIST)
		return 1;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* A file system without RENAME_NOREPLACE: link() does not replace either. */
	if (link(tmp, file) < 0)
		return errno == EEXIST ? 1 : -errno;
	unlink(tmp);
	return 0;
}

static int write_tmp(int fd, const struct state_recs *recs, const struct stat *old)
{
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int err = -errno;
		close(fd);
		return err;
	}
	int r = state_write(f, recs);
	if (fflush(f) != 0 && r == 0)
		r = -errno;
	/* The new FILE keeps the old one's permissions. */
	if (r == 0 && old && fchmod(fileno(f), old->st_mode & 07777) < 0)
		r = -errno;
	if (r == 0 && fsync(fileno(f)) < 0)
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

/* Writes recs to FILE.tmp.PID and puts it in FILE's place (old: FILE's
 * status, NULL if there is none): 0, 1 to start over, or -errno. */
static int publish(const char *file, const struct state_recs *recs, const struct stat *old)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", file, (int)getpid()) >= (int)sizeof(tmp) ||
	    dir_of(file, dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = open(tmp, flags, 0666);
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0) /* left by a run with our pid that died */
		fd = open(tmp, flags, 0666);
	if (fd < 0)
		return -errno;
	int r = write_tmp(fd, recs, old);
	if (r == 0)
		r = old ? (rename(tmp, file) < 0 ? -errno : 0) : create_new(tmp, file);
	if (r != 0) {
		unlink(tmp);
		return r;
	}
	/* The rename itself on disk, as far as the file system offers. */
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		fsync(dfd);
	return 0;
}

/* One attempt: 0 saved, 1 to start over, or -errno with the message set. */
static int save_once(struct facet_session *s, struct fakeroot *fr, const char *before)
{
	struct stat st;
	_cleanup_close_ int fd = open_state(fr->state_file, &st);
	if (fd == -ENODEV)
		return open_failed(s, fr, fd, before);
	struct state_recs recs = { 0 };
	struct state_error err;
	int r = fd < 0 && fd != -ENOENT ? fd : 0;
	if (fd >= 0 && (r = lock_current(fd, fr->state_file)) == 0 && (r = read_state(fd, &recs, &err)) == -EINVAL)
		return session_fail_text(s, r, "%s--fakeroot-state %s changed during the run and is now damaged: "
					 "line %u: %s; %s", before, fr->state_path, err.line, err.what, fix);
	size_t changes, nx;
	const struct fakeroot_xattr *x = fakeroot_xattr_all(&nx);
	/* The removals among the graves first, then the table's records. */
	if (r == 0 && fr->graves)
		r = state_merge(&recs, fr->graves, &changes);
	if (r == 0 && (r = state_merge(&recs, fr->table, &changes)) == 0 &&
	    (r = state_merge_xattrs(&recs, x, nx, &changes)) == 0)
		r = publish(fr->state_file, &recs, fd >= 0 ? &st : NULL);
	state_free(&recs);
	return r < 0 ? session_fail(s, r, "%sits fake root record was not saved to --fakeroot-state %s", before,
				    fr->state_path) : r;
}

int fakeroot_state_save(struct facet_session *s, struct fakeroot *fr)
{
	struct stat st;
	size_t nx;
	const struct fakeroot_xattr *x = fakeroot_xattr_all(&nx);
	fakeroot_sync(fr); /* the last chowns of the tree's runtimes */
	if (!state_changed(fr->table) && !(fr->graves && state_changed(fr->graves)) && !state_xattrs_changed(x, nx) &&
	    stat(fr->state_file, &st) == 0)
		return 0;
	char before[160];
	ran(s, before, sizeof(before));
	for (int i = 0; i < SAVE_TRIES; i++) {
		int r = save_once(s, fr, before);
		if (r <= 0)
			return r;
	}
	return session_fail(s, -EAGAIN, "%sits fake root record was not saved: --fakeroot-state %s kept being "
			    "replaced", before, fr->state_path);
}
