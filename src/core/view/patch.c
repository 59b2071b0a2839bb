/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Patching a program's call sites for the in-process runtime (src/rt/rt.h).
 *
 * A path call the runtime can answer reaches the supervisor once per call
 * site: then, if the site is `mov $nr,%eax; syscall`, or one that serves
 * any call (the runtime then passes the calls it does not answer on as
 * the program's, rt_gate_pass): glibc 2.41's site for every cancellable
 * call, `mov disp8(%rsp),%rax; syscall`, ld.so's and libc's open
 * sites, `mov $-100,%edi; syscall` with %eax set before, or glibc's
 * syscall(2), `mov %r9,%r8; mov disp8(%rsp),%r9; syscall` (libuv's
 * statx, for one); and the process shares its memory with no other
 * process, or only with the parent that waits for it in vfork, the
 * supervisor gives the site a slot k in the runtime's tables and rewrites
 * it into `jmp *RT_SITE_TABLE+8k`. The text page becomes the process's
 * own copy, as a debugger's breakpoint makes it. Whatever fails leaves
 * the site as it was: the call still reaches the supervisor.
 *
 * Only the first five bytes change: the slot's address ends in the bytes
 * 0f 05 of the syscall instruction, so a thread that has made the mov and
 * is at the syscall makes the call as before. With one thread, stopped in
 * this very call, the five bytes are written at once. With more, another
 * thread may be about to run them while they change, so they are written
 * as the kernel's text_poke_bp() and HotSpot's patching of running code
 * do: an int3 on the first byte, then the four after it, then the jump's
 * first byte over the int3. A thread that meets the int3 traps; its
 * SIGTRAP stops it for the supervisor, which finishes the site and starts
 * the thread again at the site's first byte, the signal dropped
 * (view_patch_trap). The same holds for a process forked while a batch
 * was half written: it has the int3 and finishes at its first trap.
 * The kernel forces a trap's SIGTRAP: where it is ignored or blocked, it
 * resets the action to the default and unblocks it, which the program
 * could see; so with more than one thread a process whose SIGTRAP is
 * caught or ignored, or blocked by one of its threads, is not patched
 * (/proc/PID/status), and a thread that blocks SIGTRAP between that look
 * and meeting the int3 is the one case left: it finds SIGTRAP unblocked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/regs.h"
#include "core/view/view.h"
#include "rt/config.h"
#include "util/cleanup.h"

#define SITE_LEN 7 /* b8 imm32 0f 05 */
#define INT3 0xcc
#define BEFORE 3   /* bytes read before a site, to tell its shape */

/* A site that serves every call must not hide from an engine a call the
 * runtime would answer. */
static bool answered_calls_watched(const struct facet_session *s, uint32_t flags)
{
	for (long nr = 0; nr < FACET_NR_MAX; nr++)
		if (s->want[nr] && rt_answers(nr, flags))
			return true;
	return false;
}

bool view_patch_serve_all(const struct facet_session *s)
{
	const struct view_state *vs = s->vs;
	return !answered_calls_watched(s, vs && vs->rt_config ? vs->rt_config->flags : 0);
}

/* A vfork's child shares its parent's memory, code included; the parent
 * runs none of it until the child execs or ends (its one thread waits in
 * the kernel): a site patched now is patched for both, as it should be. */
static bool parent_waits(struct facet_task *t)
{
	struct facet_process *p = task_vm_parent(t->session, t->proc);
	return t->proc->vforked && p && p->nthreads == 1 && p->vm_children == 1 && !p->vm_parent;
}

/* The site's replacement: jmp *disp32, ff 24 25, then slot k's address,
 * whose upper half reads 0f 05 where the syscall instruction was. */
static void jump_to(uint8_t jmp[SITE_LEN], uint32_t k)
{
	uint32_t slot = RT_SITE_TABLE + 8u * k;
	jmp[0] = 0xff, jmp[1] = 0x24, jmp[2] = 0x25;
	memcpy(jmp + 3, &slot, 4);
}

/* /proc/PID/mem, which writes read-only text as a debugger does (opened
 * for a batch only: a live process holds no fd of it). */
static int open_mem(pid_t tid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	return open(path, O_RDWR | O_CLOEXEC);
}

/* The hexadecimal field `name` of a /proc status file. */
static bool status_field(const char *path, const char *name, unsigned long long *v)
{
	char line[128];
	size_t len = strlen(name);
	bool found = false;
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, len) && sscanf(line + len, "%llx", v) == 1;
	fclose(f);
	return found;
}

