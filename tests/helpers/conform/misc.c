/* misc.c: other calls that take paths: directory listings, truncate,
 * statfs, user.* extended attributes, inotify watches, AF_UNIX sockets
 * bound and connected by path. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

/* --- truncate, statfs ---------------------------------------------------------------- */

static void truncate_case(struct out *o, const char *make, const char *path, off_t len)
{
	if (!mk_file(o, make, "abcdef"))
		return;
	out_rc(o, truncate(path, len));
	out_stat(o, make);
}

static void truncate_shrink(struct out *o) { truncate_case(o, "w/tr1", "w/tr1", 3); }

static void truncate_symlink(struct out *o)
{
	if (mk_link(o, "tr4", "w/tr4-link"))
		truncate_case(o, "w/tr4", "w/tr4-link", 1);
}

static void ftruncate_opath(struct out *o)
{
	int fd = open_or_fail(o, "f", O_PATH);
	if (fd >= 0)
		out_rc(o, ftruncate(fd, 0));
}

static void statfs_type(struct out *o)
{
	struct statfs sf;
	if (out_rc(o, statfs(P("d"), &sf)) == 0)
		out_add(o, "type=0x%lx namelen=%ld", (unsigned long)sf.f_type, (long)sf.f_namelen);
}

static void fstatfs_same(struct out *o)
{
	struct statfs a, b;
	int fd = open_or_fail(o, "sl-d", O_PATH);
	if (fd < 0 || out_rc(o, statfs("sl-d/sub", &a)) < 0 || out_rc(o, fstatfs(fd, &b)) < 0)
		return;
	out_add(o, "%s", a.f_type == b.f_type && a.f_bsize == b.f_bsize ? "same" : "differs");
}

/* --- user.* extended attributes ----------------------------------------------------------- */

/* Makes w/NAME with user.test = "v1"; EOPNOTSUPP (the file system has no
 * user xattrs) is the result then, and a valid one. */
static bool xa_file(struct out *o, const char *name, char *path, size_t size)
{
	snprintf(path, size, "w/%s", name);
	if (!mk_file(o, path, "x"))
		return false;
	if (setxattr(path, "user.test", "v1", 2, 0) < 0) {
		out_add(o, "%s", errname(errno));
		return false;
	}
	return true;
}

static void out_getxattr(struct out *o, const char *path, bool follow)
{
	char v[64];
	ssize_t n = follow ? getxattr(path, "user.test", v, sizeof(v)) : lgetxattr(path, "user.test", v, sizeof(v));
	if (out_ok(o, n) >= 0)
		out_add(o, "\"%.*s\"", (int)n, v);
}

static void xattr_set_get(struct out *o)
{
	char p[64];
	if (xa_file(o, "xa1", p, sizeof(p)))
		out_getxattr(o, p, true);
}

static void xattr_sizes(struct out *o)
{
	char p[64], v[1];
	if (!xa_file(o, "xa2", p, sizeof(p)))
		return;
	out_rc(o, getxattr(p, "user.test", NULL, 0));
	out_rc(o, getxattr(p, "user.test", v, 1));
}

static void xattr_list(struct out *o)
{
	char p[64], list[1024];
	if (!xa_file(o, "xa3", p, sizeof(p)) || setxattr(p, "user.another", "", 0, 0) < 0)
		return;
	ssize_t n = listxattr(p, list, sizeof(list));
	if (out_ok(o, n) < 0)
		return;
	/* Only user.*: security.* names depend on the system's LSM. */
	char *names[32];
	size_t k = 0;
	for (char *s = list; s < list + n && k < 32; s += strlen(s) + 1)
		if (strncmp(s, "user.", 5) == 0)
			names[k++] = s;
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *tmp = names[j];
			names[j] = names[j - 1];
			names[j - 1] = tmp;
		}
	for (size_t i = 0; i < k; i++)
		out_add(o, "%s", names[i]);
}

static void xattr_flags(struct out *o)
{
	char p[64];
	if (!xa_file(o, "xa4", p, sizeof(p)))
		return;
	out_rc(o, setxattr(p, "user.test", "v2", 2, XATTR_CREATE));
	out_rc(o, setxattr(p, "user.new", "v2", 2, XATTR_REPLACE));
	out_rc(o, getxattr(p, "user.new", NULL, 0));
}

static void xattr_remove(struct out *o)
{
	char p[64];
	if (!xa_file(o, "xa5", p, sizeof(p)))
		return;
	out_rc(o, removexattr(p, "user.test"));
	out_getxattr(o, p, true);
	out_rc(o, removexattr(p, "user.test"));
}

