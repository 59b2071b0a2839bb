/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The initial stack the kernel built for the loader's exec, which becomes
 * the program's: argc, argv, envp, and the auxiliary vector, which the
 * loader edits in place. */
#ifndef FACET_LOADER_AUXV_H
#define FACET_LOADER_AUXV_H

#include <stdint.h>

struct initial_stack {
	uint64_t *sp;		/* at argc */
	uint64_t argc;
	char **argv;
	uint64_t envc;
	char **envp;
	uint64_t *auxv;		/* type/value pairs, the last one AT_NULL */
	uint64_t auxc;		/* pairs, AT_NULL included */
};

void stack_read(uint64_t *sp, struct initial_stack *st);

/* The value of an auxv entry, or dflt when there is none. */
uint64_t auxv_get(const struct initial_stack *st, uint64_t type, uint64_t dflt);

/* Sets an entry the kernel put there; the vector cannot grow, and the
 * kernel always provides the ones the loader sets. */
void auxv_set(struct initial_stack *st, uint64_t type, uint64_t value);

#endif