/* Whether a trap of one of p's threads at a half-written site would
 * change nothing the program can see (see above): SIGTRAP has the default
 * action (/proc/PID/status; caught or ignored, p is not asked again until
 * it execs) and no thread blocks it (/proc/PID/task/TID/status). */
static bool sigtrap_default(struct facet_process *p, pid_t tid)
{
	if (p->view_sigtrap_taken)
		return false;
	const unsigned long long bit = 1ull << (SIGTRAP - 1);
	unsigned long long v;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (!status_field(path, "SigIgn:", &v) || (v & bit) || !status_field(path, "SigCgt:", &v) || (v & bit)) {
		p->view_sigtrap_taken = true;
		return false;
	}
	snprintf(path, sizeof(path), "/proc/%d/task", tid);
	DIR *d = opendir(path);
	bool unblocked = d != NULL;
	for (struct dirent *e; unblocked && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/status", tid, e->d_name);
		unblocked = status_field(path, "SigBlk:", &v) && !(v & bit);
	}
	if (d)
		closedir(d);
	return unblocked;
}

/* The most sites patched at once: one, and the others known of its file. */
#define MAX_AT_ONCE 49

/* Gives the n sites slots from k on in the runtime's tables, then
 * rewrites them into jumps there. */
static void patch(struct facet_task *t, const struct view_site_at *site, unsigned n, uint32_t k)
{
	const struct view_state *vs = t->session->vs;
	if (k >= RT_MAX_SITES)
		return;
	if (n > RT_MAX_SITES - k)
		n = RT_MAX_SITES - k;
	struct rt_site entry[MAX_AT_ONCE];
	uint32_t next = k + n;
	for (unsigned i = 0; i < n; i++)
		entry[i] = (struct rt_site){ site[i].at + SITE_LEN, site[i].how, site[i].imm };
	struct iovec l[2] = { { entry, n * sizeof(entry[0]) }, { &next, sizeof(next) } };
	struct iovec r[2] = { { (void *)(uintptr_t)(vs->rt_sites + k * sizeof(entry[0])), n * sizeof(entry[0]) },
			      { (void *)(uintptr_t)vs->rt_site_next, sizeof(next) } };
	if (process_vm_writev(t->tid, l, 2, r, 2, 0) != (ssize_t)(n * sizeof(entry[0]) + sizeof(next)))
		return;
	_cleanup_close_ int mem = open_mem(t->tid);
	if (mem < 0)
		return;
	if (t->proc->nthreads == 1) {
		for (unsigned i = 0; i < n; i++) {
			uint8_t jmp[SITE_LEN];
			jump_to(jmp, k + i);
			if (pwrite(mem, jmp, SITE_LEN, (off_t)site[i].at) != SITE_LEN)
				break;
		}
		return;
	}
	/* Other threads run: each step on every site before the next. A
	 * site whose int3 is in is finished even if a later step fails:
	 * the slot's entries are written. */
	static const uint8_t int3 = INT3;
	unsigned in = 0;
	while (in < n && pwrite(mem, &int3, 1, (off_t)site[in].at) == 1)
		in++;
	for (unsigned i = 0; i < in; i++) {
		uint8_t jmp[SITE_LEN];
		jump_to(jmp, k + i);
		if (pwrite(mem, jmp + 1, 4, (off_t)site[i].at + 1) != 4)
			in = i; /* the rest keep their int3: their traps finish them */
	}
	for (unsigned i = 0; i < in; i++)
		if (pwrite(mem, (const uint8_t[]){ 0xff }, 1, (off_t)site[i].at) != 1)
			break;
}

/* A site found of none of the shapes stays so until the process execs
 * (or its code is replaced: then it is merely not patched): its next
 * calls need not read its bytes again. A site whose shape serves only
 * some calls (`mov $nr,%eax` of another number) is read each time. */
