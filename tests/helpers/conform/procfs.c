/* procfs.c: /proc's links walked as paths: /proc/self and its "..",
 * /proc/self/fd/N of a pipe, a file and a directory followed by "/", "/.."
 * or a name, a missing fd, /proc/self/exe followed by more components,
 * /proc/self/cwd/ with a trailing slash, and a symlink of the program's
 * own that leads into /proc/self/fd. Each must mean the calling process,
 * as natively. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "pid" if /proc/... names the caller, else what it names. */
static void out_self_link(struct out *o, const char *path)
{
	char buf[64];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0) {
		out_add(o, "%s", errname(errno));
		return;
	}
	buf[n] = '\0';
	out_add(o, "%s", atoi(buf) == getpid() ? "pid" : "other-process");
}

static void proc_self_is_pid(struct out *o)
{
	out_self_link(o, "/proc/self");
	out_self_link(o, "/proc/self/../self");
	out_readlink(o, "/proc/self/..");
}

/* readlink of /proc/self/fd/N, then N followed by more components. */
static void fd_paths(struct out *o, int fd, bool mask_pipe)
{
	char path[64], buf[PATH_MAX];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0) {
		out_add(o, "%s", errname(errno));
	} else {
		buf[n] = '\0';
		out_add(o, "%s", mask_pipe && strncmp(buf, "pipe:[", 6) == 0 ? "pipe:[N]" : buf);
	}
	static const char *const tails[] = { "/", "/.", "/..", "/../%d" };
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		char tail[16];
		snprintf(tail, sizeof(tail), tails[i], fd);
		snprintf(path, sizeof(path), "/proc/%d/fd/%d%s", getpid(), fd, tail);
		int r = open(path, O_RDONLY | O_CLOEXEC);
		out_ok(o, r);
		if (r >= 0) {
			out_fdpath(o, r);
			close(r);
		}
	}
}

static void proc_fd_pipe(struct out *o)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		mk_fail(o, "pipe");
		return;
	}
	fd_paths(o, p[0], true);
}

static void proc_fd_file(struct out *o)
{
	int fd = open_or_fail(o, "d/f", 0);
	if (fd >= 0)
		fd_paths(o, fd, false);
}

static void proc_fd_dir(struct out *o)
{
	int fd = open_or_fail(o, "d", O_DIRECTORY);
	if (fd >= 0)
		fd_paths(o, fd, false);
}

static void proc_fd_missing(struct out *o)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/999999/..", getpid());
	out_ok(o, open(path, O_RDONLY | O_CLOEXEC));
	out_readlink(o, "/proc/self/fd/999999");
}

/* w/procfd -> /proc/self/fd, and w/fd42 -> ROOT/t/w/procfd/42, fd 42 being
 * d/f: reading w/fd42 reads d/f, in the process that opens it. */
static void symlink_into_proc_fd(struct out *o)
{
	int fd = open_or_fail(o, "d/f", 0);
	if (fd < 0 || dup2(fd, 42) < 0) {
		mk_fail(o, "dup2");
		return;
	}
	if (!mk_link(o, "/proc/self/fd", "w/procfd") || !mk_link(o, "%/w/procfd/42", "w/fd42"))
		return;
	out_lstat(o, "w/fd42");
	out_content(o, "w/fd42");
	out_readlink(o, "w/procfd/42");
	int r = open("w/fd42", O_RDONLY | O_CLOEXEC);
	if (out_ok(o, r) >= 0)
		out_fdpath(o, r);
}

/* readlink writes the target's bytes and nothing after them: no '\0'. */
static void readlink_writes_length(struct out *o, const char *path)
{
	char buf[PATH_MAX];
	memset(buf, 'x', sizeof(buf));
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (out_ok(o, n) >= 0)
		out_add(o, "%s", buf[n] == 'x' && memchr(buf, '\0', (size_t)n) == NULL ? "nothing-after" : "wrote-more");
}

static void readlink_only_length(struct out *o)
{
	readlink_writes_length(o, "/proc/self/exe");
	readlink_writes_length(o, "/proc/self/cwd");
	readlink_writes_length(o, "sl-abs");
	readlink_writes_length(o, "sl-f");
}

const struct conform_case procfs_cases[] = {
	CASE("proc-self-is-the-caller", proc_self_is_pid),
	CASE("proc-fd-pipe-then-components", proc_fd_pipe),
	CASE("proc-fd-file-then-components", proc_fd_file),
	CASE("proc-fd-dir-then-components", proc_fd_dir),
	CASE("proc-fd-missing-then-dotdot", proc_fd_missing),
	PROBE("proc-self-exe-trailing-slash", PR_READLINK, "/proc/self/exe/", 0),
	PROBE("proc-self-exe-dotdot", PR_READLINK, "/proc/self/exe/..", 0),
	PROBE("proc-self-exe-dotdot-exe", PR_READLINK, "/proc/self/exe/../exe", 0),
	PROBE("proc-self-cwd-trailing-slash-lstat", PR_LSTAT, "/proc/self/cwd/", 0),
	CASE("symlink-into-proc-self-fd", symlink_into_proc_fd),
	CASE("readlink-writes-only-the-target", readlink_only_length),
	CASES_END
};
