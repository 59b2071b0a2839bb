/* fixture.c: paths under ROOT/t, setup steps, the fixture tree the cases
 * share, one-call probes, and removing a tree. */
#include "conform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *P(const char *rel)
{
	static char bufs[8][2 * PATH_MAX];
	static unsigned next;
	char *b = bufs[next++ % 8];
	if (rel[0] == '%' && rel[1] == '/')
		rel += 2;
	snprintf(b, sizeof(bufs[0]), "%s/%s", ctx.t, rel);
	return b;
}

const char *expand(const char *path)
{
	if (path[0] == '%' && path[1] == '/')
		return P(path);
	return path;
}

void fill(char *buf, size_t len, char c)
{
	memset(buf, c, len);
	buf[len] = '\0';
}

bool mk_fail(struct out *o, const char *what)
{
	out_add(o, "setup:%s:%s", what, errname(errno));
	return false;
}

bool mk_dir(struct out *o, const char *path)
{
	if (mkdir(expand(path), 0755) < 0)
		return mk_fail(o, path);
	return true;
}

bool mk_file(struct out *o, const char *path, const char *content)
{
	int fd = open(expand(path), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return mk_fail(o, path);
	size_t len = strlen(content);
	bool ok = write(fd, content, len) == (ssize_t)len;
	if (!ok)
		mk_fail(o, path);
	close(fd);
	return ok;
}

bool mk_link(struct out *o, const char *target, const char *path)
{
	if (symlink(expand(target), expand(path)) < 0)
		return mk_fail(o, path);
	return true;
}

bool mk_script(struct out *o, const char *path, const char *text)
{
	if (!mk_file(o, path, text))
		return false;
	if (chmod(expand(path), 0755) < 0)
		return mk_fail(o, path);
	return true;
}

int open_or_fail(struct out *o, const char *path, int flags)
{
	int fd = open(expand(path), O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0)
		mk_fail(o, path);
	return fd;
}

/* Removes NAME in DIRFD whatever it is; directories are made accessible
 * first (the fixture has some that are not). */
static int rm_at(int parent, const char *name)
{
	if (unlinkat(parent, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	fchmodat(parent, name, 0700, 0);
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		int e = rm_at(dirfd(d), de->d_name);
		if (e < 0 && r == 0)
			r = e;
		if (e == 0)
			rewinddir(d);
	}
	closedir(d);
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && r == 0)
		r = -errno;
	return r;
}

int rm_tree(const char *path)
{
	return rm_at(AT_FDCWD, path);
}

void probe_run(struct out *o, const struct conform_case *c)
{
	const char *path = expand(c->path);
	int fd;

	switch (c->op) {
	case PR_NONE:
		break;
	case PR_STAT:
		out_stat(o, path);
		break;
	case PR_LSTAT:
		out_lstat(o, path);
		break;
	case PR_OPEN:
		fd = open(path, (int)c->arg, 0644);
		if (out_ok(o, fd) >= 0) {
			out_fstat(o, fd);
			close(fd);
		}
		break;
	case PR_READLINK:
		out_readlink(o, path);
		break;
	case PR_ACCESS:
		out_rc(o, access(path, (int)c->arg));
		break;
	case PR_MKDIR:
		if (out_rc(o, mkdir(path, (mode_t)c->arg)) == 0)
			out_stat(o, path);
		break;
	case PR_RMDIR:
		out_rc(o, rmdir(path));
		break;
	case PR_UNLINK:
		out_rc(o, unlink(path));
		break;
	case PR_CHDIR:
		if (out_rc(o, chdir(path)) == 0)
			out_cwd(o);
		break;
	case PR_LIST:
		out_list(o, path);
		break;
	case PR_TRUNCATE:
		if (out_rc(o, truncate(path, c->arg)) == 0)
			out_stat(o, path);
		break;
	}
}

/* --- the fixture ----------------------------------------------------------------- */

static void setup_dirs(struct out *o)
{
	static const char *const dirs[] = {
		"d", "d/sub", "e", "w", "bin", "chain", "x000", "x644", "x555",
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!mk_dir(o, dirs[i]))
			return;
	out_add(o, "ok");
}

static void setup_files(struct out *o)
{
	static const char *const files[][2] = {
		{ "d/f", "hello\n" },
		{ "d/sub/g", "g" },
		{ "f", "0123456789" },
		{ "ro", "ro" },
		{ "x000/inner", "inner" },
		{ "x644/inner", "inner" },
		{ "x555/inner", "inner" },
		{ "bin/noexec", "#!/bin/sh\n" },
		{ "bin/garbage", "\001\002\003 not a program\n" },
		{ "w/.keep", "" },
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!mk_file(o, files[i][0], files[i][1]))
			return;
	out_add(o, "ok");
}

static void setup_symlinks(struct out *o)
{
	static const char *const links[][2] = {
		{ "f", "sl-f" },
		{ "d", "sl-d" },
		{ "%/d/f", "sl-abs" },
		{ "%/d", "sl-absd" },
		{ "sl-chain2", "sl-chain1" },
		{ "sl-f", "sl-chain2" },
		{ "sl-loop2", "sl-loop1" },
		{ "sl-loop1", "sl-loop2" },
		{ "sl-self", "sl-self" },
		{ "nothere", "sl-dangling" },
		{ "d/sub/../f", "sl-dotdot" },
		{ "d/", "sl-d-slash" },
		{ "f/", "sl-f-slash" },
		{ "x000/inner", "sl-x000" },
		{ "../../f", "d/sub/sl-up" },
		{ "..", "d/sl-parent" },
		{ "sub", "d/sl-sub" },
		{ "d/sub", "sl-deep" },
	};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (!mk_link(o, links[i][0], links[i][1]))
			return;
	out_add(o, "ok");
}

/* chain/c1 -> c2 -> ... -> c41 -> ../f: stat("chain/c2") follows 40
 * symlinks (the kernel's limit), stat("chain/c1") 41. */
static void setup_chain(struct out *o)
{
	char name[32], target[32];
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "chain/c%d", i);
		if (i == 41)
			snprintf(target, sizeof(target), "../f");
		else
			snprintf(target, sizeof(target), "c%d", i + 1);
		if (!mk_link(o, target, name))
			return;
	}
	out_add(o, "ok");
}

