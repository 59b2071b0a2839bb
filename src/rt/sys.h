/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The runtime's own system calls: made from its code, which the filter
 * admits, with the loader's raw instruction (arch.h). Each returns what
 * the kernel returns: a value or -errno. */
#ifndef FACET_RT_SYS_H
#define FACET_RT_SYS_H

#include <stdint.h>

#include "arch.h"

#define rt_syscall(nr, a, b, c, d, e, f) \
	loader_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* The kernel's struct stat on x86-64 (the fields used here come first). */
struct rt_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad;
	uint64_t rdev;
	int64_t size;
	uint8_t rest[144 - 56];
};

/* access(2)'s modes (<unistd.h>, which a freestanding build lacks). */
#define RT_R_OK 4
#define RT_W_OK 2
#define RT_X_OK 1

/* Device numbers as glibc's makedev(), major() and minor() encode them
 * (owners.h keeps that encoding). */
static inline uint64_t rt_makedev(uint32_t major, uint32_t minor)
{
	return ((uint64_t)(major & 0xfffff000u) << 32) | ((uint64_t)(major & 0xfffu) << 8) |
	       ((uint64_t)(minor & 0xffffff00u) << 12) | (minor & 0xffu);
}

static inline uint32_t rt_major(uint64_t dev)
{
	return (uint32_t)(((dev >> 8) & 0xfffu) | ((dev >> 32) & ~0xfffu));
}

static inline uint32_t rt_minor(uint64_t dev)
{
	return (uint32_t)((dev & 0xffu) | ((dev >> 12) & ~0xffu));
}

#endif
