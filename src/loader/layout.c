/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load_elf_binary()'s choices of addresses, with the kernel's constants
 * for this architecture (arch.h). */
#include <linux/errno.h>
#include <linux/personality.h>

#include "loader/fail.h"
#include "loader/layout.h"
#include "loader/plan.h"
#include "sys.h"

static uint64_t random64(void)
{
	uint64_t v;
	long r = sys_getrandom(&v, sizeof(v), 0);
	if (r != (long)sizeof(v))
		loader_fail("address space layout", NULL, "cannot get random bytes", r < 0 ? r : -EIO);
	return v;
}

uint32_t layout_randomize(uint32_t plan_flags)
{
	long persona = sys_personality(0xffffffff);
	if (!sys_failed(persona) && (persona & ADDR_NO_RANDOMIZE))
		return 0;
	return plan_flags & (LOADER_PLAN_RANDOMIZE | LOADER_PLAN_RANDOMIZE_BRK);
}

uint64_t layout_pie_base(uint32_t randomize, uint64_t page)
{
	uint64_t base = LOADER_ET_DYN_BASE;
	if (randomize & LOADER_PLAN_RANDOMIZE)
		base += (random64() & ((1ul << LOADER_MMAP_RND_BITS) - 1)) * page;
	return base;
}

uint64_t layout_brk(const struct elf_image *prog, int static_pie, uint32_t randomize, uint64_t page)
{
	/* A static PIE's brk leaves the mmap region for ELF_ET_DYN_BASE,
	 * randomized or not (kernels without CONFIG_COMPAT_BRK, since 6.10);
	 * another program's follows its bss. */
	uint64_t brk = (static_pie ? LOADER_ET_DYN_BASE : prog->end) + page - 1;
	brk &= ~(page - 1);
	/* PF_RANDOMIZE and randomize_va_space > 1: a page of gap after the
	 * bss, then arch_randomize_brk(). */
	if ((randomize & LOADER_PLAN_RANDOMIZE) && (randomize & LOADER_PLAN_RANDOMIZE_BRK)) {
		if (!static_pie)
			brk += page;
		brk += (random64() % (LOADER_BRK_RND_RANGE / page)) * page;
	}
	return brk;
}