static void xattr_through_symlink(struct out *o)
{
	char p[64];
	if (!xa_file(o, "xa6", p, sizeof(p)) || !mk_link(o, "xa6", "w/xa6-link"))
		return;
	out_getxattr(o, "w/xa6-link", true);
	out_getxattr(o, "w/xa6-link", false);
	out_rc(o, lsetxattr("w/xa6-link", "user.test", "v", 1, 0));
}

static void xattr_fd(struct out *o)
{
	char p[64], v[8];
	if (!xa_file(o, "xa7", p, sizeof(p)))
		return;
	int fd = open_or_fail(o, p, 0);
	if (fd < 0)
		return;
	out_rc(o, fsetxattr(fd, "user.fd", "f", 1, 0));
	out_rc(o, fgetxattr(fd, "user.fd", v, sizeof(v)));
}

static void xattr_bad_namespace(struct out *o)
{
	char p[64];
	if (xa_file(o, "xa9", p, sizeof(p)))
		out_rc(o, setxattr(p, "nonamespace.x", "v", 1, 0));
}

static void xattr_missing_file(struct out *o)
{
	char v[8];
	out_rc(o, getxattr("nothere", "user.test", v, sizeof(v)));
	out_rc(o, getxattr("f/", "user.test", v, sizeof(v)));
}

/* --- inotify ------------------------------------------------------------------------------------- */

static void out_events(struct out *o, int fd)
{
	static const struct { uint32_t mask; const char *name; } names[] = {
		{ IN_CREATE, "IN_CREATE" }, { IN_DELETE, "IN_DELETE" }, { IN_MODIFY, "IN_MODIFY" },
		{ IN_ATTRIB, "IN_ATTRIB" }, { IN_OPEN, "IN_OPEN" }, { IN_CLOSE_WRITE, "IN_CLOSE_WRITE" },
		{ IN_MOVED_FROM, "IN_MOVED_FROM" }, { IN_MOVED_TO, "IN_MOVED_TO" },
		{ IN_DELETE_SELF, "IN_DELETE_SELF" }, { IN_IGNORED, "IN_IGNORED" }, { IN_ISDIR, "IN_ISDIR" },
	};
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		out_add(o, "%s", errno == EAGAIN ? "no-events" : errname(errno));
		return;
	}
	for (char *p = buf; p < buf + n;) {
		struct inotify_event *ev = (struct inotify_event *)p;
		char word[256] = "";
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (ev->mask & names[i].mask)
				snprintf(word + strlen(word), sizeof(word) - strlen(word), "%s%s",
					 word[0] ? "|" : "", names[i].name);
		out_add(o, "%s%s%s", word, ev->len ? ":" : "", ev->len ? ev->name : "");
		p += sizeof(*ev) + ev->len;
	}
}

static int watch(struct out *o, const char *path, uint32_t mask, int *wd)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		mk_fail(o, "inotify_init1");
		return -1;
	}
	*wd = inotify_add_watch(fd, path, mask);
	if (out_ok(o, *wd) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void inotify_create(struct out *o)
{
	int wd;
	if (!mk_dir(o, "w/ino1"))
		return;
	int fd = watch(o, P("w/ino1"), IN_CREATE | IN_DELETE, &wd);
	if (fd < 0 || !mk_file(o, "w/ino1/n", "x"))
		return;
	out_rc(o, unlink("w/ino1/n"));
	out_events(o, fd);
}

static void inotify_file(struct out *o)
{
	int wd;
	if (!mk_file(o, "w/ino2", "x"))
		return;
	int fd = watch(o, "w/ino2", IN_MODIFY | IN_CLOSE_WRITE | IN_OPEN, &wd);
	if (fd >= 0 && mk_file(o, "w/ino2", "y"))
		out_events(o, fd);
}

static void inotify_symlink(struct out *o, uint32_t extra, const char *made)
{
	int wd;
	int fd = watch(o, "sl-d", IN_CREATE | IN_ATTRIB | extra, &wd);
	if (fd < 0 || !mk_file(o, made, "x"))
		return;
	out_events(o, fd);
	unlink(made);
}

static void inotify_follow(struct out *o) { inotify_symlink(o, 0, "d/ino-follow"); }
static void inotify_dont_follow(struct out *o) { inotify_symlink(o, IN_DONT_FOLLOW, "d/ino-nofollow"); }

static void inotify_after_chdir(struct out *o)
{
	int wd;
	if (!mk_dir(o, "w/ino3") || chdir("w/ino3") < 0)
		return;
	int fd = watch(o, ".", IN_CREATE, &wd);
	if (fd >= 0 && mk_file(o, "n", "x"))
		out_events(o, fd);
}

static void inotify_same_inode_same_wd(struct out *o)
{
	int wd1, wd2;
	int fd = watch(o, "d", IN_CREATE, &wd1);
	if (fd >= 0 && out_ok(o, wd2 = inotify_add_watch(fd, P("sl-absd"), IN_CREATE)) >= 0)
		out_add(o, "%s", wd1 == wd2 ? "same-wd" : "different-wd");
}

static void inotify_onlydir_file(struct out *o) { int wd; watch(o, "f", IN_CREATE | IN_ONLYDIR, &wd); }

/* --- AF_UNIX sockets ----------------------------------------------------------------------------- */

static socklen_t sun_of(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path, sizeof(sa->sun_path), "%s", path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sa->sun_path) + 1);
}

