/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the supervisor tells the in-process runtime (src/rt/) at each exec,
 * through the load plan (src/loader/plan.h), and the constants both sides
 * must agree on. Freestanding: <stdint.h> only.
 */
#ifndef FACET_RT_CONFIG_H
#define FACET_RT_CONFIG_H

#include <stdint.h>

/* The SECCOMP_RET_DATA of the filter's SECCOMP_RET_TRAP rules: a SIGSYS
 * whose si_errno is this came from facet's filter, any other from the
 * program's own filter or from kill(2), and is the program's. */
#define RT_TRAP_DATA 0xfac7u

/* Call numbers the runtime knows about (FACET_NR_MAX in the core). */
#define RT_NR_MAX 512u

struct rt_config {
	uint32_t flags;			/* 0 */
	uint32_t reserved;		/* 0 */
	/* Calls an engine watches: the runtime makes them through its
	 * forwarding instruction, so the supervisor sees them, after its own
	 * work (a signal mask stripped of SIGSYS, say). Bit nr % 8 of byte
	 * nr / 8. */
	uint8_t forward[RT_NR_MAX / 8];
};

_Static_assert(sizeof(struct rt_config) == 72, "the runtime's configuration is ABI between runtime and supervisor");

static inline int rt_config_forwards(const struct rt_config *c, unsigned long nr)
{
	return nr < RT_NR_MAX && (c->forward[nr / 8] >> (nr % 8)) & 1;
}

#endif