static uint64_t *no_site_slot(struct facet_task *t, uint64_t ip)
{
	return &t->proc->view_no_site[(ip >> 1) % (sizeof(t->proc->view_no_site) / sizeof(uint64_t))];
}

void view_patch_sites_forget(struct facet_process *p)
{
	memset(p->view_no_site, 0, sizeof(p->view_no_site));
	p->view_no_table = false;
	p->view_sigtrap_taken = false;
}

void view_patch_site(struct facet_task *t, const struct call *c)
{
	const struct view_state *vs = t->session->vs;
	uint64_t ip = c->sc.ip;
	long nr = c->sc.nr;
	/* fstat and getdents64 with fake root only (rt_answers). */
	uint32_t flags = vs && vs->rt_config ? vs->rt_config->flags : 0;
	if (!vs || !vs->fast || !rt_answers(nr, flags) || t->session->want[nr] || !t->view || t->view->in_loader ||
	    (t->proc->vm_parent && !parent_waits(t)) || t->proc->vm_children ||
	    ip < SITE_LEN || (ip >= vs->loader_lo && ip < vs->loader_hi) || *no_site_slot(t, ip) == ip ||
	    t->proc->view_no_table)
		return;
	/* The site, and the 3 bytes before it. */
	uint8_t before[BEFORE + SITE_LEN], *bytes = before + BEFORE;
	uint32_t imm, k;
	/* And the jump table's first slot, which must point to trampoline 0:
	 * a program fixed at the table's address has its own bytes there
	 * and runs without the runtime (loader.c, over_site_table). */
	uint64_t slot0;
	struct iovec l[3] = { { before, BEFORE + SITE_LEN }, { &k, sizeof(k) }, { &slot0, sizeof(slot0) } };
	struct iovec r[3] = { { (void *)(uintptr_t)(ip - SITE_LEN - BEFORE), BEFORE + SITE_LEN },
			      { (void *)(uintptr_t)vs->rt_site_next, 4 },
			      { (void *)(uintptr_t)RT_SITE_TABLE, sizeof(slot0) } };
	if (ip < SITE_LEN + BEFORE || process_vm_readv(t->tid, l, 3, r, 3, 0) != BEFORE + SITE_LEN + 4 + 8)
		return;
	if (slot0 != vs->rt_trampolines) {
		t->proc->view_no_table = true; /* until it execs; its forks read once more */
		return;
	}
	memcpy(&imm, bytes + 1, 4);
	uint32_t how;
	bool from_stack = bytes[0] == 0x48 && bytes[1] == 0x8b && bytes[2] == 0x44 && bytes[3] == 0x24 &&
			  bytes[4] % 8 == 0 && bytes[4] < 0x80;
	/* glibc's syscall(2): its mov %r9,%r8 before the load of %r9 tells
	 * where that load starts (a byte 0x4c alone could end another). */
	bool r9_from_stack = before[0] == 0x4d && before[1] == 0x89 && before[2] == 0xc8 && bytes[0] == 0x4c &&
			     bytes[1] == 0x8b && bytes[2] == 0x4c && bytes[3] == 0x24 && bytes[4] % 8 == 0 &&
			     bytes[4] < 0x80;
	/* Of none of the shapes, whatever the call: not to be read again. */
	if (bytes[5] != 0x0f || bytes[6] != 0x05 ||
	    (bytes[0] != 0xb8 && bytes[0] != 0xbf && !from_stack && !r9_from_stack)) {
		*no_site_slot(t, ip) = ip;
		return;
	}
	if (bytes[0] == 0xb8 && imm == (uint32_t)nr)
		how = (uint32_t)nr; /* mov $nr,%eax */
	else if (answered_calls_watched(t->session, flags))
		return; /* the shapes below serve every call */
	else if (from_stack)
		how = RT_SITE_FROM_STACK | bytes[4]; /* mov disp8(%rsp),%rax */
	else if (r9_from_stack)
		how = RT_SITE_R9_FROM_STACK | bytes[4]; /* mov disp8(%rsp),%r9 */
	else if (bytes[0] == 0xbf && imm == (uint32_t)AT_FDCWD && nr == SYS_openat && (before[2] & 0xf0) != 0x40)
		/* mov $-100,%edi: not after a REX prefix (then it would be
		 * %r15d), and with the one value that names its use. Only
		 * the byte before a syscall instruction is known to start
		 * an instruction; one opcode byte could be the end of
		 * another instruction, the number and AT_FDCWD together
		 * hardly. */
		how = RT_SITE_NR_IN_RAX | (bytes[0] & 7u);
	else
		return;
	/* This site, and the others of its file that an earlier process
	 * showed (sites.c). A site in every process's libc and ld.so then
	 * costs a round trip once per file, not once per site. */
	if (t->proc->nthreads > 1 && !sigtrap_default(t->proc, t->tid))
		return;
	struct view_site_at site[MAX_AT_ONCE] = { { ip - SITE_LEN, how, imm } };
	int more = view_sites_known(t, ip - SITE_LEN, bytes, how, site + 1, MAX_AT_ONCE - 1);
	if (more < 0)
		view_sites_learn(t, ip - SITE_LEN, bytes, how, imm);
	patch(t, site, 1 + (unsigned)(more > 0 ? more : 0), k);
}

