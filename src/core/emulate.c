/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Calls the supervisor performs itself in the name of a tracee, so that their
 * result is known without a ptrace exit stop (one user notification instead
 * of two ptrace stops). Only calls whose result is exactly what the tracee
 * would get are here: they read the file system with the tracee's own
 * credentials (the supervisor runs as the same user, and no_new_privs keeps
 * it that way), resolve relative names against the tracee's own cwd or dirfd
 * through /proc, and write their output where the tracee asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/internal.h"
#include "util/cleanup.h"

/* O_TMPFILE without its O_DIRECTORY part: the bit that means "temporary". */
#define TMPFILE_BIT 020000000

bool emulate_supported(const struct facet_session *s, long nr)
{
	switch (nr) {
	case SYS_stat: case SYS_lstat: case SYS_newfstatat: case SYS_statx:
	case SYS_access: case SYS_faccessat: case SYS_faccessat2:
	case SYS_readlink: case SYS_readlinkat:
		return true;
	case SYS_open: case SYS_openat:
		/* Needs fd injection, and for what only the kernel can open
		 * (FIFOs, terminals) the deferral of backend_notify.c, which
		 * relies on the notification wait being killable only. */
		return s->feat.notif_addfd && s->feat.wait_killable;
	default:
		return false;
	}
}

bool emulate_arg_condition(long nr, unsigned *argi, uint64_t *mask)
{
	/* Creating files needs the tracee's umask and ownership rules: leave
	 * it to the kernel. */
	*mask = O_CREAT | TMPFILE_BIT;
	if (nr == SYS_open)
		*argi = 1;
	else if (nr == SYS_openat)
		*argi = 2;
	else
		return false;
	return true;
}

/*
 * A tracee's cwd, for its relative names, is /proc/TID/cwd: opening it
 * costs about as much as the stat itself, so each task keeps its own open
 * (an O_PATH fd of the very directory, as the kernel holds it: removed or
 * renamed, or with a mount over it since, it resolves the same). Only a
 * chdir or fchdir changes a cwd here (chroot, setns and new namespaces end
 * emulation, watch.c), of the caller and of every task sharing its
 * fs_struct, which the supervisor need not know: watch.c traps both, and
 * at either one every kept cwd is closed and none is kept again until the
 * caller is seen at a stop or a notification once more, when its call has
 * returned (or was interrupted, and will be trapped again). The call cannot
 * change anything before it is trapped, since the caller waits for the
 * supervisor there.
 */
#define CWD_KEPT_MAX 64 /* fds the supervisor keeps for this; more are opened per call */

static void cwd_forget(struct facet_task *t)
{
	if (t->cwd_fd < 0)
		return;
	close(t->cwd_fd);
	t->cwd_fd = -1;
	t->session->cwd_cached--;
}

void emulate_cwd_changing(struct facet_task *t)
{
	struct facet_session *s = t->session;
	if (!t->cwd_changing) {
		t->cwd_changing = true;
		s->cwd_changing++;
	}
	for (unsigned b = 0; b < TASK_BUCKETS && s->cwd_cached; b++)
		for (struct facet_task *o = s->tasks[b]; o; o = o->hnext)
			cwd_forget(o);
}

void emulate_cwd_settled(struct facet_task *t)
{
	if (t->cwd_changing) {
		t->cwd_changing = false;
		t->session->cwd_changing--;
	}
}

void emulate_task_free(struct facet_task *t)
{
	emulate_cwd_settled(t);
	cwd_forget(t);
}

