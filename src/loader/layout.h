/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the kernel would put a PIE and the brk, randomized as it would. */
#ifndef FACET_LOADER_LAYOUT_H
#define FACET_LOADER_LAYOUT_H

#include <stdint.h>

#include "loader/elf.h"

/* What exec would randomize in this process: LOADER_PLAN_RANDOMIZE* bits
 * from the plan, none under the ADDR_NO_RANDOMIZE personality. */
uint32_t layout_randomize(uint32_t plan_flags);

/* ELF_ET_DYN_BASE plus arch_mmap_rnd(). */
uint64_t layout_pie_base(uint32_t randomize, uint64_t page);

/* mm->start_brk for a program mapped as prog: after its bss, or, for a
 * static PIE (ET_DYN without interpreter), at ELF_ET_DYN_BASE; moved by
 * arch_randomize_brk() when the brk is randomized. */
uint64_t layout_brk(const struct elf_image *prog, int static_pie, uint32_t randomize, uint64_t page);

#endif
