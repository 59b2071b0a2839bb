/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks the system-call table against libseccomp's name table for x86-64,
 * its internal consistency, and a few rows whose contents other parts of
 * libfacet depend on.
 *
 * Exit status: 0 all checks passed, 1 at least one failed, 77 skipped.
 */
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facet/facet.h"

static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	failures++;
}

/* Check one named row: classes, return kind and argument kinds exactly. */
static void expect_row(const char *name, long nr, unsigned classes, enum facet_ret_kind ret,
		       unsigned nargs, const enum facet_arg_kind *args)
{
	const struct facet_syscall_info *info = facet_syscall_by_name(name);

	if (!info) {
		fail("%s: no row", name);
		return;
	}
	if (info->nr != nr)
		fail("%s: nr %ld, expected %ld", name, info->nr, nr);
	if (info->classes != classes)
		fail("%s: classes %#x, expected %#x", name, info->classes, classes);
	if (info->ret != ret)
		fail("%s: return kind %d, expected %d", name, (int)info->ret, (int)ret);
	if (info->nargs != nargs)
		fail("%s: nargs %u, expected %u", name, info->nargs, nargs);
	for (unsigned i = 0; args && i < nargs && i < FACET_MAX_ARGS; i++)
		if (info->args[i] != args[i])
			fail("%s: arg %u kind %d, expected %d", name, i, (int)info->args[i],
			     (int)args[i]);
}

static void check_rows(void)
{
	const struct facet_syscall_info *info, *prev = NULL;
	size_t cursor = 0;
	unsigned rows = 0, unknown_to_seccomp = 0;

	while ((info = facet_syscall_next(&cursor))) {
		rows++;

		if (!info->name || !info->name[0]) {
			fail("row for nr %ld has no name", info->nr);
			continue;
		}
		if (prev && info->nr <= prev->nr)
			fail("%s (%ld) comes after %s (%ld): rows out of order", info->name,
			     info->nr, prev->name, prev->nr);
		prev = info;

		/* The lookups agree with the iteration. */
		if (facet_syscall_by_nr(info->nr) != info)
			fail("facet_syscall_by_nr(%ld) does not return the row of %s", info->nr,
			     info->name);
		if (facet_syscall_by_name(info->name) != info)
			fail("facet_syscall_by_name(\"%s\") does not return its row (duplicate name?)",
			     info->name);

		/* Name and number as libseccomp knows them. */
		int snr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, info->name);
		if (snr == __NR_SCMP_ERROR) {
			char *sname = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, (int)info->nr);
			if (sname) {
				fail("%s (%ld): libseccomp calls %ld \"%s\"", info->name, info->nr,
				     info->nr, sname);
				free(sname);
			} else {
				printf("note: %s (%ld) unknown to this libseccomp, not checked\n",
				       info->name, info->nr);
				unknown_to_seccomp++;
			}
		} else if (snr != info->nr) {
			fail("%s: nr %ld, libseccomp says %d", info->name, info->nr, snr);
		}

		/* Arguments. */
		if (info->nargs > FACET_MAX_ARGS) {
			fail("%s: nargs %u > %d", info->name, info->nargs, FACET_MAX_ARGS);
			continue;
		}
		for (unsigned i = 0; i < FACET_MAX_ARGS; i++) {
			enum facet_arg_kind k = info->args[i];
			if (i >= info->nargs && k != FACET_ARG_NONE)
				fail("%s: arg %u (beyond nargs %u) is kind %d, not NONE", info->name,
				     i, info->nargs, (int)k);
			if (i < info->nargs && (k == FACET_ARG_NONE || k >= FACET_ARG_KIND_COUNT))
				fail("%s: arg %u has kind %d", info->name, i, (int)k);
		}

		/* Classes and return kind are in range. */
		if (info->classes & ~((FACET_CLASS_STAT << 1) - 1))
			fail("%s: unknown class bits %#x", info->name, info->classes);
		if (info->ret > FACET_RET_NONE)
			fail("%s: return kind %d", info->name, (int)info->ret);
	}

	if (rows == 0)
		fail("the table is empty");
	printf("%u rows, %u unknown to libseccomp\n", rows, unknown_to_seccomp);
}

/* Every call libseccomp knows for x86-64 in the contiguous low range has a row,
 * and so do the ones from 424 on. */
