/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The load plan: what the supervisor tells facet's loader (src/loader/) to do.
 *
 * Protocol. When a program inside a view calls execve, the supervisor
 * resolves and checks the guest path, then lets the call run with the path
 * of the loader (facet-loader) in its place and the program's own argv and
 * envp. At the loader's PTRACE_EVENT_EXEC stop the supervisor writes a plan
 * into the loader's .bss (loader_plan_in: a program exec'd with a long
 * argv leaves the new stack hardly a page below the pointer that a write
 * from outside can reach) or, a test's helper, below the stack pointer
 * (loader_plan_place(), plan_build.h), and puts its address in %rdi (the
 * kernel leaves every register but %rsp and %rip zero, so a loader started
 * by hand sees no plan and says so). The loader maps the extra images, the
 * program and its interpreter as binfmt_elf would, fixes the auxiliary
 * vector, sets the process name and jumps to the interpreter's entry (or the
 * program's) with the kernel's initial stack pointer, as if the kernel had
 * exec'd the program itself. A plan below the pointer is the program's
 * stack once it runs, so the loader copies the strings that must outlive
 * the jump (AT_EXECFN, the name) into an area of its own .bss. On any error the loader writes one line,
 * "facet: loader: <what>: <errno name>", to fd 2 and exits with status 127.
 *
 * Layout. One contiguous block, native byte order (the loader and the
 * supervisor run on one machine): the header below, then the optional
 * array of extra images (8-byte aligned), then NUL-terminated strings.
 * Every reference inside the plan is an offset from the plan's first byte,
 * never a pointer, so the block means the same at any address and the
 * loader has nothing to relocate. loader_plan_check() (plan_check.c) is
 * the one definition of a valid plan; both sides use it.
 *
 * Versioning. The loader and the supervisor are built and installed
 * together; a plan whose version is not exactly LOADER_PLAN_VERSION is
 * refused. Change the version with any change of layout or meaning; new
 * optional behaviour may instead take a bit in `flags` (unknown bits are
 * refused, so an old loader never silently ignores a request).
 *
 * The runtime. With LOADER_PLAN_RUNTIME, the loader starts the in-process
 * runtime (src/rt/), which lives in the loader's own image, just before it
 * jumps to the program. Its configuration is not in the plan: the
 * supervisor writes it into the runtime's own `rt_config` at the same
 * stop, packed, the bytes in use only (rt_config_size: a fresh process
 * then has one page of it), and rt_start() checks it (rt_config_valid).
 * With `sites` set too, it first patches those call sites of the
 * interpreter (the ones the supervisor patched in earlier processes,
 * core/view/sites.c), as the supervisor would at their first call: all of
 * them, only if every one holds the bytes the plan gives.
 *
 * This header is included by freestanding code: <stdint.h> only.
 */
#ifndef FACET_LOADER_PLAN_H
#define FACET_LOADER_PLAN_H

#include <stdint.h>

#include "rt/config.h"

#define LOADER_PLAN_MAGIC 0x504c4346u	/* "FCLP" in memory on a little-endian machine */
#define LOADER_PLAN_VERSION 6u

/* Largest plan, header included: the size of loader_plan_in, and with
 * LOADER_STACK_RESERVE how far below the stack pointer a plan placed
 * there lies (see loader_plan_place()). */
#define LOADER_PLAN_MAX (24u * 1024)

/* Stack the loader may use below the initial stack pointer before it has
 * copied what it needs from the plan; the plan lies below this. The loader
 * is built with -Wframe-larger-than=1024 and calls at most a few levels
 * deep, so 8 KiB leaves a wide margin. */
#define LOADER_STACK_RESERVE (8u * 1024)

/* Longest AT_EXECFN string, NUL included (the kernel's PATH_MAX for the
 * filename given to execve); the loader keeps a copy of this size. */
#define LOADER_EXECFN_MAX 4096u

/* The kernel's comm, NUL included (TASK_COMM_LEN). */
#define LOADER_COMM_LEN 16

/* Extra images per plan (none is needed today: the runtime is in the
 * loader's image; kept for images a later engine may need). */
#define LOADER_PLAN_MAX_EXTRAS 8u

/* Call sites of the interpreter and the program to patch per plan. */
#define LOADER_PLAN_MAX_SITES 48u

/* flags: what the kernel's exec would have randomized. The supervisor reads
 * kernel.randomize_va_space (loader_plan_aslr_flags()); the loader also
 * honours the process's ADDR_NO_RANDOMIZE personality (setarch -R, gdb). */
#define LOADER_PLAN_RANDOMIZE 0x1u	/* randomize_va_space >= 1: PIE base */
#define LOADER_PLAN_RANDOMIZE_BRK 0x2u	/* randomize_va_space >= 2: the brk too */
#define LOADER_PLAN_RUNTIME 0x4u	/* start the runtime, whose rt_config the supervisor wrote */
#define LOADER_PLAN_FLAGS_KNOWN (LOADER_PLAN_RANDOMIZE | LOADER_PLAN_RANDOMIZE_BRK | LOADER_PLAN_RUNTIME)

