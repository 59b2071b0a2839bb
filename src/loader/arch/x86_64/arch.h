/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86-64 for the loader: the system-call instruction and its register
 * convention, the ELF machine, and the kernel's layout constants that
 * binfmt_elf uses where the loader must do the same. */
#ifndef FACET_LOADER_ARCH_H
#define FACET_LOADER_ARCH_H

#include <asm/unistd.h>
#include <linux/elf.h>

typedef Elf64_Ehdr loader_ehdr;
typedef Elf64_Phdr loader_phdr;

#define LOADER_ELF_CLASS ELFCLASS64
#define LOADER_ELF_DATA ELFDATA2LSB
#define LOADER_ELF_MACHINE EM_X86_64

/* TASK_SIZE for a 64-bit task without 5-level hints (DEFAULT_MAP_WINDOW). */
#define LOADER_TASK_SIZE 0x7ffffffff000ul
/* ELF_ET_DYN_BASE: where binfmt_elf puts a PIE before randomizing it. */
#define LOADER_ET_DYN_BASE (LOADER_TASK_SIZE / 3 * 2)
/* arch_mmap_rnd(): CONFIG_ARCH_MMAP_RND_BITS, the default of
 * vm.mmap_rnd_bits (a sysctl only root can read). */
#define LOADER_MMAP_RND_BITS 28
/* arch_randomize_brk(): the brk start moves by up to 1 GiB (since 6.9). */
#define LOADER_BRK_RND_RANGE (1ul << 30)
/* When AT_PAGESZ is missing. */
#define LOADER_PAGE_SIZE 4096ul

/* Every system call of facet-loader's image (the loader's and the
 * in-process runtime's own) is made by this one function (syscall.S),
 * whose instruction, loader_gate, the session's filter admits by address
 * in fast mode: one admitted instruction, not the whole image. It returns
 * what the kernel returns: a value or -errno. */
long loader_syscall6(long nr, long a, long b, long c, long d, long e, long f);

#endif
