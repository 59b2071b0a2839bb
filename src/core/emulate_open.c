/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * open and openat without O_CREAT, performed by the supervisor and answered
 * by installing the opened file in the tracee (SECCOMP_IOCTL_NOTIF_ADDFD):
 * one notification instead of two ptrace stops, and the fd is the real file,
 * so reads and writes on it never leave the kernel.
 *
 * The name is first resolved to an O_PATH fd, which has no side effects, and
 * the kind of file decides: regular files, directories and the memory
 * devices (/dev/null, /dev/zero, /dev/urandom...) are opened by re-opening
 * that fd; a socket fails with ENXIO as the kernel would say; anything whose
 * opening may block or act on the opener itself (FIFOs, terminals and other
 * devices) is left to the kernel, in the tracee, through EMU_DEFER (defer.c),
 * and so is a file to create.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/internal.h"
#include "util/cleanup.h"

/* Major 1: mem, null, zero, full, random, urandom, kmsg: opening them neither
 * blocks nor depends on who opens them. */
#define MEM_DEVICES_MAJOR 1

static bool opens_alike(const struct stat *st)
{
	if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		return true;
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == MEM_DEVICES_MAJOR;
}

void emulate_open(struct facet_task *t, int dfd, const char *path, int flags, struct emu_result *r)
{
	bool cloexec = flags & O_CLOEXEC;
	/* __O_TMPFILE includes O_DIRECTORY: only all of its bits mean it. */
	if ((flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE) {
		/* Only an engine's rewrite brings these here (the filter sends
		 * the program's own down the ptrace route): creating a file
		 * takes the tracee's umask and ownership, so the kernel does it. */
		r->kind = EMU_DEFER;
		return;
	}
	if (flags & O_PATH) {
		/* SECCOMP_IOCTL_NOTIF_ADDFD cannot pass O_PATH files (fget()
		 * refuses them), and opening one has no side effects anyway. */
		r->kind = EMU_DEFER;
		return;
	}
	_cleanup_close_ int opath = openat(dfd, path, O_PATH | O_CLOEXEC | (flags & (O_NOFOLLOW | O_DIRECTORY)));
	if (opath < 0) {
		r->value = -errno;
		return;
	}
	struct stat st;
	if (fstat(opath, &st) < 0) {
		r->value = -errno;
		return;
	}
	if (S_ISLNK(st.st_mode)) { /* only with O_NOFOLLOW */
		r->value = -ELOOP;
		return;
	}
	if (S_ISSOCK(st.st_mode)) {
		r->value = -ENXIO;
		return;
	}
	if (!opens_alike(&st)) {
		r->kind = EMU_DEFER;
		return;
	}
	/* Re-open what was resolved: the kernel checks the permissions again
	 * and honours O_TRUNC, O_APPEND, O_NONBLOCK... as for the original.
	 * O_NOCTTY: the supervisor must never take a controlling terminal. */
	char proc[32];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", opath);
	int fd = open(proc, (flags & ~(O_NOFOLLOW | O_CLOEXEC)) | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r->value = -errno;
		return;
	}
	*r = (struct emu_result){ .kind = EMU_INJECT, .fd = fd, .cloexec = cloexec, .target_fd = -1 };
}
