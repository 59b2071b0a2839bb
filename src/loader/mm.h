/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the kernel keeps about the process's memory and must learn of the
 * program now that the loader has mapped it. */
#ifndef FACET_LOADER_MM_H
#define FACET_LOADER_MM_H

#include <stdint.h>

#include "loader/auxv.h"
#include "loader/elf.h"

/*
 * Tells the kernel, with prctl(PR_SET_MM, PR_SET_MM_MAP), the program's
 * code and data bounds (/proc/<pid>/stat), its brk (which the kernel set
 * up after the loader's own image) and the edited auxiliary vector
 * (/proc/<pid>/auxv). Needs no privilege but CONFIG_CHECKPOINT_RESTORE;
 * where the kernel refuses, the program keeps the loader's values, which
 * only move where its heap starts: best effort, no error.
 * strings_end: the end of the initial stack's strings (see stack_top()).
 */
void mm_describe(const struct initial_stack *st, const struct elf_image *prog, uint64_t brk,
		 uint64_t strings_end);

/* The end of the initial stack's strings and of the stack VMA: the kernel
 * puts the filename given to execve (the loader's AT_EXECFN) last, one
 * pointer below the top. */
uint64_t stack_top(const struct initial_stack *st, uint64_t page, uint64_t *strings_end);

/* Makes the whole stack executable, as exec does for a PT_GNU_STACK with
 * PF_X. 0 or a negative errno. */
long mm_exec_stack(const struct initial_stack *st, uint64_t top, uint64_t page);

#endif
