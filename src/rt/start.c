/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The runtime's state in a process, and its start. */
#include <linux/errno.h>

#include "loader/lib.h"
#include "rt/fake.h"
#include "rt/lookup.h"
#include "rt/rt.h"
#include "util/hot.h"

/* Page-aligned: a small view's configuration is in one page (config.h). */
struct rt_config rt_config __attribute__((aligned(4096)));

/* Not static: the supervisor finds them by name (core/view/loader_image.c). */
struct rt_site rt_sites[RT_MAX_SITES];
uint32_t rt_site_next;
struct rt_cwd rt_cwd;
uint64_t rt_answer_bits[RT_ANSWER_NRS / 64];
/* Small state of other files, defined here so that it lies next to
 * rt_answer_bits and rt_cwd's head: a fresh process touches one page of
 * it, not a page each (each page of the image a process touches is one
 * to allocate and clear). */
uint64_t rt_stack_bits;   /* the stacks in use (arch/<cpu>/sites.S) */
uint64_t rt_cwd_mount;    /* the cwd's mount, for its names' seq (fds.c) */
const struct owners_table *rt_owners; /* fake root's mapped record (fake.c) */
bool rt_owners_ring_rw;     /* and its ring mapped writable */
/* The supervisor's (config.h); the runtime never touches it. */
char rt_scratch[RT_SCRATCH_SLOTS][RT_SCRATCH_SIZE] __attribute__((aligned(4096)));

long rt_start(void)
{
	if (!rt_config_valid(&rt_config))
		return -EINVAL;
	for (long nr = 0; nr < RT_ANSWER_NRS; nr++)
		if (rt_answers(nr, rt_config.flags))
			rt_answer_bits[nr / 64] |= 1ull << (nr % 64);
		else
			rt_answer_bits[nr / 64] &= ~(1ull << (nr % 64));
	rt_fake_start();
	return 0;
}

FACET_HOT long rt_site_call(long nr, const long a[6])
{
	_Static_assert(RT_PASS == -100003L, "arch/<cpu>/sites.S knows RT_PASS");
	return rt_answers(nr, rt_config.flags) ? rt_call(nr, a) : RT_PASS;
}
