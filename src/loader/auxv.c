/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Walking the initial stack: argc, argv[argc] NULL, envp[] NULL, auxv. */
#include <linux/auxvec.h>

#include "loader/auxv.h"

void stack_read(uint64_t *sp, struct initial_stack *st)
{
	st->sp = sp;
	st->argc = sp[0];
	st->argv = (char **)(sp + 1);
	st->envp = st->argv + st->argc + 1;
	st->envc = 0;
	while (st->envp[st->envc])
		st->envc++;
	st->auxv = (uint64_t *)(st->envp + st->envc + 1);
	st->auxc = 1;
	while (st->auxv[2 * (st->auxc - 1)] != AT_NULL)
		st->auxc++;
}

uint64_t auxv_get(const struct initial_stack *st, uint64_t type, uint64_t dflt)
{
	for (uint64_t i = 0; i + 1 < st->auxc; i++)
		if (st->auxv[2 * i] == type)
			return st->auxv[2 * i + 1];
	return dflt;
}

void auxv_set(struct initial_stack *st, uint64_t type, uint64_t value)
{
	for (uint64_t i = 0; i + 1 < st->auxc; i++)
		if (st->auxv[2 * i] == type)
			st->auxv[2 * i + 1] = value;
}
