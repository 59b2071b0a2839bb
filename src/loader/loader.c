/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * facet's loader: carries out a load plan (plan.h) and returns the address
 * the entry code (arch/<cpu>/start.S) jumps to. Freestanding, no
 * relocations: every address is computed relative to the instruction
 * pointer, and global data is only zero-initialized (.bss) or tables
 * without pointers.
 */
#include <linux/auxvec.h>
#include <linux/errno.h>
#include <linux/prctl.h>

#include "loader/auxv.h"
#include "loader/elf.h"
#include "loader/fail.h"
#include "loader/layout.h"
#include "loader/lib.h"
#include "loader/mm.h"
#include "loader/plan.h"
#include "loader/prepatch.h"
#include "rt/rt.h"
#include "sys.h"

/* What must outlive a plan below the stack pointer, which the program's
 * stack will overwrite (the name, AT_EXECFN's string), and after it,
 * wherever it ends, the program headers of the file being loaded: in
 * .bss, where only the pages touched are allocated, a fresh process
 * touches one page of it, not one for the strings and one for the
 * headers. A plan in loader_plan_in needs none of it (take_plan). */
static char area[LOADER_COMM_LEN + LOADER_EXECFN_MAX + ELF_PHDRS_MAX] __attribute__((aligned(8)));
#define comm_copy area
#define execfn_copy (area + LOADER_COMM_LEN)

/* Where the supervisor writes the plan: in .bss, since the kernel may
 * leave a new stack no room below the pointer for a write from outside
 * (a program exec'd with a long argv has hardly a page there until it
 * grows the stack itself). The program headers follow the plan, so that
 * a fresh process touches one page for both. */
uint8_t loader_plan_in[LOADER_PLAN_MAX + ELF_PHDRS_MAX] __attribute__((aligned(16)));

/* The plan lies in loader_plan_in, or (loader-run, a test's) below the
 * stack the loader uses (LOADER_STACK_RESERVE) and within LOADER_PLAN_MAX
 * of it: anything else is not the supervisor's doing, and reading it
 * could fault. */
static const struct loader_plan *get_plan(uint64_t addr, uint64_t sp)
{
	if (addr == 0)
		loader_fail("no load plan", NULL, "facet-loader is started by facet, not by hand", -EINVAL);
	uint64_t low = sp - LOADER_STACK_RESERVE - LOADER_PLAN_MAX, size;
	if (addr == (uint64_t)loader_plan_in)
		size = LOADER_PLAN_MAX;
	else if (addr % 8 != 0 || addr < low || addr > sp - LOADER_STACK_RESERVE - sizeof(struct loader_plan))
		loader_fail("load plan", NULL, "not below the stack pointer", -EFAULT);
	else
		size = sp - LOADER_STACK_RESERVE - addr;
	const struct loader_plan *plan = (const struct loader_plan *)addr;
	const char *why = NULL;
	int err = loader_plan_check(plan, (uint32_t)size, &why);
	if (err < 0)
		loader_fail("load plan", NULL, why, err);
	return plan;
}

