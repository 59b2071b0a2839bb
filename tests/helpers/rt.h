/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the helper-rt-* programs (tests/integration/view-runtime.sh):
 * each prints a transcript of "case: result" lines that must be the same
 * natively and inside a view, in every mode. So:
 *  - results are words: 0, values, errno names (ENOENT...), never messages;
 *  - a path is printed as the program named it, with the directory it was
 *    given (rt_dir) shown as "DIR": natively DIR is a host directory, in a
 *    view the guest's name for another one;
 *  - nothing that varies between runs (pids, fd numbers, inode numbers,
 *    addresses, times that are not set by the program).
 * Everything goes through say(), which writes the line at once (with
 * write(2), so that a child's and a parent's lines are never duplicated by
 * stdio buffers across fork, and a line is whole even from a signal
 * handler).
 */
#ifndef FACET_TESTS_RT_H
#define FACET_TESTS_RT_H

#include <errno.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *rt_dir = "";

/* Runs fn on a stack of RT_TINY_STACK bytes with RT_TINY_CANARY bytes of a
 * known pattern below it: how many of those fn (or whatever serves its
 * calls) wrote, or -errno if the memory could not be had. */
#define RT_TINY_CANARY (60 * 1024)
#define RT_TINY_STACK 4096

static ucontext_t rt_main_ctx, rt_tiny_ctx;

static inline long rt_on_tiny_stack(void (*fn)(void))
{
	char *m = mmap(NULL, RT_TINY_CANARY + RT_TINY_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	memset(m, 0xa5, RT_TINY_CANARY);
	getcontext(&rt_tiny_ctx);
	rt_tiny_ctx.uc_stack.ss_sp = m + RT_TINY_CANARY;
	rt_tiny_ctx.uc_stack.ss_size = RT_TINY_STACK;
	rt_tiny_ctx.uc_link = &rt_main_ctx;
	makecontext(&rt_tiny_ctx, fn, 0);
	swapcontext(&rt_main_ctx, &rt_tiny_ctx);
	long touched = 0;
	for (size_t i = 0; i < RT_TINY_CANARY; i++)
		touched += (unsigned char)m[i] != 0xa5;
	munmap(m, RT_TINY_CANARY + RT_TINY_STACK);
	return touched;
}

static inline const char *ename(int e)
{
	if (e == 0)
		return "0";
	const char *n = strerrorname_np(e);
	if (n)
		return n;
	static char buf[16];
	snprintf(buf, sizeof(buf), "E#%d", e);
	return buf;
}

/* The result of a call that returns -1 and sets errno: "0" or the errno name. */
static inline const char *rc(long r)
{
	return r < 0 ? ename(errno) : "0";
}

/* PATH with rt_dir at its start shown as DIR (into BUF). */
static inline const char *rel(const char *path, char *buf, size_t size)
{
	size_t n = strlen(rt_dir);
	if (n && strncmp(path, rt_dir, n) == 0 && (path[n] == '/' || path[n] == 0))
		snprintf(buf, size, "DIR%s", path + n);
	else
		snprintf(buf, size, "%s", path);
	return buf;
}

__attribute__((format(printf, 1, 2))) static inline void say(const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(1, line + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3);
		off += (int)w;
	}
}

/* DIR/NAME into BUF. */
static inline const char *in_dir(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", rt_dir, name);
	return buf;
}

/* A stat, in words: type, permission bits, size (not for directories,
 * whose size depends on the file system), links (idem), and whether the
 * owner is the caller. */
static inline const char *stat_words(const struct stat *st, char *buf, size_t size)
{
	const char *type = S_ISREG(st->st_mode)	 ? "reg"
			   : S_ISDIR(st->st_mode) ? "dir"
			   : S_ISLNK(st->st_mode) ? "lnk"
			   : S_ISFIFO(st->st_mode) ? "fifo"
			   : S_ISSOCK(st->st_mode) ? "sock"
			   : S_ISCHR(st->st_mode) ? "chr"
			   : S_ISBLK(st->st_mode) ? "blk"
						  : "?";
	if (S_ISDIR(st->st_mode))
		snprintf(buf, size, "%s %04o%s", type, (unsigned)(st->st_mode & 07777),
			 st->st_uid == getuid() ? " own" : " other");
	else
		snprintf(buf, size, "%s %04o size=%lld nlink=%lu%s", type, (unsigned)(st->st_mode & 07777),
			 (long long)st->st_size, (unsigned long)st->st_nlink, st->st_uid == getuid() ? " own" : " other");
	return buf;
}

#endif
