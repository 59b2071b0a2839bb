/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Landlock ruleset a view builds (src/core/view/landlock.c), enforced
 * on a child that then makes its calls by host path, as a program that got
 * past the view (around the in-process runtime) would: the kernel alone
 * decides. Writable mounts take writes, read-only ones (directories and
 * files) refuse them, nothing outside the mounts opens, stat still works
 * (Landlock does not check it), the supervisor's /proc/PID/fd is out of
 * reach; and, as README says, a read-only mount inside a writable mount's
 * host directory is writable as far as Landlock goes. Where the view's
 * root is the host's "/", writable, Landlock checks no file access but a
 * rename or link into another directory, which it allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/view/view.h"

static char T[256];
static int failures;

static void path(char *buf, const char *rel)
{
	snprintf(buf, PATH_MAX, "%s/%s", T, rel);
}

static void mk(const char *rel, const char *content)
{
	char p[PATH_MAX];
	path(p, rel);
	if (!content) {
		mkdir(p, 0755);
		return;
	}
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

/* In the confined child: one call, and whether its result is the one expected. */
static int expect(const char *what, long r, int want)
{
	int got = r < 0 ? errno : 0;
	if (got == want)
		return 0;
	printf("FAIL: %s: %s, expected %s\n", what, got ? strerrorname_np(got) : "ok",
	       want ? strerrorname_np(want) : "ok");
	return 1;
}

static long do_open(const char *rel, int flags)
{
	char p[PATH_MAX];
	path(p, rel);
	long fd = open(p, flags | O_CLOEXEC, 0644);
	if (fd >= 0)
		close((int)fd);
	return fd;
}

static long do_call(const char *call, const char *rel)
{
	char p[PATH_MAX], q[PATH_MAX + 8];
	struct stat st;
	path(p, rel);
	snprintf(q, sizeof(q), "%s.2", p);
	if (!strcmp(call, "mkdir"))
		return mkdir(p, 0755);
	if (!strcmp(call, "unlink"))
		return unlink(p);
	if (!strcmp(call, "rename"))
		return rename(p, q);
	if (!strcmp(call, "truncate"))
		return truncate(p, 0);
	return stat(p, &st);
}

static int confined(const struct view_state *vs, int supervisor_fd)
{
	int f = 0;
	f += expect("create in a writable mount", do_open("rw/new", O_WRONLY | O_CREAT), 0);
	f += expect("write in a writable mount", do_open("rw/file", O_WRONLY | O_TRUNC), 0);
	f += expect("mkdir in a writable mount", do_call("mkdir", "rw/d"), 0);
	f += expect("rename in a writable mount", do_call("rename", "rw/new"), 0);
	f += expect("read in a read-only mount", do_open("ro/file", O_RDONLY), 0);
	f += expect("list a read-only mount", do_open("ro", O_RDONLY | O_DIRECTORY), 0);
	f += expect("write in a read-only mount", do_open("ro/file", O_WRONLY), EACCES);
	f += expect("create in a read-only mount", do_open("ro/new", O_WRONLY | O_CREAT), EACCES);
	f += expect("mkdir in a read-only mount", do_call("mkdir", "ro/d"), EACCES);
	f += expect("unlink in a read-only mount", do_call("unlink", "ro/file"), EACCES);
	f += expect("rename in a read-only mount", do_call("rename", "ro/file"), EACCES);
	if (vs->landlock.handled & LANDLOCK_ACCESS_FS_TRUNCATE)
		f += expect("truncate in a read-only mount", do_call("truncate", "ro/file"), EACCES);
	f += expect("read a read-only file mount", do_open("rofile", O_RDONLY), 0);
	f += expect("write a read-only file mount", do_open("rofile", O_WRONLY), EACCES);
	f += expect("write a writable file mount", do_open("rwfile", O_WRONLY), 0);
	f += expect("read outside the view", do_open("outside/file", O_RDONLY), EACCES);
	f += expect("list outside the view", do_open("outside", O_RDONLY | O_DIRECTORY), EACCES);
	f += expect("create outside the view", do_open("outside/new", O_WRONLY | O_CREAT), EACCES);
	f += expect("stat outside the view (not Landlock's)", do_call("stat", "outside/file"), 0);
	f += expect("read the view's root", do_open("root/file", O_RDONLY), 0);
	/* /etc, missing in the root, is a synthetic directory of facet's. */
	char synth[PATH_MAX];
	snprintf(synth, sizeof(synth), "%s/etc", vs->scratch ? vs->scratch : "/nonexistent");
	f += expect("list a synthetic directory", open(synth, O_RDONLY | O_DIRECTORY | O_CLOEXEC), 0);
	strcat(synth, "/new");
	f += expect("create in a synthetic directory", open(synth, O_WRONLY | O_CREAT | O_CLOEXEC, 0644), EACCES);
	/* The union of rules: read-only inside writable is writable. */
	f += expect("write a read-only mount inside a writable one", do_open("rw/inner/file", O_WRONLY), 0);
	/* The supervisor (here: the parent) is outside the domain. */
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)getppid(), supervisor_fd);
	long fd = open(proc, O_RDONLY | O_CLOEXEC);
	f += expect("the supervisor's /proc/PID/fd", fd, EACCES);
	/* The loader's directory: read and executed. */
	fd = open(vs->loader_path, O_RDONLY | O_CLOEXEC);
	f += expect("read facet-loader", fd, 0);
	return f ? 1 : 0;
}

