/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Patching a program's call sites for the in-process runtime (src/rt/rt.h).
 *
 * A path call the runtime can answer reaches the supervisor once per call
 * site: then, if the site is `mov $nr,%eax; syscall`, or one that serves
 * any call (the runtime then passes the calls it does not answer on as
 * the program's, rt_gate_pass): glibc 2.41's site for every cancellable
 * call, `mov disp8(%rsp),%rax; syscall`, or ld.so's and libc's open
 * sites, `mov $-100,%edi; syscall` with %eax set before; and the process
 * has a single thread and shares its memory with no other process, or only
 * with the parent that waits for it in vfork (so that the one thread that
 * could run the bytes being changed is stopped in this very call), the
 * supervisor gives the site a slot k in the
 * runtime's tables and rewrites it into `jmp *RT_SITE_TABLE+8k`. The
 * text page becomes the process's own copy, as a debugger's breakpoint
 * makes it. Whatever fails leaves the site as it was: the call still
 * reaches the supervisor.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/view/view.h"
#include "rt/config.h"
#include "util/cleanup.h"

#define SITE_LEN 7 /* b8 imm32 0f 05 */

/* A site that serves every call must not hide from an engine a call the
 * runtime would answer. */
static bool answered_calls_watched(const struct facet_session *s, uint32_t flags)
{
	for (long nr = 0; nr < FACET_NR_MAX; nr++)
		if (s->want[nr] && rt_answers(nr, flags))
			return true;
	return false;
}

/* A vfork's child shares its parent's memory, code included; the parent
 * runs none of it until the child execs or ends (its one thread waits in
 * the kernel): a site patched now is patched for both, as it should be. */
static bool parent_waits(struct facet_task *t)
{
	struct facet_process *p = task_vm_parent(t->session, t->proc);
	return t->proc->vforked && p && p->nthreads == 1 && p->vm_children == 1 && !p->vm_parent;
}

static int write_text(pid_t tid, uint64_t addr, const uint8_t *bytes, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	_cleanup_close_ int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return pwrite(fd, bytes, len, (off_t)addr) == (ssize_t)len ? 0 : -EIO;
}

void view_patch_site(struct facet_task *t, const struct call *c)
{
	const struct view_state *vs = t->session->vs;
	uint64_t ip = c->sc.ip;
	long nr = c->sc.nr;
	/* fstat and getdents64 with fake root only (rt_answers). */
	uint32_t flags = vs && vs->rt_config ? vs->rt_config->flags : 0;
	if (!vs || !vs->fast || !rt_answers(nr, flags) || t->session->want[nr] || !t->view || t->view->in_loader ||
	    t->proc->nthreads != 1 || (t->proc->vm_parent && !parent_waits(t)) || t->proc->vm_children ||
	    ip < SITE_LEN || (ip >= vs->loader_lo && ip < vs->loader_hi))
		return;
	uint8_t site[SITE_LEN];
	uint32_t imm;
	if (facet_mem_read(t, ip - SITE_LEN, site, SITE_LEN) != SITE_LEN)
		return;
	memcpy(&imm, site + 1, 4);
	uint32_t how;
	if (site[5] != 0x0f || site[6] != 0x05)
		return;
	if (site[0] == 0xb8 && imm == (uint32_t)nr)
		how = (uint32_t)nr; /* mov $nr,%eax */
	else if (answered_calls_watched(t->session, flags))
		return; /* the shapes below serve every call */
	else if (site[0] == 0x48 && site[1] == 0x8b && site[2] == 0x44 && site[3] == 0x24 && site[4] % 8 == 0 &&
		 site[4] < 0x80)
		how = RT_SITE_FROM_STACK | site[4]; /* mov disp8(%rsp),%rax */
	else if (site[0] == 0xba || site[0] == 0xbe || site[0] == 0xbf)
		how = RT_SITE_NR_IN_RAX | (site[0] & 7u); /* mov $imm32,%edx/%esi/%edi */
	else
		return;
	uint32_t k;
	if (facet_mem_read(t, vs->rt_site_next, &k, sizeof(k)) != sizeof(k) || k >= RT_MAX_SITES)
		return;
	uint32_t next = k + 1;
	if (facet_mem_write(t, vs->rt_site_ret + 8ull * k, &ip, 8) != 8 ||
	    ((how & RT_SITE_NR_IN_RAX) && facet_mem_write(t, vs->rt_site_imm + 4ull * k, &imm, 4) != 4) ||
	    facet_mem_write(t, vs->rt_site_nr + 4ull * k, &how, 4) != 4 ||
	    facet_mem_write(t, vs->rt_site_next, &next, 4) != 4)
		return;
	/* jmp *disp32: ff 24 25, then the slot's address, whose upper half
	 * reads 0f 05 where the syscall instruction was. */
	uint32_t slot = RT_SITE_TABLE + 8u * k;
	uint8_t jmp[SITE_LEN] = { 0xff, 0x24, 0x25 };
	memcpy(jmp + 3, &slot, 4);
	write_text(t->tid, ip - SITE_LEN, jmp, SITE_LEN);
}
