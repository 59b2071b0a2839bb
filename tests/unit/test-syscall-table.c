/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks the system-call table: the architecture-neutral rows
 * (src/core/syscalls.h); every architecture's numbers
 * (src/core/arch/<arch>/numbers.h, all of them on any build machine)
 * against libseccomp's table for that architecture; the table libfacet
 * was built with, through its lookups; and a few rows whose contents other
 * parts of libfacet depend on.
 *
 * Exit status: 0 all checks passed, 1 at least one failed, 77 skipped.
 */
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "facet/facet.h"

struct number {
	const char *name;
	long nr;
};

#define NR(name_, nr_) { #name_, nr_ },
static const struct number x86_64_numbers[] = {
#include "core/arch/x86_64/numbers.h"
};
static const struct number aarch64_numbers[] = {
#include "core/arch/aarch64/numbers.h"
};
/* The numbers libfacet was built with: the directory meson.build picked. */
static const struct number host_numbers[] = {
#include "numbers.h"
};
#undef NR

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct range {
	long lo, hi;
};

struct arch {
	const char *name;
	uint32_t scmp_arch;
	const struct number *numbers;
	size_t count;
	/* Rows the architecture lacks (libseccomp gives them a pseudo-number
	 * there), and rows it has but whose number its file leaves out until
	 * libseccomp can check it; NULL-terminated. */
	const char *const *absent;
	const char *const *unchecked;
	/* Numbers that must have a row and numbers that must not, whatever
	 * libseccomp knows: a guard when it is older than the table. */
	const struct range *full, *empty;
	size_t nfull, nempty;
};

static const char *const none[] = { NULL };

static const struct range x86_64_full[] = { { 0, 334 }, { 424, 462 } };
static const struct range x86_64_empty[] = { { 335, 423 } };

static const struct arch x86_64 = {
	"x86_64", SCMP_ARCH_X86_64, x86_64_numbers, COUNT(x86_64_numbers), none, none,
	x86_64_full, x86_64_empty, COUNT(x86_64_full), COUNT(x86_64_empty),
};

/* The calls the kernel's asm-generic table left out (replaced by *at()
 * forms, by pipe2, epoll_pwait...) and x86's own. */
static const char *const aarch64_absent[] = {
	"open", "stat", "lstat", "poll", "access", "pipe", "select", "dup2", "pause", "alarm",
	"fork", "vfork", "getdents", "rename", "mkdir", "rmdir", "creat", "link", "unlink",
	"symlink", "readlink", "chmod", "chown", "lchown", "getpgrp", "utime", "mknod",
	"uselib", "ustat", "sysfs", "modify_ldt", "_sysctl", "arch_prctl", "iopl", "ioperm",
	"create_module", "get_kernel_syms", "query_module", "getpmsg", "putpmsg",
	"afs_syscall", "tuxcall", "security", "time", "set_thread_area", "get_thread_area",
	"epoll_create", "epoll_ctl_old", "epoll_wait_old", "epoll_wait", "utimes", "vserver",
	"inotify_init", "futimesat", "signalfd", "eventfd", NULL
};
/* aarch64 has them (457 on, the same number everywhere), but libseccomp
 * 2.5 does not know them: their numbers wait until it can check them. */
static const char *const aarch64_unchecked[] = {
	"statmount", "listmount", "lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules",
	"mseal", "setxattrat", "getxattrat", "listxattrat", "removexattrat", "open_tree_attr",
	"file_getattr", "file_setattr", NULL
};
static const struct range aarch64_full[] = { { 0, 243 }, { 260, 294 }, { 424, 456 } };
static const struct range aarch64_empty[] = { { 244, 259 }, { 295, 423 } };

static const struct arch aarch64 = {
	"aarch64", SCMP_ARCH_AARCH64, aarch64_numbers, COUNT(aarch64_numbers), aarch64_absent,
	aarch64_unchecked, aarch64_full, aarch64_empty, COUNT(aarch64_full), COUNT(aarch64_empty),
};

static const struct arch *const archs[] = { &x86_64, &aarch64 };

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

static const struct facet_syscall_info *row_named(const char *name)
{
	size_t n;
	const struct facet_syscall_info *rows = syscall_rows(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

/* Index of name in the architecture's numbers, -1 if it has none. */
static long number_index(const struct arch *a, const char *name)
{
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->numbers[i].name, name) == 0)
			return (long)i;
	return -1;
}

