/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The interpreter's call sites that earlier processes had patched
 * (core/view/sites.c), patched here before it runs (plan.h, `sites`).
 * Otherwise ld.so's first call of each process reaches the supervisor,
 * which patches them then: a round trip per exec.
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

#define SITE_LEN 7

/* Where file offset `off` of the image lies, in an executable PT_LOAD; 0
 * where none holds all of the site. */
static uint64_t address_of(const loader_phdr *ph, unsigned phnum, uint64_t bias, uint64_t off)
{
	for (unsigned i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && off >= ph[i].p_offset &&
		    off + SITE_LEN <= ph[i].p_offset + ph[i].p_filesz)
			return bias + ph[i].p_vaddr + (off - ph[i].p_offset);
	return 0;
}

void loader_prepatch(const struct loader_plan_sites *ps, const loader_phdr *ph, unsigned phnum, uint64_t bias)
{
	uint64_t at[LOADER_PLAN_MAX_SITES];
	uint32_t k = rt_site_next, n = ps->count;
	if (n == 0 || n > LOADER_PLAN_MAX_SITES || n > RT_MAX_SITES - k)
		return;
	for (uint32_t i = 0; i < n; i++)
		if (!(at[i] = address_of(ph, phnum, bias, ps->site[i].off)) ||
		    memcmp((const void *)at[i], ps->site[i].orig, SITE_LEN))
			return; /* another file, or this one changed: the supervisor's way */
	long mem = sys_openat(AT_FDCWD, "/proc/self/mem", O_RDWR | O_CLOEXEC);
	if (mem < 0)
		return;
	for (uint32_t i = 0; i < n; i++) {
		rt_site_ret[k + i] = at[i] + SITE_LEN;
		rt_site_nr[k + i] = ps->site[i].how;
		rt_site_imm[k + i] = ps->site[i].imm;
	}
	rt_site_next = k + n;
	for (uint32_t i = 0; i < n; i++) {
		/* jmp *slot: ff 24 25, then the slot's address (patch.c) */
		uint32_t slot = RT_SITE_TABLE + 8u * (k + i);
		uint8_t jmp[SITE_LEN] = { 0xff, 0x24, 0x25 };
		memcpy(jmp + 3, &slot, 4);
		if (sys_pwrite(mem, jmp, SITE_LEN, at[i]) != SITE_LEN)
			break;
	}
	sys_close(mem);
}
