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
#define RT_W_OK 2
#define RT_X_OK 1

/* The kernel's sigset_t on this machine: 64 signals, one word. */
typedef unsigned long rt_sigset;
#define RT_SIGSET_SIZE 8

#define RT_SIGSYS 31
#define RT_SIG_BIT(sig) (1ul << ((sig) - 1))

/* The kernel's struct sigaction (not libc's). */
struct rt_sigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	rt_sigset mask;
};

#define RT_SIG_DFL 0ul
#define RT_SIG_IGN 1ul
#define RT_SA_SIGINFO 0x00000004ul
#define RT_SA_ONSTACK 0x08000000ul
#define RT_SA_RESTART 0x10000000ul
#define RT_SA_NODEFER 0x40000000ul
#define RT_SA_RESETHAND 0x80000000ul
#define RT_SA_RESTORER 0x04000000ul

#define RT_SIG_BLOCK 0
#define RT_SIG_UNBLOCK 1
#define RT_SIG_SETMASK 2

#endif