static bool listed(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

/* Check one named row: its x86-64 number, classes, return kind and
 * argument kinds exactly. */
static void expect_row(const char *name, long nr, unsigned classes, enum facet_ret_kind ret,
		       unsigned nargs, const enum facet_arg_kind *args)
{
	const struct facet_syscall_info *info = row_named(name);

	if (!info) {
		fail("%s: no row", name);
		return;
	}
	long i = number_index(&x86_64, name);
	if (i < 0 || x86_64_numbers[i].nr != nr)
		fail("%s: x86-64 nr %ld, expected %ld", name, i < 0 ? -1 : x86_64_numbers[i].nr, nr);
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

/* The neutral rows, whatever the architecture: names, arguments, classes. */
static void check_rows(void)
{
	size_t n;
	const struct facet_syscall_info *rows = syscall_rows(&n);

	if (n == 0)
		fail("the table is empty");
	for (size_t r = 0; r < n; r++) {
		const struct facet_syscall_info *info = &rows[r];

		if (!info->name || !info->name[0]) {
			fail("row %zu has no name", r);
			continue;
		}
		if (row_named(info->name) != info)
			fail("%s: two rows", info->name);
		if (info->nr != -1)
			fail("%s: a neutral row with number %ld", info->name, info->nr);

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

		if (info->classes & ~((FACET_CLASS_STAT << 1) - 1))
			fail("%s: unknown class bits %#x", info->name, info->classes);
		if (info->ret > FACET_RET_NONE)
			fail("%s: return kind %d", info->name, (int)info->ret);
	}
	printf("%zu rows\n", n);
}

/* Each number of the architecture's file: a row's, in order, once, and
 * libseccomp's for that name. */
static void check_numbers(const struct arch *a)
{
	unsigned unknown = 0;

	for (size_t i = 0; i < a->count; i++) {
		const struct number *n = &a->numbers[i];

		if (!row_named(n->name))
			fail("%s: %s (%ld) has no row in syscalls.h", a->name, n->name, n->nr);
		if (n->nr < 0 || n->nr >= FACET_NR_MAX)
			fail("%s: %s (%ld) is not in [0, FACET_NR_MAX)", a->name, n->name, n->nr);
		if (i > 0 && n->nr <= a->numbers[i - 1].nr)
			fail("%s: %s (%ld) comes after %s (%ld): out of order, or a number given twice",
			     a->name, n->name, n->nr, a->numbers[i - 1].name, a->numbers[i - 1].nr);
		if (number_index(a, n->name) != (long)i)
			fail("%s: %s has two numbers", a->name, n->name);

		int snr = seccomp_syscall_resolve_name_arch(a->scmp_arch, n->name);
		if (snr == __NR_SCMP_ERROR) {
			char *sname = seccomp_syscall_resolve_num_arch(a->scmp_arch, (int)n->nr);
			if (sname) {
				fail("%s: %s (%ld): libseccomp calls %ld \"%s\"", a->name, n->name,
				     n->nr, n->nr, sname);
				free(sname);
			} else {
				printf("note: %s: %s (%ld) unknown to this libseccomp, not checked\n",
				       a->name, n->name, n->nr);
				unknown++;
			}
		} else if (snr != n->nr) {
			fail("%s: %s: nr %ld, libseccomp says %d", a->name, n->name, n->nr, snr);
		}
	}
	printf("%s: %zu numbers, %u unknown to libseccomp\n", a->name, a->count, unknown);
}

/* Every row has a number, or is listed as absent or unchecked: never a
 * call forgotten on one architecture. */
static void check_missing(const struct arch *a)
{
	size_t n;
	const struct facet_syscall_info *rows = syscall_rows(&n);

	for (size_t r = 0; r < n; r++) {
		const char *name = rows[r].name;
		bool has = number_index(a, name) >= 0, absent = listed(a->absent, name),
		     unchecked = listed(a->unchecked, name);
		int snr = seccomp_syscall_resolve_name_arch(a->scmp_arch, name);

		if (has + absent + unchecked != 1)
			fail("%s: %s has %s", a->name, name,
			     has + absent + unchecked ? "a number and is listed without one"
						      : "no number and is not listed absent");
		else if (absent && snr >= 0)
			fail("%s: %s is listed absent, libseccomp gives it %d", a->name, name, snr);
		else if (unchecked && snr >= 0)
			fail("%s: %s is unchecked, libseccomp now gives it %d: add it to numbers.h",
			     a->name, name, snr);
		else if (unchecked && snr != __NR_SCMP_ERROR)
			fail("%s: %s is unchecked, libseccomp says the architecture lacks it",
			     a->name, name);
	}
	for (const char *const *l = a->absent; *l; l++)
		if (!row_named(*l))
			fail("%s: %s is listed absent but has no row", a->name, *l);
	for (const char *const *l = a->unchecked; *l; l++)
		if (!row_named(*l))
			fail("%s: %s is listed unchecked but has no row", a->name, *l);
}

/* Every number libseccomp knows for the architecture is in its file, with
 * the same name; and the fixed ranges. */
static void check_coverage(const struct arch *a)
{
	for (int nr = 0; nr < 1024; nr++) {
		char *sname = seccomp_syscall_resolve_num_arch(a->scmp_arch, nr);
		if (!sname)
			continue;
		size_t i = 0;
		while (i < a->count && a->numbers[i].nr != nr)
			i++;
		if (i == a->count)
			fail("%s: libseccomp knows %d \"%s\", numbers.h does not", a->name, nr, sname);
		else if (strcmp(a->numbers[i].name, sname) != 0)
			fail("%s: %d is \"%s\" in numbers.h, \"%s\" in libseccomp", a->name, nr,
			     a->numbers[i].name, sname);
		free(sname);
	}
	for (size_t r = 0; r < a->nfull + a->nempty; r++) {
		bool full = r < a->nfull;
		const struct range *g = full ? &a->full[r] : &a->empty[r - a->nfull];
		for (long nr = g->lo; nr <= g->hi; nr++) {
			size_t i = 0;
			while (i < a->count && a->numbers[i].nr != nr)
				i++;
			if (full && i == a->count)
				fail("%s: no number %ld", a->name, nr);
			if (!full && i < a->count)
				fail("%s: number %ld (%s) is in a range with none", a->name, nr,
				     a->numbers[i].name);
		}
	}
}

/* The lookups of the table libfacet was built with: exactly the host's
 * numbers, each with its neutral row, in number order. */
static void check_table(void)
{
	const struct facet_syscall_info *info, *prev = NULL;
	size_t cursor = 0, rows = 0;

	for (size_t i = 0; i < COUNT(host_numbers); i++) {
		const struct number *n = &host_numbers[i];
		const struct facet_syscall_info *row = row_named(n->name);

		info = facet_syscall_by_nr(n->nr);
		if (!info) {
			fail("facet_syscall_by_nr(%ld) is NULL, expected %s", n->nr, n->name);
			continue;
		}
		if (info->nr != n->nr || strcmp(info->name, n->name) != 0)
			fail("facet_syscall_by_nr(%ld) is %s (%ld), expected %s", n->nr, info->name,
			     info->nr, n->name);
		if (row && (info->nargs != row->nargs || info->classes != row->classes ||
			    info->ret != row->ret || memcmp(info->args, row->args, sizeof(row->args))))
			fail("%s: the table's row differs from syscalls.h's", n->name);
		if (facet_syscall_by_name(n->name) != info)
			fail("facet_syscall_by_name(\"%s\") does not return its row", n->name);
	}
	while ((info = facet_syscall_next(&cursor))) {
		rows++;
		if (prev && info->nr <= prev->nr)
			fail("facet_syscall_next: %s (%ld) comes after %s (%ld)", info->name,
			     info->nr, prev->name, prev->nr);
		if (facet_syscall_by_nr(info->nr) != info)
			fail("facet_syscall_by_nr(%ld) does not return the row of %s", info->nr,
			     info->name);
		prev = info;
	}
	if (rows != COUNT(host_numbers))
		fail("facet_syscall_next gives %zu rows, numbers.h has %zu", rows,
		     COUNT(host_numbers));

	size_t n;
	const struct facet_syscall_info *all = syscall_rows(&n);
	for (size_t r = 0; r < n; r++) {
		bool numbered = false;
		for (size_t i = 0; i < COUNT(host_numbers); i++)
			numbered |= strcmp(host_numbers[i].name, all[r].name) == 0;
		if (!numbered && facet_syscall_by_name(all[r].name))
			fail("facet_syscall_by_name(\"%s\") finds a call this architecture lacks",
			     all[r].name);
	}
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

	/* Every class has at least one row, and the stat class is exactly
	 * the stat family. */
	size_t nrows;
	const struct facet_syscall_info *rows = syscall_rows(&nrows);
	for (unsigned cls = FACET_CLASS_FILE; cls <= FACET_CLASS_STAT; cls <<= 1) {
		unsigned n = 0;
		for (size_t i = 0; i < nrows; i++)
			if (rows[i].classes & cls)
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
	for (size_t i = 0; i < COUNT(archs); i++) {
		check_numbers(archs[i]);
		check_missing(archs[i]);
		check_coverage(archs[i]);
	}
	check_table();
	check_spots();
	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	puts("ok");
	return 0;
}