/* The tracee's cwd as a supervisor fd, borrowed, or owned (*owned). */
static int tracee_cwd(struct facet_task *t, int *owned)
{
	struct facet_session *s = t->session;
	if (t->cwd_fd >= 0)
		return t->cwd_fd;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/%d/cwd", t->tid);
	int fd = open(proc, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (s->cwd_changing || s->cwd_cached >= CWD_KEPT_MAX) {
		*owned = fd;
		return fd;
	}
	s->cwd_cached++;
	return t->cwd_fd = fd;
}

/* The directory a tracee's relative name starts from, as a supervisor fd.
 * *owned is set when the caller must close it. */
static int tracee_dirfd(struct facet_task *t, int dirfd, const char *path, int *owned)
{
	char proc[64];
	*owned = -1;
	if (path[0] == '/')
		return AT_FDCWD; /* same root: tracees cannot chroot without privilege */
	if (dirfd == AT_FDCWD)
		return tracee_cwd(t, owned);
	if (dirfd >= 0 && (*owned = task_dup_fd(t, dirfd)) >= 0)
		return *owned;
	if (dirfd < 0)
		return -EBADF;
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", t->tid, dirfd);
	int fd = open(proc, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -EBADF : -errno;
	*owned = fd;
	return fd;
}

/* Reads the path argument; a NULL name with AT_EMPTY_PATH means "" (Linux 6.11+). */
static int read_path(struct facet_task *t, uint64_t addr, int flags, char *buf)
{
	if (addr == 0 && (flags & AT_EMPTY_PATH)) {
		buf[0] = '\0';
		return 0;
	}
	ssize_t n = facet_mem_read_string(t, addr, buf, PATH_MAX);
	return n < 0 ? (int)n : 0;
}

static int64_t write_out(struct facet_task *t, uint64_t addr, const void *data, size_t len, int64_t ok)
{
	ssize_t n = facet_mem_write(t, addr, data, len);
	return n < 0 ? -EFAULT : ok;
}

/*
 * Names that mean "the caller" resolve to the supervisor when it performs the
 * call: /proc/self, /proc/thread-self, and the /dev links to /proc/self/fd.
 * They are rewritten to the tracee's own /proc entries first. (A symlink of
 * the user's own making into /proc/self, or a relative name under a /proc
 * directory, is not caught; see libfacet(3).)
 */
/* `flags` are the call's own: O_ flags for open, AT_ flags for the rest. */
static bool follows_last(const struct call *c, int flags)
{
	switch (c->sc.nr) {
	case SYS_readlink: case SYS_readlinkat: case SYS_lstat:
		return false;
	case SYS_open: case SYS_openat:
		return !(flags & O_NOFOLLOW);
	default:
		return !(flags & AT_SYMLINK_NOFOLLOW);
	}
}

static bool take_prefix(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return false;
	*rest = path + n;
	return true;
}

/* Returns 1 if `path` was rewritten into `out`, 0 if it is fine as it is,
 * 2 if `out` already holds the answer of a readlink of the link itself. */
static int rewrite_self(const struct facet_task *t, const struct call *c, int flags,
			const char *path, char *out, size_t size)
{
	const char *rest;
	pid_t pid = t->proc->pid, tid = t->tid;
	bool follow = follows_last(c, flags);
	int n = -1;
	if (path[0] != '/')
		return 0;
	if (take_prefix(path, "/proc/self", &rest)) {
		if (!*rest && !follow)
			return c->sc.nr == SYS_readlink || c->sc.nr == SYS_readlinkat
				       ? (snprintf(out, size, "%d", pid), 2) : 0;
		n = snprintf(out, size, "/proc/%d%s", pid, rest);
	} else if (take_prefix(path, "/proc/thread-self", &rest)) {
		if (!*rest && !follow)
			return c->sc.nr == SYS_readlink || c->sc.nr == SYS_readlinkat
				       ? (snprintf(out, size, "%d/task/%d", pid, tid), 2) : 0;
		n = snprintf(out, size, "/proc/%d/task/%d%s", pid, tid, rest);
	} else if (take_prefix(path, "/dev/fd", &rest) && (*rest || follow)) {
		n = snprintf(out, size, "/proc/%d/fd%s", pid, rest);
	} else if (follow && (!strcmp(path, "/dev/stdin") || !strcmp(path, "/dev/stdout") ||
			      !strcmp(path, "/dev/stderr"))) {
		n = snprintf(out, size, "/proc/%d/fd/%d", pid,
			     path[8] == 'i' ? 0 : path[8] == 'o' ? 1 : 2); /* "/dev/stdin"[8] is the i */
	}
	return n > 0 && (size_t)n < size ? 1 : 0;
}

/* The generic shape of every call here: (dirfd, path, flags) then the work. */
struct at_call {
	int dirfd;
	uint64_t path;
	int flags;
};

static struct at_call at_args(const struct call *c)
{
	const uint64_t *a = c->sc.args;
	switch (c->sc.nr) {
	case SYS_stat: case SYS_access: case SYS_readlink:
		return (struct at_call){ AT_FDCWD, a[0], 0 };
	case SYS_lstat:
		return (struct at_call){ AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW };
	case SYS_newfstatat:
		return (struct at_call){ (int)a[0], a[1], (int)a[3] };
	case SYS_statx:
		return (struct at_call){ (int)a[0], a[1], (int)a[2] };
	case SYS_faccessat2:
		return (struct at_call){ (int)a[0], a[1], (int)a[3] };
	case SYS_open: /* flags are open flags here, not AT_ flags */
		return (struct at_call){ AT_FDCWD, a[0], (int)a[1] };
	case SYS_openat:
		return (struct at_call){ (int)a[0], a[1], (int)a[2] };
	default: /* faccessat, readlinkat */
		return (struct at_call){ (int)a[0], a[1], 0 };
	}
}

static int64_t do_call(struct facet_task *t, const struct call *c, int dfd, const char *path, int flags)
{
	const uint64_t *a = c->sc.args;
	switch (c->sc.nr) {
	case SYS_stat: case SYS_lstat: case SYS_newfstatat: {
		struct stat st;
		if (fstatat(dfd, path, &st, flags) < 0)
			return -errno;
		return write_out(t, c->sc.nr == SYS_newfstatat ? a[2] : a[1], &st, sizeof(st), 0);
	}
	case SYS_statx: {
		struct statx stx;
		if (syscall(SYS_statx, dfd, path, flags, (unsigned)a[3], &stx) < 0)
			return -errno;
		return write_out(t, a[4], &stx, sizeof(stx), 0);
	}
	case SYS_access: case SYS_faccessat: case SYS_faccessat2: {
		int mode = (int)(c->sc.nr == SYS_access ? a[1] : a[2]);
		/* The raw calls: glibc's faccessat() emulates flags in user space. */
		long r = flags ? syscall(SYS_faccessat2, dfd, path, mode, flags)
			       : syscall(SYS_faccessat, dfd, path, mode);
		return r < 0 ? -errno : 0;
	}
	default: { /* readlink, readlinkat */
		uint64_t buf = c->sc.nr == SYS_readlink ? a[1] : a[2];
		int size = (int)(c->sc.nr == SYS_readlink ? a[2] : a[3]);
		if (size <= 0)
			return -EINVAL;
		char target[PATH_MAX + 1];
		ssize_t n = readlinkat(dfd, path, target, size < (int)sizeof(target) ? (size_t)size : sizeof(target));
		if (n < 0)
			return -errno;
		return write_out(t, buf, target, (size_t)n, n);
	}
	}
}

static bool is_open(long nr) { return nr == SYS_open || nr == SYS_openat; }

void emulate_call(struct facet_task *t, const struct call *c, struct emu_result *res)
{
	memset(res, 0, sizeof(*res));
	res->kind = EMU_VALUE;
	res->fd = -1;
	if (watch_diverged(t)) { /* other namespaces or credentials */
		res->kind = EMU_DEFER;
		return;
	}
	struct at_call at = at_args(c);
	/* For open the flags are O_ flags; only AT_EMPTY_PATH matters below. */
	int at_flags = is_open(c->sc.nr) ? 0 : at.flags;
	char path[PATH_MAX];
	int r = read_path(t, at.path, at_flags, path);
	if (r < 0) {
		res->value = r;
		return;
	}
	if (path[0] == '\0' && !(at_flags & AT_EMPTY_PATH) && c->sc.nr != SYS_readlinkat) {
		res->value = -ENOENT;
		return;
	}
	char own[PATH_MAX + 64];
	const char *name = path;
	switch (rewrite_self(t, c, at.flags, path, own, sizeof(own))) {
	case 1:
		name = own;
		break;
	case 2: { /* readlink of /proc/self itself */
		uint64_t buf = c->sc.nr == SYS_readlink ? c->sc.args[1] : c->sc.args[2];
		int64_t size = (int)(c->sc.nr == SYS_readlink ? c->sc.args[2] : c->sc.args[3]);
		size_t len = strlen(own);
		if (size <= 0) {
			res->value = -EINVAL;
			return;
		}
		if ((size_t)size < len)
			len = (size_t)size;
		res->value = write_out(t, buf, own, len, (int64_t)len);
		return;
	}
	}
	_cleanup_close_ int owned = -1;
	int dfd = tracee_dirfd(t, at.dirfd, name, &owned);
	if (dfd < 0 && dfd != AT_FDCWD) {
		res->value = dfd;
		return;
	}
	if (is_open(c->sc.nr))
		emulate_open(t, dfd, name, at.flags, res);
	else
		res->value = do_call(t, c, dfd, name, at.flags);
}
