/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Patching the interpreter's known call sites for the runtime (prepatch.c). */
#ifndef FACET_LOADER_PREPATCH_H
#define FACET_LOADER_PREPATCH_H

#include <stdint.h>

#include "arch.h"
#include "loader/plan.h"

/* The sites of the plan in `image` (LOADER_SITE_INTERP or
 * LOADER_SITE_PROGRAM), whose program headers are ph (phnum of them) and
 * whose bias is `bias`: all patched, or none. */
void loader_prepatch(const struct loader_plan_sites *ps, unsigned image, const loader_phdr *ph, unsigned phnum,
		     uint64_t bias);

#endif
