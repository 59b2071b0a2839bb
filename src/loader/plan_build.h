/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor's side of the load plan (plan.h): build one, choose where
 * below the new stack pointer it goes, and what the kernel would randomize.
 * Library code: negative errno, no printing. */
#ifndef FACET_LOADER_PLAN_BUILD_H
#define FACET_LOADER_PLAN_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loader/plan.h"

struct loader_plan_image_spec {
	const char *path;	/* what the loader opens: normally /proc/<supervisor>/fd/<n> */
	uint64_t addr;		/* page-aligned address of the image's first page */
};

struct loader_plan_spec {
	const char *program;	/* what the loader opens for the program (a magic link) */
	const char *interp;	/* and for its PT_INTERP, or NULL for a static program */
	const char *execfn;	/* AT_EXECFN: the filename as passed to execve */
	const char *comm;	/* process name: loader_plan_comm(execfn), normally */
	uint32_t flags;		/* LOADER_PLAN_*: loader_plan_aslr_flags(), normally */
	const struct loader_plan_image_spec *extras;
	size_t extra_count;
	bool runtime;		/* start the runtime (its rt_config the supervisor writes) */
	/* The call sites for the loader to patch (with a runtime only; the
	 * interpreter's with an interpreter), at most LOADER_PLAN_MAX_SITES. */
	const struct loader_plan_site *sites;
	size_t site_count;
};

/*
 * Writes the plan for `spec` into buf[0..size) and returns its size in
 * bytes. With buf == NULL it only returns the size needed. Errors:
 * -ENOSPC (size too small), -E2BIG (over LOADER_PLAN_MAX or too many
 * extra images), -ENAMETOOLONG (a string of LOADER_EXECFN_MAX bytes or
 * more), -EINVAL (a required string missing, an address not page-aligned).
 */
ssize_t loader_plan_build(void *buf, size_t size, const struct loader_plan_spec *spec);

/*
 * Where a plan of `size` bytes goes in a new image whose initial stack
 * pointer is `sp`: below the LOADER_STACK_RESERVE bytes the loader uses
 * itself, 16-byte aligned. Returns 0 and the address in *addr, or -E2BIG
 * (size over LOADER_PLAN_MAX) or -EINVAL (sp too low to be a stack).
 *
 * At exec the kernel extends the stack VMA 128 KiB below the pages that
 * hold the argument and environment strings, then writes argc, the argv
 * and envp pointer arrays and the auxiliary vector below the strings, so
 * the address is mapped, and process_vm_writev() there works (tested on
 * 6.18), unless those pointer arrays alone take more than about 110 KiB
 * (some 14,000 arguments and environment strings): then the write fails
 * with EFAULT, since neither process_vm_writev() nor ptrace grow a stack.
 */
int loader_plan_place(uint64_t sp, size_t size, uint64_t *addr);

/* LOADER_PLAN_RANDOMIZE* flags for kernel.randomize_va_space (read from
 * /proc/sys/kernel/randomize_va_space), or a negative errno. */
int loader_plan_aslr_flags(void);

/* The process name the kernel gives a program exec'd as `filename`: its
 * last path component, cut to LOADER_COMM_LEN - 1 bytes. */
void loader_plan_comm(char comm[LOADER_COMM_LEN], const char *filename);

#endif
