/* open.c: open flags (O_CREAT, O_EXCL, O_DIRECTORY, O_TMPFILE, O_TRUNC,
 * O_APPEND, O_CLOEXEC, O_PATH, O_NOATIME), creat, FIFOs, and reopening
 * through /proc/self/fd. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void open_tmpfile(struct out *o)
{
	int fd = open("w", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (out_ok(o, fd) >= 0)
		out_fstat(o, fd);
}

static void trunc_case(struct out *o, const char *make, const char *path, int flags)
{
	if (!mk_file(o, make, "abc"))
		return;
	int fd = open(path, flags | O_CLOEXEC);
	if (out_ok(o, fd) >= 0)
		out_fstat(o, fd);
	out_stat(o, make);
}

static void open_trunc(struct out *o) { trunc_case(o, "w/trunc", "w/trunc", O_WRONLY | O_TRUNC); }
static void open_trunc_rdonly(struct out *o) { trunc_case(o, "w/trunc-ro", "w/trunc-ro", O_RDONLY | O_TRUNC); }

static void open_trunc_symlink(struct out *o)
{
	if (mk_link(o, "trunc-t", "w/trunc-l"))
		trunc_case(o, "w/trunc-t", "w/trunc-l", O_WRONLY | O_TRUNC);
}

static void open_append(struct out *o)
{
	if (!mk_file(o, "w/append", "abc"))
		return;
	int fd = open("w/append", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (out_ok(o, fd) < 0)
		return;
	lseek(fd, 0, SEEK_SET);
	out_rc(o, write(fd, "x", 1));
	out_content(o, "w/append");
}

static void cloexec_case(struct out *o, int flags)
{
	int fd = open("f", O_RDONLY | flags);
	if (out_ok(o, fd) >= 0)
		out_cloexec(o, fd);
}

static void open_cloexec(struct out *o) { cloexec_case(o, O_CLOEXEC); }

static void open_getfl(struct out *o)
{
	int fd = open("f", O_RDWR | O_APPEND | O_NONBLOCK | O_CLOEXEC);
	if (out_ok(o, fd) < 0)
		return;
	int fl = fcntl(fd, F_GETFL);
	out_add(o, "flags=0%o", (unsigned)fl);
}

static void open_path_fstat(struct out *o)
{
	int fd = open("f", O_PATH | O_CLOEXEC);
	if (out_ok(o, fd) < 0)
		return;
	out_fstat(o, fd);
	char c;
	out_rc(o, read(fd, &c, 1));
}

static void open_path_fchdir(struct out *o)
{
	int fd = open("d", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (out_ok(o, fd) < 0)
		return;
	if (out_rc(o, fchdir(fd)) == 0)
		out_cwd(o);
}

static void creat_case(struct out *o, const char *path)
{
	int fd = creat(path, 0600);
	if (out_ok(o, fd) < 0)
		return;
	out_add(o, "accmode=%s", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY ? "wronly" : "other");
	out_fstat(o, fd);
}

static void creat_new(struct out *o) { creat_case(o, "w/creat-new"); }
static void creat_existing(struct out *o)
{
	if (mk_file(o, "w/creat-old", "abc"))
		creat_case(o, "w/creat-old");
}

static void open_creat_mode_umask(struct out *o)
{
	int fd = open("w/creat-umask", O_CREAT | O_WRONLY | O_CLOEXEC, 0777);
	if (out_ok(o, fd) >= 0)
		out_fstat(o, fd);
}

static void open_fifo_nonblock(struct out *o)
{
	if (mkfifo("w/fifo-open", 0644) < 0) {
		mk_fail(o, "mkfifo");
		return;
	}
	out_ok(o, open("w/fifo-open", O_WRONLY | O_NONBLOCK | O_CLOEXEC));
	out_ok(o, open("w/fifo-open", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	int fd = open("w/fifo-open", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (out_ok(o, fd) >= 0)
		out_fstat(o, fd);
}

/* O_NOATIME needs ownership: /etc/passwd belongs to root. */
static void open_noatime_other(struct out *o)
{
	out_ok(o, open("/etc/passwd", O_RDONLY | O_NOATIME | O_CLOEXEC));
}

static void reopen_proc_fd(struct out *o, const char *path, int flags, const char *suffix)
{
	int fd = open_or_fail(o, path, flags);
	if (fd < 0)
		return;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d%s", fd, suffix);
	int fd2 = open(proc, O_RDONLY | O_CLOEXEC);
	if (out_ok(o, fd2) >= 0)
		out_fstat(o, fd2);
}

static void reopen_opath(struct out *o) { reopen_proc_fd(o, "f", O_PATH, ""); }
static void proc_fd_dir_child(struct out *o) { reopen_proc_fd(o, "d", O_DIRECTORY, "/f"); }
static void proc_fd_dir_dotdot(struct out *o) { reopen_proc_fd(o, "d/sub", O_DIRECTORY, "/../f"); }

const struct conform_case open_cases[] = {
	PROBE("open-creat-excl-existing", PR_OPEN, "f", O_CREAT | O_EXCL | O_WRONLY),
	PROBE("open-creat-excl-symlink", PR_OPEN, "sl-f", O_CREAT | O_EXCL | O_WRONLY),
	PROBE("open-creat-excl-new", PR_OPEN, "w/excl-new", O_CREAT | O_EXCL | O_WRONLY),
	PROBE("open-creat-existing-keeps-content", PR_OPEN, "d/sub/g", O_CREAT | O_RDONLY),
	CASE("open-creat-mode-masked-by-umask", open_creat_mode_umask),
	PROBE("open-directory-on-file", PR_OPEN, "f", O_DIRECTORY | O_RDONLY),
	PROBE("open-directory-nofollow-symlink-dir", PR_OPEN, "sl-d", O_DIRECTORY | O_NOFOLLOW | O_RDONLY),
	PROBE("open-directory-creat", PR_OPEN, "w/dir-creat", O_DIRECTORY | O_CREAT | O_RDONLY),
	PROBE("open-dir-wronly", PR_OPEN, "d", O_WRONLY),
	PROBE("open-dir-trunc", PR_OPEN, "d", O_RDONLY | O_TRUNC),
	CASE("open-tmpfile", open_tmpfile),
	PROBE("open-tmpfile-on-file", PR_OPEN, "f", O_TMPFILE | O_RDWR),
	PROBE("open-tmpfile-rdonly", PR_OPEN, "w", O_TMPFILE | O_RDONLY),
	CASE("open-trunc", open_trunc),
	CASE("open-trunc-rdonly", open_trunc_rdonly),
	CASE("open-trunc-through-symlink", open_trunc_symlink),
	CASE("open-append-writes-at-end", open_append),
	CASE("open-cloexec", open_cloexec),
	CASE("open-flags-read-back", open_getfl),
	CASE("open-path-then-fstat-and-read", open_path_fstat),
	CASE("open-path-dir-then-fchdir", open_path_fchdir),
	PROBE("open-path-ignores-creat", PR_OPEN, "w/opath-creat", O_PATH | O_CREAT),
	CASE("creat-new", creat_new),
	CASE("creat-existing-truncates", creat_existing),
	CASE("open-fifo-nonblocking-ends", open_fifo_nonblock),
	CASE("open-noatime-other-owner", open_noatime_other),
	CASE("open-proc-fd-reopens-opath", reopen_opath),
	CASE("open-proc-fd-dir-child", proc_fd_dir_child),
	CASE("open-proc-fd-dir-dotdot", proc_fd_dir_dotdot),
	CASES_END
};