static void check_coverage(void)
{
	for (int nr = 0; nr < 600; nr++) {
		char *sname = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		if (!sname)
			continue;
		const struct facet_syscall_info *info = facet_syscall_by_nr(nr);
		if (!info)
			fail("libseccomp knows %d \"%s\", the table has no row", nr, sname);
		else if (strcmp(info->name, sname) != 0)
			fail("%d is \"%s\" in the table, \"%s\" in libseccomp", nr, info->name, sname);
		free(sname);
	}
	for (long nr = 0; nr <= 334; nr++)
		if (!facet_syscall_by_nr(nr))
			fail("no row for %ld", nr);
	for (long nr = 424; nr <= 462; nr++)
		if (!facet_syscall_by_nr(nr))
			fail("no row for %ld", nr);
	for (long nr = 335; nr < 424; nr++)
		if (facet_syscall_by_nr(nr))
			fail("row for unused number %ld (%s)", nr, facet_syscall_by_nr(nr)->name);
	if (facet_syscall_by_nr(-1))
		fail("facet_syscall_by_nr(-1) is not NULL");
	if (facet_syscall_by_nr(100000))
		fail("facet_syscall_by_nr(100000) is not NULL");
	if (facet_syscall_by_name("no_such_syscall"))
		fail("facet_syscall_by_name(\"no_such_syscall\") is not NULL");
}

