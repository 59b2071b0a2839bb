/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Mapping an ELF image as binfmt_elf does (fs/binfmt_elf.c, elf_load() and
 * load_elf_binary(), 6.x): the whole span first, so that nothing else can
 * land between the segments while they are mapped, then each PT_LOAD with
 * MAP_FIXED over it, the tail of the last file page of a segment zeroed,
 * anonymous pages for the rest of its bss, and what is left of the span
 * between segments unmapped again, as the kernel leaves it.
 *
 * The kernel reserves by mapping the first segment over the whole span and
 * unmapping the rest; we reserve with an anonymous PROT_NONE mapping, which
 * also works for an ET_EXEC image and, with MAP_FIXED_NOREPLACE, fails
 * instead of mapping over the loader itself or anything else in the way.
 */
#include <linux/errno.h>

#include "loader/elf.h"
#include "loader/lib.h"
#include "sys.h"

struct span {
	uint64_t lo, hi;	/* link-time page-aligned bounds of all PT_LOADs */
	uint64_t align;		/* largest power-of-two p_align, at least a page */
	uint64_t first_vaddr;	/* p_vaddr of the first PT_LOAD */
};

static int bad(const char **why, const char *what, int err)
{
	*why = what;
	return err;
}

static uint64_t page_down(uint64_t x, uint64_t page)
{
	return x & ~(page - 1);
}

static uint64_t page_up(uint64_t x, uint64_t page)
{
	return (x + page - 1) & ~(page - 1);
}

static int measure(const struct elf_file *f, uint64_t page, struct span *s, const char **why)
{
	int seen = 0;
	uint64_t prev = 0, hi = 0;
	s->align = page;
	for (unsigned i = 0; i < f->eh.e_phnum; i++) {
		const loader_phdr *p = &f->ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz || p->p_memsz > LOADER_TASK_SIZE ||
		    p->p_vaddr > LOADER_TASK_SIZE - p->p_memsz)
			return bad(why, "a segment outside the address space", -EINVAL);
		if ((p->p_vaddr - p->p_offset) & (page - 1))
			return bad(why, "a segment whose offset and address disagree in a page", -EINVAL);
		/* The ELF specification's order; the gaps below rely on it. */
		if (seen && p->p_vaddr < prev)
			return bad(why, "segments out of order", -ENOEXEC);
		if (!seen)
			s->first_vaddr = p->p_vaddr;
		seen = 1;
		prev = p->p_vaddr;
		if (p->p_vaddr + p->p_memsz > hi)
			hi = p->p_vaddr + p->p_memsz;
		/* maximum_alignment(): other values are not alignments. */
		if (p->p_align && !(p->p_align & (p->p_align - 1)) && p->p_align > s->align)
			s->align = p->p_align;
	}
	if (!seen)
		return bad(why, "no loadable segment", -EINVAL);
	s->lo = page_down(s->first_vaddr, page);
	s->hi = page_up(hi, page);
	return 0;
}

