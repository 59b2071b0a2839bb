/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The interpreter's call sites that earlier processes had patched
 * (core/view/sites.c), patched here before it runs (plan.h, `sites`).
 * Otherwise ld.so's first call of each process reaches the supervisor,
 * which patches them then: a round trip per exec. And the program's
 * sites the supervisor found in its file (core/view/go_sites.c): sites
 * it could not patch later, once the program runs threads.
 *
 * As the supervisor does it (core/view/patch.c): all of them or none,
 * each holding the bytes the plan gives, their slots in the runtime's
 * tables from rt_site_next on, the code rewritten through /proc/self/mem
 * (the text stays read-only and executable, as a debugger's breakpoint
 * leaves it). What fails leaves the sites to the supervisor.
 */
#include <linux/fcntl.h>

#include "loader/lib.h"
#include "loader/prepatch.h"
#include "rt/config.h"
#include "rt/rt.h"
#include "sys.h"

/* Where file offset `off` of the image lies, in an executable PT_LOAD; 0
 * where none holds all `len` bytes of the site. */
static uint64_t address_of(const loader_phdr *ph, unsigned phnum, uint64_t bias, uint64_t off, unsigned len)
{
	for (unsigned i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && off >= ph[i].p_offset &&
		    off + len <= ph[i].p_offset + ph[i].p_filesz)
			return bias + ph[i].p_vaddr + (off - ph[i].p_offset);
	return 0;
}

void loader_prepatch(const struct loader_plan_sites *ps, unsigned image, const loader_phdr *ph, unsigned phnum,
		     uint64_t bias)
{
	uint64_t at[LOADER_PLAN_MAX_SITES];
	const struct loader_plan_site *site[LOADER_PLAN_MAX_SITES];
	uint32_t k = rt_site_next, n = 0;
	for (uint32_t i = 0; i < ps->count && i < LOADER_PLAN_MAX_SITES; i++)
		if (ps->site[i].image == image)
			site[n++] = &ps->site[i];
	if (n == 0 || n > RT_MAX_SITES - k)
		return;
	for (uint32_t i = 0; i < n; i++)
		if (!(at[i] = address_of(ph, phnum, bias, site[i]->off, site[i]->len)) ||
		    memcmp((const void *)at[i], site[i]->orig, site[i]->len))
			return; /* another file, or this one changed: the supervisor's way */
	long mem = sys_openat(AT_FDCWD, "/proc/self/mem", O_RDWR | O_CLOEXEC);
	if (mem < 0)
		return;
	for (uint32_t i = 0; i < n; i++)
		rt_sites[k + i] = (struct rt_site){ at[i] + site[i]->len, site[i]->how, site[i]->imm };
	rt_site_next = k + n;
	for (uint32_t i = 0; i < n; i++) {
		/* jmp *slot: ff 24 25, then the slot's address (patch.c);
		 * an 8-byte site first takes the prefix 3e (notrack), which
		 * an indirect jump ignores. */
		uint32_t slot = RT_SITE_TABLE + 8u * (k + i);
		uint8_t jmp[8] = { 0x3e, 0xff, 0x24, 0x25 };
		memcpy(jmp + 4, &slot, 4);
		unsigned len = site[i]->len, skip = 8 - len;
		if (sys_pwrite(mem, jmp + skip, len, at[i]) != (long)len)
			break;
	}
	sys_close(mem);
}
