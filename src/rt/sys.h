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
	uint8_t rest[144 - 40];
};

/* access(2)'s modes (<unistd.h>, which a freestanding build lacks). */
#define RT_R_OK 4
#define RT_X_OK 1

#endif
