/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system-call table of the architecture libfacet is built for: the
 * architecture-neutral rows of syscalls.h, numbered by this architecture's
 * numbers.h. The table by number, which the public lookups return, is
 * built from both once, on first use.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "facet/facet.h"
#include "util/cleanup.h"

#define F FACET_CLASS_FILE
#define D FACET_CLASS_DESC
#define P FACET_CLASS_PROCESS
#define N FACET_CLASS_NETWORK
#define S FACET_CLASS_SIGNAL
#define M FACET_CLASS_MEMORY
#define I FACET_CLASS_IPC
#define C FACET_CLASS_CREDS
#define K FACET_CLASS_CLOCK
#define T FACET_CLASS_STAT

#define A_(k) FACET_ARG_##k
#define ARGS_0(x) 0
#define ARGS_1(a) A_(a)
#define ARGS_2(a, b) A_(a), A_(b)
#define ARGS_3(a, b, c) A_(a), A_(b), A_(c)
#define ARGS_4(a, b, c, d) A_(a), A_(b), A_(c), A_(d)
#define ARGS_5(a, b, c, d, e) A_(a), A_(b), A_(c), A_(d), A_(e)
#define ARGS_6(a, b, c, d, e, f) A_(a), A_(b), A_(c), A_(d), A_(e), A_(f)

/* ROW_<name>: a row's index, so that numbers.h can name rows. */
enum row_index {
#define SC(name_, ...) ROW_##name_,
#include "core/syscalls.h"
#undef SC
	ROW_COUNT
};

static const struct facet_syscall_info rows[ROW_COUNT] = {
#define SC(name_, cls_, ret_, n_, ...)                                                   \
	[ROW_##name_] = { .nr = -1, .name = #name_, .nargs = n_, .classes = (cls_),      \
			  .ret = FACET_RET_##ret_, .args = { ARGS_##n_(__VA_ARGS__) } },
#include "core/syscalls.h"
#undef SC
};

#undef F
#undef D
#undef P
#undef N
#undef S
#undef M
#undef I
#undef C
#undef K
#undef T

/* Number -> row index + 1, 0 for a number without a call; its size is the
 * highest number + 1. Made by the compiler: a name without a row is an
 * undeclared ROW_, a number given twice an overridden initializer (an error
 * with -Wextra -Werror). */
static const uint16_t row_by_nr[] = {
#define NR(name_, nr_) [nr_] = ROW_##name_ + 1,
#include "numbers.h" /* src/core/arch/<arch>/, the directory meson.build picks */
#undef NR
};

#define TABLE_SIZE ARRAY_SIZE(row_by_nr)
_Static_assert(TABLE_SIZE <= FACET_NR_MAX, "a system-call number is not below FACET_NR_MAX");

static struct facet_syscall_info table[TABLE_SIZE];
/* The rows with a number, sorted by name, for facet_syscall_by_name():
 * the view's and the engines' tables name hundreds of calls at start. */
static const struct facet_syscall_info *by_name[TABLE_SIZE];
static size_t named;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static int name_order(const void *a, const void *b)
{
	return strcmp((*(const struct facet_syscall_info *const *)a)->name,
		      (*(const struct facet_syscall_info *const *)b)->name);
}

static void build_table(void)
{
	for (size_t nr = 0; nr < TABLE_SIZE; nr++) {
		if (!row_by_nr[nr])
			continue;
		table[nr] = rows[row_by_nr[nr] - 1];
		table[nr].nr = (long)nr;
		by_name[named++] = &table[nr];
	}
	qsort(by_name, named, sizeof(by_name[0]), name_order);
}

/* The table, built on first use. */
static const struct facet_syscall_info *get_table(void)
{
	pthread_once(&table_once, build_table);
	return table;
}

const struct facet_syscall_info *facet_syscall_by_nr(long nr)
{
	if (nr < 0 || (size_t)nr >= TABLE_SIZE || !row_by_nr[nr])
		return NULL;
	return &get_table()[nr];
}

const struct facet_syscall_info *facet_syscall_by_name(const char *name)
{
	get_table();
	const struct facet_syscall_info key = { .name = name }, *k = &key;
	const struct facet_syscall_info *const *found = bsearch(&k, by_name, named, sizeof(by_name[0]), name_order);
	return found ? *found : NULL;
}

const struct facet_syscall_info *facet_syscall_next(size_t *cursor)
{
	const struct facet_syscall_info *t = get_table();
	while (*cursor < TABLE_SIZE) {
		const struct facet_syscall_info *info = &t[(*cursor)++];
		if (info->name)
			return info;
	}
	return NULL;
}

const struct facet_syscall_info *syscall_rows(size_t *count)
{
	*count = ROW_COUNT;
	return rows;
}

unsigned facet_syscall_class_by_name(const char *name)
{
	static const struct { const char *name; unsigned cls; } classes[] = {
		{ "%file", FACET_CLASS_FILE },       { "%desc", FACET_CLASS_DESC },
		{ "%process", FACET_CLASS_PROCESS }, { "%network", FACET_CLASS_NETWORK },
		{ "%net", FACET_CLASS_NETWORK },     { "%signal", FACET_CLASS_SIGNAL },
		{ "%memory", FACET_CLASS_MEMORY },   { "%ipc", FACET_CLASS_IPC },
		{ "%creds", FACET_CLASS_CREDS },     { "%clock", FACET_CLASS_CLOCK },
		{ "%stat", FACET_CLASS_STAT },
	};
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcmp(classes[i].name, name) == 0)
			return classes[i].cls;
	return 0;
}
