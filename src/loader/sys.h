/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The system calls the loader makes, typed, over the architecture's raw
 * instruction (arch/<cpu>/arch.h). Each returns what the kernel returns:
 * a value, or -errno. openat rather than open: new architectures have
 * only the *at calls. */
#ifndef FACET_LOADER_SYS_H
#define FACET_LOADER_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/uio.h>

#include "arch.h"

/* Results in [-4095, -1] are errors, for calls that return addresses too. */
static inline int sys_failed(long r)
{
	return (unsigned long)r > -4096ul;
}

static inline long sys_openat(int dirfd, const char *path, int flags)
{
	return loader_syscall6(__NR_openat, dirfd, (long)path, flags, 0, 0, 0);
}

static inline long sys_pread(int fd, void *buf, size_t n, uint64_t off)
{
	return loader_syscall6(__NR_pread64, fd, (long)buf, (long)n, (long)off, 0, 0);
}

static inline long sys_pwrite(int fd, const void *buf, size_t n, uint64_t off)
{
	return loader_syscall6(__NR_pwrite64, fd, (long)buf, (long)n, (long)off, 0, 0);
}

static inline long sys_close(int fd)
{
	return loader_syscall6(__NR_close, fd, 0, 0, 0, 0, 0);
}

static inline long sys_mmap(uint64_t addr, size_t len, int prot, int flags, int fd, uint64_t off)
{
	return loader_syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, (long)off);
}

static inline long sys_munmap(uint64_t addr, size_t len)
{
	return loader_syscall6(__NR_munmap, (long)addr, (long)len, 0, 0, 0, 0);
}

static inline long sys_mprotect(uint64_t addr, size_t len, int prot)
{
	return loader_syscall6(__NR_mprotect, (long)addr, (long)len, prot, 0, 0, 0);
}

static inline long sys_prctl(int op, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
	return loader_syscall6(__NR_prctl, op, (long)a, (long)b, (long)c, (long)d, 0);
}

static inline long sys_personality(unsigned long persona)
{
	return loader_syscall6(__NR_personality, (long)persona, 0, 0, 0, 0, 0);
}

static inline long sys_getrandom(void *buf, size_t n, unsigned flags)
{
	return loader_syscall6(__NR_getrandom, (long)buf, (long)n, flags, 0, 0, 0);
}

static inline long sys_writev(int fd, const struct iovec *iov, int n)
{
	return loader_syscall6(__NR_writev, fd, (long)iov, n, 0, 0, 0);
}

__attribute__((noreturn)) static inline void sys_exit_group(int status)
{
	for (;;)
		loader_syscall6(__NR_exit_group, status, 0, 0, 0, 0, 0);
}

#endif