struct loader_plan {
	uint32_t magic;		/* LOADER_PLAN_MAGIC */
	uint32_t version;	/* LOADER_PLAN_VERSION */
	uint32_t size;		/* bytes in the whole plan, header, array and strings included;
				   at most LOADER_PLAN_MAX */
	uint32_t flags;		/* LOADER_PLAN_* bits */
	uint32_t program;	/* offset of the path the loader opens for the program; the
				   supervisor gives a magic link to a file it opened itself
				   (/proc/<its pid>/fd/<n>), which open() follows */
	uint32_t interp;	/* offset of the path for the program's ELF interpreter (the
				   guest's own ld.so), 0 for a static program; must be given
				   exactly when the program has a PT_INTERP */
	uint32_t execfn;	/* offset of the string AT_EXECFN points to: the filename as
				   the program passed it to execve (shorter than
				   LOADER_EXECFN_MAX) */
	uint32_t comm;		/* offset of the process name for prctl(PR_SET_NAME): what the
				   kernel would have set, the basename of that filename (the
				   kernel keeps its first 15 bytes) */
	uint32_t extras;	/* offset of struct loader_plan_image[extra_count], 8-byte
				   aligned; 0 when extra_count is 0 */
	uint32_t extra_count;	/* at most LOADER_PLAN_MAX_EXTRAS */
	uint32_t reserved;	/* 0 */
	uint32_t sites;		/* offset of a struct loader_plan_sites, 8-byte aligned; 0: none.
				   Only with LOADER_PLAN_RUNTIME (and `interp` for its sites) */
};

/* An ELF image mapped at a fixed address before the program. Its PT_LOAD segments are mapped as the kernel maps an ET_DYN
 * image, with its lowest segment's page at `addr`, which must be free
 * (MAP_FIXED_NOREPLACE). Nothing is relocated and nothing is run: the image
 * must need no relocations, and whoever wants it started starts it. */
struct loader_plan_image {
	uint64_t addr;		/* page-aligned address of the image's first page */
	uint32_t path;		/* offset of the path to open, as for `program` */
	uint32_t flags;		/* 0 */
};

/* A call site of the interpreter or the program for the runtime: where
 * it lies in the file, the bytes it must hold there, and what the
 * runtime's table says of it (struct rt_site's nr and imm: rt/config.h). */
struct loader_plan_site {
	uint64_t off;		/* file offset of the site's first byte */
	uint32_t how, imm;
	uint8_t orig[8];	/* `len` bytes, then 0 */
	uint8_t len;		/* 7, or 8: a site whose jump takes a prefix byte */
	uint8_t image;		/* LOADER_SITE_INTERP or LOADER_SITE_PROGRAM */
	uint8_t reserved[6];	/* 0 */
};

#define LOADER_SITE_INTERP 0u
#define LOADER_SITE_PROGRAM 1u

struct loader_plan_sites {
	uint32_t count;		/* at most LOADER_PLAN_MAX_SITES */
	uint32_t reserved;	/* 0 */
	struct loader_plan_site site[];
};

_Static_assert(sizeof(struct loader_plan) == 48, "the plan header is ABI between loader and supervisor");
_Static_assert(sizeof(struct loader_plan_site) == 32, "plan sites are ABI between loader and supervisor");
_Static_assert(sizeof(struct loader_plan_image) == 16, "plan images are ABI between loader and supervisor");

/* 0 when the `avail` bytes at `plan` are a valid plan (magic, version,
 * size, flags, every offset and string inside the plan, required strings
 * present, limits); otherwise a negative errno (-EPROTO for a wrong magic
 * or version, -EINVAL for the rest) and, if `why` is not NULL, a short
 * description of the first problem found in *why ("bad magic", ...).
 * Freestanding (plan_check.c): the loader and the supervisor share it. */
int loader_plan_check(const struct loader_plan *plan, uint32_t avail, const char **why);

/* The string at `offset` of a checked plan. */
static inline const char *loader_plan_str(const struct loader_plan *plan, uint32_t offset)
{
	return (const char *)plan + offset;
}

/* The sites to patch in a checked plan, or NULL. */
static inline const struct loader_plan_sites *loader_plan_sites(const struct loader_plan *plan)
{
	return plan->sites ? (const struct loader_plan_sites *)((const char *)plan + plan->sites) : 0;
}

/* The extra images of a checked plan. */
static inline const struct loader_plan_image *loader_plan_images(const struct loader_plan *plan)
{
	return (const struct loader_plan_image *)((const char *)plan + plan->extras);
}

#endif