/* Runs check(vs, the supervisor's fd) in a child, which it confines
 * first: 1 if it failed. */
static int in_child(const struct view_state *vs, int (*check)(const struct view_state *, int))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_landlock_restrict_self, vs->landlock.ruleset_fd, 0) < 0) {
			printf("FAIL: landlock_restrict_self: %s\n", strerror(errno));
			_exit(1);
		}
		int bad = check(vs, vs->mount_fds[0]);
		fflush(stdout);
		_exit(bad);
	}
	int status;
	waitpid(pid, &status, 0);
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/* In a view whose root is the host's "/", writable: every file right is
 * given anyway, so the ruleset handles only REFER (a rename or link into
 * another directory, which a domain refuses where it is not handled); the
 * domain still keeps the tree from processes outside it. */
static int confined_host_root(const struct view_state *vs, int supervisor_fd)
{
	int f = 0;
	f += expect("read anywhere", do_open("outside/file", O_RDONLY), 0);
	f += expect("create anywhere", do_open("outside/new", O_WRONLY | O_CREAT), 0);
	char from[PATH_MAX], to[PATH_MAX];
	path(from, "outside/new");
	path(to, "rw/moved");
	f += expect("rename into another directory", rename(from, to), 0);
	f += expect("link into another directory", link(to, from), 0);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)getppid(), supervisor_fd);
	f += expect("the supervisor's /proc/PID/fd", open(proc, O_RDONLY | O_CLOEXEC), EACCES);
	return f ? 1 : 0;
}

static int host_root_case(long abi)
{
	struct facet_session *s = facet_session_new();
	struct facet_view *v = facet_view_new();
	char p[PATH_MAX];
	path(p, "rw");
	facet_view_bind(v, p, "/mnt/rw", 0);
	facet_session_set_view(s, v);
	probe_features(&s->feat);
	s->backend = FACET_BACKEND_NOTIFY;
	int bad = 0;
	if (view_start(s) < 0) {
		printf("FAIL: view_start (host root): %s\n", facet_session_error(s));
		bad = 1;
	} else {
		uint64_t want = abi >= 2 ? LANDLOCK_ACCESS_FS_REFER : LANDLOCK_ACCESS_FS_MAKE_BLOCK;
		printf("host root: handled %#llx\n", (unsigned long long)s->vs->landlock.handled);
		if (s->vs->landlock.handled != want)
			printf("FAIL: host root: handled %#llx, expected %#llx\n",
			       (unsigned long long)s->vs->landlock.handled, (unsigned long long)want), bad = 1;
		bad |= in_child(s->vs, confined_host_root);
	}
	facet_session_free(s);
	return bad;
}

static int remove_entry(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	remove(p);
	return 0;
}

int main(int argc, char **argv)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi <= 0) {
		printf("skipped: kernel has no Landlock\n");
		return 77;
	}
	/* facet-loader is in the build directory, above tests/. */
	char loader[PATH_MAX], exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 1;
	exe[n] = '\0';
	snprintf(loader, sizeof(loader), "%s/../facet-loader", dirname(exe));
	setenv("FACET_LOADER", loader, 1);

	snprintf(T, sizeof(T), "/tmp/test-view-landlock.XXXXXX");
	if (!mkdtemp(T))
		return 1;
	mk("root", NULL);
	mk("root/file", "root\n");
	mk("rw", NULL);
	mk("rw/file", "rw\n");
	mk("rw/inner", NULL);
	mk("rw/inner/file", "inner\n");
	mk("ro", NULL);
	mk("ro/file", "ro\n");
	mk("rofile", "rofile\n");
	mk("rwfile", "rwfile\n");
	mk("outside", NULL);
	mk("outside/file", "outside\n");

	struct facet_session *s = facet_session_new();
	struct facet_view *v = facet_view_new();
	char p[PATH_MAX];
	path(p, "root");
	facet_view_set_root(v, p);
	struct { const char *host, *guest; unsigned flags; } binds[] = {
		{ "rw", "/rw", 0 }, { "ro", "/ro", FACET_BIND_RO }, { "rw/inner", "/inner", FACET_BIND_RO },
		{ "rofile", "/etc/rofile", FACET_BIND_RO }, { "rwfile", "/rwfile", 0 },
	};
	for (size_t i = 0; i < sizeof(binds) / sizeof(binds[0]); i++) {
		path(p, binds[i].host);
		facet_view_bind(v, p, binds[i].guest, binds[i].flags);
	}
	facet_session_set_view(s, v);
	probe_features(&s->feat);
	s->backend = FACET_BACKEND_NOTIFY;
	int r = view_start(s);
	const char *why = NULL;
	if (r < 0) {
		printf("FAIL: view_start: %s\n", facet_session_error(s));
		failures++;
	} else if (s->vs->landlock.abi <= 0) {
		facet_session_landlock(s, &why);
		printf("skipped: %s\n", why);
	} else {
		printf("Landlock ABI %d, %u rules\n", s->vs->landlock.abi, s->vs->landlock.nrules);
		if (s->vs->landlock.abi != abi)
			printf("FAIL: ABI %d, the kernel's is %ld\n", s->vs->landlock.abi, abi), failures++;
		failures += in_child(s->vs, confined);
		failures += host_root_case(abi);
	}
	facet_session_free(s);
	nftw(T, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (why)
		return 77;
	if (!failures)
		printf("ok\n");
	return failures ? 1 : 0;
}
