/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The checks binfmt_elf makes before it maps anything, with its errors. */
#include <linux/errno.h>

#include "loader/elf.h"
#include "loader/lib.h"
#include "sys.h"

static int bad(const char **why, const char *what, int err)
{
	*why = what;
	return err;
}

/* Reads exactly n bytes at off; a short read is an I/O error, as for the kernel. */
static long read_at(int fd, void *buf, uint64_t n, uint64_t off)
{
	long r = sys_pread(fd, buf, n, off);
	if (r < 0)
		return r;
	return (uint64_t)r == n ? 0 : -EIO;
}

static int check_header(const loader_ehdr *eh, const char **why)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return bad(why, "not an ELF file", -ENOEXEC);
	if (eh->e_ident[EI_CLASS] != LOADER_ELF_CLASS || eh->e_ident[EI_DATA] != LOADER_ELF_DATA ||
	    eh->e_machine != LOADER_ELF_MACHINE)
		return bad(why, "an ELF file for another machine", -ENOEXEC);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return bad(why, "an ELF file that is not an executable", -ENOEXEC);
	if (eh->e_phentsize != sizeof(loader_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_PHDRS_MAX / sizeof(loader_phdr))
		return bad(why, "bad ELF program headers", -ENOEXEC);
	return 0;
}

int elf_read(int fd, struct elf_file *f, loader_phdr phdrs[ELF_PHDRS_MAX / sizeof(loader_phdr)], const char **why)
{
	f->fd = fd;
	long r = sys_pread(fd, &f->eh, sizeof(f->eh), 0);
	if (r < 0)
		return bad(why, "cannot read", (int)r);
	if ((uint64_t)r < sizeof(f->eh))
		return bad(why, "not an ELF file", -ENOEXEC);
	int err = check_header(&f->eh, why);
	if (err < 0)
		return err;
	r = read_at(fd, phdrs, f->eh.e_phnum * sizeof(loader_phdr), f->eh.e_phoff);
	if (r < 0)
		return bad(why, "cannot read the program headers", (int)r);
	f->ph = phdrs;
	f->has_interp = 0;
	f->exec_stack = 0;
	int stack_seen = 0;
	for (unsigned i = 0; i < f->eh.e_phnum; i++) {
		if (phdrs[i].p_type == PT_INTERP)
			f->has_interp = 1;
		if (phdrs[i].p_type == PT_GNU_STACK && !stack_seen) {
			stack_seen = 1;
			f->exec_stack = (phdrs[i].p_flags & PF_X) != 0;
		}
	}
	return 0;
}
