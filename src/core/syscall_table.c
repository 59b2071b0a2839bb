/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lookup functions over the per-architecture table in arch/<arch>/syscalls.h. */
#include <string.h>

#include "facet/facet.h"

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

#define SC(nr_, name_, cls_, ret_, n_, ...)                                    \
	[nr_] = { .nr = nr_, .name = #name_, .nargs = n_, .classes = (cls_),   \
		  .ret = FACET_RET_##ret_, .args = { ARGS_##n_(__VA_ARGS__) } },

static const struct facet_syscall_info table[] = {
#if defined(__x86_64__)
#include "arch/x86_64/syscalls.h"
#else
#error "libfacet has no system-call table for this architecture yet: add src/core/arch/<arch>/syscalls.h"
#endif
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

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

const struct facet_syscall_info *facet_syscall_by_nr(long nr)
{
	if (nr < 0 || (size_t)nr >= TABLE_SIZE || !table[nr].name)
		return NULL;
	return &table[nr];
}

const struct facet_syscall_info *facet_syscall_by_name(const char *name)
{
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (table[i].name && strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const struct facet_syscall_info *facet_syscall_next(size_t *cursor)
{
	while (*cursor < TABLE_SIZE) {
		const struct facet_syscall_info *info = &table[(*cursor)++];
		if (info->name)
			return info;
	}
	return NULL;
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