/* Reserves exactly [start, start + len), or fails with -EEXIST. */
static long reserve_at(uint64_t start, uint64_t len)
{
	long r = sys_mmap(start, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (sys_failed(r))
		return r;
	if ((uint64_t)r != start) {
		/* A kernel older than 4.17 took the flag for a hint. */
		sys_munmap((uint64_t)r, len);
		return -EEXIST;
	}
	return r;
}

/* Reserves len bytes aligned to align wherever mmap likes: a little more,
 * then the excess on either side given back. */
static long reserve_any(uint64_t len, uint64_t align, uint64_t page)
{
	uint64_t slack = align - page;
	long r = sys_mmap(0, len + slack, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sys_failed(r))
		return r;
	uint64_t got = (uint64_t)r, start = (got + align - 1) & ~(align - 1);
	if (start > got)
		sys_munmap(got, start - got);
	if (got + slack > start)
		sys_munmap(start + len, got + slack - start);
	return (long)start;
}

/* Where the span goes: the start of the reservation, or a negative errno. */
static long place_span(const struct elf_file *f, const struct elf_place *pl, const struct span *s,
		       uint64_t page, const char **why)
{
	uint64_t len = s->hi - s->lo, start;
	if (f->eh.e_type == ET_EXEC) {
		if (pl->how == ELF_PLACE_FIXED && pl->addr != s->lo)
			return bad(why, "an ET_EXEC image cannot move to the address asked", -EINVAL);
		start = s->lo;
	} else if (pl->how == ELF_PLACE_FIXED) {
		if (pl->addr & (s->align - 1))
			return bad(why, "the address asked is not aligned as the image needs", -EINVAL);
		start = pl->addr;
	} else if (pl->how == ELF_PLACE_NEAR) {
		/* load_bias = ELF_PAGESTART(base - vaddr) with base aligned. */
		start = page_down((pl->addr & ~(s->align - 1)) - s->first_vaddr, page) + s->lo;
	} else {
		long r = reserve_any(len, s->align, page);
		return sys_failed(r) ? bad(why, "cannot reserve address space", (int)r) : r;
	}
	if (start + len < start || start + len > LOADER_TASK_SIZE)
		return bad(why, "beyond the address space", -ENOMEM);
	long r = reserve_at(start, len);
	if (sys_failed(r))
		return bad(why, r == -EEXIST ? "its addresses are in use" : "cannot reserve address space", (int)r);
	return r;
}

static int prot_of(uint32_t flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/* elf_load(): the file part, then the bss. */
static int map_segment(int fd, const loader_phdr *p, uint64_t bias, uint64_t page, const char **why)
{
	int prot = prot_of(p->p_flags);
	uint64_t addr = bias + p->p_vaddr, pageoff = addr & (page - 1);
	uint64_t zero_start = addr - pageoff;
	if (p->p_filesz) {
		long r = sys_mmap(addr - pageoff, page_up(p->p_filesz + pageoff, page), prot,
				  MAP_PRIVATE | MAP_FIXED, fd, p->p_offset - pageoff);
		if (sys_failed(r))
			return bad(why, "cannot map a segment", (int)r);
		zero_start = addr + p->p_filesz;
		/* The rest of the last file page is file content, not bss. The
		 * kernel's clear_user() fails silently on a read-only page,
		 * which we would not survive: skip it as the kernel ends up. */
		if (p->p_memsz > p->p_filesz && (prot & PROT_WRITE))
			memset((void *)zero_start, 0, page_up(zero_start, page) - zero_start);
	}
	if (p->p_memsz > p->p_filesz) {
		uint64_t zs = page_up(zero_start, page), ze = page_up(addr + p->p_memsz, page);
		/* vm_brk_flags(): read-write whatever the segment says, plus
		 * execute if it asks for it. */
		if (ze > zs) {
			long r = sys_mmap(zs, ze - zs, PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
					  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			if (sys_failed(r))
				return bad(why, "cannot map a bss", (int)r);
		}
	}
	return 0;
}

/* Gives back the parts of the reservation no segment covers. */
static void unmap_gaps(const struct elf_file *f, uint64_t bias, uint64_t start, uint64_t end, uint64_t page)
{
	uint64_t covered = start;
	for (unsigned i = 0; i < f->eh.e_phnum; i++) {
		const loader_phdr *p = &f->ph[i];
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		uint64_t lo = page_down(bias + p->p_vaddr, page), hi = page_up(bias + p->p_vaddr + p->p_memsz, page);
		if (lo > covered)
			sys_munmap(covered, lo - covered);
		if (hi > covered)
			covered = hi;
	}
	if (end > covered)
		sys_munmap(covered, end - covered);
}

/* What load_elf_binary() computes for AT_PHDR and /proc/<pid>/stat. */
static void describe(const struct elf_file *f, uint64_t bias, struct elf_image *img)
{
	uint64_t start_code = ~0ul, end_code = 0, start_data = 0, end_data = 0, end = 0, phdr = 0;
	for (unsigned i = 0; i < f->eh.e_phnum; i++) {
		const loader_phdr *p = &f->ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_offset <= f->eh.e_phoff && f->eh.e_phoff < p->p_offset + p->p_filesz)
			phdr = f->eh.e_phoff - p->p_offset + p->p_vaddr;
		if ((p->p_flags & PF_X) && p->p_vaddr < start_code)
			start_code = p->p_vaddr;
		if (p->p_vaddr > start_data)
			start_data = p->p_vaddr;
		if ((p->p_flags & PF_X) && p->p_vaddr + p->p_filesz > end_code)
			end_code = p->p_vaddr + p->p_filesz;
		if (p->p_vaddr + p->p_filesz > end_data)
			end_data = p->p_vaddr + p->p_filesz;
		if (p->p_vaddr + p->p_memsz > end)
			end = p->p_vaddr + p->p_memsz;
	}
	img->bias = bias;
	img->entry = f->eh.e_entry + bias;
	img->phdr = phdr + bias;
	img->phnum = f->eh.e_phnum;
	img->start_code = start_code + bias;
	img->end_code = end_code + bias;
	img->start_data = start_data + bias;
	img->end_data = end_data + bias;
	img->end = end + bias;
}

int elf_map(const struct elf_file *f, const struct elf_place *pl, uint64_t page,
	    struct elf_image *img, const char **why)
{
	struct span s;
	int err = measure(f, page, &s, why);
	if (err < 0)
		return err;
	long start = place_span(f, pl, &s, page, why);
	if (sys_failed(start))
		return (int)start;
	uint64_t bias = (uint64_t)start - s.lo;
	for (unsigned i = 0; i < f->eh.e_phnum; i++)
		if (f->ph[i].p_type == PT_LOAD && (err = map_segment(f->fd, &f->ph[i], bias, page, why)) < 0)
			return err;
	unmap_gaps(f, bias, (uint64_t)start, (uint64_t)start + (s.hi - s.lo), page);
	describe(f, bias, img);
	if (img->entry >= LOADER_TASK_SIZE)
		return bad(why, "an entry point outside the address space", -EINVAL);
	return 0;
}