static void check_spots(void)
{
	const unsigned F = FACET_CLASS_FILE, D = FACET_CLASS_DESC, P = FACET_CLASS_PROCESS,
		       N = FACET_CLASS_NETWORK, S = FACET_CLASS_SIGNAL, M = FACET_CLASS_MEMORY,
		       T = FACET_CLASS_STAT;

	expect_row("openat", 257, F | D, FACET_RET_FD, 4,
		   (const enum facet_arg_kind[]){ FACET_ARG_DIRFD, FACET_ARG_PATH,
						  FACET_ARG_OPEN_FLAGS, FACET_ARG_MODE });
	expect_row("open", 2, F | D, FACET_RET_FD, 3,
		   (const enum facet_arg_kind[]){ FACET_ARG_PATH, FACET_ARG_OPEN_FLAGS,
						  FACET_ARG_MODE });
	/* strace: TD|TF|TFST|TSTA */
	expect_row("newfstatat", 262, F | D | T, FACET_RET_INT, 4,
		   (const enum facet_arg_kind[]){ FACET_ARG_DIRFD, FACET_ARG_PATH,
						  FACET_ARG_STAT_OUT, FACET_ARG_AT_FLAGS });
	expect_row("stat", 4, F | T, FACET_RET_INT, 2,
		   (const enum facet_arg_kind[]){ FACET_ARG_PATH, FACET_ARG_STAT_OUT });
	expect_row("fstat", 5, D | T, FACET_RET_INT, 2,
		   (const enum facet_arg_kind[]){ FACET_ARG_FD, FACET_ARG_STAT_OUT });
	expect_row("statx", 332, F | D | T, FACET_RET_INT, 5,
		   (const enum facet_arg_kind[]){ FACET_ARG_DIRFD, FACET_ARG_PATH,
						  FACET_ARG_AT_FLAGS, FACET_ARG_STATX_MASK,
						  FACET_ARG_STATX_OUT });
	expect_row("read", 0, D, FACET_RET_INT, 3,
		   (const enum facet_arg_kind[]){ FACET_ARG_FD, FACET_ARG_BUF_OUT, FACET_ARG_UINT });
	expect_row("openat2", 437, F | D, FACET_RET_FD, 4,
		   (const enum facet_arg_kind[]){ FACET_ARG_DIRFD, FACET_ARG_PATH,
						  FACET_ARG_OPEN_HOW, FACET_ARG_UINT });
	/* strace marks getpid/getppid/gettid PU|NF (%pure), not %process. */
	expect_row("getppid", 110, 0, FACET_RET_INT, 0, NULL);
	expect_row("getpid", 39, 0, FACET_RET_INT, 0, NULL);
	/* strace 6: execve is both %file and %process, execveat also %desc. */
	expect_row("execve", 59, F | P, FACET_RET_INT, 3,
		   (const enum facet_arg_kind[]){ FACET_ARG_PATH, FACET_ARG_ARGV, FACET_ARG_ENVP });
	expect_row("execveat", 322, F | D | P, FACET_RET_INT, 5,
		   (const enum facet_arg_kind[]){ FACET_ARG_DIRFD, FACET_ARG_PATH, FACET_ARG_ARGV,
						  FACET_ARG_ENVP, FACET_ARG_AT_FLAGS });
	expect_row("chdir", 80, F, FACET_RET_INT, 1,
		   (const enum facet_arg_kind[]){ FACET_ARG_PATH });
	expect_row("fchdir", 81, D, FACET_RET_INT, 1,
		   (const enum facet_arg_kind[]){ FACET_ARG_FD });
	expect_row("mmap", 9, D | M, FACET_RET_HEX, 6,
		   (const enum facet_arg_kind[]){ FACET_ARG_PTR, FACET_ARG_UINT,
						  FACET_ARG_MMAP_PROT, FACET_ARG_MMAP_FLAGS,
						  FACET_ARG_FD, FACET_ARG_HEX });
	expect_row("brk", 12, M, FACET_RET_HEX, 1,
		   (const enum facet_arg_kind[]){ FACET_ARG_PTR });
	expect_row("exit", 60, P, FACET_RET_NONE, 1,
		   (const enum facet_arg_kind[]){ FACET_ARG_INT });
	expect_row("exit_group", 231, P, FACET_RET_NONE, 1,
		   (const enum facet_arg_kind[]){ FACET_ARG_INT });
	expect_row("rt_sigreturn", 15, S, FACET_RET_INT, 0, NULL);
	expect_row("kill", 62, S | P, FACET_RET_INT, 2,
		   (const enum facet_arg_kind[]){ FACET_ARG_INT, FACET_ARG_SIGNAL });
	expect_row("clone", 56, P, FACET_RET_INT, 5,
		   (const enum facet_arg_kind[]){ FACET_ARG_CLONE_FLAGS, FACET_ARG_PTR,
						  FACET_ARG_PTR, FACET_ARG_PTR, FACET_ARG_HEX });
	expect_row("socket", 41, N, FACET_RET_FD, 3,
		   (const enum facet_arg_kind[]){ FACET_ARG_SOCK_FAMILY, FACET_ARG_SOCK_TYPE,
						  FACET_ARG_INT });
	expect_row("connect", 42, N, FACET_RET_INT, 3,
		   (const enum facet_arg_kind[]){ FACET_ARG_FD, FACET_ARG_SOCKADDR, FACET_ARG_UINT });
	expect_row("pidfd_getfd", 438, D, FACET_RET_FD, 3,
		   (const enum facet_arg_kind[]){ FACET_ARG_FD, FACET_ARG_INT, FACET_ARG_HEX });
	expect_row("readlinkat", 267, F | D, FACET_RET_INT, 4,
		   (const enum facet_arg_kind[]){ FACET_ARG_DIRFD, FACET_ARG_PATH,
						  FACET_ARG_PATH_OUT, FACET_ARG_UINT });
	expect_row("_sysctl", 156, 0, FACET_RET_INT, 1,
		   (const enum facet_arg_kind[]){ FACET_ARG_PTR });
	expect_row("mseal", 462, M, FACET_RET_INT, 3,
		   (const enum facet_arg_kind[]){ FACET_ARG_PTR, FACET_ARG_UINT, FACET_ARG_HEX });

	/* Class names, as strace spells them. */
	static const struct { const char *name; unsigned cls; } classes[] = {
		{ "%file", FACET_CLASS_FILE },       { "%desc", FACET_CLASS_DESC },
		{ "%process", FACET_CLASS_PROCESS }, { "%network", FACET_CLASS_NETWORK },
		{ "%net", FACET_CLASS_NETWORK },     { "%signal", FACET_CLASS_SIGNAL },
		{ "%memory", FACET_CLASS_MEMORY },   { "%ipc", FACET_CLASS_IPC },
		{ "%creds", FACET_CLASS_CREDS },     { "%clock", FACET_CLASS_CLOCK },
		{ "%stat", FACET_CLASS_STAT },
	};
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (facet_syscall_class_by_name(classes[i].name) != classes[i].cls)
			fail("facet_syscall_class_by_name(\"%s\") = %#x, expected %#x",
			     classes[i].name, facet_syscall_class_by_name(classes[i].name),
			     classes[i].cls);
	if (facet_syscall_class_by_name("file") != 0)
		fail("facet_syscall_class_by_name(\"file\") is not 0");
	if (facet_syscall_class_by_name("%nonsense") != 0)
		fail("facet_syscall_class_by_name(\"%%nonsense\") is not 0");

	/* Every class has at least one member, and the stat class is exactly
	 * the stat family. */
	for (unsigned cls = FACET_CLASS_FILE; cls <= FACET_CLASS_STAT; cls <<= 1) {
		size_t cursor = 0;
		const struct facet_syscall_info *info;
		unsigned n = 0;
		while ((info = facet_syscall_next(&cursor)))
			if (info->classes & cls)
				n++;
		if (n == 0)
			fail("class %#x has no member", cls);
		if (cls == FACET_CLASS_STAT && n != 5)
			fail("%%stat has %u members, expected 5 (stat fstat lstat newfstatat statx)",
			     n);
	}
}

int main(void)
{
	check_rows();
	check_coverage();
	check_spots();
	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	puts("ok");
	return 0;
}