/* The site of a trap at ip (the byte after an int3), if it is a site
 * half written by patch(): an int3, then the jump's operand or the
 * instruction's own four bytes, then 0f 05; and its slot's return address
 * (the newest slot with it, when the operand is not written yet) is the
 * site's end. Finishes it, and returns its first byte's address (0: not
 * such a site). */
static uint64_t finish_site(struct facet_task *t, uint64_t ip)
{
	const struct view_state *vs = t->session->vs;
	uint8_t b[SITE_LEN];
	uint32_t next;
	struct iovec l[2] = { { b, SITE_LEN }, { &next, sizeof(next) } };
	struct iovec r[2] = { { (void *)(uintptr_t)(ip - 1), SITE_LEN },
			      { (void *)(uintptr_t)vs->rt_site_next, sizeof(next) } };
	if (ip < 1 || process_vm_readv(t->tid, l, 2, r, 2, 0) != SITE_LEN + sizeof(next) || next > RT_MAX_SITES)
		return 0;
	if (view_site_patched(b))
		return ip - 1; /* finished since the trap */
	if (b[0] != INT3 || b[5] != 0x0f || b[6] != 0x05)
		return 0;
	static struct rt_site table[RT_MAX_SITES];
	struct iovec lr = { table, next * sizeof(table[0]) },
		     rr = { (void *)(uintptr_t)vs->rt_sites, next * sizeof(table[0]) };
	if (process_vm_readv(t->tid, &lr, 1, &rr, 1, 0) != (ssize_t)(next * sizeof(table[0])))
		return 0;
	const uint64_t end = ip - 1 + SITE_LEN;
	uint32_t slot, k;
	memcpy(&slot, b + 3, 4);
	b[0] = 0xff;
	bool operand = view_site_patched(b);
	if (operand) {
		k = (slot - RT_SITE_TABLE) / 8;
		if (k >= next || table[k].ret != end)
			return 0;
	} else {
		for (k = next; k > 0 && table[k - 1].ret != end; k--)
			;
		if (k-- == 0)
			return 0;
	}
	uint8_t jmp[SITE_LEN];
	jump_to(jmp, k);
	_cleanup_close_ int mem = open_mem(t->tid);
	if (mem < 0 || (!operand && pwrite(mem, jmp + 1, 4, (off_t)(ip - 1 + 1)) != 4) ||
	    pwrite(mem, jmp, 1, (off_t)(ip - 1)) != 1)
		return 0;
	return ip - 1;
}

bool view_patch_trap(struct facet_task *t)
{
	const struct view_state *vs = t->session->vs;
	siginfo_t si;
	uint64_t ip, at;
	if (!vs || !vs->fast || ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) < 0 || si.si_signo != SIGTRAP ||
	    si.si_code != SI_KERNEL || regs_ip(t->tid, &ip) < 0 || !(at = finish_site(t, ip)))
		return false;
	return regs_set_ip(t->tid, at) == 0;
}