static void copy_str(char *dst, const char *src, uint64_t size)
{
	uint64_t n = loader_strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The name and the process name the program gets, and where the program
 * headers go: a plan in loader_plan_in outlives the jump, and the headers
 * follow it on the page it took; one below the stack pointer is copied. */
static loader_phdr *take_plan(const struct loader_plan *plan, const char **name, const char **comm)
{
	if ((const uint8_t *)plan == loader_plan_in) {
		*name = loader_plan_str(plan, plan->execfn);
		*comm = loader_plan_str(plan, plan->comm);
		return (loader_phdr *)(loader_plan_in + (((uint64_t)plan->size + 7) & ~7ul));
	}
	copy_str(execfn_copy, loader_plan_str(plan, plan->execfn), LOADER_EXECFN_MAX);
	copy_str(comm_copy, loader_plan_str(plan, plan->comm), LOADER_COMM_LEN);
	*name = execfn_copy;
	*comm = comm_copy;
	return (loader_phdr *)(area + ((LOADER_COMM_LEN + loader_strlen(execfn_copy) + 1 + 7) & ~7ul));
}

static int open_file(const char *path)
{
	return (int)sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
}

struct loaded {
	struct elf_image img;
	const loader_phdr *ph;	/* its program headers, until the next image is read */
	unsigned phnum;
	int has_interp;		/* PT_INTERP */
	int exec_stack;		/* PT_GNU_STACK with PF_X */
	int static_pie;		/* ET_DYN without PT_INTERP */
	int over_runtime;	/* fixed where the runtime's jump table was */
};

/* facet-loader's first segment: its ELF header's page and the runtime's
 * jump table (src/loader/meson.build), at an address fixed by the jump's
 * encoding (rt/config.h). */
extern const char __ehdr_start[];

/* Whether a program fixed at its addresses overlaps that segment: a
 * non-PIE spanning some 75 MiB from 0x400000 (node, large Go programs). */
static int over_site_table(const struct elf_file *f)
{
	uint64_t lo = (uint64_t)__ehdr_start, hi = RT_SITE_TABLE + 8ull * RT_MAX_SITES;
	/* Only with the layout meson.build asks the linker for: the header's
	 * page, then the table. Else the map fails as it would (EEXIST). */
	if (RT_SITE_TABLE - lo != 4096)
		return 0;
	for (unsigned i = 0; f->eh.e_type == ET_EXEC && i < f->eh.e_phnum; i++)
		if (f->ph[i].p_type == PT_LOAD && f->ph[i].p_vaddr < hi && f->ph[i].p_vaddr + f->ph[i].p_memsz > lo)
			return 1;
	return 0;
}

/* Opens, checks and maps one image, then closes it; a failure names the
 * image with what and name. The program is the image placed NEAR. */
static void load(const char *what, const char *name, const char *path, struct elf_place place,
		 uint64_t page, loader_phdr *phdr_buf, struct loaded *out)
{
	int fd = open_file(path);
	if (fd < 0)
		loader_fail(what, name, "cannot open", fd);
	struct elf_file f;
	const char *why = NULL;
	int err = elf_read(fd, &f, phdr_buf, &why);
	/* Only the program is "not executable"; the kernel says ELIBBAD for
	 * an interpreter it cannot use, and so for the other images. */
	if (err == -ENOEXEC && place.how != ELF_PLACE_NEAR)
		err = -ELIBBAD;
	if (err < 0)
		loader_fail(what, name, why, err);
	out->ph = f.ph;
	out->phnum = f.eh.e_phnum;
	out->has_interp = f.has_interp;
	out->exec_stack = f.exec_stack;
	out->static_pie = f.eh.e_type == ET_DYN && !f.has_interp;
	/* Such a program gets the addresses and goes without the runtime:
	 * its calls take the supervisor's way (patch.c finds no table). */
	out->over_runtime = place.how == ELF_PLACE_NEAR && over_site_table(&f);
	if (out->over_runtime)
		sys_munmap((uint64_t)__ehdr_start, RT_SITE_TABLE + 8ull * RT_MAX_SITES - (uint64_t)__ehdr_start);
	/* Only a PIE with an interpreter goes near ELF_ET_DYN_BASE; a static
	 * PIE is placed like an interpreter (load_elf_binary()). */
	if (place.how == ELF_PLACE_NEAR && !f.has_interp)
		place.how = ELF_PLACE_ANY;
	if ((err = elf_map(&f, &place, page, &out->img, &why)) < 0)
		loader_fail(what, name, why, err);
	sys_close(fd);
}

static void load_extras(const struct loader_plan *plan, uint64_t page, loader_phdr *phdr_buf)
{
	const struct loader_plan_image *x = loader_plan_images(plan);
	for (uint32_t i = 0; i < plan->extra_count; i++) {
		const char *path = loader_plan_str(plan, x[i].path);
		if (x[i].addr & (page - 1))
			loader_fail("extra image", path, "address not page-aligned", -EINVAL);
		struct loaded img;
		load("extra image", path, path, (struct elf_place){ ELF_PLACE_FIXED, x[i].addr }, page, phdr_buf, &img);
	}
}

static void set_auxv(struct initial_stack *st, const struct elf_image *prog, uint64_t base, const char *execfn)
{
	auxv_set(st, AT_PHDR, prog->phdr);
	auxv_set(st, AT_PHENT, sizeof(loader_phdr));
	auxv_set(st, AT_PHNUM, prog->phnum);
	auxv_set(st, AT_ENTRY, prog->entry);
	auxv_set(st, AT_BASE, base);
	auxv_set(st, AT_EXECFN, (uint64_t)execfn);
}

/* Called by start.S with %rdi as the kernel and the supervisor left it. */
uint64_t loader_main(uint64_t plan_addr, uint64_t *sp);

uint64_t loader_main(uint64_t plan_addr, uint64_t *sp)
{
	struct initial_stack st;
	stack_read(sp, &st);
	const struct loader_plan *plan = get_plan(plan_addr, (uint64_t)sp);
	const char *name, *comm;
	loader_phdr *phdr_buf = take_plan(plan, &name, &comm);

	uint64_t page = auxv_get(&st, AT_PAGESZ, LOADER_PAGE_SIZE);
	uint32_t randomize = layout_randomize(plan->flags);
	load_extras(plan, page, phdr_buf);

	struct loaded prog, interp;
	load("program", name, loader_plan_str(plan, plan->program),
	     (struct elf_place){ ELF_PLACE_NEAR, layout_pie_base(randomize, page) }, page, phdr_buf, &prog);
	/* Now: its program headers are gone once the interpreter is read. */
	const struct loader_plan_sites *sites = prog.over_runtime ? NULL : loader_plan_sites(plan);
	if (sites)
		loader_prepatch(sites, LOADER_SITE_PROGRAM, prog.ph, prog.phnum, prog.img.bias);
	if (prog.has_interp != (plan->interp != 0))
		loader_fail("program", name, prog.has_interp ? "has an interpreter the plan does not give"
							     : "has no interpreter but the plan gives one", -EINVAL);
	uint64_t entry = prog.img.entry, base = 0;
	if (plan->interp) {
		load("interpreter of", name, loader_plan_str(plan, plan->interp),
		     (struct elf_place){ ELF_PLACE_ANY, 0 }, page, phdr_buf, &interp);
		entry = interp.img.entry;
		base = interp.img.bias;
		if (sites)
			loader_prepatch(sites, LOADER_SITE_INTERP, interp.ph, interp.phnum, interp.img.bias);
	}

	uint64_t strings_end, top = stack_top(&st, page, &strings_end);
	set_auxv(&st, &prog.img, base, name);
	mm_describe(&st, &prog.img, layout_brk(&prog.img, prog.static_pie, randomize, page), strings_end);
	long r;
	if (prog.exec_stack && (r = mm_exec_stack(&st, top, page)) < 0)
		loader_fail("program", name, "cannot make the stack executable", r);
	if ((r = sys_prctl(PR_SET_NAME, (unsigned long)comm, 0, 0, 0)) < 0)
		loader_fail("program", name, "cannot set the process name", r);
	/* Last: from here on the filter hands the runtime calls. */
	if ((plan->flags & LOADER_PLAN_RUNTIME) && !prog.over_runtime && (r = rt_start()) < 0)
		loader_fail("program", name, "cannot start facet's runtime", r);
	return entry;
}
