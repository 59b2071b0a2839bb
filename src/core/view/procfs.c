/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc in a view. The supervisor resolves the tracee's paths, so its own
 * /proc/self would answer for the supervisor, and the magic links of a
 * process (cwd, root, exe, fd/N) lead to host paths: followed as the kernel
 * follows them, they would lead out of the view. Here they are read as the
 * traced process would read them in a real view: "self" is its pid, cwd and
 * root its guest cwd and root, fd/N and exe the guest path of the object.
 * A link to an object with no path (a pipe) is opened as it is; a host
 * directory the view does not show cannot be entered.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "core/view/view.h"
#include "util/cleanup.h"

/* The part of `dir` below its procfs mount: "", "/1234", "/1234/task/1235/fd"...,
 * and that mount's host directory. */
static const char *proc_rel(struct facet_session *s, const char *dir, size_t len, const char **host)
{
	const struct vfs_table *tb = s->vs->table;
	int m = vfs_mount_of(tb, dir, len);
	if (m < 0)
		return NULL;
	*host = vfs_mount_host(tb, m);
	size_t ml = tb->mounts[m].guest_len;
	return ml == 1 ? dir : dir + ml;
}

static int parse_pid(const char **p)
{
	char *end;
	if (**p != '/')
		return -1;
	long v = strtol(*p + 1, &end, 10);
	if (end == *p + 1 || v <= 0)
		return -1;
	*p = end;
	return (int)v;
}

static long put(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s);
	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(buf, s, n + 1);
	return (long)n;
}

/* The host's reading of a link, in the host's procfs. */
static long host_link(const char *procfs, const char *rel, const char *name, char *buf, size_t size)
{
	char path[VFS_PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s%s/%s", procfs, rel, name);
	ssize_t n = readlink(path, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* A host path as the guest sees it; -EACCES if the view does not show it. */
static long guest_of(struct facet_session *s, const char *host, size_t len, char *buf)
{
	int m;
	long g = vfs_guest_of_host(s->vs->table, host, len, buf, &m);
	return g < 0 ? -EACCES : g;
}

enum reading { FOLLOWING, READING };

/* t is the traced task whose paths these are; NULL before any runs. */
static long translate(struct facet_session *s, struct facet_task *t, const char *dir, size_t dir_len,
		      const char *name, char *buf, size_t size, enum reading how)
{
	const char *procfs;
	const char *rel = proc_rel(s, dir, dir_len, &procfs);
	if (!rel)
		return -ENOENT;
	if (!t)
		return how == READING ? -EINVAL : host_link(procfs, rel, name, buf, size);
	if (rel[0] == '\0') {
		if (!strcmp(name, "self"))
			return snprintf(buf, size, "%d", t->proc->pid);
		if (!strcmp(name, "thread-self"))
			return snprintf(buf, size, "%d/task/%d", t->proc->pid, t->tid);
		return how == READING ? -EINVAL : host_link(procfs, rel, name, buf, size);
	}
	const char *p = rel;
	int pid = parse_pid(&p);
	int tid = pid;
	if (pid > 0 && !strncmp(p, "/task", 5)) {
		p += 5;
		tid = parse_pid(&p);
	}
	if (pid <= 0 || tid <= 0)
		return how == READING ? -EINVAL : host_link(procfs, rel, name, buf, size);
	struct facet_task *who = task_find(s, tid);
	struct view_task *vt = who ? who->view : NULL;
	if (p[0] == '\0' && vt && vt->fs) {
		if (!strcmp(name, "cwd"))
			return view_fs_cwd(s->vs->table, vt->fs, buf, size, how == READING);
		if (!strcmp(name, "root"))
			return put(buf, size, vt->fs->root);
		if (!strcmp(name, "exe") && vt->exe[0])
			return put(buf, size, vt->exe); /* not the loader */
	}
	bool magic = (p[0] == '\0' && (!strcmp(name, "cwd") || !strcmp(name, "root") || !strcmp(name, "exe"))) ||
		     !strcmp(p, "/fd");
	if (!magic)
		return how == READING ? -EINVAL : host_link(procfs, rel, name, buf, size);
	char host[VFS_PATH_MAX];
	long n = host_link(procfs, rel, name, host, sizeof(host));
	if (n < 0)
		return n;
	if (host[0] != '/')
		return how == READING ? put(buf, size, host) : 0; /* pipe:[...], socket:[...] */
	char link[VFS_PATH_MAX + 64];
	struct stat st;
	snprintf(link, sizeof(link), "%s%s/%s", procfs, rel, name);
	bool known = stat(link, &st) == 0;
	if (how == FOLLOWING && known && !S_ISDIR(st.st_mode))
		return 0; /* a magic link leads to the object itself: a file is opened as it is */
	/* A directory (to be walked further), or a name to read: by its guest
	 * path, through the mount it was opened by if the view noted it. */
	long g = -1;
	int m;
	if (known && who && !strcmp(p, "/fd") && (m = view_fd_mount(who, atoi(name), &st)) >= 0)
		g = vfs_host_to_guest(s->vs->table, m, host, (size_t)n, buf);
	if (g < 0)
		g = guest_of(s, host, (size_t)n, buf);
	if (how == FOLLOWING)
		return g >= 0 ? g : -EACCES;
	return g >= 0 ? g : put(buf, size, host);
}

long view_proc_link(struct facet_session *s, struct facet_task *t, const char *dir, size_t dir_len,
		    const char *name, char *buf, size_t size)
{
	return translate(s, t, dir, dir_len, name, buf, size, FOLLOWING);
}

long view_proc_readlink(struct facet_task *t, const char *dir, size_t dir_len, const char *name, char *buf,
			size_t size)
{
	return translate(t->session, t, dir, dir_len, name, buf, size, READING);
}

/* The number of the last name in path[0..*len) if it is all digits (and
 * cuts it and its '/' off), else 0. */
static pid_t last_number(const char *path, size_t *len)
{
	size_t end = *len, i = end;
	while (i > 0 && path[i - 1] >= '0' && path[i - 1] <= '9')
		i--;
	if (i == end || i == 0 || path[i - 1] != '/' || end - i > 9)
		return 0;
	*len = i - 1;
	return (pid_t)strtol(path + i, NULL, 10);
}

pid_t view_proc_task_file(struct facet_session *s, int fd, char *name, size_t size)
{
	struct statfs sf;
	char magic[40], path[VFS_PATH_MAX];
	if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		return 0;
	view_magic_name(magic, sizeof(magic), fd);
	ssize_t n = readlink(magic, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;
	/* .../PID/NAME or .../PID/task/TID/NAME: the task is the last number. */
	size_t len = (size_t)n;
	while (len > 0 && path[len - 1] != '/')
		len--;
	if (len == 0 || (size_t)n - len >= size)
		return 0;
	memcpy(name, path + len, (size_t)n - len);
	name[(size_t)n - len] = '\0';
	len--;
	pid_t tid = last_number(path, &len);
	return tid > 0 && task_find(s, tid) ? tid : 0;
}

int view_sealed_file(const char *name, const char *data, size_t len)
{
	_cleanup_close_ int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0)
			return -errno;
		off += (size_t)w;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		return -errno;
	char magic[40];
	view_magic_name(magic, sizeof(magic), fd);
	int ro = open(magic, O_RDONLY | O_CLOEXEC);
	return ro < 0 ? -errno : ro;
}