static void setup_modes(struct out *o)
{
	static const struct { const char *path; mode_t mode; } modes[] = {
		{ "ro", 0444 }, { "x000", 0 }, { "x644", 0644 }, { "x555", 0555 },
		{ "bin/garbage", 0755 },
	};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (chmod(modes[i].path, modes[i].mode) < 0) {
			mk_fail(o, modes[i].path);
			return;
		}
	out_add(o, "ok");
}

/* bin/conform: a copy of this program, so that exec'd paths are under ROOT. */
static void setup_self_copy(struct out *o)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		mk_fail(o, "/proc/self/exe");
		return;
	}
	int out = open("bin/conform", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0) {
		mk_fail(o, "bin/conform");
		close(in);
		return;
	}
	char buf[65536];
	ssize_t n;
	bool ok = true;
	while (ok && (n = read(in, buf, sizeof(buf))) != 0)
		ok = n > 0 && write(out, buf, (size_t)n) == n;
	if (!ok)
		mk_fail(o, "copy");
	close(in);
	if (close(out) < 0 && ok)
		ok = mk_fail(o, "close");
	if (ok)
		out_add(o, "ok");
}

static void setup_scripts(struct out *o)
{
	char abs[PATH_MAX + 64];
	snprintf(abs, sizeof(abs), "#!%s --exec-report\n", P("bin/conform"));
	if (!mk_file(o, "bin/script-abs", abs) ||
	    !mk_file(o, "bin/script-rel", "#!bin/conform --exec-report\n") ||
	    !mk_file(o, "bin/script-missing", "#!/nonexistent/interpreter\n"))
		return;
	static const char *const scripts[] = { "bin/script-abs", "bin/script-rel", "bin/script-missing" };
	for (size_t i = 0; i < 3; i++)
		if (chmod(scripts[i], 0755) < 0) {
			mk_fail(o, scripts[i]);
			return;
		}
	out_add(o, "ok");
}

const struct conform_case setup_cases[] = {
	CASE("setup-dirs", setup_dirs),
	CASE("setup-files", setup_files),
	CASE("setup-symlinks", setup_symlinks),
	CASE("setup-symlink-chain", setup_chain),
	CASE("setup-modes", setup_modes),
	CASE("setup-self-copy", setup_self_copy),
	CASE("setup-scripts", setup_scripts),
	CASES_END
};
