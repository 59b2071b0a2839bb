/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading an ELF file's headers and mapping its PT_LOAD segments the way
 * the kernel's binfmt_elf does. */
#ifndef FACET_LOADER_ELF_H
#define FACET_LOADER_ELF_H

#include <stdint.h>

#include "arch.h"

/* The kernel's limit on the program header table (load_elf_phdrs()). */
#define ELF_PHDRS_MAX 65536

struct elf_file {
	int fd;
	loader_ehdr eh;
	/* e_phnum headers, in the caller's buffer, which the next
	 * elf_read() reuses: map one file before reading the next. */
	const loader_phdr *ph;
	int has_interp;		/* a PT_INTERP */
	int exec_stack;		/* the first PT_GNU_STACK has PF_X */
};

/* Reads and checks the headers of the file open on fd, the program
 * headers into buf (ELF_PHDRS_MAX bytes). 0, or a negative
 * errno with *why saying what is wrong (-ENOEXEC: not an ELF executable
 * for this machine, as the kernel says it). */
int elf_read(int fd, struct elf_file *f, loader_phdr buf[ELF_PHDRS_MAX / sizeof(loader_phdr)], const char **why);

enum elf_place_how {
	ELF_PLACE_ANY,		/* ET_DYN: wherever mmap puts it (interpreter, static PIE) */
	ELF_PLACE_NEAR,		/* ET_DYN: at addr, rounded down to the image's alignment (PIE) */
	ELF_PLACE_FIXED,	/* the first page exactly at addr (extra images) */
};

struct elf_place {
	enum elf_place_how how;
	uint64_t addr;
};

/* Where an image went, and what the kernel records about a program. */
struct elf_image {
	uint64_t bias;		/* run-time address minus link-time address (AT_BASE) */
	uint64_t entry;		/* e_entry + bias */
	uint64_t phdr;		/* AT_PHDR */
	uint64_t phnum;
	uint64_t start_code, end_code, start_data, end_data;	/* /proc/<pid>/stat's */
	uint64_t end;		/* end of the highest segment in memory: the brk follows */
};

/* Maps f's PT_LOAD segments (an ET_EXEC image always at its own
 * addresses), with page the page size. 0, or a negative errno and *why. */
int elf_map(const struct elf_file *f, const struct elf_place *place, uint64_t page,
	    struct elf_image *img, const char **why);

#endif
