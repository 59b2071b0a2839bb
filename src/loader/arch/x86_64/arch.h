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

/* rcx and r11 are clobbered by the instruction itself (return address and
 * flags); the result, or -errno, comes back in rax. */
static inline long loader_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