static int bound(struct out *o, const char *path, bool listening)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		mk_fail(o, "socket");
		return -1;
	}
	socklen_t len = sun_of(&sa, path);
	if (out_rc(o, bind(fd, (struct sockaddr *)&sa, len)) < 0 ||
	    (listening && listen(fd, 4) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void out_sockname(struct out *o, int fd, bool peer)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	int r = peer ? getpeername(fd, (struct sockaddr *)&sa, &len) : getsockname(fd, (struct sockaddr *)&sa, &len);
	if (out_rc(o, r) == 0)
		out_add(o, "\"%.*s\"", (int)(len - offsetof(struct sockaddr_un, sun_path)), sa.sun_path);
}

static int connected(struct out *o, const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		mk_fail(o, "socket");
		return -1;
	}
	socklen_t len = sun_of(&sa, path);
	if (out_rc(o, connect(fd, (struct sockaddr *)&sa, len)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void unix_bind_abs(struct out *o)
{
	int fd = bound(o, P("w/sock1"), false);
	if (fd < 0)
		return;
	out_lstat(o, "w/sock1");
	out_sockname(o, fd, false);
}

static void unix_bind_rel(struct out *o)
{
	int fd = bound(o, "w/sock2", false);
	if (fd >= 0)
		out_sockname(o, fd, false);
}

static void unix_bind_existing(struct out *o) { bound(o, "f", false); }
static void unix_bind_dangling_symlink(struct out *o) { bound(o, "sl-dangling", false); }
static void unix_bind_trailing_slash(struct out *o) { bound(o, "w/sock-slash/", false); }

static void unix_connect(struct out *o, const char *sock, const char *via, const char *link)
{
	int srv = bound(o, sock, true);
	if (srv < 0 || (link && !mk_link(o, link, via)))
		return;
	int fd = connected(o, via);
	if (fd >= 0)
		out_sockname(o, fd, true);
}

static void unix_connect_abs(struct out *o) { unix_connect(o, "w/sock3", P("w/sock3"), NULL); }
static void unix_connect_rel(struct out *o) { unix_connect(o, P("w/sock4"), "w/sock4", NULL); }
static void unix_connect_symlink(struct out *o) { unix_connect(o, "w/sock5", "w/sock5-link", "sock5"); }
static void unix_connect_not_socket(struct out *o) { connected(o, "f"); }
static void unix_connect_x000(struct out *o) { connected(o, "x000/sock"); }

/* A path longer than sun_path reached by a relative name after chdir. */
static void unix_long_path(struct out *o)
{
	char dir[200];
	snprintf(dir, sizeof(dir), "w/");
	fill(dir + 2, 120, 's');
	if (!mk_dir(o, dir) || chdir(dir) < 0)
		return;
	out_add(o, "%s", strlen(P(dir)) + 2 > sizeof(((struct sockaddr_un *)0)->sun_path) ? "longer-than-sun_path" : "short");
	int srv = bound(o, "s", true);
	if (srv < 0)
		return;
	out_lstat(o, "s");
	int fd = connected(o, "s");
	if (fd >= 0)
		out_sockname(o, fd, true);
}

/* A relative name filling sun_path, without a terminating '\0' (PRoot's
 * test-ssssssss). Known to fail in a view (ENAMETOOLONG): see
 * tests/PROOT-COVERAGE.md. */
static void unix_full_sun_path(struct out *o)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memset(sa.sun_path, 's', sizeof(sa.sun_path));
	if (chdir("w") < 0) {
		mk_fail(o, "chdir");
		return;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		mk_fail(o, "socket");
		return;
	}
	if (out_rc(o, bind(fd, (struct sockaddr *)&sa, sizeof(sa))) < 0)
		return;
	char name[sizeof(sa.sun_path) + 1];
	memcpy(name, sa.sun_path, sizeof(sa.sun_path));
	name[sizeof(sa.sun_path)] = '\0';
	out_lstat(o, name);
	struct sockaddr_un got;
	socklen_t len = sizeof(got) + 1;
	memset(&got, 0, sizeof(got));
	if (out_rc(o, getsockname(fd, (struct sockaddr *)&got, &len)) == 0)
		out_add(o, "len=%u same=%s", (unsigned)len,
			memcmp(got.sun_path, sa.sun_path, sizeof(sa.sun_path)) == 0 ? "yes" : "no");
	out_rc(o, unlink(name));
}

/* A relative name of 100 bytes: it fits sun_path, however long the
 * working directory's path. Known to fail in a view (ENAMETOOLONG): see
 * tests/PROOT-COVERAGE.md. */
static void unix_relative_100(struct out *o)
{
	char name[101];
	fill(name, 100, 'r');
	if (chdir("w") < 0) {
		mk_fail(o, "chdir");
		return;
	}
	int fd = bound(o, name, true);
	if (fd < 0)
		return;
	out_lstat(o, name);
	int c = connected(o, name);
	if (c >= 0)
		out_add(o, "connected");
	out_rc(o, unlink(name));
}

const struct conform_case misc_cases[] = {
	PROBE("list-dir", PR_LIST, "d", 0),
	PROBE("list-through-symlink", PR_LIST, "sl-absd", 0),
	PROBE("list-dotdot", PR_LIST, "d/sub/..", 0),
	CASE("truncate-shrink", truncate_shrink),
	CASE("truncate-through-symlink", truncate_symlink),
	PROBE("truncate-readonly-file", PR_TRUNCATE, "ro", 0),
	PROBE("truncate-dir", PR_TRUNCATE, "d", 0),
	PROBE("truncate-trailing-slash", PR_TRUNCATE, "f/", 0),
	CASE("ftruncate-opath-fd", ftruncate_opath),
	CASE("statfs-type", statfs_type),
	CASE("fstatfs-same-as-statfs", fstatfs_same),
	CASE("xattr-set-get", xattr_set_get),
	CASE("xattr-size-query-and-short-buffer", xattr_sizes),
	CASE("xattr-list-user", xattr_list),
	CASE("xattr-create-replace-flags", xattr_flags),
	CASE("xattr-remove", xattr_remove),
	CASE("xattr-through-symlink", xattr_through_symlink),
	CASE("xattr-fd", xattr_fd),
	CASE("xattr-unknown-namespace", xattr_bad_namespace),
	CASE("xattr-missing-and-trailing-slash", xattr_missing_file),
	CASE("inotify-dir-create-delete", inotify_create),
	CASE("inotify-file-open-modify-close", inotify_file),
	CASE("inotify-symlink-followed", inotify_follow),
	CASE("inotify-symlink-dont-follow", inotify_dont_follow),
	CASE("inotify-relative-after-chdir", inotify_after_chdir),
	CASE("inotify-same-inode-same-wd", inotify_same_inode_same_wd),
	CASE("inotify-onlydir-on-file", inotify_onlydir_file),
	CASE("unix-bind-abs", unix_bind_abs),
	CASE("unix-bind-rel", unix_bind_rel),
	CASE("unix-bind-existing-file", unix_bind_existing),
	CASE("unix-bind-dangling-symlink", unix_bind_dangling_symlink),
	CASE("unix-bind-trailing-slash", unix_bind_trailing_slash),
	CASE("unix-connect-abs", unix_connect_abs),
	CASE("unix-connect-rel", unix_connect_rel),
	CASE("unix-connect-through-symlink", unix_connect_symlink),
	CASE("unix-connect-not-socket", unix_connect_not_socket),
	CASE("unix-connect-x000", unix_connect_x000),
	CASE("unix-long-path-relative-after-chdir", unix_long_path),
	CASE("unix-bind-full-sun-path-without-nul", unix_full_sun_path),
	CASE("unix-bind-connect-relative-100-bytes", unix_relative_100),
	CASES_END
};
